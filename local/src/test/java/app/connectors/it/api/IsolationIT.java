package app.connectors.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.api.ApiStack.Account;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Another user's connector does not exist for the caller: 404 for every verb, nothing changes. */
class IsolationIT {

    private static ApiStack api;

    @BeforeAll
    static void start() {
        api = ApiStack.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void otherUsersConnectorIsNotFoundForEveryVerbAndStaysUnchanged() {
        // GIVEN Alice's connector, and Bob
        Account alice = api.createUser("iso-alice", "pro");
        Account bob = api.createUser("iso-bob", "pro");
        JsonNode before = api.call(alice, "POST", "/api/v1/connectors", ApiStack.slackBody("Alice's", "alice000000001")).json();
        String uuid = before.get("uuid").asText();
        String path = "/api/v1/connectors/" + uuid;

        // WHEN Bob tries every route on it
        List<ApiResponse> answers = List.of(
                api.call(bob, "GET", path),
                api.call(bob, "PUT", path, ApiStack.slackBody("Bob's now", "bob00000000001")),
                api.call(bob, "PATCH", path, "{\"name\":\"Bob's now\"}"),
                api.call(bob, "DELETE", path),
                api.call(bob, "GET", path + "/deliveries"),
                api.call(bob, "POST", path + "/test", null),
                api.call(bob, "POST", path + "/deliveries/" + UUID.randomUUID() + "/retry", null));

        // THEN each is the same 404 as for a connector that never existed
        String missing = UUID.randomUUID().toString();
        JsonNode neverExisted = api.call(bob, "GET", "/api/v1/connectors/" + missing).json();
        for (ApiResponse answer : answers) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(404);
            assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(answer.json().get("type")).isEqualTo(neverExisted.get("type"));
            assertThat(answer.json().get("detail").asText().replace(uuid, missing))
                    .isEqualTo(neverExisted.get("detail").asText());
        }

        // AND Alice's connector, her count and Bob's count are as before
        assertThat(api.call(alice, "GET", path).json()).isEqualTo(before);
        assertThat(api.storedConnectorCount(alice.userId())).isEqualTo(1);
        assertThat(api.storedConnectorCount(bob.userId())).isZero();
        assertThat(api.call(bob, "GET", "/api/v1/connectors").json().get("connectors").size()).isZero();
    }

    @Test
    void cursorCraftedFromAnotherUsersIdsReadsOnlyTheCallersOwn() {
        // GIVEN Alice with three connectors and Bob with one
        Account alice = api.createUser("iso-cursor-alice", "pro");
        Account bob = api.createUser("iso-cursor-bob", "pro");
        List<String> aliceIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            aliceIds.add(api.call(alice, "POST", "/api/v1/connectors", ApiStack.slackBody("a" + i, "alicecursor0001"))
                    .json().get("uuid").asText());
        }
        String bobsId = api.call(bob, "POST", "/api/v1/connectors", ApiStack.slackBody("b", "bobcursor000001"))
                .json().get("uuid").asText();
        String alicesCursor = api.call(alice, "GET", "/api/v1/connectors?limit=1").json().get("nextCursor").asText();

        // WHEN Bob pages with Alice's real cursor and with cursors built from each of her ids (and one below them all)
        List<String> cursors = new ArrayList<>(List.of(alicesCursor, craft("0")));
        aliceIds.forEach(id -> cursors.add(craft(id)));
        List<String> seen = new ArrayList<>();
        for (String cursor : cursors) {
            ApiResponse page = api.call(bob, "GET", "/api/v1/connectors?limit=100&cursor=" + cursor);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json().get("connectors").forEach(c -> seen.add(c.get("uuid").asText()));
        }

        // THEN he sees at most his own connector, never one of hers
        assertThat(seen).isNotEmpty().containsOnly(bobsId);
        assertThat(seen).doesNotContainAnyElementsOf(aliceIds);
    }

    @Test
    void rejectsCursorThisApiDidNotIssue() {
        // GIVEN a user
        Account user = api.createUser("iso-garbage", "pro");

        // WHEN they pass a cursor that is not one of ours
        ApiResponse response = api.call(user, "GET", "/api/v1/connectors?cursor=bm90LWEtY3Vyc29y");

        // THEN 400 naming cursor
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorFields()).containsExactly("cursor");
    }

    /** A cursor in the format the API uses (base64url of "c1:" + connector id); clients must not do this. */
    private static String craft(String connectorId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("c1:" + connectorId).getBytes(StandardCharsets.UTF_8));
    }
}
