package app.connectors.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.api.ApiStack.Account;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A stale {@code version} is 409 and never overwrites the change that won. */
class OptimisticLockingIT {

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
    void twoConcurrentPatchesWithTheSameVersionOneWinsOneConflicts() throws Exception {
        // GIVEN a connector at version 1
        Account user = api.createUser("lock-race", "pro");
        String path = "/api/v1/connectors/" + api.call(user, "POST", "/api/v1/connectors",
                ApiStack.slackBody("Original", "lock0000000001")).json().get("uuid").asText();

        // WHEN two PATCHes made from version 1 are released together
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<ApiResponse>> futures = new ArrayList<>();
        try {
            for (String body : List.of("{\"name\":\"Alpha\",\"version\":1}",
                    "{\"name\":\"Beta\",\"events\":[\"promise.created\"],\"version\":1}")) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return api.call(user, "PATCH", path, body);
                }));
            }
            go.countDown();
        } finally {
            pool.shutdown();
        }
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        ApiResponse first = futures.get(0).get();
        ApiResponse second = futures.get(1).get();

        // THEN one is 200 and the other 409, and the stored connector is exactly the winner's answer at version 2
        assertThat(List.of(first.status(), second.status())).containsExactlyInAnyOrder(200, 409);
        ApiResponse winner = first.status() == 200 ? first : second;
        ApiResponse loser = first.status() == 200 ? second : first;
        assertThat(loser.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(loser.json().get("detail").asText()).contains("version");
        JsonNode stored = api.call(user, "GET", path).json();
        assertThat(stored).isEqualTo(winner.json());
        assertThat(stored.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void stalePatchAfterAnotherChangeIsRefusedAndLosesNothing() {
        // GIVEN a connector changed once since it was read at version 1
        Account user = api.createUser("lock-stale", "pro");
        String path = "/api/v1/connectors/" + api.call(user, "POST", "/api/v1/connectors",
                ApiStack.slackBody("Original", "lock0000000002")).json().get("uuid").asText();
        assertThat(api.call(user, "PATCH", path, "{\"name\":\"First change\",\"version\":1}").status()).isEqualTo(200);

        // WHEN a PATCH and a PUT still based on version 1 arrive
        ApiResponse stalePatch = api.call(user, "PATCH", path, "{\"events\":[\"promise.created\"],\"version\":1}");
        ApiResponse stalePut = api.call(user, "PUT", path, """
                {"type":"slack","name":"Replaced","config":{"webhook_url":"%s"},"events":["*"],"version":1}
                """.formatted(ApiStack.slackUrl("lock0000000003")));

        // THEN both are 409 saying the current version, and the first change is intact
        for (ApiResponse stale : List.of(stalePatch, stalePut)) {
            assertThat(stale.status()).isEqualTo(409);
            assertThat(stale.json().get("detail").asText()).contains("version 2");
        }
        JsonNode stored = api.call(user, "GET", path).json();
        assertThat(stored.get("name").asText()).isEqualTo("First change");
        assertThat(stored.get("events").toString()).isEqualTo("[\"promise.status_changed\"]");
        assertThat(stored.get("version").asLong()).isEqualTo(2);

        // AND with the current version the change goes through
        ApiResponse fresh = api.call(user, "PATCH", path, "{\"events\":[\"promise.created\"],\"version\":2}");
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(fresh.json().get("version").asLong()).isEqualTo(3);
    }
}
