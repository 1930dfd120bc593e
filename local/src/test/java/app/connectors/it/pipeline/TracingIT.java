package app.connectors.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.functions.ConnectorsHandler;
import app.connectors.functions.DeliverHandler;
import app.connectors.functions.DeliveriesHandler;
import app.connectors.functions.DispatcherHandler;
import app.connectors.json.Json;
import app.connectors.local.LocalStack;
import app.connectors.local.LocalStackOptions;
import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakePlatform;
import app.connectors.testing.FakeReply;
import app.connectors.testing.XRayDaemonFake;
import app.connectors.trace.XRayDaemon;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A delivery and a test send on the local stack with X-Ray on (the functions' AWS_XRAY_DAEMON_ADDRESS pointing at this
 * test's UDP socket, so each invocation gets a sampled trace header as on Lambda with active tracing):
 * the dispatcher's invocation is one trace holding its DynamoDB and SQS calls and the send, all under
 * the invocation's segment; the retry is the deliverer's own trace; nothing of the webhook URL's path
 * reaches the daemon.
 */
class TracingIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static XRayDaemonFake daemon;
    private static FakeDestination slack;
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        daemon = XRayDaemonFake.start();
        slack = FakeDestination.start(FakePlatform.slack());
        stack = LocalStack.start(LocalStackOptions.forTests(Path.of("../template.yaml"))
                .withEnvironment(XRayDaemon.ADDRESS_VARIABLE, daemon.address())
                .withEnvironment("RETRY_SCHEDULE_SECONDS", "0,1,1")
                .withAllowedTarget("127.0.0.1:" + slack.port())
                .withHandler("ConnectorsFunction", env -> new ConnectorsHandler(components(env)))
                .withHandler("DeliveriesFunction", env -> new DeliveriesHandler(components(env)))
                .withHandler("DispatcherFunction", env -> new DispatcherHandler(components(env)))
                .withHandler("DeliverFunction", env -> new DeliverHandler(components(env))));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        slack.close();
        daemon.close();
    }

    private static Components components(Map<String, String> environment) {
        return new Components(Settings.from(environment), PipelineStack.DNS, Clock.systemUTC());
    }

    @Test
    void aDeliveryIsFollowedFromItsAwsCallsToTheDestinationsAnswerInOneTrace() throws Exception {
        // GIVEN a user with a Slack connector whose destination fails once with 500, then accepts
        String userId = "it-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode account = Json.MAPPER.valueToTree(stack.function("AccountsFunction")
                .invokeJson("{\"userId\":\"" + userId + "\",\"tier\":\"enterprise\"}"));
        ObjectNode connector = Json.object().put("type", "slack").put("name", "traced");
        connector.putObject("config").put("webhook_url", PipelineStack.slackUrl(slack));
        connector.putArray("events").add(PipelineStack.TYPE);
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(stack.gatewayUrl().resolve("/api/v1/connectors"))
                .header("Authorization", "Bearer " + account.path("token").asText())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(connector))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        slack.enqueue(FakeReply.text(500, "busy"));

        // WHEN an event is published and delivered (the dispatcher's attempt fails, the deliverer's retry succeeds)
        ObjectNode event = PipelineStack.envelope(PipelineStack.TYPE, "tech-product", userId);
        stack.sqs().sendMessage(r -> r.queueUrl(stack.queueUrl("EventsQueue")).messageBody(Json.write(event)));
        slack.awaitRequests(2, ARRIVAL);

        // THEN the first send is a remote subsegment named after the host, 500 a fault, the connector type annotated
        JsonNode failedSend = daemon.await(remote(500), 1, ARRIVAL).getFirst();
        assertThat(failedSend.path("name").asText()).isEqualTo("hooks.slack.com");
        assertThat(failedSend.path("fault").asBoolean()).isTrue();
        assertThat(failedSend.at("/annotations/connector_type").asText()).isEqualTo("slack");
        String dispatcherTrace = failedSend.path("trace_id").asText();

        // AND its trace is the dispatcher's invocation: the function's segment, and under it the send,
        // the DynamoDB calls (records, connectors) and the SQS call that queued the retry
        JsonNode dispatcher = daemon.await(segmentOf("DispatcherFunction", dispatcherTrace), 1, ARRIVAL).getFirst();
        assertThat(dispatcher.path("origin").asText()).isEqualTo("AWS::Lambda::Function");
        List<JsonNode> dispatcherCalls = daemon.await(subsegmentIn(dispatcherTrace).and(named("SQS")), 1, ARRIVAL);
        List<JsonNode> inDispatcherTrace = daemon.documents().stream().filter(subsegmentIn(dispatcherTrace)).toList();
        assertThat(inDispatcherTrace).allSatisfy(subsegment -> {
            assertThat(subsegment.path("parent_id").asText()).isEqualTo(dispatcher.path("id").asText());
            assertThat(subsegment.path("id").asText()).matches("[0-9a-f]{16}");
            assertThat(subsegment.path("end_time").asDouble()).isGreaterThanOrEqualTo(subsegment.path("start_time").asDouble());
        });
        assertThat(inDispatcherTrace).filteredOn(named("DynamoDB"))
                .isNotEmpty()
                .allSatisfy(call -> {
                    assertThat(call.path("namespace").asText()).isEqualTo("aws");
                    assertThat(call.at("/aws/table_name").asText()).isNotBlank();
                });
        assertThat(dispatcherCalls).extracting(call -> call.at("/aws/operation").asText()).contains("SendMessage");
        assertThat(dispatcherCalls).allSatisfy(call -> assertThat(call.at("/aws/queue_url").asText()).contains("Deliver"));

        // AND the retry is a trace of the deliverer's own, with its DynamoDB calls and the 200 send under its segment
        JsonNode retried = daemon.await(remote(200), 1, ARRIVAL).getFirst();
        String deliverTrace = retried.path("trace_id").asText();
        assertThat(deliverTrace).isNotEqualTo(dispatcherTrace);
        JsonNode deliverer = daemon.await(segmentOf("DeliverFunction", deliverTrace), 1, ARRIVAL).getFirst();
        assertThat(retried.path("parent_id").asText()).isEqualTo(deliverer.path("id").asText());
        assertThat(daemon.documents().stream().filter(subsegmentIn(deliverTrace)).filter(named("DynamoDB"))).isNotEmpty();

        // AND a test send from the API is a subsegment of the API function's invocation, with the connector type
        String connectorId = Json.MAPPER.readTree(created.body()).path("uuid").asText();
        slack.enqueue(FakeReply.text(418, "teapot"));
        HttpResponse<String> tested = HTTP.send(HttpRequest.newBuilder(stack.gatewayUrl()
                        .resolve("/api/v1/connectors/" + connectorId + "/test"))
                .header("Authorization", "Bearer " + account.path("token").asText())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tested.statusCode()).as(tested.body()).isEqualTo(200);
        JsonNode testSend = daemon.await(remote(418), 1, ARRIVAL).getFirst();
        assertThat(testSend.path("error").asBoolean()).isTrue();
        assertThat(testSend.at("/annotations/connector_type").asText()).isEqualTo("slack");
        daemon.await(segmentOf("DeliveriesFunction", testSend.path("trace_id").asText()), 1, ARRIVAL);

        // AND no datagram was malformed, and none carries the webhook URL's secret path
        assertThat(daemon.malformed()).isEmpty();
        assertThat(daemon.datagrams()).allSatisfy(datagram -> assertThat(datagram)
                .doesNotContain("Xy7Qp2SecretPath").doesNotContain("/services/").doesNotContain("T0001"));
    }

    private static Predicate<JsonNode> remote(int status) {
        return document -> "remote".equals(document.path("namespace").asText())
                && document.at("/http/response/status").asInt() == status;
    }

    private static Predicate<JsonNode> segmentOf(String function, String traceId) {
        return document -> !document.has("type") && function.equals(document.path("name").asText())
                && traceId.equals(document.path("trace_id").asText());
    }

    private static Predicate<JsonNode> subsegmentIn(String traceId) {
        return document -> "subsegment".equals(document.path("type").asText()) && traceId.equals(document.path("trace_id").asText());
    }

    private static Predicate<JsonNode> named(String name) {
        return document -> name.equals(document.path("name").asText());
    }
}
