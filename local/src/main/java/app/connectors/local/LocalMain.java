package app.connectors.local;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The command line of the local stack (the shaded jar's main class, run by {@code bin/local}).
 *
 * <pre>
 * bin/local                                   # start (the default command)
 * bin/local invoke AccountsFunction --event events/accounts-create-user.json
 * bin/local publish events/event-promise-status-changed.json
 * bin/local invoke --help                     # one command's help
 * </pre>
 *
 * <p>Each command is a {@link LocalCommand} registered in {@link #COMMANDS}; this class only finds
 * the command, parses its options, maps its exceptions to exit codes and prints help. stdout carries
 * only results; every log line goes to stderr.
 */
public final class LocalMain {

    /** How people run the commands: every help text and suggested command uses this form. */
    static final String PROGRAM = "bin/local";
    static final String TEMPLATE = "--template";
    static final String DATA = "--data";
    static final String AWS_ENDPOINT = "--aws-endpoint";

    /** Options every command accepts. */
    static final List<CommandOption> COMMON_OPTIONS = List.of(
            CommandOption.valued(TEMPLATE, "<file>", "the SAM template (default ./template.yaml)"),
            CommandOption.valued(DATA, "<folder>", "local data: DynamoDB files, secrets.key, stack.json (default ./.local)"),
            CommandOption.valued(AWS_ENDPOINT, "<url>", "use DynamoDB, SQS and KMS at this URL (moto_server, LocalStack)"
                    + " instead of the embedded emulators; AWS_ENDPOINT_URL and its per-service variants do the same"));

    /** Every command, in the order help lists them. A new command is one class and one entry here. */
    static final List<LocalCommand> COMMANDS = List.of(
            new StartCommand(),
            new InvokeCommand(),
            new PublishCommand(),
            new PortalLinkCommand(),
            new EventsCommand(),
            new DlqCommand(),
            new ResetCommand(),
            new TokenCommand());

    /** The command run when none is named ({@code bin/local}, {@code bin/local --port 3001}). */
    static final String DEFAULT_COMMAND = "start";

    private static final List<String> HELP_WORDS = List.of("--help", "-h");

    private LocalMain() {
    }

    public static void main(String[] args) {
        // Libraries (DynamoDB Local's banner among them) print to stdout; keep stdout for results.
        PrintStream results = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        int code = run(args, new Terminal(System.in, results, System.err));
        if (code != LocalCommand.KEEP_RUNNING) {
            results.flush();
            System.exit(code);
        }
    }

    /** For tests: runs a command with the given output streams and no input. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, new Terminal(java.io.InputStream.nullInputStream(), out, err));
    }

    /**
     * Runs the command the arguments name.
     *
     * @return the exit code, or {@link LocalCommand#KEEP_RUNNING} when the command keeps serving
     */
    static int run(String[] args, Terminal terminal) {
        List<String> words = new ArrayList<>(Arrays.asList(args));
        boolean help = words.removeIf(HELP_WORDS::contains);
        int position = commandPosition(words);
        String name = position < 0 ? DEFAULT_COMMAND : words.get(position);
        if (name.equals("help")) {
            help = true;
            words.remove(position);
            position = commandPosition(words);
            name = position < 0 ? null : words.get(position);
        }
        if (help && (name == null || position < 0)) {
            terminal.out().print(help());
            return LocalCommand.OK;
        }
        Optional<LocalCommand> found = command(name);
        if (found.isEmpty()) {
            terminal.err().println("Unknown command: " + name + ". Commands: " + String.join(", ", names())
                    + ". Run " + PROGRAM + " --help for usage.");
            return LocalCommand.USAGE;
        }
        LocalCommand command = found.get();
        if (help) {
            terminal.out().print(help(command));
            return LocalCommand.OK;
        }
        if (position >= 0) {
            words.remove(position);
        }
        try {
            CommandLine line = CommandLine.parse(words, accepted(command), command.name());
            return command.run(line, terminal);
        } catch (UsageException e) {
            terminal.err().println(e.getMessage());
            terminal.err().println("Run " + PROGRAM + " " + command.name() + " --help for usage.");
            return LocalCommand.USAGE;
        } catch (CommandFailedException e) {
            terminal.err().println(command.name() + " failed: " + e.getMessage());
            return LocalCommand.FAILED;
        } catch (RuntimeException e) {
            terminal.err().println(command.name() + " failed: " + e.getMessage());
            e.printStackTrace(terminal.err());
            return LocalCommand.FAILED;
        }
    }

    static Optional<LocalCommand> command(String name) {
        return COMMANDS.stream().filter(command -> command.name().equals(name)).findFirst();
    }

    private static List<String> names() {
        return COMMANDS.stream().map(LocalCommand::name).toList();
    }

    private static List<CommandOption> accepted(LocalCommand command) {
        return Stream.concat(command.options().stream(), COMMON_OPTIONS.stream()).toList();
    }

    /**
     * Where the command's name is: the first word that is neither an option nor an option's value.
     * Any command's valued option counts, so {@code bin/local --port 3001} finds no name (start).
     */
    private static int commandPosition(List<String> words) {
        List<String> valued = Stream.concat(COMMON_OPTIONS.stream(), COMMANDS.stream().flatMap(c -> c.options().stream()))
                .filter(CommandOption::takesValue).map(CommandOption::name).toList();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (!word.startsWith("-")) {
                return i;
            }
            if (valued.contains(word)) {
                i++;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------ help

    static String help() {
        StringBuilder text = new StringBuilder("""
                Connectors local stack: DynamoDB Local, ElasticMQ, an API Gateway emulation and SQS pollers in one JVM,
                all read from template.yaml.

                Usage: %s [<command>] [options]      (no command: start)
                       %s <command> --help           (one command's help)

                Commands:
                """.formatted(PROGRAM, PROGRAM));
        for (LocalCommand command : COMMANDS) {
            appendCommand(text, command);
        }
        text.append("\nCommon options:\n");
        appendOptions(text, COMMON_OPTIONS, "  ");
        text.append("  --help                   this text\n\n").append(exitCodes());
        return text.toString();
    }

    static String help(LocalCommand command) {
        StringBuilder text = new StringBuilder("Usage:\n");
        appendCommand(text, command);
        text.append("\nCommon options:\n");
        appendOptions(text, COMMON_OPTIONS, "  ");
        text.append('\n').append(exitCodes());
        return text.toString();
    }

    private static void appendCommand(StringBuilder text, LocalCommand command) {
        text.append("  ").append(PROGRAM).append(' ').append(command.synopsis()).append('\n');
        command.description().lines().forEach(line -> text.append("      ").append(line).append('\n'));
        appendOptions(text, command.options(), "      ");
        text.append('\n');
    }

    private static void appendOptions(StringBuilder text, List<CommandOption> options, String indent) {
        for (CommandOption option : options) {
            text.append(indent).append("%-24s ".formatted(option.usage())).append(option.help()).append('\n');
        }
    }

    private static String exitCodes() {
        return "Exit code: 0 on success, 1 when the command or the invoked function fails, 2 on a usage error.\n";
    }
}
