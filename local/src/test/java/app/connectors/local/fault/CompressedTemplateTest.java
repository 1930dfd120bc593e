package app.connectors.local.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault run's template shortens queue visibility so that kills are recovered within the run,
 * but never below what the delivery core relies on: an event's message must come back only after
 * its dispatcher's lease on the fan-out (its invocation) has run out.
 */
class CompressedTemplateTest {

    @TempDir
    Path work;

    @Test
    void eventsQueueOutlastsTheDispatchersTimeoutWhileTheOtherQueuesAreShortened() throws Exception {
        Path template = Path.of("..", "template.yaml");
        String yaml = Files.readString(FaultRun.compressedTemplate(template, 60, work.resolve("template.yaml")));

        int dispatcherTimeout = FaultRun.functionTimeout(Files.readString(template), "DispatcherFunction");
        assertThat(visibilityOf(yaml, "EventsQueue")).isGreaterThan(dispatcherTimeout);
        assertThat(visibilityOf(yaml, "DeliveriesQueue")).isEqualTo(60);
    }

    private static int visibilityOf(String yaml, String queue) {
        Matcher m = Pattern.compile("(?ms)^  " + queue + ":\\s*$.*?^\\s+VisibilityTimeout:\\s*(\\d+)").matcher(yaml);
        assertThat(m.find()).as(queue + " in the template").isTrue();
        return Integer.parseInt(m.group(1));
    }
}
