package app.connectors.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.delivery.DeliveryJob;
import app.connectors.event.EventCatalog;
import app.connectors.functions.ConnectorsHandler;
import app.connectors.functions.DeliverHandler;
import app.connectors.functions.DeliveriesHandler;
import app.connectors.functions.DispatcherHandler;
import app.connectors.json.Json;
import app.connectors.local.LocalStack;
import app.connectors.local.LocalStackOptions;
import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakePlatform;
import app.connectors.testing.StubResolver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * One local stack for every pipeline IT in this JVM (starting DynamoDB Local and ElasticMQ once
 * keeps the package fast), with a pool of fake destinations on the SSRF allow-list. Each test takes
 * fresh fakes from the pool and its own user, so tests never see each other's traffic.
 *
 * <p>Every handler that resolves names gets the same {@link StubResolver}: this machine resolves
 * no public names, so platform hosts are answered with 127.0.0.1 and the fakes' ports are the
 * only ones the guard admits.
 */
final class PipelineStack {

    static final String TYPE = "promise.status_changed";
    /** Allowed fakes; tests take them in turn and never share one. */
    private static final int POOL = 64;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static final StubResolver DNS = new StubResolver()
            .answer("hooks.slack.com", "127.0.0.1")
            .answer("discord.com", "127.0.0.1")
            .answer("prod-00.westus.logic.azure.com", "127.0.0.1")
            .answer("hooks.zapier.com", "127.0.0.1")
            .answer("hooks.example.com", "127.0.0.1");

    private static PipelineStack instance;

    final LocalStack stack;
    private final Deque<FakeDestination> pool;

    private PipelineStack(LocalStack stack, Deque<FakeDestination> pool) {
        this.stack = stack;
        this.pool = pool;
    }

    static synchronized PipelineStack get() {
        if (instance == null) {
            Deque<FakeDestination> fakes = new ArrayDeque<>();
            LocalStackOptions options = LocalStackOptions.forTests(Path.of("../template.yaml"))
                    .withEnvironment("RETRY_SCHEDULE_SECONDS", "0,1,1")
                    // A hanging destination fails in 2 s instead of the production 10 s silence; the
                    // fakes otherwise answer at once, so no other test comes near these limits.
                    .withEnvironment(Settings.SENDER_CONNECT_TIMEOUT_MS, "1000")
                    .withEnvironment(Settings.SENDER_RESPONSE_TIMEOUT_MS, "2000")
                    .withEnvironment(Settings.SENDER_DEADLINE_MS, "3000");
            for (int i = 0; i < POOL; i++) {
                FakeDestination fake = FakeDestination.start();
                fakes.add(fake);
                options = options.withAllowedTarget("127.0.0.1:" + fake.port());
            }
            options = options
                    .withHandler("ConnectorsFunction", env -> new ConnectorsHandler(components(env)))
                    .withHandler("DeliveriesFunction", env -> new DeliveriesHandler(components(env)))
                    .withHandler("DispatcherFunction", env -> new DispatcherHandler(components(env)))
                    .withHandler("DeliverFunction", env -> new DeliverHandler(components(env)));
            LocalStack stack = LocalStack.start(options);
            instance = new PipelineStack(stack, fakes);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stack.close();
                fakes.forEach(FakeDestination::close);
            }));
        }
        return instance;
    }

    private static Components components(Map<String, String> environment) {
        return new Components(Settings.from(environment), DNS, Clock.systemUTC());
    }

    /** A fake from the allow-listed pool, answering like {@code platform}. */
    synchronized FakeDestination fake(app.connectors.testing.FakeResponder platform) {
        FakeDestination fake = pool.poll();
        if (fake == null) {
            throw new IllegalStateException("the pool of " + POOL + " allowed fakes is used up; raise POOL");
        }
        return fake.respondWith(platform);
    }

    // ------------------------------------------------------------------ users and the API

    /** A new enterprise user (no connector limit) and its bearer token. */
    Api newUser() {
        String userId = "it-" + UUID.randomUUID().toString().substring(0, 8);
        Object out = stack.function("AccountsFunction").invokeJson("{\"userId\":\"" + userId + "\",\"tier\":\"enterprise\"}");
        JsonNode answer = Json.MAPPER.valueToTree(out);
        assertThat(answer.path("ok").asBoolean()).as("account created: %s", answer).isTrue();
        return new Api(userId, answer.path("token").asText());
    }

    final class Api {
        final String userId;
        private final String token;

        Api(String userId, String token) {
            this.userId = userId;
            this.token = token;
        }

        HttpResponse<String> send(String method, String path, String body) {
            HttpRequest.Builder request = HttpRequest.newBuilder(stack.gatewayUrl().resolve("/api/v1" + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token);
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            try {
                return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException(method + " " + path + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        JsonNode call(String method, String path, String body, int expectedStatus) {
            HttpResponse<String> response = send(method, path, body);
            assertThat(response.statusCode()).as("%s %s → %s", method, path, response.body()).isEqualTo(expectedStatus);
            return response.body().isEmpty() ? Json.object() : json(response.body());
        }

        /** Creates a connector and returns its response body (uuid, and signingSecret for generic). */
        JsonNode create(String type, String name, ObjectNode config, List<String> events, String filtersJson) {
            ObjectNode body = Json.object().put("type", type).put("name", name);
            body.set("config", config);
            body.set("events", Json.MAPPER.valueToTree(events));
            if (filtersJson != null) {
                body.set("filters", json(filtersJson));
            }
            return call("POST", "/connectors", Json.write(body), 201);
        }

        String webhook(String type, String url, String filtersJson) {
            return create(type, type + " hook", Json.object().put("webhook_url", url), List.of(TYPE), filtersJson)
                    .path("uuid").asText();
        }

        JsonNode connector(String uuid) {
            return call("GET", "/connectors/" + uuid, null, 200);
        }

        JsonNode deliveries(String uuid) {
            return call("GET", "/connectors/" + uuid + "/deliveries", null, 200).path("deliveries");
        }
    }

    // ------------------------------------------------------------------ URLs of the fakes

    /**
     * A DynamoDB client on the stack's DynamoDB Local that records every call the code makes (once,
     * whatever the SDK retried underneath), with the capacity DynamoDB says it consumed (every
     * request asks for ReturnConsumedCapacity=TOTAL; a call that failed, such as a conditional write
     * whose condition did not hold, is recorded with none), for tests that count requests and capacity.
     */
    static software.amazon.awssdk.services.dynamodb.DynamoDbClient countingDynamoDb(app.connectors.config.Settings settings,
                                                                                  java.util.List<String> operations) {
        return countingDynamoDb(settings, operations, new java.util.ArrayList<>());
    }

    /** A request as {@link #countingDynamoDb} saw it: its operation and the write and read units it consumed. */
    record Consumed(String operation, double writeUnits, double readUnits) {
    }

    static software.amazon.awssdk.services.dynamodb.DynamoDbClient countingDynamoDb(app.connectors.config.Settings settings,
                                                                                  java.util.List<String> operations,
                                                                                  java.util.List<Consumed> consumed) {
        return software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                .endpointOverride(java.net.URI.create(settings.required(app.connectors.config.Settings.AWS_ENDPOINT_URL_DYNAMODB)))
                .region(software.amazon.awssdk.regions.Region.of(settings.region()))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                settings.required("AWS_ACCESS_KEY_ID"), settings.required("AWS_SECRET_ACCESS_KEY"))))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new CapacityCounter(operations, consumed)))
                .build();
    }

    /** Asks every request for its consumed capacity and records it. */
    private static final class CapacityCounter implements software.amazon.awssdk.core.interceptor.ExecutionInterceptor {
        private final java.util.List<String> operations;
        private final java.util.List<Consumed> consumed;

        CapacityCounter(java.util.List<String> operations, java.util.List<Consumed> consumed) {
            this.operations = operations;
            this.consumed = consumed;
        }

        @Override
        public software.amazon.awssdk.core.SdkRequest modifyRequest(software.amazon.awssdk.core.interceptor.Context.ModifyRequest context,
                                                                   software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            var total = software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity.TOTAL;
            return switch (context.request()) {
                case software.amazon.awssdk.services.dynamodb.model.GetItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
                case software.amazon.awssdk.services.dynamodb.model.PutItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
                case software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
                case software.amazon.awssdk.services.dynamodb.model.QueryRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
                default -> context.request();
            };
        }

        @Override
        public void onExecutionFailure(software.amazon.awssdk.core.interceptor.Context.FailedExecution context,
                                       software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            synchronized (operations) {
                operations.add(attributes.getAttribute(software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.OPERATION_NAME));
            }
        }

        @Override
        public void afterExecution(software.amazon.awssdk.core.interceptor.Context.AfterExecution context,
                                   software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity capacity = switch (context.response()) {
                case software.amazon.awssdk.services.dynamodb.model.GetItemResponse r -> r.consumedCapacity();
                case software.amazon.awssdk.services.dynamodb.model.PutItemResponse r -> r.consumedCapacity();
                case software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse r -> r.consumedCapacity();
                case software.amazon.awssdk.services.dynamodb.model.QueryResponse r -> r.consumedCapacity();
                default -> null;
            };
            String operation = attributes.getAttribute(software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.OPERATION_NAME);
            synchronized (operations) {
                operations.add(operation);
            }
            // DynamoDB Local reports the total only; a read operation's units are reads, a write's writes.
            double units = capacity == null ? 0 : capacity.capacityUnits() != null ? capacity.capacityUnits()
                    : (capacity.writeCapacityUnits() == null ? 0 : capacity.writeCapacityUnits())
                    + (capacity.readCapacityUnits() == null ? 0 : capacity.readCapacityUnits());
            boolean read = operation.equals("GetItem") || operation.equals("Query") || operation.equals("BatchGetItem");
            synchronized (consumed) {
                consumed.add(new Consumed(operation, read ? 0 : units, read ? units : 0));
            }
        }
    }

    static String slackUrl(FakeDestination fake) {
        return "http://hooks.slack.com:" + fake.port() + "/services/T0001/B0001/Xy7Qp2SecretPath";
    }

    static String discordUrl(FakeDestination fake) {
        return "http://discord.com:" + fake.port() + "/api/webhooks/123456789012345678/dIsCoRdToKeN_secret";
    }

    static String teamsUrl(FakeDestination fake) {
        return "http://prod-00.westus.logic.azure.com:" + fake.port()
                + "/workflows/0123456789abcdef/triggers/manual/paths/invoke?api-version=2016-06-01&sig=TeamsSig123";
    }

    static String zapierUrl(FakeDestination fake) {
        return "http://hooks.zapier.com:" + fake.port() + "/hooks/catch/1234567/zapSecret/";
    }

    static String genericUrl(FakeDestination fake) {
        return "http://hooks.example.com:" + fake.port() + "/in/generic-secret";
    }

    // ------------------------------------------------------------------ events and queues

    /**
     * The catalog's example envelope with a fresh id, occurring now (a connector's deliveries list
     * newest event first), the given category and (optionally) a target user.
     */
    static ObjectNode envelope(String type, String category, String userId) {
        ObjectNode envelope = EventCatalog.standard().find(type).orElseThrow().example().deepCopy();
        envelope.put("id", "evt_it_" + UUID.randomUUID().toString().replace("-", ""));
        envelope.put("occurredAt", java.time.Instant.now().toString());
        ((ObjectNode) envelope.get("attributes")).put("category", category);
        if (userId != null) {
            envelope.put("userId", userId);
        }
        return envelope;
    }

    /**
     * First attempts for fan-outs run in the test itself: each job is handed to {@code onAttempt}
     * (and called delivered) instead of being sent.
     */
    static app.connectors.delivery.FanOut.FirstAttempt firstAttempts(java.util.function.Consumer<DeliveryJob> onAttempt) {
        return (job, lease) -> {
            onAttempt.accept(job);
            return new app.connectors.delivery.DeliveryOutcome.Done(app.connectors.delivery.DeliveryState.SUCCEEDED);
        };
    }

    /** The delivery id an envelope's event gets for a connector. */
    static String deliveryId(ObjectNode envelope, String connectorId) {
        try {
            return DeliveryJob.deliveryIdOf(app.connectors.event.EventParser.standard().parse(Json.write(envelope)), connectorId);
        } catch (app.connectors.event.InvalidEventException e) {
            throw new AssertionError("not an event: " + envelope, e);
        }
    }

    void publish(ObjectNode envelope) {
        publish(Json.write(envelope));
    }

    void publish(String body) {
        stack.sqs().sendMessage(r -> r.queueUrl(stack.queueUrl("EventsQueue")).messageBody(body));
    }

    void sendJob(DeliveryJob job) {
        stack.sqs().sendMessage(r -> r.queueUrl(stack.queueUrl("DeliveriesQueue")).messageBody(job.toJson()));
    }

    /** Sends jobs in one batch, delayed alike so that they become visible, and are received, together. */
    void sendJobsTogether(List<DeliveryJob> jobs) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("job" + i).messageBody(jobs.get(i).toJson()).delaySeconds(2).build());
        }
        var response = stack.sqs().sendMessageBatch(r -> r.queueUrl(stack.queueUrl("DeliveriesQueue")).entries(entries));
        assertThat(response.failed()).isEmpty();
    }

    /** Messages on a queue right now, read without hiding them from anyone else. */
    List<Message> peek(String queueLogicalId) {
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            List<Message> batch = stack.sqs().receiveMessage(r -> r.queueUrl(stack.queueUrl(queueLogicalId))
                    .maxNumberOfMessages(10).visibilityTimeout(0).messageAttributeNames("All").waitTimeSeconds(0)).messages();
            for (Message m : batch) {
                if (all.stream().noneMatch(seen -> seen.messageId().equals(m.messageId()))) {
                    all.add(m);
                }
            }
        }
        return all;
    }

    /** Deletes the dead-lettered jobs of one connector (leaving every other message visible); returns how many. */
    int removeDeadLetters(String connectorId) {
        String url = stack.queueUrl("DeliveriesDLQ");
        int removed = 0;
        for (int round = 0; round < 5; round++) {
            for (Message m : stack.sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(5)
                    .waitTimeSeconds(0)).messages()) {
                if (json(m.body()).path("connectorId").asText().equals(connectorId)) {
                    stack.sqs().deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
                    removed++;
                } else {
                    stack.sqs().changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
                }
            }
        }
        return removed;
    }

    int depth(String queueLogicalId) {
        var attributes = stack.sqs().getQueueAttributes(r -> r.queueUrl(stack.queueUrl(queueLogicalId))
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** Waits until {@code condition} holds, polling every 100 ms. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            sleep(Duration.ofMillis(100));
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
