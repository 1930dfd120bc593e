package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

class LocalMainIT {

    private static final String TEMPLATE = "src/test/resources/local/test-template.yaml";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void invokePrintsTheHandlersJsonResult(@TempDir Path data) throws Exception {
        // GIVEN an event file for a Map-in, Map-out function and no running stack
        Path event = Files.writeString(data.resolve("event.json"), "{\"name\":\"Ada\"}");

        // WHEN it is invoked like `sam local invoke`
        int code = run("invoke", "MapFunction", "--event", event.toString(), "--template", TEMPLATE,
                "--data", data.toString());

        // THEN stdout holds only the result, built with the local environment, and the exit code is 0
        assertThat(code).as(err()).isZero();
        JsonNode result = LambdaJson.MAPPER.readTree(out());
        assertThat(result.get("greeting").asText()).isEqualTo("hello Ada");
        assertThat(result.get("itemsTable").asText()).isEqualTo("ItemsTable");
        assertThat(result.get("dynamoDb").asText()).startsWith("http://localhost:");
        assertThat(data.resolve("dynamodb")).isDirectory();
    }

    @Test
    void invokeOfAFailingHandlerPrintsLambdasErrorShapeAndExitsWithOne(@TempDir Path data) throws Exception {
        Path event = Files.writeString(data.resolve("event.json"), "{\"name\":\"explode\"}");

        int code = run("invoke", "MapFunction", "--event", event.toString(), "--template", TEMPLATE, "--data", data.toString());

        assertThat(code).isEqualTo(1);
        JsonNode error = LambdaJson.MAPPER.readTree(out());
        assertThat(error.get("errorMessage").asText()).isEqualTo("cannot greet explode");
        assertThat(error.get("errorType").asText()).isEqualTo(IllegalArgumentException.class.getName());
    }

    @Test
    void invokeReadsSqsEventsWithLambdasPropertyNames(@TempDir Path data) throws Exception {
        // GIVEN an SQS event as Lambda sends it: "Records", "eventSourceARN"
        Path event = Files.writeString(data.resolve("sqs.json"), """
                {"Records":[{"messageId":"m1","receiptHandle":"r","body":"fail-1","attributes":{"ApproximateReceiveCount":"1"},
                 "messageAttributes":{},"eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:000000000000:WorkQueue",
                 "awsRegion":"us-east-1"}]}
                """);

        int code = run("invoke", "BatchFunction", "--event", event.toString(), "--template", TEMPLATE, "--data", data.toString());

        assertThat(code).as(err()).isZero();
        assertThat(LambdaJson.MAPPER.readTree(out()).at("/batchItemFailures/0/itemIdentifier").asText()).isEqualTo("m1");
    }

    @Test
    void publishSendsTheFileToTheRunningStacksEventsQueue(@TempDir Path data) throws Exception {
        // GIVEN a running stack that announced itself in <data>/stack.json
        try (LocalStack stack = LocalStack.start(LocalStackOptions.forTests(Path.of(TEMPLATE))
                .withGateway(false).withPollers(false))) {
            StackFile.of(stack, Path.of(TEMPLATE), null).write(data);
            Path envelope = Files.writeString(data.resolve("envelope.json"), "{\"id\":\"e1\",\"type\":\"promise.status_changed\"}");

            // WHEN the envelope is published
            int code = run("publish", envelope.toString(), "--data", data.toString());

            // THEN the message id is printed and the message is on EventsQueue
            assertThat(code).as(err()).isZero();
            List<Message> messages = stack.sqs().receiveMessage(r -> r.queueUrl(stack.queueUrl("EventsQueue"))
                    .waitTimeSeconds(2)).messages();
            assertThat(messages).singleElement().satisfies(message -> {
                assertThat(message.messageId()).isEqualTo(out().trim());
                assertThat(message.body()).contains("promise.status_changed");
            });
        }
    }

    @Test
    void publishWithoutARunningStackIsAUsageError(@TempDir Path data) throws Exception {
        Path envelope = Files.writeString(data.resolve("envelope.json"), "{}");

        assertThat(run("publish", envelope.toString(), "--data", data.toString())).isEqualTo(2);
        assertThat(err()).contains("run `start` first");
    }

    @Test
    void helpExplainsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("start", "invoke <FunctionLogicalId> --event", "publish", "--allow-target");
    }

    private int run(String... args) {
        return LocalMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
