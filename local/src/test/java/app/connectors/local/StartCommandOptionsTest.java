package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The portal's start options go through the command-line parser as {@code bin/local} reads them. */
class StartCommandOptionsTest {

    @Test
    void startAcceptsTheFakeProvidersFlagAndRepeatedFrameAncestors() {
        List<CommandOption> accepted = Stream.concat(new StartCommand().options().stream(), LocalMain.COMMON_OPTIONS.stream()).toList();

        CommandLine line = CommandLine.parse(List.of("--fake-providers", "--frame-ancestor", "http://127.0.0.1:5123",
                "--frame-ancestor", "https://app.example.com", "--port", "0"), accepted, "start");

        assertThat(line.flag(StartCommand.FAKE_PROVIDERS)).isTrue();
        assertThat(line.all(StartCommand.FRAME_ANCESTOR)).containsExactly("http://127.0.0.1:5123", "https://app.example.com");
    }

    @Test
    void startsHelpListsThem() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = LocalMain.run(new String[] {"start", "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--fake-providers", "--frame-ancestor <origin>");
    }
}
