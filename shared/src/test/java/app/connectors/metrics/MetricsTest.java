package app.connectors.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.json.Json;
import app.connectors.log.LogContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void aDeliveryIsOneEmfLineWithBoundedDimensionsAndTheIdsAsProperties() throws Exception {
        // GIVEN an invocation working on a delivery
        List<JsonNode> lines;
        try (var invocation = LogContext.invocation("DeliverFunction", "req-1", null);
             var ids = LogContext.with("deliveryId", "dlv_1", "connectorId", "c-1", "userId", "u-1")) {
            // WHEN a successful second attempt is measured
            lines = captured(() -> Metrics.delivery("slack", Metrics.Outcome.SUCCEEDED, Duration.ofMillis(182), 2));
        }

        // THEN it is one EMF document in namespace Connectors
        assertThat(lines).hasSize(1);
        JsonNode line = lines.getFirst();
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.path("Namespace").asText()).isEqualTo("Connectors");
        assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Service\",\"Outcome\"],[\"Service\",\"ConnectorType\",\"Outcome\"]]");
        assertThat(directive.path("Metrics").toString()).isEqualTo("[{\"Name\":\"Deliveries\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"DeliveryLatency\",\"Unit\":\"Milliseconds\"},{\"Name\":\"AttemptsPerSuccess\",\"Unit\":\"Count\"}]");
        assertThat(line.path("Deliveries").asInt()).isEqualTo(1);
        assertThat(line.path("DeliveryLatency").asLong()).isEqualTo(182);
        assertThat(line.path("AttemptsPerSuccess").asInt()).isEqualTo(2);
        assertThat(line.path("ConnectorType").asText()).isEqualTo("slack");
        assertThat(line.path("Outcome").asText()).isEqualTo("succeeded");
        assertThat(line.path("Service").asText()).isEqualTo("connectors");
        // AND the ids travel as properties, never as dimensions
        assertThat(line.path("deliveryId").asText()).isEqualTo("dlv_1");
        assertThat(line.path("function").asText()).isEqualTo("DeliverFunction");
        assertThat(line.path("requestId").asText()).isEqualTo("req-1");
    }

    @Test
    void aFailureWithoutASendHasNoLatencyAndNoAttemptsPerSuccess() throws Exception {
        JsonNode line = captured(() -> Metrics.delivery("segment", Metrics.Outcome.FAILED, null, 1)).getFirst();
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Metrics").findValuesAsText("Name")).containsExactly("Deliveries");
        assertThat(line.has("DeliveryLatency")).isFalse();
        assertThat(line.has("AttemptsPerSuccess")).isFalse();
    }

    @Test
    void dimensionValuesOutsideTheExpectedShapeBecomeOther() throws Exception {
        // A connector type is catalog data; anything else (an id, a URL, a huge string) must not become a dimension.
        JsonNode line = captured(() -> Metrics.delivery("https://hooks.slack.com/services/T/B/secret", Metrics.Outcome.FAILED,
                null, 1)).getFirst();
        assertThat(line.path("ConnectorType").asText()).isEqualTo("other");
        assertThat(line.toString()).doesNotContain("secret");
        assertThat(Metrics.bounded("x".repeat(40))).isEqualTo("other");
        assertThat(Metrics.bounded(null)).isEqualTo("other");
        assertThat(Metrics.bounded("HubSpot")).isEqualTo("hubspot");
    }

    @Test
    void apiResponsesAreCountedByStatusClass() throws Exception {
        List<JsonNode> lines = captured(() -> {
            Metrics.apiResponse(201);
            Metrics.apiResponse(404);
            Metrics.apiResponse(503);
            Metrics.apiResponse(42);
        });
        assertThat(lines).extracting(line -> line.path("StatusClass").asText()).containsExactly("2xx", "4xx", "5xx", "other");
        assertThat(lines).allSatisfy(line -> assertThat(line.path("ApiResponses").asInt()).isEqualTo(1));
    }

    @Test
    void everyOtherMetricHasItsNameAndDimensions() throws Exception {
        List<JsonNode> lines = captured(() -> {
            Metrics.fanOut(12);
            Metrics.transformation("segment", Duration.ofNanos(1_500_000), true);
            Metrics.planLimitRefused("pro");
            Metrics.ssrfRefused();
            Metrics.connectorDisabled(Metrics.DisableCause.GONE);
        });
        assertThat(lines.get(0).path("FanOutSize").asInt()).isEqualTo(12);
        assertThat(lines.get(1).path("TransformationTime").asDouble()).isEqualTo(1.5);
        assertThat(lines.get(1).path("TransformationFailures").asInt()).isEqualTo(1);
        assertThat(lines.get(2).path("PlanLimitRefusals").asInt()).isEqualTo(1);
        assertThat(lines.get(2).path("Tier").asText()).isEqualTo("pro");
        assertThat(lines.get(3).path("SsrfRefusals").asInt()).isEqualTo(1);
        assertThat(lines.get(4).path("ConnectorsDisabled").asInt()).isEqualTo(1);
        assertThat(lines.get(4).path("Cause").asText()).isEqualTo("gone");
        // every dimension named in a directive has a value on its line (else CloudWatch drops the metric)
        assertThat(lines).allSatisfy(line -> line.at("/_aws/CloudWatchMetrics/0/Dimensions").forEach(set ->
                set.forEach(dimension -> assertThat(line.path(dimension.asText()).isTextual()).as(dimension.asText()).isTrue())));
    }

    static List<JsonNode> captured(Runnable emit) throws Exception {
        PrintStream real = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            emit.run();
        } finally {
            System.setOut(real);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : buffer.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.MAPPER.readTree(line));
            }
        }
        return lines;
    }
}
