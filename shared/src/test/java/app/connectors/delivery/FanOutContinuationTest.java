package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.event.Event;
import app.connectors.event.EventJson;
import app.connectors.event.InvalidEventException;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FanOutContinuationTest {

    private static final FanOut.Position FROM = new FanOut.Position(true, "user-1#connector-9");

    @Test
    void aContinuationNamesItsKeptEventAndReadsBackAsTheSameEvent() throws Exception {
        // GIVEN an event near the limit, kept in the event store
        Event event = LargeEventAttackTest.compactNumbersEvent();
        InMemoryEventStore store = new InMemoryEventStore();
        store.keep(event);

        // WHEN its fan-out's rest is written and read back
        String body = new FanOutContinuation(event, FROM).toJson();
        FanOutContinuation read = FanOutContinuation.from(Json.parse(body), store);

        // THEN the body is small whatever the event's size, and it reads back as the same event and position
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThan(200);
        assertThat(read.event()).isEqualTo(event);
        assertThat(read.from()).isEqualTo(FROM);
    }

    @Test
    void aContinuationWhoseEventIsNoLongerKeptIsRefusedWithItsReason() throws Exception {
        Event event = LargeEventAttackTest.compactNumbersEvent();
        String body = new FanOutContinuation(event, FROM).toJson();

        assertThatThrownBy(() -> FanOutContinuation.from(Json.parse(body), new InMemoryEventStore()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining(event.id()).hasMessageContaining("no longer kept");
    }

    @Test
    void aContinuationQueuedWithItsEventInlineStillReads() throws Exception {
        // GIVEN a continuation as they were written before they named their event: the event inline,
        // written again by Jackson (over the parser's 240 KiB for this event)
        Event event = LargeEventAttackTest.compactNumbersEvent();
        ObjectNode old = Json.object();
        old.putObject(FanOutContinuation.FIELD).put("wildcard", true).put("after", "user-1#connector-9");
        old.set("event", EventJson.write(event));

        // WHEN read with an empty store, THEN it is the event and position it carried
        FanOutContinuation read = FanOutContinuation.from(old, new InMemoryEventStore());
        assertThat(read.event().data()).isEqualTo(event.data());
        assertThat(read.from()).isEqualTo(FROM);
    }
}
