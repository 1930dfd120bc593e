package app.connectors.format;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.InvalidEventException;
import app.connectors.event.TestEventCatalogs;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ZapierFormatterTest {

    private static final String NESTED = "test.nested";
    /** A type whose schema declares a nested object, a list and a free-form object. */
    private static final ObjectNode NESTED_SCHEMA = object("""
            {"type":"object","properties":{
               "title":{"type":"string"},
               "author":{"type":"object","properties":{"name":{"type":"string"},"org":{"type":"object","properties":{"name":{"type":"string"}}}}},
               "tags":{"type":"array","items":{"type":"string"}},
               "meta":{"type":"object"},
               "a.b":{"type":"integer"},
               "count":{"type":"integer"},
               "urgent":{"type":"boolean"}}}
            """);
    private static final EventCatalog CATALOG = TestEventCatalogs.standardWith(NESTED, NESTED_SCHEMA);
    private final ZapierFormatter formatter = new ZapierFormatter(CATALOG);

    @Test
    void flattensTheEnvelopeIntoDottedKeys() {
        // GIVEN the catalog's status change example
        Event event = TestEvents.example(TestEvents.STATUS_CHANGED);

        // WHEN formatted
        ObjectNode flat = formatter.format(event);

        // THEN the envelope's parts appear under dotted names, and what the event lacks is null
        assertThat(flat.path("event.id").asText()).isEqualTo(event.id());
        assertThat(flat.path("event.type").asText()).isEqualTo(event.type());
        assertThat(flat.path("event.occurredAt").asText()).isEqualTo("2026-11-20T14:03:00Z");
        assertThat(flat.get("event.userId").isNull()).isTrue();
        assertThat(flat.path("subject.title").asText()).isEqualTo(event.subject().title());
        assertThat(flat.path("subject.url").asText()).isEqualTo(event.subject().url());
        assertThat(flat.path("subject.status").asText()).isEqualTo("kept");
        assertThat(flat.path("attributes.category").asText()).isEqualTo("tech-product");
        assertThat(flat.path("data.previousStatus").asText()).isEqualTo("in_progress");
        assertThat(flat.get("extra.data").isNull()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("catalogExamples")
    void everyCatalogExampleBecomesOneLevelOfScalarsAndLosesNothing(Event event) {
        ObjectNode flat = formatter.format(event);

        assertThat(flat.properties()).allSatisfy(e -> assertThat(e.getValue().isContainerNode()).as(e.getKey()).isFalse());
        assertThat(unflattenData(flat, event.type())).isEqualTo(withoutNulls(event.data()));
    }

    @Test
    void theKeySetDependsOnTheTypeNotOnTheData() {
        // GIVEN three events of one type whose data differ in shape: empty list, one item, wrong shapes, nothing
        List<ObjectNode> data = List.of(
                object("{\"tags\":[],\"author\":{\"name\":\"Ada\"}}"),
                object("{\"tags\":[\"one\"],\"author\":{\"name\":\"Ada\",\"org\":{\"name\":\"Acme\"}},\"meta\":{\"k\":1}}"),
                object("{\"tags\":{\"not\":\"a list\"},\"author\":\"just text\",\"unlisted\":[1,2]}"),
                Json.object());

        // WHEN each is formatted
        List<List<String>> keySets = new ArrayList<>();
        for (ObjectNode d : data) {
            List<String> keys = new ArrayList<>();
            formatter.format(nested(d)).fieldNames().forEachRemaining(keys::add);
            keySets.add(keys);
        }

        // THEN every payload has the same keys, in the same order
        assertThat(keySets).allSatisfy(keys -> assertThat(keys).isEqualTo(keySets.getFirst()));
        assertThat(keySets.getFirst()).contains("data.title", "data.author.name", "data.author.org.name", "data.tags",
                "data.meta", "data.a~1b", "data.count", "data.urgent", "extra.attributes", "extra.data");
    }

    @Test
    void aKeyWithADotNeverCollidesWithANestedPath() {
        // GIVEN data where "a.b" is a key and a is also an object holding b
        ObjectNode d = object("{\"a\":{\"b\":1},\"a.b\":2}");

        // WHEN formatted
        ObjectNode flat = formatter.format(nested(d));

        // THEN both values arrive: the declared "a.b" under its escaped key, the undeclared "a" in extra.data
        assertThat(flat.get("data.a~1b").intValue()).isEqualTo(2);
        assertThat(object(flat.get("extra.data").asText())).isEqualTo(object("{\"a\":{\"b\":1}}"));
        assertThat(unflattenData(flat, NESTED)).isEqualTo(d);
    }

    @Test
    void listsAreOneKeyOfJsonTextAndScalarsKeepTheirTypes() {
        ObjectNode flat = formatter.format(nested(object(
                "{\"tags\":[\"mobile\",\"a, b\",7],\"count\":24,\"urgent\":true,\"meta\":{\"x\":[1,{\"y\":2}]}}")));

        assertThat(flat.get("data.tags").asText()).isEqualTo("[\"mobile\",\"a, b\",7]");
        assertThat(flat.get("data.meta").asText()).isEqualTo("{\"x\":[1,{\"y\":2}]}");
        assertThat(flat.get("data.count").isInt()).isTrue();
        assertThat(flat.get("data.count").intValue()).isEqualTo(24);
        assertThat(flat.get("data.urgent").isBoolean()).isTrue();
        assertThat(flat.get("data.title").isNull()).isTrue();
    }

    @Test
    void undeclaredAttributesArriveInExtraAttributes() {
        ObjectNode envelope = TestEvents.envelope(TestEvents.STATUS_CHANGED);
        ((ObjectNode) envelope.get("attributes")).put("region.eu", "yes").remove("company");

        ObjectNode flat = formatter.format(TestEvents.parse(envelope));

        assertThat(flat.get("attributes.company").isNull()).isTrue();
        assertThat(flat.has("attributes.region~1eu")).isFalse();
        assertThat(object(flat.get("extra.attributes").asText())).isEqualTo(object("{\"region.eu\":\"yes\"}"));
    }

    @Test
    void randomDataAlwaysComesBackWhole() {
        // GIVEN many random data objects mixing declared and undeclared fields of every shape
        Random random = new Random(11);
        for (int i = 0; i < 500; i++) {
            ObjectNode d = randomData(random);

            // WHEN formatted and read back by the README's rules
            ObjectNode flat = formatter.format(nested(d));

            // THEN every value is there (a null and a missing value both read as missing)
            assertThat(unflattenData(flat, NESTED)).as(d.toString()).isEqualTo(withoutNulls(d));
            assertThat(flat.properties()).allSatisfy(e -> assertThat(e.getValue().isContainerNode()).isFalse());
        }
    }

    @Test
    void includesTheUserIdWhenTheEventHasOne() {
        ObjectNode envelope = TestEvents.envelope(TestEvents.STATUS_CHANGED).put("userId", "user-42");
        assertThat(formatter.format(TestEvents.parse(envelope)).path("event.userId").asText()).isEqualTo("user-42");
    }

    static Stream<Event> catalogExamples() {
        return TestEvents.catalogExamples();
    }

    // ------------------------------------------------------------------ helpers

    private static Event nested(ObjectNode data) {
        ObjectNode envelope = TestEvents.envelope(TestEvents.STATUS_CHANGED).put("type", NESTED);
        envelope.set("data", data);
        try {
            return TestEventCatalogs.parser(CATALOG).parse(Json.write(envelope));
        } catch (InvalidEventException e) {
            throw new AssertionError(e);
        }
    }

    /** Rebuilds {@code data} from a flat payload by README's rules: dotted keys of the schema, then extra.data merged in. */
    private static ObjectNode unflattenData(ObjectNode flat, String type) {
        JsonNode schema = CATALOG.find(type).orElseThrow().schema();
        ObjectNode data = Json.object();
        rebuild(flat, "data", schema, data);
        if (!flat.get("extra.data").isNull()) {
            merge(data, object(flat.get("extra.data").asText()));
        }
        return withoutNulls(data);
    }

    private static void rebuild(ObjectNode flat, String prefix, JsonNode schema, ObjectNode into) {
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            String key = prefix + "." + property.getKey().replace("~", "~0").replace(".", "~1");
            if (property.getValue().path("properties").isObject() && !property.getValue().path("properties").isEmpty()) {
                ObjectNode child = Json.object();
                rebuild(flat, key, property.getValue(), child);
                into.set(property.getKey(), child);
            } else {
                JsonNode value = flat.get(key);
                String declared = property.getValue().path("type").asText();
                boolean container = declared.equals("array") || declared.equals("object");
                into.set(property.getKey(), container && !value.isNull() ? parse(value.asText()) : value);
            }
        }
    }

    private static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static ObjectNode object(String json) {
        return (ObjectNode) parse(json);
    }

    private static void merge(ObjectNode into, ObjectNode extra) {
        extra.properties().forEach(e -> {
            JsonNode existing = into.get(e.getKey());
            if (existing != null && existing.isObject() && e.getValue().isObject() && !((ObjectNode) existing).isEmpty()) {
                merge((ObjectNode) existing, (ObjectNode) e.getValue());
            } else {
                into.set(e.getKey(), e.getValue());
            }
        });
    }

    /** Drops null members and objects left empty, recursively (missing and null read the same). */
    private static ObjectNode withoutNulls(JsonNode node) {
        ObjectNode out = Json.object();
        node.properties().forEach(e -> {
            JsonNode value = e.getValue();
            if (value.isNull()) {
                return;
            }
            if (value.isObject()) {
                ObjectNode inner = withoutNulls(value);
                if (!inner.isEmpty()) {
                    out.set(e.getKey(), inner);
                }
            } else {
                out.set(e.getKey(), value);
            }
        });
        return out;
    }

    private static ObjectNode randomData(Random random) {
        ObjectNode d = Json.object();
        String[] names = {"title", "author", "tags", "meta", "a.b", "count", "urgent", "x", "a", "x~y"};
        for (String name : names) {
            if (random.nextInt(3) > 0) {
                d.set(name, randomValue(random, 2));
            }
        }
        return d;
    }

    private static JsonNode randomValue(Random random, int depth) {
        return switch (random.nextInt(depth > 0 ? 7 : 4)) {
            case 0 -> Json.MAPPER.getNodeFactory().textNode("t" + random.nextInt(100) + (random.nextBoolean() ? ", ." : ""));
            case 1 -> Json.MAPPER.getNodeFactory().numberNode(random.nextInt(1000));
            case 2 -> Json.MAPPER.getNodeFactory().booleanNode(random.nextBoolean());
            case 3 -> Json.MAPPER.getNodeFactory().textNode("{not json");
            case 4, 5 -> {
                ObjectNode o = Json.object();
                for (String name : new String[] {"name", "org", "k", "a.b"}) {
                    if (random.nextBoolean()) {
                        o.set(name, randomValue(random, depth - 1));
                    }
                }
                yield o;
            }
            default -> {
                var array = Json.array();
                for (int i = random.nextInt(3); i > 0; i--) {
                    array.add(randomValue(random, depth - 1));
                }
                yield array;
            }
        };
    }
}
