package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalSqsPollerIT {

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start(LocalStackOptions.forTests(Path.of("src/test/resources/local/test-template.yaml"))
                .withGateway(false));
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void onlyReportedFailuresComeBackAndLandInTheDeadLetterQueue() throws Exception {
        // GIVEN three messages on WorkQueue (maxReceiveCount 2), one of which the handler reports as failed
        TestBatchHandler.RECEIVED.clear();
        for (String body : List.of("ok-1", "fail-2", "ok-3")) {
            stack.sqs().sendMessage(r -> r.queueUrl(stack.queueUrl("WorkQueue")).messageBody(body));
        }

        // WHEN the poller has delivered them and the failed one has been retried
        waitUntil(() -> bodies().stream().filter("fail-2"::equals).count() == 2, Duration.ofSeconds(20));
        List<String> parked = receiveAll(stack.queueUrl("WorkDLQ"));

        // THEN the successes were delivered once, the failure twice, then parked on the DLQ
        assertThat(bodies()).filteredOn("ok-1"::equals).hasSize(1);
        assertThat(bodies()).filteredOn("ok-3"::equals).hasSize(1);
        assertThat(parked).containsExactly("fail-2");
        SQSEvent.SQSMessage first = TestBatchHandler.RECEIVED.peek();
        assertThat(first.getEventSource()).isEqualTo("aws:sqs");
        assertThat(first.getEventSourceArn()).isEqualTo(stack.queue("WorkQueue").arn());
        assertThat(first.getAttributes()).containsKey("ApproximateReceiveCount");
    }

    @Test
    void aHandlerExceptionLeavesTheWholeBatchForRedelivery() throws Exception {
        // GIVEN a message that makes the handler throw
        TestBatchHandler.RECEIVED.clear();
        stack.sqs().sendMessage(r -> r.queueUrl(stack.queueUrl("WorkQueue")).messageBody("throw"));

        // WHEN the poller has tried it maxReceiveCount times
        waitUntil(() -> bodies().stream().filter("throw"::equals).count() == 2, Duration.ofSeconds(20));

        // THEN it was redelivered with a growing receive count and finally parked
        assertThat(receiveAll(stack.queueUrl("WorkDLQ"))).containsExactly("throw");
        assertThat(TestBatchHandler.RECEIVED).extracting(record -> record.getAttributes().get("ApproximateReceiveCount"))
                .containsExactly("1", "2");
    }

    private static List<String> bodies() {
        return TestBatchHandler.RECEIVED.stream().map(SQSEvent.SQSMessage::getBody).toList();
    }

    private static List<String> receiveAll(String url) {
        List<String> bodies = new ArrayList<>();
        for (int attempt = 0; attempt < 5 && bodies.isEmpty(); attempt++) {
            stack.sqs().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()
                    .forEach(message -> {
                        bodies.add(message.body());
                        stack.sqs().deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
                    });
        }
        return bodies;
    }

    private static void waitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + timeout + "; received: " + bodies());
            }
            Thread.sleep(100);
        }
    }
}
