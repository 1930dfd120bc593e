package app.connectors.catalog;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The connector types the service offers, read once from {@code /catalog/connector-types.json}.
 * Adding a type is a change to that file, not to a handler.
 *
 * <pre>{@code
 * ConnectorType slack = ConnectorTypeCatalog.standard().find("slack").orElseThrow();
 * }</pre>
 */
public final class ConnectorTypeCatalog {

    private static final String RESOURCE = "/catalog/connector-types.json";
    private static final ConnectorTypeCatalog STANDARD = load(Json.resource(RESOURCE));

    private final Map<String, ConnectorType> types;

    private ConnectorTypeCatalog(Map<String, ConnectorType> types) {
        this.types = types;
    }

    /** The catalog shipped with the service; parsed once per execution environment. */
    public static ConnectorTypeCatalog standard() {
        return STANDARD;
    }

    public Optional<ConnectorType> find(String name) {
        return Optional.ofNullable(name == null ? null : types.get(name));
    }

    public Collection<ConnectorType> all() {
        return types.values();
    }

    public List<String> names() {
        return List.copyOf(types.keySet());
    }

    static ConnectorTypeCatalog load(JsonNode root) {
        Map<String, ConnectorType> types = new LinkedHashMap<>();
        for (JsonNode t : root.path("types")) {
            List<FieldSpec> fields = new ArrayList<>();
            for (JsonNode f : t.path("fields")) {
                fields.add(new FieldSpec(
                        f.path("name").asText(),
                        f.path("kind").asText(FieldSpec.STRING),
                        f.path("required").asBoolean(false),
                        f.path("secret").asBoolean(false),
                        f.path("description").asText(""),
                        strings(f.path("hosts")),
                        f.hasNonNull("pathPattern") ? Pattern.compile(f.path("pathPattern").asText()) : null,
                        strings(f.path("values")),
                        f.path("maxLength").asInt(2048),
                        f.get("example")));
            }
            JsonNode pacing = t.path("pacing");
            ConnectorType type = new ConnectorType(
                    t.path("name").asText(),
                    t.path("displayName").asText(),
                    t.path("description").asText(),
                    t.path("format").asText(t.path("name").asText()),
                    new ConnectorType.Pacing(pacing.path("requests").asInt(10),
                            Duration.ofMillis(pacing.path("perMillis").asLong(1000))),
                    fields,
                    strings(t.path("setupSteps")),
                    stringMap(t.path("query")),
                    integers(t.path("goneStatuses")),
                    t.hasNonNull("endpoint") ? t.get("endpoint").asText() : null,
                    t.has("auth") ? new ConnectorType.Auth(t.path("auth").path("scheme").asText("none"),
                            textOrNull(t.path("auth"), "token"), textOrNull(t.path("auth"), "username"),
                            textOrNull(t.path("auth"), "password")) : null,
                    textOrNull(t, "defaultTransformation"),
                    requiredWhen(t.path("requiredWhen")));
            if (types.put(type.name(), type) != null) {
                throw new IllegalStateException("connector type listed twice: " + type.name());
            }
        }
        return new ConnectorTypeCatalog(java.util.Collections.unmodifiableMap(types));
    }

    private static String textOrNull(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static List<ConnectorType.RequiredWhen> requiredWhen(JsonNode array) {
        List<ConnectorType.RequiredWhen> out = new ArrayList<>();
        array.forEach(rule -> out.add(new ConnectorType.RequiredWhen(rule.path("field").asText(), rule.path("equals").asText(),
                strings(rule.path("require")))));
        return out;
    }

    private static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static java.util.Set<Integer> integers(JsonNode array) {
        java.util.Set<Integer> out = new java.util.HashSet<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
