package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.backend.EmbeddedOnly;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** {@code bin/local dlq …} and {@code bin/local reset} against a stack running in this JVM. */
class LocalOperationsIT {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private LocalStack stack;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void dlqListsShowsWithoutTakingAndRedrivesToTheQueueItCameFrom(@TempDir Path data) {
        // GIVEN a running stack (no pollers, so redriven messages stay put) with a parked event
        start(data);
        String dlq = stack.queueUrl("EventsDLQ");
        stack.sqs().sendMessage(r -> r.queueUrl(dlq).messageBody("{\"id\":\"evt_bad\"}")
                .messageAttributes(Map.of("reason", MessageAttributeValue.builder().dataType("String").stringValue("unknown type x").build())));

        // WHEN the dead-letter queues are listed
        assertThat(run("dlq", "list")).isZero();

        // THEN both appear, with their depth and the queue they serve
        assertThat(out()).containsPattern("EventsDLQ\\s+1 messages").contains("from EventsQueue")
                .containsPattern("DeliveriesDLQ\\s+0 messages").contains("from DeliveriesQueue");

        // WHEN its messages are shown
        out.reset();
        assertThat(run("dlq", "show", "EventsDLQ")).isZero();

        // THEN the message and its reason are printed, and it is still there, visible
        assertThat(out()).contains("\"reason\":\"unknown type x\"").contains("\"id\":\"evt_bad\"");
        assertThat(depth("EventsDLQ")).isEqualTo(1);

        // WHEN it is redriven
        out.reset();
        assertThat(run("dlq", "redrive", "EventsDLQ")).isZero();

        // THEN it moved back to EventsQueue
        assertThat(out()).contains("1 message(s) moved from EventsDLQ back to EventsQueue");
        assertThat(depth("EventsDLQ")).isZero();
        assertThat(depth("EventsQueue")).isEqualTo(1);
    }

    @Test
    void dlqNamesTheDeadLetterQueuesWhenGivenAnotherQueue(@TempDir Path data) {
        start(data);
        assertThat(run("dlq", "show", "EventsQueue")).isEqualTo(2);
        assertThat(err()).contains("No dead-letter queue EventsQueue; they are: [EventsDLQ, DeliveriesDLQ]");
    }

    @Test
    @EmbeddedOnly("the embedded stack's data folder is what reset deletes")
    void resetSaysWhatItDeletesAsksAndRefusesWhileTheStackRuns(@TempDir Path folder) throws Exception {
        // GIVEN a data folder a running stack uses
        Path data = folder.resolve("data");
        start(data);

        // WHEN reset is asked while it runs, THEN it refuses and deletes nothing
        assertThat(run("reset", "--yes")).isEqualTo(2);
        assertThat(err()).contains("stop it");
        stack.close();
        stack = null;
        Files.deleteIfExists(data.resolve(StackFile.FILE_NAME));
        assertThat(Files.list(data).count()).isPositive();

        // WHEN it is asked after the stop and the answer is not yes, THEN it lists what it would delete and keeps it
        err.reset();
        assertThat(runAnswering("no\n", "reset")).isEqualTo(1);
        assertThat(err()).contains("This deletes").contains(LocalEnvironment.KEY_FILE_NAME).contains("Nothing deleted.");
        assertThat(data).isDirectory();

        // WHEN the answer is yes, THEN the folder is gone
        assertThat(runAnswering("yes\n", "reset")).isZero();
        assertThat(data).doesNotExist();
    }

    @Test
    @EmbeddedOnly("a test of the embedded DynamoDB Local")
    void dynamoDbLocalListensOnLoopbackOnly(@TempDir Path data) throws Exception {
        // GIVEN the stack's DynamoDB Local, and an address of this machine that is not loopback
        start(data);
        InetAddress external = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                .findFirst().orElse(null);
        Assumptions.assumeTrue(external != null, "this machine has no address but loopback");
        int port = stack.dynamoDbEndpoint().getPort();

        // THEN it answers on loopback and refuses the other address
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(external, port), 2000);
            throw new AssertionError("DynamoDB Local accepted a connection on " + external + ":" + port);
        } catch (java.net.ConnectException refused) {
            assertThat(refused).hasMessageContaining("refused");
        }
    }

    private void start(Path data) {
        stack = LocalStack.start(LocalStackOptions.forTests(Path.of("../template.yaml")).withDataFolder(data)
                .withGateway(false).withPollers(false));
        StackFile.of(stack, Path.of("../template.yaml"), null).write(data);
        this.data = data;
    }

    private Path data;

    private int depth(String queue) {
        return Integer.parseInt(stack.sqs().getQueueAttributes(r -> r.queueUrl(stack.queueUrl(queue))
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private int run(String... args) {
        return runAnswering("", args);
    }

    private int runAnswering(String input, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data";
        all[args.length + 1] = data.toString();
        all[args.length + 2] = "--template";
        all[args.length + 3] = "../template.yaml";
        return LocalMain.run(all, new Terminal(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
