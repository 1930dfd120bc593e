package app.connectors.it.pipeline;

import static app.connectors.it.pipeline.PipelineStack.TYPE;
import static app.connectors.it.pipeline.PipelineStack.await;
import static app.connectors.it.pipeline.PipelineStack.envelope;
import static app.connectors.it.pipeline.PipelineStack.json;
import static app.connectors.it.pipeline.PipelineStack.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakePlatform;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Content filters end to end: patterns saved through the API decide at fan-out which connectors get
 * a job; a connector filtered out gets neither a request nor a delivery record. The original
 * {@code {"categories": […]}} form is saved and matched as before.
 */
class ContentFilterPipelineIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(15);
    private static PipelineStack env;

    @BeforeAll
    static void start() {
        env = PipelineStack.get();
    }

    @Test
    void savedPatternsDecideWhichConnectorsReceiveTheEvent() {
        // GIVEN connectors whose filters are patterns over data, subject and attributes, some of which the event fails
        PipelineStack.Api user = env.newUser();
        FakeDestination keptFromInProgress = env.fake(FakePlatform.slack());
        FakeDestination eitherOr = env.fake(FakePlatform.slack());
        FakeDestination original = env.fake(FakePlatform.slack());
        FakeDestination onlyBroken = env.fake(FakePlatform.slack());
        FakeDestination otherCompany = env.fake(FakePlatform.slack());
        String keptId = user.webhook("slack", PipelineStack.slackUrl(keptFromInProgress), """
                {"data": {"status": ["kept"], "previousStatus": [{"prefix": "in_"}], "evidenceUrl": [{"exists": true}]},
                 "subject": {"url": [{"wildcard": "https://example.org/promises/*"}]}}""");
        String eitherId = user.webhook("slack", PipelineStack.slackUrl(eitherOr), """
                {"$or": [{"data": {"status": ["broken"]}}, {"attributes": {"company": [{"equals-ignore-case": "ACME MOBILE"}]}}]}""");
        String originalId = user.webhook("slack", PipelineStack.slackUrl(original), "{\"categories\":[\"politics\",\"tech-product\"]}");
        String brokenId = user.webhook("slack", PipelineStack.slackUrl(onlyBroken), """
                {"data": {"status": [{"anything-but": ["kept", "partially_kept"]}]}}""");
        String companyId = user.webhook("slack", PipelineStack.slackUrl(otherCompany), """
                {"attributes": {"company": [{"anything-but": {"prefix": "Acme"}}]}}""");

        // WHEN a status change from in_progress to kept at Acme Mobile is published for the user
        ObjectNode event = envelope(TYPE, "tech-product", user.userId);
        env.publish(event);

        // THEN the three matching connectors each receive it once and record it
        for (FakeDestination fake : List.of(keptFromInProgress, eitherOr, original)) {
            fake.awaitRequests(1, ARRIVAL);
        }
        for (String id : List.of(keptId, eitherId, originalId)) {
            await("delivery to " + id + " succeeded", ARRIVAL,
                    () -> user.deliveries(id).size() == 1 && user.deliveries(id).get(0).path("status").asText().equals("succeeded"));
        }
        // AND each delivery says which alternative of its connector's filter let the event through
        assertThat(user.deliveries(eitherId).get(0).path("matchedAlternative").asText()).isEqualTo("$or[1]");
        assertThat(user.deliveries(keptId).get(0).path("matchedAlternative").isNull()).isTrue();
        // The filtered-out connectors' jobs would have been queued in the same batch as those delivered above;
        // a short grace lets any such stray job surface before the negative assertions.
        sleep(Duration.ofSeconds(2));
        for (FakeDestination fake : List.of(onlyBroken, otherCompany)) {
            assertThat(fake.connectionsAccepted()).isZero();
        }
        assertThat(user.deliveries(brokenId)).isEmpty();
        assertThat(user.deliveries(companyId)).isEmpty();
        for (FakeDestination fake : List.of(keptFromInProgress, eitherOr, original)) {
            assertThat(fake.requests()).hasSize(1);
        }
    }

    @Test
    void savedFilterIsReturnedAsWrittenAndAnInvalidOneIsRefusedNamingThePath() {
        PipelineStack.Api user = env.newUser();
        String pattern = "{\"data\":{\"status\":[{\"anything-but\":[\"kept\"]}]},\"categories\":[\"tech-product\"]}";
        String url = PipelineStack.slackUrl(env.fake(FakePlatform.slack()));
        String id = user.webhook("slack", url, pattern);

        assertThat(user.connector(id).path("filters")).isEqualTo(json(pattern));

        JsonNode refused = user.call("POST", "/connectors", """
                {"type":"slack","name":"bad","config":{"webhook_url":"%s"},
                 "events":["promise.created"],"filters":{"data":{"status":["kept"],"deadline":[{"numeric":[">",5,"<",1]}]}}}"""
                .formatted(url), 400);
        assertThat(refused.path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("filters.data.status", "filters.data.deadline[0].numeric");
    }
}
