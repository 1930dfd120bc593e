package app.connectors.it.backend;

import app.connectors.local.FreePort;
import app.connectors.local.LocalStackOptions;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts moto's server for the whole test run when {@link TestBackend#PROPERTY} is {@code moto}: on a
 * free port, bound to 127.0.0.1, as a child process that is stopped when the run ends. Every stack
 * the tests start then creates its tables, queues and KMS key there under its own name prefix. When
 * moto_server is not installed (or does not start), nothing is pointed anywhere and
 * {@link BackendCondition} skips every test with the reason.
 *
 * <p>moto runs behind {@code tools/moto-server-atomic-dynamodb.py}, which applies DynamoDB requests one
 * at a time: moto's own DynamoDB lets concurrent conditional writes through together and shows half
 * of a write to a concurrent read (tools/emulator-atomicity.py; ADR 0011), which real DynamoDB never
 * does, and which made the tests of this run fail at random under load.
 */
public final class MotoSession implements LauncherSessionListener {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Where the reason goes when moto cannot run (the failsafe run's working folder is the local module). */
    static final Path UNAVAILABLE_FILE = Path.of("target", "failsafe-reports-moto", "moto-unavailable.txt");

    /** moto_server with DynamoDB requests serialised (the failsafe run's working folder is the local module). */
    private static final Path ATOMIC_DYNAMODB_SERVER = Path.of("..", "tools", "moto-server-atomic-dynamodb.py");

    private Process moto;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!TestBackend.moto() || moto != null) {
            return;
        }
        try {
            Files.deleteIfExists(UNAVAILABLE_FILE);
        } catch (IOException e) {
            System.out.println("could not delete " + UNAVAILABLE_FILE + ": " + e);
        }
        Optional<Path> python = onPath("python3");
        if (python.isEmpty() || !canImportMoto(python.get())) {
            unavailable("moto is not installed for python3 (Python's moto[server] package)");
            return;
        }
        int port = FreePort.find();
        try {
            Path log = Files.createTempFile("moto-server-", ".log");
            moto = new ProcessBuilder(List.of(python.get().toString(), ATOMIC_DYNAMODB_SERVER.toString(),
                    "-H", "127.0.0.1", "-p", String.valueOf(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            awaitReady(endpoint, log);
            System.setProperty(LocalStackOptions.TEST_AWS_ENDPOINT_PROPERTY, endpoint.toString());
            System.out.println("Integration tests run against moto_server at " + endpoint + " (pid " + moto.pid()
                    + ", log " + log + ") with KMS envelope encryption");
        } catch (IOException | IllegalStateException e) {
            stop();
            unavailable("moto_server did not start: " + e.getMessage());
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        stop();
    }

    private void awaitReady(URI endpoint, Path log) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!moto.isAlive()) {
                throw new IllegalStateException("it exited with " + moto.exitValue() + ": " + Files.readString(log));
            }
            try {
                // Any HTTP answer means the server listens.
                http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                sleep();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for moto_server");
            }
        }
        throw new IllegalStateException("it did not answer within " + START_TIMEOUT.toSeconds() + " s");
    }

    private void stop() {
        if (moto != null) {
            moto.descendants().forEach(ProcessHandle::destroy);
            moto.destroy();
            moto = null;
        }
    }

    private static void unavailable(String reason) {
        System.out.println("SKIPPED on moto: " + reason + "; every integration test of this run is skipped");
        System.setProperty(TestBackend.UNAVAILABLE_PROPERTY, reason);
        try {
            // For bin/test's summary: a run whose every class was skipped counts no test at all.
            Files.createDirectories(UNAVAILABLE_FILE.getParent());
            Files.writeString(UNAVAILABLE_FILE, reason + System.lineSeparator());
        } catch (IOException e) {
            System.out.println("could not write " + UNAVAILABLE_FILE + ": " + e);
        }
    }

    private static boolean canImportMoto(Path python) {
        try {
            Process probe = new ProcessBuilder(python.toString(), "-c", "import moto.moto_server.werkzeug_app")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<Path> onPath(String name) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(folder.isEmpty() ? "." : folder, name);
            if (!folder.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
