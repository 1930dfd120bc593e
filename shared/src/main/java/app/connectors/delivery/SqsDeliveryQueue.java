package app.connectors.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** {@link DeliveryQueue} on SQS: DeliveriesQueue and its dead-letter queue. */
public final class SqsDeliveryQueue implements DeliveryQueue {

    /** SQS's visibility timeout ceiling. */
    static final Duration MAX_VISIBILITY = Duration.ofHours(12);
    private static final int BATCH = 10;
    /** SQS's limit on a batch's total payload, less a margin for the request's own framing. */
    static final int MAX_BATCH_BYTES = 256 * 1024 - 4 * 1024;
    private static final int SEND_ATTEMPTS = 5;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterQueueUrl;

    public SqsDeliveryQueue(SqsClient sqs, String queueUrl, String deadLetterQueueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
    }

    @Override
    public void enqueue(List<DeliveryJob> jobs) {
        // SQS caps a batch at 10 entries AND 256 KiB in all; events may be large, so batches are cut by both.
        List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
        int batchBytes = 0;
        for (DeliveryJob job : jobs) {
            String body = job.toJson();
            int bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (!batch.isEmpty() && (batch.size() == BATCH || batchBytes + bytes > MAX_BATCH_BYTES)) {
                send(batch);
                batch = new ArrayList<>();
                batchBytes = 0;
            }
            batch.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(batch.size())).messageBody(body).build());
            batchBytes += bytes;
        }
        if (!batch.isEmpty()) {
            send(batch);
        }
    }

    private void send(List<SendMessageBatchRequestEntry> entries) {
        List<SendMessageBatchRequestEntry> pending = entries;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<SendMessageBatchRequestEntry> toSend = pending;
            var response = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(toSend));
            if (response.failed().isEmpty()) {
                return;
            }
            if (attempt >= SEND_ATTEMPTS) {
                throw new IllegalStateException(response.failed().size() + " delivery jobs could not be queued: "
                        + response.failed().get(0).code());
            }
            var failedIds = response.failed().stream().map(f -> f.id()).toList();
            pending = toSend.stream().filter(e -> failedIds.contains(e.id())).toList();
        }
    }

    @Override
    public void retryLater(String receiptHandle, Duration delay) {
        long seconds = Math.max(0, Math.min(MAX_VISIBILITY.minusSeconds(1).toSeconds(), (delay.toMillis() + 999) / 1000));
        sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout((int) seconds));
    }

    @Override
    public void deadLetter(DeliveryJob job, String reason) {
        String shortReason = reason.length() > 256 ? reason.substring(0, 256) : reason;
        sqs.sendMessage(r -> r.queueUrl(deadLetterQueueUrl).messageBody(job.toJson())
                .messageAttributes(Map.of("reason", MessageAttributeValue.builder().dataType("String").stringValue(shortReason).build())));
    }
}
