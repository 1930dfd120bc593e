package app.connectors.it.pipeline;

import static app.connectors.it.pipeline.DeliveryPipelineIT.statusOf;
import static app.connectors.it.pipeline.PipelineStack.TYPE;
import static app.connectors.it.pipeline.PipelineStack.await;
import static app.connectors.it.pipeline.PipelineStack.envelope;
import static app.connectors.it.pipeline.PipelineStack.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.delivery.DeliveryJob;
import app.connectors.event.EventParser;
import app.connectors.json.Json;
import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakePlatform;
import app.connectors.testing.FakeReply;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Destinations that throttle, vanish, redirect, hang, or turn out to be private at send time. */
class DeliveryFailuresIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(15);
    private static PipelineStack env;
    /** Not on the allow-list: nothing may ever connect to it. */
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
    void urlThatResolvesToLoopbackAtSendTimeIsRefusedAndNothingConnects() {
        // GIVEN a generic connector whose host resolved to a public address when it was saved
        PipelineStack.Api user = env.newUser();
        String host = "rebind-" + user.userId + ".example.net";
        PipelineStack.DNS.answer(host, "93.184.215.14");
        String connectorId = user.create("generic", "rebinding", Json.object()
                .put("url", "http://" + host + ":" + unlisted.port() + "/in/secret-rebind").put("method", "POST"),
                List.of(TYPE), null).path("uuid").asText();

        // WHEN the name now resolves to 127.0.0.1 and an event is published
        PipelineStack.DNS.answer(host, "127.0.0.1");
        env.publish(envelope(TYPE, "tech-product", user.userId));

        // THEN the delivery fails at once as refused, and the private port saw no connection
        await("delivery failed", ARRIVAL, () -> statusOf(user, connectorId).equals("failed"));
        JsonNode attempt = user.deliveries(connectorId).get(0).path("attempts").get(0);
        assertThat(attempt.path("error").asText()).startsWith("REFUSED: ").contains("127.0.0.1").contains("loopback")
                .doesNotContain("secret-rebind");
        assertThat(attempt.path("statusCode").isNull()).isTrue();
        assertThat(user.deliveries(connectorId).get(0).path("attempts")).hasSize(1);
        assertThat(unlisted.connectionsAccepted()).isZero();
        assertThat(PipelineStack.DNS.lookups(host)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void retryAfterIsHonouredBeforeTheNextRequest() {
        // GIVEN Slack answers the first request with 429 and Retry-After: 2
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack()).enqueue(FakeReply.tooManyRequests("2"));
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);

        // WHEN an event is published
        env.publish(envelope(TYPE, "tech-product", user.userId));

        // THEN the second request comes no sooner than two seconds after the first, and succeeds
        var requests = slack.awaitRequests(2, ARRIVAL);
        assertThat(Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        await("delivery succeeded", ARRIVAL, () -> statusOf(user, connectorId).equals("succeeded"));
        JsonNode attempts = user.deliveries(connectorId).get(0).path("attempts");
        assertThat(attempts.findValuesAsText("statusCode")).containsExactly("429", "200");
        assertThat(attempts.get(0).path("error").asText()).isEqualTo("HTTP 429: rate_limited");
    }

    @Test
    void burstToOneSlackWebhookIsSentNoFasterThanOnePerSecondAndAllArrive() {
        // GIVEN one Slack connector (one message a second per webhook)
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack());
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);

        // WHEN six events for it are published at once
        for (int i = 0; i < 6; i++) {
            env.publish(envelope(TYPE, "tech-product", user.userId));
        }

        // THEN all six arrive, each accepted at its first attempt
        slack.awaitRequests(6, Duration.ofSeconds(30));
        await("all six succeeded", Duration.ofSeconds(30), () -> user.deliveries(connectorId).findValuesAsText("status").stream()
                .filter("succeeded"::equals).count() == 6);
        assertThat(slack.requests()).hasSize(6);
        JsonNode deliveries = user.deliveries(connectorId);
        // AND the attempts as recorded are at least the interval apart: the guarantee pacing makes,
        // whatever the machine's load. Each attempt's "at" is the moment its worker found its slot
        // current (not before it, within its tolerance) and sent; slots are the interval plus that
        // tolerance apart, so this holds by construction (DeliveryProcessorTest stalls workers at
        // random to check it). Arrival times at the fake also carry the network's and the
        // scheduler's jitter, which no clock can bound, so they are not asserted.
        List<java.time.Instant> sentAt = new java.util.ArrayList<>();
        for (JsonNode delivery : deliveries) {
            assertThat(delivery.path("attempts")).hasSize(1);
            sentAt.add(java.time.Instant.parse(delivery.at("/attempts/0/at").asText()));
        }
        java.util.Collections.sort(sentAt);
        for (int i = 1; i < sentAt.size(); i++) {
            assertThat(Duration.between(sentAt.get(i - 1), sentAt.get(i))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void slackChannelArchivedDisablesTheConnectorUntilItIsReenabled() {
        // GIVEN a Slack connector whose channel was archived
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack()).enqueue(FakeReply.slackChannelArchived());
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);

        // WHEN an event is delivered
        env.publish(envelope(TYPE, "tech-product", user.userId));

        // THEN the delivery fails without retry and the connector is disabled with the reason
        await("delivery failed", ARRIVAL, () -> statusOf(user, connectorId).equals("failed"));
        // the disable is a side write made after the record says failed: a moment later, not with it
        await("connector disabled", ARRIVAL, () -> user.connector(connectorId).path("status").asText().equals("disabled"));
        JsonNode connector = user.connector(connectorId);
        assertThat(connector.path("statusReason").asText()).startsWith("Slack answered 410 (channel_is_archived)");

        // WHEN the owner re-enables it and another event comes
        JsonNode patched = user.call("PATCH", "/connectors/" + connectorId, "{\"enabled\":true}", 200);
        assertThat(patched.path("status").asText()).isEqualTo("active");
        assertThat(patched.path("statusReason").isNull()).isTrue();
        env.publish(envelope(TYPE, "tech-product", user.userId));

        // THEN it is delivered again
        slack.awaitRequests(2, ARRIVAL);
        sleep(Duration.ofSeconds(1));
        assertThat(slack.requests()).hasSize(2);
    }

    @Test
    void discordUnknownWebhookDisablesTheConnectorAtOnce() {
        PipelineStack.Api user = env.newUser();
        FakeDestination discord = env.fake(FakePlatform.discord())
                .enqueue(FakeReply.json(404, "{\"message\": \"Unknown Webhook\", \"code\": 10015}"));
        String connectorId = user.webhook("discord", PipelineStack.discordUrl(discord), null);

        env.publish(envelope(TYPE, "tech-product", user.userId));

        await("connector disabled", ARRIVAL, () -> user.connector(connectorId).path("status").asText().equals("disabled"));
        assertThat(user.connector(connectorId).path("statusReason").asText()).startsWith("Discord answered 404");
        assertThat(statusOf(user, connectorId)).isEqualTo("failed");
        sleep(Duration.ofSeconds(2));
        assertThat(discord.requests()).hasSize(1);
    }

    @Test
    void redirectIsAFailureAndIsNotFollowed() {
        // GIVEN a destination that redirects to another (allowed) fake
        PipelineStack.Api user = env.newUser();
        FakeDestination target = env.fake(FakePlatform.generic());
        FakeDestination redirecting = env.fake(FakePlatform.slack()).enqueue(FakeReply.redirect(target.baseUrl() + "/moved"));
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(redirecting), null);

        env.publish(envelope(TYPE, "tech-product", user.userId));

        // THEN the delivery failed on the 302 and the redirect target never heard of it
        await("delivery failed", ARRIVAL, () -> statusOf(user, connectorId).equals("failed"));
        JsonNode attempt = user.deliveries(connectorId).get(0).path("attempts").get(0);
        assertThat(attempt.path("statusCode").asInt()).isEqualTo(302);
        assertThat(attempt.path("outcome").asText()).isEqualTo("failed");
        sleep(Duration.ofSeconds(1));
        assertThat(redirecting.requests()).hasSize(1);
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void hangingDestinationTimesOutWithoutHoldingUpItsNeighbour() throws Exception {
        // GIVEN two connectors of one user; the first destination hangs on its first request
        PipelineStack.Api user = env.newUser();
        FakeDestination hanging = env.fake(FakePlatform.zapier()).enqueue(FakeReply.hang());
        FakeDestination healthy = env.fake(FakePlatform.zapier());
        String hangingId = user.webhook("zapier", PipelineStack.zapierUrl(hanging), null);
        String healthyId = user.webhook("zapier", PipelineStack.zapierUrl(healthy), null);

        // WHEN one event's two jobs become visible on DeliveriesQueue at the same moment (so one receive
        // takes both: the local poller runs one batch at a time, as one Lambda invocation would)
        var event = EventParser.standard().parse(Json.write(envelope(TYPE, "tech-product", user.userId)));
        env.sendJobsTogether(List.of(DeliveryJob.of(event, user.userId, hangingId), DeliveryJob.of(event, user.userId, healthyId)));

        // THEN the healthy one is delivered while the other still waits for an answer
        healthy.awaitRequests(1, Duration.ofSeconds(6));
        await("healthy delivery succeeded", Duration.ofSeconds(8), () -> statusOf(user, healthyId).equals("succeeded"));
        assertThat(hanging.requests()).hasSize(1);
        assertThat(user.deliveries(hangingId).get(0).path("attempts")).isEmpty();

        // AND the hanging one times out (PipelineStack's 2 s response timeout), is retried, and succeeds
        await("hanging delivery retried and succeeded", Duration.ofSeconds(10),
                () -> statusOf(user, hangingId).equals("succeeded"));
        JsonNode attempts = user.deliveries(hangingId).get(0).path("attempts");
        assertThat(attempts.get(0).path("error").asText()).startsWith("TIMEOUT: ");
        assertThat(attempts.get(0).path("statusCode").isNull()).isTrue();
        assertThat(attempts.get(0).path("latencyMs").asLong()).isGreaterThanOrEqualTo(1000);
        assertThat(attempts.get(1).path("statusCode").asInt()).isEqualTo(200);
        assertThat(healthy.requests()).hasSize(1);
    }
}
