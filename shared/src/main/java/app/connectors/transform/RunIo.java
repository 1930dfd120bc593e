package app.connectors.transform;

import java.util.Set;

/**
 * The host's side of the bridge for one run: hands over the input, collects the console and the one report.
 *
 * <p>Everything that arrives over the bridge is the script's word, whoever in the sandbox sent it:
 * the host keeps the first report only, and only of a kind a handler can produce in this run's
 * mode (a check reports {@code checked}; a run reports its {@code result}); any other is recorded
 * as {@code unexpected}. So even a script that reached the prelude's private functions could report
 * nothing it could not have produced by returning, throwing or leaving out its handler.
 */
final class RunIo implements GuestIo.Listener {

    private static final Set<String> CHECK_REPORTS = Set.of("checked", "nohandler", "error", "invalid", "toolarge");
    private static final Set<String> RUN_REPORTS = Set.of("result", "nohandler", "error", "invalid", "toolarge");

    private final String input;
    private final ConsoleCapture console;
    private final int maxMessageBytes;
    private final Set<String> expected;
    private String report;
    private String reportJson;

    RunIo(String input, ConsoleCapture console, int maxMessageBytes, boolean check) {
        this.input = input;
        this.console = console;
        this.maxMessageBytes = maxMessageBytes;
        this.expected = check ? CHECK_REPORTS : RUN_REPORTS;
    }

    @Override
    public String input() {
        return input;
    }

    @Override
    public void console(String line) {
        console.write(line);
    }

    @Override
    public void report(String kind, String json) {
        if (report == null) {
            report = expected.contains(kind) ? kind : "unexpected";
            reportJson = json;
        }
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    String report() {
        return report;
    }

    String reportJson() {
        return reportJson;
    }

    ConsoleCapture console() {
        return console;
    }
}
