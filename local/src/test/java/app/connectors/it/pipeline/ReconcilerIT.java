package app.connectors.it.pipeline;

import static app.connectors.it.pipeline.DeliveryPipelineIT.statusOf;
import static app.connectors.it.pipeline.PipelineStack.TYPE;
import static app.connectors.it.pipeline.PipelineStack.await;
import static app.connectors.it.pipeline.PipelineStack.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.config.Settings;
import app.connectors.delivery.Attempt;
import app.connectors.delivery.DeliveryJob;
import app.connectors.delivery.DeliveryRecord;
import app.connectors.delivery.DeliveryState;
import app.connectors.delivery.DynamoDbDeliveryStore;
import app.connectors.delivery.DynamoDbEventStore;
import app.connectors.event.Event;
import app.connectors.event.EventParser;
import app.connectors.json.Json;
import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakePlatform;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A delivery left pending with no job to carry it (its message was lost: a queue purged or
 * restored, a message past its retention) is found by the reconciler and delivered.
 */
class ReconcilerIT {

    @Test
    void aPendingDeliveryWhoseJobWasLostIsPutBackAndDelivered() throws Exception {
        // GIVEN a connector, and a delivery of one of its events pending since yesterday with no job
        // anywhere (as if DeliveriesQueue had lost it), its event kept as every pending delivery's is
        PipelineStack env = PipelineStack.get();
        PipelineStack.Api user = env.newUser();
        FakeDestination zapier = env.fake(FakePlatform.zapier());
        String connectorId = user.webhook("zapier", PipelineStack.zapierUrl(zapier), null);
        Event event = EventParser.standard().parse(Json.write(envelope(TYPE, "tech-product", user.userId)));
        DeliveryJob job = DeliveryJob.of(event, user.userId, connectorId);
        Settings settings = Settings.from(env.stack.environmentOf("ReconcilerFunction"));
        new DynamoDbEventStore(env.stack.dynamoDb(), settings.required(Settings.DELIVERY_EVENTS_TABLE), Clock.systemUTC()).keep(event);
        Instant yesterday = Instant.now().minus(Duration.ofDays(1));
        Attempt failed = new Attempt(1, 1, yesterday.minusSeconds(5), 503, 40, "retrying", "HTTP 503", null, 1L);
        DeliveryRecord lost = new DeliveryRecord(connectorId, job.deliveryId(), user.userId, event.id(), event.type(),
                DeliveryState.PENDING, 1, 1, yesterday, null, List.of(failed), yesterday.minusSeconds(10), yesterday, null);
        env.stack.dynamoDb().putItem(r -> r.tableName(settings.deliveriesTable()).item(DynamoDbDeliveryStore.toItem(lost)));

        // WHEN the reconciler runs (on AWS every 5 minutes; here invoked at once)
        JsonNode result = Json.MAPPER.valueToTree(env.stack.function("ReconcilerFunction").invokeJson("{}"));

        // THEN it put the job back, and the delivery was made as its second attempt
        assertThat(result.path("requeued").asInt()).as("reconciler answer %s", result).isGreaterThanOrEqualTo(1);
        zapier.awaitRequests(1, Duration.ofSeconds(20));
        await("delivery succeeded", Duration.ofSeconds(20), () -> statusOf(user, connectorId).equals("succeeded"));
        JsonNode attempts = user.deliveries(connectorId).get(0).path("attempts");
        assertThat(attempts.findValuesAsText("outcome")).containsExactly("retrying", "succeeded");
        assertThat(user.deliveries(connectorId).get(0).path("id").asText()).isEqualTo(job.deliveryId());
        assertThat(zapier.requests()).hasSize(1);
    }
}
