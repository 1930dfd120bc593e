package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Every later attempt reads its event back from JSON the service wrote itself (the job's body on
 * DeliveriesQueue, or the event store's item). An event the parser accepted must survive that round
 * trip, or each delivery of it that must wait (a 5xx, a paced slot, a pause) is unreadable:
 * DeliverHandler calls the job "not one this service wrote" and keeps it until SQS parks it after 50
 * receives (nothing recorded; a redrive fails the same way), and a job whose event is in the store
 * fails with "stored event does not parse" as Kept, again and again.
 */
class EventRoundTripAttackTest {

    private static Event accepted(String data) throws Exception {
        ObjectNode envelope = EventCatalog.standard().find("promise.created").orElseThrow().example().deepCopy();
        envelope.put("id", "evt_round_trip");
        envelope.put("data", "DATA");
        return EventParser.standard().parse(Json.write(envelope).replace("\"DATA\"", data));
    }

    /** An event the parser accepts at 98 KiB, whose numbers are written compactly (1e6). */
    private static Event compactNumbers98KiB() throws Exception {
        StringBuilder numbers = new StringBuilder("[1e6");
        while (numbers.length() < 98 * 1024) {
            numbers.append(",1e6");
        }
        return accepted("{\"samples\": " + numbers + "]}");
    }

    @Test
    void aJobOfAnAcceptedEventWrittenAgainIsStillAcceptedWhenReadBack() throws Exception {
        // GIVEN an event the parser accepted at 98 KiB, whose numbers are written compactly (1e6)
        Event event = compactNumbers98KiB();
        DeliveryJob job = DeliveryJob.of(event, "user-1", "connector-1");

        // WHEN its job is written for DeliveriesQueue and read back
        String body = job.toJson();

        // THEN the job carries the envelope as it was accepted (not written again 2.5 times the size,
        // over the parser's 240 KiB), and it reads back as the same event
        assertThat(body).contains(event.envelope());
        assertThat(body.length()).isLessThan(event.envelope().length() + 1024);
        assertThatCode(() -> DeliveryJob.fromJson(body)).doesNotThrowAnyException();
        assertThat(DeliveryJob.fromJson(body).event()).isEqualTo(event);
    }

    @Test
    void anEventKeptAsJacksonWroteItBeforeStillReadsBack() throws Exception {
        // GIVEN a job queued before envelopes were carried as accepted: its event written again by
        // Jackson, 1e6 as 1000000.0, over the parser's 240 KiB
        Event event = compactNumbers98KiB();
        ObjectNode old = Json.object().put("deliveryId", DeliveryJob.deliveryIdOf(event, "connector-1")).put("userId", "user-1")
                .put("connectorId", "connector-1").put("eventId", event.id());
        old.set("event", Json.MAPPER.readTree(event.envelope()));
        String body = Json.write(old);
        assertThat(body.length()).isGreaterThan(EventParser.MAX_BYTES);

        // WHEN the deliverer reads it, THEN its event is the one accepted (its size is not checked again)
        assertThat(DeliveryJob.fromJson(body).event().data()).isEqualTo(event.data());
    }
}
