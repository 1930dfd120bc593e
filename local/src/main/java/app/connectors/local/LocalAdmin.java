package app.connectors.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running stack's own control port, for the {@code bin/local} commands that need the warm stack
 * rather than a cold JVM of their own ({@code publish} answers in well under a second this way). It
 * listens on 127.0.0.1 only, on a free port, and every request must carry the random token written,
 * owner-readable only, to {@code <data>/stack.json}; so neither another user of the machine nor a web
 * page in a browser (which cannot set that header cross-origin without the token) can drive it.
 *
 * <pre>
 * POST /publish?queue=EventsQueue[&amp;newId=true]   body: the envelope
 *   202 {"messageId","queue","eventId","matching","alreadyDelivered":[{"connectorId","deliveryId","status"}]}
 *   400 {"error": "why the envelope is refused"}      (nothing was sent)
 * </pre>
 */
final class LocalAdmin implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalAdmin.class);
    static final String TOKEN_HEADER = "X-Local-Admin-Token";
    /** Event envelopes are at most 240 KiB; anything much larger is not one. */
    private static final int MAX_BODY_BYTES = 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService pool;
    private final String token;
    private final EventPublisher publisher;

    private LocalAdmin(HttpServer server, ExecutorService pool, String token, EventPublisher publisher) {
        this.server = server;
        this.pool = pool;
        this.token = token;
        this.publisher = publisher;
    }

    /** Starts the control port of {@code stack} on a free loopback port with a fresh token. */
    static LocalAdmin start(LocalStack stack) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the local stack's control port on 127.0.0.1", e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "local-admin");
            thread.setDaemon(true);
            return thread;
        });
        LocalAdmin admin = new LocalAdmin(server, pool, token, new EventPublisher(stack));
        server.createContext("/", admin::handle);
        server.setExecutor(pool);
        server.start();
        return admin;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    String token() {
        return token;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String presented = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
            if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                    token.getBytes(StandardCharsets.UTF_8))) {
                reply(exchange, 401, error("missing or wrong " + TOKEN_HEADER + " (it is in <data>/stack.json)"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/publish") || !exchange.getRequestMethod().equals("POST")) {
                reply(exchange, 404, error("no such control route: " + exchange.getRequestMethod() + " " + path));
                return;
            }
            publish(exchange);
        } catch (RuntimeException e) {
            LOG.error("the control port failed", e);
            try {
                reply(exchange, 500, error("the stack failed: " + e));
            } catch (IOException ignored) {
                // The client went away.
            }
        } catch (IOException e) {
            LOG.debug("control port: {}", e.toString());
        }
    }

    private void publish(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String queue = query.getOrDefault("queue", EventPublisher.EVENTS_QUEUE);
        boolean newId = Boolean.parseBoolean(query.getOrDefault("newId", "false"));
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                reply(exchange, 413, error("the file is over 1 MiB; an event envelope is at most 240 KiB"));
                return;
            }
            body = new String(bytes, StandardCharsets.UTF_8);
        }
        if (!publisher.hasQueue(queue)) {
            reply(exchange, 404, error("the running stack has no queue " + queue));
            return;
        }
        EventPublisher.Outcome outcome;
        try {
            outcome = publisher.publish(queue, body, newId);
        } catch (EventPublisher.InvalidEnvelopeException e) {
            reply(exchange, 400, error(e.getMessage()));
            return;
        }
        ObjectNode answer = LambdaJson.MAPPER.createObjectNode()
                .put("messageId", outcome.messageId())
                .put("queue", outcome.queue())
                .put("eventId", outcome.eventId())
                .put("matching", outcome.matching());
        ArrayNode delivered = answer.putArray("alreadyDelivered");
        outcome.alreadyDelivered().forEach(d -> delivered.addObject()
                .put("connectorId", d.connectorId()).put("deliveryId", d.deliveryId()).put("status", d.status()));
        reply(exchange, 202, answer);
    }

    private static ObjectNode error(String message) {
        return LambdaJson.MAPPER.createObjectNode().put("error", message);
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> parameters = new HashMap<>();
        if (raw == null) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }
}
