package app.connectors.it.pipeline;

import static app.connectors.it.pipeline.PipelineStack.TYPE;
import static app.connectors.it.pipeline.PipelineStack.await;
import static app.connectors.it.pipeline.PipelineStack.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakePlatform;
import app.connectors.testing.FakeReply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A delivery on the local stack leaves what an operator reads in CloudWatch: EMF metric lines
 * (namespace Connectors, bounded dimensions, the ids as plain properties) and log lines that carry
 * the function, the request id, cold start and the ids in play, so one delivery can be followed from
 * its event to the destination's answer.
 */
class ObservabilityIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(20);
    private static PipelineStack env;

    @BeforeAll
    static void start() {
        env = PipelineStack.get();
    }

    @Test
    void aDeliveryEmitsItsMetricsAndCorrelatedLogLines() {
        try (OutputCapture output = OutputCapture.start()) {
            // GIVEN a Slack connector whose destination fails once with 500, then accepts
            PipelineStack.Api user = env.newUser();
            FakeDestination slack = env.fake(FakePlatform.slack()).enqueue(FakeReply.text(500, "busy"));
            String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);
            ObjectNode event = envelope(TYPE, "tech-product", user.userId);
            String eventId = event.path("id").asText();
            String deliveryId = PipelineStack.deliveryId(event, connectorId);

            // WHEN the event is published and delivered (one retry, then success)
            env.publish(event);
            slack.awaitRequests(2, ARRIVAL);
            await("two attempt metrics for " + deliveryId, ARRIVAL,
                    () -> output.jsonLines().stream().filter(metric("Deliveries")).filter(about(deliveryId)).count() >= 2);
            List<JsonNode> lines = output.jsonLines();

            // THEN the dispatcher reported the fan-out of that event
            JsonNode fanOut = only(lines, metric("FanOutSize").and(line -> eventId.equals(line.path("eventId").asText())));
            assertThat(fanOut.path("FanOutSize").asInt()).isEqualTo(1);
            assertThat(fanOut.path("function").asText()).isEqualTo("DispatcherFunction");

            // AND each attempt is a Deliveries data point by outcome and connector type, with its latency
            List<JsonNode> attempts = lines.stream().filter(metric("Deliveries")).filter(about(deliveryId)).toList();
            assertThat(attempts).extracting(line -> line.path("Outcome").asText()).containsExactly("retrying", "succeeded");
            JsonNode success = attempts.get(1);
            assertThat(success.path("ConnectorType").asText()).isEqualTo("slack");
            assertThat(success.path("Service").asText()).isEqualTo("connectors");
            assertThat(success.path("AttemptsPerSuccess").asInt()).isEqualTo(2);
            assertThat(success.path("DeliveryLatency").isNumber()).isTrue();
            assertDirective(success, "Deliveries", "DeliveryLatency", "AttemptsPerSuccess");
            // bounded dimensions: never an id
            assertThat(success.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                    .doesNotContain("deliveryId").doesNotContain("connectorId").doesNotContain("userId");

            // AND every metric and log line of the delivery names the function, the invocation and the ids in play
            // (the first attempt is the dispatcher's, the retry the deliverer's)
            List<JsonNode> ofDelivery = lines.stream().filter(about(deliveryId)).toList();
            assertThat(ofDelivery).isNotEmpty().allSatisfy(line -> {
                assertThat(line.path("function").asText()).isIn("DispatcherFunction", "DeliverFunction");
                assertThat(line.path("requestId").asText()).isNotBlank();
                assertThat(line.path("coldStart").isBoolean()).isTrue();
                assertThat(line.path("connectorId").asText()).isEqualTo(connectorId);
                assertThat(line.path("userId").asText()).isEqualTo(user.userId);
                assertThat(line.path("eventId").asText()).isEqualTo(eventId);
            });
            List<JsonNode> attemptLogs = ofDelivery.stream().filter(line -> "delivery.attempt".equals(line.path("message").asText()))
                    .toList();
            assertThat(attemptLogs).extracting(line -> line.path("statusCode").asInt()).containsExactly(500, 200);
            assertThat(attemptLogs).allSatisfy(line -> assertThat(line.path("level").asText()).isEqualTo("INFO"));
            // the first attempt was the dispatcher's, the retry an invocation of the deliverer
            assertThat(attemptLogs).extracting(line -> line.path("function").asText())
                    .containsExactly("DispatcherFunction", "DeliverFunction");
            assertThat(attemptLogs.get(0).path("requestId").asText()).isNotEqualTo(attemptLogs.get(1).path("requestId").asText());

            // AND the API calls that set it up were counted by status class
            assertThat(lines.stream().filter(metric("ApiResponses"))
                    .filter(line -> user.userId.equals(line.path("userId").asText())))
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line.path("StatusClass").asText()).matches("[2-5]xx"));
        }
    }

    private static Predicate<JsonNode> metric(String name) {
        return line -> line.has("_aws") && line.has(name);
    }

    private static Predicate<JsonNode> about(String deliveryId) {
        return line -> deliveryId.equals(line.path("deliveryId").asText());
    }

    private static JsonNode only(List<JsonNode> lines, Predicate<JsonNode> which) {
        List<JsonNode> found = lines.stream().filter(which).toList();
        assertThat(found).hasSize(1);
        return found.getFirst();
    }

    private static void assertDirective(JsonNode line, String... metrics) {
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.path("Namespace").asText()).isEqualTo("Connectors");
        assertThat(directive.path("Metrics").findValuesAsText("Name")).containsExactly(metrics);
        assertThat(line.at("/_aws/Timestamp").asLong()).isPositive();
    }
}
