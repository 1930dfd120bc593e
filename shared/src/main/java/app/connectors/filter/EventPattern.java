package app.connectors.filter;

import app.connectors.event.EventCatalog;
import app.connectors.event.EventType;
import app.connectors.json.Json;
import app.connectors.problem.FieldError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connector's content filter: an EventBridge-style event pattern over the event envelope
 * ({@code type}, {@code userId}, {@code subject}, {@code attributes}, {@code data}), compiled once
 * and then matched without parsing or allocating. Immutable and thread-safe.
 *
 * <pre>{@code
 * List<FieldError> errors = new ArrayList<>();
 * EventPattern pattern = EventPattern.compile(json, types, catalog, "filters", errors); // null when errors were added
 * boolean deliver = pattern.matches(EventDocument.of(event));
 * FilterVerdict why = pattern.explain(EventDocument.of(event)); // first failing path and reason
 * }</pre>
 *
 * <p>The original form {@code {"categories": ["tech-product"]}} is a shorthand accepted at the top
 * level: each catalog filter key stands for its attribute (or {@code subject.status}) and matches
 * that value's text against the list, exactly as before patterns existed.
 */
public final class EventPattern {

    /** Levels of nested field names from the envelope to a list of values. */
    public static final int MAX_DEPTH = 8;
    /** Values in the whole pattern, operands of operators included. */
    public static final int MAX_VALUES = 300;
    public static final int MAX_STRING_LENGTH = 1024;
    /** The pattern's JSON; bounds what every subscription item of the connector carries. */
    public static final int MAX_BYTES = 16 * 1024;
    public static final int MAX_SHORTHAND_VALUES = 50;
    public static final int MAX_SHORTHAND_VALUE_LENGTH = 200;
    /** Numbers compare as 64-bit floating point, which holds every integer up to 2^53 exactly. */
    static final double MAX_NUMBER = 1e15;
    static final String MAX_NUMBER_TEXT = "1e15";

    private static final Fields NO_FIELDS = new Fields(new String[0], new Node[0], new Fields[0][], new String[0]);
    private static final EventPattern EVERYTHING = new EventPattern(Json.object(), NO_FIELDS, null);
    /** Compiled stored patterns by their JSON; fan-outs load the same few patterns over and over. */
    private static final Map<String, EventPattern> LOADED = new ConcurrentHashMap<>();
    private static final int LOADED_LIMIT = 4096;
    /** Only small patterns are kept, so the cache stays under 8 MB whatever is stored. */
    private static final int LOADED_MAX_LENGTH = 2048;

    /** The pattern as written, as compact JSON: a dispatcher may hold 20,000 patterns, and a string is a tenth of a tree. */
    private final String json;
    private final Fields root;
    private final String unusable;

    private EventPattern(ObjectNode source, Fields root, String unusable) {
        this.json = Json.write(source);
        this.root = root;
        this.unusable = unusable;
    }

    /** The empty pattern: every event matches. */
    public static EventPattern everything() {
        return EVERYTHING;
    }

    /**
     * Validates and compiles a pattern for a connector subscribed to {@code types}: any problem (an
     * unknown operator, a wrong value type, a field no event of those types can have, a pattern too
     * deep or too large) is added to {@code errors} with its path under {@code base}.
     *
     * @return the pattern, or null when problems were added
     */
    public static EventPattern compile(JsonNode source, Collection<EventType> types, EventCatalog catalog, String base,
                                       List<FieldError> errors) {
        if (source == null || source.isNull()) {
            return EVERYTHING;
        }
        if (source.isObject() && Json.write(source).getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            errors.add(new FieldError(base, base + ": is larger than " + MAX_BYTES / 1024 + " KB of JSON; simplify it"));
            return null;
        }
        return compile(source, FieldScope.envelope(types), catalog, base, errors);
    }

    static EventPattern compile(JsonNode source, FieldScope scope, EventCatalog catalog, String base, List<FieldError> errors) {
        Fields root = new PatternCompiler(PatternCompiler.byName(catalog.filters()), base, errors).root(source, scope);
        return root == null ? null : root.isEmpty() ? EVERYTHING : new EventPattern((ObjectNode) source, root, null);
    }

    /**
     * Compiles a pattern saved earlier (it was validated then). One that no longer compiles matches
     * no event, and {@link #explain} says why: one bad item must not stop a whole fan-out.
     */
    public static EventPattern load(String json, EventCatalog catalog) {
        if (json == null || json.equals("{}")) {
            return EVERYTHING;
        }
        EventPattern cached = LOADED.get(json);
        if (cached != null) {
            return cached;
        }
        EventPattern loaded = parseStored(json, catalog);
        if (json.length() > LOADED_MAX_LENGTH) {
            return loaded;
        }
        if (LOADED.size() >= LOADED_LIMIT) {
            LOADED.clear();
        }
        LOADED.put(json, loaded);
        return loaded;
    }

    /** Compiles a stored pattern without keeping it in this class's cache (for callers that keep their own). */
    static EventPattern parseStored(String json, EventCatalog catalog) {
        JsonNode node;
        try {
            node = Json.parse(json);
        } catch (JsonProcessingException e) {
            return new EventPattern(Json.object(), NO_FIELDS, "the stored filter is not valid JSON");
        }
        List<FieldError> errors = new ArrayList<>();
        Fields root = new PatternCompiler(PatternCompiler.byName(catalog.filters()), "filters", errors).root(node, FieldScope.anything());
        if (root == null) {
            return new EventPattern(node.isObject() ? (ObjectNode) node : Json.object(), NO_FIELDS,
                    "the stored filter is no longer valid (" + errors.get(0).message() + "); save the connector's filters again");
        }
        return root.isEmpty() ? EVERYTHING : new EventPattern((ObjectNode) node, root, null);
    }

    /** A pattern that matches nothing, and says why in {@link #explain}. */
    static EventPattern unusable(String reason) {
        return new EventPattern(Json.object(), NO_FIELDS, reason);
    }

    /**
     * A short name of this pattern's content (96 bits of SHA-256 of its JSON, base64url): equal
     * patterns written alike share it, and it never names another pattern.
     */
    public String digest() {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(toString().getBytes(StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 12));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The pattern as it was written (a copy). */
    public ObjectNode source() {
        try {
            return (ObjectNode) Json.parse(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a pattern's own JSON always parses", e);
        }
    }

    /** Whether this pattern lets every event through. */
    public boolean isEmpty() {
        return this == EVERYTHING;
    }

    /**
     * Whether the event matches.
     *
     * @param document the event as {@link EventDocument#of} gives it
     */
    public boolean matches(JsonNode document) {
        return unusable == null && root.testObject(document, null);
    }

    /**
     * Which alternative of the pattern's top-level {@code $or} the event matched ({@code "$or[1]"}),
     * for a delivery to say why it was sent; empty when the pattern has no top-level {@code $or} or
     * the event does not match.
     */
    public Optional<String> matchedAlternative(JsonNode document) {
        if (unusable != null || root.groupCount() == 0 || !matches(document)) {
            return Optional.empty();
        }
        return Optional.of(root.alternativePath(0) + "[" + root.firstMatching(0, document, null) + "]");
    }

    /** Whether the event matches and, when it does not, the first path that failed and why. */
    public FilterVerdict explain(JsonNode document) {
        if (unusable != null) {
            return new FilterVerdict(false, "", unusable, null);
        }
        Trace trace = new Trace();
        if (root.testObject(document, trace)) {
            return new FilterVerdict(true, null, null, matchedAlternative(document).orElse(null));
        }
        return new FilterVerdict(false, trace.path(), trace.reason(), null);
    }

    /** Patterns are equal when written the same way (as stored). */
    @Override
    public boolean equals(Object other) {
        return other instanceof EventPattern that && toString().equals(that.toString()) && java.util.Objects.equals(unusable, that.unusable);
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** The pattern's JSON, as stored. */
    @Override
    public String toString() {
        return json;
    }
}
