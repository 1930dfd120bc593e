package app.connectors.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.api.ApiStack.Account;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API tokens over HTTP through the local gateway, whose authorizer caches a decision for
 * template.yaml's ReauthorizeEvery (60 s) on the test clock: a revoked token keeps working until
 * its cached decision expires, as on AWS.
 */
class TokensIT {

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
    void issuesTokenOnceAndListsOnlyItsPrefix() {
        // GIVEN a user with the first token from AccountsFunction
        Account user = api.createUser("tokens-issue", "pro");

        // WHEN they issue a named token and list their tokens
        ApiResponse issued = api.http(user.token(), "POST", "/api/v1/tokens", "{\"name\":\"CI\"}");
        ApiResponse listed = api.http(user.token(), "GET", "/api/v1/tokens", null);

        // THEN the token is shown in the 201 only; the list has both tokens by prefix, without the text
        assertThat(issued.status()).isEqualTo(201);
        String token = issued.json().get("token").asText();
        String id = issued.json().get("id").asText();
        assertThat(token).startsWith("cnk_");
        assertThat(token).startsWith(issued.json().get("prefix").asText());
        assertThat(issued.header("Location")).isEqualTo("/api/v1/tokens/" + id);
        assertThat(listed.status()).isEqualTo(200);
        JsonNode tokens = listed.json().get("tokens");
        assertThat(tokens.findValuesAsText("name")).containsExactly("first token", "CI");
        assertThat(tokens.findValuesAsText("id")).contains(id);
        tokens.forEach(t -> assertThat(t.has("token")).isFalse());
        assertThat(listed.body()).doesNotContain(token).doesNotContain(user.token());
    }

    @Test
    void newTokenWorksAtOnce() {
        // GIVEN a token just issued
        Account user = api.createUser("tokens-new", "pro");
        String token = api.http(user.token(), "POST", "/api/v1/tokens", null).json().get("token").asText();

        // WHEN it is used
        ApiResponse response = api.http(token, "GET", "/api/v1/connectors", null);

        // THEN it works
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void revokedTokenWorksWithinTheCacheTtlAndIsRefusedAfterIt() {
        // GIVEN a second token, used once so that the gateway cached its authorization
        Account user = api.createUser("tokens-revoke", "pro");
        JsonNode second = api.http(user.token(), "POST", "/api/v1/tokens", "{\"name\":\"laptop\"}").json();
        String token = second.get("token").asText();
        assertThat(api.http(token, "GET", "/api/v1/connectors", null).status()).isEqualTo(200);

        // WHEN it is revoked
        ApiResponse revoked = api.http(user.token(), "DELETE", "/api/v1/tokens/" + second.get("id").asText(), null);

        // THEN it still works just inside the 60 s TTL, and is 401 once the cached decision expired
        assertThat(revoked.status()).isEqualTo(204);
        api.clock.advance(Duration.ofSeconds(59));
        assertThat(api.http(token, "GET", "/api/v1/connectors", null).status()).isEqualTo(200);
        api.clock.advance(Duration.ofSeconds(2));
        ApiResponse refused = api.http(token, "GET", "/api/v1/connectors", null);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).isEqualTo(api.http(null, "GET", "/api/v1/connectors", null).body());
        assertThat(api.http(user.token(), "GET", "/api/v1/tokens", null).json().get("tokens").findValuesAsText("id"))
                .doesNotContain(second.get("id").asText());
    }

    @Test
    void aRevokedTokenCannotManageTokensInsideTheAuthorizersCacheWindow() {
        // GIVEN a second token whose authorization the gateway has cached, revoked with itself
        Account user = api.createUser("tokens-mint", "pro");
        JsonNode second = api.http(user.token(), "POST", "/api/v1/tokens", "{\"name\":\"stolen\"}").json();
        String token = second.get("token").asText();
        String firstId = api.http(user.token(), "GET", "/api/v1/tokens", null).json().at("/tokens/0/id").asText();
        assertThat(api.http(token, "GET", "/api/v1/connectors", null).status()).isEqualTo(200);
        assertThat(api.http(token, "DELETE", "/api/v1/tokens/" + second.get("id").asText(), null).status()).isEqualTo(204);

        // WHEN, within the 60 s the cached decision still allows it, the revoked token mints, lists and revokes tokens
        api.clock.advance(Duration.ofSeconds(30));
        ApiResponse mint = api.http(token, "POST", "/api/v1/tokens", "{\"name\":\"fresh\"}");
        ApiResponse list = api.http(token, "GET", "/api/v1/tokens", null);
        ApiResponse revokeOther = api.http(token, "DELETE", "/api/v1/tokens/" + firstId, null);

        // THEN each is 401 (checked live, not from the cache), no token was minted, and the first token still works
        assertThat(mint.status()).isEqualTo(401);
        assertThat(mint.body()).doesNotContain("cnk_");
        assertThat(list.status()).isEqualTo(401);
        assertThat(revokeOther.status()).isEqualTo(401);
        JsonNode remaining = api.http(user.token(), "GET", "/api/v1/tokens", null).json().get("tokens");
        assertThat(remaining.findValuesAsText("name")).containsExactly("first token");
        // the documented window still applies to the rest of the API
        assertThat(api.http(token, "GET", "/api/v1/connectors", null).status()).isEqualTo(200);
    }

    @Test
    void revokedTokenNeverCachedIsRefusedAtOnce() {
        // GIVEN a token revoked before it was ever used
        Account user = api.createUser("tokens-unused", "pro");
        JsonNode second = api.http(user.token(), "POST", "/api/v1/tokens", null).json();
        assertThat(api.http(user.token(), "DELETE", "/api/v1/tokens/" + second.get("id").asText(), null).status())
                .isEqualTo(204);

        // WHEN it is used
        ApiResponse response = api.http(second.get("token").asText(), "GET", "/api/v1/connectors", null);

        // THEN 401
        assertThat(response.status()).isEqualTo(401);
    }

    @Test
    void missingMalformedAndUnknownTokensGetTheSame401() {
        // WHEN requests come without a token, with a malformed one and with an unknown one
        ApiResponse missing = api.http(null, "GET", "/api/v1/connectors", null);
        ApiResponse malformed = api.http("not-a-token", "GET", "/api/v1/connectors", null);
        ApiResponse unknown = api.http("cnk_" + "A".repeat(43), "GET", "/api/v1/connectors", null);

        // THEN each is 401 problem JSON with the same body and a Bearer challenge
        for (ApiResponse response : java.util.List.of(missing, malformed, unknown)) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(response.body()).isEqualTo(missing.body());
        }
        assertThat(missing.json().get("status").asInt()).isEqualTo(401);
    }

    @Test
    void cannotRevokeAnotherUsersToken() {
        // GIVEN Alice's token id, and Bob
        Account alice = api.createUser("tokens-alice", "pro");
        Account bob = api.createUser("tokens-bob", "pro");
        String alicesId = api.http(alice.token(), "GET", "/api/v1/tokens", null).json().at("/tokens/0/id").asText();

        // WHEN Bob revokes it
        ApiResponse response = api.http(bob.token(), "DELETE", "/api/v1/tokens/" + alicesId, null);

        // THEN 404, and Alice's token still works
        assertThat(response.status()).isEqualTo(404);
        assertThat(api.http(alice.token(), "GET", "/api/v1/tokens", null).json().get("tokens").size()).isEqualTo(1);
    }

    @Test
    void rejectsUnknownFieldWhenIssuing() {
        // GIVEN a user
        Account user = api.createUser("tokens-bad", "pro");

        // WHEN the issue body has an unknown field
        ApiResponse response = api.http(user.token(), "POST", "/api/v1/tokens", "{\"name\":\"CI\",\"scope\":\"all\"}");

        // THEN 400 naming it
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorFields()).containsExactly("scope");
    }
}
