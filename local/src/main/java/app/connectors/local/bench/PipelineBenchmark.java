package app.connectors.local.bench;

import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.event.EventType;
import app.connectors.event.InvalidEventException;
import app.connectors.format.Formatters;
import app.connectors.json.Json;
import app.connectors.local.LocalStack;
import app.connectors.local.LocalStackOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * End-to-end load harness: N events through the whole local pipeline (EventsQueue → dispatcher →
 * DeliveriesQueue → deliver → HTTP) to M generic connectors that all point at one local sink, side
 * by side with a raw HTTP POST loop from the same process to the same sink. The ratio of the two
 * rates is the figure (the target: pipeline ≥ 50 % of raw); absolute numbers depend on the
 * machine and on whatever else runs on it.
 *
 * <pre>
 * java -cp local/target/connectors-local.jar app.connectors.local.bench.PipelineBenchmark \
 *     --events 200 --connectors 50 2&gt;pipeline.log
 * </pre>
 *
 * <p>Order of a run: raw loop, pipeline warm-up round, measured pipeline round, raw loop again (the
 * ratio uses the mean of the two raw rates, and both are printed so drift on a shared machine shows).
 * Everything is bounded: the raw loops by their request count and a time limit, the pipeline by
 * {@code --timeout}. All traffic goes to 127.0.0.1. Results go to stdout; the stack's logs to stderr.
 */
public final class PipelineBenchmark {

    private static final String USER_ID = "bench-user";

    private final Options options;
    private final PrintStream out;

    private PipelineBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** The command line, with defaults that keep one connector under its pacing limit (see docs/benchmarks.md). */
    record Options(int events, int connectors, int warmupEvents, int rawConcurrency, Duration timeout, Path template,
                   int pollerConcurrency, boolean rawOnly) {

        static Options parse(String[] args) {
            int events = 200;
            int connectors = 50;
            int warmup = 5;
            int raw = 4;
            long timeoutSeconds = 300;
            Path template = Path.of("template.yaml");
            int pollers = 1;
            boolean rawOnly = false;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--raw-only")) {
                    rawOnly = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--events" -> events = positive(name, value);
                    case "--connectors" -> connectors = positive(name, value);
                    case "--warmup-events" -> warmup = Integer.parseInt(value);
                    case "--raw-concurrency" -> raw = positive(name, value);
                    case "--timeout" -> timeoutSeconds = positive(name, value);
                    case "--template" -> template = Path.of(value);
                    case "--poller-concurrency" -> pollers = positive(name, value);
                    default -> throw new IllegalArgumentException("unknown option " + name + "; options: --events N "
                            + "--connectors M --warmup-events W --raw-concurrency C --timeout SECONDS --template FILE "
                            + "--poller-concurrency K --raw-only");
                }
            }
            return new Options(events, connectors, warmup, raw, Duration.ofSeconds(timeoutSeconds), template, pollers,
                    rawOnly);
        }

        private static int positive(String name, String value) {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be at least 1");
            }
            return n;
        }
    }

    public static void main(String[] args) throws Exception {
        HarnessMain.run(args, Options::parse, (options, out) -> new PipelineBenchmark(options, out).run());
    }

    private int run() throws Exception {
        byte[] payload = genericPayload();
        try (Sink sink = Sink.start()) {
            URI hook = URI.create("http://127.0.0.1:" + sink.port() + "/hook");
            out.printf("parameters: events=%d connectors=%d deliveries=%d warm-up events=%d raw concurrency=%d "
                            + "timeout=%ds poller concurrency=%d payload=%d bytes cores=%d java=%s%n",
                    options.events(), options.connectors(), (long) options.events() * options.connectors(),
                    options.warmupEvents(), options.rawConcurrency(), options.timeout().toSeconds(),
                    options.pollerConcurrency(), payload.length,
                    Runtime.getRuntime().availableProcessors(), Runtime.version());
            int total = Math.multiplyExact(options.events(), options.connectors());

            // Warm the sink and the JDK client first; the rate of this round is not reported.
            rawLoop(hook, payload, Math.min(total, 2_000), options.rawConcurrency());
            sink.reset();
            Rate rawBefore = rawLoop(hook, payload, total, options.rawConcurrency());
            out.printf("raw POST (before): %s%n", rawBefore);
            if (options.rawOnly()) {
                return 0;
            }
            sink.reset();

            Rate pipeline;
            LocalStackOptions stackOptions = LocalStackOptions.forTests(options.template())
                    .withAllowedTarget("127.0.0.1:" + sink.port());
            // 1 = the local stack's default (one batch at a time per function); more resembles Lambda.
            stackOptions = stackOptions.withPollerConcurrency(options.pollerConcurrency());
            try (LocalStack stack = LocalStack.start(stackOptions)) {
                String token = createUser(stack);
                createConnectors(stack, token, hook);
                if (options.warmupEvents() > 0) {
                    Rate warm = pipelineRound(stack, sink, "warm", options.warmupEvents());
                    out.printf("pipeline warm-up: %s%n", warm);
                    sink.reset();
                }
                pipeline = pipelineRound(stack, sink, "run", options.events());
                out.printf("pipeline: %s%n", pipeline);
                out.printf("pipeline sink: max requests in flight %d, duplicate deliveries %d%n",
                        sink.maxInFlight(), sink.duplicates());
                if (!pipeline.complete()) {
                    out.printf("pipeline did NOT finish within %ds: %d of %d deliveries arrived%n",
                            options.timeout().toSeconds(), pipeline.count(), total);
                }
            }
            sink.reset();
            Rate rawAfter = rawLoop(hook, payload, total, options.rawConcurrency());
            out.printf("raw POST (after): %s%n", rawAfter);
            double raw = (rawBefore.perSecond() + rawAfter.perSecond()) / 2;
            out.printf("RESULT deliveries/s pipeline=%.0f raw=%.0f (before %.0f, after %.0f) ratio=%.1f %% (target >= 50 %%)%n",
                    pipeline.perSecond(), raw, rawBefore.perSecond(), rawAfter.perSecond(),
                    100 * pipeline.perSecond() / raw);
            return pipeline.complete() ? 0 : 1;
        }
    }

    /** What a generic connector sends: the envelope JSON, built by the product's own formatter. */
    private static byte[] genericPayload() throws InvalidEventException {
        ObjectNode envelope = EventCatalog.standard().find("promise.status_changed").orElseThrow().example().deepCopy();
        envelope.put("id", "evt_bench_raw");
        Event event = EventParser.standard().parse(Json.write(envelope));
        return Json.writeBytes(Formatters.find(Formatters.GENERIC).orElseThrow().format(event));
    }

    /**
     * {@code count} POSTs to the sink from {@code concurrency} threads, each sending one after another
     * with java.net.http.HttpClient (HTTP/1.1, kept-alive connections). Stops at the count or at the
     * timeout, whichever comes first.
     */
    private Rate rawLoop(URI hook, byte[] payload, int count, int concurrency) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(hook).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long deadline = System.nanoTime() + options.timeout().toNanos();
        long cpu = processCpuNanos();
        long started = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(Thread.ofPlatform().name("raw-post-" + w).start(() -> {
                while (next.getAndIncrement() < count && System.nanoTime() < deadline) {
                    try {
                        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                        (response.statusCode() == 200 ? ok : failed).incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long elapsed = System.nanoTime() - started;
        cpu = processCpuNanos() - cpu;
        client.close();
        if (failed.get() > 0) {
            out.printf("raw POST: %d requests failed%n", failed.get());
        }
        return new Rate(ok.get(), count, elapsed, ok.get() == count, cpu);
    }

    /** Publishes {@code events} envelopes and waits until the sink has every delivery, or the timeout. */
    private Rate pipelineRound(LocalStack stack, Sink sink, String label, int events) throws InterruptedException {
        int expected = events * options.connectors();
        List<EventType> types = List.copyOf(EventCatalog.standard().all());
        String queueUrl = stack.queueUrl("EventsQueue");
        long cpu = processCpuNanos();
        long started = System.nanoTime();
        List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            ObjectNode envelope = types.get(i % types.size()).example().deepCopy();
            envelope.put("id", "evt_bench_" + label + "_" + i);
            batch.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(batch.size()))
                    .messageBody(Json.write(envelope)).build());
            if (batch.size() == 10 || i == events - 1) {
                List<SendMessageBatchRequestEntry> entries = List.copyOf(batch);
                var response = stack.sqs().sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
                if (!response.failed().isEmpty()) {
                    throw new IllegalStateException("publishing failed: " + response.failed());
                }
                batch.clear();
            }
        }
        long published = System.nanoTime();
        long deadline = started + options.timeout().toNanos();
        while (sink.unique() < expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        int arrived = sink.unique();
        long end = arrived >= expected ? sink.lastArrivalNanos() : System.nanoTime();
        cpu = processCpuNanos() - cpu;
        out.printf("pipeline %s: published %d events in %.2f s; first delivery after %.2f s%n", label, events,
                (published - started) / 1e9, (sink.firstArrivalNanos() - started) / 1e9);
        return new Rate(arrived, expected, end - started, arrived >= expected, cpu);
    }

    private String createUser(LocalStack stack) {
        Object result = stack.function("AccountsFunction").invokeJson("{\"userId\":\"" + USER_ID + "\",\"tier\":\"enterprise\"}");
        JsonNode answer = Json.MAPPER.valueToTree(result);
        if (!answer.path("ok").asBoolean() || !answer.hasNonNull("token")) {
            throw new IllegalStateException("AccountsFunction did not create the user: " + answer);
        }
        return answer.get("token").asText();
    }

    private void createConnectors(LocalStack stack, String token, URI hook) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI create = stack.gatewayUrl().resolve("/api/v1/connectors");
            for (int i = 0; i < options.connectors(); i++) {
                ObjectNode body = Json.object();
                body.put("type", "generic");
                body.put("name", "bench-" + i);
                body.putObject("config").put("url", hook.toString()).put("method", "POST");
                body.putArray("events").add(EventCatalog.WILDCARD);
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(create)
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 201) {
                    throw new IllegalStateException("creating connector " + i + " failed: " + response.statusCode() + " "
                            + response.body());
                }
            }
        }
    }

    /**
     * Requests that arrived ({@code count}) out of those expected, over {@code nanos}, and the CPU
     * time this whole process (stack, sink and client alike) used meanwhile.
     */
    record Rate(int count, int expected, long nanos, boolean complete, long cpuNanos) {

        double perSecond() {
            return count / (nanos / 1e9);
        }

        @Override
        public String toString() {
            return String.format("%d/%d requests in %.2f s = %.0f /s; process CPU %.2f cores busy, %.0f µs CPU per request",
                    count, expected, nanos / 1e9, perSecond(), (double) cpuNanos / nanos,
                    count == 0 ? 0.0 : cpuNanos / 1e3 / count);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * The destination: a JDK HTTP server on 127.0.0.1 that reads each body, answers 200 with no body,
     * and counts requests, distinct {@code webhook-id}s (a duplicate delivery shows as a repeat) and
     * the most requests it had in flight at once.
     */
    static final class Sink implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService executor;
        private final Set<String> ids = ConcurrentHashMap.newKeySet();
        private final AtomicInteger received = new AtomicInteger();
        private final AtomicInteger duplicates = new AtomicInteger();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger maxInFlight = new AtomicInteger();
        private final AtomicLong firstArrival = new AtomicLong();
        private final AtomicLong lastArrival = new AtomicLong();

        private Sink(HttpServer server, ExecutorService executor) {
            this.server = server;
            this.executor = executor;
        }

        static Sink start() throws IOException {
            return start(Duration.ZERO);
        }

        /** A sink that answers each request {@code latency} after reading it (a destination's response time). */
        static Sink start(Duration latency) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            // Virtual threads: a slow destination holds no platform thread per request in flight.
            ExecutorService executor = latency.isZero() ? Executors.newFixedThreadPool(16, runnable -> {
                Thread thread = new Thread(runnable, "sink");
                thread.setDaemon(true);
                return thread;
            }) : Executors.newVirtualThreadPerTaskExecutor();
            Sink sink = new Sink(server, executor);
            server.createContext("/hook", exchange -> {
                int now = sink.inFlight.incrementAndGet();
                sink.maxInFlight.accumulateAndGet(now, Math::max);
                try (InputStream body = exchange.getRequestBody()) {
                    body.transferTo(java.io.OutputStream.nullOutputStream());
                }
                String id = exchange.getRequestHeaders().getFirst("webhook-id");
                long at = System.nanoTime();
                sink.firstArrival.compareAndSet(0, at);
                sink.lastArrival.set(at);
                if (id != null && !sink.ids.add(id)) {
                    sink.duplicates.incrementAndGet();
                }
                sink.received.incrementAndGet();
                if (!latency.isZero()) {
                    try {
                        Thread.sleep(latency);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
                sink.inFlight.decrementAndGet();
            });
            server.setExecutor(executor);
            server.start();
            return sink;
        }

        int port() {
            return server.getAddress().getPort();
        }

        /** Every request that reached the sink. */
        int received() {
            return received.get();
        }

        /** Distinct deliveries (by webhook-id) when the sender signs, else every request. */
        int unique() {
            return ids.isEmpty() ? received.get() : ids.size();
        }

        int duplicates() {
            return duplicates.get();
        }

        int maxInFlight() {
            return maxInFlight.get();
        }

        long firstArrivalNanos() {
            return firstArrival.get();
        }

        long lastArrivalNanos() {
            return lastArrival.get();
        }

        void reset() {
            ids.clear();
            received.set(0);
            duplicates.set(0);
            maxInFlight.set(0);
            firstArrival.set(0);
            lastArrival.set(0);
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
