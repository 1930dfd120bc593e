package app.connectors.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.catalog.CatalogStack.Response;
import app.connectors.it.catalog.CatalogStack.User;
import app.connectors.json.Json;
import app.connectors.testing.RecordedRequest;
import app.connectors.transform.FailureKind;
import app.connectors.transform.HostileTable;
import app.connectors.transform.HostileTable.Hostile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hostile table through the real API: every script through {@code POST /transformations/test},
 * and every script saved on a connector of its own and run by real deliveries of one event, side by
 * side with healthy connectors of another tenant, whose deliveries must come out exactly right.
 */
class HostileTransformationsIT {

    private static final Set<String> FINAL = Set.of("succeeded", "failed", "cancelled", "dead");
    /** Tenant B's ordinary transformation: a for-of over its event data, as in the reported cross-tenant read. */
    private static final String TENANT_B = "function handler(webhook) {\n  const lines = [];\n"
            + "  for (let e of Object.entries(webhook.payload.data)) lines.push(e[0] + '=' + e[1]);\n"
            + "  webhook.payload = { lines, spread: [...'ok'].join('') };\n  return webhook;\n}";
    /** Tenant A's poisoner from the report: wraps Array iteration to stash what others iterate, and sends the stash. */
    private static final String TENANT_A = "const original = Array.prototype[Symbol.iterator];\n"
            + "Array.prototype[Symbol.iterator] = function () { (Object.prototype.stash ??= []).push(JSON.stringify(this));"
            + " return original.call(this); };\n"
            + "function handler(webhook) { webhook.payload = { stash: Object.prototype.stash ?? null }; return webhook; }";

    private static CatalogStack stack;

    @BeforeAll
    static void start() {
        stack = CatalogStack.shared();
    }

    private static String hookUrl(String path) {
        return stack.base(CatalogStack.CUSTOM) + path;
    }

    private static ObjectNode generic(String name, String url, String transformation) {
        ObjectNode body = Json.object().put("type", "generic").put("name", name);
        body.putObject("config").put("url", url).put("method", "POST");
        body.set("events", Json.array().add(CatalogStack.EVENT_TYPE));
        body.put("transformation", transformation);
        return body;
    }

    /** A call answered 503 (the sandbox shed it: the host was too loaded) is made again, as a client would. */
    private static Response shedRetried(java.util.function.Supplier<Response> call) {
        Response answer = call.get();
        for (int shed = 0; shed < 3 && answer.status() == 503; shed++) {
            answer = call.get();
        }
        return answer;
    }

    private static void speaksJavaScript(String text, Object about) {
        for (String word : HostileTable.HOST_WORDS) {
            assertThat(text).as("%s: %s", about, text).doesNotContain(word);
        }
    }

    @Test
    void everyHostileScriptHoldsThroughTheDryRunEndpointAndTheNextDryRunIsUnaffected() throws Exception {
        User attacker = stack.newUser();
        User victim = stack.newUser();
        ObjectNode victimRequest = Json.object().put("code", TENANT_B).put("eventType", CatalogStack.EVENT_TYPE);
        victimRequest.putObject("payload").putObject("data").put("secret", "tenant-b");
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            for (Hostile hostile : HostileTable.all()) {
                ObjectNode request = Json.object().put("code", hostile.code()).put("eventType", CatalogStack.EVENT_TYPE);
                request.putObject("payload").put("amount", 1);
                // The attacker's dry run and the victim's run at the same time.
                Future<Response> attack = callers.submit(() -> shedRetried(() -> stack.call(attacker, "POST",
                        "/api/v1/transformations/test", Json.write(request))));
                Future<Response> victimRun = callers.submit(() -> shedRetried(() -> stack.call(victim, "POST",
                        "/api/v1/transformations/test", Json.write(victimRequest))));

                Response answer = attack.get();
                assertThat(answer.status()).as("%s: %s", hostile, answer.text()).isEqualTo(200);
                JsonNode body = answer.json();
                if (!hostile.mayPass()) {
                    assertThat(body.path("ok").asBoolean()).as("%s: %s", hostile, answer.text()).isFalse();
                }
                if (!body.path("ok").asBoolean()) {
                    assertThat(hostile.endsWith(FailureKind.valueOf(body.path("error").path("kind").asText())))
                            .as("%s: %s", hostile, answer.text()).isTrue();
                }
                speaksJavaScript(body.path("error").toString(), hostile);
                JsonNode victimBody = victimRun.get().json();
                assertThat(victimBody.path("webhook").path("payload")).as("victim beside %s", hostile)
                        .isEqualTo(CatalogStack.json("{\"lines\":[\"secret=tenant-b\"],\"spread\":\"ok\"}"));
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void everyHostileScriptHoldsThroughRealDeliveriesAndOnlyItsOwnDeliveryFails() {
        // GIVEN one tenant with a connector per hostile script (those refused at save time are checked
        // here: top-level loops, syntax errors), and another tenant with ordinary transformations
        User attacker = stack.newUser();
        User victim = stack.newUser();
        Map<String, Hostile> saved = new LinkedHashMap<>();
        int refusedAtSave = 0;
        for (Hostile hostile : HostileTable.all()) {
            Response created = shedRetried(() -> stack.create(attacker, generic(hostile.name(), hookUrl("/hostile"), hostile.code())));
            if (created.status() == 400) {
                refusedAtSave++;
                speaksJavaScript(created.text(), hostile);
                assertThat(created.text()).as("%s", hostile).contains("transformation");
                assertThat(hostile.mayPass()).as("%s was refused at save: %s", hostile, created.text()).isFalse();
                continue;
            }
            assertThat(created.status()).as("%s: %s", hostile, created.text()).isEqualTo(201);
            saved.put(CatalogStack.idOf(created), hostile);
        }
        List<String> healthy = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            healthy.add(stack.createConnector(victim, generic("healthy " + i, hookUrl("/victim/" + i), TENANT_B)));
        }
        Map<String, Integer> mark = stack.mark();

        // WHEN one event reaches all the attacker's connectors, and the victim's event goes through at the same time
        stack.publish(attacker, Json.object().put("promiseId", "4821").put("secret", "tenant-a"));
        stack.publish(victim, CatalogStack.json("{\"secret\":\"tenant-b\",\"promiseId\":\"4821\"}"));
        Map<String, JsonNode> attackerDeliveries = awaitAll(attacker, saved.keySet());
        Map<String, JsonNode> victimDeliveries = awaitAll(victim, healthy);

        // THEN each hostile delivery ended as its script deserves, recorded in JavaScript terms
        saved.forEach((id, hostile) -> {
            JsonNode delivery = attackerDeliveries.get(id);
            String status = delivery.path("status").asText();
            JsonNode attempts = delivery.path("attempts");
            String error = attempts.get(attempts.size() - 1).path("error").asText("");
            speaksJavaScript(delivery.toString(), hostile);
            if (!hostile.mayPass()) {
                assertThat(status).as("%s: %s", hostile, delivery).isEqualTo("failed");
                // Attempts a loaded host could not give their time were retried; the script's own failure is not.
                long failures = 0;
                for (JsonNode attempt : attempts) {
                    failures += attempt.path("error").asText("").startsWith("the transformation could not run now") ? 0 : 1;
                }
                assertThat(failures).as("%s is not retried: %s", hostile, attempts).isEqualTo(1);
            }
            if (status.equals("failed") && error.startsWith("transformation failed (")) {
                String kind = error.substring("transformation failed (".length()).split("[ )]")[0];
                assertThat(hostile.endsWith(FailureKind.valueOf(kind))).as("%s: %s", hostile, error).isTrue();
            }
        });
        // AND the victim's deliveries, beside all of them, are exactly right
        assertThat(victimDeliveries.values()).allSatisfy(d -> assertThat(d.path("status").asText()).isEqualTo("succeeded"));
        List<RecordedRequest> received = stack.awaitNew(mark, CatalogStack.CUSTOM, saved.size() / 4).stream()
                .filter(r -> r.path().startsWith("/victim/")).toList();
        assertThat(received).hasSize(healthy.size());
        for (RecordedRequest r : received) {
            assertThat(r.json()).isEqualTo(CatalogStack.json("{\"lines\":[\"secret=tenant-b\",\"promiseId=4821\"],\"spread\":\"ok\"}"));
        }
        // AND nothing the attacker sent carries the victim's data
        stack.fake(CatalogStack.CUSTOM).requests().stream().filter(r -> r.path().equals("/hostile"))
                .forEach(r -> assertThat(r.bodyText()).doesNotContain("tenant-b"));
        assertThat(refusedAtSave).isLessThan(HostileTable.all().size() / 2);
    }

    @Test
    void twoTenantsDeliveriesInTurnCannotObserveEachOther() {
        // GIVEN tenant A's poisoner and tenant B's for-of, each on a connector of its own
        User a = stack.newUser();
        User b = stack.newUser();
        String aId = stack.createConnector(a, generic("tenant A", hookUrl("/tenant-a"), TENANT_A));
        String bId = stack.createConnector(b, generic("tenant B", hookUrl("/tenant-b"), TENANT_B));
        Map<String, Integer> mark = stack.mark();

        // WHEN their events are delivered in turn: B, A, B, A, B, A
        for (int i = 0; i < 3; i++) {
            stack.publish(b, CatalogStack.json("{\"secret\":\"b-" + i + "\"}"));
            stack.publish(a, CatalogStack.json("{\"mine\":\"a\"}"));
        }
        List<RecordedRequest> received = stack.awaitNew(mark, CatalogStack.CUSTOM, 6);

        // THEN A's requests carry only what A iterated itself, and B's for-of is never disturbed
        assertThat(received.stream().filter(r -> r.path().equals("/tenant-a"))).hasSize(3)
                .allSatisfy(r -> assertThat(r.bodyText()).doesNotContain("b-"));
        assertThat(received.stream().filter(r -> r.path().equals("/tenant-b")).map(r -> r.json().path("lines").get(0).asText())
                .collect(Collectors.toSet())).containsExactlyInAnyOrder("secret=b-0", "secret=b-1", "secret=b-2");
        assertThat(stack.awaitFinishedDelivery(a, aId).status()).isEqualTo("succeeded");
        assertThat(stack.awaitFinishedDelivery(b, bId).status()).isEqualTo("succeeded");
    }

    /** Every connector's first delivery, once all are final. */
    private static Map<String, JsonNode> awaitAll(User user, java.util.Collection<String> connectorIds) {
        Map<String, JsonNode> done = new LinkedHashMap<>();
        // Only a guard against a hung test: every run ends at its own CPU budget or the 1 s wall backstop.
        long deadline = System.nanoTime() + Duration.ofSeconds(600).toNanos();
        while (done.size() < connectorIds.size() && System.nanoTime() < deadline) {
            for (String id : connectorIds) {
                if (done.containsKey(id)) {
                    continue;
                }
                Response log = stack.call(user, "GET", "/api/v1/connectors/" + id + "/deliveries", null);
                JsonNode deliveries = log.json().path("deliveries");
                if (deliveries.size() > 0 && FINAL.contains(deliveries.get(0).path("status").asText())) {
                    done.put(id, deliveries.get(0));
                }
            }
            CatalogStack.sleep(200);
        }
        assertThat(done).as("deliveries final").hasSize(connectorIds.size());
        return done;
    }
}
