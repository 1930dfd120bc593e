package app.connectors.functions;

import app.connectors.log.Log;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs the records of an SQS batch at once, each on a virtual thread, and answers which stay on the
 * queue: every record whose handling did not say it was done. A handling that threw, an
 * {@code Error} included, or that had not finished shortly before Lambda's timeout, leaves its
 * record on the queue to come back.
 *
 * <pre>{@code
 * return ConcurrentBatch.run(batch, context, "delivery", message -> deliver(message));
 * }</pre>
 */
final class ConcurrentBatch {

    /** Room kept before Lambda's timeout to answer which records are done. */
    private static final long WRAP_UP_MILLIS = 2_000;

    private ConcurrentBatch() {
    }

    /**
     * @param logPrefix names the log events ({@code <prefix>.worker_failed}, {@code <prefix>.batch_overran})
     * @param handle    true when the record is finished with (Lambda may delete it)
     */
    static SQSBatchResponse run(SQSEvent batch, Context context, String logPrefix, Predicate<SQSEvent.SQSMessage> handle) {
        long waitMillis = Math.max(0, context.getRemainingTimeInMillis() - WRAP_UP_MILLIS);
        Set<String> done = ConcurrentHashMap.newKeySet();
        CountDownLatch finished = new CountDownLatch(batch.getRecords().size());
        for (SQSEvent.SQSMessage message : batch.getRecords()) {
            Thread.ofVirtual().name(logPrefix + "-" + message.getMessageId()).start(() -> {
                try {
                    if (handle.test(message)) {
                        done.add(message.getMessageId());
                    }
                } catch (Throwable e) {
                    // An Error too: the record was not dealt with, so it stays on the queue.
                    Log.error(logPrefix + ".worker_failed", e, "messageId", message.getMessageId());
                } finally {
                    finished.countDown();
                }
            });
        }
        try {
            if (!finished.await(waitMillis, TimeUnit.MILLISECONDS)) {
                Log.error(logPrefix + ".batch_overran", null, "unfinished", finished.getCount());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : batch.getRecords()) {
            if (!done.contains(message.getMessageId())) {
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** How often SQS has handed this message out, this time included (1 when it does not say). */
    static int receiveCount(SQSEvent.SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
