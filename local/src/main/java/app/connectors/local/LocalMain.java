package app.connectors.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The command line of the local stack (the shaded jar's main class).
 *
 * <pre>
 * java -jar local/target/connectors-local.jar start
 * java -jar local/target/connectors-local.jar invoke AccountsFunction --event events/accounts-create-user.json
 * java -jar local/target/connectors-local.jar publish events/promise-status-changed.json
 * </pre>
 *
 * <p>stdout carries only results (invoke's JSON, publish's message id, start's banner); every log
 * line goes to stderr, so {@code invoke ... | jq} works.
 */
public final class LocalMain {

    static final String DEFAULT_QUEUE = "EventsQueue";
    /** System property with extra SSRF-allowed targets, comma-separated host:port (in addition to --allow-target). */
    static final String ALLOW_TARGETS_PROPERTY = "connectors.allowTargets";

    private static final String HELP = """
            Connectors local stack: DynamoDB Local, ElasticMQ, an API Gateway emulation and SQS pollers in one JVM,
            all read from template.yaml.

            Usage:
              java -jar local/target/connectors-local.jar start [options]
                  Start everything; the API on http://localhost:3000. Ctrl-C stops it.
                  --port <n>               gateway port (default 3000, 0 = any free port)
                  --dynamodb-port <n>      DynamoDB Local port (default: a free port)
                  --sqs-port <n>           ElasticMQ port (default: a free port)
                  --allow-target host:port let deliveries reach this address despite the SSRF guard (repeatable;
                                           also -Dconnectors.allowTargets=h1:p1,h2:p2)

              java -jar local/target/connectors-local.jar invoke <FunctionLogicalId> --event <file.json> [--env NAME=VALUE]...
                  Invoke one function once, like `sam local invoke`; prints its JSON result on stdout.
                  Uses the running stack's DynamoDB and SQS when `start` runs on the same --data folder,
                  else opens the data folder's DynamoDB itself (and a throw-away ElasticMQ).

              java -jar local/target/connectors-local.jar publish <event-envelope.json> [--queue EventsQueue]
                  Send the file as one message to the running stack's queue; prints the message id.

            Common options:
              --template <file>   the SAM template (default ./template.yaml)
              --data <folder>     local data: DynamoDB files, secrets.key, stack.json (default ./.local)
              --help              this text

            Exit code: 0 on success, 1 when the command or the invoked function fails, 2 on a usage error.
            """;

    private LocalMain() {
    }

    public static void main(String[] args) {
        // Libraries (DynamoDB Local's banner among them) print to stdout; keep stdout for results.
        PrintStream results = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        int code = run(args, results, System.err);
        if (code >= 0) {
            results.flush();
            System.exit(code);
        }
    }

    /**
     * Runs a command.
     *
     * @return the exit code, or -1 when the command keeps running (start) and the JVM must stay up
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println("Run with --help for usage.");
            return 2;
        }
        if (arguments.help() || arguments.positional().isEmpty()) {
            out.print(HELP);
            return arguments.help() ? 0 : 2;
        }
        String command = arguments.positional().getFirst();
        try {
            return switch (command) {
                case "start" -> start(arguments, out);
                case "invoke" -> invoke(arguments, out, err);
                case "publish" -> publish(arguments, out);
                default -> {
                    err.println("Unknown command: " + command + ". Run with --help for usage.");
                    yield 2;
                }
            };
        } catch (UsageException e) {
            err.println(e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println(command + " failed: " + e.getMessage());
            e.printStackTrace(err);
            return 1;
        }
    }

    // ------------------------------------------------------------------------------------ start

    private static int start(Arguments arguments, PrintStream out) {
        Path data = arguments.data();
        Optional<StackFile> running = StackFile.readRunning(data);
        if (running.isPresent()) {
            throw new UsageException("A stack already runs on " + data + " (pid " + running.get().pid() + ", "
                    + running.get().gatewayUrl() + "). Stop it first, or use another --data folder.");
        }
        List<String> allowTargets = new ArrayList<>(arguments.all("--allow-target"));
        String fromProperty = System.getProperty(ALLOW_TARGETS_PROPERTY, "");
        Arrays.stream(fromProperty.split(",")).map(String::trim).filter(target -> !target.isEmpty()).forEach(allowTargets::add);

        LocalStackOptions options = LocalStackOptions.defaults()
                .withTemplate(arguments.template())
                .withDataFolder(data)
                .withPorts(arguments.intOption("--port", 3000), arguments.intOption("--dynamodb-port", 0),
                        arguments.intOption("--sqs-port", 0));
        for (String target : allowTargets) {
            options = options.withAllowedTarget(target);
        }
        LocalStack stack = LocalStack.start(options);
        URI gatewayUrl = stack.template().routes().isEmpty() ? null : stack.gatewayUrl();
        StackFile.of(stack, arguments.template(), gatewayUrl).write(data);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("Stopping the local stack...");
            try {
                stack.close();
            } finally {
                StackFile.delete(data);
                stopped.countDown();
            }
        }, "local-stack-shutdown"));
        printBanner(out, arguments, stack, gatewayUrl, allowTargets);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    private static void printBanner(PrintStream out, Arguments arguments, LocalStack stack, URI gatewayUrl,
            List<String> allowTargets) {
        String jar = "java -jar " + jarPath();
        String common = (arguments.has("--template") ? " --template " + arguments.template() : "")
                + (arguments.has("--data") ? " --data " + arguments.data() : "");
        out.println();
        out.println("Connectors local stack is running.");
        out.println("  API       " + (gatewayUrl == null ? "(the template has no Api routes)" : gatewayUrl + "/api/v1"));
        out.println("  DynamoDB  " + stack.dynamoDbEndpoint() + "  tables " + stack.template().tables().keySet()
                + " in " + arguments.data().resolve("dynamodb"));
        out.println("  SQS       " + stack.sqsEndpoint() + "  queues " + stack.queues().keySet() + " (in memory)");
        out.println("  Data      " + arguments.data().toAbsolutePath().normalize()
                + (allowTargets.isEmpty() ? "" : "   SSRF-allowed targets " + allowTargets));
        out.println();
        out.println("Next, in another terminal:");
        out.println("  1. Create a user and its first API token (the token is in the output):");
        out.println("       " + jar + " invoke AccountsFunction --event events/accounts-create-user.json" + common);
        if (gatewayUrl != null) {
            out.println("  2. List the connector types with that token:");
            out.println("       curl -s " + gatewayUrl + "/api/v1/connectors/types -H \"Authorization: Bearer <token>\"");
        }
        if (stack.queues().containsKey(DEFAULT_QUEUE)) {
            out.println("  3. Publish a platform event to " + DEFAULT_QUEUE + ":");
            out.println("       " + jar + " publish <event-envelope.json>" + common);
        }
        out.println();
        out.println("Ctrl-C stops the stack (DynamoDB data stays in " + arguments.data().resolve("dynamodb") + ").");
        out.flush();
    }

    /** The jar this runs from, relative to the working directory when possible (for copy-paste commands). */
    private static String jarPath() {
        try {
            Path location = Path.of(LocalMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (location.toString().endsWith(".jar")) {
                Path cwd = Path.of("").toAbsolutePath();
                return location.startsWith(cwd) ? cwd.relativize(location).toString() : location.toString();
            }
        } catch (Exception e) {
            // Not from a jar (an IDE or a test): fall through to the documented path.
        }
        return "local/target/connectors-local.jar";
    }

    // ------------------------------------------------------------------------------------ invoke

    private static int invoke(Arguments arguments, PrintStream out, PrintStream err) {
        if (arguments.positional().size() < 2 || arguments.option("--event").isEmpty()) {
            throw new UsageException("Usage: invoke <FunctionLogicalId> --event <file.json>");
        }
        String functionId = arguments.positional().get(1);
        Path eventFile = Path.of(arguments.option("--event").get());
        String event;
        try {
            event = Files.readString(eventFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("Cannot read the event file " + eventFile + ": " + e.getMessage());
        }
        TemplateModel template = TemplateModel.load(arguments.template());
        TemplateModel.Function definition = template.function(functionId).orElseThrow(() -> new UsageException(
                "No function " + functionId + " in " + arguments.template() + "; functions: " + template.functions().keySet()));
        Map<String, String> extra = new LinkedHashMap<>();
        for (String pair : arguments.all("--env")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("--env takes NAME=VALUE, got: " + pair);
            }
            extra.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        Path data = arguments.data();
        Path keyFile = data.toAbsolutePath().resolve(LocalEnvironment.KEY_FILE_NAME);
        Optional<StackFile> running = StackFile.readRunning(data);
        List<AutoCloseable> toClose = new ArrayList<>();
        try {
            Map<String, String> environment;
            if (running.isPresent()) {
                // Never open the sqlite files a running stack holds: use its DynamoDB and queues.
                StackFile stack = running.get();
                err.println("Using the stack running on " + data + " (pid " + stack.pid() + ")");
                environment = FunctionEnvironment.of(definition, new LocalResourceResolver(template, stack.queues()),
                        URI.create(stack.dynamoDbEndpoint()), URI.create(stack.sqsEndpoint()), keyFile, List.of(), extra);
            } else {
                EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(data, 0);
                toClose.addFirst(dynamoDb);
                dynamoDb.createTables(template.tables().values());
                EmbeddedSqs sqs = EmbeddedSqs.start(0);
                toClose.addFirst(sqs);
                if (!template.queues().isEmpty()) {
                    err.println("No stack runs on " + data + ": messages this invocation sends to SQS are discarded"
                            + " when it ends (run `start` first to keep them).");
                }
                environment = FunctionEnvironment.of(definition,
                        new LocalResourceResolver(template, sqs.createQueues(template.queues().values())),
                        dynamoDb.endpoint(), sqs.endpoint(), keyFile, List.of(), extra);
            }
            LocalFunction function = LocalFunction.create(definition, environment);
            Object result;
            try {
                result = function.invokeJson(event);
            } catch (LocalFunction.EventMismatchException e) {
                throw new UsageException(e.getMessage());
            } catch (RuntimeException | Error e) {
                // Lambda's error shape, so scripts can read it like `sam local invoke` output.
                ObjectNode error = LambdaJson.MAPPER.createObjectNode()
                        .put("errorMessage", String.valueOf(e.getMessage()))
                        .put("errorType", e.getClass().getName());
                out.println(error);
                e.printStackTrace(err);
                return 1;
            }
            out.println(result instanceof String text ? LambdaJson.MAPPER.valueToTree(text).toString()
                    : LambdaJson.MAPPER.valueToTree(result).toString());
            return 0;
        } finally {
            for (AutoCloseable closeable : toClose) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    err.println("Stopping a local service failed: " + e);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------ publish

    private static int publish(Arguments arguments, PrintStream out) {
        if (arguments.positional().size() < 2) {
            throw new UsageException("Usage: publish <event-envelope.json> [--queue " + DEFAULT_QUEUE + "]");
        }
        Path file = Path.of(arguments.positional().get(1));
        String body;
        try {
            body = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("Cannot read " + file + ": " + e.getMessage());
        }
        StackFile stack = StackFile.readRunning(arguments.data()).orElseThrow(() -> new UsageException(
                "No stack runs on " + arguments.data() + ": run `start` first (publish sends to its queues)."));
        String queueId = arguments.option("--queue").orElse(DEFAULT_QUEUE);
        EmbeddedSqs.QueueAddress queue = stack.queues().get(queueId);
        if (queue == null) {
            throw new UsageException("The running stack has no queue " + queueId + "; queues: " + stack.queues().keySet());
        }
        try (SqsClient sqs = LocalClients.sqs(URI.create(stack.sqsEndpoint()))) {
            String messageId = sqs.sendMessage(request -> request.queueUrl(queue.url()).messageBody(body)).messageId();
            out.println(messageId);
        }
        return 0;
    }

    // ------------------------------------------------------------------------------------ arguments

    /** A usage mistake: printed without a stack trace, exit code 2. */
    private static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Positional words and {@code --name value} options (repeatable ones keep every value). */
    private record Arguments(List<String> positional, Map<String, List<String>> options, boolean help) {

        private static final List<String> VALUED = List.of("--template", "--data", "--port", "--dynamodb-port",
                "--sqs-port", "--allow-target", "--event", "--env", "--queue");

        static Arguments parse(String[] args) {
            List<String> positional = new ArrayList<>();
            Map<String, List<String>> options = new LinkedHashMap<>();
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h") || arg.equals("help")) {
                    help = true;
                } else if (arg.startsWith("--")) {
                    String name = arg;
                    String value;
                    int equals = arg.indexOf('=');
                    if (equals > 0) {
                        name = arg.substring(0, equals);
                        value = arg.substring(equals + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    if (!VALUED.contains(name)) {
                        throw new IllegalArgumentException("Unknown option " + name);
                    }
                    options.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
                } else {
                    positional.add(arg);
                }
            }
            return new Arguments(List.copyOf(positional), options, help);
        }

        boolean has(String name) {
            return options.containsKey(name);
        }

        Optional<String> option(String name) {
            List<String> values = options.get(name);
            return values == null ? Optional.empty() : Optional.of(values.getLast());
        }

        List<String> all(String name) {
            return options.getOrDefault(name, List.of());
        }

        int intOption(String name, int fallback) {
            Optional<String> value = option(name);
            try {
                return value.map(Integer::parseInt).orElse(fallback);
            } catch (NumberFormatException e) {
                throw new UsageException(name + " takes a number, got: " + value.get());
            }
        }

        Path template() {
            return Path.of(option("--template").orElse("template.yaml"));
        }

        Path data() {
            return Path.of(option("--data").orElse(".local"));
        }
    }
}
