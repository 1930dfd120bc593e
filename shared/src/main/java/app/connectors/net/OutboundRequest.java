package app.connectors.net;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP request a delivery sends: a method, the destination URL (a credential: never log it),
 * headers and a JSON body.
 *
 * <pre>{@code
 * OutboundRequest request = OutboundRequest.postJson(URI.create(webhookUrl), Json.writeBytes(payload));
 * }</pre>
 *
 * @param method  POST, PUT or PATCH
 * @param uri     absolute http(s) URL
 * @param headers header names and values; {@code Host}, {@code Content-Length} and other
 *                connection-level headers are set by the sender and ignored here
 * @param body    the body bytes (JSON unless a {@code Content-Type} header says otherwise)
 */
public record OutboundRequest(Method method, URI uri, Map<String, String> headers, byte[] body) {

    /** The methods a delivery may use. */
    public enum Method {
        POST, PUT, PATCH
    }

    public OutboundRequest {
        if (method == null || uri == null) {
            throw new IllegalArgumentException("method and uri are required");
        }
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body == null ? new byte[0] : body.clone();
    }

    public static OutboundRequest postJson(URI uri, byte[] json) {
        return new OutboundRequest(Method.POST, uri, Map.of("Content-Type", "application/json"), json);
    }

    /** A copy; the record must not expose its array. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OutboundRequest that && method == that.method && uri.equals(that.uri)
                && headers.equals(that.headers) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(method, uri, headers) + Arrays.hashCode(body);
    }

    /** Headers whose values are not secrets; every other header value is treated as one by {@link #scrub}. */
    private static final java.util.Set<String> PUBLIC_HEADERS = java.util.Set.of("content-type", "accept", "user-agent",
            "webhook-id", "webhook-timestamp");

    /**
     * {@code text} (a destination's answer, an error) with every secret of this request taken out:
     * the URL's path, query and user info, and the values of its headers (API keys, tokens, the
     * user's own secret headers). Destinations sometimes echo what they were sent; what they echo
     * must not reach the delivery log, the logs or a dead-letter attribute.
     */
    public String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        java.util.List<String> secrets = new java.util.ArrayList<>(java.util.Arrays.asList(uri.getRawPath(), uri.getPath(),
                uri.getRawQuery(), uri.getQuery(), uri.getRawUserInfo(), uri.getUserInfo()));
        headers.forEach((name, value) -> {
            if (!PUBLIC_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                secrets.add(value);
                int space = value.indexOf(' ');
                if (space > 0) {
                    secrets.add(value.substring(space + 1)); // "Bearer <token>": the token alone, too
                }
            }
        });
        // Longest first, so a secret that contains another is replaced whole.
        secrets.sort(java.util.Comparator.comparingInt((String secret) -> secret == null ? 0 : secret.length()).reversed());
        String scrubbed = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() > 3 && !secret.equals("/")) {
                scrubbed = scrubbed.replace(secret, "…");
            }
        }
        return scrubbed;
    }

    /** Never the URL: its path and query are secrets. */
    @Override
    public String toString() {
        return "OutboundRequest[" + method + " " + safeOrigin() + ", " + body.length + " bytes]";
    }

    private String safeOrigin() {
        try {
            return Origin.of(uri).toString();
        } catch (IllegalArgumentException e) {
            return "(invalid url)";
        }
    }
}
