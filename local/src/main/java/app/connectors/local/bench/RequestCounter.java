package app.connectors.local.bench;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Counts what AWS would bill for, on the wire: every SDK request this JVM sends to the counted
 * endpoints while a {@link Tally} is open. Registered for every SDK client of the JVM through the
 * SDK's global interceptor list ({@code software/amazon/awssdk/global/handlers/execution.interceptors}
 * in the local stack's jar), so the product's own clients are counted without changing how they
 * are built; it does nothing while no tally is open.
 *
 * <ul>
 *   <li>DynamoDB: each request is sent with {@code ReturnConsumedCapacity=TOTAL} and the capacity
 *       units in the answer are summed, as write (WRU) or read (RRU) units by operation. A write
 *       refused by its condition answers with no capacity; AWS still charges it, at least 1 WRU,
 *       which is what it is counted as.</li>
 *   <li>SQS: each request is billed per 64 KB chunk of its payload (message bodies and
 *       attributes sent or received), at least one; receives that return nothing are counted
 *       apart (a poller's idle cost, not a delivery's).</li>
 *   <li>KMS: calls, by operation.</li>
 * </ul>
 *
 * <p>A harness keeps its own requests (publishing, reading queue depths) out of the count by
 * sending them with the header {@link #NOT_COUNTED}.
 *
 * <pre>{@code
 * RequestCounter.Tally tally = RequestCounter.start(Set.of(dynamoDbPort, sqsPort, kmsPort));
 * ... // the pipeline runs
 * RequestCounter.stop();
 * tally.sqsBillable(); tally.writeUnits(); tally.requests("dynamodb", "UpdateItem");
 * }</pre>
 */
public final class RequestCounter implements ExecutionInterceptor {

    /** Request header that keeps a harness's own request out of the count. */
    public static final String NOT_COUNTED = "x-cost-harness-not-counted";
    static final long SQS_CHUNK_BYTES = 64 * 1024;

    private static final ExecutionAttribute<Boolean> COUNTED = new ExecutionAttribute<>("CostHarnessCounted");
    private static final Set<String> READS = Set.of("GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems");
    private static volatile Tally active;

    /** Starts counting requests sent to these ports (the local DynamoDB, SQS and KMS endpoints). */
    public static Tally start(Set<Integer> ports) {
        Tally tally = new Tally(Set.copyOf(ports));
        active = tally;
        return tally;
    }

    /** Stops counting; the tally keeps what it counted. */
    public static void stop() {
        active = null;
    }

    /** What was counted while the tally was open. Thread-safe. */
    public static final class Tally {
        private final Set<Integer> ports;
        private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
        private final LongAdder sqsBillable = new LongAdder();
        private final LongAdder sqsEmptyReceives = new LongAdder();
        private final LongAdder sqsMessagesSent = new LongAdder();
        private final DoubleAdder writeUnits = new DoubleAdder();
        private final DoubleAdder readUnits = new DoubleAdder();
        private final LongAdder refusedWrites = new LongAdder();
        private final LongAdder missingCapacity = new LongAdder();

        private Tally(Set<Integer> ports) {
            this.ports = ports;
        }

        /** HTTP requests sent (each retry attempt too), by "service Operation". */
        public Map<String, Long> requests() {
            Map<String, Long> copy = new java.util.TreeMap<>();
            requests.forEach((key, count) -> copy.put(key, count.sum()));
            return copy;
        }

        public long requests(String service, String operation) {
            LongAdder count = requests.get(service + " " + operation);
            return count == null ? 0 : count.sum();
        }

        public long requests(String service) {
            return requests.entrySet().stream().filter(entry -> entry.getKey().startsWith(service + " "))
                    .mapToLong(entry -> entry.getValue().sum()).sum();
        }

        /** SQS requests as billed: 64 KB chunks of payload, at least one a request; empty receives excluded. */
        public long sqsBillable() {
            return sqsBillable.sum();
        }

        public long sqsEmptyReceives() {
            return sqsEmptyReceives.sum();
        }

        /** Messages sent by SendMessage and SendMessageBatch (entries that succeeded or not). */
        public long sqsMessagesSent() {
            return sqsMessagesSent.sum();
        }

        public double writeUnits() {
            return writeUnits.sum();
        }

        public double readUnits() {
            return readUnits.sum();
        }

        /** Conditional writes DynamoDB refused (each counted as 1 WRU in {@link #writeUnits()}). */
        public long refusedWrites() {
            return refusedWrites.sum();
        }

        /** DynamoDB answers that carried no consumed capacity (should be 0: the figures would be short). */
        public long missingCapacity() {
            return missingCapacity.sum();
        }

        public long kmsCalls() {
            return requests("kms");
        }
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (active == null) {
            return context.request();
        }
        // Ask for the capacity each request consumed; the answer is the same otherwise.
        return switch (context.request()) {
            case GetItemRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case PutItemRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case UpdateItemRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case DeleteItemRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case QueryRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case ScanRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case BatchGetItemRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case BatchWriteItemRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case TransactGetItemsRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case TransactWriteItemsRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            default -> context.request();
        };
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Tally tally = active;
        if (tally == null || !tally.ports.contains(context.httpRequest().port())
                || context.httpRequest().firstMatchingHeader(NOT_COUNTED).isPresent()) {
            return;
        }
        attributes.putAttribute(COUNTED, true);
        String key = service(attributes) + " " + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        tally.requests.computeIfAbsent(key, k -> new LongAdder()).increment();
        if (service(attributes).equals("sqs")) {
            // Each attempt is billed; payload chunks beyond the first are added once the answer is in.
            tally.sqsBillable.increment();
        }
    }

    @Override
    public void afterUnmarshalling(Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
        Tally tally = active;
        if (tally == null || !Boolean.TRUE.equals(attributes.getAttribute(COUNTED))) {
            return;
        }
        switch (service(attributes)) {
            case "dynamodb" -> countCapacity(tally, attributes, context.response());
            case "sqs" -> countSqsPayload(tally, context.request(), context.response());
            default -> {
            }
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Tally tally = active;
        if (tally == null || !Boolean.TRUE.equals(attributes.getAttribute(COUNTED))) {
            return;
        }
        if (context.exception() instanceof ConditionalCheckFailedException
                || context.exception() instanceof TransactionCanceledException) {
            tally.refusedWrites.increment();
            tally.writeUnits.add(1);
        }
        if (context.request() instanceof SendMessageBatchRequest batch) {
            tally.sqsMessagesSent.add(batch.entries().size());
        } else if (context.request() instanceof SendMessageRequest) {
            tally.sqsMessagesSent.increment();
        }
    }

    private static void countCapacity(Tally tally, ExecutionAttributes attributes, SdkResponse response) {
        List<ConsumedCapacity> consumed = switch (response) {
            case GetItemResponse r -> listOf(r.consumedCapacity());
            case PutItemResponse r -> listOf(r.consumedCapacity());
            case UpdateItemResponse r -> listOf(r.consumedCapacity());
            case DeleteItemResponse r -> listOf(r.consumedCapacity());
            case QueryResponse r -> listOf(r.consumedCapacity());
            case ScanResponse r -> listOf(r.consumedCapacity());
            case BatchGetItemResponse r -> r.consumedCapacity();
            case BatchWriteItemResponse r -> r.consumedCapacity();
            case TransactGetItemsResponse r -> r.consumedCapacity();
            case TransactWriteItemsResponse r -> r.consumedCapacity();
            default -> null;
        };
        if (consumed == null) {
            return; // an operation without capacity (DescribeTable and the like)
        }
        double units = consumed.stream().filter(java.util.Objects::nonNull)
                .mapToDouble(c -> c.capacityUnits() == null ? 0 : c.capacityUnits()).sum();
        if (consumed.isEmpty() || consumed.stream().allMatch(c -> c == null || c.capacityUnits() == null)) {
            tally.missingCapacity.increment();
        }
        if (READS.contains(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
            tally.readUnits.add(units);
        } else {
            tally.writeUnits.add(units);
        }
    }

    private static List<ConsumedCapacity> listOf(ConsumedCapacity capacity) {
        return capacity == null ? List.of() : java.util.Collections.singletonList(capacity);
    }

    private static void countSqsPayload(Tally tally, SdkRequest request, SdkResponse response) {
        long bytes = 0;
        if (request instanceof SendMessageRequest send) {
            bytes = payloadBytes(send.messageBody(), send.messageAttributes());
            tally.sqsMessagesSent.increment();
        } else if (request instanceof SendMessageBatchRequest batch) {
            for (SendMessageBatchRequestEntry entry : batch.entries()) {
                bytes += payloadBytes(entry.messageBody(), entry.messageAttributes());
            }
            tally.sqsMessagesSent.add(batch.entries().size());
        } else if (response instanceof ReceiveMessageResponse receive) {
            if (receive.messages().isEmpty()) {
                tally.sqsBillable.decrement();
                tally.sqsEmptyReceives.increment();
                return;
            }
            for (Message message : receive.messages()) {
                bytes += payloadBytes(message.body(), message.messageAttributes());
            }
        }
        tally.sqsBillable.add(Math.max(0, chunks(bytes) - 1));
    }

    /** 64 KB chunks of a payload, at least one (an SQS request is billed per chunk). */
    static long chunks(long payloadBytes) {
        return Math.max(1, (payloadBytes + SQS_CHUNK_BYTES - 1) / SQS_CHUNK_BYTES);
    }

    static long payloadBytes(String body, Map<String, MessageAttributeValue> attributes) {
        long bytes = body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, MessageAttributeValue> attribute : attributes.entrySet()) {
            MessageAttributeValue value = attribute.getValue();
            bytes += attribute.getKey().getBytes(StandardCharsets.UTF_8).length
                    + (value.dataType() == null ? 0 : value.dataType().getBytes(StandardCharsets.UTF_8).length)
                    + (value.stringValue() == null ? 0 : value.stringValue().getBytes(StandardCharsets.UTF_8).length)
                    + (value.binaryValue() == null ? 0 : value.binaryValue().asByteArray().length);
        }
        return bytes;
    }

    private static String service(ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        return name == null ? "?" : name.toLowerCase(java.util.Locale.ROOT);
    }

    /** For tests: the ports a collection of endpoints listens on. */
    static Set<Integer> ports(Collection<java.net.URI> endpoints) {
        return endpoints.stream().map(java.net.URI::getPort).collect(java.util.stream.Collectors.toSet());
    }
}
