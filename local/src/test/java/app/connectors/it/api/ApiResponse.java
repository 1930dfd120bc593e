package app.connectors.it.api;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** One answer of the API, whether it came straight from a handler or over HTTP through the gateway. */
record ApiResponse(int status, Map<String, List<String>> headers, String body) {

    JsonNode json() {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
        }
    }

    String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().isEmpty() ? null : e.getValue().getFirst()).findFirst().orElse(null);
    }

    /** The fields named by a problem's {@code errors}. */
    List<String> errorFields() {
        return json().path("errors").findValuesAsText("field");
    }

    /** The field errors' messages, for assertions on what a message names. */
    List<String> errorMessages() {
        return json().path("errors").findValuesAsText("message");
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
