package app.connectors.local;

import app.connectors.it.backend.EmbeddedOnly;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local queues keep what SQS keeps across a crash: the stack runs as a child process on a data
 * folder, is killed with SIGKILL, and is started again on the same folder.
 */
@EmbeddedOnly("a test of the embedded ElasticMQ's message store")
class LocalQueuePersistenceIT {

    private static final Path TEMPLATE = Path.of("src/test/resources/local/queues-template.yaml");
    private static final int IN_FLIGHT_VISIBILITY_SECONDS = 25;
    private static final int DELAY_SECONDS = 20;

    @Test
    void everyAcknowledgedMessageSurvivesKillDashNineWithItsVisibilityDelayAndDeadLetterState(@TempDir Path folder)
            throws Exception {
        StackProcess.Options options = new StackProcess.Options(TEMPLATE, folder.resolve("data"), folder.resolve("stack.log"));
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        long inFlightReceivedFrom;
        long delayedSentFrom;
        StackProcess stack = StackProcess.start(options);
        try {
            SqsClient sqs = stack.sqs();
            String work = stack.queueUrl("WorkQueue");

            // GIVEN a message received maxReceiveCount (2) times, so the next receive moves it to WorkDLQ
            sqs.sendMessage(r -> r.queueUrl(work).messageBody("poison"));
            for (int i = 0; i < 2; i++) {
                assertThat(receiveAll(sqs, work, 1, 0)).extracting(Message::body).containsExactly("poison");
            }
            assertThat(sqs.receiveMessage(r -> r.queueUrl(work).waitTimeSeconds(1)).messages()).isEmpty();
            // AND five messages received and deleted
            for (int i = 0; i < 5; i++) {
                String body = "deleted-" + i;
                sqs.sendMessage(r -> r.queueUrl(work).messageBody(body));
            }
            for (Message message : receiveAll(sqs, work, 5, 60)) {
                sqs.deleteMessage(r -> r.queueUrl(work).receiptHandle(message.receiptHandle()));
            }
            // AND five in flight (received, not deleted, hidden for 25 s)
            for (int i = 0; i < 5; i++) {
                String body = "in-flight-" + i;
                sqs.sendMessage(r -> r.queueUrl(work).messageBody(body));
            }
            inFlightReceivedFrom = System.currentTimeMillis();
            assertThat(receiveAll(sqs, work, 5, IN_FLIGHT_VISIBILITY_SECONDS)).hasSize(5);
            // AND one delayed by 20 s, and twenty waiting
            delayedSentFrom = System.currentTimeMillis();
            sqs.sendMessage(r -> r.queueUrl(work).messageBody("delayed").delaySeconds(DELAY_SECONDS));
            for (int i = 0; i < 20; i++) {
                String body = "waiting-" + i;
                sqs.sendMessage(r -> r.queueUrl(work).messageBody(body));
            }

            // WHEN a sender is sending as fast as it can and the stack is killed with SIGKILL mid-stream
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread sender = Thread.ofPlatform().name("sender").start(() -> {
                for (int n = 0; sending.get(); n++) {
                    String body = "acked-" + n;
                    try {
                        sqs.sendMessage(r -> r.queueUrl(work).messageBody(body));
                        acknowledged.add(body);
                    } catch (RuntimeException e) {
                        return; // the stack is gone: this send was never acknowledged
                    }
                }
            });
            while (acknowledged.size() < 100 && sender.isAlive()) {
                Thread.sleep(5);
            }
            stack.kill();
            sending.set(false);
            sender.join();
        } finally {
            stack.close();
        }

        // AND started again on the same data folder
        stack = StackProcess.start(options);
        try {
            SqsClient sqs = stack.sqs();
            String work = stack.queueUrl("WorkQueue");

            // THEN the queue keeps its attributes and redrive policy
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(work)
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            assertThat(attributes).containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "30");
            assertThat(attributes.get(QueueAttributeName.REDRIVE_POLICY)).contains(stack.queues().get("WorkDLQ").arn());

            // AND every acknowledged message comes back exactly once: waiting ones at once, in-flight
            // ones only when their visibility ends, the delayed one only when its delay ends
            List<String> expected = new ArrayList<>(acknowledged);
            for (int i = 0; i < 20; i++) {
                expected.add("waiting-" + i);
            }
            for (int i = 0; i < 5; i++) {
                expected.add("in-flight-" + i);
            }
            expected.add("delayed");
            Map<String, Seen> seen = drain(sqs, work, Duration.ofSeconds(90), expected);
            System.out.printf("acknowledged before the kill: %d; back after the restart: %d; sends in flight at the kill "
                            + "that were kept: %d%n", acknowledged.size(), seen.keySet().stream().filter(acknowledged::contains).count(),
                    seen.keySet().stream().filter(body -> body.startsWith("acked-") && !acknowledged.contains(body)).count());
            assertThat(seen.keySet()).containsAll(expected);
            assertThat(seen.keySet()).allMatch(body -> expected.contains(body) || body.startsWith("acked-"),
                    "only expected messages, or a send in flight at the kill");
            assertThat(seen.values()).allMatch(s -> s.count == 1, "no message twice");
            for (int i = 0; i < 5; i++) {
                Seen inFlight = seen.get("in-flight-" + i);
                assertThat(inFlight.firstAtMillis).isGreaterThanOrEqualTo(inFlightReceivedFrom
                        + IN_FLIGHT_VISIBILITY_SECONDS * 1000L);
                assertThat(inFlight.receiveCount).isEqualTo(2);
            }
            assertThat(seen.get("delayed").firstAtMillis).isGreaterThanOrEqualTo(delayedSentFrom + DELAY_SECONDS * 1000L);

            // AND the dead-lettered message is on the DLQ, and nothing deleted came back
            String dlq = stack.queueUrl("WorkDLQ");
            assertThat(receiveAll(sqs, dlq, 1, 30)).extracting(Message::body).containsExactly("poison");
            assertThat(seen.keySet()).noneMatch(body -> body.startsWith("deleted-") || body.equals("poison"));
        } finally {
            stack.close();
        }
        assertThat(Files.readString(folder.resolve("stack.log"))).doesNotContain("could not restore");
    }

    @Test
    void aStoreReopenedWithChangedQueueAttributesKeepsItsMessagesAndTakesTheNewAttributes(@TempDir Path folder) {
        TemplateModel template = TemplateModel.load(TEMPLATE);
        try (EmbeddedSqs sqs = EmbeddedSqs.start(0, folder)) {
            String work = sqs.createQueues(template.queues().values()).get("WorkQueue").url();
            sqs.client().sendMessage(r -> r.queueUrl(work).messageBody("kept"));
        }
        Map<String, Object> changed = new HashMap<>(template.queues().get("WorkQueue").properties());
        changed.put("VisibilityTimeout", 45);
        List<TemplateModel.Queue> queues = new ArrayList<>();
        for (TemplateModel.Queue queue : template.queues().values()) {
            queues.add(queue.logicalId().equals("WorkQueue")
                    ? new TemplateModel.Queue(queue.logicalId(), changed, queue.deadLetterQueueLogicalId(), queue.maxReceiveCount())
                    : queue);
        }

        try (EmbeddedSqs sqs = EmbeddedSqs.start(0, folder)) {
            String work = sqs.createQueues(queues).get("WorkQueue").url();

            assertThat(sqs.client().getQueueAttributes(r -> r.queueUrl(work).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
                    .attributes()).containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "45");
            assertThat(receiveAll(sqs.client(), work, 1, 30)).extracting(Message::body).containsExactly("kept");
        }
    }

    @Test
    void aSecondMessageStoreInOneJvmIsRefusedWhileTheFirstIsOpen(@TempDir Path folder) {
        try (EmbeddedSqs first = EmbeddedSqs.start(0, folder.resolve("a"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedSqs.start(0, folder.resolve("b")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("one at a time per JVM");
        }
    }

    private static List<Message> receiveAll(SqsClient sqs, String queue, int count, int visibilitySeconds) {
        List<Message> received = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            received.addAll(sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(Math.min(10, count - received.size()))
                    .visibilityTimeout(visibilitySeconds).waitTimeSeconds(1)).messages());
        }
        return received;
    }

    private static final class Seen {
        int count;
        long firstAtMillis;
        int receiveCount;
    }

    /**
     * Receives and deletes until every expected body was seen (then 3 s more, so a copy would show)
     * or the time is up; when each body was first seen, and how often.
     */
    private static Map<String, Seen> drain(SqsClient sqs, String queue, Duration limit, List<String> expected) {
        Map<String, Seen> seen = new HashMap<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (seen.keySet().containsAll(expected)) {
                deadline = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(3).toNanos());
            }
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).visibilityTimeout(120)
                    .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .messages();
            long now = System.currentTimeMillis();
            for (Message message : batch) {
                Seen entry = seen.computeIfAbsent(message.body(), body -> new Seen());
                if (entry.count++ == 0) {
                    entry.firstAtMillis = now;
                    entry.receiveCount = Integer.parseInt(message.attributes()
                            .get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
                }
                sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(message.receiptHandle()));
            }
        }
        return seen;
    }
}
