package app.connectors.local.bench;

import app.connectors.config.Settings;
import app.connectors.delivery.DynamoDbFanOutLeases;
import app.connectors.delivery.FanOut;
import app.connectors.delivery.FanOutLeases;
import java.time.Instant;

import app.connectors.event.EventCatalog;
import app.connectors.json.Json;
import app.connectors.local.LambdaJson;
import app.connectors.local.LocalContext;
import app.connectors.local.LocalFunction;
import app.connectors.local.LocalStack;
import app.connectors.local.LocalStackOptions;
import app.connectors.local.SqsPoller;
import app.connectors.local.TemplateModel;
import app.connectors.trace.TraceHeader;
import app.connectors.trace.XRayDaemon;
import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Cold start per function: for every function of the template, a fresh JVM (C1 only,
 * {@code -XX:TieredStopAtLevel=1}, as Lambda runs Java) builds the handler and answers one
 * realistic event, and the time from launching the JVM to its first response is set against the
 * same for a hello-world handler. Runs are interleaved (each round launches every function once)
 * so a burst of load elsewhere on the machine hits them alike; the medians and their ratio to the
 * hello-world median are the figures.
 *
 * <pre>
 * mvn -B -DskipTests package
 * java -cp local/target/connectors-local.jar app.connectors.local.bench.ColdStartHarness --runs 7
 * java -cp local/target/connectors-local.jar app.connectors.local.bench.ColdStartHarness --runs 7 --tracing on
 * java -cp local/target/connectors-local.jar app.connectors.local.bench.ColdStartHarness --runs 7 --appcds on
 * </pre>
 *
 * <p>What each child gets: the function's environment as the local stack wires it (this process
 * runs DynamoDB Local and ElasticMQ in memory for them, with a user, a generic connector pointing at
 * a local sink, and a token), the deployed artifact ({@code functions/target/connectors-functions-lambda.jar})
 * as its class path, and one event: for API functions the exact event the local API Gateway built
 * for a representative request (recorded here first), for SQS functions a batch of one message
 * received from the real queue (a fresh event each run, so the deliverer delivers instead of
 * finding a duplicate), for the rest a fixed input. A run whose answer is not a success stops the
 * harness: a handler that fails fast would look like a fast cold start. With {@code --tracing on}
 * each function also runs "(traced)", as Lambda runs it with active tracing: a sampled trace header
 * and {@code AWS_XRAY_DAEMON_ADDRESS} naming a UDP socket of this process that counts what arrives.
 */
public final class ColdStartHarness {

    private static final String USER_ID = "coldstart-user";
    /**
     * The request each API function answers in its runs (its first response on a fresh JVM), sent
     * through the local gateway once so that the event the function receives can be recorded.
     * {@code {uuid}} stands for the connector the harness creates.
     */
    private record ApiCall(String functionId, String method, String path, String body) {
    }

    private static final List<ApiCall> API_CALLS = List.of(
            new ApiCall("ConnectorsFunction", "GET", "/api/v1/connectors", null),
            new ApiCall("CatalogFunction", "GET", "/api/v1/connectors/types", null),
            new ApiCall("TokensFunction", "GET", "/api/v1/tokens", null),
            new ApiCall("DeliveriesFunction", "GET", "/api/v1/connectors/{uuid}/deliveries", null),
            new ApiCall("TransformationsFunction", "POST", "/api/v1/transformations/test",
                    "{\"code\":\"function handler(w){ w.payload = {text: 'hi ' + w.payload.amount}; return w }\","
                            + "\"eventType\":\"invoice.created\",\"payload\":{\"amount\":99}}"),
            new ApiCall("TemplatesFunction", "GET", "/api/v1/connector-templates", null),
            new ApiCall("PortalFunction", "POST", "/api/v1/portal-links", null));
    private static final String HELLO = "HelloWorld";
    /**
     * The requests a function's run must make to the local sink: the dispatcher makes an event's first
     * attempt, the deliverer a queued job's. A run that makes fewer did not deliver (no job, or no time
     * left to start an attempt) and would look like a fast cold start; every other function makes none.
     */
    static final Map<String, Integer> DELIVERIES = Map.of("DispatcherFunction", 1, "DeliverFunction", 1);
    /** Globals' Timeout and MemorySize in template.yaml, which a function without its own gets (the hello world too). */
    private static final int GLOBAL_TIMEOUT_SECONDS = 15;
    private static final int GLOBAL_MEMORY_MB = 1024;
    private static final String TRACED = " (traced)";
    /** The stand-in X-Ray daemon's address while traced runs are measured. */
    private String tracingDaemon;
    /** The destination of the harness's connector: counts what the runs deliver. */
    private PipelineBenchmark.Sink sink;

    private final Options options;
    private final PrintStream out;

    private ColdStartHarness(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * @param tracing also run each function as Lambda runs it with active tracing, in a sampled invocation
     * @param appCds  what an application class-data sharing archive would give (not how Lambda runs the
     *                functions): the artifact as a jar on the class path, and each function's runs mapping an
     *                archive that one unmeasured run of that function dumped at its exit; the hello world
     *                runs without one
     */
    record Options(int runs, Path template, Path functionsJar, List<String> only, List<String> jvmOptions, boolean tracing,
                   boolean appCds) {

        static Options parse(String[] args) {
            int runs = 7;
            Path template = Path.of("template.yaml");
            Path jar = Path.of("functions/target/connectors-functions-lambda.jar");
            List<String> only = List.of();
            List<String> jvm = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
            boolean tracing = false;
            boolean appCds = false;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--runs" -> runs = Integer.parseInt(value);
                    case "--template" -> template = Path.of(value);
                    case "--functions-jar" -> jar = Path.of(value);
                    case "--only" -> only = Arrays.asList(value.split(","));
                    case "--jvm-option" -> jvm.add(value);
                    case "--tracing" -> tracing = switch (value) {
                        case "on" -> true;
                        case "off" -> false;
                        default -> throw new IllegalArgumentException("--tracing takes on or off");
                    };
                    case "--appcds" -> appCds = switch (value) {
                        case "on" -> true;
                        case "off" -> false;
                        default -> throw new IllegalArgumentException("--appcds takes on or off");
                    };
                    default -> throw new IllegalArgumentException("unknown option " + name + "; options: --runs N "
                            + "--template FILE --functions-jar JAR --only F1,F2 --jvm-option OPTION --tracing on|off --appcds on|off");
                }
            }
            if (runs < 1) {
                throw new IllegalArgumentException("--runs must be at least 1");
            }
            if (appCds && tracing) {
                throw new IllegalArgumentException("--appcds on measures untraced runs only");
            }
            return new Options(runs, template, jar, only, jvm, tracing, appCds);
        }
    }

    public static void main(String[] args) throws Exception {
        HarnessMain.run(args, Options::parse, (options, out) -> new ColdStartHarness(options, out).run());
    }

    private int run() throws Exception {
        if (!Files.isRegularFile(options.functionsJar())) {
            out.println("no " + options.functionsJar() + ": build it first (mvn -B -DskipTests package)");
            return 2;
        }
        Path work = Files.createTempDirectory("coldstart");
        try {
            return run(work);
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private int run(Path work) throws Exception {
        Path runnerClasses = copyRunnerClasses(work.resolve("runner"));
        // Lambda runs the artifact unpacked in /var/task (sam build unpacks the jar, see the Makefile).
        Path artifact = unpack(options.functionsJar(), work.resolve("task"));
        // Class data sharing archives classes from jar files only, not from folders.
        String classpath = options.appCds()
                ? options.functionsJar().toAbsolutePath() + java.io.File.pathSeparator + jar(runnerClasses, work.resolve("runner.jar"))
                : artifact + java.io.File.pathSeparator + runnerClasses;
        Map<String, String> recorded = new ConcurrentHashMap<>();
        TemplateModel template = TemplateModel.load(options.template());
        try (PipelineBenchmark.Sink sink = PipelineBenchmark.Sink.start()) {
            this.sink = sink;
            LocalStackOptions stackOptions = LocalStackOptions.forTests(options.template())
                    .withPollers(false)
                    .withAllowedTarget("127.0.0.1:" + sink.port());
            for (String id : recordedFunctions(template)) {
                TemplateModel.Function definition = template.function(id).orElseThrow();
                stackOptions = stackOptions.withHandler(id, env -> new Recorder(LocalFunction.create(definition, env), recorded, id));
            }
            try (LocalStack stack = LocalStack.start(stackOptions)) {
                Map<String, Supplier<String>> events = prepare(stack, sink, recorded);
                List<Target> targets = new ArrayList<>();
                targets.add(new Target(HELLO, ColdStartHello.class.getName(), Map.of(), () -> "{}", GLOBAL_TIMEOUT_SECONDS,
                        GLOBAL_MEMORY_MB));
                for (TemplateModel.Function function : template.functions().values()) {
                    String id = function.logicalId();
                    if (!options.only().isEmpty() && !options.only().contains(id)) {
                        continue;
                    }
                    if (!events.containsKey(id)) {
                        out.println("not measured (no event prepared for it): " + id);
                        continue;
                    }
                    targets.add(new Target(id, function.handlerClass(), stack.environmentOf(id), events.get(id),
                            function.timeoutSeconds(), function.memorySizeMb()));
                    if (options.tracing()) {
                        targets.add(new Target(id + TRACED, function.handlerClass(), traced(stack.environmentOf(id)), events.get(id),
                                function.timeoutSeconds(), function.memorySizeMb()));
                    }
                }
                if (!options.tracing()) {
                    return measure(targets, classpath, work);
                }
                try (DaemonSink daemon = DaemonSink.start()) {
                    tracingDaemon = daemon.address();
                    int result = measure(targets, classpath, work);
                    // Evidence that the traced runs did trace: what their subsegments add must not be an absence of them.
                    out.printf("tracing: the traced runs sent %d subsegments to the daemon stand-in: %s%n", daemon.received(),
                            daemon.byName());
                    return daemon.received() > 0 ? result : 1;
                }
            }
        }
    }

    /** The functions the API gateway invokes: their events are recorded as the gateway builds them. */
    private static List<String> recordedFunctions(TemplateModel template) {
        List<String> ids = new ArrayList<>(API_CALLS.stream().map(ApiCall::functionId).toList());
        template.api().ifPresent(api -> api.authorizers().values().forEach(authorizer -> ids.add(authorizer.functionLogicalId())));
        return ids.stream().filter(id -> template.function(id).isPresent()).distinct().toList();
    }

    /** Sets up a user, a token and a generic connector, records the API events, and says how to make each function's event. */
    private Map<String, Supplier<String>> prepare(LocalStack stack, PipelineBenchmark.Sink sink, Map<String, String> recorded)
            throws IOException, InterruptedException {
        JsonNode account = Json.MAPPER.valueToTree(stack.function("AccountsFunction")
                .invokeJson("{\"userId\":\"" + USER_ID + "\",\"tier\":\"enterprise\"}"));
        String token = account.path("token").asText();
        if (token.isEmpty()) {
            throw new IllegalStateException("AccountsFunction did not create the user: " + account);
        }
        ObjectNode connector = Json.object().put("type", "generic").put("name", "cold start sink");
        connector.putObject("config").put("url", "http://127.0.0.1:" + sink.port() + "/hook").put("method", "POST");
        connector.putArray("events").add(EventCatalog.WILDCARD);
        String connectorId = api(stack, token, "POST", "/api/v1/connectors", Json.write(connector)).path("uuid").asText();

        // The last request each function answers is the one its runs replay.
        for (ApiCall call : API_CALLS) {
            if (stack.template().function(call.functionId()).isPresent()) {
                api(stack, token, call.method(), call.path().replace("{uuid}", connectorId), call.body());
            }
        }

        Map<String, Supplier<String>> events = new LinkedHashMap<>();
        recorded.forEach((id, json) -> events.put(id, () -> json));
        events.put("AccountsFunction", () -> "{\"userId\":\"coldstart-" + UUID.randomUUID() + "\",\"tier\":\"pro\"}");
        events.put("TemplatesAdminFunction", () -> "{\"action\":\"list\"}");
        events.put("RedriveFunction", () -> "{}");
        events.put("DispatcherFunction", () -> eventsQueueBatch(stack));
        events.put("DeliverFunction", () -> deliveriesQueueBatch(stack));
        return events;
    }

    /** A batch of one fresh event envelope, received from EventsQueue. */
    private static String eventsQueueBatch(LocalStack stack) {
        return receivedBatch(stack, "EventsQueue", () -> publishFreshEvent(stack));
    }

    /**
     * A batch of one fresh delivery job, queued by the product's own dispatcher (in this process). The
     * dispatcher makes first attempts itself, so a fresh event queues no job; an event whose fan-out
     * lease a dispatcher took and then died with (its lease ran out) has each of its deliveries
     * queued as a job instead, due at once and not yet attempted: the deliverer then claims it, sends
     * it to the sink and settles it. The dead dispatcher's lease is taken here with the product's own
     * lease store, ended a minute ago.
     */
    private static String deliveriesQueueBatch(LocalStack stack) {
        return receivedBatch(stack, "DeliveriesQueue", () -> {
            String eventId = publishFreshEvent(stack);
            Instant now = Instant.now();
            var leases = new DynamoDbFanOutLeases(stack.dynamoDb(),
                    Settings.from(stack.environmentOf("DispatcherFunction")).deliveriesTable());
            if (!(leases.take(eventId, FanOut.Position.START, "a-dispatcher-that-died", now.minusSeconds(120), now.minusSeconds(60))
                    instanceof FanOutLeases.Taking.Fresh)) {
                throw new IllegalStateException("the fresh event " + eventId + " already had a fan-out lease");
            }
            String batch = receivedBatch(stack, "EventsQueue", () -> { });
            Object result = stack.function("DispatcherFunction").invokeJson(batch);
            if (Json.MAPPER.valueToTree(result).path("batchItemFailures").size() > 0) {
                throw new IllegalStateException("the dispatcher failed to queue the event's deliveries: " + result);
            }
        });
    }

    /** Publishes a fresh event and returns its id. */
    private static String publishFreshEvent(LocalStack stack) {
        ObjectNode envelope = EventCatalog.standard().find("promise.status_changed").orElseThrow().example().deepCopy();
        String eventId = "evt_coldstart_" + UUID.randomUUID().toString().replace("-", "");
        envelope.put("id", eventId);
        envelope.put("userId", USER_ID);
        stack.sqs().sendMessage(r -> r.queueUrl(stack.queueUrl("EventsQueue")).messageBody(Json.write(envelope)));
        return eventId;
    }

    /**
     * Produces one message on the queue, receives it and returns the SQS event Lambda would pass. The
     * message is then deleted, as Lambda deletes it after a success: a run longer than its visibility
     * must not find it again in place of a fresh one.
     */
    private static String receivedBatch(LocalStack stack, String queue, Runnable produce) {
        produce.run();
        Message message = receiveOne(stack, queue, 600);
        try {
            return LambdaJson.MAPPER.writeValueAsString(SqsPoller.eventOf(List.of(message), stack.queue(queue)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            stack.sqs().deleteMessage(r -> r.queueUrl(stack.queueUrl(queue)).receiptHandle(message.receiptHandle()));
        }
    }

    /** Receives one message, hidden for {@code visibilitySeconds}. */
    private static Message receiveOne(LocalStack stack, String queue, int visibilitySeconds) {
        for (int attempt = 0; attempt < 20; attempt++) {
            List<Message> messages = stack.sqs().receiveMessage(r -> r.queueUrl(stack.queueUrl(queue)).maxNumberOfMessages(1)
                    .visibilityTimeout(visibilitySeconds).waitTimeSeconds(1).attributeNamesWithStrings("All")
                    .messageAttributeNames("All")).messages();
            if (!messages.isEmpty()) {
                return messages.get(0);
            }
        }
        throw new IllegalStateException("no message arrived on " + queue);
    }

    private static JsonNode api(LocalStack stack, String token, String method, String path, String body)
            throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(stack.gatewayUrl().resolve(path))
                    .header("Authorization", "Bearer " + token)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2 && response.statusCode() / 100 != 3) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            boolean json = response.headers().firstValue("Content-Type").orElse("").contains("json");
            return json && !response.body().isEmpty() ? Json.MAPPER.readTree(response.body()) : Json.object();
        }
    }

    // ------------------------------------------------------------------ measuring

    /** @param timeoutSeconds the function's Timeout: the remaining time its Context reports, as Lambda's does at the start */
    private record Target(String id, String handlerClass, Map<String, String> environment, Supplier<String> event,
                          int timeoutSeconds, int memoryMb) {

        /** The requests its run must make to the sink (a trailing " (traced)" aside). */
        int deliveries() {
            return DELIVERIES.getOrDefault(id.replace(TRACED, ""), 0);
        }
    }

    /**
     * What Lambda adds with active tracing: the daemon's address, and the invocation's sampled trace
     * header (a fresh one per run; the daemon's address is filled in at launch).
     */
    private static Map<String, String> traced(Map<String, String> environment) {
        Map<String, String> traced = new LinkedHashMap<>(environment);
        traced.put(XRayDaemon.ADDRESS_VARIABLE, "");
        return traced;
    }

    /** A UDP socket on 127.0.0.1 standing in for the X-Ray daemon: counts the subsegments it receives, by name. */
    private static final class DaemonSink implements AutoCloseable {
        private final java.net.DatagramSocket socket;
        private final Map<String, Integer> byName = new java.util.TreeMap<>();

        private DaemonSink(java.net.DatagramSocket socket) {
            this.socket = socket;
            Thread.ofPlatform().daemon().name("xray-daemon-sink").start(() -> {
                byte[] buffer = new byte[65_536];
                while (!socket.isClosed()) {
                    try {
                        java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
                        socket.receive(packet);
                        String datagram = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                        JsonNode document = Json.MAPPER.readTree(datagram.substring(datagram.indexOf('\n') + 1));
                        String name = document.path("name").asText() + " " + document.at("/aws/operation").asText();
                        synchronized (byName) {
                            byName.merge(name.strip(), 1, Integer::sum);
                        }
                    } catch (IOException | RuntimeException e) {
                        if (socket.isClosed()) {
                            return;
                        }
                    }
                }
            });
        }

        int received() {
            synchronized (byName) {
                return byName.values().stream().mapToInt(Integer::intValue).sum();
            }
        }

        String byName() {
            synchronized (byName) {
                return byName.toString();
            }
        }

        static DaemonSink start() throws IOException {
            return new DaemonSink(new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()));
        }

        String address() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private record Run(double launchToResponseMs, double initMs, double invokeMs, double cpuMs) {
    }

    private int measure(List<Target> targets, String classpath, Path work) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        out.printf("cold start: %d fresh JVMs per function, interleaved; java %s; JVM options %s; class path %s (%d bytes)%s%n",
                options.runs(), Runtime.version(), options.jvmOptions(), options.functionsJar(), Files.size(options.functionsJar()),
                options.appCds() ? "; each function with its own AppCDS archive, the jar on the system class path (not as Lambda runs it)" : "");
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        Path log = work.resolve("children.log");
        if (options.appCds()) {
            for (Target target : targets) {
                if (!target.id().equals(HELLO)) {
                    // One unmeasured run per function dumps the classes it loaded; its runs below map them.
                    Path event = Files.writeString(work.resolve(target.id() + ".json"), target.event().get());
                    launch(java, classpath, target, event, log, List.of("-XX:ArchiveClassesAtExit=" + archive(work, target)));
                }
            }
        }
        for (int round = 0; round < options.runs(); round++) {
            // Rotate the order each round, so no function always runs right after the same neighbour.
            for (int k = 0; k < targets.size(); k++) {
                Target target = targets.get((k + round) % targets.size());
                Path event = Files.writeString(work.resolve(target.id() + ".json"), target.event().get());
                // -Xshare:on: a run whose archive cannot be mapped fails instead of measuring a run without it.
                List<String> sharing = options.appCds() && !target.id().equals(HELLO)
                        ? List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive(work, target)) : List.of();
                runs.computeIfAbsent(target.id(), id -> new ArrayList<>()).add(launch(java, classpath, target, event, log, sharing));
            }
        }
        double hello = median(runs.get(HELLO).stream().mapToDouble(Run::launchToResponseMs).toArray());
        double helloCpu = median(runs.get(HELLO).stream().mapToDouble(Run::cpuMs).toArray());
        out.printf("%-26s %10s %7s %9s %9s %10s %9s %20s%n", "function", "median ms", "ratio", "init ms", "invoke ms",
                "CPU ms", "CPU ratio", "launch→response range");
        double worst = 0;
        String worstId = HELLO;
        for (Map.Entry<String, List<Run>> entry : runs.entrySet()) {
            double[] total = entry.getValue().stream().mapToDouble(Run::launchToResponseMs).sorted().toArray();
            double median = median(total);
            double cpu = median(entry.getValue().stream().mapToDouble(Run::cpuMs).toArray());
            if (!entry.getKey().equals(HELLO) && median / hello > worst) {
                worst = median / hello;
                worstId = entry.getKey();
            }
            out.printf("%-26s %10.0f %6.2fx %9.0f %9.0f %10.0f %8.2fx %12.0f – %.0f%n", entry.getKey(), median, median / hello,
                    median(entry.getValue().stream().mapToDouble(Run::initMs).toArray()),
                    median(entry.getValue().stream().mapToDouble(Run::invokeMs).toArray()), cpu, cpu / helloCpu,
                    total[0], total[total.length - 1]);
        }
        for (Map.Entry<String, List<Run>> entry : runs.entrySet()) {
            double median = median(entry.getValue().stream().mapToDouble(Run::launchToResponseMs).toArray());
            double cpu = median(entry.getValue().stream().mapToDouble(Run::cpuMs).toArray());
            out.printf("coldstart %s median_ms=%.0f ratio=%.2f cpu_ms=%.0f cpu_ratio=%.2f%n", entry.getKey(), median,
                    median / hello, cpu, cpu / helloCpu);
        }
        out.printf("RESULT worst ratio %.2fx (%s) against a hello-world handler's %.0f ms (target <= 2.5x)%n", worst, worstId, hello);
        return 0;
    }

    private static Path archive(Path work, Target target) {
        return work.resolve(target.id().replace(' ', '_') + ".jsa");
    }

    private Run launch(String java, String classpath, Target target, Path event, Path log, List<String> extraJvmOptions)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options.jvmOptions());
        command.addAll(extraJvmOptions);
        command.addAll(List.of("-cp", classpath, ColdStartRun.class.getName(), target.handlerClass(), event.toString(),
                Integer.toString(target.timeoutSeconds()), Integer.toString(target.memoryMb())));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(target.environment());
        if (target.environment().containsKey(XRayDaemon.ADDRESS_VARIABLE)) {
            builder.environment().put(XRayDaemon.ADDRESS_VARIABLE, tracingDaemon);
            builder.environment().put("_X_AMZN_TRACE_ID",
                    TraceHeader.newTrace(System.currentTimeMillis() / 1000, TraceHeader.newId()).format());
        }
        int deliveredBefore = sink.received();
        long launched = System.nanoTime();
        Process process = builder.start();
        String line = null;
        long answered = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String next;
            while ((next = reader.readLine()) != null) {
                if (next.startsWith("FIRST_RESPONSE ")) {
                    answered = System.nanoTime();
                    line = next;
                    break;
                }
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(target.id() + " did not exit within 120 s");
        }
        if (line == null) {
            throw new IllegalStateException(target.id() + " gave no response (exit " + process.exitValue() + "); see " + log);
        }
        String response = line.substring(line.indexOf("response=") + "response=".length());
        if (!succeeded(Json.MAPPER.readTree(response))) {
            throw new IllegalStateException(target.id() + " did not succeed, so its time would mean nothing: " + response);
        }
        // The response comes after the handler's sends were answered: the count is complete by now.
        checkDeliveries(target.id(), target.deliveries(), sink.received() - deliveredBefore);
        return new Run((answered - launched) / 1e6, field(line, "init_ms"), field(line, "invoke_ms"), field(line, "cpu_ms"));
    }

    /** Fails unless the run made exactly the deliveries its function must make: fewer means it did not do its work. */
    static void checkDeliveries(String id, int expected, int made) {
        if (made != expected) {
            throw new IllegalStateException(id + " made " + made + " request(s) to the sink instead of " + expected
                    + ", so its time is not that of its work (no job to deliver, or no time left to start an attempt?)");
        }
    }

    /** A 2xx or 3xx, an empty batch failure list, an Allow policy, or {@code ok: true}. */
    static boolean succeeded(JsonNode response) {
        if (response.has("statusCode")) {
            int status = response.path("statusCode").asInt();
            return status / 100 == 2 || status / 100 == 3;
        }
        if (response.has("batchItemFailures")) {
            return response.path("batchItemFailures").isEmpty();
        }
        if (response.has("policyDocument")) {
            String policy = response.path("policyDocument").toString();
            return policy.contains("Allow") && !policy.contains("Deny");
        }
        if (response.has("ok")) {
            return response.path("ok").asBoolean();
        }
        return !response.has("errorMessage");
    }

    private static double field(String line, String name) {
        int start = line.indexOf(name + "=") + name.length() + 1;
        int end = line.indexOf(' ', start);
        return Double.parseDouble(line.substring(start, end));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The Lambda jar unpacked into a folder, as {@code sam build} lays out a function's artifact. */
    private static Path unpack(Path jar, Path folder) throws IOException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                java.util.zip.ZipEntry entry = entries.nextElement();
                Path target = folder.resolve(entry.getName()).normalize();
                if (!target.startsWith(folder)) {
                    throw new IOException("entry outside the folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return folder;
    }

    /** The files under {@code folder} in a jar. */
    private static Path jar(Path folder, Path jar) throws IOException {
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar)); var files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new java.util.jar.JarEntry(folder.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The child's own classes, copied out of this class path so the child needs nothing but the Lambda jar besides them. */
    private static Path copyRunnerClasses(Path folder) throws IOException {
        List<Class<?>> types = new ArrayList<>(List.of(ColdStartRun.class, ColdStartHello.class, LambdaJson.class,
                LocalContext.class));
        for (int i = 0; i < types.size(); i++) {
            types.addAll(Arrays.asList(types.get(i).getDeclaredClasses()));
        }
        for (Class<?> type : types) {
            String prefix = type.getName().replace('.', '/');
            copyResource(prefix + ".class", folder.resolve(prefix + ".class"));
            for (int i = 1; ColdStartHarness.class.getClassLoader().getResource(prefix + "$" + i + ".class") != null; i++) {
                copyResource(prefix + "$" + i + ".class", folder.resolve(prefix + "$" + i + ".class"));
            }
        }
        return folder;
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = ColdStartHarness.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no class file " + name + " on the class path");
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Stands in for an API function in this process: keeps the JSON of the last event the gateway
     * passed it (exactly what the function receives on AWS), then lets the real handler answer it.
     */
    public static final class Recorder {
        private final LocalFunction real;
        private final Map<String, String> recorded;
        private final String id;

        Recorder(LocalFunction real, Map<String, String> recorded, String id) {
            this.real = real;
            this.recorded = recorded;
            this.id = id;
        }

        public Object handleRequest(Object event, Context context) throws IOException {
            String json = LambdaJson.MAPPER.writeValueAsString(event);
            recorded.put(id, json);
            return real.invokeJson(json);
        }
    }
}
