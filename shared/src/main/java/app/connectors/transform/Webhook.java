package app.connectors.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Map;
import java.util.Objects;
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

    /** A POST with no extra headers, not cancelled: the shape every delivery starts from. */
    public static Webhook post(String url, String eventType, JsonNode payload) {
        return new Webhook("POST", url, eventType, payload, Map.of(), false);
    }
}
