package app.connectors.it.pipeline;

import static app.connectors.it.pipeline.PipelineStack.TYPE;
import static app.connectors.it.pipeline.PipelineStack.await;
import static app.connectors.it.pipeline.PipelineStack.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.event.EventParser;
import app.connectors.json.Json;
import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakePlatform;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** Envelopes the dispatcher cannot use are parked on EventsDLQ with a reason, and never hold up valid ones. */
class EventParkingIT {

    private static PipelineStack env;

    @BeforeAll
    static void start() {
        env = PipelineStack.get();
    }

    @Test
    void badEnvelopesAreParkedWithAReasonWhileTheValidOneInTheSameBatchIsDelivered() {
        // GIVEN a connector, and a batch with a malformed, an unknown-type and an oversized envelope around a valid one
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack());
        user.webhook("slack", PipelineStack.slackUrl(slack), null);
        String marker = UUID.randomUUID().toString();
        String malformed = "{\"id\":\"" + marker + "-malformed\", \"type\": ";
        ObjectNode unknown = envelope(TYPE, "tech-product", user.userId).put("type", "promise.exploded").put("id", marker + "-unknown");
        ObjectNode oversized = envelope(TYPE, "tech-product", user.userId).put("id", marker + "-oversized");
        ((ObjectNode) oversized.get("data")).put("summary", "x".repeat(EventParser.MAX_BYTES));
        ObjectNode valid = envelope(TYPE, "tech-product", user.userId);

        // WHEN they are published together
        var sent = env.stack.sqs().sendMessageBatch(r -> r.queueUrl(env.stack.queueUrl("EventsQueue")).entries(
                entry("malformed", malformed), entry("unknown", Json.write(unknown)),
                entry("valid", Json.write(valid))));
        assertThat(sent.failed()).isEmpty();
        env.publish(oversized);

        // THEN the valid event is delivered, and the three others are parked with their reasons
        slack.awaitRequests(1, Duration.ofSeconds(15));
        await("three envelopes parked", Duration.ofSeconds(15), () -> parked(marker).size() == 3);
        Map<String, String> reasons = parked(marker);
        assertThat(reasons.get("malformed")).startsWith("malformed JSON");
        assertThat(reasons.get("unknown")).isEqualTo("unknown event type 'promise.exploded'");
        assertThat(reasons.get("oversized")).startsWith("envelope is ").endsWith("bytes; the limit is " + EventParser.MAX_BYTES);
        assertThat(env.depth("EventsQueue")).isZero();
    }

    private static SendMessageBatchRequestEntry entry(String id, String body) {
        return SendMessageBatchRequestEntry.builder().id(id).messageBody(body).build();
    }

    /** Parked envelopes of this test, by the kind named in their id, with their reason attribute. */
    private static Map<String, String> parked(String marker) {
        List<Message> messages = env.peek("EventsDLQ");
        return messages.stream().filter(m -> m.body().contains(marker)).collect(Collectors.toMap(
                m -> kind(m.body(), marker),
                m -> m.messageAttributes().containsKey("reason") ? m.messageAttributes().get("reason").stringValue() : "(none)",
                (a, b) -> a + " | " + b));
    }

    private static String kind(String body, String marker) {
        int at = body.indexOf(marker) + marker.length() + 1;
        return body.substring(at, body.indexOf('"', at));
    }
}
