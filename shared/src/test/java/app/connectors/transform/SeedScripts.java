package app.connectors.transform;

import app.connectors.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test support: the seed's example transformations and the example payloads written in their
 * comments. Shared with the integration tests and the engine comparison through the test-jar.
 */
public final class SeedScripts {

    private static final TransformationEngine ENGINE = new TransformationEngine();

    private SeedScripts() {
    }

    public static String source(String name) {
        try (InputStream in = SeedScripts.class.getResourceAsStream("/transform/seed/" + name + ".js")) {
            if (in == null) {
                throw new IllegalStateException("missing seed script " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The object literal under "Example payload is:" in the script's comment, evaluated as the
     * JavaScript it is (unquoted keys, single quotes): a handler that returns it, run in the sandbox.
     */
    public static JsonNode examplePayload(String source) {
        List<String> literal = new ArrayList<>();
        boolean inside = false;
        for (String line : source.split("\n")) {
            String text = line.replaceFirst("^\\s*\\*\\s?", "");
            if (text.contains("Example payload is:")) {
                inside = true;
                continue;
            }
            if (inside) {
                if (text.isBlank() || line.contains("*/")) {
                    break;
                }
                literal.add(text);
            }
        }
        if (literal.isEmpty()) {
            throw new IllegalStateException("no example payload in the script's comment");
        }
        TransformOutcome outcome = ENGINE.run("function handler(webhook) { webhook.payload = (" + String.join("\n", literal)
                + "\n); return webhook; }", Webhook.post("https://example.com/", "example", Json.object()));
        if (!(outcome instanceof TransformOutcome.Success success)) {
            throw new IllegalStateException("the example payload does not evaluate: " + outcome);
        }
        return success.webhook().payload();
    }

    /** Read as a transformation's result is ({@link Json#parseExact}), so that trees compare number for number. */
    public static JsonNode json(String text) {
        try {
            return Json.parseExact(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
