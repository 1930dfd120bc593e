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
import app.connectors.delivery.FanOutLeases;
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
import java.util.UUID;

/**
 * EventsQueue → fan-out, first attempts included. The events of a batch fan out concurrently. A
 * malformed or unknown event is parked on the events dead-letter queue with its reason (never
 * retried, never holding up its batch). An event's message is done only when every delivery it
 * started settled (finished, or carried by a job of its own); otherwise it stays and comes back,
 * and the retry is safe because delivery ids are deterministic and the records say what was done.
 * Near its timeout the dispatcher starts no more attempts and queues the rest of a fan-out as a
 * continuation on EventsQueue.
 *
 * <p>Before it attempts anything, the dispatcher takes its lease on the fan-out (the event, from
 * where this message starts it; {@link FanOutLeases}) until the end of its invocation, and its
 * first attempts run under that lease, writing no claims of their own. A lease on the start of a
 * fan-out that nobody held before means nothing was attempted: first attempts here. A lease taken
 * over from a holder whose time ran out (it died, or could not settle an attempt) means some
 * deliveries may have been attempted, and so may a continuation's, whatever its take came to (its
 * segment is one of several passes over the event; {@link FanOutLeases#attemptsInPlace}): each
 * becomes a job on DeliveriesQueue, which claims its record before it sends, and the message
 * goes once they are queued; its deliveries then no longer hang on a message that a few more
 * crashes would send to EventsDLQ (maxReceiveCount 5). A lease another dispatcher holds (a copy of
 * the message, or the event published twice) leaves the message to come back after its visibility
 * timeout, which outlasts any lease.
 */
public final class DispatcherHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final EventParser parser;
    private final FanOut fanOut;
    private final FanOut asJobs;
    private final FanOutLeases leases;
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
        this(EventParser.standard(), components.fanOut(), components.fanOutAsJobs(), components.fanOutLeases(), new SqsEventsQueue(components.sqs(),
                components.settings().required(Settings.EVENTS_QUEUE_URL), components.settings().required(Settings.EVENTS_DLQ_URL),
                components.eventStore()), components.eventStore(), components.deliveryTimings(), components.clock());
    }

    DispatcherHandler(EventParser parser, FanOut fanOut, FanOut asJobs, FanOutLeases leases, EventsQueue events, EventStore keptEvents,
                      DeliveryTimings timings,
                      Clock clock) {
        this.parser = parser;
        this.fanOut = fanOut;
        this.asJobs = asJobs;
        this.leases = leases;
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
        Instant deadline = clock.instant().plusMillis(context.getRemainingTimeInMillis());
        Instant stopStartingAt = deadline.minus(timings.dispatchReserve());
        return ConcurrentBatch.run(batch, context, "event", message -> dispatch(message, stopStartingAt, deadline));
    }

    /**
     * True when the message is done with: parked, or fanned out with every delivery settled.
     *
     * @param deadline when the invocation ends: the fan-out's lease runs until then, and no attempt
     *                 under it starts a send that could outlast it
     */
    private boolean dispatch(SQSEvent.SQSMessage message, Instant stopStartingAt, Instant deadline) {
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
            FanOutLeases.Taking taking = leases.take(event.id(), from, UUID.randomUUID().toString(), clock.instant(), deadline);
            FanOutLeases.Lease lease;
            switch (taking) {
                case FanOutLeases.Taking.Fresh fresh -> lease = fresh.lease();
                case FanOutLeases.Taking.TakenOver takenOver -> lease = takenOver.lease();
                case FanOutLeases.Taking.Busy busy -> {
                    Log.info("event.busy", "type", event.type(), "leasedUntil", busy.until().toString());
                    return false;
                }
            }
            // First attempts in place only at the start of a fan-out nobody took; a continuation's
            // deliveries, and a taken-over fan-out's, go as jobs that claim their records.
            boolean inPlace = FanOutLeases.attemptsInPlace(taking, from);
            FanOut.Result result = (inPlace ? fanOut : asJobs).dispatch(event, from, stopStartingAt, lease);
            if (result.continueFrom() != null) {
                events.continueLater(new FanOutContinuation(event, result.continueFrom()));
            }
            Metrics.fanOut(result.attempted());
            Log.info("event.dispatched", "type", event.type(), "attempted", result.attempted(),
                    "disabled", result.disabled(), "filteredOut", result.filteredOut(), "unsettled", result.unsettled(),
                    "continued", result.continueFrom() != null, "queuedAsJobs", !inPlace);
            return result.settled();
        }
    }
}
