package app.connectors.functions;

import app.connectors.log.LogContext;
import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.delivery.DeliveryJob;
import app.connectors.delivery.DeliveryOutcome;
import app.connectors.delivery.DeliveryProcessor;
import app.connectors.delivery.DeliveryQueue;
import app.connectors.delivery.DeliveryTimings;
import app.connectors.delivery.JobCarrier;
import app.connectors.event.InvalidEventException;
import app.connectors.log.Log;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * DeliveriesQueue → HTTPS. The records of a batch are delivered concurrently (virtual threads), so a
 * destination that hangs for its full deadline does not hold up its neighbours. A message is
 * reported done only when its worker said so; a worker that died (an {@code Error} included) or
 * did not finish in time leaves its message on the queue. A job that waits for a later attempt
 * stays on the queue with its visibility set to that moment, or is carried by a new message when
 * it changed, must wait longer than its message may, or its message nears the queue's receive limit.
 */
public final class DeliverHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** A batch's messages were received at most this long before its invocation began (no batching window). */
    private static final Duration RECEIVE_MARGIN = Duration.ofSeconds(5);
    /** How long a message may live on DeliveriesQueue; template.yaml's MessageRetentionPeriod (a test holds them equal). */
    public static final Duration QUEUE_RETENTION = Duration.ofDays(4);
    /**
     * DeliveriesQueue's maxReceiveCount in template.yaml (a test holds them equal): the receive after
     * this many moves a message to DeliveriesDLQ, whatever its job is waiting for.
     */
    public static final int MAX_RECEIVES = 50;
    /**
     * A job waiting again in a message received this many times goes into a new message instead. Waits
     * (pauses, a paced backlog, a busy lease, a copy not yet due) are receives but not attempts, so a job
     * only ever deferred would otherwise reach DeliveriesDLQ unrecorded. The margin covers SQS's
     * approximate count; a message that keeps failing (its worker dying, its job unreadable) is not
     * carried on, and still reaches the DLQ.
     */
    static final int RENEW_AT_RECEIVE = MAX_RECEIVES - 10;

    private final DeliveryProcessor processor;
    private final DeliveryQueue queue;
    private final Clock clock;
    /** Formats and transforms the catalog's example event for every type, without sending or storing it. */
    private final app.connectors.functions.api.SnapStartPriming priming;

    public DeliverHandler() {
        this(System.getenv());
    }

    /** For the local stack: this function's environment as template.yaml wires it. */
    public DeliverHandler(Map<String, String> environment) {
        this(Components.from(Settings.from(environment)));
    }

    public DeliverHandler(Components components) {
        this(components.deliveryProcessor(), components.deliveryQueue(), components.clock());
    }

    DeliverHandler(DeliveryProcessor processor, DeliveryQueue queue, Clock clock) {
        this.processor = processor;
        this.queue = queue;
        this.clock = clock;
        this.priming = app.connectors.functions.api.SnapStartPriming.register(DeliverHandler::primeFormatting);
    }

    private static void primeFormatting() {
        var example = app.connectors.event.EventCatalog.standard().all().iterator().next().example();
        try {
            var event = app.connectors.event.EventParser.standard().parse(app.connectors.json.Json.write(example));
            for (var type : app.connectors.catalog.ConnectorTypeCatalog.standard().all()) {
                app.connectors.json.Json.writeBytes(app.connectors.format.Formatters.forType(type).format(event));
            }
        } catch (InvalidEventException e) {
            throw new IllegalStateException("the catalog's example event does not parse", e);
        }
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent batch, Context context) {
        try (LogContext.Scope invocation = Invocation.begin(context)) {
            return handle(batch, context);
        }
    }

    private SQSBatchResponse handle(SQSEvent batch, Context context) {
        Instant received = clock.instant().minus(RECEIVE_MARGIN);
        return ConcurrentBatch.run(batch, context, "delivery", message -> deliver(message, received));
    }

    /** True when the message is finished with (delete it), false to keep it on the queue. */
    private boolean deliver(SQSEvent.SQSMessage message, Instant received) {
        DeliveryJob job;
        try {
            job = DeliveryJob.fromJson(message.getBody());
        } catch (InvalidEventException e) {
            // Not a job this service wrote. Keep it: after maxReceiveCount the queue's redrive policy parks it.
            Log.error("delivery.bad_job", null, "messageId", message.getMessageId(), "reason", e.getMessage());
            return false;
        }
        try (LogContext.Scope ids = LogContext.with("deliveryId", job.deliveryId(), "connectorId", job.connectorId(),
                "userId", job.userId(), "eventId", job.eventId(), "messageId", message.getMessageId())) {
            MessageCarrier carrier = new MessageCarrier(message, job, received);
            switch (processor.process(job, carrier)) {
                case DeliveryOutcome.Done d -> {
                    Log.info("delivery.done", "state", d.state() == null ? "none" : d.state().id());
                    return true;
                }
                case DeliveryOutcome.Carried c -> {
                    Log.info("delivery.deferred", "delayMs", c.delay().toMillis(), "reason", c.reason());
                    return carrier.replaced;
                }
                case DeliveryOutcome.Kept k -> {
                    try {
                        queue.retryLater(message.getReceiptHandle(), DeliveryProcessor.KEPT_BACKOFF);
                    } catch (RuntimeException e) {
                        Log.error("delivery.visibility_failed", e);
                    }
                    return false;
                }
            }
        }
    }

    /**
     * Carries a job in the message it came in (a visibility change) when it is the same job and the
     * message may wait that long and be received again; otherwise in a new message, and the old one goes.
     */
    private final class MessageCarrier implements JobCarrier {
        private final SQSEvent.SQSMessage message;
        private final DeliveryJob original;
        private final Instant received;
        private final Instant sent;
        private final int receives;
        volatile boolean replaced;

        MessageCarrier(SQSEvent.SQSMessage message, DeliveryJob original, Instant received) {
            this.message = message;
            this.original = original;
            this.received = received;
            String sentMillis = message.getAttributes() == null ? null : message.getAttributes().get("SentTimestamp");
            this.sent = sentMillis == null ? received : Instant.ofEpochMilli(Long.parseLong(sentMillis));
            this.receives = ConcurrentBatch.receiveCount(message);
        }

        @Override
        public void carry(DeliveryJob job, Duration delay) {
            Instant at = clock.instant().plus(delay);
            Duration margin = processor.timings().functionTimeout();
            boolean withinVisibility = at.isBefore(received.plus(DeliveryTimings.MAX_VISIBILITY).minus(margin));
            boolean withinRetention = at.isBefore(sent.plus(QUEUE_RETENTION).minus(margin));
            boolean withinReceives = receives < RENEW_AT_RECEIVE;
            if (job.equals(original) && withinVisibility && withinRetention && withinReceives) {
                queue.retryLater(message.getReceiptHandle(), delay);
            } else {
                queue.enqueueLater(job, delay);
                replaced = true;
            }
        }
    }
}
