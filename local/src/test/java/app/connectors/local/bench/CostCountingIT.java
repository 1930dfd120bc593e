package app.connectors.local.bench;

import app.connectors.it.backend.EmbeddedOnly;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.event.EventCatalog;
import app.connectors.json.Json;
import app.connectors.local.LocalStack;
import app.connectors.local.LocalStackOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The cost benchmark's counting, checked on a fan-out whose requests are known: the real pipeline
 * on an in-process local stack, the product's own SDK clients counted by the global interceptor.
 */
@EmbeddedOnly("counts requests by the embedded emulators' ports; on moto every stack of the run shares one port")
class CostCountingIT {

    @Test
    void aKnownFanOutIsCountedExactlyAndTheHarnessesOwnRequestsAreNot() throws Exception {
        try (PipelineBenchmark.Sink sink = PipelineBenchmark.Sink.start();
             LocalStack stack = LocalStack.start(LocalStackOptions.forTests(Path.of("../template.yaml"))
                     .withAllowedTarget("127.0.0.1:" + sink.port()))) {
            // GIVEN a user with 3 generic connectors subscribed to everything
            String userId = "count-user";
            JsonNode account = Json.MAPPER.valueToTree(stack.function("AccountsFunction")
                    .invokeJson("{\"userId\":\"" + userId + "\",\"tier\":\"enterprise\"}"));
            for (int i = 0; i < 3; i++) {
                createConnector(stack, account.path("token").asText(), sink.port());
            }
            Set<Integer> ports = Set.of(stack.dynamoDbEndpoint().getPort(), stack.sqsEndpoint().getPort());

            // WHEN two events of about 1 KB are published (by requests marked as not counted) and delivered
            RequestCounter.Tally tally = RequestCounter.start(ports);
            try {
                for (int i = 0; i < 2; i++) {
                    String body = CostBenchmark.envelope(userId, 1024, "count_" + i);
                    stack.sqs().sendMessage(r -> r.queueUrl(stack.queueUrl("EventsQueue")).messageBody(body)
                            .overrideConfiguration(o -> o.putHeader(RequestCounter.NOT_COUNTED, "1")));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while ((sink.unique() < 6 || !empty(stack, "DeliveriesQueue") || !empty(stack, "EventsQueue"))
                        && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            } finally {
                RequestCounter.stop();
            }

            // THEN six deliveries arrived; the dispatcher made every first attempt itself and each
            // succeeded, so no job went to the deliveries queue (and the two uncounted publications
            // are not there either)
            assertThat(sink.unique()).isEqualTo(6);
            assertThat(tally.sqsMessagesSent()).isZero();
            assertThat(tally.requests("sqs", "SendMessage")).isZero();
            assertThat(tally.requests("sqs", "SendMessageBatch")).isZero();
            // the events queue's receives and deletes were counted
            assertThat(tally.requests("sqs", "ReceiveMessage")).isPositive();
            assertThat(tally.requests("sqs", "DeleteMessage") + tally.requests("sqs", "DeleteMessageBatch")).isPositive();
            // every DynamoDB answer carried its capacity, and writes were made
            assertThat(tally.requests("dynamodb")).isPositive();
            assertThat(tally.missingCapacity()).isZero();
            assertThat(tally.writeUnits()).isGreaterThanOrEqualTo(6);
            // the local key file stands in for KMS: no KMS request
            assertThat(tally.kmsCalls()).isZero();
            // 1 KB jobs: each request is one 64 KB chunk, so the billable count is the non-empty request count
            long nonEmpty = tally.requests("sqs") - tally.sqsEmptyReceives();
            assertThat(tally.sqsBillable()).isEqualTo(nonEmpty);
        }
    }

    @Test
    void sqsPayloadsAreBilledInChunksOf64Kilobytes() {
        assertThat(RequestCounter.chunks(0)).isEqualTo(1);
        assertThat(RequestCounter.chunks(64 * 1024)).isEqualTo(1);
        assertThat(RequestCounter.chunks(64 * 1024 + 1)).isEqualTo(2);
        assertThat(RequestCounter.chunks(256 * 1024)).isEqualTo(4);
    }

    @Test
    void paddedEnvelopesHaveTheAskedSize() {
        for (int bytes : new int[] {1024, 65536}) {
            String envelope = CostBenchmark.envelope("u", bytes, "size");
            assertThat(envelope.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isBetween(bytes - 16, bytes + 16);
        }
    }

    private static boolean empty(LocalStack stack, String queue) {
        return stack.sqs().getQueueAttributes(r -> r.queueUrl(stack.queueUrl(queue))
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
                        .overrideConfiguration(o -> o.putHeader(RequestCounter.NOT_COUNTED, "1")))
                .attributes().values().stream().allMatch("0"::equals);
    }

    private static void createConnector(LocalStack stack, String token, int sinkPort) throws Exception {
        ObjectNode body = Json.object().put("type", "generic").put("name", "counted");
        body.putObject("config").put("url", "http://127.0.0.1:" + sinkPort + "/hook").put("method", "POST");
        body.putArray("events").add(EventCatalog.WILDCARD);
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(stack.gatewayUrl().resolve("/api/v1/connectors"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        }
    }
}
