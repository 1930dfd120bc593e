package app.connectors.connector;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which extra request headers a user may have sent to a destination, whoever sets them: a
 * connector's {@code config.headers} at save time, or a transformation at delivery time. One set of
 * rules, so a transformation cannot send what the API refuses.
 *
 * <pre>{@code
 * HeaderRules.problem("Cookie", "a=b")   // Optional["header 'Cookie' is set by the service or is hop-by-hop; remove it"]
 * }</pre>
 */
public final class HeaderRules {

    public static final int MAX_HEADERS = 20;
    public static final int MAX_VALUE_LENGTH = 1024;

    private static final Pattern NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    /** Hop-by-hop headers, those the service sets itself, and those that would override its authentication or origin. */
    private static final Set<String> FORBIDDEN = Set.of(
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te",
            "trailer", "trailers", "transfer-encoding", "upgrade", "host", "content-length", "content-type",
            "content-encoding", "expect", "authorization", "cookie", "webhook-id", "webhook-timestamp",
            "webhook-signature", "user-agent", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
            "x-real-ip");

    private HeaderRules() {
    }

    /** Why the header name cannot be sent, or empty when it can. */
    public static Optional<String> nameProblem(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.of("'" + name + "' is not a valid header name");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (FORBIDDEN.contains(lower) || lower.startsWith("proxy-") || lower.startsWith("sec-")) {
            return Optional.of("header '" + name + "' is set by the service or is hop-by-hop; remove it");
        }
        return Optional.empty();
    }

    /** Why the header value cannot be sent, or empty when it can. */
    public static Optional<String> valueProblem(String value) {
        if (value.length() > MAX_VALUE_LENGTH || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            return Optional.of("header value must be at most " + MAX_VALUE_LENGTH + " characters without line breaks");
        }
        return Optional.empty();
    }

    /** Why the header cannot be sent (name first, then value), or empty when it can. */
    public static Optional<String> problem(String name, String value) {
        return nameProblem(name).or(() -> valueProblem(value));
    }
}
