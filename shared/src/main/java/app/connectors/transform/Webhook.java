package app.connectors.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import app.connectors.connector.HeaderRules;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a transformation sees and may change: the request about to be sent to a destination.
 * The script sees exactly {@code {method, url, eventType, payload, headers, cancel}}.
 *
 * <pre>{@code
 * Webhook in = Webhook.post("https://hooks.slack.com/services/T/B/x", "invoice.created", payload);
 * TransformOutcome out = engine.run(code, in);
 * }</pre>
 *
 * @param method    {@code POST}, {@code PUT} or {@code PATCH}
 * @param url       destination address (checked for SSRF at connect time, not here)
 * @param eventType the event type; a transformation cannot change it
 * @param payload   the JSON body
 * @param headers   extra request headers (string values)
 * @param cancel    {@code true} when the transformation decided not to send
 */
public record Webhook(String method, String url, String eventType, JsonNode payload, Map<String, String> headers,
                      boolean cancel) {

    /** The methods a destination may be called with; a transformation may pick any of them. */
    public static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH");

    public Webhook {
        Objects.requireNonNull(method, "method");
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("method must be one of " + METHODS + ": " + method);
        }
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(eventType, "eventType");
        payload = payload == null ? NullNode.getInstance() : payload;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /**
     * Why this request cannot be sent as it is, or empty: the one check of a transformation's result
     * that deliveries and dry runs both ask, so a dry run refuses exactly what a delivery would. The
     * payload must be a JSON object or array; headers are held to the rules of {@code config.headers};
     * the URL must be one the HTTP client can send to (a port from 1 to 65535, no credentials), which
     * would otherwise fail inside the client on every retry instead of once, with a reason.
     */
    public Optional<String> sendProblem() {
        if (!payload.isObject() && !payload.isArray()) {
            return Optional.of("webhook.payload must be a JSON object or array; it is "
                    + (payload.isNull() ? "null" : payload.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        if (headers.size() > HeaderRules.MAX_HEADERS) {
            return Optional.of("webhook.headers has " + headers.size() + " headers; at most " + HeaderRules.MAX_HEADERS
                    + " are allowed");
        }
        for (var header : headers.entrySet()) {
            var problem = HeaderRules.problem(header.getKey(), header.getValue());
            if (problem.isPresent()) {
                return Optional.of("webhook.headers: " + problem.get());
            }
        }
        URI uri;
        try {
            // {field} placeholders of a type's endpoint are filled after the transformation.
            uri = new URI(url.replace("{", "%7B").replace("}", "%7D"));
        } catch (URISyntaxException e) {
            return Optional.of("webhook.url is not a valid URL (" + e.getReason() + ")");
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            return Optional.of("webhook.url must not contain a user name or password (user:password@host); send credentials in a header");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return Optional.of("webhook.url must be an absolute https:// URL with a host");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return Optional.of("webhook.url has port " + uri.getPort() + "; a port is a number from 1 to 65535");
        }
        return Optional.empty();
    }

    /** A POST with no extra headers, not cancelled: the shape every delivery starts from. */
    public static Webhook post(String url, String eventType, JsonNode payload) {
        return new Webhook("POST", url, eventType, payload, Map.of(), false);
    }
}
