package app.connectors.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

/**
 * The template's SQS queues with their redrive policies, created on any SQS: the embedded ElasticMQ
 * or an external endpoint (moto, LocalStack).
 *
 * <pre>{@code
 * Map<String, EmbeddedSqs.QueueAddress> queues = TemplateQueues.create(client, template.queues().values(), "");
 * }</pre>
 */
final class TemplateQueues {

    /** CloudFormation queue properties that are SQS attributes of the same name. */
    private static final List<String> PLAIN_ATTRIBUTES = List.of("DelaySeconds", "MaximumMessageSize",
            "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout", "FifoQueue",
            "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit");

    private TemplateQueues() {
    }

    /**
     * The queues to create for a template: its SQS queues, and one queue standing in for each SNS topic
     * (named like the topic), because the local stack has no SNS: functions publish to the stand-in
     * (see {@code LOCAL_SNS_STAND_INS}) and {@code bin/local} reads it.
     */
    static List<TemplateModel.Queue> ofTemplate(TemplateModel template) {
        List<TemplateModel.Queue> queues = new ArrayList<>(template.queues().values());
        for (String topic : template.resourcesOfType("AWS::SNS::Topic")) {
            queues.add(new TemplateModel.Queue(topic, Map.of(), null, null));
        }
        return queues;
    }

    /**
     * Creates the queues, named {@code namePrefix + logicalId}, each dead-letter queue before the
     * queues that redrive into it. A queue that exists already keeps its messages and takes the
     * template's attributes.
     *
     * @return the address of every queue, by logical id
     */
    static Map<String, EmbeddedSqs.QueueAddress> create(SqsClient client, Collection<TemplateModel.Queue> queues,
                                                        String namePrefix) {
        Map<String, EmbeddedSqs.QueueAddress> created = new LinkedHashMap<>();
        List<TemplateModel.Queue> pending = new ArrayList<>(queues);
        while (!pending.isEmpty()) {
            TemplateModel.Queue next = pending.stream()
                    .filter(queue -> queue.deadLetterQueueLogicalId() == null
                            || created.containsKey(queue.deadLetterQueueLogicalId()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("queues redrive into missing or circular "
                            + "dead-letter queues: " + pending.stream().map(TemplateModel.Queue::logicalId).toList()));
            created.put(next.logicalId(), create(client, next, namePrefix, created));
            pending.remove(next);
        }
        return created;
    }

    private static EmbeddedSqs.QueueAddress create(SqsClient client, TemplateModel.Queue queue, String namePrefix,
                                                   Map<String, EmbeddedSqs.QueueAddress> created) {
        Map<String, Object> properties = queue.properties();
        boolean fifo = "true".equalsIgnoreCase(String.valueOf(properties.get("FifoQueue")));
        String name = namePrefix + queue.logicalId() + (fifo ? ".fifo" : "");
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String attribute : PLAIN_ATTRIBUTES) {
            if (properties.get(attribute) != null) {
                attributes.put(attribute, String.valueOf(properties.get(attribute)));
            }
        }
        if (queue.deadLetterQueueLogicalId() != null) {
            attributes.put(QueueAttributeName.REDRIVE_POLICY.toString(),
                    "{\"deadLetterTargetArn\":\"" + created.get(queue.deadLetterQueueLogicalId()).arn()
                            + "\",\"maxReceiveCount\":\"" + queue.maxReceiveCount() + "\"}");
        }
        String url;
        try {
            url = client.createQueue(request -> request.queueName(name).attributesWithStrings(attributes)).queueUrl();
        } catch (QueueNameExistsException e) {
            // Kept from an earlier run (a restored message store, an external emulator) with other
            // attributes (the template changed since): keep its messages, take the template's attributes.
            url = client.getQueueUrl(request -> request.queueName(name)).queueUrl();
            String existing = url;
            Map<String, String> settable = new LinkedHashMap<>(attributes);
            settable.remove("FifoQueue");
            client.setQueueAttributes(request -> request.queueUrl(existing).attributesWithStrings(settable));
        }
        String queueUrl = url;
        String arn = client.getQueueAttributes(request -> request.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return new EmbeddedSqs.QueueAddress(queue.logicalId(), name, queueUrl, arn);
    }
}
