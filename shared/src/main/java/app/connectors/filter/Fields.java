package app.connectors.filter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An object in a pattern: every named field must match (and), and for each {@code $or} one of its
 * alternatives must (or). An array in the event is looked into: the object matches when one element
 * does, with all of its fields taken from that same element.
 */
final class Fields implements Node {

    private final String[] names;
    private final Node[] children;
    private final Fields[][] alternatives;
    private final String[] alternativePaths;

    Fields(String[] names, Node[] children, Fields[][] alternatives, String[] alternativePaths) {
        this.names = names;
        this.children = children;
        this.alternatives = alternatives;
        this.alternativePaths = alternativePaths;
    }

    boolean isEmpty() {
        return names.length == 0 && alternatives.length == 0;
    }

    @Override
    public boolean test(JsonNode value, Trace trace) {
        if (value != null && value.isArray()) {
            Trace firstFailure = null;
            boolean sawContainer = false;
            for (JsonNode element : value) {
                if (element.isContainerNode()) {
                    sawContainer = true;
                    Trace attempt = trace == null ? null : new Trace();
                    if (test(element, attempt)) {
                        return true;
                    }
                    if (firstFailure == null) {
                        firstFailure = attempt;
                    }
                }
            }
            if (sawContainer) {
                if (trace != null) {
                    trace.adopt(firstFailure);
                }
                return false;
            }
            return testObject(null, trace);
        }
        return testObject(value != null && value.isObject() ? value : null, trace);
    }

    /** Matches the fields of one object ({@code null}: an event without it, or where a scalar stands). */
    boolean testObject(JsonNode object, Trace trace) {
        for (int i = 0; i < names.length; i++) {
            JsonNode child = object == null ? null : object.get(names[i]);
            if (!children[i].test(child, trace)) {
                return false;
            }
        }
        for (int g = 0; g < alternatives.length; g++) {
            if (firstMatching(g, object, trace) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first alternative of {@code $or} group {@code g} that matches, or -1. */
    int firstMatching(int g, JsonNode object, Trace trace) {
        Fields[] group = alternatives[g];
        Trace firstFailure = null;
        for (int a = 0; a < group.length; a++) {
            Trace attempt = trace == null ? null : new Trace();
            if (group[a].testObject(object, attempt)) {
                return a;
            }
            if (firstFailure == null) {
                firstFailure = attempt;
            }
        }
        if (trace != null) {
            trace.fail(alternativePaths[g], "none of the " + group.length + " alternatives matched; the first failed at "
                    + firstFailure.path() + ": " + firstFailure.reason());
        }
        return -1;
    }

    int groupCount() {
        return alternatives.length;
    }

    String alternativePath(int g) {
        return alternativePaths[g];
    }
}
