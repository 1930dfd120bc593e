package app.connectors.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import app.connectors.config.Settings;
import app.connectors.delivery.DeliveryJob;
import app.connectors.delivery.DynamoDbEventStore;
import app.connectors.delivery.FanOut;
import app.connectors.delivery.FanOutContinuation;
import app.connectors.delivery.SqsEventsQueue;
import app.connectors.delivery.SqsDeliveryQueue;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An event the parser accepted (at most 240 KiB as published) must be carried to its later
 * attempts. When the service carried it written again by Jackson, {@code 1e6} (3 bytes) came back
 * as {@code 1000000.0} (9): the job was too big for SQS, so it went without its event, which the
 * event store kept, and the event store's item was then over DynamoDB's 400 KB. Every delivery of that
 * event that must wait (a 5xx, a paced slot, a pause) cannot be carried: the processor reports the
 * job kept, the record stays SENDING, the message comes back and the attempt is made again, until
 * EventsQueue (5 receives) or DeliveriesQueue (50) parks it, with the record still saying pending.
 */
class LargeEventCarryIT {

    @Test
    void aJobOfAnAcceptedEventThatMustWaitCanBeCarried() throws Exception {
        // GIVEN an event the parser accepted, its numbers in exponent form, and the stack's event store
        PipelineStack env = PipelineStack.get();
        var sqs = env.stack.sqs();
        String queueUrl = sqs.createQueue(r -> r.queueName("large-event-carry-" + System.nanoTime())).queueUrl();
        DynamoDbEventStore events = eventStore(env);
        SqsDeliveryQueue queue = new SqsDeliveryQueue(sqs, queueUrl, queueUrl, events);
        Event event = compactNumbersEvent();

        // WHEN its delivery's next attempt is carried, as after a 500 or for a paced slot
        DeliveryJob job = DeliveryJob.of(event, "user-large", "connector-large");

        // THEN the job goes on the queue carrying its event as accepted (it fits: no copy written
        // again, nothing for the event store), and the attempt reads it back as the same event
        assertThatCode(() -> queue.enqueueLater(job, Duration.ZERO)).doesNotThrowAnyException();
        var received = sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(5)).messages();
        assertThat(received).hasSize(1);
        assertThat(DeliveryJob.fromJson(received.get(0).body()).event()).isEqualTo(event);
        assertThat(events.find(event.id())).isEmpty();
        sqs.deleteQueue(r -> r.queueUrl(queueUrl));
    }

    @Test
    void theEventStoreKeepsAnAcceptedEventAsItWasPublished() throws Exception {
        // GIVEN the stack's event store and an accepted event of 1e6 numbers just under the limit
        PipelineStack env = PipelineStack.get();
        DynamoDbEventStore events = eventStore(env);
        Event event = compactNumbersEvent();

        // WHEN it is kept (as before a record says pending) and read back (a retry, the reconciler)
        events.keep(event);

        // THEN the item is the envelope as published, under DynamoDB's 400 KB, and reads back as the same event
        assertThat(events.find(event.id())).contains(event);
    }

    @Test
    void theRestOfAFanOutOfAnAcceptedEventGoesBackOnTheQueueAndReadsBack() throws Exception {
        // GIVEN an accepted event just under the limit, the stack's event store and a queue of this test's own
        PipelineStack env = PipelineStack.get();
        var sqs = env.stack.sqs();
        String queueUrl = sqs.createQueue(r -> r.queueName("large-event-continuation-" + System.nanoTime())).queueUrl();
        DynamoDbEventStore events = eventStore(env);
        Event event = compactNumbersEvent();
        FanOut.Position from = new FanOut.Position(false, "user-large#connector-7");

        // WHEN the dispatcher, out of time, queues the rest of its fan-out
        new SqsEventsQueue(sqs, queueUrl, queueUrl, events).continueLater(new FanOutContinuation(event, from));

        // THEN SQS took it, and the next invocation reads the same event and position back
        var received = sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(5)).messages();
        assertThat(received).hasSize(1);
        FanOutContinuation read = FanOutContinuation.from(Json.parse(received.get(0).body()), events);
        assertThat(read.event()).isEqualTo(event);
        assertThat(read.from()).isEqualTo(from);
        sqs.deleteQueue(r -> r.queueUrl(queueUrl));
    }

    /** The stack's DeliveryEvents table, as the deliverer and the dispatcher use it. */
    private static DynamoDbEventStore eventStore(PipelineStack env) {
        Settings settings = Settings.from(env.stack.environmentOf("DeliverFunction"));
        return new DynamoDbEventStore(env.stack.dynamoDb(), settings.required(Settings.DELIVERY_EVENTS_TABLE), Clock.systemUTC());
    }

    /** Just under the parser's limit as published; data is an array of {@code 1e6}. */
    private static Event compactNumbersEvent() throws Exception {
        ObjectNode envelope = EventCatalog.standard().find("promise.created").orElseThrow().example().deepCopy();
        envelope.put("id", "evt_compact_numbers_" + System.nanoTime());
        ((ObjectNode) envelope.get("data")).put("samples", "SAMPLES");
        String base = Json.write(envelope);
        int room = EventParser.MAX_BYTES - base.getBytes(StandardCharsets.UTF_8).length - 64;
        StringBuilder numbers = new StringBuilder("[1e6");
        while (numbers.length() + 5 < room) {
            numbers.append(",1e6");
        }
        numbers.append(']');
        String body = base.replace("\"SAMPLES\"", numbers.toString());
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(EventParser.MAX_BYTES);
        return EventParser.standard().parse(body);
    }
}
