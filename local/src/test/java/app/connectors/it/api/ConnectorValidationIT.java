package app.connectors.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.api.ApiStack.Account;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad connector bodies: each a 400 (or 413) problem naming the field and what to fix; nothing is stored. */
class ConnectorValidationIT {

    private static ApiStack api;
    private static Account user;

    @BeforeAll
    static void start() {
        api = ApiStack.start();
        user = api.createUser("validation", "enterprise");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static final String SLACK_URL = ApiStack.slackUrl("valid000000000");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing name           | {"type":"slack","config":{"webhook_url":"%s"},"events":["promise.created"]}                               | name
            name of 101 characters | {"type":"slack","name":"%s","config":{"webhook_url":"URL"},"events":["promise.created"]}                   | name
            unknown type           | {"type":"carrier-pigeon","name":"n","config":{},"events":["promise.created"]}                             | type
            empty events           | {"type":"slack","name":"n","config":{"webhook_url":"%s"},"events":[]}                                     | events
            unknown event type     | {"type":"slack","name":"n","config":{"webhook_url":"%s"},"events":["promise.exploded"]}                   | events[0]
            unknown filter key     | {"type":"slack","name":"n","config":{"webhook_url":"%s"},"events":["*"],"filters":{"colour":["red"]}}     | filters.colour
            missing webhook_url    | {"type":"slack","name":"n","config":{},"events":["promise.created"]}                                      | config.webhook_url
            unknown config field   | {"type":"slack","name":"n","config":{"webhook_url":"%s","icon_emoji":"x"},"events":["promise.created"]}  | config.icon_emoji
            webhook on other host  | {"type":"slack","name":"n","config":{"webhook_url":"https://hooks.example.com/services/T0/B0/x"},"events":["*"]} | config.webhook_url
            slack path not a hook  | {"type":"slack","name":"n","config":{"webhook_url":"https://hooks.slack.com/oauth"},"events":["*"]}       | config.webhook_url
            generic method GET     | {"type":"generic","name":"n","config":{"url":"https://hooks.example.com/a","method":"GET"},"events":["*"]} | config.method
            generic ftp url        | {"type":"generic","name":"n","config":{"url":"ftp://hooks.example.com/a","method":"POST"},"events":["*"]} | config.url
            authorization header   | {"type":"generic","name":"n","config":{"url":"https://hooks.example.com/a","method":"POST","headers":{"Authorization":"x"}},"events":["*"]} | config.headers.Authorization
            hop-by-hop header      | {"type":"generic","name":"n","config":{"url":"https://hooks.example.com/a","method":"POST","headers":{"Connection":"close"}},"events":["*"]} | config.headers.Connection
            unknown top-level      | {"type":"slack","name":"n","config":{"webhook_url":"%s"},"events":["*"],"colour":"red"}                   | colour
            enabled not boolean    | {"type":"slack","name":"n","config":{"webhook_url":"%s"},"events":["*"],"enabled":"yes"}                  | enabled
            version on create      | {"type":"slack","name":"n","config":{"webhook_url":"%s"},"events":["*"],"version":1}                      | version
            """)
    void rejectsInvalidFieldWithProblemNamingIt(String problem, String template, String field) {
        // GIVEN a body with one problem
        String body = template.contains("\"name\":\"%s\"")
                ? template.formatted("x".repeat(101)).replace("URL", SLACK_URL)
                : template.replace("%s", SLACK_URL);

        // WHEN it is sent to create a connector
        ApiResponse response = api.call(user, "POST", "/api/v1/connectors", body);

        // THEN 400 problem JSON naming exactly that field, with a message
        assertThat(response.status()).as(problem).isEqualTo(400);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.json().get("type").asText()).startsWith("urn:connectors:problem:");
        assertThat(response.json().get("status").asInt()).isEqualTo(400);
        assertThat(response.errorFields()).as(problem + ": " + response.body()).containsExactly(field);
        assertThat(response.errorMessages().getFirst()).isNotBlank();
        assertThat(api.storedConnectorCount(user.userId())).isZero();
    }

    @Test
    void reportsEveryProblemOfABodyAtOnce() {
        // GIVEN a body wrong in three places
        String body = "{\"type\":\"slack\",\"name\":\"\",\"config\":{},\"events\":[]}";

        // WHEN it is sent
        ApiResponse response = api.call(user, "POST", "/api/v1/connectors", body);

        // THEN all three are named
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorFields()).containsExactlyInAnyOrder("name", "config.webhook_url", "events");
        assertThat(response.json().get("detail").asText()).contains("3 problems");
    }

    @Test
    void rejectsBodyOver64KilobytesWith413() {
        // GIVEN a body of just over 64 KB (a long transformation)
        String body = "{\"type\":\"slack\",\"name\":\"big\",\"config\":{\"webhook_url\":\"" + SLACK_URL
                + "\"},\"events\":[\"*\"],\"transformation\":\"" + "/".repeat(64 * 1024) + "\"}";

        // WHEN it is sent
        ApiResponse response = api.call(user, "POST", "/api/v1/connectors", body);

        // THEN 413 problem JSON stating the limit
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.json().get("detail").asText()).contains("64 KB");
    }

    @Test
    void rejectsMalformedJsonWith400() {
        // WHEN a body that is not JSON is sent
        ApiResponse response = api.call(user, "POST", "/api/v1/connectors", "{\"type\":\"slack\",\"name\":");

        // THEN 400 saying where the JSON broke
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.json().get("detail").asText()).contains("not valid JSON").contains("line 1");
    }

    @Test
    void rejectsMissingAndNonObjectBodies() {
        // WHEN no body, and a JSON array, are sent
        ApiResponse none = api.call(user, "POST", "/api/v1/connectors", null);
        ApiResponse array = api.call(user, "POST", "/api/v1/connectors", "[1,2]");

        // THEN both are 400 problems
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.json().get("detail").asText()).contains("body is required");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.json().get("detail").asText()).contains("JSON object");
    }
}
