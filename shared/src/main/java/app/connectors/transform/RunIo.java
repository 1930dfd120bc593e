package app.connectors.transform;

/** The host's side of the bridge for one run: hands over the input, collects the console and the one report. */
final class RunIo implements GuestIo.Listener {

    private final String input;
    private final ConsoleCapture console;
    private final int maxMessageBytes;
    private String report;
    private String reportJson;

    RunIo(String input, ConsoleCapture console, int maxMessageBytes) {
        this.input = input;
        this.console = console;
        this.maxMessageBytes = maxMessageBytes;
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
            report = kind;
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
