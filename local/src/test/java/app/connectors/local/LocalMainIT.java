package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.backend.EmbeddedOnly;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

@EmbeddedOnly("the command line starts its own embedded emulators")
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
    void invokeOfAFunctionAnsweringOkFalsePrintsTheAnswerAndExitsWithOne(@TempDir Path data) throws Exception {
        // GIVEN a direct-invoke function that refuses the input with {"ok": false, ...}
        Path event = Files.writeString(data.resolve("event.json"), "{\"name\":\"nobody\"}");

        // WHEN it is invoked
        int code = run("invoke", "MapFunction", "--event", event.toString(), "--template", TEMPLATE, "--data", data.toString());

        // THEN the answer is printed as usual, and the exit code says the function failed
        assertThat(code).isEqualTo(1);
        assertThat(LambdaJson.MAPPER.readTree(out()).get("detail").asText()).isEqualTo("nobody to greet");
    }

    @Test
    void invokeWithAMissingEventFileSaysTheFileIsMissing(@TempDir Path data) {
        int code = run("invoke", "MapFunction", "--event", data.resolve("nope.json").toString(), "--template", TEMPLATE,
                "--data", data.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err()).contains("No such file: " + data.resolve("nope.json")).doesNotContain("Exception");
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

        // THEN the handler read it, and reported the record as failed: the exit code says so
        assertThat(LambdaJson.MAPPER.readTree(out()).at("/batchItemFailures/0/itemIdentifier").asText()).isEqualTo("m1");
        assertThat(code).as(err()).isEqualTo(1);
    }

    @Test
    void publishToAStackWithoutAControlPortSaysToRestartIt(@TempDir Path data) throws Exception {
        // GIVEN a running stack that announced itself in <data>/stack.json without a control port (an older start)
        try (LocalStack stack = LocalStack.start(LocalStackOptions.forTests(Path.of(TEMPLATE))
                .withGateway(false).withPollers(false))) {
            StackFile.of(stack, Path.of(TEMPLATE), null).write(data);
            Path envelope = Files.writeString(data.resolve("envelope.json"), "{\"id\":\"e1\",\"type\":\"promise.status_changed\"}");

            // WHEN an envelope is published
            int code = run("publish", envelope.toString(), "--data", data.toString());

            // THEN it is a usage error saying what to do, and nothing is sent
            assertThat(code).isEqualTo(2);
            assertThat(err()).contains("without a control port; restart it");
            List<Message> messages = stack.sqs().receiveMessage(r -> r.queueUrl(stack.queueUrl("EventsQueue"))
                    .waitTimeSeconds(0)).messages();
            assertThat(messages).isEmpty();
        }
    }

    @Test
    void publishWithoutARunningStackIsAUsageError(@TempDir Path data) throws Exception {
        Path envelope = Files.writeString(data.resolve("envelope.json"), "{}");

        assertThat(run("publish", envelope.toString(), "--data", data.toString())).isEqualTo(2);
        assertThat(err()).contains("run `bin/local start` first");
    }

    @Test
    void startOnAPortInUseSaysSoInOneLineBeforeStartingAnything(@TempDir Path data) throws Exception {
        // GIVEN something already listening on the port start is asked to use
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {

            // WHEN the stack is started on it
            int code = run("start", "--port", String.valueOf(taken.getLocalPort()), "--template", TEMPLATE,
                    "--data", data.toString());

            // THEN it fails at once with one line naming the port and the option, and no emulator was started
            assertThat(code).isEqualTo(1);
            assertThat(err()).contains("port " + taken.getLocalPort() + " is in use", "--port <n>")
                    .doesNotContain("Exception").hasLineCount(1);
            assertThat(data.resolve("dynamodb")).doesNotExist();
        }
    }

    @Test
    void helpExplainsEveryCommandInTheFormPeopleRunIt() {
        assertThat(run("--help")).isZero();

        assertThat(out()).contains("bin/local start", "bin/local invoke <FunctionLogicalId> --event", "bin/local publish",
                "--allow-target").doesNotContain("java -jar");
        for (LocalCommand command : LocalMain.COMMANDS) {
            assertThat(out()).contains("bin/local " + command.synopsis());
        }
    }

    @Test
    void helpOfOneCommandShowsItsOptionsOnly() {
        assertThat(run("invoke", "--help")).isZero();

        assertThat(out()).contains("bin/local invoke", "--env NAME=VALUE", "--data <folder>").doesNotContain("--allow-target");
    }

    @Test
    void optionsWithoutACommandGoToStart() {
        // A bad value makes start refuse before it starts anything, which shows that start was chosen
        assertThat(run("--port", "x")).isEqualTo(2);

        assertThat(err()).contains("--port takes a number, got: x", "bin/local start --help");
    }

    @Test
    void anOptionOfAnotherCommandIsAUsageErrorNamingWhatTheCommandAccepts(@TempDir Path data) {
        assertThat(run("publish", "x.json", "--event", "y.json", "--data", data.toString())).isEqualTo(2);

        assertThat(err()).contains("Unknown option --event for publish", "--queue");
    }

    @Test
    void anUnknownCommandListsTheCommands() {
        assertThat(run("pubilsh", "x.json")).isEqualTo(2);

        assertThat(err()).contains("Unknown command: pubilsh", "start, invoke, publish");
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
