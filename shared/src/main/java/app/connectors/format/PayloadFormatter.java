package app.connectors.format;

import app.connectors.event.Event;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns an event into the JSON body one kind of destination expects. Implementations are
 * stateless and thread-safe, never fail on long or odd input (they truncate visibly to stay inside
 * the destination's limits), and return a fresh tree the caller may edit.
 *
 * <pre>{@code
 * PayloadFormatter slack = Formatters.find("slack").orElseThrow();
 * byte[] body = Json.writeBytes(slack.format(event));
 * }</pre>
 */
@FunctionalInterface
public interface PayloadFormatter {

    ObjectNode format(Event event);
}
