package app.connectors.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.api.ApiStack.Account;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Plan limits, enforced in one DynamoDB transaction with the user's connector count. */
class QuotaConcurrencyIT {

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
    void twentyConcurrentCreatesAtLimitMinusOneLetExactlyOneThrough() throws Exception {
        // GIVEN a Pro user (limit 5) with 4 connectors
        Account user = api.createUser("quota-race", "pro");
        for (int i = 1; i <= 4; i++) {
            assertThat(create(user, "existing " + i).status()).isEqualTo(201);
        }

        // WHEN 20 creates are released together, straight to the handler
        int racers = 20;
        CountDownLatch ready = new CountDownLatch(racers);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Future<ApiResponse>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < racers; i++) {
                String name = "racer " + i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return create(user, name);
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
        } finally {
            pool.shutdown();
        }
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        List<ApiResponse> responses = new ArrayList<>();
        for (Future<ApiResponse> future : futures) {
            responses.add(future.get());
        }

        // THEN exactly one 201, nineteen 403 naming the plan and its limit, and the count is exactly 5
        assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(1);
        List<ApiResponse> refused = responses.stream().filter(r -> r.status() == 403).toList();
        assertThat(refused).hasSize(19);
        refused.forEach(r -> {
            assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(r.json().get("detail").asText()).contains("Pro plan allows 5 connectors");
        });
        assertThat(api.storedConnectorCount(user.userId())).isEqualTo(5);
        assertThat(api.call(user, "GET", "/api/v1/connectors?limit=100").json().get("connectors").size()).isEqualTo(5);
    }

    @Test
    void freeUserCannotCreateAny() {
        // GIVEN a Free user
        Account user = api.createUser("quota-free", "free");

        // WHEN they create a connector
        ApiResponse response = create(user, "first");

        // THEN 403 naming the Free plan and its limit of 0
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("detail").asText()).contains("Free plan allows 0 connectors");
        assertThat(api.storedConnectorCount(user.userId())).isZero();
    }

    @Test
    void downgradeKeepsExistingConnectorsAndBlocksNewOnes() {
        // GIVEN a Pro user with three connectors
        Account pro = api.createUser("quota-downgrade", "pro");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ids.add(create(pro, "kept " + i).json().get("uuid").asText());
        }

        // WHEN the host platform moves them to Free
        Map<String, Object> downgrade = api.upsert(pro.userId(), "free");
        Account free = new Account(pro.userId(), "free", pro.token());

        // THEN the three are still listed and readable, the count is kept, and a new one is refused naming Free
        assertThat(downgrade).containsEntry("ok", true).containsEntry("tier", "free").containsEntry("previousTier", "pro")
                .containsEntry("connectorCount", 3);
        assertThat(api.call(free, "GET", "/api/v1/connectors").json().get("connectors").findValuesAsText("uuid"))
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(api.call(free, "GET", "/api/v1/connectors/" + ids.getFirst()).status()).isEqualTo(200);
        ApiResponse refused = create(free, "new");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("detail").asText()).contains("Free plan allows 0 connectors");
        assertThat(api.storedConnectorCount(pro.userId())).isEqualTo(3);
    }

    @Test
    void deletingAConnectorFreesASlot() {
        // GIVEN a Pro user at the limit
        Account user = api.createUser("quota-slot", "pro");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(create(user, "c" + i).json().get("uuid").asText());
        }
        ApiResponse sixth = create(user, "c6");
        assertThat(sixth.status()).isEqualTo(403);
        assertThat(sixth.json().get("detail").asText()).contains("Pro plan allows 5 connectors and you have 5");

        // WHEN one is deleted
        assertThat(api.call(user, "DELETE", "/api/v1/connectors/" + ids.getFirst()).status()).isEqualTo(204);

        // THEN one more can be created, and no more
        assertThat(create(user, "c6").status()).isEqualTo(201);
        assertThat(create(user, "c7").status()).isEqualTo(403);
        assertThat(api.storedConnectorCount(user.userId())).isEqualTo(5);
    }

    @Test
    void enterpriseIsUnlimited() {
        // GIVEN an Enterprise user
        Account user = api.createUser("quota-enterprise", "enterprise");

        // WHEN they create 12 connectors (more than any limited plan allows)
        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            statuses.add(create(user, "e" + i).status());
        }

        // THEN every create succeeds and the count says 12
        assertThat(statuses).containsOnly(201).hasSize(12);
        assertThat(api.storedConnectorCount(user.userId())).isEqualTo(12);
    }

    private static ApiResponse create(Account user, String name) {
        return api.call(user, "POST", "/api/v1/connectors", ApiStack.slackBody(name, "quota0000secret"));
    }
}
