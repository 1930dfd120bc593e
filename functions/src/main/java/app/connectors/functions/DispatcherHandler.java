package app.connectors.functions;

import app.connectors.log.LogContext;
import app.connectors.metrics.Metrics;
import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.delivery.FanOut;
import app.connectors.event.Event;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import app.connectors.log.Log;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * EventsQueue → fan-out. Each record is one event envelope; a malformed or unknown event is parked
 * on the events dead-letter queue with its reason (never retried, never holding up its batch); a
 * failure to queue the jobs fails only that record (partial batch response), and the retry is safe
 * because delivery ids are deterministic.
 */
public final class DispatcherHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final EventParser parser;
    private final FanOut fanOut;
    private final SqsClient sqs;
    private final String parkingQueueUrl;

    public DispatcherHandler() {
        this(System.getenv());
    }

    /** For the local stack: this function's environment as template.yaml wires it. */
    public DispatcherHandler(Map<String, String> environment) {
        this(Components.from(Settings.from(environment)));
    }

    public DispatcherHandler(Components components) {
        this(EventParser.standard(), components.fanOut(), components.sqs(), components.settings().required(Settings.EVENTS_DLQ_URL));
    }

    DispatcherHandler(EventParser parser, FanOut fanOut, SqsClient sqs, String parkingQueueUrl) {
        this.parser = parser;
        this.fanOut = fanOut;
        this.sqs = sqs;
        this.parkingQueueUrl = parkingQueueUrl;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent batch, Context context) {
        try (LogContext.Scope invocation = Invocation.begin(context)) {
            return handle(batch, context);
        }
    }

    private SQSBatchResponse handle(SQSEvent batch, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : batch.getRecords()) {
            try {
                Event event;
                try {
                    event = parser.parse(message.getBody());
                } catch (InvalidEventException invalid) {
                    park(message, invalid.getMessage());
                    continue;
                }
                FanOut.Result result;
                try (LogContext.Scope ids = LogContext.with("eventId", event.id(), "userId", event.userId())) {
                    result = fanOut.dispatch(event);
                    Metrics.fanOut(result.queued());
                    Log.info("event.dispatched", "type", event.type(), "queued", result.queued(),
                            "disabled", result.disabled(), "filteredOut", result.filteredOut());
                }
            } catch (RuntimeException e) {
                Log.error("event.dispatch_failed", e, "messageId", message.getMessageId());
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private void park(SQSEvent.SQSMessage message, String reason) {
        Log.warn("event.parked", "messageId", message.getMessageId(), "reason", reason);
        sqs.sendMessage(r -> r.queueUrl(parkingQueueUrl).messageBody(message.getBody() == null ? "" : message.getBody())
                .messageAttributes(Map.of("reason", MessageAttributeValue.builder().dataType("String").stringValue(reason).build())));
    }
}
