package app.connectors.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.delivery.RetrySchedule;
import app.connectors.functions.ConnectorsHandler;
import app.connectors.functions.DeliverHandler;
import app.connectors.functions.DeliveriesHandler;
import app.connectors.json.Json;
import app.connectors.local.LocalStack;
import app.connectors.local.LocalStackOptions;
import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakePlatform;
import app.connectors.testing.RecordedRequest;
import app.connectors.testing.StubResolver;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One local stack for the whole catalog package (started on first use, stopped when the test JVM
 * exits): DynamoDB Local, ElasticMQ, the gateway and the pollers, with a fake API for each catalog
 * host. The SaaS hosts resolve to 127.0.0.1 through a {@link StubResolver}, and
 * {@code ENDPOINT_OVERRIDES} moves each type's https endpoint to its fake's port.
 *
 * <p>Fakes are shared between tests, so a test marks {@link #mark how many requests a fake had}
 * before it acts and looks only at what came after; every test uses a user of its own.
 */
final class CatalogStack {

    static final String HUBSPOT = "api.hubapi.com";
    static final String CLOSE = "api.close.com";
    static final String SEGMENT = "api.segment.io";
    static final String CUSTOMERIO = "track.customer.io";
    static final String SENDGRID = "api.sendgrid.com";
    static final String RESEND = "api.resend.com";
    static final String LOOPS = "app.loops.so";
    static final String INNGEST = "inn.gs";
    /** Hosts the user types in (not catalog endpoints): they resolve to a fake but are not overridden. */
    static final String ZAPIER = "hooks.zapier.com";
    static final String WINDMILL = "app.windmill.dev";
    static final String CUSTOM = "api.acme-tickets.example";
    /** A host a transformation tries to move the request to. */
    static final String ELSEWHERE = "collector.elsewhere.example";

    static final List<String> API_HOSTS = List.of(HUBSPOT, CLOSE, SEGMENT, CUSTOMERIO, SENDGRID, RESEND, LOOPS, INNGEST);
    static final String EVENT_TYPE = "promise.status_changed";

    private static CatalogStack shared;

    private final Map<String, FakeDestination> fakes = new LinkedHashMap<>();
    private final StubResolver dns = new StubResolver();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final LocalStack stack;
    private final ObjectNode exampleEvent;

    private CatalogStack() {
        LocalStackOptions options = LocalStackOptions.forTests(Path.of("../template.yaml"));
        StringBuilder overrides = new StringBuilder();
        for (String host : List.of(HUBSPOT, CLOSE, SEGMENT, CUSTOMERIO, SENDGRID, RESEND, LOOPS, INNGEST, ZAPIER, WINDMILL,
                CUSTOM, ELSEWHERE)) {
            FakeDestination fake = FakeDestination.start(ZAPIER.equals(host) ? FakePlatform.zapier() : FakePlatform.generic());
            fakes.put(host, fake);
            dns.answer(host, "127.0.0.1");
            options = options.withAllowedTarget("127.0.0.1:" + fake.port());
            if (API_HOSTS.contains(host)) {
                overrides.append(overrides.isEmpty() ? "" : ",").append(host).append("=http://").append(host).append(':')
                        .append(fake.port());
            }
        }
        options = options.withEnvironment(Settings.ENDPOINT_OVERRIDES, overrides.toString())
                // Retries seconds apart (the standard schedule waits 5 s, then 5 min): a transformation the
                // loaded test machine could not start in time is retried by design, and the tests wait for it.
                .withEnvironment(RetrySchedule.VARIABLE, "0,1,1,2,2,2,2,2")
                .withHandler("ConnectorsFunction", env -> new ConnectorsHandler(components(env)))
                .withHandler("DeliverFunction", env -> new DeliverHandler(components(env)))
                .withHandler("DeliveriesFunction", env -> new DeliveriesHandler(components(env)));
        stack = LocalStack.start(options);
        try {
            exampleEvent = (ObjectNode) Json.parse(Files.readString(Path.of("../events/event-promise-status-changed.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized CatalogStack shared() {
        if (shared == null) {
            CatalogStack started = new CatalogStack();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "catalog-stack-stop"));
            shared = started;
        }
        return shared;
    }

    private Components components(Map<String, String> environment) {
        return new Components(Settings.from(environment), dns, Clock.systemUTC());
    }

    private void close() {
        stack.close();
        fakes.values().forEach(FakeDestination::close);
    }

    LocalStack stack() {
        return stack;
    }

    FakeDestination fake(String host) {
        return fakes.get(host);
    }

    /** {@code http://<host>:<fake port>}: how a user-typed URL reaches the fake of {@code host} locally. */
    String base(String host) {
        return "http://" + host + ":" + fake(host).port();
    }

    /** How many requests each fake has had so far. */
    Map<String, Integer> mark() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        fakes.forEach((host, fake) -> counts.put(host, fake.requests().size()));
        return counts;
    }

    /**
     * The requests {@code host}'s fake received since {@code mark}, after waiting for at least {@code count}.
     * The wait is only a guard against a hung test, so it is long: on a loaded machine a transformation
     * that could not start in time is retried by its delivery's schedule, seconds later, by design.
     */
    List<RecordedRequest> awaitNew(Map<String, Integer> mark, String host, int count) {
        int before = mark.get(host);
        List<RecordedRequest> all = fake(host).awaitRequests(before + count, Duration.ofSeconds(90));
        return all.subList(before, all.size());
    }

    /** The hosts whose fakes received anything since {@code mark}. */
    Set<String> hostsReachedSince(Map<String, Integer> mark) {
        return fakes.entrySet().stream().filter(e -> e.getValue().requests().size() > mark.get(e.getKey()))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    ObjectNode exampleEvent() {
        return exampleEvent.deepCopy();
    }

    /** A new enterprise user (no connector limit) with its first API token. */
    User newUser() {
        String userId = "catalog-" + UUID.randomUUID();
        Object result = stack.function("AccountsFunction").invoke(Map.of("userId", userId, "tier", "enterprise"));
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) result;
        assertThat(out.get("ok")).as("AccountsFunction answer %s", out).isEqualTo(true);
        return new User(userId, (String) out.get("token"));
    }

    Response call(User user, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(stack.gatewayUrl().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("Authorization", "Bearer " + user.token());
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a connector and returns the API's answer (201 expected). */
    Response create(User user, ObjectNode body) {
        return call(user, "POST", "/api/v1/connectors", Json.write(body));
    }

    /** Creates a connector and returns its id; fails the test unless the API answers 201. */
    String createConnector(User user, ObjectNode body) {
        Response created = create(user, body);
        assertThat(created.status()).as("create answered %s", created.text()).isEqualTo(201);
        return idOf(created);
    }

    /** The uuid of the connector a 201 answer describes. */
    static String idOf(Response created) {
        String id = created.json().path("uuid").asText();
        assertThat(id).as("uuid in %s", created.text()).isNotBlank();
        return id;
    }

    /** Publishes the catalog's example event (fresh id, data replaced when given) for {@code user} only. */
    String publish(User user, JsonNode data) {
        ObjectNode event = exampleEvent();
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        event.put("id", eventId);
        event.put("userId", user.id());
        if (data != null) {
            event.set("data", data.deepCopy());
        }
        stack.sqs().sendMessage(r -> r.queueUrl(stack.queueUrl("EventsQueue")).messageBody(Json.write(event)));
        return eventId;
    }

    /** Waits for the connector's first delivery to reach a final status and returns the log's answer text and record. */
    Delivery awaitFinishedDelivery(User user, String connectorId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = call(user, "GET", "/api/v1/connectors/" + connectorId + "/deliveries", null);
            assertThat(last.status()).as("delivery log answer %s", last.text()).isEqualTo(200);
            {
                JsonNode deliveries = last.json().path("deliveries");
                if (deliveries.size() > 0) {
                    String status = deliveries.get(0).path("status").asText();
                    if (Set.of("succeeded", "failed", "cancelled", "dead").contains(status)) {
                        return new Delivery(deliveries.get(0), last.text());
                    }
                }
            }
            sleep(100);
        }
        throw new AssertionError("no finished delivery for connector " + connectorId + " within 15 s; last answer: "
                + (last == null ? "none" : last.status() + " " + last.text()));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.parse(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    record User(String id, String token) {
    }

    record Response(int status, String text) {
        JsonNode json() {
            try {
                return Json.parse(text);
            } catch (JsonProcessingException e) {
                throw new AssertionError("answer is not JSON: " + text);
            }
        }
    }

    /** A delivery record as the delivery log shows it, and the whole log answer it came in (for leak checks). */
    record Delivery(JsonNode record, String logText) {
        String status() {
            return record.path("status").asText();
        }

        JsonNode lastAttempt() {
            JsonNode attempts = record.path("attempts");
            return attempts.get(attempts.size() - 1);
        }
    }

    static URI uri(String text) {
        return URI.create(text);
    }
}
