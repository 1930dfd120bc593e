package app.connectors.functions.portal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The portal's session cookie. {@code __Host-} (the browser accepts it only Secure, host-only, on
 * Path=/, so no sibling subdomain can plant one: no session fixation by cookie tossing), HttpOnly
 * (script cannot read it), {@code SameSite=None; Partitioned} (the portal works inside the host
 * platform's cross-site iframe, in a cookie jar partitioned by the top-level site). Cross-site
 * requests carry it, so every state-changing request must also prove the page's CSRF token; see
 * docs/decisions for the reasoning.
 *
 * <pre>{@code
 * String header = SessionCookie.set(token, Duration.ofHours(8));
 * Optional<String> token = SessionCookie.read(event);
 * }</pre>
 */
public final class SessionCookie {

    public static final String NAME = "__Host-connectors_portal";
    private static final String ATTRIBUTES = "; Path=/; Secure; HttpOnly; SameSite=None; Partitioned";

    private SessionCookie() {
    }

    /** The Set-Cookie value that stores the session token for {@code maxAge}. */
    public static String set(String token, Duration maxAge) {
        return NAME + "=" + token + ATTRIBUTES + "; Max-Age=" + Math.max(0, maxAge.toSeconds());
    }

    /** The Set-Cookie value that removes the cookie (same attributes, so it replaces the same one). */
    public static String clear() {
        return NAME + "=" + ATTRIBUTES + "; Max-Age=0";
    }

    /** The session token the request's Cookie header(s) carry, if any. */
    public static Optional<String> read(APIGatewayProxyRequestEvent event) {
        for (String header : cookieHeaders(event)) {
            for (String pair : header.split(";")) {
                String trimmed = pair.trim();
                int equals = trimmed.indexOf('=');
                if (equals > 0 && trimmed.substring(0, equals).trim().equals(NAME)) {
                    String value = trimmed.substring(equals + 1).trim();
                    if (!value.isEmpty()) {
                        return Optional.of(value);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> cookieHeaders(APIGatewayProxyRequestEvent event) {
        List<String> values = new ArrayList<>();
        Map<String, List<String>> multi = event.getMultiValueHeaders();
        if (multi != null) {
            multi.forEach((name, list) -> {
                if ("cookie".equalsIgnoreCase(name) && list != null) {
                    values.addAll(list);
                }
            });
        }
        if (values.isEmpty() && event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> {
                if ("cookie".equalsIgnoreCase(name) && value != null) {
                    values.add(value);
                }
            });
        }
        return values;
    }
}
