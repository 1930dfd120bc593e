package app.connectors.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Lambda's SQS event source mapping for one function and queue: long-polls the queue, hands each
 * batch to the handler as a real {@link SQSEvent}, and deletes what succeeded. With
 * ReportBatchItemFailures only the records the handler lists stay on the queue; without it a batch
 * is deleted as a whole or not at all; a handler that throws leaves the whole batch to come back
 * after the visibility timeout (and to the DLQ after maxReceiveCount, by the queue's redrive policy).
 *
 * <p>By default one poller thread per event source, so at most one batch of a function runs at a
 * time; that is below any MaximumConcurrency (AWS's minimum is 2) and keeps local runs
 * deterministic. A load test can ask for more: {@code concurrency} threads, each receiving,
 * invoking and deleting its own batches as above, so up to that many batches run at once (as Lambda
 * runs concurrent environments, here sharing one warm handler). A batch holds at most 10 messages
 * (one ReceiveMessage), without a batching window.
 *
 * <pre>{@code
 * SqsPoller poller = SqsPoller.start(function, source, queueAddress, sqsClient, 1);
 * ...
 * poller.close();
 * }</pre>
 */
public final class SqsPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqsPoller.class);
    private static final int SQS_MAX_BATCH = 10;

    private final LocalFunction function;
    private final TemplateModel.SqsEventSource source;
    private final EmbeddedSqs.QueueAddress queue;
    private final SqsClient sqs;
    private final int waitSeconds;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private SqsPoller(LocalFunction function, TemplateModel.SqsEventSource source, EmbeddedSqs.QueueAddress queue,
            SqsClient sqs, int waitSeconds, int concurrency) {
        this.function = function;
        this.source = source;
        this.queue = queue;
        this.sqs = sqs;
        this.waitSeconds = waitSeconds;
        for (int i = 0; i < concurrency; i++) {
            Thread thread = new Thread(this::run, "sqs-" + function.logicalId() + "-" + source.name()
                    + (concurrency == 1 ? "" : "-" + i));
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    /**
     * Starts polling on a thread of its own.
     *
     * @param waitSeconds the long-poll wait (1–2 s keeps shutdown quick; SQS allows up to 20)
     */
    public static SqsPoller start(LocalFunction function, TemplateModel.SqsEventSource source,
            EmbeddedSqs.QueueAddress queue, SqsClient sqs, int waitSeconds) {
        return start(function, source, queue, sqs, waitSeconds, 1);
    }

    /**
     * Starts {@code concurrency} polling threads: up to that many batches of this function run at
     * once. Each thread deletes only the records of its own batch that succeeded.
     */
    public static SqsPoller start(LocalFunction function, TemplateModel.SqsEventSource source,
            EmbeddedSqs.QueueAddress queue, SqsClient sqs, int waitSeconds, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("poller concurrency must be at least 1, got " + concurrency);
        }
        SqsPoller poller = new SqsPoller(function, source, queue, sqs, waitSeconds, concurrency);
        poller.threads.forEach(Thread::start);
        return poller;
    }

    private void run() {
        while (running) {
            try {
                pollOnce();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.error("polling {} for {} failed; retrying in 1 s", queue.name(), function.logicalId(), e);
                sleepQuietly();
            }
        }
    }

    /** One receive, one invocation, the deletes. Visible for tests that drive the poller by hand. */
    void pollOnce() {
        List<Message> messages = sqs.receiveMessage(request -> request
                .queueUrl(queue.url())
                .maxNumberOfMessages(Math.min(source.batchSize(), SQS_MAX_BATCH))
                .waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All")).messages();
        if (messages.isEmpty() || !running) {
            return;
        }
        Object result;
        try {
            result = function.invoke(eventOf(messages, queue));
        } catch (RuntimeException | Error e) {
            LOG.error("{} threw on a batch of {} from {}; the batch returns after the visibility timeout",
                    function.logicalId(), messages.size(), queue.name(), e);
            return;
        }
        Set<String> failed = failedMessageIds(result, messages);
        List<Message> done = messages.stream().filter(message -> !failed.contains(message.messageId())).toList();
        delete(done);
        if (!failed.isEmpty()) {
            LOG.info("{}: {} of {} records failed and return after the visibility timeout",
                    function.logicalId(), failed.size(), messages.size());
        }
    }

    /**
     * The records to keep: none on success without ReportBatchItemFailures; the listed ones with it.
     * As on AWS, an unusable answer (an unknown or empty itemIdentifier) fails the whole batch.
     */
    private Set<String> failedMessageIds(Object result, List<Message> messages) {
        Set<String> all = new HashSet<>();
        messages.forEach(message -> all.add(message.messageId()));
        if (!source.reportBatchItemFailures() || result == null) {
            return Set.of();
        }
        JsonNode response = LambdaJson.MAPPER.valueToTree(result);
        JsonNode failures = null;
        Iterator<String> names = response.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.equalsIgnoreCase("batchItemFailures")) {
                failures = response.get(name);
            }
        }
        if (failures == null || failures.isNull()) {
            return Set.of();
        }
        Set<String> failed = new HashSet<>();
        for (JsonNode failure : failures) {
            JsonNode identifier = null;
            Iterator<String> fields = failure.fieldNames();
            while (fields.hasNext()) {
                String name = fields.next();
                if (name.equalsIgnoreCase("itemIdentifier")) {
                    identifier = failure.get(name);
                }
            }
            if (identifier == null || identifier.asText().isEmpty() || !all.contains(identifier.asText())) {
                LOG.warn("{} reported an unknown batch item failure {}: the whole batch is retried",
                        function.logicalId(), failure);
                return all;
            }
            failed.add(identifier.asText());
        }
        return failed;
    }

    /** The event Lambda's event source mapping hands a function for these messages of this queue. */
    public static SQSEvent eventOf(List<Message> messages, EmbeddedSqs.QueueAddress queue) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message message : messages) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(message.messageId());
            record.setReceiptHandle(message.receiptHandle());
            record.setBody(message.body());
            record.setMd5OfBody(message.md5OfBody());
            record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(queue.arn());
            record.setAwsRegion(LocalEnvironment.REGION);
            record.setAttributes(new LinkedHashMap<>(message.attributesAsStrings()));
            Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
            message.messageAttributes().forEach((name, value) -> attributes.put(name, attribute(value)));
            record.setMessageAttributes(attributes);
            records.add(record);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static SQSEvent.MessageAttribute attribute(MessageAttributeValue value) {
        SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
        attribute.setDataType(value.dataType());
        attribute.setStringValue(value.stringValue());
        if (value.binaryValue() != null) {
            attribute.setBinaryValue(value.binaryValue().asByteBuffer());
        }
        attribute.setStringListValues(value.stringListValues());
        attribute.setBinaryListValues(value.binaryListValues().stream().map(SdkBytes::asByteBuffer).toList());
        return attribute;
    }

    private void delete(List<Message> messages) {
        for (int start = 0; start < messages.size(); start += SQS_MAX_BATCH) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            List<Message> chunk = messages.subList(start, Math.min(messages.size(), start + SQS_MAX_BATCH));
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder()
                        .id(String.valueOf(i)).receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            DeleteMessageBatchResponse response = sqs.deleteMessageBatch(request -> request.queueUrl(queue.url()).entries(entries));
            if (!response.failed().isEmpty()) {
                LOG.warn("{}: could not delete {} processed message(s) from {}; they will be delivered again: {}",
                        function.logicalId(), response.failed().size(), queue.name(), response.failed());
            }
        }
    }

    private static void sleepQuietly() {
        try {
            TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops polling and waits for the batches in flight, if any. */
    @Override
    public void close() {
        running = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds + 5L + function.definition().timeoutSeconds());
        try {
            for (Thread thread : threads) {
                TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, deadline - System.nanoTime()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
