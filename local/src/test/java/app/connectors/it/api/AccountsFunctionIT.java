package app.connectors.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** AccountsFunction, invoked directly as the host platform does: users, plans and the first token. */
class AccountsFunctionIT {

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
    void firstUpsertIssuesATokenAndTheSecondDoesNot() {
        // GIVEN a new user id
        String userId = ApiStack.uniqueUserId("accounts-first");

        // WHEN the platform upserts it twice
        Map<String, Object> first = api.upsert(userId, "pro");
        Map<String, Object> second = api.upsert(userId, "pro");

        // THEN the first creates it with a token, the second changes nothing and issues none
        assertThat(first).containsEntry("ok", true).containsEntry("userId", userId).containsEntry("tier", "pro")
                .containsEntry("created", true).containsEntry("connectorCount", 0);
        assertThat((String) first.get("token")).startsWith("cnk_");
        assertThat(second).containsEntry("ok", true).containsEntry("created", false).containsEntry("previousTier", "pro")
                .doesNotContainKey("token");

        // AND the token works through the gateway
        assertThat(api.http((String) first.get("token"), "GET", "/api/v1/connectors", null).status()).isEqualTo(200);
    }

    @Test
    void storesTheUserAndOnlyTheHashOfTheToken() {
        // GIVEN a user created by the platform
        String userId = ApiStack.uniqueUserId("accounts-hash");
        String token = (String) api.upsert(userId, "journalist").get("token");

        // WHEN the tables are read
        Map<String, AttributeValue> user = api.userItem(userId);
        List<Map<String, AttributeValue>> tokens = api.local().dynamoDb()
                .scan(r -> r.tableName(api.local().environmentOf("AccountsFunction").get("TOKENS_TABLE"))).items().stream()
                .filter(item -> item.get("userId").s().equals(userId)).toList();

        // THEN the user has its plan and a zero count; its one token item holds a hash, never the token
        assertThat(user.get("tier").s()).isEqualTo("journalist");
        assertThat(user.get("connectorCount").n()).isEqualTo("0");
        assertThat(tokens).hasSize(1);
        assertThat(tokens.getFirst().get("tokenHash").s()).isNotEqualTo(token).hasSizeGreaterThanOrEqualTo(43);
        assertThat(tokens.getFirst().values()).noneMatch(value -> value.s() != null && value.s().contains(token.substring(4)));
    }

    @Test
    void changesThePlanAndReportsThePreviousOne() {
        // GIVEN a Pro user
        String userId = ApiStack.uniqueUserId("accounts-upgrade");
        api.upsert(userId, "pro");

        // WHEN the platform moves them to Enterprise
        Map<String, Object> result = api.upsert(userId, "ENTERPRISE");

        // THEN the plan is stored and the answer says what it was
        assertThat(result).containsEntry("ok", true).containsEntry("tier", "enterprise").containsEntry("previousTier", "pro");
        assertThat(api.userItem(userId).get("tier").s()).isEqualTo("enterprise");
    }

    @Test
    @SuppressWarnings("unchecked")
    void rejectsUnknownTierAndBadUserIdWithoutStoringAnything() {
        // GIVEN an unknown tier and a user id with a space
        String userId = ApiStack.uniqueUserId("accounts-bad");

        // WHEN the platform sends them
        Map<String, Object> badTier = api.upsert(userId, "platinum");
        Map<String, Object> badId = api.upsert("has space", "pro");

        // THEN ok:false with status 400 naming the field, and no user is stored
        assertThat(badTier).containsEntry("ok", false).containsEntry("status", 400).doesNotContainKey("token");
        assertThat((List<Map<String, String>>) badTier.get("errors")).extracting(e -> e.get("field")).containsExactly("tier");
        assertThat((List<Map<String, String>>) badId.get("errors")).extracting(e -> e.get("field")).containsExactly("userId");
        assertThat(api.userItem(userId)).isEmpty();
    }
}
