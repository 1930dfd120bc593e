package app.connectors.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.api.ApiStack.Account;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ConnectorsFunction against DynamoDB Local: create, list, read, replace, update, delete. */
class ConnectorsCrudIT {

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
    void createsConnectorWithLocationAndMaskedConfig() {
        // GIVEN a Pro user
        Account user = api.createUser("crud-create", "pro");

        // WHEN they create the seed's Slack connector
        ApiResponse created = api.call(user, "POST", "/api/v1/connectors", ApiStack.slackBody("Engineering Channel", "XXXXXXXXabcd"));

        // THEN it is 201 with its Location, and the webhook URL is masked to its host and last four characters
        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        String uuid = body.get("uuid").asText();
        assertThat(created.header("Location")).isEqualTo("/api/v1/connectors/" + uuid);
        assertThat(body.at("/config/webhook_url").asText()).isEqualTo("https://hooks.slack.com/••••abcd");
        assertThat(body.get("type").asText()).isEqualTo("slack");
        assertThat(body.get("name").asText()).isEqualTo("Engineering Channel");
        assertThat(body.get("events").toString()).isEqualTo("[\"promise.status_changed\"]");
        assertThat(body.at("/filters/categories").toString()).isEqualTo("[\"tech-product\"]");
        assertThat(body.get("status").asText()).isEqualTo("active");
        assertThat(body.get("version").asLong()).isEqualTo(1);
        assertThat(body.has("signingSecret")).isFalse();
        assertThat(api.storedConnectorCount(user.userId())).isEqualTo(1);
    }

    @Test
    void createsGenericConnectorShowingItsSigningSecretOnce() {
        // GIVEN a Pro user
        Account user = api.createUser("crud-generic", "pro");

        // WHEN they create a generic connector
        ApiResponse created = api.call(user, "POST", "/api/v1/connectors",
                ApiStack.genericBody("Orders", "https://hooks.example.com/in/abcdefgh12345678"));

        // THEN the create response carries the signing secret, and a read does not
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("signingSecret").asText()).startsWith("whsec_");
        ApiResponse read = api.call(user, "GET", "/api/v1/connectors/" + created.json().get("uuid").asText());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().has("signingSecret")).isFalse();
        assertThat(read.body()).doesNotContain(created.json().get("signingSecret").asText());
    }

    @Test
    void listsConnectorsThreePagesWithAnOpaqueCursor() {
        // GIVEN a user with five connectors, created one after the other
        Account user = api.createUser("crud-list", "pro");
        List<String> created = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            created.add(api.call(user, "POST", "/api/v1/connectors", ApiStack.slackBody("Channel " + i, "secret000" + i))
                    .json().get("uuid").asText());
        }

        // WHEN they list two at a time, following nextCursor
        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        List<String> cursors = new ArrayList<>();
        String cursor = null;
        do {
            ApiResponse page = api.call(user, "GET", "/api/v1/connectors?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            JsonNode items = page.json().get("connectors");
            pageSizes.add(items.size());
            items.forEach(item -> seen.add(item.get("uuid").asText()));
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
            if (cursor != null) {
                cursors.add(cursor);
            }
        } while (cursor != null && pageSizes.size() < 10);

        // THEN three pages (2, 2, 1) hold every connector exactly once, oldest first, and no cursor shows an id
        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(seen).containsExactlyElementsOf(created);
        for (String c : cursors) {
            assertThat(created).noneMatch(c::contains);
        }
    }

    @Test
    void rejectsPageSizeOutsideOneToHundred() {
        // GIVEN a user
        Account user = api.createUser("crud-limit", "pro");

        // WHEN they ask for 0, 101 and a word
        ApiResponse zero = api.call(user, "GET", "/api/v1/connectors?limit=0");
        ApiResponse tooMany = api.call(user, "GET", "/api/v1/connectors?limit=101");
        ApiResponse word = api.call(user, "GET", "/api/v1/connectors?limit=ten");
        ApiResponse hundred = api.call(user, "GET", "/api/v1/connectors?limit=100");

        // THEN those are 400 naming limit, and 100 is fine
        for (ApiResponse bad : List.of(zero, tooMany, word)) {
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(bad.errorFields()).containsExactly("limit");
        }
        assertThat(hundred.status()).isEqualTo(200);
        assertThat(hundred.json().get("connectors").size()).isZero();
        assertThat(hundred.json().get("nextCursor").isNull()).isTrue();
    }

    @Test
    void readsOneConnector() {
        // GIVEN a connector
        Account user = api.createUser("crud-get", "pro");
        JsonNode created = api.call(user, "POST", "/api/v1/connectors", ApiStack.slackBody("Eng", "readme0000wxyz")).json();

        // WHEN it is read
        ApiResponse read = api.call(user, "GET", "/api/v1/connectors/" + created.get("uuid").asText());

        // THEN it is what the create answered
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(created);
    }

    @Test
    void replacesConnectorWithPut() {
        // GIVEN a Slack connector at version 1
        Account user = api.createUser("crud-put", "pro");
        String uuid = api.call(user, "POST", "/api/v1/connectors", ApiStack.slackBody("Eng", "before00001111")).json()
                .get("uuid").asText();

        // WHEN it is replaced with another name, webhook and event list, and no filters
        String replacement = """
                {"type":"slack","name":"Releases","config":{"webhook_url":"%s"},
                 "events":["promise.created","promise.evidence_added"],"version":1}
                """.formatted(ApiStack.slackUrl("after000002222"));
        ApiResponse replaced = api.call(user, "PUT", "/api/v1/connectors/" + uuid, replacement);

        // THEN everything given replaced what was there, and the version moved on
        assertThat(replaced.status()).isEqualTo(200);
        JsonNode body = replaced.json();
        assertThat(body.get("name").asText()).isEqualTo("Releases");
        assertThat(body.at("/config/webhook_url").asText()).isEqualTo("https://hooks.slack.com/••••2222");
        assertThat(body.get("events").toString()).isEqualTo("[\"promise.created\",\"promise.evidence_added\"]");
        assertThat(body.get("filters").size()).isZero();
        assertThat(body.get("version").asLong()).isEqualTo(2);
        assertThat(api.call(user, "GET", "/api/v1/connectors/" + uuid).json()).isEqualTo(body);
    }

    @Test
    void patchChangesOnlyTheGivenFieldsAndMergesConfig() {
        // GIVEN a generic connector with a URL, a method and a secret header
        Account user = api.createUser("crud-patch", "pro");
        String create = """
                {"type":"generic","name":"Orders","events":["promise.created"],
                 "config":{"url":"https://hooks.example.com/in/abcdefgh12345678","method":"POST",
                           "headers":{"X-Api-Key":"key-0123456789-abcdef"}}}
                """;
        JsonNode before = api.call(user, "POST", "/api/v1/connectors", create).json();
        String uuid = before.get("uuid").asText();

        // WHEN only the method is patched
        ApiResponse patched = api.call(user, "PATCH", "/api/v1/connectors/" + uuid, "{\"config\":{\"method\":\"PUT\"}}");

        // THEN the method changed, the URL and header were kept, and so was everything else
        assertThat(patched.status()).isEqualTo(200);
        JsonNode after = patched.json();
        assertThat(after.at("/config/method").asText()).isEqualTo("PUT");
        assertThat(after.at("/config/url")).isEqualTo(before.at("/config/url"));
        assertThat(after.at("/config/headers")).isEqualTo(before.at("/config/headers"));
        assertThat(after.get("name").asText()).isEqualTo("Orders");
        assertThat(after.get("events")).isEqualTo(before.get("events"));
        assertThat(after.get("version").asLong()).isEqualTo(2);

        // AND WHEN the optional headers are removed with null and the name patched
        ApiResponse removed = api.call(user, "PATCH", "/api/v1/connectors/" + uuid,
                "{\"name\":\"Orders v2\",\"config\":{\"headers\":null}}");

        // THEN the header is gone and the rest stays
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().at("/config").has("headers")).isFalse();
        assertThat(removed.json().at("/config/method").asText()).isEqualTo("PUT");
        assertThat(removed.json().get("name").asText()).isEqualTo("Orders v2");
        assertThat(removed.json().get("version").asLong()).isEqualTo(3);
    }

    @Test
    void patchRefusesChangingTheType() {
        // GIVEN a Slack connector
        Account user = api.createUser("crud-patch-type", "pro");
        String uuid = api.call(user, "POST", "/api/v1/connectors", ApiStack.slackBody("Eng", "typefixed00001")).json()
                .get("uuid").asText();

        // WHEN a PATCH tries to make it a Discord connector
        ApiResponse patched = api.call(user, "PATCH", "/api/v1/connectors/" + uuid, "{\"type\":\"discord\"}");

        // THEN it is refused naming the type
        assertThat(patched.status()).isEqualTo(400);
        assertThat(patched.errorFields()).containsExactly("type");
    }

    @Test
    void deletesConnectorThenItIsNotFound() {
        // GIVEN a connector
        Account user = api.createUser("crud-delete", "pro");
        String uuid = api.call(user, "POST", "/api/v1/connectors", ApiStack.slackBody("Eng", "deleteme000001")).json()
                .get("uuid").asText();

        // WHEN it is deleted
        ApiResponse deleted = api.call(user, "DELETE", "/api/v1/connectors/" + uuid);

        // THEN 204 without body; afterwards it is 404 everywhere and the slot is free again
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isNull();
        ApiResponse read = api.call(user, "GET", "/api/v1/connectors/" + uuid);
        assertThat(read.status()).isEqualTo(404);
        assertThat(read.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(read.json().get("detail").asText()).contains(uuid);
        assertThat(api.call(user, "DELETE", "/api/v1/connectors/" + uuid).status()).isEqualTo(404);
        assertThat(api.call(user, "PATCH", "/api/v1/connectors/" + uuid, "{\"name\":\"x\"}").status()).isEqualTo(404);
        assertThat(api.connectorItem(user.userId(), uuid)).isEmpty();
        assertThat(api.storedConnectorCount(user.userId())).isZero();
    }
}
