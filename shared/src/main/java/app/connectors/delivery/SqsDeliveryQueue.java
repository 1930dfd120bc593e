package app.connectors.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * {@link DeliveryQueue} on SQS: DeliveriesQueue and its dead-letter queue. A job carries its event's
 * envelope as accepted (at most {@link app.connectors.event.EventParser#MAX_BYTES}), so it fits a
 * message. Only an event kept before envelopes were carried as accepted (a copy Jackson wrote again,
 * up to 2.5 times bigger) can make a body pass SQS's 256 KiB: such a job travels without its event,
 * which the event store keeps for it.
 */
public final class SqsDeliveryQueue implements DeliveryQueue {

    private static final int BATCH = 10;
    /** SQS's limit on a batch's total payload, less a margin for the request's own framing. */
    static final int MAX_BATCH_BYTES = 256 * 1024 - 4 * 1024;
    /** A body over this goes without its event (room for the message attributes SQS counts too). */
    static final int MAX_BODY_BYTES = DeliveryJob.MAX_BYTES - 4 * 1024;
    private static final int SEND_ATTEMPTS = 5;
    private static final int MAX_REASON_CHARS = 256;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterQueueUrl;
    private final EventStore events;

    public SqsDeliveryQueue(SqsClient sqs, String queueUrl, String deadLetterQueueUrl, EventStore events) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.events = events;
    }

    @Override
    public void enqueue(List<DeliveryJob> jobs) {
        // SQS caps a batch at 10 entries AND 256 KiB in all; events may be large, so batches are cut by both.
        List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
        int batchBytes = 0;
        for (DeliveryJob job : jobs) {
            String body = bodyOf(job);
            int bytes = body.getBytes(StandardCharsets.UTF_8).length;
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

    @Override
    public void enqueueLater(DeliveryJob job, Duration delay) {
        int seconds = (int) Math.min(DeliveryTimings.MAX_DELAY.toSeconds(), Math.max(0, (delay.toMillis() + 999) / 1000));
        String body = bodyOf(job);
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body).delaySeconds(seconds));
    }

    /** The job's body; without its event (kept in the event store instead) when it would not fit a message. */
    private String bodyOf(DeliveryJob job) {
        String body = job.toJson();
        if (job.event() != null && body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            events.keep(job.event());
            return job.referencingEvent().toJson();
        }
        return body;
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
        long seconds = Math.max(0, Math.min(DeliveryTimings.MAX_VISIBILITY.minusSeconds(1).toSeconds(), (delay.toMillis() + 999) / 1000));
        sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout((int) seconds));
    }

    @Override
    public void deadLetter(DeliveryJob job, String reason) {
        String shortReason = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason;
        String body = bodyOf(job);
        sqs.sendMessage(r -> r.queueUrl(deadLetterQueueUrl).messageBody(body)
                .messageAttributes(Map.of("reason", MessageAttributeValue.builder().dataType("String").stringValue(shortReason).build())));
    }
}
