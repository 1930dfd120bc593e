package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalSchedulerIT {

    @Test
    void scheduledFunctionsRunOnTheirOwnAndDisabledSchedulesDoNot() throws Exception {
        // GIVEN a stack whose template has a function on rate(5 minutes), run every 100 ms here,
        // and one whose schedule is disabled
        TestTickHandler.TICKS.clear();
        try (LocalStack stack = LocalStack.start(LocalStackOptions.forTests(Path.of("src/test/resources/local/scheduled-template.yaml"))
                .withGateway(false).withScheduleEvery(Duration.ofMillis(100)))) {

            // WHEN time passes
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (TestTickHandler.TICKS.size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }

            // THEN it ran again and again with EventBridge's scheduled event, and only it ran
            assertThat(TestTickHandler.TICKS).hasSizeGreaterThanOrEqualTo(3);
            assertThat(TestTickHandler.TICKS.get(0)).containsEntry("detail-type", "Scheduled Event")
                    .containsEntry("source", "aws.events");
            assertThat(TestTickHandler.TICKS).allSatisfy(tick -> assertThat(tick.get("resources").toString())
                    .contains("TickFunction"));
        }
    }
}
