package app.connectors.functions;

import app.connectors.log.LogContext;
import app.connectors.metrics.Metrics;
import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.delivery.DeliveryTimings;
import app.connectors.delivery.EventStore;
import app.connectors.delivery.EventsQueue;
import app.connectors.delivery.FanOut;
import app.connectors.delivery.FanOutContinuation;
import app.connectors.delivery.SqsEventsQueue;
import app.connectors.event.Event;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import app.connectors.json.Json;
import app.connectors.log.Log;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * EventsQueue → fan-out, first attempts included. The events of a batch fan out concurrently. A
 * malformed or unknown event is parked on the events dead-letter queue with its reason (never
 * retried, never holding up its batch). An event's message is done only when every delivery it
 * started settled (finished, or carried by a job of its own); otherwise it stays and comes back,
 * and the retry is safe because delivery ids are deterministic and the records say what was done.
 * Near its timeout the dispatcher starts no more attempts and queues the rest of a fan-out as a
 * continuation on EventsQueue.
 *
 * <p>A message that comes back (handed out a second time or later: its
 * dispatcher died, or could not settle an attempt) is not fanned out into attempts again: each of
 * its deliveries becomes a job on DeliveriesQueue, and the message goes once they are queued. Its
 * deliveries then no longer hang on a message that a few more crashes would send to EventsDLQ
 * (maxReceiveCount 5), stranding records its first attempts left SENDING, which the reconciler
 * does not index.
 */
public final class DispatcherHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** From this receive on, an event's deliveries are queued as jobs instead of attempted here. */
    static final int QUEUE_FROM_RECEIVE = 2;

    private final EventParser parser;
    private final FanOut fanOut;
    private final FanOut asJobs;
    private final EventsQueue events;
    private final EventStore keptEvents;
    private final DeliveryTimings timings;
    private final Clock clock;

    public DispatcherHandler() {
        this(System.getenv());
    }

    /** For the local stack: this function's environment as template.yaml wires it. */
    public DispatcherHandler(Map<String, String> environment) {
        this(Components.from(Settings.from(environment)));
    }

    public DispatcherHandler(Components components) {
        this(EventParser.standard(), components.fanOut(), components.fanOutAsJobs(), new SqsEventsQueue(components.sqs(),
                components.settings().required(Settings.EVENTS_QUEUE_URL), components.settings().required(Settings.EVENTS_DLQ_URL),
                components.eventStore()), components.eventStore(), components.deliveryTimings(), components.clock());
    }

    DispatcherHandler(EventParser parser, FanOut fanOut, FanOut asJobs, EventsQueue events, EventStore keptEvents,
                      DeliveryTimings timings,
                      Clock clock) {
        this.parser = parser;
        this.fanOut = fanOut;
        this.asJobs = asJobs;
        this.events = events;
        this.keptEvents = keptEvents;
        this.timings = timings;
        this.clock = clock;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent batch, Context context) {
        try (LogContext.Scope invocation = Invocation.begin(context)) {
            return handle(batch, context);
        }
    }

    private SQSBatchResponse handle(SQSEvent batch, Context context) {
        Instant stopStartingAt = clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(timings.dispatchReserve());
        return ConcurrentBatch.run(batch, context, "event", message -> dispatch(message, stopStartingAt));
    }

    /** True when the message is done with: parked, or fanned out with every delivery settled. */
    private boolean dispatch(SQSEvent.SQSMessage message, Instant stopStartingAt) {
        Event event;
        FanOut.Position from = FanOut.Position.START;
        JsonNode body = null;
        try {
            // Only a continuation needs the tree; an event is parsed once, by the parser below.
            body = FanOutContinuation.mayBe(message.getBody()) ? Json.parse(message.getBody()) : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException notJson) {
            // the parser below says what is wrong with it
        }
        try {
            if (FanOutContinuation.isContinuation(body)) {
                FanOutContinuation continuation = FanOutContinuation.from(body, keptEvents);
                event = continuation.event();
                from = continuation.from();
            } else {
                event = parser.parse(message.getBody());
            }
        } catch (InvalidEventException invalid) {
            Log.warn("event.parked", "messageId", message.getMessageId(), "reason", invalid.getMessage());
            events.park(message.getBody(), invalid.getMessage());
            return true;
        }
        try (LogContext.Scope ids = LogContext.with("eventId", event.id(), "userId", event.userId())) {
            boolean cameBack = ConcurrentBatch.receiveCount(message) >= QUEUE_FROM_RECEIVE;
            FanOut.Result result = (cameBack ? asJobs : fanOut).dispatch(event, from, stopStartingAt);
            if (result.continueFrom() != null) {
                events.continueLater(new FanOutContinuation(event, result.continueFrom()));
            }
            Metrics.fanOut(result.attempted());
            Log.info("event.dispatched", "type", event.type(), "attempted", result.attempted(),
                    "disabled", result.disabled(), "filteredOut", result.filteredOut(), "unsettled", result.unsettled(),
                    "continued", result.continueFrom() != null, "queuedAsJobs", cameBack);
            return result.settled();
        }
    }
}
