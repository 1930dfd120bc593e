package app.connectors.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.delivery.DeliveryJob;
import app.connectors.delivery.SqsDeliveryQueue;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A large event (near the 240 KiB envelope limit) fanned out to many connectors: jobs are batched by
 * bytes as well as by count, so every job reaches the queue (SQS refuses a batch over 256 KiB in all).
 * Runs against the stack's ElasticMQ on a queue of its own, so the deliverer does not pick the jobs up.
 */
class LargeEventBatchingIT {

    @Test
    void largeEventJobsAllReachTheQueue() throws Exception {
        // GIVEN an event padded to about 200 KB and a queue of this test's own
        PipelineStack env = PipelineStack.get();
        var sqs = env.stack.sqs();
        String queueUrl = sqs.createQueue(r -> r.queueName("large-event-batching-" + System.nanoTime())).queueUrl();
        ObjectNode envelope = EventCatalog.standard().find("promise.created").orElseThrow().example().deepCopy();
        envelope.put("id", "evt_large_" + System.nanoTime());
        ((ObjectNode) envelope.get("data")).put("quote", "q".repeat(200_000));
        Event event = EventParser.standard().parse(Json.write(envelope));
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            jobs.add(DeliveryJob.of(event, "user-large", "connector-" + i));
        }

        // WHEN the jobs are queued as fan-out does
        new SqsDeliveryQueue(sqs, queueUrl, queueUrl, new app.connectors.delivery.EventStore() {
            @Override
            public void keep(Event kept) {
                throw new AssertionError("a 200 KB event fits a job");
            }

            @Override
            public java.util.Optional<Event> find(String eventId) {
                return java.util.Optional.empty();
            }
        }).enqueue(jobs);

        // THEN all 12 are on the queue, each intact
        Set<String> received = new HashSet<>();
        for (int round = 0; round < 20 && received.size() < jobs.size(); round++) {
            for (var message : sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                received.add(DeliveryJob.fromJson(message.body()).connectorId());
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        assertThat(received).hasSize(12);
        sqs.deleteQueue(r -> r.queueUrl(queueUrl));
    }
}
