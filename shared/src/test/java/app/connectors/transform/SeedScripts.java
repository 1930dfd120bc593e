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
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Scriptable;

/** Test support: the seed's example transformations and the example payloads written in their comments. */
final class SeedScripts {

    private SeedScripts() {
    }

    static String source(String name) {
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
     * JavaScript it is (unquoted keys, single quotes) by a plain, trusted Rhino context.
     */
    static JsonNode examplePayload(String source) {
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
        Context cx = Context.enter();
        try {
            Scriptable scope = cx.initSafeStandardObjects();
            Object json = cx.evaluateString(scope, "JSON.stringify(" + String.join("\n", literal) + ")", "payload", 1, null);
            return Json.parse(Context.toString(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } finally {
            Context.exit();
        }
    }

    static JsonNode json(String text) {
        try {
            return Json.parse(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
