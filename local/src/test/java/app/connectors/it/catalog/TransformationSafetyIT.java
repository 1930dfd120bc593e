package app.connectors.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.catalog.CatalogStack.Delivery;
import app.connectors.it.catalog.CatalogStack.User;
import app.connectors.json.Json;
import app.connectors.testing.RecordedRequest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a transformation may not do on the real delivery path: move a connector's credentials to
 * another host, send after cancelling, or hold the deliverer with an endless loop.
 */
class TransformationSafetyIT {

    private static final String TOKEN = "hs-access-never-elsewhere-7f3a";
    private static CatalogStack stack;

    @BeforeAll
    static void start() {
        stack = CatalogStack.shared();
    }

    private static ObjectNode connector(String type, ObjectNode config, String transformation) {
        ObjectNode body = Json.object().put("type", type).put("name", type + " safety test");
        body.set("config", config);
        body.set("events", Json.array().add(CatalogStack.EVENT_TYPE));
        if (transformation != null) {
            body.put("transformation", transformation);
        }
        return body;
    }

    private static String redirectTo(String url) {
        return "function handler(webhook) {\n  webhook.url = \"" + url + "\";\n  return webhook;\n}";
    }

    @Test
    void aTransformationThatMovesTheRequestToAnotherHostSendsNothingAndRecordsWhy() {
        // GIVEN a HubSpot connector whose transformation points webhook.url at another host
        User user = stack.newUser();
        String id = stack.createConnector(user, connector("hubspot", Json.object().put("access_token", TOKEN),
                redirectTo("https://" + CatalogStack.ELSEWHERE + "/collect")));

        // WHEN the example event is delivered
        Map<String, Integer> mark = stack.mark();
        stack.publish(user, null);
        Delivery delivery = stack.awaitFinishedDelivery(user, id);

        // THEN it failed at once, saying where the credentials may go, and no fake heard anything
        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.record().path("attempts").size()).isEqualTo(1);
        assertThat(delivery.lastAttempt().path("error").asText())
                .contains("https://" + CatalogStack.ELSEWHERE, "credentials", "https://" + CatalogStack.HUBSPOT);
        assertThat(delivery.logText()).doesNotContain(TOKEN);
        assertThat(stack.hostsReachedSince(mark)).isEmpty();
    }

    @Test
    void aTransformationThatWritesTheOverriddenTargetItselfGetsNoCredentials() {
        // GIVEN a HubSpot connector whose transformation names the local fake's own origin, which
        // ENDPOINT_OVERRIDES maps api.hubapi.com to: only the type's logical origin earns credentials
        User user = stack.newUser();
        String id = stack.createConnector(user, connector("hubspot", Json.object().put("access_token", TOKEN),
                redirectTo(stack.base(CatalogStack.HUBSPOT) + "/crm/v3/objects/notes")));

        // WHEN the example event is delivered
        Map<String, Integer> mark = stack.mark();
        stack.publish(user, null);
        Delivery delivery = stack.awaitFinishedDelivery(user, id);

        // THEN it is refused like any other host, before anything is sent
        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.lastAttempt().path("error").asText()).contains("credentials");
        assertThat(stack.hostsReachedSince(mark)).isEmpty();
    }

    @Test
    void aCancelledDeliveryIsRecordedCancelledAndNothingIsSent() {
        // GIVEN a Close connector whose transformation cancels promise.status_changed events
        User user = stack.newUser();
        String id = stack.createConnector(user, connector("closecrm", Json.object().put("api_key", "api_cancel_test"),
                "function handler(webhook) {\n  if (webhook.eventType === 'promise.status_changed') {\n"
                        + "    console.log('skipping ' + webhook.payload.promiseId);\n    webhook.cancel = true;\n  }\n"
                        + "  return webhook;\n}"));

        // WHEN the example event is delivered
        Map<String, Integer> mark = stack.mark();
        stack.publish(user, null);
        Delivery delivery = stack.awaitFinishedDelivery(user, id);

        // THEN the log says cancelled (with the console line) and no request left
        assertThat(delivery.status()).isEqualTo("cancelled");
        assertThat(delivery.lastAttempt().path("outcome").asText()).isEqualTo("cancelled");
        assertThat(delivery.lastAttempt().path("console").path(0).asText()).isEqualTo("skipping 4821");
        assertThat(stack.hostsReachedSince(mark)).isEmpty();
    }

    @Test
    void anEndlessLoopFailsWithCpuLimitAndTheNextConnectorIsDeliveredNormally() {
        // GIVEN one user with a looping Segment connector and a healthy Loops connector, both on the event
        User user = stack.newUser();
        String looping = stack.createConnector(user, connector("segment", Json.object().put("write_key", "wk_loop"),
                "function handler(webhook) {\n  let i = 0;\n  while (true) { i++; }\n  return webhook;\n}"));
        String healthy = stack.createConnector(user, connector("loops", Json.object().put("api_key", "loops_after_loop"), null));

        // WHEN one event reaches both
        Map<String, Integer> mark = stack.mark();
        stack.publish(user, null);
        Delivery stuck = stack.awaitFinishedDelivery(user, looping);
        Delivery fine = stack.awaitFinishedDelivery(user, healthy);

        // THEN the loop is cut with CPU_LIMIT and recorded failed (no retry), the other one is delivered
        assertThat(stuck.status()).isEqualTo("failed");
        assertThat(stuck.record().path("attempts").size()).isEqualTo(1);
        assertThat(stuck.lastAttempt().path("error").asText()).contains("CPU_LIMIT");
        assertThat(fine.status()).isEqualTo("succeeded");
        List<RecordedRequest> loops = stack.awaitNew(mark, CatalogStack.LOOPS, 1);
        assertThat(loops).hasSize(1);
        assertThat(loops.get(0).header("authorization")).hasValue("Bearer loops_after_loop");
        assertThat(stack.hostsReachedSince(mark)).containsExactly(CatalogStack.LOOPS);
    }
}
