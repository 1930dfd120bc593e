package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The parser caps an event at {@link EventParser#MAX_BYTES} as published, but the service never
 * carries the bytes it was given: it carries the event written again by Jackson. A number written
 * {@code 1e6} (3 bytes) is written again as {@code 1000000.0} (9 bytes), so an event the parser
 * accepted can come back two and a half times its size.
 */
class LargeEventAttackTest {

    /** SQS's limit on a message body. */
    private static final int SQS_MAX_BYTES = 256 * 1024;

    /** An event the parser accepts, just under its limit, whose data is numbers in exponent form. */
    static Event compactNumbersEvent() throws Exception {
        ObjectNode envelope = EventCatalog.standard().find("promise.created").orElseThrow().example().deepCopy();
        envelope.put("id", "evt_compact_numbers");
        String base = Json.write(envelope);
        int room = EventParser.MAX_BYTES - base.getBytes(StandardCharsets.UTF_8).length - 64;
        StringBuilder numbers = new StringBuilder("[1e6");
        while (numbers.length() + 5 < room) {
            numbers.append(",1e6");
        }
        numbers.append(']');
        ((ObjectNode) envelope.get("data")).set("samples", Json.MAPPER.readTree(numbers.toString()));
        // written by hand so that the numbers keep the form the publisher gave them
        String body = Json.write(envelope).replace(Json.write(envelope.get("data").get("samples")), numbers.toString());
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(EventParser.MAX_BYTES);
        return EventParser.standard().parse(body);
    }

    @Test
    void theContinuationOfAFanOutOfAnAcceptedEventFitsAnSqsMessage() throws Exception {
        // GIVEN an event the parser accepted (at most 240 KiB as published)
        Event event = compactNumbersEvent();

        // WHEN the dispatcher runs out of time and queues the rest of its fan-out on EventsQueue
        String continuation = new FanOutContinuation(event, new FanOut.Position(false, "user-1#connector-1")).toJson();

        // THEN SQS can take it; otherwise SendMessage fails, the event's message comes back, the fan-out
        // starts again and stops at the same place, and after EventsQueue's 5 receives the event is
        // parked: every subscriber past the first invocation never gets a delivery or a record
        assertThat(continuation.getBytes(StandardCharsets.UTF_8).length)
                .as("continuation body bytes (SQS takes at most %d)", SQS_MAX_BYTES)
                .isLessThanOrEqualTo(SQS_MAX_BYTES);
    }
}
