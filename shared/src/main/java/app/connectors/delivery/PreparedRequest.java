package app.connectors.delivery;

import app.connectors.net.OutboundRequest;
import java.util.List;

/** What {@link RequestFactory} made of an event for one connector: a request to send, or why there is none. */
public sealed interface PreparedRequest {

    /** Console output of the transformation, if one ran. */
    List<String> console();

    /** Ready to send. */
    record Ready(OutboundRequest request, List<String> console) implements PreparedRequest {
    }

    /** The transformation set {@code cancel}: nothing is sent, on purpose. */
    record Cancelled(List<String> console) implements PreparedRequest {
    }

    /** Nothing can be sent: the transformation failed, or its result is unusable. Not worth retrying. */
    record Failed(String reason, List<String> console) implements PreparedRequest {
    }

    /**
     * Nothing could be prepared now, for a reason of the host's, not of the connector's: the
     * transformation sandbox was overloaded. Retried on the schedule like a destination's 5xx.
     */
    record Postponed(String reason, List<String> console) implements PreparedRequest {
    }
}
