package app.connectors.filter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A list of values in a pattern: the field matches when any entry matches. When the event holds an
 * array there, any element may match (arrays in arrays are looked into too). {@code exists} asks
 * whether the field has a value at all; like EventBridge, only scalar values count (an object or an
 * array of objects at a leaf's place is not a value), and null is a value.
 */
final class Leaf implements Node {

    private final String path;
    private final ValueMatcher[] matchers;
    private final boolean matchesPresent;
    private final boolean matchesAbsent;
    private final String expected;

    /**
     * @param matchesPresent an {@code "exists": true} entry is listed
     * @param matchesAbsent  an {@code "exists": false} entry is listed
     * @param expected       the list as written, for explanations
     */
    Leaf(String path, ValueMatcher[] matchers, boolean matchesPresent, boolean matchesAbsent, String expected) {
        this.path = path;
        this.matchers = matchers;
        this.matchesPresent = matchesPresent;
        this.matchesAbsent = matchesAbsent;
        this.expected = expected;
    }

    @Override
    public boolean test(JsonNode value, Trace trace) {
        boolean present = hasScalar(value);
        if (present ? matchesPresent : matchesAbsent) {
            return true;
        }
        if (present && anyMatches(value)) {
            return true;
        }
        if (trace != null) {
            trace.fail(path, present ? quote(value) + " matches none of " + expected
                    : (value == null ? "the event has no " : "the event has no value (only objects) at ") + path
                    + "; the filter wants " + expected);
        }
        return false;
    }

    private boolean anyMatches(JsonNode value) {
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (anyMatches(element)) {
                    return true;
                }
            }
            return false;
        }
        if (value.isObject()) {
            return false;
        }
        for (ValueMatcher m : matchers) {
            if (m.test(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasScalar(JsonNode value) {
        if (value == null || value.isObject()) {
            return false;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (hasScalar(element)) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    /** The event's value as JSON, cut short so that an explanation stays one readable line. */
    private static String quote(JsonNode value) {
        String text = value.toString();
        return text.length() <= 80 ? text : text.substring(0, 79) + "…";
    }
}
