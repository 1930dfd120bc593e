package app.connectors.it.pipeline;

import static app.connectors.it.pipeline.DeliveryPipelineIT.statusOf;
import static app.connectors.it.pipeline.PipelineStack.TYPE;
import static app.connectors.it.pipeline.PipelineStack.await;
import static app.connectors.it.pipeline.PipelineStack.envelope;
import static app.connectors.it.pipeline.PipelineStack.json;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.delivery.DeliveryJob;
import app.connectors.json.Json;
import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakePlatform;
import app.connectors.testing.FakeReply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The test endpoint and the delivery log, over HTTP through the local gateway. */
class DeliveryApiIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(15);
    /** Part of every webhook URL's path below: the credential that must never be shown. */
    private static final String SECRET = "Xy7Qp2SecretPath";
    private static PipelineStack env;
    private static FakeDestination unlisted;

    @BeforeAll
    static void start() {
        env = PipelineStack.get();
        unlisted = FakeDestination.start();
    }

    @AfterAll
    static void stop() {
        unlisted.close();
    }

    @Test
    void testEndpointReportsTheDestinationsAnswer() {
        PipelineStack.Api user = env.newUser();
        FakeDestination discord = env.fake(FakePlatform.discord());
        String connectorId = user.webhook("discord", PipelineStack.discordUrl(discord), null);

        JsonNode result = user.call("POST", "/connectors/" + connectorId + "/test", null, 200);

        assertThat(result.path("ok").asBoolean()).isTrue();
        assertThat(result.path("statusCode").asInt()).isEqualTo(200);
        assertThat(result.path("eventType").asText()).isEqualTo(TYPE);
        assertThat(result.path("responseExcerpt").asText()).startsWith("{\"id\":\"").contains("\"channel_id\":\"1100000000000000000\"");
        assertThat(result.path("latencyMs").asLong()).isBetween(0L, 5000L);
        assertThat(result.path("error").isNull()).isTrue();
        assertThat(discord.requests()).singleElement()
                .satisfies(r -> assertThat(r.queryParameter("wait")).hasValue("true"));
        // the test endpoint is not a delivery: the log stays empty
        assertThat(user.deliveries(connectorId)).isEmpty();
    }

    @Test
    void testEndpointReportsAFailingDestinationAsOkFalse() {
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack()).enqueue(FakeReply.text(500, "internal_error"));
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);

        JsonNode result = user.call("POST", "/connectors/" + connectorId + "/test",
                "{\"eventType\":\"" + TYPE + "\"}", 200);

        assertThat(result.path("ok").asBoolean()).isFalse();
        assertThat(result.path("statusCode").asInt()).isEqualTo(500);
        assertThat(result.path("responseExcerpt").asText()).isEqualTo("internal_error");
        assertThat(result.path("error").asText()).isEqualTo("the destination answered HTTP 500");
    }

    @Test
    void testEndpointSaysWhenTheSsrfGuardRefuses() {
        PipelineStack.Api user = env.newUser();
        String host = "test-rebind-" + user.userId + ".example.net";
        PipelineStack.DNS.answer(host, "93.184.215.14");
        String connectorId = user.create("generic", "rebinding", Json.object()
                .put("url", "http://" + host + ":" + unlisted.port() + "/in").put("method", "POST"), List.of(TYPE), null)
                .path("uuid").asText();
        PipelineStack.DNS.answer(host, "127.0.0.1");

        JsonNode result = user.call("POST", "/connectors/" + connectorId + "/test", null, 200);

        assertThat(result.path("ok").asBoolean()).isFalse();
        assertThat(result.path("statusCode").isNull()).isTrue();
        assertThat(result.path("error").asText()).startsWith("refused by the SSRF guard: ").contains("loopback");
        assertThat(unlisted.connectionsAccepted()).isZero();
    }

    @Test
    void deliveryLogShowsAttemptsWithoutTheWebhookSecretAndRetrySendsAFailedDeliveryAgain() {
        // GIVEN a delivery that failed for good (Slack answered 400)
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack()).enqueue(FakeReply.text(400, "invalid_payload"));
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);
        ObjectNode event = envelope(TYPE, "tech-product", user.userId);
        Instant published = Instant.now();
        env.publish(event);
        await("delivery failed", ARRIVAL, () -> statusOf(user, connectorId).equals("failed"));

        // WHEN the log is read
        HttpResponse<String> raw = user.send("GET", "/connectors/" + connectorId + "/deliveries", null);

        // THEN it shows the attempt with time, code, latency and a short error, and never the secret path
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).doesNotContain(SECRET).doesNotContain("/services/T0001");
        JsonNode delivery = json(raw.body()).path("deliveries").get(0);
        String deliveryId = PipelineStack.deliveryId(event, connectorId);
        assertThat(delivery.path("id").asText()).isEqualTo(deliveryId);
        assertThat(delivery.path("eventId").asText()).isEqualTo(event.path("id").asText());
        assertThat(delivery.path("eventType").asText()).isEqualTo(TYPE);
        JsonNode attempt = delivery.path("attempts").get(0);
        assertThat(Instant.parse(attempt.path("at").asText())).isBetween(published.minusSeconds(1), Instant.now());
        assertThat(attempt.path("statusCode").asInt()).isEqualTo(400);
        assertThat(attempt.path("latencyMs").asLong()).isBetween(0L, 5000L);
        assertThat(attempt.path("error").asText()).isEqualTo("HTTP 400: invalid_payload");

        // WHEN the user asks to send it again
        JsonNode retried = user.call("POST", "/connectors/" + connectorId + "/deliveries/" + deliveryId + "/retry", null, 202);

        // THEN it is queued, sent once more, and succeeds in a second series
        assertThat(retried.path("previousStatus").asText()).isEqualTo("failed");
        slack.awaitRequests(2, ARRIVAL);
        await("retried delivery succeeded", ARRIVAL, () -> statusOf(user, connectorId).equals("succeeded"));
        JsonNode after = user.deliveries(connectorId).get(0);
        assertThat(after.path("series").asInt()).isEqualTo(2);
        assertThat(after.path("attempts").findValuesAsText("statusCode")).containsExactly("400", "200");
        // each attempt says which series it belongs to
        assertThat(after.path("attempts").findValuesAsText("series")).containsExactly("1", "2");
        // a succeeded delivery cannot be retried, and the answer says so in plain words
        JsonNode refused = user.call("POST", "/connectors/" + connectorId + "/deliveries/" + deliveryId + "/retry", null, 409);
        assertThat(refused.path("detail").asText()).startsWith("Delivery " + deliveryId + " has already succeeded;");
    }

    @Test
    void failureReasonsInTheLogNameAtMostTheOrigin() {
        // GIVEN a destination that resets the connection every time
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(request -> FakeReply.reset());
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);

        env.publish(envelope(TYPE, "tech-product", user.userId));

        await("three attempts", ARRIVAL, () -> statusOf(user, connectorId).equals("dead"));
        HttpResponse<String> raw = user.send("GET", "/connectors/" + connectorId + "/deliveries", null);
        assertThat(raw.body()).doesNotContain(SECRET);
        JsonNode attempts = json(raw.body()).path("deliveries").get(0).path("attempts");
        assertThat(attempts).hasSize(3);
        assertThat(attempts.get(0).path("error").asText()).startsWith("RESET: ").contains("http://hooks.slack.com:" + slack.port());
        // take the dead job off the DLQ, so that a redrive in another test does not send it again
        assertThat(env.removeDeadLetters(connectorId)).isEqualTo(1);
    }

    @Test
    void deliveryLogPagesNewestFirstWithAnOpaqueCursor() {
        // GIVEN three delivered events for one connector (Zapier: no one-per-second pacing)
        PipelineStack.Api user = env.newUser();
        FakeDestination zapier = env.fake(FakePlatform.zapier());
        String connectorId = user.webhook("zapier", PipelineStack.zapierUrl(zapier), null);
        List<String> published = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode event = envelope(TYPE, "tech-product", user.userId);
            event.put("occurredAt", java.time.Instant.parse("2026-11-20T14:00:00Z").plusSeconds(i).toString());
            published.add(PipelineStack.deliveryId(event, connectorId));
            env.publish(event);
            zapier.awaitRequests(i + 1, ARRIVAL);
        }
        await("three deliveries logged", ARRIVAL, () -> user.deliveries(connectorId).size() == 3);

        // WHEN the log is read two at a time
        JsonNode first = user.call("GET", "/connectors/" + connectorId + "/deliveries?limit=2", null, 200);
        String cursor = first.path("nextCursor").asText();
        JsonNode second = user.call("GET", "/connectors/" + connectorId + "/deliveries?limit=2&cursor=" + cursor, null, 200);

        // THEN the pages hold all three once, newest event first, and the last page has no cursor
        assertThat(first.path("deliveries")).hasSize(2);
        assertThat(cursor).isNotBlank();
        assertThat(second.path("deliveries")).hasSize(1);
        assertThat(second.path("nextCursor").isNull()).isTrue();
        List<String> listed = new java.util.ArrayList<>();
        first.path("deliveries").forEach(d -> listed.add(d.path("id").asText()));
        second.path("deliveries").forEach(d -> listed.add(d.path("id").asText()));
        assertThat(listed).containsExactly(published.get(2), published.get(1), published.get(0));
        user.call("GET", "/connectors/" + connectorId + "/deliveries?cursor=not-a-cursor", null, 400);
    }

    @Test
    void anotherUsersDeliveryLogIsNotFound() {
        PipelineStack.Api owner = env.newUser();
        PipelineStack.Api stranger = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack());
        String connectorId = owner.webhook("slack", PipelineStack.slackUrl(slack), null);

        stranger.call("GET", "/connectors/" + connectorId + "/deliveries", null, 404);
        stranger.call("POST", "/connectors/" + connectorId + "/test", null, 404);
        assertThat(slack.requests()).isEmpty();
    }
}
