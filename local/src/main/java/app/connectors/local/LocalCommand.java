package app.connectors.local;

import java.util.List;

/**
 * One subcommand of {@code bin/local} ({@code start}, {@code invoke}, {@code publish}, …). Each is a
 * small class registered in {@link LocalMain#COMMANDS}; the command line is parsed against the
 * options it declares (plus {@link LocalMain#COMMON_OPTIONS}), and {@code --help} is built from its
 * synopsis, description and options.
 *
 * <pre>{@code
 * final class HelloCommand implements LocalCommand {
 *     public String name() { return "hello"; }
 *     public String synopsis() { return "hello <name>"; }
 *     public String description() { return "Greets <name>."; }
 *     public int run(CommandLine line, Terminal terminal) {
 *         terminal.out().println("hello " + line.positional(0, "<name>"));
 *         return OK;
 *     }
 * }
 * }</pre>
 *
 * <p>Conventions: results go to {@code terminal.out()} (so {@code bin/local invoke … | jq} works),
 * everything else to {@code terminal.err()}. A caller's mistake throws {@link UsageException} (exit
 * 2, one line), an expected failure {@link CommandFailedException} (exit 1, one line); anything else
 * is a bug and is printed with its stack trace.
 */
interface LocalCommand {

    int OK = 0;
    int FAILED = 1;
    int USAGE = 2;
    /** Returned by a command that keeps serving ({@code start}): the JVM must stay up. */
    int KEEP_RUNNING = -1;

    /** The word that selects the command: {@code bin/local <name> …}. */
    String name();

    /** One line: the command and its arguments, without the program name ({@code "invoke <Id> --event <file>"}). */
    String synopsis();

    /** What it does, one or a few lines of plain text. */
    String description();

    /** The options it accepts besides the common ones. */
    default List<CommandOption> options() {
        return List.of();
    }

    /**
     * Lines the {@code start} banner shows under "Next", e.g. how to use this command against the
     * stack that just started. Empty when the command has nothing to suggest.
     */
    default List<BannerHint> hints(StackSummary stack) {
        return List.of();
    }

    /** Runs the command; returns the exit code ({@link #OK}, {@link #FAILED}) or {@link #KEEP_RUNNING}. */
    int run(CommandLine line, Terminal terminal);

    /**
     * One suggestion in the start banner. The banner lists every command's hints by {@code order}
     * (ties keep the order of {@link LocalMain#COMMANDS}): 10 getting a token, 20 calling the API,
     * 30 publishing events, 40 and later anything else.
     *
     * @param order   where it goes in the banner
     * @param text    what it does ("Create a user and its first API token")
     * @param command the command to copy ("bin/local invoke AccountsFunction --event …")
     */
    record BannerHint(int order, String text, String command) {
    }
}
