package app.connectors.net;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One call of {@link HttpFetcher}: GET, or POST with a body. The URL may carry credentials (never
 * log it; {@link #toString} shows the origin only).
 */
public record FetchRequest(String method, URI uri, Map<String, String> headers, byte[] body) {

    public FetchRequest {
        if (!"GET".equals(method) && !"POST".equals(method)) {
            throw new IllegalArgumentException("a fetch is a GET or a POST, not " + method);
        }
        if (uri == null) {
            throw new IllegalArgumentException("uri is required");
        }
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
    }

    public static FetchRequest get(URI uri, Map<String, String> headers) {
        return new FetchRequest("GET", uri, headers, null);
    }

    /** An {@code application/x-www-form-urlencoded} POST, as OAuth token endpoints take. */
    public static FetchRequest postForm(URI uri, Map<String, String> form, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/x-www-form-urlencoded");
        all.putIfAbsent("Accept", "application/json");
        String encoded = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return new FetchRequest("POST", uri, all, encoded.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        String origin;
        try {
            origin = Origin.of(uri).toString();
        } catch (IllegalArgumentException e) {
            origin = "(invalid url)";
        }
        return "FetchRequest[" + method + " " + origin + "]";
    }
}
