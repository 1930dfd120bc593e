package app.connectors.connector;

import app.connectors.catalog.ConnectorType;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.catalog.FieldSpec;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventType;
import app.connectors.filter.EventPattern;
import app.connectors.json.Json;
import app.connectors.problem.FieldError;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a connector against its type's catalog entry and the event catalog, and reports every
 * problem at once, each naming its field and what to do about it.
 *
 * <pre>{@code
 * ConnectorSpec spec = validator.validate("slack", "Eng", config, events, filters, null);
 * }</pre>
 */
public final class ConnectorValidator {

    public static final int MAX_NAME_LENGTH = 100;
    /** Bounded so that a connector and its subscription items fit in one DynamoDB transaction (≤ 100 actions). */
    public static final int MAX_EVENTS = 25;
    public static final int MAX_TRANSFORMATION_BYTES = 64 * 1024;
    public static final int MAX_HEADERS = HeaderRules.MAX_HEADERS;

    private final ConnectorTypeCatalog types;
    private final EventCatalog events;
    private final DestinationUrlPolicy urls;
    private final TransformationCheck transformations;

    public ConnectorValidator(ConnectorTypeCatalog types, EventCatalog events, DestinationUrlPolicy urls,
                              TransformationCheck transformations) {
        this.types = types;
        this.events = events;
        this.urls = urls;
        this.transformations = transformations;
    }

    public ConnectorSpec validate(String typeName, String name, ObjectNode config, JsonNode eventsNode, JsonNode filtersNode,
                                  String transformation) {
        List<FieldError> errors = new ArrayList<>();
        ConnectorType type = null;
        if (typeName == null) {
            errors.add(new FieldError("type", "type is required; one of " + String.join(", ", types.names())));
        } else {
            type = types.find(typeName).orElse(null);
            if (type == null) {
                errors.add(new FieldError("type", "unknown type '" + typeName + "'; use one of " + String.join(", ", types.names())
                        + " (GET /api/v1/connectors/types lists them)"));
            }
        }
        String cleanName = validateName(name, errors);
        ObjectNode publicConfig = Json.object();
        ObjectNode secretConfig = Json.object();
        if (type != null) {
            validateConfig(type, config, publicConfig, secretConfig, errors);
        }
        return finish(typeName, cleanName, publicConfig, secretConfig, eventsNode, filtersNode, transformation, errors);
    }

    /**
     * Validates everything but the config, which is taken as already valid (a PATCH that does not
     * touch config must not fail because, say, DNS is down for a URL saved last week).
     */
    public ConnectorSpec validateKeepingConfig(String typeName, String name, ObjectNode publicConfig, ObjectNode secretConfig,
                                               JsonNode eventsNode, JsonNode filtersNode, String transformation) {
        List<FieldError> errors = new ArrayList<>();
        String cleanName = validateName(name, errors);
        return finish(typeName, cleanName, publicConfig, secretConfig, eventsNode, filtersNode, transformation, errors);
    }

    /** Validates the fields every connector has, then reports all problems found so far at once. */
    private ConnectorSpec finish(String typeName, String cleanName, ObjectNode publicConfig, ObjectNode secretConfig,
                                 JsonNode eventsNode, JsonNode filtersNode, String transformation, List<FieldError> errors) {
        List<String> eventList = validateEvents(eventsNode, errors);
        EventPattern filters = validateFilters(filtersNode, eventList, errors);
        validateTransformation(transformation, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors.size() == 1 ? errors.get(0).message()
                    : "The connector has " + errors.size() + " problems; see errors.", errors);
        }
        return new ConnectorSpec(typeName, cleanName, publicConfig, secretConfig, eventList, filters, transformation);
    }

    private static String validateName(String name, List<FieldError> errors) {
        if (name == null) {
            errors.add(new FieldError("name", "name is required (1 to " + MAX_NAME_LENGTH + " characters)"));
            return null;
        }
        String trimmed = name.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length < 1 || length > MAX_NAME_LENGTH) {
            errors.add(new FieldError("name", "name must be 1 to " + MAX_NAME_LENGTH + " characters; it has " + length));
        } else if (trimmed.codePoints().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("name", "name must not contain control characters (line breaks, tabs, …)"));
        }
        return trimmed;
    }

    private void validateConfig(ConnectorType type, ObjectNode config, ObjectNode publicConfig, ObjectNode secretConfig,
                                List<FieldError> errors) {
        if (config == null) {
            errors.add(new FieldError("config", "config is required for " + type.name() + "; fields: " + fieldNames(type)));
            return;
        }
        for (Iterator<String> it = config.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (type.field(field).isEmpty()) {
                errors.add(new FieldError("config." + field, "'" + field + "' is not a field of " + type.name()
                        + "; its fields are " + fieldNames(type)));
            }
        }
        for (FieldSpec spec : type.fields()) {
            JsonNode value = config.get(spec.name());
            String path = "config." + spec.name();
            if (value == null || value.isNull()) {
                if (spec.required()) {
                    errors.add(new FieldError(path, spec.name() + " is required: " + spec.description()));
                }
                continue;
            }
            JsonNode clean = validateField(spec, value, path, errors);
            if (clean != null) {
                (spec.secret() ? secretConfig : publicConfig).set(spec.name(), clean);
            }
        }
        for (ConnectorType.RequiredWhen rule : type.requiredWhen()) {
            JsonNode given = publicConfig.has(rule.field()) ? publicConfig.get(rule.field()) : secretConfig.get(rule.field());
            if (given != null && rule.value().equals(given.asText())) {
                for (String needed : rule.require()) {
                    if (!publicConfig.has(needed) && !secretConfig.has(needed)) {
                        errors.add(new FieldError("config." + needed, needed + " is required when " + rule.field() + " is "
                                + rule.value()));
                    }
                }
            }
        }
    }

    private JsonNode validateField(FieldSpec spec, JsonNode value, String path, List<FieldError> errors) {
        switch (spec.kind()) {
            case FieldSpec.URL -> {
                if (!value.isTextual()) {
                    errors.add(new FieldError(path, spec.name() + " must be a string URL"));
                    return null;
                }
                var problem = urls.problem(spec, value.textValue().strip());
                if (problem.isPresent()) {
                    errors.add(new FieldError(path, spec.name() + " " + problem.get()));
                    return null;
                }
                return Json.MAPPER.getNodeFactory().textNode(value.textValue().strip());
            }
            case FieldSpec.ENUM -> {
                String text = value.isTextual() ? value.textValue().strip().toUpperCase(Locale.ROOT) : null;
                if (text == null || !spec.values().contains(text)) {
                    errors.add(new FieldError(path, spec.name() + " must be one of " + String.join(", ", spec.values())));
                    return null;
                }
                return Json.MAPPER.getNodeFactory().textNode(text);
            }
            case FieldSpec.HEADERS -> {
                return validateHeaders(value, path, errors);
            }
            default -> {
                if (!value.isTextual() || value.textValue().isBlank()) {
                    errors.add(new FieldError(path, spec.name() + " must be a non-empty string"));
                    return null;
                }
                if (value.textValue().length() > spec.maxLength()) {
                    errors.add(new FieldError(path, spec.name() + " must be at most " + spec.maxLength() + " characters"));
                    return null;
                }
                return value;
            }
        }
    }

    private static JsonNode validateHeaders(JsonNode value, String path, List<FieldError> errors) {
        if (!value.isObject()) {
            errors.add(new FieldError(path, "headers must be an object of header name to string value"));
            return null;
        }
        if (value.size() > MAX_HEADERS) {
            errors.add(new FieldError(path, "at most " + MAX_HEADERS + " headers are allowed"));
            return null;
        }
        ObjectNode clean = Json.object();
        Set<String> seen = new LinkedHashSet<>();
        int before = errors.size();
        value.fields().forEachRemaining(entry -> {
            String header = entry.getKey();
            String lower = header.toLowerCase(Locale.ROOT);
            String at = path + "." + header;
            var nameProblem = HeaderRules.nameProblem(header);
            if (nameProblem.isPresent()) {
                errors.add(new FieldError(at, nameProblem.get()));
            } else if (!seen.add(lower)) {
                errors.add(new FieldError(at, "header '" + header + "' is given twice (names are case-insensitive)"));
            } else if (!entry.getValue().isTextual()) {
                errors.add(new FieldError(at, "header values must be strings"));
            } else if (HeaderRules.valueProblem(entry.getValue().textValue()).isPresent()) {
                errors.add(new FieldError(at, HeaderRules.valueProblem(entry.getValue().textValue()).get()));
            } else {
                clean.put(header, entry.getValue().textValue());
            }
        });
        return errors.size() == before ? clean : null;
    }

    private List<String> validateEvents(JsonNode node, List<FieldError> errors) {
        if (node == null) {
            errors.add(new FieldError("events", "events is required: a non-empty list of event types or [\"*\"] "
                    + "(GET /api/v1/event-types lists them)"));
            return List.of();
        }
        if (!node.isArray() || node.isEmpty()) {
            errors.add(new FieldError("events", "events must be a non-empty list of event types, e.g. [\"promise.status_changed\"]"));
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual() || !events.isSubscribable(item.textValue())) {
                errors.add(new FieldError("events[" + i + "]", "'" + item.asText() + "' is not an event type; use one listed by "
                        + "GET /api/v1/event-types, or \"*\" for all"));
            } else {
                out.add(item.textValue());
            }
        }
        if (out.size() > MAX_EVENTS) {
            errors.add(new FieldError("events", "at most " + MAX_EVENTS + " event types per connector; use \"*\" for all"));
        }
        return List.copyOf(out);
    }

    /**
     * A filter is an event pattern; the fields it names are checked against the schemas of the event
     * types the connector subscribes to (all of them for "*", or when the events are themselves invalid).
     */
    private EventPattern validateFilters(JsonNode node, List<String> eventList, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return EventPattern.everything();
        }
        List<EventType> types = eventList.isEmpty() || eventList.contains(EventCatalog.WILDCARD) ? List.copyOf(events.all())
                : eventList.stream().map(name -> events.find(name).orElseThrow()).toList();
        EventPattern pattern = EventPattern.compile(node, types, events, "filters", errors);
        return pattern == null ? EventPattern.everything() : pattern;
    }

    private void validateTransformation(String source, List<FieldError> errors) {
        if (source == null) {
            return;
        }
        if (source.getBytes(StandardCharsets.UTF_8).length > MAX_TRANSFORMATION_BYTES) {
            errors.add(new FieldError("transformation", "transformation must be at most 64 KB of JavaScript"));
            return;
        }
        transformations.check(source).ifPresent(errors::add);
    }

    private static String fieldNames(ConnectorType type) {
        return String.join(", ", type.fields().stream().map(f -> f.name() + (f.required() ? "" : " (optional)")).toList());
    }
}
