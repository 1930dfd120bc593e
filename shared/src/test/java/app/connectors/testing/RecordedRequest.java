package app.connectors.testing;

import app.connectors.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request a {@link FakeDestination} received, exactly as it arrived.
 *
 * <pre>{@code
 * RecordedRequest r = fake.awaitRequests(1, Duration.ofSeconds(5)).get(0);
 * assertThat(r.header("content-type")).contains("application/json");
 * assertThat(r.json().path("text").asText()).contains("Promise kept");
 * }</pre>
 *
 * @param method     request method
 * @param path       raw path ({@code /services/T0/B0/x})
 * @param query      raw query without {@code ?}, or empty
 * @param headers    header values by lower-case name
 * @param body       body bytes (de-chunked)
 * @param receivedAt when the body was complete
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                              byte[] body, Instant receivedAt) {

    public RecordedRequest {
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** A decoded query parameter. */
    public Optional<String> queryParameter(String name) {
        if (query.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as JSON; a test that expects JSON fails loudly on anything else. */
    public JsonNode json() {
        try {
            return Json.parse(bodyText());
        } catch (JsonProcessingException e) {
            throw new AssertionError("request body is not JSON: " + e.getOriginalMessage());
        }
    }

    @Override
    public String toString() {
        return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " (" + body.length + " bytes)";
    }
}
