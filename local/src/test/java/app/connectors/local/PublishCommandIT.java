package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.connectors.event.EventParser;
import app.connectors.testing.FakeDestination;
import app.connectors.testing.RecordedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What README has people do against a running stack (the product's template, pollers on):
 * {@code publish} through the control port (a valid envelope is delivered, a repeated event id is
 * reported as already delivered, a fresh id delivers again, an invalid envelope is refused with its
 * reason and exit 1), the sample files in events/, and the receiver sample that checks signatures.
 * One stack serves them all, since starting one is most of each test's time.
 */
class PublishCommandIT {

    private static final Path TEMPLATE = Path.of("../template.yaml");
    private static final Path EVENTS = Path.of("../events");
    private static final Path RECEIVER_SAMPLE = Path.of("../docs/examples/webhook_receiver.py");
    private static final int RECEIVER_PORT = FreePort.find();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FakeDestination sink;
    private static LocalStack stack;
    private static LocalAdmin admin;
    private static String token;

    @TempDir
    static Path data;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        sink = FakeDestination.start();
        stack = LocalStack.start(LocalStackOptions.forTests(TEMPLATE).withAllowedTarget("127.0.0.1:" + sink.port())
                .withAllowedTarget("127.0.0.1:" + RECEIVER_PORT));
        admin = LocalAdmin.start(stack);
        StackFile.of(stack, TEMPLATE, stack.gatewayUrl()).withAdmin(admin).write(data);
        @SuppressWarnings("unchecked")
        Map<String, Object> user = (Map<String, Object>) stack.function("AccountsFunction")
                .invokeJson("{\"userId\":\"publisher-1\",\"tier\":\"pro\"}");
        token = (String) user.get("token");
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(stack.gatewayUrl().resolve("/api/v1/connectors"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"type":"generic","name":"Sink","config":{"url":"http://127.0.0.1:%d/hook/publish-sink-0001","method":"POST"},
                         "events":["promise.created"]}""".formatted(sink.port()))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        admin.close();
        stack.close();
        sink.close();
    }

    @BeforeEach
    void reset() {
        out.reset();
        err.reset();
    }

    @Test
    void anEventIsDeliveredAndTheSameIdAgainIsReportedAsAlreadyDeliveredUntilANewIdIsAsked() throws Exception {
        // GIVEN an envelope of the subscribed type, for this user
        Path file = envelope("evt_publish_twice", "promise.created");

        // WHEN it is published, and delivered
        int first = run("publish", file.toString(), "--data", data.toString());
        String firstErr = err();
        List<RecordedRequest> received = sink.awaitRequests(1, Duration.ofSeconds(60));
        awaitDeliveryRecorded("evt_publish_twice");

        // THEN the message id is printed and the stack says where it goes
        assertThat(first).as(firstErr).isZero();
        assertThat(out().trim()).isNotBlank().doesNotContain("\n");
        assertThat(firstErr).contains("Published evt_publish_twice to EventsQueue: it goes to 1 connector.")
                .doesNotContain("already delivered");
        assertThat(received).hasSize(1);

        // WHEN the same file is published again
        reset();
        int second = run("publish", file.toString(), "--data", data.toString());

        // THEN it says the connector already has this event id, and how to send it as a new event
        assertThat(second).isZero();
        assertThat(err()).contains("evt_publish_twice was already delivered to 1 of them", "(succeeded)",
                "bin/local publish --new-id " + file);

        // WHEN it is published with a new id
        reset();
        int third = run("publish", file.toString(), "--new-id", "--data", data.toString());

        // THEN it is a new event, delivered again
        assertThat(third).isZero();
        assertThat(err()).contains("(a new id)", "it goes to 1 connector.").doesNotContain("already delivered");
        assertThat(sink.awaitRequests(2, Duration.ofSeconds(60))).hasSize(2);
    }

    @Test
    void anInvalidEnvelopeIsRefusedWithTheReasonAndNothingIsSent() throws Exception {
        // GIVEN envelopes the dispatcher would park: an unknown type, and a year past 9999
        Path unknownType = envelope("evt_bad_type", "invoice.created");
        ObjectNode farFuture = (ObjectNode) LambdaJson.MAPPER.readTree(Files.readString(envelope("evt_far", "promise.created")));
        Path badTime = Files.writeString(data.resolve("far.json"), farFuture.put("occurredAt", "+12026-01-01T00:00:00Z").toString());
        int before = sink.requests().size();

        // WHEN they are published
        int first = run("publish", unknownType.toString(), "--data", data.toString());
        String firstErr = err();
        reset();
        int second = run("publish", badTime.toString(), "--data", data.toString());

        // THEN each exits 1 with the dispatcher's reason on one line, prints no message id, and sends nothing
        assertThat(first).isEqualTo(1);
        assertThat(firstErr).contains("is not a valid event envelope: unknown event type 'invoice.created'", "Nothing was sent")
                .doesNotContain("Exception");
        assertThat(second).isEqualTo(1);
        assertThat(err()).contains("occurredAt must be an RFC 3339 timestamp");
        assertThat(out()).isEmpty();
        assertThat(stack.sqs().getQueueAttributes(r -> r.queueUrl(stack.queueUrl("EventsDLQ"))
                .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                .get("ApproximateNumberOfMessages")).isEqualTo("0");
        assertThat(sink.requests()).hasSize(before);
    }

    @Test
    void anEventNoConnectorWantsIsPublishedAndSaysSo() throws Exception {
        int code = run("publish", envelope("evt_nobody", "promise.status_changed").toString(), "--data", data.toString());

        assertThat(code).isZero();
        assertThat(err()).contains("no connector receives it");
    }

    @Test
    void theControlPortRefusesARequestWithoutTheTokenAndStackJsonIsOwnerOnly() throws Exception {
        // WHEN the control port is called without the token, as a web page or another user could
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(admin.url() + "/publish"))
                .POST(HttpRequest.BodyPublishers.ofString(Files.readString(envelope("evt_forged", "promise.created"))))
                .build(), HttpResponse.BodyHandlers.ofString());

        // THEN it is refused, it listens on loopback only, and the token's file is readable by its owner only
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(admin.url().getHost()).isEqualTo("127.0.0.1");
        assertThat(Files.getPosixFilePermissions(data.resolve(StackFile.FILE_NAME)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void tokenIssuesANewTokenForAnExistingUserAndRefusesAnUnknownOne() throws Exception {
        // WHEN a new token is asked for the user whose token was lost, and for a user that does not exist
        int issued = run("token", "publisher-1", "--name", "laptop", "--template", TEMPLATE.toString(), "--data", data.toString());
        JsonNode answer = LambdaJson.MAPPER.readTree(out());
        reset();
        int unknown = run("token", "nobody", "--template", TEMPLATE.toString(), "--data", data.toString());

        // THEN the first prints a new named token that works, the second exits 1 saying the user does not exist
        assertThat(issued).isZero();
        assertThat(answer.get("token").asText()).startsWith("cnk_").isNotEqualTo(token);
        assertThat(answer.get("name").asText()).isEqualTo("laptop");
        assertThat(HTTP.send(HttpRequest.newBuilder(stack.gatewayUrl().resolve("/api/v1/connectors"))
                .header("Authorization", "Bearer " + answer.get("token").asText()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(unknown).isEqualTo(1);
        assertThat(err()).contains("No user nobody");
    }

    @Test
    void aMissingFileSaysSo() {
        assertThat(run("publish", data.resolve("nope.json").toString(), "--data", data.toString())).isEqualTo(2);

        assertThat(err()).contains("No such file: " + data.resolve("nope.json"));
    }

    @Test
    void everySampleEventIsAcceptedByItsFunction() throws Exception {
        List<Path> files;
        try (Stream<Path> listed = Files.list(EVENTS)) {
            files = listed.filter(file -> file.toString().endsWith(".json")).sorted(PublishCommandIT::createUsersFirst).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            String name = file.getFileName().toString();
            String json = Files.readString(file);
            if (name.startsWith("event-")) {
                // What `bin/local publish` sends: an envelope the dispatcher accepts.
                assertThat(EventParser.standard().parse(json).id()).as(name).isNotBlank();
            } else if (name.startsWith("accounts-")) {
                assertThat(invoke("AccountsFunction", json).path("ok").asBoolean()).as(name).isTrue();
            } else if (name.startsWith("templates-")) {
                assertThat(invoke("TemplatesAdminFunction", json).path("ok").asBoolean()).as(name).isTrue();
            } else if (name.startsWith("sqs-")) {
                // What `bin/local invoke DispatcherFunction` takes: an SQS event whose bodies are envelopes
                // (checked, not invoked: a dispatch here would deliver to the other tests' connectors).
                for (JsonNode record : LambdaJson.MAPPER.readTree(json).path("Records")) {
                    String body = record.path("body").asText();
                    if (name.contains("malformed")) {
                        assertThat(catchInvalid(body)).as(name + " is meant to be parked").isNotNull();
                    } else {
                        assertThat(EventParser.standard().parse(body).id()).as(name).isNotBlank();
                    }
                }
            } else if (name.startsWith("redrive-")) {
                // RedriveFunction starts an SQS message-move task, which ElasticMQ lacks: only the shape is checked here.
                assertThat(LambdaJson.MAPPER.readTree(json).isObject()).as(name).isTrue();
            } else {
                throw new AssertionError(name + " has no known function prefix (accounts-, event-, sqs-, templates-, redrive-)");
            }
        }
    }

    private static app.connectors.event.InvalidEventException catchInvalid(String body) {
        try {
            EventParser.standard().parse(body);
            return null;
        } catch (app.connectors.event.InvalidEventException expected) {
            return expected;
        }
    }

    /** accounts-create-user first: the other account events need the user it creates. */
    private static int createUsersFirst(Path a, Path b) {
        boolean aCreates = a.getFileName().toString().equals("accounts-create-user.json");
        boolean bCreates = b.getFileName().toString().equals("accounts-create-user.json");
        return aCreates == bCreates ? a.compareTo(b) : aCreates ? -1 : 1;
    }

    @Test
    void theSampleVerifiesSignedDeliveriesAndRefusesAForgery() throws Exception {
        assumeTrue(python3Available(), "python3 is not installed, so README's receiver sample cannot run here");
        int port = RECEIVER_PORT;
        // GIVEN a generic connector to the sample, and the sample started with its signing secret
        @SuppressWarnings("unchecked")
        String token = (String) ((Map<String, Object>) stack.function("AccountsFunction")
                .invokeJson("{\"userId\":\"sample-1\",\"tier\":\"pro\"}")).get("token");
        JsonNode created = LambdaJson.MAPPER.readTree(send(stack, token, "POST", "/api/v1/connectors", """
                {"type":"generic","name":"Sample","config":{"url":"http://127.0.0.1:%d/hook","method":"POST"},"events":["*"]}
                """.formatted(port)).body());
        ProcessBuilder sample = new ProcessBuilder("python3", "-u", RECEIVER_SAMPLE.toString(), String.valueOf(port))
                .redirectErrorStream(true);
        sample.environment().put("WEBHOOK_SECRET", created.get("signingSecret").asText());
        Process receiver = sample.start();
        try {
            BlockingQueue<String> lines = read(receiver);
            awaitListening(port);

            // WHEN an event is published, and again after the secret was rotated
            new EventPublisher(stack).publish("EventsQueue", receiverEnvelope("evt_sample_1"), false);
            String first = awaitLine(lines, "evt_sample_1");
            send(stack, token, "POST", "/api/v1/connectors/" + created.get("uuid").asText() + "/signing-secret", null);
            new EventPublisher(stack).publish("EventsQueue", receiverEnvelope("evt_sample_2"), false);
            String second = awaitLine(lines, "evt_sample_2");
            // AND a request signed with another secret reaches it
            HttpResponse<String> forged = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hook"))
                    .header("webhook-id", "msg_forged").header("webhook-timestamp", String.valueOf(System.currentTimeMillis() / 1000))
                    .header("webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"evt_forged\"}")).build(), HttpResponse.BodyHandlers.ofString());

            // THEN both deliveries are verified (the rotated one carries both signatures), the forgery is refused
            assertThat(first).startsWith("verified").contains("evt_sample_1");
            assertThat(second).startsWith("verified").contains("evt_sample_2");
            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(awaitLine(lines, "msg_forged")).startsWith("REFUSED");
        } finally {
            receiver.destroy();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Path envelope(String id, String type) throws Exception {
        ObjectNode envelope = LambdaJson.MAPPER.createObjectNode()
                .put("id", id).put("type", type).put("occurredAt", "2026-11-20T14:03:00Z").put("userId", "publisher-1");
        envelope.putObject("subject").put("title", "A promise").put("url", "https://example.org/promises/1");
        envelope.putObject("data").put("promiseId", "1");
        return Files.writeString(data.resolve(id + ".json"), envelope.toString());
    }

    /** Waits until the connector's delivery log shows this event succeeded (the record the next publish reads). */
    private static void awaitDeliveryRecorded(String eventId) throws Exception {
        JsonNode connectors = LambdaJson.MAPPER.readTree(get("/api/v1/connectors"));
        String uuid = connectors.at("/connectors/0/uuid").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode deliveries = LambdaJson.MAPPER.readTree(get("/api/v1/connectors/" + uuid + "/deliveries"));
            for (JsonNode delivery : deliveries.path("deliveries")) {
                if (eventId.equals(delivery.path("eventId").asText()) && "succeeded".equals(delivery.path("status").asText())) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no succeeded delivery of " + eventId + " within 60 s");
    }

    private static String get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(stack.gatewayUrl().resolve(path)).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private int run(String... args) {
        return LocalMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
    private static JsonNode invoke(String function, String json) {
        return LambdaJson.MAPPER.valueToTree(stack.function(function).invokeJson(json));
    }

    /** The next line of the receiver's output that mentions {@code what}, waiting up to 60 s. */
    private static String awaitLine(BlockingQueue<String> lines, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (String line; (line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
            if (line.contains(what)) {
                return line;
            }
        }
        throw new AssertionError("the receiver printed nothing about " + what + " within 60 s");
    }

    private static BlockingQueue<String> read(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException ended) {
                // The process was stopped.
            }
        }, "sample-receiver-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the sample receiver did not listen on " + port + " within 30 s");
    }

    private static String receiverEnvelope(String id) {
        return """
                {"id":"%s","type":"promise.created","occurredAt":"2026-11-20T14:03:00Z","userId":"sample-1",
                 "subject":{"title":"A promise","url":"https://example.org/promises/1"},"data":{"promiseId":"1"}}
                """.formatted(id);
    }

    private static HttpResponse<String> send(LocalStack stack, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(stack.gatewayUrl().resolve(path)).header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean python3Available() {
        try {
            return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS) && Files.exists(RECEIVER_SAMPLE);
        } catch (Exception e) {
            return false;
        }
    }
}
