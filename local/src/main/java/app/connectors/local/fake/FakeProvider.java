package app.connectors.local.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local stand-in for an OAuth provider (and the APIs its flows hand out), on loopback and a free
 * port, for the local stack ({@code bin/local start --fake-providers}), its integration tests and the
 * portal's browser tests. It behaves like the real one where the product depends on it: a consent
 * page with Allow and Deny, single-use codes bound to the exact redirect URI, client credentials
 * checked at the token endpoint, and errors on demand.
 *
 * <p>Control endpoints for tests: {@code POST /_fake/fail-next-token?error=<code>[&status=<n>]} makes
 * the next token call refuse; {@code POST /_fake/next-webhook-url?url=<url>} makes the next grant hand
 * out that URL; {@code GET /_fake/received} lists what its webhook receiver got.
 */
public abstract class FakeProvider implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A webhook request the fake received. */
    public record Received(String method, String path, String query, Map<String, String> headers, String body) {
    }

    /** A code issued at consent: for whom, bound to which redirect URI and scopes. */
    record Grant(String clientId, String redirectUri, String scope) {
    }

    protected final String clientId;
    protected final String clientSecret;
    private final HttpServer server;
    private final ExecutorService pool;
    private final Set<String> redirectUris = ConcurrentHashMap.newKeySet();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final List<Received> received = new ArrayList<>();
    private volatile String failNextToken;
    private volatile int failNextTokenStatus;
    private volatile String nextWebhookUrl;

    protected FakeProvider(String clientId, String clientSecret) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake " + name(), e);
        }
        pool = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "fake-" + name());
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", this::serve);
        server.setExecutor(pool);
        server.start();
    }

    /** "slack", "discord", …: for messages and thread names. */
    public abstract String name();

    /** The hosts of the real service this fake answers for (ENDPOINT_OVERRIDES maps each to {@link #origin()}). */
    public abstract List<String> hosts();

    /** Answers one request; false when the path is not this provider's. */
    protected abstract boolean route(HttpExchange exchange, String method, String path) throws IOException;

    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    /** The redirect URI registered with this app; consent to any other is refused, as real providers do. */
    public void registerRedirectUri(String uri) {
        redirectUris.add(uri);
    }

    /** The next token call is refused with this OAuth error code (HTTP {@code status}, or the provider's usual one). */
    public void failNextToken(String error, int status) {
        failNextTokenStatus = status;
        failNextToken = error;
    }

    /** The next grant hands out this webhook URL instead of one of the fake's own. */
    public void nextWebhookUrl(String url) {
        nextWebhookUrl = url;
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    // ------------------------------------------------------------------ serving

    private void serve(HttpExchange exchange) {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/_fake/")) {
                control(exchange, method, path);
            } else if (!route(exchange, method, path)) {
                json(exchange, 404, JSON.createObjectNode().put("error", "not_found").put("path", path));
            }
        } catch (RuntimeException | IOException e) {
            try {
                text(exchange, 500, "fake " + name() + " failed: " + e);
            } catch (IOException ignored) {
                // the client is gone
            }
        }
    }

    private void control(HttpExchange exchange, String method, String path) throws IOException {
        Map<String, String> query = query(exchange);
        switch (method + " " + path) {
            case "POST /_fake/fail-next-token" -> {
                failNextToken(query.getOrDefault("error", "invalid_grant"), Integer.parseInt(query.getOrDefault("status", "0")));
                text(exchange, 204, "");
            }
            case "POST /_fake/next-webhook-url" -> {
                nextWebhookUrl(query.get("url"));
                text(exchange, 204, "");
            }
            case "GET /_fake/received" -> {
                ArrayNode list = JSON.createArrayNode();
                received().forEach(r -> list.add(JSON.valueToTree(r)));
                json(exchange, 200, list);
            }
            default -> {
                // A provider's own control endpoints (e.g. HubSpot's expire-access-tokens).
                if (!route(exchange, method, path)) {
                    text(exchange, 404, "no control endpoint " + method + " " + path);
                }
            }
        }
    }

    // ------------------------------------------------------------------ consent

    /**
     * The authorize endpoint: checks the client, the redirect URI and the scope, then shows a consent
     * page whose Allow and Deny buttons post back here.
     */
    protected void authorize(HttpExchange exchange, String method, String expectedScope, boolean requireResponseType) throws IOException {
        Map<String, String> params = "POST".equals(method) ? form(exchange) : query(exchange);
        String redirectUri = params.get("redirect_uri");
        String state = params.get("state");
        if (!clientId.equals(params.get("client_id"))) {
            text(exchange, 400, "Fake " + name() + ": unknown client_id " + params.get("client_id"));
            return;
        }
        if (redirectUri == null || (!redirectUris.isEmpty() && !redirectUris.contains(redirectUri))) {
            text(exchange, 400, "Fake " + name() + ": redirect_uri " + redirectUri + " is not registered for this app " + redirectUris);
            return;
        }
        if (requireResponseType && !"code".equals(params.get("response_type"))) {
            redirect(exchange, withQuery(redirectUri, Map.of("error", "unsupported_response_type", "state", nullToEmpty(state))));
            return;
        }
        if (!expectedScope.equals(params.get("scope"))) {
            redirect(exchange, withQuery(redirectUri, Map.of("error", "invalid_scope", "error_description",
                    "expected scope " + expectedScope, "state", nullToEmpty(state))));
            return;
        }
        if ("POST".equals(method)) {
            if ("allow".equals(params.get("decision"))) {
                String code = randomToken();
                codes.put(code, new Grant(clientId, redirectUri, expectedScope));
                redirect(exchange, withQuery(redirectUri, Map.of("code", code, "state", nullToEmpty(state))));
            } else {
                redirect(exchange, withQuery(redirectUri, Map.of("error", "access_denied", "state", nullToEmpty(state))));
            }
            return;
        }
        html(exchange, 200, consentPage(exchange.getRequestURI().getPath(), params, expectedScope));
    }

    private String consentPage(String action, Map<String, String> params, String scope) {
        StringBuilder hidden = new StringBuilder();
        params.forEach((name, value) -> {
            if (!name.equals("decision")) {
                hidden.append("<input type=\"hidden\" name=\"").append(escape(name)).append("\" value=\"").append(escape(value)).append("\">");
            }
        });
        String form = "<form method=\"post\" action=\"" + escape(action) + "\">" + hidden;
        return """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><title>Fake %1$s: authorize</title></head>
                <body>
                <main>
                <h1>Fake %1$s</h1>
                <p>The app <strong>%2$s</strong> asks for: %3$s</p>
                %4$s<button type="submit" name="decision" value="allow">Allow</button></form>
                %4$s<button type="submit" name="decision" value="deny">Deny</button></form>
                </main>
                </body>
                </html>
                """.formatted(escape(name()), escape(clientId), escape(scope), form);
    }

    /**
     * Redeems a code at the token endpoint: the client must prove its secret, the code must be unused
     * and the redirect URI the one the code was issued for.
     *
     * @return the grant, or null when an error answer was written
     */
    protected Grant redeem(HttpExchange exchange, Map<String, String> form, String basicAuthorization, Refusal refusal) throws IOException {
        String error = failNextToken;
        if (error != null) {
            failNextToken = null;
            refusal.write(exchange, failNextTokenStatus, error, "failure requested by the test");
            return null;
        }
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        if (basicAuthorization != null && basicAuthorization.startsWith("Basic ")) {
            String decoded = new String(Base64.getDecoder().decode(basicAuthorization.substring(6)), StandardCharsets.UTF_8);
            id = decoded.substring(0, decoded.indexOf(':'));
            secret = decoded.substring(decoded.indexOf(':') + 1);
        }
        if (!clientId.equals(id) || !clientSecret.equals(secret)) {
            refusal.write(exchange, 401, "invalid_client", "client credentials do not match");
            return null;
        }
        Grant grant = form.get("code") == null ? null : codes.remove(form.get("code"));
        if (grant == null) {
            refusal.write(exchange, 400, "invalid_grant", "unknown or used code");
            return null;
        }
        if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
            refusal.write(exchange, 400, "invalid_grant", "redirect_uri does not match the authorization");
            return null;
        }
        return grant;
    }

    /** How this provider writes a refused token call. */
    @FunctionalInterface
    protected interface Refusal {
        void write(HttpExchange exchange, int status, String error, String description) throws IOException;
    }

    /** The webhook URL to hand out: the one a test asked for, or {@code own}. */
    protected String webhookUrl(String own) {
        String next = nextWebhookUrl;
        nextWebhookUrl = null;
        return next != null ? next : own;
    }

    protected synchronized void record(HttpExchange exchange, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.equals("content-type") || lower.equals("authorization") || lower.startsWith("webhook-")) {
                headers.put(lower, values.getFirst());
            }
        });
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(), headers, body));
    }

    // ------------------------------------------------------------------ helpers

    static String randomToken() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    static Map<String, String> form(HttpExchange exchange) throws IOException {
        return decode(body(exchange));
    }

    static Map<String, String> query(HttpExchange exchange) {
        return decode(exchange.getRequestURI().getRawQuery());
    }

    static Map<String, String> decode(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            out.put(name, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static String withQuery(String uri, Map<String, String> parameters) {
        String encoded = parameters.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("&"));
        return uri + (uri.contains("?") ? "&" : "?") + encoded;
    }

    static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", URI.create(location).toString());
        exchange.sendResponseHeaders(303, -1);
    }

    static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    static void html(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "text/html; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    static void text(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean empty = body.length == 0 || status == 204;
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
