package app.connectors.connector;

import app.connectors.catalog.ConnectorType;
import app.connectors.catalog.FieldSpec;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;

/**
 * Masks secrets for display: enough is left to recognise a value (the host of a URL, the last four
 * characters) and nothing that would let someone use it.
 *
 * <pre>{@code
 * SecretMask.url("https://hooks.slack.com/services/T0/B0/abcd1234") // "https://hooks.slack.com/…1234"
 * SecretMask.text("sk_live_0123456789")                            // "sk_…6789"
 * }</pre>
 */
public final class SecretMask {

    /** Marks where a masked value was cut; a URL containing it is a masked one. */
    public static final String ELLIPSIS = "…";
    private static final String MASK = "••••";
    /** Secrets shorter than this are masked entirely: four characters would be too much of them. */
    private static final int SHORT = 12;

    private SecretMask() {
    }

    /** The masked form of every secret field of {@code secrets}, per the type's field kinds. */
    public static ObjectNode config(ConnectorType type, ObjectNode secrets) {
        ObjectNode masked = Json.object();
        secrets.fields().forEachRemaining(entry -> {
            FieldSpec spec = type.field(entry.getKey()).orElse(null);
            JsonNode value = entry.getValue();
            if (spec != null && FieldSpec.HEADERS.equals(spec.kind()) && value.isObject()) {
                ObjectNode headers = Json.object();
                value.fields().forEachRemaining(h -> headers.put(h.getKey(), text(h.getValue().asText())));
                masked.set(entry.getKey(), headers);
            } else if (spec != null && FieldSpec.URL.equals(spec.kind())) {
                masked.put(entry.getKey(), url(value.asText()));
            } else {
                masked.put(entry.getKey(), text(value.asText()));
            }
        });
        return masked;
    }

    public static String url(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() != null && uri.getHost() != null) {
                // The host and port only: a user-info part ("user:password@") is a credential.
                String origin = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
                // The secret is what follows the host; like a short text secret, a short one is not shown at all.
                String rest = value.substring(value.indexOf("//") + 2 + uri.getRawAuthority().length());
                return origin + "/" + (rest.length() < SHORT ? MASK : ELLIPSIS + last4(rest));
            }
        } catch (java.net.URISyntaxException ignored) {
            // Not a URL after all: fall through to the generic mask.
        }
        return text(value);
    }

    public static String text(String value) {
        if (value.length() < SHORT) {
            return MASK;
        }
        return value.substring(0, 3) + ELLIPSIS + last4(value);
    }

    private static String last4(String value) {
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        return trimmed.substring(Math.max(0, trimmed.length() - 4));
    }
}
