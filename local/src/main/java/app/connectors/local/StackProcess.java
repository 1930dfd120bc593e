package app.connectors.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local stack's {@code start} command in a child JVM of its own, on a data folder that outlives
 * it: a harness can {@link #kill() kill -9} it at any moment and {@link #start start} it again on the
 * same folder, as a crash and a restart would. The child runs from this JVM's class path (the
 * shaded jar, or the test class path), with free ports; its output goes to a log file.
 *
 * <pre>{@code
 * StackProcess stack = StackProcess.start(new StackProcess.Options(Path.of("template.yaml"), data, log)
 *         .allow("127.0.0.1:" + sink.port()).env("RETRY_SCHEDULE_SECONDS", "0,1,1"));
 * stack.sqs().sendMessage(r -> r.queueUrl(stack.queueUrl("EventsQueue")).messageBody(envelope));
 * stack.kill();                                   // SIGKILL: no shutdown hook runs
 * stack = StackProcess.start(options);            // same data folder
 * }</pre>
 */
public final class StackProcess implements AutoCloseable {

    /** How long a start may take before the harness gives up (DynamoDB Local and ElasticMQ on 2 busy cores). */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    /**
     * How to run the child.
     *
     * @param template      the SAM template
     * @param dataFolder    the stack's data folder (tables, queues, key file, stack.json)
     * @param log           the file the child's stdout and stderr are appended to
     * @param allowTargets  {@code host:port} pairs the SSRF guard admits
     * @param environment   NAME=VALUE pairs added to every function's environment
     * @param jvmOptions    extra JVM options for the child (heap, JIT)
     * @param classpath     the child's class path: this JVM's, or the shaded jar
     * @param startOptions  further options of {@code start} ({@code --poller-concurrency 4})
     */
    public record Options(Path template, Path dataFolder, Path log, List<String> allowTargets, List<String> environment,
                          List<String> jvmOptions, String classpath, List<String> startOptions) {

        public Options {
            allowTargets = List.copyOf(allowTargets);
            environment = List.copyOf(environment);
            jvmOptions = List.copyOf(jvmOptions);
            startOptions = List.copyOf(startOptions);
        }

        public Options(Path template, Path dataFolder, Path log) {
            this(template, dataFolder, log, List.of(), List.of(), List.of(), System.getProperty("java.class.path"), List.of());
        }

        public Options startOption(String name, String value) {
            List<String> more = new ArrayList<>(startOptions);
            more.addAll(List.of(name, value));
            return new Options(template, dataFolder, log, allowTargets, environment, jvmOptions, classpath, more);
        }

        public Options allow(String hostAndPort) {
            List<String> targets = new ArrayList<>(allowTargets);
            targets.add(hostAndPort);
            return new Options(template, dataFolder, log, targets, environment, jvmOptions, classpath, startOptions);
        }

        public Options env(String name, String value) {
            List<String> variables = new ArrayList<>(environment);
            variables.add(name + "=" + value);
            return new Options(template, dataFolder, log, allowTargets, variables, jvmOptions, classpath, startOptions);
        }

        public Options jvm(String option) {
            List<String> jvm = new ArrayList<>(jvmOptions);
            jvm.add(option);
            return new Options(template, dataFolder, log, allowTargets, environment, jvm, classpath, startOptions);
        }

        /** Runs the child from this class path (the shaded jar: the local stack as users start it). */
        public Options classpath(String value) {
            return new Options(template, dataFolder, log, allowTargets, environment, jvmOptions, value, startOptions);
        }
    }

    private final Process process;
    private final StackFile stackFile;
    private final SqsClient sqs;
    private final DynamoDbClient dynamoDb;

    private StackProcess(Process process, StackFile stackFile) {
        this.process = process;
        this.stackFile = stackFile;
        this.sqs = LocalClients.sqs(URI.create(stackFile.sqsEndpoint()));
        this.dynamoDb = LocalClients.dynamoDb(URI.create(stackFile.dynamoDbEndpoint()));
    }

    /** Starts the child and returns once it has written its stack.json (everything is up and polling). */
    public static StackProcess start(Options options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options.jvmOptions());
        command.addAll(List.of("-cp", options.classpath(), LocalMain.class.getName(), "start",
                "--template", options.template().toString(), "--data", options.dataFolder().toString(), "--port", "0"));
        options.allowTargets().forEach(target -> command.addAll(List.of("--allow-target", target)));
        options.environment().forEach(variable -> command.addAll(List.of("--env", variable)));
        command.addAll(options.startOptions());
        Process process;
        try {
            Files.createDirectories(options.log().toAbsolutePath().getParent());
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(options.log().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local stack: " + command, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            // A stack.json left by a killed stack names a dead pid; wait for the one this child writes.
            Optional<StackFile> written = StackFile.readRunning(options.dataFolder())
                    .filter(file -> file.pid() == process.pid());
            if (written.isPresent()) {
                return new StackProcess(process, written.get());
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the local stack exited with " + process.exitValue() + " while starting; "
                        + "its log: " + options.log() + "\n" + tail(options.log()));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the local stack did not start within " + START_TIMEOUT.toSeconds()
                        + " s; its log: " + options.log() + "\n" + tail(options.log()));
            }
            sleep(Duration.ofMillis(100));
        }
    }

    public long pid() {
        return process.pid();
    }

    public URI gatewayUrl() {
        return URI.create(stackFile.gatewayUrl());
    }

    public String queueUrl(String logicalId) {
        EmbeddedSqs.QueueAddress queue = stackFile.queues().get(logicalId);
        if (queue == null) {
            throw new IllegalArgumentException("no queue " + logicalId + "; queues: " + stackFile.queues().keySet());
        }
        return queue.url();
    }

    public Map<String, EmbeddedSqs.QueueAddress> queues() {
        return stackFile.queues();
    }

    /** An SQS client on the child's ElasticMQ (closed with this object). */
    public SqsClient sqs() {
        return sqs;
    }

    /** A DynamoDB client on the child's DynamoDB Local (closed with this object). */
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    /**
     * Invokes a function once with an event, as {@code bin/local invoke} does against this running
     * stack (a separate short-lived JVM that uses the stack's DynamoDB and queues), and returns its
     * JSON answer.
     */
    public JsonNode invoke(Options options, String functionLogicalId, String eventJson) {
        try {
            Path event = Files.createTempFile("invoke", ".json");
            try {
                Files.writeString(event, eventJson, StandardCharsets.UTF_8);
                Process invocation = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", options.classpath(), LocalMain.class.getName(), "invoke", functionLogicalId,
                        "--event", event.toString(), "--template", options.template().toString(),
                        "--data", options.dataFolder().toString())
                        .redirectError(ProcessBuilder.Redirect.appendTo(options.log().toFile())).start();
                String output = new String(invocation.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!invocation.waitFor(120, TimeUnit.SECONDS)) {
                    invocation.destroyForcibly();
                    throw new IllegalStateException("invoke " + functionLogicalId + " did not finish within 120 s");
                }
                return LambdaJson.MAPPER.readTree(output);
            } finally {
                Files.deleteIfExists(event);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("invoke " + functionLogicalId + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** SIGKILL, as a crash: no shutdown hook, no flush, no goodbye. Returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
        closeClients();
    }

    /**
     * A clean stop (SIGTERM: the stack's shutdown hook stops everything and removes stack.json; the
     * JVM then writes its class-data archive if asked to). Forced after 3 minutes.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(180, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        awaitExit();
        closeClients();
    }

    private void awaitExit() {
        try {
            process.onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the local stack (pid " + process.pid() + ") did not exit", e);
        }
    }

    private void closeClients() {
        sqs.close();
        dynamoDb.close();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read the log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
