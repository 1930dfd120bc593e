package app.connectors.local;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * ElasticMQ (an SQS-compatible server) running inside this JVM, with the template's queues and their
 * redrive policies. Queues live in memory: messages do not survive a restart of the stack.
 *
 * <pre>{@code
 * try (EmbeddedSqs sqs = EmbeddedSqs.start(0)) {
 *     Map<String, EmbeddedSqs.QueueAddress> queues = sqs.createQueues(template.queues().values());
 *     sqs.client().sendMessage(r -> r.queueUrl(queues.get("EventsQueue").url()).messageBody("{}"));
 * }
 * }</pre>
 */
public final class EmbeddedSqs implements AutoCloseable {

    /** Where a template queue lives locally: its name (the logical id), URL and ARN as ElasticMQ reports it. */
    public record QueueAddress(String logicalId, String name, String url, String arn) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSqs.class);

    /** CloudFormation queue properties that are SQS attributes of the same name. */
    private static final List<String> PLAIN_ATTRIBUTES = List.of("DelaySeconds", "MaximumMessageSize",
            "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout", "FifoQueue",
            "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit");

    private final SQSRestServer server;
    private final int port;
    private final SqsClient client;

    private EmbeddedSqs(SQSRestServer server, int port) {
        this.server = server;
        this.port = port;
        this.client = LocalClients.sqs(endpoint());
    }

    /** Starts ElasticMQ on the port (0: a free one), bound to the loopback interface. */
    public static EmbeddedSqs start(int port) {
        int chosenPort = port == 0 ? FreePort.find() : port;
        // The node address is what ElasticMQ writes into queue URLs, so it must name the real port.
        SQSRestServer server = SQSRestServerBuilder
                .withInterface("localhost")
                .withPort(chosenPort)
                .withServerAddress(new NodeAddress("http", "localhost", chosenPort, ""))
                .withAWSRegion(LocalEnvironment.REGION)
                .withAWSAccountId(LocalEnvironment.ACCOUNT_ID)
                .start();
        server.waitUntilStarted();
        LOG.info("ElasticMQ on port {}", chosenPort);
        return new EmbeddedSqs(server, chosenPort);
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://localhost:" + port);
    }

    /** A client bound to this instance (local credentials, us-east-1). */
    public SqsClient client() {
        return client;
    }

    /**
     * Creates the queues, each dead-letter queue before the queues that redrive into it.
     *
     * @return the address of every queue, by logical id
     */
    public Map<String, QueueAddress> createQueues(Collection<TemplateModel.Queue> queues) {
        Map<String, QueueAddress> created = new LinkedHashMap<>();
        List<TemplateModel.Queue> pending = new ArrayList<>(queues);
        while (!pending.isEmpty()) {
            TemplateModel.Queue next = pending.stream()
                    .filter(queue -> queue.deadLetterQueueLogicalId() == null
                            || created.containsKey(queue.deadLetterQueueLogicalId()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("queues redrive into missing or circular "
                            + "dead-letter queues: " + pending.stream().map(TemplateModel.Queue::logicalId).toList()));
            created.put(next.logicalId(), create(next, created));
            pending.remove(next);
        }
        return created;
    }

    private QueueAddress create(TemplateModel.Queue queue, Map<String, QueueAddress> created) {
        Map<String, Object> properties = queue.properties();
        boolean fifo = "true".equalsIgnoreCase(String.valueOf(properties.get("FifoQueue")));
        String name = fifo ? queue.logicalId() + ".fifo" : queue.logicalId();
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
        String url = client.createQueue(request -> request.queueName(name).attributesWithStrings(attributes)).queueUrl();
        String arn = client.getQueueAttributes(request -> request.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return new QueueAddress(queue.logicalId(), name, url, arn);
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }
}
