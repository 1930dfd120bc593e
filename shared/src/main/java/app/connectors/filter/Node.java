package app.connectors.filter;

import com.fasterxml.jackson.databind.JsonNode;

/** One compiled part of a pattern: an object of fields ({@link Fields}) or a list of values ({@link Leaf}). */
sealed interface Node permits Fields, Leaf {

    /**
     * Whether the event's value at this node's place matches.
     *
     * @param value the value, or null when the event has no such field
     * @param trace where a failure is recorded, or null on the dispatcher's path
     */
    boolean test(JsonNode value, Trace trace);
}
