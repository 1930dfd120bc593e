package app.connectors.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.api.ApiStack.Account;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/connectors} with an {@code Idempotency-Key}, over HTTP through the local gateway, on DynamoDB Local. */
class IdempotencyIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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
    void aRetriedCreateGetsTheFirstAnswerAndMakesNoSecondConnector() throws Exception {
        // GIVEN a user creating a generic connector (its answer shows a signing secret once)
        Account user = api.createUser("idem-retry", "pro");
        String body = ApiStack.genericBody("Orders", "https://hooks.example.com/in/abcdefgh12345678");

        // WHEN the create is sent twice with one key
        HttpResponse<String> first = post(user, "retry-key-1", body);
        HttpResponse<String> retry = post(user, "retry-key-1", body);

        // THEN the retry is the first answer, marked replayed, and the user has one connector
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(api.call(user, "GET", "/api/v1/connectors").json().get("connectors").size()).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsA422AndCreatesNothing() throws Exception {
        Account user = api.createUser("idem-other-body", "pro");
        post(user, "key-2", ApiStack.slackBody("First", "secretTokenNumber0001"));

        HttpResponse<String> other = post(user, "key-2", ApiStack.slackBody("Second", "secretTokenNumber0002"));

        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(other.body()).contains("already used with a different request body");
        assertThat(api.call(user, "GET", "/api/v1/connectors").json().get("connectors").size()).isEqualTo(1);
    }

    @Test
    void keysAreScopedPerUser() throws Exception {
        Account alice = api.createUser("idem-alice", "pro");
        Account bob = api.createUser("idem-bob", "pro");
        String body = ApiStack.slackBody("Eng", "secretTokenNumber0003");

        HttpResponse<String> alices = post(alice, "same-key", body);
        HttpResponse<String> bobs = post(bob, "same-key", body);

        assertThat(bobs.statusCode()).isEqualTo(201);
        assertThat(bobs.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(bobs.body()).isNotEqualTo(alices.body());
    }

    @Test
    void aRefusedCreateLeavesTheKeyFreeForTheCorrectedBody() throws Exception {
        Account user = api.createUser("idem-fix", "pro");

        HttpResponse<String> refused = post(user, "key-fix", "{\"type\":\"slack\",\"name\":\"No config\",\"events\":[\"*\"]}");
        HttpResponse<String> fixed = post(user, "key-fix", ApiStack.slackBody("Fixed", "secretTokenNumber0004"));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(fixed.statusCode()).isEqualTo(201);
        assertThat(fixed.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }

    @Test
    void concurrentRetriesWithOneKeyCreateOneConnector() throws Exception {
        // GIVEN 16 clients sending the same create with the same key at once
        Account user = api.createUser("idem-race", "pro");
        String body = ApiStack.genericBody("Raced", "https://hooks.example.com/in/racedracedraced1");
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 16; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return post(user, "race-key", body);
                }));
            }
            go.countDown();
        }

        // THEN exactly one connector exists; every 201 is its answer, every other answer a 409 to retry
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (Future<HttpResponse<String>> future : futures) {
            answers.add(future.get());
        }
        var connectors = api.call(user, "GET", "/api/v1/connectors").json().get("connectors");
        assertThat(connectors.size()).isEqualTo(1);
        String uuid = connectors.get(0).get("uuid").asText();
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).as(answer.body()).isIn(201, 409);
            if (answer.statusCode() == 201) {
                assertThat(answer.body()).contains(uuid);
            } else {
                assertThat(answer.body()).contains("still being processed");
            }
        });
        assertThat(answers).anySatisfy(answer -> assertThat(answer.headers().firstValue("Idempotent-Replayed")).isEmpty());
        // AND once it finished, a retry gets the answer
        HttpResponse<String> later = post(user, "race-key", body);
        assertThat(later.statusCode()).isEqualTo(201);
        assertThat(later.body()).contains(uuid);
    }

    private static HttpResponse<String> post(Account user, String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(api.local().gatewayUrl().resolve("/api/v1/connectors"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + user.token())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
