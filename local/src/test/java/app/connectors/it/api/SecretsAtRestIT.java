package app.connectors.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.api.ApiStack.Account;
import app.connectors.testing.FakeDestination;
import app.connectors.testing.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Webhook URLs and header values are credentials: encrypted at rest, masked in answers, never logged. */
class SecretsAtRestIT {

    private static FakeDestination destination;
    private static ApiStack api;

    @BeforeAll
    static void start() {
        destination = FakeDestination.start();
        api = ApiStack.start(options -> options.withAllowedTarget("127.0.0.1:" + destination.port()));
    }

    @AfterAll
    static void stop() {
        try {
            api.close();
        } finally {
            destination.close();
        }
    }

    @Test
    void storesWebhookUrlOnlyEncryptedAndMasked() {
        // GIVEN a Slack webhook URL whose last segment is the secret
        Account user = api.createUser("secret-store", "pro");
        String secret = "Zq7SlackSecretToken9k";

        // WHEN the connector is created
        String uuid = api.call(user, "POST", "/api/v1/connectors", ApiStack.slackBody("Eng", secret)).json()
                .get("uuid").asText();

        // THEN its item holds an encrypted blob and not one character of the secret, not even a mask
        Map<String, AttributeValue> item = api.connectorItem(user.userId(), uuid);
        assertThat(item).doesNotContainKey("maskedConfig");
        assertThat(item.get("publicConfig").s()).isEqualTo("{}");
        assertThat(item.get("secrets").b().asByteArray()).hasSizeGreaterThan(secret.length());
        assertThat(everyValueOf(item)).noneMatch(value -> value.contains(secret) || value.contains("B00000000/Zq7")
                || value.contains("en9k") || value.contains("hooks.slack.com"));

        // AND the subscription items copied from it carry no secret either
        var subscriptions = api.local().dynamoDb().scan(r -> r.tableName(api.table("SUBSCRIPTIONS_TABLE"))).items().stream()
                .filter(s -> s.get("subscriber").s().contains(uuid)).toList();
        assertThat(subscriptions).hasSize(1);
        assertThat(everyValueOf(subscriptions.getFirst())).noneMatch(value -> value.contains(secret));
    }

    @Test
    void answersNeverContainTheSecret() {
        // GIVEN a connector created, read, listed, patched and replaced
        Account user = api.createUser("secret-answers", "pro");
        String secret = "Yx4AnswerSecretToken2m";
        String replacementSecret = "Wv5ReplacedSecretToken7p";
        List<ApiResponse> answers = new ArrayList<>();
        ApiResponse created = api.call(user, "POST", "/api/v1/connectors", ApiStack.slackBody("Eng", secret));
        answers.add(created);
        String path = "/api/v1/connectors/" + created.json().get("uuid").asText();
        answers.add(api.call(user, "GET", path));
        answers.add(api.call(user, "GET", "/api/v1/connectors"));
        answers.add(api.call(user, "PATCH", path, "{\"name\":\"Eng 2\"}"));
        answers.add(api.call(user, "PUT", path, ApiStack.slackBody("Eng 3", replacementSecret)));

        // THEN every answer is a success and none contains a secret
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).isBetween(200, 201);
            assertThat(answer.body()).doesNotContain(secret).doesNotContain(replacementSecret);
        });
        assertThat(answers.getLast().json().at("/config/webhook_url").asText()).isEqualTo("https://hooks.slack.com/••••en7p");
    }

    @Test
    void anItemWrittenWithAPlaintextMaskIsShownInTheNewStyleAndLosesTheMaskWhenRead() {
        // GIVEN a connector whose item was written the old way: a revealing mask stored beside the ciphertext
        Account user = api.createUser("secret-legacy", "pro");
        String secret = "Lg3LegacySecretToken5q";
        String uuid = api.call(user, "POST", "/api/v1/connectors", ApiStack.slackBody("Old", secret)).json()
                .get("uuid").asText();
        Map<String, AttributeValue> legacy = new HashMap<>(api.connectorItem(user.userId(), uuid));
        legacy.put("maskedConfig", AttributeValue.fromS("{\"webhook_url\":\"https://hooks.slack.com/…en5q\",\"old\":\"Lg3…en5q\"}"));
        api.local().dynamoDb().putItem(r -> r.tableName(api.table("CONNECTORS_TABLE")).item(legacy));

        // WHEN it is read through the API
        ApiResponse read = api.call(user, "GET", "/api/v1/connectors/" + uuid);

        // THEN the mask is computed from the decrypted secret in the one style, and the stored plaintext mask is gone
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().at("/config/webhook_url").asText()).isEqualTo("https://hooks.slack.com/••••en5q");
        assertThat(read.json().get("config").has("old")).isFalse();
        assertThat(api.connectorItem(user.userId(), uuid)).doesNotContainKey("maskedConfig");

        // AND it still works for a change and a listing
        assertThat(api.call(user, "PATCH", "/api/v1/connectors/" + uuid, "{\"name\":\"Renamed\"}").status()).isEqualTo(200);
        assertThat(api.call(user, "GET", "/api/v1/connectors").json().at("/connectors/0/config/webhook_url").asText())
                .isEqualTo("https://hooks.slack.com/••••en5q");
    }

    @Test
    void aLegacyMaskIsAlsoDroppedByTheNextWrite() {
        // GIVEN a connector item written the old way
        Account user = api.createUser("secret-legacy-write", "pro");
        String uuid = api.call(user, "POST", "/api/v1/connectors", ApiStack.slackBody("Old", "Wr7LegacySecretToken2z"))
                .json().get("uuid").asText();
        Map<String, AttributeValue> legacy = new HashMap<>(api.connectorItem(user.userId(), uuid));
        legacy.put("maskedConfig", AttributeValue.fromS("{\"webhook_url\":\"https://hooks.slack.com/…en2z\"}"));
        api.local().dynamoDb().putItem(r -> r.tableName(api.table("CONNECTORS_TABLE")).item(legacy));

        // WHEN it is replaced
        ApiResponse replaced = api.call(user, "PUT", "/api/v1/connectors/" + uuid, ApiStack.slackBody("New", "Nw9ReplacedToken4u"));

        // THEN the new item has no plaintext mask either
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(api.connectorItem(user.userId(), uuid)).doesNotContainKey("maskedConfig");
    }

    @Test
    void logsNeverContainTheSecretAfterCreateAndTest() {
        // GIVEN a generic connector to a local destination, with a secret path and a secret header
        Account user = api.createUser("secret-logs", "pro");
        String pathSecret = "Pq8LogPathSecret3x";
        String headerSecret = "Hk2LogHeaderSecretValue6";
        String body = """
                {"type":"generic","name":"Logged","events":["promise.created"],
                 "config":{"url":"http://127.0.0.1:%d/in/%s","method":"POST","headers":{"X-Api-Key":"%s"}}}
                """.formatted(destination.port(), pathSecret, headerSecret);

        // WHEN it is created and tested while standard output and error are captured
        String captured;
        ApiResponse created;
        ApiResponse tested;
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(logs, true, StandardCharsets.UTF_8);
        System.setErr(tee);
        System.setOut(tee);
        try {
            created = api.call(user, "POST", "/api/v1/connectors", body);
            tested = api.call(user, "POST", "/api/v1/connectors/" + created.json().get("uuid").asText() + "/test",
                    "{\"eventType\":\"promise.created\"}");
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        captured = logs.toString(StandardCharsets.UTF_8);
        err.print(captured);

        // THEN the test really used the secrets (the destination saw them) ...
        assertThat(created.status()).isEqualTo(201);
        assertThat(tested.status()).as(tested.body()).isEqualTo(200);
        assertThat(tested.json().get("ok").asBoolean()).as(tested.body()).isTrue();
        RecordedRequest sent = destination.awaitRequests(1, Duration.ofSeconds(5)).stream()
                .filter(r -> r.path().contains(pathSecret)).findFirst().orElseThrow();
        assertThat(sent.header("X-Api-Key")).hasValue(headerSecret);

        // ... and neither the logs nor the answers contain them
        assertThat(captured).doesNotContain(pathSecret).doesNotContain(headerSecret);
        assertThat(created.body() + tested.body()).doesNotContain(pathSecret).doesNotContain(headerSecret);
    }

    /** Every value of an item as text: strings, numbers, and binaries both as UTF-8 and as base64. */
    private static List<String> everyValueOf(Map<String, AttributeValue> item) {
        List<String> values = new ArrayList<>();
        item.values().forEach(value -> {
            if (value.s() != null) {
                values.add(value.s());
            }
            if (value.n() != null) {
                values.add(value.n());
            }
            if (value.b() != null) {
                byte[] bytes = value.b().asByteArray();
                values.add(new String(bytes, StandardCharsets.ISO_8859_1));
                values.add(Base64.getEncoder().encodeToString(bytes));
            }
            if (value.hasL()) {
                value.l().forEach(element -> values.add(String.valueOf(element.s())));
            }
        });
        return values;
    }
}
