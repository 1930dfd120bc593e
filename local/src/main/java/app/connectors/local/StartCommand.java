package app.connectors.local;

import app.connectors.account.DynamoDbUserStore;
import app.connectors.config.Settings;
import app.connectors.local.fake.FakeProviders;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code bin/local start}: the whole stack in this JVM until Ctrl-C. */
final class StartCommand implements LocalCommand {

    /** System property with extra SSRF-allowed targets, comma-separated host:port (in addition to --allow-target). */
    static final String ALLOW_TARGETS_PROPERTY = "connectors.allowTargets";
    static final String PORT = "--port";
    static final String DYNAMODB_PORT = "--dynamodb-port";
    static final String SQS_PORT = "--sqs-port";
    static final String ALLOW_TARGET = "--allow-target";
    static final String POLLER_CONCURRENCY = "--poller-concurrency";
    static final String FRAME_ANCESTOR = "--frame-ancestor";
    static final String FAKE_PROVIDERS = "--fake-providers";
    static final int DEFAULT_PORT = 3000;

    @Override
    public String name() {
        return "start";
    }

    @Override
    public String synopsis() {
        return "start [options]";
    }

    @Override
    public String description() {
        return "Start everything; the API on http://localhost:3000. Ctrl-C stops it.";
    }

    @Override
    public List<CommandOption> options() {
        return List.of(
                CommandOption.valued(PORT, "<n>", "gateway port (default 3000, 0 = any free port)"),
                CommandOption.valued(DYNAMODB_PORT, "<n>", "DynamoDB Local port (default: a free port)"),
                CommandOption.valued(SQS_PORT, "<n>", "ElasticMQ port (default: a free port)"),
                CommandOption.valued(POLLER_CONCURRENCY, "<n>", "batches of one SQS-triggered function that may run at once"
                        + " (default 1; capped by the event source's MaximumConcurrency, as on Lambda)"),
                CommandOption.valued(ALLOW_TARGET, "host:port", "let deliveries reach this address despite the SSRF guard"
                        + " (repeatable; also -D" + ALLOW_TARGETS_PROPERTY + "=h1:p1,h2:p2)"),
                CommandOption.valued(InvokeCommand.ENV, "NAME=VALUE",
                        "add or replace a variable of every function's environment (repeatable)"),
                CommandOption.valued(FRAME_ANCESTOR, "<origin>", "let this origin frame the App Portal, like the template's"
                        + " PortalFrameAncestors (repeatable; default: only the portal itself)"),
                CommandOption.flag(FAKE_PROVIDERS, "start fake Slack, Discord, HubSpot and Windmill on loopback and point the"
                        + " portal's Connect buttons (and deliveries to those services) at them"));
    }

    @Override
    public List<BannerHint> hints(StackSummary stack) {
        if (stack.gatewayUrl() == null) {
            return List.of();
        }
        return List.of(new BannerHint(20, "List the connector types with that token",
                "curl -s " + stack.gatewayUrl() + "/api/v1/connectors/types -H \"Authorization: Bearer $TOKEN\""));
    }

    @Override
    public int run(CommandLine line, Terminal terminal) {
        Path data = line.data();
        Optional<StackFile> running = StackFile.readRunning(data);
        if (running.isPresent()) {
            throw new UsageException("A stack already runs on " + data + " (pid " + running.get().pid() + ", "
                    + running.get().gatewayUrl() + "). Stop it first, or use another " + LocalMain.DATA + " folder.");
        }
        List<String> allowTargets = new ArrayList<>(line.all(ALLOW_TARGET));
        String fromProperty = System.getProperty(ALLOW_TARGETS_PROPERTY, "");
        Arrays.stream(fromProperty.split(",")).map(String::trim).filter(target -> !target.isEmpty()).forEach(allowTargets::add);

        int port = line.intOption(PORT, DEFAULT_PORT);
        int dynamoDbPort = line.intOption(DYNAMODB_PORT, 0);
        int sqsPort = line.intOption(SQS_PORT, 0);
        Optional<AwsEndpoints> external = line.awsEndpoints(System.getenv());
        // Before anything starts: the emulators take seconds, and a taken port found after them ends in a stack trace.
        requireFree(PORT, port);
        if (external.isEmpty()) {
            requireFree(DYNAMODB_PORT, dynamoDbPort);
            requireFree(SQS_PORT, sqsPort);
        }
        LocalStackOptions options = LocalStackOptions.defaults()
                .withTemplate(line.template())
                .withDataFolder(data)
                .withPorts(port, dynamoDbPort, sqsPort)
                .withAwsEndpoints(external.orElse(null), "")
                .withPollerConcurrency(line.intOption(POLLER_CONCURRENCY, 1));
        for (String target : allowTargets) {
            options = options.withAllowedTarget(target);
        }
        if (line.has(FRAME_ANCESTOR)) {
            options = options.withEnvironment(LocalEnvironment.PORTAL_FRAME_ANCESTORS, String.join(" ", line.all(FRAME_ANCESTOR)));
        }
        for (var variable : InvokeCommand.environmentOptions(line).entrySet()) {
            options = options.withEnvironment(variable.getKey(), variable.getValue());
        }
        FakeProviders fakes = line.flag(FAKE_PROVIDERS) ? FakeProviders.start(Clock.systemUTC()) : null;
        if (fakes != null) {
            options = fakes.configure(options);
            allowTargets.addAll(fakes.allowedTargets());
        }
        LocalStack stack;
        try {
            stack = LocalStack.start(options);
        } catch (RuntimeException e) {
            if (fakes != null) {
                fakes.close();
            }
            throw e;
        }
        LocalAdmin admin = LocalAdmin.start(stack);
        URI gatewayUrl = stack.template().routes().isEmpty() ? null : stack.gatewayUrl();
        if (fakes != null && gatewayUrl != null) {
            fakes.registerPortal(gatewayUrl + "/portal");
        }
        StackFile.of(stack, line.template(), gatewayUrl).withAdmin(admin).write(data);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("Stopping the local stack...");
            try {
                admin.close();
                stack.close();
                if (fakes != null) {
                    fakes.close();
                }
            } finally {
                StackFile.delete(data);
                stopped.countDown();
            }
        }, "local-stack-shutdown"));
        StackSummary summary = new StackSummary(line.commonArguments(), gatewayUrl, stack.queues().keySet(),
                existingUsers(stack));
        printBanner(terminal.out(), line, stack, summary, allowTargets, fakes);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return KEEP_RUNNING;
    }

    /** Fails with one line when something already listens on the port (0: any free port, nothing to check). */
    static void requireFree(String option, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("localhost", port));
        } catch (IOException e) {
            throw new CommandFailedException("port " + port + " is in use (another " + LocalMain.PROGRAM
                    + " or another program listens on it). Stop that, or choose another port: " + option + " <n>.");
        }
    }

    /** A few user ids already stored (kept from an earlier run), so the banner does not offer to create one. */
    static List<String> existingUsers(LocalStack stack) {
        return stack.template().functions().keySet().stream()
                .map(stack::environmentOf)
                .map(environment -> environment.get(Settings.USERS_TABLE))
                .filter(Objects::nonNull)
                .findFirst()
                .map(table -> stack.dynamoDb().scan(scan -> scan.tableName(table).limit(5)
                                .projectionExpression(DynamoDbUserStore.USER_ID)).items().stream()
                        .map(item -> item.get(DynamoDbUserStore.USER_ID))
                        .filter(Objects::nonNull)
                        .map(AttributeValue::s)
                        .toList())
                .orElse(List.of());
    }

    /** Every registered command's suggestions for this stack, in banner order. */
    static List<BannerHint> hintsFor(StackSummary summary) {
        return LocalMain.COMMANDS.stream().flatMap(command -> command.hints(summary).stream())
                .sorted(Comparator.comparingInt(BannerHint::order)).toList();
    }

    private static void printBanner(PrintStream out, CommandLine line, LocalStack stack, StackSummary summary,
            List<String> allowTargets, FakeProviders fakes) {
        out.println();
        out.println("Connectors local stack is running.");
        out.println("  API       " + (summary.gatewayUrl() == null ? "(the template has no Api routes)"
                : summary.gatewayUrl() + "/api/v1"));
        if (stack.kmsEndpoint().isPresent()) {
            out.println("  DynamoDB  " + stack.dynamoDbEndpoint() + "  tables " + stack.template().tables().keySet() + " (external)");
            out.println("  SQS       " + stack.sqsEndpoint() + "  queues " + stack.queues().keySet() + " (external)");
            out.println("  KMS       " + stack.kmsEndpoint().get() + "  keys " + stack.keyIds() + " (secrets encrypted through KMS)");
        } else {
            out.println("  DynamoDB  " + stack.dynamoDbEndpoint() + "  tables " + stack.template().tables().keySet()
                    + " in " + line.data().resolve("dynamodb"));
            out.println("  SQS       " + stack.sqsEndpoint() + "  queues " + stack.queues().keySet() + " in "
                    + LocalStack.messageStore(line.data()));
        }
        out.println("  Data      " + line.data().toAbsolutePath().normalize()
                + (allowTargets.isEmpty() ? "" : "   SSRF-allowed targets " + allowTargets));
        if (fakes != null) {
            out.println("  Fakes     " + fakes.all().stream().map(f -> f.name() + " " + f.origin())
                    .collect(java.util.stream.Collectors.joining(", "))
                    + "  (Connect buttons and deliveries to these services go to the fakes)");
        }
        if (!summary.existingUsers().isEmpty()) {
            out.println("  Users     " + String.join(", ", summary.existingUsers())
                    + " (kept from an earlier run; their API tokens still work)");
        }
        List<BannerHint> hints = hintsFor(summary);
        if (!hints.isEmpty()) {
            out.println();
            out.println("Next, in another terminal:");
            int step = 1;
            for (BannerHint hint : hints) {
                out.println("  " + step++ + ". " + hint.text() + ":");
                out.println("       " + hint.command());
            }
        }
        out.println();
        out.println("Ctrl-C stops the stack (tables and queued messages stay in " + line.data() + ").");
        out.flush();
    }
}
