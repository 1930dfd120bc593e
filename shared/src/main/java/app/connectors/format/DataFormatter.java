package app.connectors.format;

import app.connectors.event.Event;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The event's {@code data} object alone, for the catalog's SaaS types whose transformation reads
 * the type-specific body ({@code {"promiseId":"4821","previousStatus":"in_progress",…}}). A copy, so
 * a transformation that edits it cannot change what other connectors of the same event receive.
 *
 * <pre>{@code
 * ObjectNode data = Formatters.find("data").orElseThrow().format(event);
 * }</pre>
 */
public final class DataFormatter implements PayloadFormatter {

    @Override
    public ObjectNode format(Event event) {
        return event.data().deepCopy();
    }
}
