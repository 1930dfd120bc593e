package app.connectors.lint;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command-line linter from the repository root and captures what it prints. A linter that is
 * not installed skips the test with the reason printed (and recorded by JUnit as the skip reason),
 * never passes it.
 */
final class ExternalTool {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** What the tool printed on stdout and on stderr, and how it exited. */
    record Run(int exitCode, String output, String errors) {
    }

    private ExternalTool() {
    }

    /** The executable: a path (relative to the root) that must exist, or a name looked up on PATH. */
    static Path require(String executable, String howToInstall) {
        Path found = null;
        if (executable.contains("/")) {
            Path candidate = ROOT.resolve(executable);
            found = Files.isExecutable(candidate) ? candidate : null;
        } else {
            for (String folder : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(folder, executable);
                if (!folder.isEmpty() && Files.isExecutable(candidate)) {
                    found = candidate;
                    break;
                }
            }
        }
        String reason = "SKIPPED: " + executable + " is not installed (" + howToInstall + ")";
        if (found == null) {
            System.out.println(reason);
        }
        assumeTrue(found != null, reason);
        return found;
    }

    static Run run(Map<String, String> environment, Path executable, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            var errors = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within 5 minutes");
            }
            return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8), errors.join());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readAll(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read: " + e + ")";
        }
    }
}
