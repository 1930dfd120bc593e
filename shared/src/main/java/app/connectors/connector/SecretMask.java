package app.connectors.connector;

import app.connectors.catalog.ConnectorType;
import app.connectors.catalog.FieldSpec;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;

/**
 * Masks secrets for display, one style for every kind: {@value #MARK} followed by the last four
 * characters of a secret of {@value #SHOW_FROM} characters or more, and nothing of a shorter one.
 * A URL keeps its scheme, host and port in front (they say which platform it is and are not the
 * secret; a {@code user:password@} part is dropped), and what follows the host is masked as above.
 * Masks are computed when a connector is shown, from its decrypted secrets; none is stored.
 *
 * <pre>{@code
 * SecretMask.url("https://hooks.slack.com/services/T0/B0/abcd1234efgh5678") // "https://hooks.slack.com/••••5678"
 * SecretMask.text("sk_live_0123456789abcdef")                             // "••••cdef"
 * SecretMask.text("short-secret")                                         // "••••"
 * }</pre>
 */
public final class SecretMask {

    /** Stands for the hidden characters; a URL containing it is a masked one. */
    public static final String MARK = "••••";
    /** Secrets shorter than this show nothing: four characters would be too large a share of them. */
    public static final int SHOW_FROM = 16;
    private static final int SHOWN = 4;

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

    /** A URL: its origin, then what follows the host masked like any secret. Not a URL: masked as text. */
    public static String url(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() != null && uri.getHost() != null && uri.getRawAuthority() != null) {
                String origin = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
                String rest = value.substring(value.indexOf("//") + 2 + uri.getRawAuthority().length());
                return origin + "/" + text(withoutSlashes(rest));
            }
        } catch (java.net.URISyntaxException ignored) {
            // Not a URL after all: fall through to the text mask.
        }
        return text(value);
    }

    /** {@value #MARK} and the last four characters when the secret has at least {@value #SHOW_FROM}; else {@value #MARK}. */
    public static String text(String value) {
        if (value.length() < SHOW_FROM) {
            return MARK;
        }
        int end = value.length();
        int start = end - SHOWN;
        // Never show half of a surrogate pair.
        if (Character.isLowSurrogate(value.charAt(start))) {
            start++;
        }
        return MARK + value.substring(start, end);
    }

    /** A URL's path without its leading and trailing slashes, so "…/abcd/" shows "abcd", not "bcd/". */
    private static String withoutSlashes(String rest) {
        int from = 0;
        int to = rest.length();
        while (from < to && rest.charAt(from) == '/') {
            from++;
        }
        while (to > from && rest.charAt(to - 1) == '/') {
            to--;
        }
        return rest.substring(from, to);
    }
}
