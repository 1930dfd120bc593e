package app.connectors.filter;

import app.connectors.event.EventType;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an event can hold at one place of the envelope, so that a filter naming a field no event of
 * the connector's types can have is refused when it is saved instead of silently never matching.
 * {@code data} is read from the event types' JSON schemas: a field is known when at least one of the
 * types lists it under {@code properties} (a schema without {@code properties}, or with
 * {@code additionalProperties}, is open); arrays are looked through to their {@code items}, as
 * matching does.
 */
abstract sealed class FieldScope {

    private static final FieldScope ANYTHING = new Anything();

    /** No checks: for patterns loaded from storage, which were checked when they were saved. */
    static FieldScope anything() {
        return ANYTHING;
    }

    /** The envelope of events of {@code types}. */
    static FieldScope envelope(Collection<EventType> types) {
        Map<String, FieldScope> fields = new LinkedHashMap<>();
        fields.put("type", new Value("type"));
        fields.put("userId", new Value("userId"));
        Map<String, FieldScope> subject = new LinkedHashMap<>();
        for (String f : List.of("title", "url", "status")) {
            subject.put(f, new Value("subject." + f));
        }
        fields.put("subject", new Closed("subject", subject));
        fields.put("attributes", new Attributes());
        fields.put("data", new Schema("data", types.stream().map(t -> (JsonNode) t.schema()).toList()));
        return new Closed("the event", fields);
    }

    /** The scope of field {@code name} here, or null when no event can have it. */
    abstract FieldScope field(String name);

    /**
     * Whether {@code name} is a field known by name here (not merely allowed because the place is
     * open), so that a field named like an operator is taken for a field only when it really is one.
     */
    boolean declares(String name) {
        return field(name) != null;
    }

    /** Why {@code name} cannot be here, and what can. */
    abstract String unknownField(String name);

    /** Whether this place holds a single value, so that naming fields below it can never match. */
    boolean valueOnly() {
        return false;
    }

    private static final class Anything extends FieldScope {
        @Override
        FieldScope field(String name) {
            return this;
        }

        @Override
        String unknownField(String name) {
            throw new IllegalStateException("every field is known here");
        }
    }

    /** A place a schema leaves open: any field may be there, none is known by name. */
    private static final class Open extends FieldScope {
        @Override
        FieldScope field(String name) {
            return this;
        }

        @Override
        boolean declares(String name) {
            return false;
        }

        @Override
        String unknownField(String name) {
            throw new IllegalStateException("every field is allowed here");
        }
    }

    private static final class Value extends FieldScope {
        private final String what;

        Value(String what) {
            this.what = what;
        }

        @Override
        FieldScope field(String name) {
            return null;
        }

        @Override
        String unknownField(String name) {
            return what + " is a single value, not an object with a field '" + name + "'; match it with a list such as [\"…\"]";
        }

        @Override
        boolean valueOnly() {
            return true;
        }
    }

    private static final class Closed extends FieldScope {
        private final String what;
        private final Map<String, FieldScope> fields;

        Closed(String what, Map<String, FieldScope> fields) {
            this.what = what;
            this.fields = fields;
        }

        @Override
        FieldScope field(String name) {
            return fields.get(name);
        }

        @Override
        String unknownField(String name) {
            return "'" + name + "' is not a field of " + what + "; its fields are " + String.join(", ", fields.keySet());
        }
    }

    /** {@code attributes}: any name, each a single value (the event parser refuses nested attributes). */
    private static final class Attributes extends FieldScope {
        @Override
        FieldScope field(String name) {
            return new Value("attributes." + name);
        }

        @Override
        String unknownField(String name) {
            throw new IllegalStateException("every attribute name is allowed");
        }
    }

    /** A place described by the JSON schemas of one or more event types (any of them may hold the field). */
    private static final class Schema extends FieldScope {
        private final String what;
        private final List<JsonNode> schemas;

        Schema(String what, List<JsonNode> schemas) {
            this.what = what;
            this.schemas = schemas.stream().map(Schema::throughArrays).toList();
        }

        private static JsonNode throughArrays(JsonNode schema) {
            JsonNode s = schema;
            for (int i = 0; i < 8 && s.has("items") && s.get("items").isObject(); i++) {
                s = s.get("items");
            }
            return s;
        }

        private static Set<String> types(JsonNode schema) {
            JsonNode type = schema.get("type");
            Set<String> out = new LinkedHashSet<>();
            if (type == null) {
                return out;
            }
            if (type.isArray()) {
                type.forEach(t -> out.add(t.asText()));
            } else {
                out.add(type.asText());
            }
            return out;
        }

        private static boolean open(JsonNode schema) {
            JsonNode additional = schema.get("additionalProperties");
            if (additional != null && (additional.isObject() || additional.asBoolean(false))) {
                return true;
            }
            Set<String> types = types(schema);
            return !schema.has("properties") && (types.isEmpty() || types.contains("object"));
        }

        @Override
        FieldScope field(String name) {
            List<JsonNode> found = new ArrayList<>();
            for (JsonNode schema : schemas) {
                if (open(schema)) {
                    return new Open();
                }
                JsonNode property = schema.path("properties").get(name);
                if (property != null && property.isObject()) {
                    found.add(property);
                }
            }
            return found.isEmpty() ? null : new Schema(what + "." + name, found);
        }

        @Override
        String unknownField(String name) {
            Set<String> known = new LinkedHashSet<>();
            for (JsonNode schema : schemas) {
                schema.path("properties").fieldNames().forEachRemaining(known::add);
            }
            if (known.isEmpty()) {
                return what + " is a single value, not an object with a field '" + name + "'; match it with a list such as [\"…\"]";
            }
            return "'" + name + "' is not a field of " + what + " in the connector's event types; its fields are "
                    + String.join(", ", known);
        }

        @Override
        boolean valueOnly() {
            for (JsonNode schema : schemas) {
                if (open(schema) || schema.has("properties")) {
                    return false;
                }
            }
            return true;
        }
    }
}
