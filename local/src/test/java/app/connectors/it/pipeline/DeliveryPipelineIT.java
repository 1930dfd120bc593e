package app.connectors.it.pipeline;

import static app.connectors.it.pipeline.PipelineStack.TYPE;
import static app.connectors.it.pipeline.PipelineStack.await;
import static app.connectors.it.pipeline.PipelineStack.envelope;
import static app.connectors.it.pipeline.PipelineStack.json;
import static app.connectors.it.pipeline.PipelineStack.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.backend.EmbeddedOnly;
import app.connectors.delivery.DeliveryJob;
import app.connectors.event.EventParser;
import app.connectors.json.Json;
import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakePlatform;
import app.connectors.testing.FakeReply;
import app.connectors.testing.RecordedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** Events published to EventsQueue reach the right connectors once, through failures, the DLQ and redrive. */
class DeliveryPipelineIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(15);
    private static PipelineStack env;

    @BeforeAll
    static void start() {
        env = PipelineStack.get();
    }

    @Test
    void eventReachesEveryMatchingConnectorOnceAndNoOther() throws Exception {
        // GIVEN a user with one matching connector of each kind, and connectors that must not receive the event
        PipelineStack.Api alice = env.newUser();
        PipelineStack.Api bob = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack());
        FakeDestination discord = env.fake(FakePlatform.discord());
        FakeDestination teams = env.fake(FakePlatform.teams());
        FakeDestination zapier = env.fake(FakePlatform.zapier());
        FakeDestination generic = env.fake(FakePlatform.generic());
        FakeDestination filteredOut = env.fake(FakePlatform.slack());
        FakeDestination disabled = env.fake(FakePlatform.slack());
        FakeDestination otherUser = env.fake(FakePlatform.slack());
        FakeDestination otherType = env.fake(FakePlatform.slack());

        String slackId = alice.webhook("slack", PipelineStack.slackUrl(slack), "{\"categories\":[\"politics\",\"tech-product\"]}");
        String discordId = alice.webhook("discord", PipelineStack.discordUrl(discord), null);
        String teamsId = alice.webhook("teams", PipelineStack.teamsUrl(teams), null);
        String zapierId = alice.webhook("zapier", PipelineStack.zapierUrl(zapier), "{\"companies\":[\"Acme Mobile\"]}");
        JsonNode genericCreated = alice.create("generic", "signed", Json.object().put("url", PipelineStack.genericUrl(generic))
                .put("method", "POST"), List.of("*"), null);
        generic.respondWith(FakePlatform.standardWebhooks(genericCreated.path("signingSecret").asText()));
        alice.webhook("slack", PipelineStack.slackUrl(filteredOut), "{\"categories\":[\"health\"]}");
        alice.call("POST", "/connectors", """
                {"type":"slack","name":"off","config":{"webhook_url":"%s"},"events":["%s"],"enabled":false}"""
                .formatted(PipelineStack.slackUrl(disabled), TYPE), 201);
        bob.webhook("slack", PipelineStack.slackUrl(otherUser), null);
        alice.create("slack", "created only", Json.object().put("webhook_url", PipelineStack.slackUrl(otherType)),
                List.of("promise.created"), null);

        // WHEN an event for alice is published
        ObjectNode event = envelope(TYPE, "tech-product", alice.userId);
        env.publish(event);

        // THEN each matching destination receives exactly one request, which it accepts
        for (FakeDestination fake : List.of(slack, discord, teams, zapier, generic)) {
            fake.awaitRequests(1, ARRIVAL);
        }
        for (String id : List.of(slackId, discordId, teamsId, zapierId, genericCreated.path("uuid").asText())) {
            await("delivery to " + id + " succeeded", ARRIVAL, () -> statusOf(alice, id).equals("succeeded"));
        }
        sleep(Duration.ofSeconds(2)); // room for a duplicate or a stray delivery to show up
        for (FakeDestination fake : List.of(slack, discord, teams, zapier, generic)) {
            assertThat(fake.requests()).hasSize(1);
        }
        for (FakeDestination fake : List.of(filteredOut, disabled, otherUser, otherType)) {
            assertThat(fake.requests()).isEmpty();
            assertThat(fake.connectionsAccepted()).isZero();
        }
        RecordedRequest toDiscord = discord.requests().get(0);
        assertThat(toDiscord.queryParameter("wait")).hasValue("true");
        assertThat(json(new String(toDiscord.body())).path("embeds").get(0).path("title").asText())
                .contains("Ship offline mode");
        RecordedRequest toGeneric = generic.requests().get(0);
        assertThat(toGeneric.header("webhook-id")).hasValue(PipelineStack.deliveryId(event, genericCreated.path("uuid").asText()));
        assertThat(json(new String(toGeneric.body())).path("id").asText()).isEqualTo(event.path("id").asText());
        assertThat(json(new String(zapier.requests().get(0).body())).path("subject.title").asText())
                .isEqualTo(event.at("/subject/title").asText());
        assertThat(alice.deliveries(slackId).get(0).at("/attempts/0/statusCode").asInt()).isEqualTo(200);
        assertThat(alice.deliveries(teamsId).get(0).at("/attempts/0/statusCode").asInt()).isEqualTo(202);
    }

    @Test
    void numbersReachAGenericDestinationAsPublishedOnFirstAttemptAndRetry() throws Exception {
        // GIVEN a generic connector whose destination fails the first attempt, and an event whose data
        // holds numbers a double cannot carry as written
        PipelineStack.Api user = env.newUser();
        FakeDestination generic = env.fake(FakePlatform.generic()).enqueue(FakeReply.text(503, "busy"));
        JsonNode created = user.create("generic", "numbers", Json.object().put("url", PipelineStack.genericUrl(generic))
                .put("method", "POST"), List.of("*"), null);
        String connectorId = created.path("uuid").asText();
        ObjectNode example = envelope(TYPE, "tech-product", user.userId);
        String exampleData = Json.write(example.get("data"));
        String data = exampleData.substring(0, exampleData.length() - 1)
                + ",\"million\":1e6,\"tiny\":1E-7,\"price\":1.10,\"negativeZero\":-0.0,"
                + "\"bigInteger\":12345678901234567890123,\"bigDecimal\":12345678901234567890.123456789,\"three\":3}";
        String published = Json.write(example).replace(exampleData, data);
        assertThat(published).contains("1e6");

        // WHEN it is published as that text
        env.publish(published);

        // THEN the first attempt (made by the dispatcher) and the retry (from the queued job) both
        // carry the data exactly as published: 1e6, not 1000000.0; every digit; -0.0's sign
        generic.awaitRequests(2, ARRIVAL);
        await("the numbers delivery succeeded", ARRIVAL, () -> statusOf(user, connectorId).equals("succeeded"));
        for (RecordedRequest request : generic.requests()) {
            assertThat(Json.members(new String(request.body(), java.nio.charset.StandardCharsets.UTF_8)).get("data"))
                    .isEqualTo(data);
        }
    }

    @Test
    void failingConnectorIsRetriedWhileItsNeighboursGetNoDuplicate() {
        // GIVEN three connectors; the Slack one fails twice with 500 before it recovers
        PipelineStack.Api user = env.newUser();
        FakeDestination failing = env.fake(FakePlatform.slack()).enqueue(FakeReply.text(500, "oops"), FakeReply.text(500, "oops"));
        FakeDestination discord = env.fake(FakePlatform.discord());
        FakeDestination zapier = env.fake(FakePlatform.zapier());
        String failingId = user.webhook("slack", PipelineStack.slackUrl(failing), null);
        user.webhook("discord", PipelineStack.discordUrl(discord), null);
        user.webhook("zapier", PipelineStack.zapierUrl(zapier), null);

        // WHEN one event is published
        env.publish(envelope(TYPE, "tech-product", user.userId));

        // THEN the failing one gets three attempts (0, 1, 1 s apart) and succeeds; the others exactly one each
        failing.awaitRequests(3, ARRIVAL);
        await("the failing connector's delivery succeeded", ARRIVAL, () -> statusOf(user, failingId).equals("succeeded"));
        JsonNode attempts = user.deliveries(failingId).get(0).path("attempts");
        assertThat(attempts.findValuesAsText("statusCode")).containsExactly("500", "500", "200");
        assertThat(attempts.findValuesAsText("outcome")).containsExactly("retrying", "retrying", "succeeded");
        assertThat(attempts.get(0).path("error").asText()).isEqualTo("HTTP 500: oops");
        sleep(Duration.ofSeconds(2));
        assertThat(failing.requests()).hasSize(3);
        assertThat(discord.requests()).hasSize(1);
        assertThat(zapier.requests()).hasSize(1);
    }

    @Test
    @EmbeddedOnly("moto 5.2 has no StartMessageMoveTask, which the redrive uses")
    void lastFailedAttemptGoesToTheDeadLetterQueueAndRedriveDeliversIt() {
        // GIVEN a destination that always answers 500
        PipelineStack.Api user = env.newUser();
        FakeDestination down = env.fake(request -> FakeReply.text(500, "down"));
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(down), null);
        ObjectNode event = envelope(TYPE, "tech-product", user.userId);
        String deliveryId = PipelineStack.deliveryId(event, connectorId);

        // WHEN an event is published and every attempt of the schedule (0, 1, 1 s) fails
        env.publish(event);
        down.awaitRequests(3, ARRIVAL);

        // THEN the job is in DeliveriesDLQ with its reason, and the log says dead
        await("job in DeliveriesDLQ", ARRIVAL, () -> deadLettered(deliveryId) != null);
        Message dead = deadLettered(deliveryId);
        assertThat(dead.messageAttributes().get("reason").stringValue()).isEqualTo(user.userId + "/" + connectorId
                + ": all 3 attempts failed; last: HTTP 500: down");
        JsonNode record = user.deliveries(connectorId).get(0);
        assertThat(record.path("status").asText()).isEqualTo("dead");
        assertThat(record.path("attempts").findValuesAsText("outcome")).containsExactly("retrying", "retrying", "dead");
        sleep(Duration.ofSeconds(2));
        assertThat(down.requests()).hasSize(3);

        // WHEN the destination recovers and the operator redrives the DLQ
        down.respondWith(FakePlatform.slack());
        JsonNode started = Json.MAPPER.valueToTree(env.stack.function("RedriveFunction").invokeJson("{}"));
        assertThat(started.path("ok").asBoolean()).as("redrive answer %s", started).isTrue();

        // THEN the delivery is sent again, once, and succeeds in a second series
        down.awaitRequests(4, ARRIVAL);
        await("redriven delivery succeeded", ARRIVAL, () -> statusOf(user, connectorId).equals("succeeded"));
        JsonNode after = user.deliveries(connectorId).get(0);
        assertThat(after.path("series").asInt()).isEqualTo(2);
        assertThat(after.path("attempts").findValuesAsText("outcome")).containsExactly("retrying", "retrying", "dead", "succeeded");
        await("DLQ no longer holds the job", ARRIVAL, () -> deadLettered(deliveryId) == null);
        sleep(Duration.ofSeconds(1));
        assertThat(down.requests()).hasSize(4);
    }

    @Test
    void twoCopiesOfOneJobOnTheQueueSendOnce() throws Exception {
        // GIVEN a connector and one delivery job
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack());
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);
        var event = EventParser.standard().parse(Json.write(envelope(TYPE, "tech-product", user.userId)));
        DeliveryJob job = DeliveryJob.of(event, user.userId, connectorId);

        // WHEN SQS delivers the same job twice at once
        env.sendJob(job);
        env.sendJob(job);

        // THEN one request is sent and the log shows one attempt
        slack.awaitRequests(1, ARRIVAL);
        await("delivery succeeded", ARRIVAL, () -> statusOf(user, connectorId).equals("succeeded"));
        sleep(Duration.ofSeconds(3));
        assertThat(slack.requests()).hasSize(1);
        assertThat(user.deliveries(connectorId)).singleElement()
                .satisfies(d -> assertThat(d.path("attempts")).hasSize(1));
    }

    @Test
    void aCopyArrivingAfterTheDeliveryFinishedIsDroppedWithoutSending() throws Exception {
        // GIVEN a job that was delivered
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack());
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);
        var event = EventParser.standard().parse(Json.write(envelope(TYPE, "tech-product", user.userId)));
        DeliveryJob job = DeliveryJob.of(event, user.userId, connectorId);
        env.sendJob(job);
        await("delivery succeeded", ARRIVAL, () -> statusOf(user, connectorId).equals("succeeded"));

        // WHEN SQS delivers a copy of it later
        env.sendJob(job);

        // THEN the copy is consumed without a second request (other tests' deferred jobs may share the
        // queue, so the copy is looked for by its connector rather than by the queue's depth)
        sleep(Duration.ofSeconds(3));
        assertThat(env.peek("DeliveriesQueue")).noneMatch(m -> m.body().contains(connectorId));
        assertThat(slack.requests()).hasSize(1);
        assertThat(user.deliveries(connectorId).get(0).path("attempts")).hasSize(1);
    }

    static String statusOf(PipelineStack.Api user, String connectorId) {
        JsonNode deliveries = user.deliveries(connectorId);
        return deliveries.isEmpty() ? "none" : deliveries.get(0).path("status").asText();
    }

    private static Message deadLettered(String deliveryId) {
        return env.peek("DeliveriesDLQ").stream()
                .filter(m -> json(m.body()).path("deliveryId").asText().equals(deliveryId))
                .findFirst().orElse(null);
    }

}
