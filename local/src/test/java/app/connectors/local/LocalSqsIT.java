package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.backend.EmbeddedOnly;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@EmbeddedOnly("a test of the embedded emulator itself")
class LocalSqsIT {

    private static final TemplateModel TEMPLATE = TemplateModel.load(Path.of("src/test/resources/local/test-template.yaml"));
    private static EmbeddedSqs sqs;
    private static Map<String, EmbeddedSqs.QueueAddress> queues;

    @BeforeAll
    static void startElasticMq() {
        sqs = EmbeddedSqs.start(0);
        queues = sqs.createQueues(TEMPLATE.queues().values());
    }

    @AfterAll
    static void stopElasticMq() {
        sqs.close();
    }

    @Test
    void createsEveryQueueWithItsAttributesAndElasticMqArn() {
        assertThat(queues).containsKeys("WorkQueue", "WorkDLQ", "EventsQueue");
        EmbeddedSqs.QueueAddress work = queues.get("WorkQueue");
        assertThat(work.url()).isEqualTo("http://localhost:" + sqs.port() + "/000000000000/WorkQueue");
        assertThat(work.arn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:WorkQueue");
        Map<QueueAttributeName, String> attributes = sqs.client()
                .getQueueAttributes(r -> r.queueUrl(work.url()).attributeNames(QueueAttributeName.ALL)).attributes();
        assertThat(attributes).containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "1");
        assertThat(attributes.get(QueueAttributeName.REDRIVE_POLICY)).contains(queues.get("WorkDLQ").arn())
                .contains("2");
    }

    @Test
    void aMessageReceivedMaxReceiveCountTimesMovesToTheDeadLetterQueue() {
        // GIVEN a message on WorkQueue (maxReceiveCount 2)
        SqsClient client = sqs.client();
        String work = queues.get("WorkQueue").url();
        String dlq = queues.get("WorkDLQ").url();
        client.sendMessage(r -> r.queueUrl(work).messageBody("poison"));

        // WHEN it is received twice and never deleted
        for (int attempt = 1; attempt <= 2; attempt++) {
            Message message = receiveOne(client, work);
            assertThat(message.body()).isEqualTo("poison");
            client.changeMessageVisibility(r -> r.queueUrl(work).receiptHandle(message.receiptHandle()).visibilityTimeout(0));
        }

        // THEN the next receive finds nothing on WorkQueue and the message is on the DLQ
        assertThat(client.receiveMessage(r -> r.queueUrl(work).waitTimeSeconds(1)).messages()).isEmpty();
        assertThat(receiveOne(client, dlq).body()).isEqualTo("poison");
    }

    @Test
    void startMessageMoveTaskRedrivesTheDeadLetterQueueToItsSource() {
        // GIVEN a message parked on the DLQ of EventsQueue-like source WorkQueue
        SqsClient client = sqs.client();
        String dlq = queues.get("WorkDLQ").url();
        String work = queues.get("WorkQueue").url();
        client.sendMessage(r -> r.queueUrl(dlq).messageBody("redrive-me"));

        // WHEN a message move task runs from the DLQ back to WorkQueue (what a RedriveFunction will call)
        client.startMessageMoveTask(r -> r.sourceArn(queues.get("WorkDLQ").arn()).destinationArn(queues.get("WorkQueue").arn()));

        // THEN the message is on WorkQueue again
        Message moved = receiveOne(client, work);
        assertThat(moved.body()).isEqualTo("redrive-me");
        client.deleteMessage(r -> r.queueUrl(work).receiptHandle(moved.receiptHandle()));
    }

    private static Message receiveOne(SqsClient client, String url) {
        for (int i = 0; i < 10; i++) {
            List<Message> messages = client.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1).maxNumberOfMessages(1)).messages();
            if (!messages.isEmpty()) {
                return messages.getFirst();
            }
        }
        throw new AssertionError("no message arrived on " + url);
    }
}
