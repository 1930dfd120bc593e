package app.connectors.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.config.AwsClients;
import app.connectors.config.Settings;
import app.connectors.testing.XRayDaemonFake;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Every AWS SDK call of a client built by {@link AwsClients} is an {@code aws} subsegment when the
 * function has a daemon and the call is in a sampled trace: received on a real UDP socket, against a
 * stand-in AWS endpoint that answers as DynamoDB and SQS would (and records the trace header each
 * request carried).
 */
class AwsCallTracingTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(10);

    private final XRayDaemonFake daemon = XRayDaemonFake.start();
    private final FakeAws aws = new FakeAws();

    @AfterEach
    void close() {
        aws.close();
        daemon.close();
    }

    private Settings settings(String daemonAddress) {
        return Settings.from(Map.of(
                "AWS_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                Settings.AWS_ENDPOINT_URL_DYNAMODB, aws.url(), Settings.AWS_ENDPOINT_URL_SQS, aws.url(),
                XRayDaemon.ADDRESS_VARIABLE, daemonAddress));
    }

    @Test
    void aDynamoDbCallIsAnAwsSubsegmentWithOperationTableStatusAndRequestId() {
        TraceHeader invocation = Subsegments.header(true);
        aws.answer(200, "{\"Item\":{\"pk\":{\"S\":\"a\"}}}");
        try (DynamoDbClient dynamoDb = AwsClients.dynamoDb(settings(daemon.address()));
             TraceContext.Scope traced = TraceContext.enter(invocation)) {
            dynamoDb.getItem(r -> r.tableName("connectors-users").key(Map.of("pk", AttributeValue.fromS("secret-key-value"))));
        }

        JsonNode call = daemon.await(document -> true, 1, ARRIVAL).getFirst();
        Subsegments.assertValid(call, invocation, "aws");
        assertThat(call.path("name").asText()).isEqualTo("DynamoDB");
        assertThat(call.at("/aws/operation").asText()).isEqualTo("GetItem");
        assertThat(call.at("/aws/region").asText()).isEqualTo("eu-west-1");
        assertThat(call.at("/aws/table_name").asText()).isEqualTo("connectors-users");
        assertThat(call.at("/aws/request_id").asText()).isEqualTo("req-1");
        assertThat(call.at("/aws/retries").asInt()).isZero();
        assertThat(call.at("/http/response/status").asInt()).isEqualTo(200);
        assertThat(call.has("error") || call.has("fault") || call.has("throttle")).isFalse();
        // the request's values (keys, items) are never recorded
        assertThat(daemon.datagrams().getFirst()).doesNotContain("secret-key-value");
        // AND the request carried the trace on to DynamoDB with this subsegment as its parent
        assertThat(aws.traceHeaders()).containsExactly(invocation.withParent(call.path("id").asText()).format());
    }

    @Test
    void aRetriedCallIsOneSubsegmentCountingItsRetries() {
        TraceHeader invocation = Subsegments.header(true);
        aws.answer(500, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"oops\"}");
        aws.answer(200, "{}");
        try (DynamoDbClient dynamoDb = AwsClients.dynamoDb(settings(daemon.address()));
             TraceContext.Scope traced = TraceContext.enter(invocation)) {
            dynamoDb.getItem(r -> r.tableName("t").key(Map.of("pk", AttributeValue.fromS("a"))));
        }

        JsonNode call = daemon.await(document -> true, 1, ARRIVAL).getFirst();
        assertThat(call.at("/aws/retries").asInt()).isEqualTo(1);
        assertThat(call.at("/http/response/status").asInt()).isEqualTo(200);
        assertThat(call.has("fault")).isFalse();
        // each attempt carried the same parent: the one subsegment
        assertThat(aws.traceHeaders()).hasSize(2).containsOnly(invocation.withParent(call.path("id").asText()).format());
    }

    @Test
    void aRefusedCallIsAnErrorWithTheServicesErrorCodeAndNoMessage() {
        TraceHeader invocation = Subsegments.header(true);
        aws.answer(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                + "\"message\":\"The conditional request failed for secret-item-value\"}");
        try (DynamoDbClient dynamoDb = AwsClients.dynamoDb(settings(daemon.address()));
             TraceContext.Scope traced = TraceContext.enter(invocation)) {
            assertThatThrownBy(() -> dynamoDb.putItem(r -> r.tableName("connectors-deliveries")
                    .item(Map.of("pk", AttributeValue.fromS("secret-item-value")))))
                    .isInstanceOf(DynamoDbException.class);
        }

        JsonNode call = daemon.await(document -> true, 1, ARRIVAL).getFirst();
        Subsegments.assertValid(call, invocation, "aws");
        assertThat(call.at("/aws/operation").asText()).isEqualTo("PutItem");
        assertThat(call.at("/http/response/status").asInt()).isEqualTo(400);
        assertThat(call.path("error").asBoolean()).isTrue();
        assertThat(call.has("fault") || call.has("throttle")).isFalse();
        assertThat(call.at("/cause/exceptions/0/type").asText()).isEqualTo("ConditionalCheckFailedException");
        assertThat(call.at("/cause/exceptions/0/remote").asBoolean()).isTrue();
        assertThat(daemon.datagrams().getFirst()).doesNotContain("secret-item-value").doesNotContain("conditional request");
    }

    @Test
    void anUnreachableServiceIsAFaultWithoutAStatus() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        Settings settings = Settings.from(Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test", Settings.AWS_CALL_TIMEOUT_MS, "400",
                Settings.AWS_ENDPOINT_URL_SQS, "http://127.0.0.1:" + closedPort, XRayDaemon.ADDRESS_VARIABLE, daemon.address()));
        TraceHeader invocation = Subsegments.header(true);
        try (SqsClient sqs = AwsClients.sqs(settings); TraceContext.Scope traced = TraceContext.enter(invocation)) {
            assertThatThrownBy(() -> sqs.sendMessage(r -> r.queueUrl("http://127.0.0.1:" + closedPort + "/000000000000/deliveries")
                    .messageBody("{\"secret\":\"body-secret\"}"))).isInstanceOf(RuntimeException.class);
        }

        JsonNode call = daemon.await(document -> true, 1, ARRIVAL).getFirst();
        Subsegments.assertValid(call, invocation, "aws");
        assertThat(call.path("name").asText()).isEqualTo("SQS");
        assertThat(call.at("/aws/operation").asText()).isEqualTo("SendMessage");
        assertThat(call.at("/aws/queue_url").asText()).endsWith("/000000000000/deliveries");
        assertThat(call.path("fault").asBoolean()).isTrue();
        assertThat(call.at("/http/response").isMissingNode()).isTrue();
        assertThat(call.at("/cause/exceptions/0/type").asText()).isNotBlank();
        assertThat(daemon.datagrams().getFirst()).doesNotContain("body-secret");
    }

    @Test
    void anUnsampledCallSendsNothingAndLeavesTheRequestAlone() {
        aws.answer(200, "{}");
        aws.answer(200, "{}");
        TraceHeader sampled = Subsegments.header(true);
        try (DynamoDbClient dynamoDb = AwsClients.dynamoDb(settings(daemon.address()))) {
            try (TraceContext.Scope traced = TraceContext.enter(Subsegments.header(false))) {
                dynamoDb.getItem(r -> r.tableName("t").key(Map.of("pk", AttributeValue.fromS("a"))));
            }
            // a marker from the same client afterwards: anything the first call sent would arrive before it
            try (TraceContext.Scope traced = TraceContext.enter(sampled)) {
                dynamoDb.getItem(r -> r.tableName("t").key(Map.of("pk", AttributeValue.fromS("a"))));
            }
        }
        daemon.await(document -> true, 1, ARRIVAL);
        assertThat(daemon.datagrams()).hasSize(1);
        assertThat(daemon.documents().getFirst().path("trace_id").asText()).isEqualTo(sampled.root());
        assertThat(aws.traceHeaders().getFirst()).isEmpty();
    }

    @Test
    void withoutADaemonAddressNoInterceptorIsAdded() {
        Settings settings = Settings.from(Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test", Settings.AWS_ENDPOINT_URL_DYNAMODB, aws.url()));
        try (DynamoDbClient dynamoDb = AwsClients.dynamoDb(settings)) {
            assertThat(dynamoDb.serviceClientConfiguration().overrideConfiguration().executionInterceptors())
                    .noneMatch(interceptor -> interceptor instanceof AwsCallTracing);
        }
        try (DynamoDbClient dynamoDb = AwsClients.dynamoDb(settings(daemon.address()))) {
            assertThat(dynamoDb.serviceClientConfiguration().overrideConfiguration().executionInterceptors())
                    .anyMatch(interceptor -> interceptor instanceof AwsCallTracing);
        }
    }

    @Test
    void aBrokenDaemonAddressNeverFailsTheCall() {
        aws.answer(200, "{}");
        aws.answer(200, "{}");
        TraceHeader invocation = Subsegments.header(true);
        // a malformed address (tracing off, logged) and one that does not resolve (every send fails, logged)
        for (String broken : List.of("not-an-address", "no-such-host.invalid:2000")) {
            try (DynamoDbClient dynamoDb = AwsClients.dynamoDb(settings(broken));
                 TraceContext.Scope traced = TraceContext.enter(invocation)) {
                assertThat(dynamoDb.getItem(r -> r.tableName("t").key(Map.of("pk", AttributeValue.fromS("a")))).sdkHttpResponse()
                        .statusCode()).isEqualTo(200);
            }
        }
    }

    /** Answers each request with the next scripted reply (then 200 {}), recording its X-Amzn-Trace-Id ("" when absent). */
    private static final class FakeAws implements AutoCloseable {
        private final HttpServer server;
        private final Deque<Object[]> replies = new ArrayDeque<>();
        private final List<String> traceHeaders = new CopyOnWriteArrayList<>();

        FakeAws() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        synchronized void answer(int status, String json) {
            replies.add(new Object[] {status, json});
        }

        List<String> traceHeaders() {
            return List.copyOf(traceHeaders);
        }

        private void handle(HttpExchange exchange) throws IOException {
            exchange.getRequestBody().readAllBytes();
            String trace = exchange.getRequestHeaders().getFirst("X-Amzn-Trace-Id");
            traceHeaders.add(trace == null ? "" : trace);
            Object[] reply;
            synchronized (this) {
                reply = replies.isEmpty() ? new Object[] {200, "{}"} : replies.poll();
            }
            byte[] body = ((String) reply[1]).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.getResponseHeaders().add("x-amzn-RequestId", "req-" + traceHeaders.size());
            exchange.sendResponseHeaders((Integer) reply[0], body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
