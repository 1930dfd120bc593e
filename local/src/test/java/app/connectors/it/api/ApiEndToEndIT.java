package app.connectors.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.json.Json;
import app.connectors.testing.FakeDestination;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README's walk-through over real HTTP through the local gateway, with every request and response
 * held to docs/openapi.yaml: create a user with AccountsFunction, read the catalogs, create the
 * seed's Slack connector, list, read, update, delete; then the tier limit, isolation and bad input.
 */
class ApiEndToEndIT {

    private static FakeDestination destination;
    private static ApiStack api;
    private static OpenApiContract contract;

    @BeforeAll
    static void start() {
        destination = FakeDestination.start();
        api = ApiStack.start(options -> options.withAllowedTarget("127.0.0.1:" + destination.port()));
        contract = new OpenApiContract();
    }

    @AfterAll
    static void stop() {
        try {
            api.close();
        } finally {
            destination.close();
        }
    }

    /** One exchange through the gateway, validated against the contract. */
    private static ApiResponse send(String token, String method, String pathAndQuery, String body) {
        ApiResponse response = api.http(token, method, pathAndQuery, body);
        contract.assertConforms(token, method, pathAndQuery, body, response);
        return response;
    }

    /** One exchange with input the contract forbids: the response must still follow the contract. */
    private static ApiResponse sendInvalid(String token, String method, String pathAndQuery, String body) {
        ApiResponse response = api.http(token, method, pathAndQuery, body);
        contract.assertRejectedRequestAndConformingResponse(token, method, pathAndQuery, body, response);
        return response;
    }

    /** README step 1: the sample event of events/, with a user id of this test's own. */
    private static String newUserToken(String label, String tier) throws IOException {
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(Files.readString(Path.of("../events/accounts-create-user.json")));
        String userId = ApiStack.uniqueUserId(label);
        event.put("userId", userId).put("tier", tier);
        Object result = api.local().function("AccountsFunction").invokeJson(Json.write(event));
        JsonNode answer = Json.MAPPER.valueToTree(result);
        assertThat(answer.get("ok").asBoolean()).as(answer.toString()).isTrue();
        assertThat(answer.get("created").asBoolean()).isTrue();
        return answer.get("token").asText();
    }

    @Test
    void walksThroughFromNewUserToSlackConnectorAndBack() throws IOException {
        // GIVEN a Pro user created with README's sample event, and their token
        String token = newUserToken("e2e-walk", "pro");

        // WHEN they read the catalogs
        ApiResponse types = send(token, "GET", "/api/v1/connectors/types", null);
        ApiResponse events = send(token, "GET", "/api/v1/event-types", null);

        // THEN slack and the seed's event type are offered
        assertThat(types.json().get("types").findValuesAsText("name")).contains("slack", "discord", "teams", "zapier", "generic");
        assertThat(events.json().get("eventTypes").findValuesAsText("name")).contains("promise.status_changed");

        // WHEN they create README's Slack connector
        String seed = """
                {"type":"slack","name":"Engineering Channel",
                 "config":{"webhook_url":"https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXX"},
                 "events":["promise.status_changed"],"filters":{"categories":["tech-product"]}}""";
        ApiResponse created = send(token, "POST", "/api/v1/connectors", seed);

        // THEN 201 with the masked URL and version 1
        assertThat(created.status()).isEqualTo(201);
        String uuid = created.json().get("uuid").asText();
        assertThat(created.header("Location")).isEqualTo("/api/v1/connectors/" + uuid);
        assertThat(created.json().at("/config/webhook_url").asText()).isEqualTo("https://hooks.slack.com/••••XXXX");

        // WHEN they list, read, rename (with the version they read), replace and read the delivery log
        ApiResponse list = send(token, "GET", "/api/v1/connectors?limit=10", null);
        ApiResponse read = send(token, "GET", "/api/v1/connectors/" + uuid, null);
        ApiResponse renamed = send(token, "PATCH", "/api/v1/connectors/" + uuid, "{\"name\":\"Eng alerts\",\"version\":1}");
        ApiResponse replaced = send(token, "PUT", "/api/v1/connectors/" + uuid, """
                {"type":"slack","name":"Eng all","config":{"webhook_url":"https://hooks.slack.com/services/T00000000/B00000000/YYYYYYYY"},
                 "events":["*"],"version":2}""");
        ApiResponse deliveries = send(token, "GET", "/api/v1/connectors/" + uuid + "/deliveries?limit=5", null);

        // THEN each shows the connector as it now is
        assertThat(list.json().get("connectors").findValuesAsText("uuid")).containsExactly(uuid);
        assertThat(read.json()).isEqualTo(created.json());
        assertThat(renamed.json().get("name").asText()).isEqualTo("Eng alerts");
        assertThat(renamed.json().get("version").asLong()).isEqualTo(2);
        assertThat(replaced.json().get("events").toString()).isEqualTo("[\"*\"]");
        assertThat(replaced.json().at("/config/webhook_url").asText()).isEqualTo("https://hooks.slack.com/••••YYYY");
        assertThat(deliveries.json().get("deliveries").size()).isZero();

        // WHEN they delete it
        ApiResponse deleted = send(token, "DELETE", "/api/v1/connectors/" + uuid, null);

        // THEN 204, and it is gone
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(send(token, "GET", "/api/v1/connectors/" + uuid, null).status()).isEqualTo(404);
        assertThat(send(token, "GET", "/api/v1/connectors", null).json().get("connectors").size()).isZero();
    }

    @Test
    void managesTokens() throws IOException {
        // GIVEN a user
        String token = newUserToken("e2e-tokens", "pro");

        // WHEN they issue, list and revoke a token
        ApiResponse issued = send(token, "POST", "/api/v1/tokens", "{\"name\":\"CI\"}");
        ApiResponse listed = send(token, "GET", "/api/v1/tokens", null);
        ApiResponse revoked = send(token, "DELETE", "/api/v1/tokens/" + issued.json().get("id").asText(), null);
        ApiResponse again = send(token, "DELETE", "/api/v1/tokens/" + issued.json().get("id").asText(), null);

        // THEN the token is shown once, listed by prefix, revoked once
        assertThat(issued.status()).isEqualTo(201);
        assertThat(listed.json().get("tokens").size()).isEqualTo(2);
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(again.status()).isEqualTo(404);
    }

    @Test
    void testsAGenericConnectorAgainstALocalDestination() throws IOException {
        // GIVEN a generic connector to a local destination
        String token = newUserToken("e2e-test-route", "pro");
        String body = ApiStack.genericBody("Local sink", "http://127.0.0.1:" + destination.port() + "/hook/abcdefgh12345678");
        ApiResponse created = send(token, "POST", "/api/v1/connectors", body);
        String uuid = created.json().get("uuid").asText();

        // WHEN it is tested with its event type, and an unknown delivery of it is retried
        ApiResponse tested = send(token, "POST", "/api/v1/connectors/" + uuid + "/test", "{\"eventType\":\"promise.created\"}");
        ApiResponse retry = send(token, "POST", "/api/v1/connectors/" + uuid + "/deliveries/no-such-delivery/retry", null);

        // THEN the destination's 200 is reported, and the retry is a 404
        assertThat(created.json().get("signingSecret").asText()).startsWith("whsec_");
        assertThat(tested.status()).isEqualTo(200);
        assertThat(tested.json().get("ok").asBoolean()).as(tested.body()).isTrue();
        assertThat(tested.json().get("statusCode").asInt()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(404);
    }

    @Test
    void rotatedSigningSecretSignsBesideTheOldOne() throws IOException {
        // GIVEN a generic connector and the signing secret shown at creation
        String token = newUserToken("e2e-rotate", "pro");
        String body = ApiStack.genericBody("Rotating sink", "http://127.0.0.1:" + destination.port() + "/rotate/abcdefgh12345678");
        ApiResponse created = send(token, "POST", "/api/v1/connectors", body);
        String uuid = created.json().get("uuid").asText();
        String first = created.json().get("signingSecret").asText();

        // WHEN the secret is rotated and the connector tested
        ApiResponse rotated = send(token, "POST", "/api/v1/connectors/" + uuid + "/signing-secret", null);
        int before = destination.requests().size();
        ApiResponse tested = send(token, "POST", "/api/v1/connectors/" + uuid + "/test", null);

        // THEN a new secret is shown once, and the request carries signatures that both secrets verify
        String second = rotated.json().get("signingSecret").asText();
        assertThat(second).startsWith("whsec_").isNotEqualTo(first);
        assertThat(tested.json().get("ok").asBoolean()).as(tested.body()).isTrue();
        var request = destination.requests().get(before);
        var signer = new app.connectors.signing.StandardWebhookSigner();
        byte[] sent = request.bodyText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String id = request.header("webhook-id").orElseThrow();
        String timestamp = request.header("webhook-timestamp").orElseThrow();
        String signatures = request.header("webhook-signature").orElseThrow();
        assertThat(signatures.split(" ")).hasSize(2);
        assertThat(signer.verify(id, timestamp, signatures, sent, first)).isTrue();
        assertThat(signer.verify(id, timestamp, signatures, sent, second)).isTrue();
        // AND GET never shows either secret again
        assertThat(send(token, "GET", "/api/v1/connectors/" + uuid, null).body()).doesNotContain(first, second);
    }

    @Test
    void readsTemplatesAndDryRunsTransformations() throws IOException {
        // GIVEN a template the operator defined
        String token = newUserToken("e2e-templates", "pro");
        String id = "e2e-" + ApiStack.uniqueUserId("tpl").toLowerCase();
        Object defined = api.local().function("TemplatesAdminFunction").invoke(new java.util.HashMap<>(Map.of("action", "put",
                "id", id, "type", "slack", "name", "Slack digest", "description", "Posts status changes",
                "eventTypes", java.util.List.of("promise.status_changed"))));
        assertThat(defined.toString()).contains("ok=true");

        // WHEN the user reads the templates and dry-runs code
        ApiResponse all = send(token, "GET", "/api/v1/connector-templates", null);
        ApiResponse one = send(token, "GET", "/api/v1/connector-templates/" + id, null);
        ApiResponse missing = send(token, "GET", "/api/v1/connector-templates/none-such", null);
        ApiResponse dryRun = send(token, "POST", "/api/v1/transformations/test", """
                {"code":"function handler(webhook) { webhook.headers['X-Seen'] = 'yes'; return webhook; }",
                 "eventType":"promise.created","payload":{"title":"x"}}""");
        ApiResponse failing = send(token, "POST", "/api/v1/transformations/test",
                "{\"code\":\"function handler(webhook) { throw new Error('no'); }\",\"eventType\":\"promise.created\",\"payload\":{}}");

        // THEN they show what the operator defined and what the code did
        assertThat(all.json().get("templates").findValuesAsText("id")).contains(id);
        assertThat(one.json().get("name").asText()).isEqualTo("Slack digest");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(dryRun.json().at("/webhook/headers/X-Seen").asText()).isEqualTo("yes");
        assertThat(failing.json().get("ok").asBoolean()).isFalse();
    }

    @Test
    void contentFilterIsTriedSavedAndReadBackAsTheContractSays() throws IOException {
        // GIVEN a user
        String token = newUserToken("e2e-filters", "pro");

        // WHEN they try filters on an event type's example, then save one on a connector
        ApiResponse matched = send(token, "POST", "/api/v1/filters/test", """
                {"filter": {"$or": [{"data": {"status": ["broken"]}}, {"subject": {"status": ["kept"]}}]},
                 "eventType": "promise.status_changed"}""");
        ApiResponse refused = send(token, "POST", "/api/v1/filters/test", """
                {"filter": {"data": {"daysLeft": [{"numeric": ["<", 7]}]}}, "eventType": "promise.deadline_approaching"}""");
        ApiResponse invalid = send(token, "POST", "/api/v1/filters/test", """
                {"filter": {"data": {"daysLeft": [{"numeric": ["<", "7"]}]}}, "eventType": "promise.deadline_approaching"}""");
        String body = Json.write(((ObjectNode) Json.MAPPER.readTree(ApiStack.slackBody("filtered", "filters0000001")))
                .set("filters", Json.MAPPER.readTree("{\"data\":{\"status\":[{\"anything-but\":[\"kept\"]}]}}")));
        ApiResponse created = send(token, "POST", "/api/v1/connectors", body);
        ApiResponse read = send(token, "GET", "/api/v1/connectors/" + created.json().get("uuid").asText(), null);

        // THEN each verdict says where and why, an invalid filter names its path, and the saved filter reads back as written
        assertThat(matched.json().get("matched").asBoolean()).isTrue();
        assertThat(matched.json().get("matchedAlternative").asText()).isEqualTo("$or[1]");
        assertThat(refused.json().get("matched").asBoolean()).isFalse();
        assertThat(refused.json().at("/failure/path").asText()).isEqualTo("data.daysLeft");
        assertThat(refused.json().at("/failure/reason").asText()).contains("24");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().at("/errors/0/field").asText()).isEqualTo("filter.data.daysLeft[0].numeric[1]");
        assertThat(created.status()).isEqualTo(201);
        assertThat(read.json().get("filters")).isEqualTo(Json.MAPPER.readTree("{\"data\":{\"status\":[{\"anything-but\":[\"kept\"]}]}}"));
    }

    @Test
    void sixthConnectorOnProIsRefusedNamingThePlan() throws IOException {
        // GIVEN a Pro user with five connectors
        String token = newUserToken("e2e-limit", "pro");
        for (int i = 1; i <= 5; i++) {
            assertThat(send(token, "POST", "/api/v1/connectors", ApiStack.slackBody("c" + i, "limit00000000" + i)).status())
                    .isEqualTo(201);
        }

        // WHEN they create a sixth
        ApiResponse sixth = send(token, "POST", "/api/v1/connectors", ApiStack.slackBody("c6", "limit000000006"));

        // THEN 403 naming the plan and its limit
        assertThat(sixth.status()).isEqualTo(403);
        assertThat(sixth.json().get("detail").asText()).contains("Pro plan allows 5 connectors");
    }

    @Test
    void anotherUsersConnectorIsNotFound() throws IOException {
        // GIVEN Alice's connector
        String alice = newUserToken("e2e-alice", "pro");
        String bob = newUserToken("e2e-bob", "pro");
        String uuid = send(alice, "POST", "/api/v1/connectors", ApiStack.slackBody("Alice's", "isolation00001"))
                .json().get("uuid").asText();

        // WHEN Bob reads, patches and deletes it
        ApiResponse read = send(bob, "GET", "/api/v1/connectors/" + uuid, null);
        ApiResponse patched = send(bob, "PATCH", "/api/v1/connectors/" + uuid, "{\"name\":\"mine\"}");
        ApiResponse deleted = send(bob, "DELETE", "/api/v1/connectors/" + uuid, null);

        // THEN each is 404 and Alice's connector is intact
        assertThat(read.status()).isEqualTo(404);
        assertThat(patched.status()).isEqualTo(404);
        assertThat(deleted.status()).isEqualTo(404);
        assertThat(send(alice, "GET", "/api/v1/connectors/" + uuid, null).json().get("name").asText()).isEqualTo("Alice's");
    }

    @Test
    void badInputGetsClearProblems() throws IOException {
        // GIVEN a user with one connector
        String token = newUserToken("e2e-bad", "pro");
        String uuid = send(token, "POST", "/api/v1/connectors", ApiStack.slackBody("ok", "badinput000001")).json()
                .get("uuid").asText();

        // WHEN they send input the contract forbids
        ApiResponse noName = sendInvalid(token, "POST", "/api/v1/connectors",
                "{\"type\":\"slack\",\"config\":{},\"events\":[\"promise.created\"]}");
        ApiResponse unknownField = sendInvalid(token, "POST", "/api/v1/connectors",
                "{\"type\":\"slack\",\"name\":\"n\",\"config\":{},\"events\":[\"*\"],\"colour\":\"red\"}");
        ApiResponse badLimit = sendInvalid(token, "GET", "/api/v1/connectors?limit=0", null);
        ApiResponse noToken = api.http(null, "GET", "/api/v1/connectors", null);
        contract.assertResponseConforms("GET", "/api/v1/connectors", noToken);

        // AND input only the service can judge: a webhook on loopback, malformed JSON, 64 KB+, a stale version
        ApiResponse loopback = send(token, "POST", "/api/v1/connectors",
                ApiStack.genericBody("loop", "https://127.0.0.1/hook"));
        ApiResponse malformed = sendInvalid(token, "POST", "/api/v1/connectors", "{\"type\":");
        ApiResponse huge = send(token, "POST", "/api/v1/connectors", "{\"type\":\"slack\",\"name\":\"big\",\"config\":{},"
                + "\"events\":[\"*\"],\"transformation\":\"" + "x".repeat(70_000) + "\"}");
        ApiResponse stale = send(token, "PATCH", "/api/v1/connectors/" + uuid, "{\"name\":\"late\",\"version\":7}");

        // THEN each gets the status and the field it deserves
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.errorFields()).contains("name");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.errorFields()).containsExactly("colour");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(loopback.status()).isEqualTo(400);
        assertThat(loopback.errorFields()).containsExactly("config.url");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(huge.status()).isEqualTo(413);
        assertThat(stale.status()).isEqualTo(409);
    }
}
