package app.connectors.delivery;

import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * {@link EventsQueue} on SQS: EventsQueue itself and its dead-letter queue. A continuation names its
 * event, which is kept in the event store before the continuation is sent.
 */
public final class SqsEventsQueue implements EventsQueue {

    private static final int MAX_REASON_CHARS = 256;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String parkingQueueUrl;
    private final EventStore events;

    public SqsEventsQueue(SqsClient sqs, String queueUrl, String parkingQueueUrl, EventStore events) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.parkingQueueUrl = parkingQueueUrl;
        this.events = events;
    }

    @Override
    public void park(String body, String reason) {
        String shortReason = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason;
        sqs.sendMessage(r -> r.queueUrl(parkingQueueUrl).messageBody(body == null || body.isEmpty() ? "(empty)" : body)
                .messageAttributes(Map.of("reason", MessageAttributeValue.builder().dataType("String").stringValue(shortReason).build())));
    }

    @Override
    public void continueLater(FanOutContinuation continuation) {
        events.keep(continuation.event());
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(continuation.toJson()));
    }
}
