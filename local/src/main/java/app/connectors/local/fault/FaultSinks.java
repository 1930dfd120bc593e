package app.connectors.local.fault;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The destinations of a fault run: one HTTP server on 127.0.0.1 where each connector has its own
 * path, {@code /c/<index>}, and a {@link Behaviour}. Every request is logged ({@link Arrival}): which
 * pair (connector, event id read from the body) it was for, its {@code webhook-id}, when it arrived,
 * when it was answered and how. A pair's behaviour may fail its first arrivals, but never more than
 * {@link #MAX_FAILURES} of them: from then on it answers 200, so a pair that never gets a 200 was
 * lost by the service, not by the destination.
 *
 * <pre>{@code
 * try (FaultSinks sinks = FaultSinks.start(seed)) {
 *     String url = sinks.url(3);           // connector 3's destination
 *     ...
 *     sinks.arrivals();                    // everything that arrived
 * }
 * }</pre>
 */
public final class FaultSinks implements AutoCloseable {

    /** A pair fails at most this many arrivals; the next one succeeds. */
    public static final int MAX_FAILURES = 2;

    /** How a connector's destination answers. */
    public enum Behaviour {
        /** 200 at once. */
        OK,
        /** 200 after 0.5–3 s (below the sender's response timeout). */
        SLOW,
        /** 500 for the pair's first 0–2 arrivals, then 200. */
        FAIL,
        /** no answer for the pair's first 0–1 arrivals (the sender times out), then 200. */
        HANG,
        /** 503 while the destination is down (2 s down, 2 s up, by the clock), 200 while up. */
        FLAP,
        /** 429 with Retry-After: 1 for the pair's first 0–2 arrivals, then 200. */
        RATE_LIMITED
    }

    /** One request as the destination saw it. {@code status} -1: never answered (hung, or the client left). */
    public record Arrival(int connector, String eventId, String webhookId, long arrivedAtMillis, long answeredAtMillis,
                          int status) {

        public boolean succeeded() {
            return status / 100 == 2;
        }
    }

    /** Longer than the sender waits for an answer (SENDER_DEADLINE_MS of the run). */
    private static final long HANG_MILLIS = 20_000;

    private final HttpServer server;
    private final ExecutorService executor;
    private final long seed;
    private final List<Behaviour> behaviours;
    private final List<Arrival> arrivals = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> arrivalsByPair = new ConcurrentHashMap<>();
    private final long flapPhaseMillis;

    private FaultSinks(HttpServer server, ExecutorService executor, long seed, List<Behaviour> behaviours) {
        this.server = server;
        this.executor = executor;
        this.seed = seed;
        this.behaviours = List.copyOf(behaviours);
        this.flapPhaseMillis = new Random(seed).nextInt(4000);
    }

    /** Starts the server; connector {@code i} behaves as {@code behaviours.get(i)}. */
    public static FaultSinks start(long seed, List<Behaviour> behaviours) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        FaultSinks sinks = new FaultSinks(server, executor, seed, behaviours);
        server.createContext("/c/", sinks::handle);
        server.setExecutor(executor);
        server.start();
        return sinks;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(int connector) {
        return "http://127.0.0.1:" + port() + "/c/" + connector;
    }

    public Behaviour behaviour(int connector) {
        return behaviours.get(connector);
    }

    public List<Arrival> arrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.currentTimeMillis();
        int connector = Integer.parseInt(exchange.getRequestURI().getPath().substring("/c/".length()));
        String webhookId = exchange.getRequestHeaders().getFirst("webhook-id");
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String eventId = eventId(body);
        String pair = connector + "/" + eventId;
        int arrival = arrivalsByPair.computeIfAbsent(pair, k -> new AtomicInteger()).incrementAndGet();
        int status = answer(behaviours.get(connector), pair, arrival, arrived);
        int answered = -1;
        try {
            if (status == 0) {
                // Hang: hold the request until the sender has long given up.
                Thread.sleep(HANG_MILLIS);
            } else {
                if (behaviours.get(connector) == Behaviour.SLOW && status == 200) {
                    Thread.sleep(500 + random(pair, arrival).nextInt(2500));
                }
                if (status == 429) {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                }
                exchange.sendResponseHeaders(status, -1);
                answered = status;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientLeft) {
            // The sender gave up or its process was killed before the answer: not answered.
        } finally {
            exchange.close();
            arrivals.add(new Arrival(connector, eventId, webhookId, arrived, System.currentTimeMillis(), answered));
        }
    }

    /** The status for this arrival of the pair (0: hang). */
    private int answer(Behaviour behaviour, String pair, int arrival, long now) {
        if (arrival > MAX_FAILURES) {
            return 200;
        }
        // How many of its first arrivals this pair fails: fixed by the seed and the pair.
        int failures = random(pair, 0).nextInt(MAX_FAILURES + 1);
        return switch (behaviour) {
            case OK, SLOW -> 200;
            case FAIL -> arrival <= failures ? 500 : 200;
            case HANG -> arrival <= Math.min(failures, 1) ? 0 : 200;
            case RATE_LIMITED -> arrival <= failures ? 429 : 200;
            case FLAP -> ((now + flapPhaseMillis) / 2000) % 2 == 0 ? 503 : 200;
        };
    }

    private Random random(String pair, int salt) {
        return new Random(seed * 31 + pair.hashCode() * 17L + salt);
    }

    private static String eventId(byte[] body) {
        try {
            JsonNode envelope = Json.MAPPER.readTree(body);
            return envelope.path("id").asText("?");
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
