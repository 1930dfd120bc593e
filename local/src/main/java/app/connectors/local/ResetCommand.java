package app.connectors.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code bin/local reset [--yes]}: deletes the local stack's data folder (DynamoDB tables, queued
 * messages, the secrets key, stack.json), after saying what it deletes and asking; {@code --yes}
 * skips the question. Refuses while a stack runs on the folder.
 */
final class ResetCommand implements LocalCommand {

    static final String YES = "--yes";

    @Override
    public String name() {
        return "reset";
    }

    @Override
    public String synopsis() {
        return "reset [--yes]";
    }

    @Override
    public String description() {
        return "Delete the local data (users, tokens, connectors, deliveries, queued messages, the secrets key) to start"
                + " afresh. Says what it deletes and asks first; --yes does not ask.";
    }

    @Override
    public List<CommandOption> options() {
        return List.of(CommandOption.flag(YES, "delete without asking"));
    }

    @Override
    public int run(CommandLine line, Terminal terminal) {
        Path data = line.data();
        StackFile.readRunning(data).ifPresent(running -> {
            throw new UsageException("A stack runs on " + data + " (pid " + running.pid() + "); stop it (Ctrl-C) before reset.");
        });
        if (!Files.isDirectory(data)) {
            terminal.err().println("Nothing to reset: " + data.toAbsolutePath().normalize() + " does not exist.");
            return OK;
        }
        List<Path> entries = entries(data);
        terminal.err().println("This deletes " + data.toAbsolutePath().normalize() + ":");
        for (Path entry : entries) {
            terminal.err().println("  " + data.relativize(entry) + describe(entry));
        }
        terminal.err().println("Every local user, API token, connector, delivery and queued message is lost; the secrets key too"
                + " (secrets stored with it cannot be read again).");
        if (!line.flag(YES) && !confirmed(terminal)) {
            terminal.err().println("Nothing deleted.");
            return FAILED;
        }
        delete(data);
        terminal.err().println("Deleted. `" + LocalMain.PROGRAM + " start` begins with empty tables.");
        return OK;
    }

    private static boolean confirmed(Terminal terminal) {
        terminal.err().print("Delete it? Type yes: ");
        terminal.err().flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(terminal.in(), StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.strip().toLowerCase(Locale.ROOT).equals("yes");
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> entries(Path data) {
        try (Stream<Path> list = Files.list(data)) {
            return new ArrayList<>(list.sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + data, e);
        }
    }

    private static String describe(Path entry) {
        String name = entry.getFileName().toString();
        return switch (name) {
            case "dynamodb" -> "   (DynamoDB tables: users, tokens, connectors, deliveries, ...)";
            case "sqs" -> "   (queued events and delivery jobs, dead-letter queues)";
            case LocalEnvironment.KEY_FILE_NAME -> "   (the key that encrypts stored secrets)";
            case StackFile.FILE_NAME -> "   (a stopped stack's address file)";
            default -> "";
        };
    }

    private static void delete(Path data) {
        try (Stream<Path> walk = Files.walk(data)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + data + "; delete it by hand", e);
        }
    }
}
