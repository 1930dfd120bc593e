package app.connectors.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.api.ApiStack.Account;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The read-only routes: connector types, event types, connector templates, and the transformation dry run. */
class CatalogIT {

    private static ApiStack api;
    private static Account user;

    @BeforeAll
    static void start() {
        api = ApiStack.start();
        user = api.createUser("catalog", "free");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void listsTheIssuesConnectorTypesWithTheirFields() {
        // WHEN the connector types are listed
        ApiResponse response = api.call(user, "GET", "/api/v1/connectors/types");

        // THEN slack, discord, teams, zapier and generic are there with their required and optional fields
        assertThat(response.status()).isEqualTo(200);
        Map<String, JsonNode> types = new HashMap<>();
        response.json().get("types").forEach(t -> types.put(t.get("name").asText(), t));
        assertThat(types).containsKeys("slack", "discord", "teams", "zapier", "generic");
        for (String webhook : List.of("slack", "discord", "teams", "zapier")) {
            assertThat(types.get(webhook).get("requiredFields").toString()).isEqualTo("[\"webhook_url\"]");
            assertThat(types.get(webhook).get("setupSteps").size()).isPositive();
            assertThat(types.get(webhook).at("/fields/0/secret").asBoolean()).isTrue();
        }
        assertThat(types.get("generic").get("requiredFields").toString()).isEqualTo("[\"url\",\"method\"]");
        assertThat(types.get("generic").get("optionalFields").toString()).isEqualTo("[\"headers\"]");
        assertThat(types.get("slack").at("/fields/0/hosts").toString()).contains("hooks.slack.com");
    }

    @Test
    void listsEventTypesWithSchemaExampleAndFilters() {
        // WHEN the event types are listed
        ApiResponse response = api.call(user, "GET", "/api/v1/event-types");

        // THEN the seed's event is there with a schema and an example of itself, and so are the filters
        assertThat(response.status()).isEqualTo(200);
        JsonNode statusChanged = null;
        for (JsonNode type : response.json().get("eventTypes")) {
            if (type.get("name").asText().equals("promise.status_changed")) {
                statusChanged = type;
            }
        }
        assertThat(statusChanged).isNotNull();
        assertThat(statusChanged.get("schema").isObject()).isTrue();
        assertThat(statusChanged.at("/example/type").asText()).isEqualTo("promise.status_changed");
        assertThat(response.json().get("eventTypes").size()).isGreaterThanOrEqualTo(3);
        assertThat(response.json().get("filters").findValuesAsText("name")).contains("categories");
        assertThat(response.json().get("wildcard").asText()).isEqualTo("*");
    }

    @Test
    void listsConnectorTemplatesAndAnswers404ForAnUnknownOne() {
        // GIVEN a template the operator defined
        String id = "slack-" + ApiStack.uniqueUserId("tpl").toLowerCase();
        Map<String, Object> put = new HashMap<>(Map.of("action", "put", "id", id, "type", "slack", "name", "Slack digest",
                "description", "Posts status changes", "eventTypes", List.of("promise.status_changed")));
        Object defined = api.local().function("TemplatesAdminFunction").invoke(put);
        assertThat(defined.toString()).contains("ok=true");

        // WHEN users list the templates, read that one, and read one that does not exist
        ApiResponse list = api.call(user, "GET", "/api/v1/connector-templates");
        ApiResponse one = api.call(user, "GET", "/api/v1/connector-templates/" + id);
        ApiResponse missing = api.call(user, "GET", "/api/v1/connector-templates/no-such-template");

        // THEN the list and the read show it, and the unknown one is a 404 problem
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("templates").findValuesAsText("id")).contains(id);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("type").asText()).isEqualTo("slack");
        assertThat(one.json().get("eventTypes").toString()).isEqualTo("[\"promise.status_changed\"]");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void dryRunsTransformationCode() {
        // WHEN a transformation that renames the payload is tried, and one that does not compile
        ApiResponse ok = api.call(user, "POST", "/api/v1/transformations/test", """
                {"code":"function handler(webhook) { webhook.payload = {text: 'hi ' + webhook.eventType}; return webhook; }",
                 "eventType":"promise.created","payload":{"title":"x"}}
                """);
        ApiResponse broken = api.call(user, "POST", "/api/v1/transformations/test",
                "{\"code\":\"function handler(webhook) { return webhook\",\"eventType\":\"promise.created\",\"payload\":{}}");

        // THEN the first shows the transformed webhook, the second the error (both are 200: the call worked)
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("ok").asBoolean()).isTrue();
        assertThat(ok.json().at("/webhook/payload/text").asText()).isEqualTo("hi promise.created");
        assertThat(broken.status()).isEqualTo(200);
        assertThat(broken.json().get("ok").asBoolean()).isFalse();
        assertThat(broken.json().at("/error/kind").asText()).isNotBlank();
    }
}
