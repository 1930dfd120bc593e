package app.connectors.local.bench;

import app.connectors.config.Settings;
import app.connectors.event.EventCatalog;
import app.connectors.json.Json;
import app.connectors.local.LocalFunction;
import app.connectors.local.LocalStack;
import app.connectors.local.LocalStackOptions;
import app.connectors.local.TemplateModel;
import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * What a delivery costs on AWS, counted on the local stack: fan-outs of N connectors with events of
 * a given size go through the whole pipeline (EventsQueue → dispatcher → DeliveriesQueue → deliverer
 * → a destination that answers in 100 ms), and every AWS request the functions and the event
 * source mappings send is counted on the wire by {@link RequestCounter} (DynamoDB capacity units as
 * DynamoDB reports them, SQS requests in 64 KB chunks, KMS calls). Lambda's share is the measured
 * duration of every dispatcher and deliverer invocation times its configured memory. Each case runs
 * a warm-up round first (not counted), so the figures are those of warm environments with their
 * caches filled, the steady state.
 *
 * <pre>
 * bin/bench cost                                     # the six standard cases
 * bin/bench cost --cases 10x1024 --deliveries 200    # one case, fewer deliveries
 * </pre>
 *
 * <p>KMS: with {@code moto_server} on the PATH (default {@code --kms moto}) the functions use the
 * real KMS client against moto, so every GenerateDataKey and Decrypt is a counted request; with
 * {@code --kms local} they use the local key file and KMS shows 0.
 */
public final class CostBenchmark {

    /** List prices (us-east-1) the figures are priced at. */
    static final double SQS_PER_REQUEST = 0.40 / 1e6;
    static final double DDB_PER_WRU = 0.625 / 1e6;
    static final double DDB_PER_RRU = 0.125 / 1e6;
    static final double LAMBDA_PER_INVOCATION = 0.20 / 1e6;
    static final double LAMBDA_PER_GB_SECOND = 0.0000166667;
    static final double KMS_PER_CALL = 0.03 / 1e4;
    static final Duration DESTINATION_LATENCY = Duration.ofMillis(100);

    /** One fan-out: events to {@code connectors} subscribers, each envelope about {@code eventBytes} long. */
    record Case(int connectors, int eventBytes) {
        static Case parse(String text) {
            String[] parts = text.split("x");
            return new Case(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
    }

    record Options(List<Case> cases, int deliveries, Path template, String kms, Duration timeout) {

        static Options parse(String[] args) {
            List<Case> cases = List.of(new Case(1, 1024), new Case(10, 1024), new Case(1000, 1024),
                    new Case(1, 65536), new Case(10, 65536), new Case(1000, 65536));
            int deliveries = 500;
            Path template = Path.of("template.yaml");
            String kms = "auto";
            long timeout = 900;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--cases" -> cases = java.util.Arrays.stream(value.split(",")).map(Case::parse).toList();
                    case "--deliveries" -> deliveries = Integer.parseInt(value);
                    case "--template" -> template = Path.of(value);
                    case "--kms" -> kms = value;
                    case "--timeout" -> timeout = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option " + name + "; options: --cases NxBYTES,… "
                            + "--deliveries D (per case, at least) --kms moto|local --template FILE --timeout SECONDS");
                }
            }
            return new Options(cases, deliveries, template, kms, Duration.ofSeconds(timeout));
        }
    }

    /** The counts of one case, per delivery, and its price per million deliveries. */
    record Result(Case fanOut, int events, long deliveries, double sqs, double writeUnits, double readUnits, double kms,
                  double invocations, double gbSeconds, RequestCounter.Tally tally) {

        double usdPerMillion() {
            return 1e6 * (sqs * SQS_PER_REQUEST + writeUnits * DDB_PER_WRU + readUnits * DDB_PER_RRU + kms * KMS_PER_CALL
                    + invocations * LAMBDA_PER_INVOCATION + gbSeconds * LAMBDA_PER_GB_SECOND);
        }

        String line() {
            return String.format(java.util.Locale.ROOT,
                    "cost N=%d event_bytes=%d sqs=%.3f ddb_wru=%.3f ddb_rru=%.3f kms=%.4f lambda_gbs=%.5f usd_per_million=%.2f",
                    fanOut.connectors(), fanOut.eventBytes(), sqs, writeUnits, readUnits, kms, gbSeconds, usdPerMillion());
        }
    }

    private final Options options;
    private final PrintStream out;

    private CostBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        HarnessMain.run(args, Options::parse, (options, out) -> new CostBenchmark(options, out).run());
    }

    private int run() throws Exception {
        boolean moto = switch (options.kms()) {
            case "moto" -> true;
            case "local" -> false;
            default -> Moto.available();
        };
        TemplateModel template = TemplateModel.load(options.template());
        try (PipelineBenchmark.Sink sink = PipelineBenchmark.Sink.start(DESTINATION_LATENCY);
             Moto kms = moto ? Moto.start() : null) {
            LocalStackOptions stackOptions = LocalStackOptions.forTests(options.template())
                    .withAllowedTarget("127.0.0.1:" + sink.port());
            if (kms != null) {
                stackOptions = stackOptions.withEnvironment(Settings.LOCAL_KEY_FILE, "")
                        .withEnvironment(Settings.SECRETS_KEY_ID, kms.createKey())
                        .withEnvironment(Settings.AWS_ENDPOINT_URL_KMS, kms.endpoint().toString());
            }
            Map<String, Timed> timed = new ConcurrentHashMap<>();
            for (TemplateModel.Function function : template.functions().values()) {
                if (!function.sqsEvents().isEmpty()) {
                    stackOptions = stackOptions.withHandler(function.logicalId(), env -> {
                        Timed wrapper = new Timed(LocalFunction.create(function, env), function.memorySizeMb());
                        timed.put(function.logicalId(), wrapper);
                        return wrapper;
                    });
                }
            }
            printAssumptions(template, kms != null);
            try (LocalStack stack = LocalStack.start(stackOptions)) {
                Set<Integer> ports = new java.util.HashSet<>(Set.of(stack.dynamoDbEndpoint().getPort(), stack.sqsEndpoint().getPort()));
                if (kms != null) {
                    ports.add(kms.endpoint().getPort());
                }
                Map<Integer, String> users = new LinkedHashMap<>();
                List<Result> results = new ArrayList<>();
                for (Case fanOut : options.cases()) {
                    String userId = users.computeIfAbsent(fanOut.connectors(), n -> createSubscribers(stack, sink, n));
                    Result result = measure(stack, sink, fanOut, userId, ports, timed);
                    results.add(result);
                    out.println(result.line());
                    out.printf("  detail: %d events, %d deliveries; lambda invocations %.4f/delivery; SQS empty receives %d "
                                    + "(not counted: polling, not delivering); conditional writes refused %d; "
                                    + "DynamoDB answers without capacity %d; requests %s%n",
                            result.events(), result.deliveries(), result.invocations(), result.tally().sqsEmptyReceives(),
                            result.tally().refusedWrites(), result.tally().missingCapacity(), result.tally().requests());
                }
                out.println("RESULT");
                results.forEach(result -> out.println(result.line()));
                return 0;
            }
        }
    }

    private void printAssumptions(TemplateModel template, boolean moto) {
        out.println("cost benchmark: every AWS request counted on the wire on the local stack; figures per delivery");
        out.printf("  prices: SQS $0.40/M requests (64 KB chunks); DynamoDB $0.625/M WRU, $0.125/M RRU (on demand); "
                + "Lambda $0.20/M invocations + $0.0000166667/GB-s; KMS $0.03/10k calls%n");
        for (TemplateModel.Function function : template.functions().values()) {
            for (TemplateModel.SqsEventSource source : function.sqsEvents()) {
                out.printf("  %s: %d MB, batch size %d (local poller: one batch at a time, receive up to 10, delete in batches "
                        + "of 10); GB-s = sum of measured handler durations (ms, rounded up) x memory%n",
                        function.logicalId(), function.memorySizeMb(), source.batchSize());
            }
        }
        out.printf("  destination latency %d ms (a local sink that sleeps); KMS: %s; each case runs a warm-up round first "
                + "(not counted); at least %d deliveries a case%n", DESTINATION_LATENCY.toMillis(),
                moto ? "the real KMS client against moto_server" : "local key file (no KMS calls)", options.deliveries());
        out.println("  not counted: the events' publication (the host platform's SendMessage), empty receives, "
                + "CloudWatch Logs, data transfer; a conditional write DynamoDB refuses counts 1 WRU");
    }

    /** A user with {@code n} generic connectors subscribed to every event type, all pointing at the sink. */
    private static String createSubscribers(LocalStack stack, PipelineBenchmark.Sink sink, int n) {
        String userId = "cost-" + n + "-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode account = Json.MAPPER.valueToTree(stack.function("AccountsFunction")
                .invokeJson("{\"userId\":\"" + userId + "\",\"tier\":\"enterprise\"}"));
        String token = account.path("token").asText();
        if (token.isEmpty()) {
            throw new IllegalStateException("AccountsFunction did not create the user: " + account);
        }
        ExecutorService creators = Executors.newFixedThreadPool(4);
        try (HttpClient client = HttpClient.newHttpClient()) {
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ObjectNode body = Json.object().put("type", "generic").put("name", "cost-" + i);
                body.putObject("config").put("url", "http://127.0.0.1:" + sink.port() + "/hook").put("method", "POST");
                body.putArray("events").add(EventCatalog.WILDCARD);
                created.add(creators.submit(() -> {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(stack.gatewayUrl().resolve("/api/v1/connectors"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 201) {
                        throw new IllegalStateException("creating a connector failed: " + response.statusCode() + " " + response.body());
                    }
                    return null;
                }));
            }
            for (Future<?> future : created) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create " + n + " connectors", e);
        } finally {
            creators.shutdownNow();
        }
        return userId;
    }

    private Result measure(LocalStack stack, PipelineBenchmark.Sink sink, Case fanOut, String userId, Set<Integer> ports,
                           Map<String, Timed> timed) throws InterruptedException {
        int events = Math.max(2, (options.deliveries() + fanOut.connectors() - 1) / fanOut.connectors());
        int warmUp = Math.max(1, Math.min(10, 50 / fanOut.connectors()));
        round(stack, sink, fanOut, userId, warmUp, "warm");

        timed.values().forEach(Timed::reset);
        RequestCounter.Tally tally = RequestCounter.start(ports);
        try {
            round(stack, sink, fanOut, userId, events, "run");
        } finally {
            RequestCounter.stop();
        }
        long deliveries = (long) events * fanOut.connectors();
        double invocations = timed.values().stream().mapToLong(Timed::invocations).sum();
        double gbSeconds = timed.values().stream().mapToDouble(Timed::gbSeconds).sum();
        return new Result(fanOut, events, deliveries, (double) tally.sqsBillable() / deliveries,
                tally.writeUnits() / deliveries, tally.readUnits() / deliveries, (double) tally.kmsCalls() / deliveries,
                invocations / deliveries, gbSeconds / deliveries, tally);
    }

    /** Publishes the events, waits for every delivery at the sink, then for both queues to be empty (every handler done). */
    private void round(LocalStack stack, PipelineBenchmark.Sink sink, Case fanOut, String userId, int events, String label)
            throws InterruptedException {
        sink.reset();
        String queue = stack.queueUrl("EventsQueue");
        List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            batch.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(batch.size()))
                    .messageBody(envelope(userId, fanOut.eventBytes(), label + "_" + i)).build());
            long bytes = batch.stream().mapToLong(entry -> entry.messageBody().length()).sum();
            if (batch.size() == 10 || i == events - 1 || bytes + fanOut.eventBytes() > 200 * 1024) {
                List<SendMessageBatchRequestEntry> entries = List.copyOf(batch);
                var response = stack.sqs().sendMessageBatch(r -> r.queueUrl(queue).entries(entries)
                        .overrideConfiguration(o -> o.putHeader(RequestCounter.NOT_COUNTED, "1")));
                if (!response.failed().isEmpty()) {
                    throw new IllegalStateException("publishing failed: " + response.failed());
                }
                batch.clear();
            }
        }
        long expected = (long) events * fanOut.connectors();
        long deadline = System.nanoTime() + options.timeout().toNanos();
        while (sink.unique() < expected || !drained(stack)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(label + " round of N=" + fanOut.connectors() + " did not finish within "
                        + options.timeout().toSeconds() + " s: " + sink.unique() + " of " + expected + " deliveries arrived");
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        if (sink.duplicates() > 0) {
            throw new IllegalStateException(sink.duplicates() + " deliveries arrived twice; the counts would not be per delivery");
        }
    }

    private static boolean drained(LocalStack stack) {
        for (String queue : List.of("EventsQueue", "DeliveriesQueue")) {
            Map<QueueAttributeName, String> attributes = stack.sqs().getQueueAttributes(r -> r.queueUrl(stack.queueUrl(queue))
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)
                    .overrideConfiguration(o -> o.putHeader(RequestCounter.NOT_COUNTED, "1"))).attributes();
            if (attributes.values().stream().anyMatch(value -> !value.equals("0"))) {
                return false;
            }
        }
        return true;
    }

    /** The catalog's example for promise.status_changed with a fresh id, padded in {@code data} to about {@code bytes}. */
    static String envelope(String userId, int bytes, String label) {
        ObjectNode envelope = EventCatalog.standard().find("promise.status_changed").orElseThrow().example().deepCopy();
        envelope.put("id", "evt_cost_" + label + "_" + UUID.randomUUID().toString().replace("-", ""));
        envelope.put("userId", userId);
        int size = Json.write(envelope).getBytes(StandardCharsets.UTF_8).length;
        ObjectNode data = envelope.get("data") instanceof ObjectNode existing ? existing : envelope.putObject("data");
        data.put("padding", "x".repeat(Math.max(0, bytes - size - "\"padding\":\"\",".length())));
        return Json.write(envelope);
    }

    /**
     * An SQS-triggered function as the local event source mapping calls it, timed: each invocation's
     * duration, rounded up to the millisecond as Lambda bills it, times the function's memory.
     */
    public static final class Timed {
        private final LocalFunction real;
        private final int memoryMb;
        private final AtomicLong invocations = new AtomicLong();
        private final AtomicLong billedMillis = new AtomicLong();

        Timed(LocalFunction real, int memoryMb) {
            this.real = real;
            this.memoryMb = memoryMb;
        }

        public Object handleRequest(Object event, Context context) {
            long started = System.nanoTime();
            try {
                return real.invoke(event);
            } finally {
                long nanos = System.nanoTime() - started;
                invocations.incrementAndGet();
                billedMillis.addAndGet((nanos + 999_999) / 1_000_000);
            }
        }

        long invocations() {
            return invocations.get();
        }

        double gbSeconds() {
            return billedMillis.get() / 1000.0 * memoryMb / 1024.0;
        }

        void reset() {
            invocations.set(0);
            billedMillis.set(0);
        }
    }

    /** moto_server (an AWS emulator with a real KMS API) in a child process on a free port. */
    static final class Moto implements AutoCloseable {
        private final Process process;
        private final URI endpoint;

        private Moto(Process process, URI endpoint) {
            this.process = process;
            this.endpoint = endpoint;
        }

        static boolean available() {
            try {
                Process which = new ProcessBuilder("sh", "-c", "command -v moto_server").redirectErrorStream(true).start();
                return which.waitFor(10, TimeUnit.SECONDS) && which.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        static Moto start() throws IOException, InterruptedException {
            int port;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Process process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    return new Moto(process, URI.create("http://127.0.0.1:" + port));
                } catch (IOException notYet) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("moto_server exited with " + process.exitValue());
                    }
                    TimeUnit.MILLISECONDS.sleep(200);
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("moto_server did not listen on port " + port + " within 60 s");
        }

        URI endpoint() {
            return endpoint;
        }

        /** A symmetric key for envelope encryption; returns its id. */
        String createKey() {
            try (KmsClient kms = KmsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
                return kms.createKey(r -> r.description("cost benchmark")).keyMetadata().keyId();
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
