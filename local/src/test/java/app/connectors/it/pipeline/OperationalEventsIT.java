package app.connectors.it.pipeline;

import static app.connectors.it.pipeline.PipelineStack.TYPE;
import static app.connectors.it.pipeline.PipelineStack.await;
import static app.connectors.it.pipeline.PipelineStack.envelope;
import static app.connectors.it.pipeline.PipelineStack.json;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakePlatform;
import app.connectors.testing.FakeReply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The host platform hears what happens to its users' connectors: each trigger puts one operational
 * event on the topic, which the local stack stands in for with a queue of the same name
 * ({@code bin/local events} reads it). Ids and reasons only, never a secret.
 */
class OperationalEventsIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(20);
    private static final String TOPIC = "OperationalEventsTopic";
    private static PipelineStack env;

    @BeforeAll
    static void start() {
        env = PipelineStack.get();
    }

    @Test
    void aConnectorDisabledForAGoneDestinationAndReenabledByItsOwnerIsToldToTheHost() {
        // GIVEN a Slack connector whose channel was archived
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack()).enqueue(FakeReply.slackChannelArchived());
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);

        // WHEN an event is delivered to it (410: the service disables it)
        env.publish(envelope(TYPE, "tech-product", user.userId));

        // THEN the host gets connector.disabled with the reason
        JsonNode disabled = awaitEvent(connectorId, "connector.disabled");
        assertThat(disabled.path("userId").asText()).isEqualTo(user.userId);
        assertThat(disabled.path("connectorType").asText()).isEqualTo("slack");
        assertThat(disabled.path("reason").asText()).startsWith("Slack answered 410 (channel_is_archived)");
        assertThat(disabled.path("id").asText()).startsWith("opev_");

        // WHEN the owner re-enables it
        user.call("PATCH", "/connectors/" + connectorId, "{\"enabled\":true}", 200);

        // THEN the host gets connector.reenabled, and the webhook URL is in neither event
        JsonNode reenabled = awaitEvent(connectorId, "connector.reenabled");
        assertThat(reenabled.path("userId").asText()).isEqualTo(user.userId);
        assertThat(disabled.toString() + reenabled).doesNotContain("Xy7Qp2SecretPath").doesNotContain("hooks.slack.com");
    }

    @Test
    void aConnectorItsOwnerTurnsOffAndOnAgainIsNotAnOperationalEvent() {
        // GIVEN a connector its owner disables and enables again
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack());
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);
        user.call("PATCH", "/connectors/" + connectorId, "{\"enabled\":false}", 200);
        user.call("PATCH", "/connectors/" + connectorId, "{\"enabled\":true}", 200);

        // WHEN a delivery to another connector produces an event we wait for (a marker that the queue is read)
        FakeDestination gone = env.fake(FakePlatform.slack()).enqueue(FakeReply.slackChannelArchived());
        String marker = user.webhook("slack", PipelineStack.slackUrl(gone), null);
        env.publish(envelope(TYPE, "tech-product", user.userId));
        awaitEvent(marker, "connector.disabled");

        // THEN nothing was published for the owner's own switch
        assertThat(received(connectorId)).isEmpty();
    }

    @Test
    void aDeliveryDeadAfterItsLastAttemptIsToldToTheHost() {
        // GIVEN a destination that always fails (the test schedule has 3 attempts)
        PipelineStack.Api user = env.newUser();
        FakeDestination down = env.fake(FakePlatform.slack()).respondWith(request -> FakeReply.text(500, "down"));
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(down), null);
        ObjectNode event = envelope(TYPE, "tech-product", user.userId);

        // WHEN an event is published
        env.publish(event);

        // THEN after the third attempt the host gets delivery.dead with the delivery's ids and the last error
        JsonNode dead = awaitEvent(connectorId, "delivery.dead");
        assertThat(dead.path("deliveryId").asText()).isEqualTo(PipelineStack.deliveryId(event, connectorId));
        assertThat(dead.path("eventId").asText()).isEqualTo(event.path("id").asText());
        assertThat(dead.path("attempts").asInt()).isEqualTo(3);
        assertThat(dead.path("reason").asText()).isEqualTo("all 3 attempts failed; last: HTTP 500: down");
        assertThat(down.requests()).hasSize(3);
        env.removeDeadLetters(connectorId);
    }

    /** Waits for the connector's event of that type on the topic's stand-in queue, taking it off. */
    private static JsonNode awaitEvent(String connectorId, String type) {
        List<JsonNode> seen = new ArrayList<>();
        await(type + " for " + connectorId, ARRIVAL, () -> {
            seen.addAll(received(connectorId));
            return seen.stream().anyMatch(e -> type.equals(e.path("type").asText()));
        });
        List<JsonNode> ofType = seen.stream().filter(e -> type.equals(e.path("type").asText())).toList();
        assertThat(ofType).as("one %s for %s", type, connectorId).hasSize(1);
        return ofType.getFirst();
    }

    /** The events about this connector now on the queue (taken off it); others' events are left. */
    private static List<JsonNode> received(String connectorId) {
        String url = env.stack.queueUrl(TOPIC);
        List<JsonNode> mine = new ArrayList<>();
        List<Message> messages = env.stack.sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)
                .visibilityTimeout(0).waitTimeSeconds(1).messageAttributeNames("All")).messages();
        for (Message message : messages) {
            JsonNode body = json(message.body());
            if (connectorId.equals(body.path("connectorId").asText())) {
                assertThat(message.messageAttributes().get("type").stringValue()).isEqualTo(body.path("type").asText());
                mine.add(body);
                env.stack.sqs().deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        return mine;
    }
}
