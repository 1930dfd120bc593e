package app.connectors.functions;

import app.connectors.log.LogContext;
import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.delivery.DeliveryJob;
import app.connectors.delivery.DeliveryOutcome;
import app.connectors.delivery.DeliveryProcessor;
import app.connectors.delivery.DeliveryQueue;
import app.connectors.event.InvalidEventException;
import app.connectors.log.Log;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * DeliveriesQueue → HTTPS. The records of a batch are delivered concurrently (virtual threads), so a
 * destination that hangs for its full 15 s does not hold up its neighbours. A job to retry stays on
 * the queue with its visibility set to the next attempt's time (partial batch failure); a job out of
 * attempts goes to the dead-letter queue.
 */
public final class DeliverHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final DeliveryProcessor processor;
    private final DeliveryQueue queue;
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
        this(components.deliveryProcessor(), components.deliveryQueue());
    }

    DeliverHandler(DeliveryProcessor processor, DeliveryQueue queue) {
        this.processor = processor;
        this.queue = queue;
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
        List<SQSBatchResponse.BatchItemFailure> failures = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (SQSEvent.SQSMessage message : batch.getRecords()) {
                running.add(workers.submit(() -> {
                    if (!deliver(message)) {
                        failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
                    }
                }));
            }
            for (Future<?> task : running) {
                try {
                    task.get();
                } catch (Exception e) {
                    Log.error("delivery.worker_failed", e);
                }
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(new ArrayList<>(failures)).build();
    }

    /** True when the message is finished with (delete it), false to keep it on the queue. */
    private boolean deliver(SQSEvent.SQSMessage message) {
        DeliveryJob job;
        try {
            job = DeliveryJob.fromJson(message.getBody());
        } catch (InvalidEventException e) {
            // Not a job this service wrote. Keep it: after maxReceiveCount the queue's redrive policy parks it.
            Log.error("delivery.bad_job", null, "messageId", message.getMessageId(), "reason", e.getMessage());
            return false;
        }
        try (LogContext.Scope ids = LogContext.with("deliveryId", job.deliveryId(), "connectorId", job.connectorId(),
                "userId", job.userId(), "eventId", job.event().id(), "messageId", message.getMessageId())) {
            DeliveryOutcome outcome = processor.process(job);
            switch (outcome) {
                case DeliveryOutcome.Done done -> {
                    Log.info("delivery.done", "deliveryId", job.deliveryId(), "connectorId", job.connectorId(),
                            "status", done.status().id());
                    return true;
                }
                case DeliveryOutcome.RetryLater later -> {
                    queue.retryLater(message.getReceiptHandle(), later.delay());
                    Log.info("delivery.deferred", "deliveryId", job.deliveryId(), "connectorId", job.connectorId(),
                            "delayMs", later.delay().toMillis(), "reason", later.reason());
                    return false;
                }
                case DeliveryOutcome.Dead dead -> {
                    queue.deadLetter(job.diedIn(dead.series()), dead.reason());
                    Log.warn("delivery.dead", "deliveryId", job.deliveryId(), "connectorId", job.connectorId(),
                            "reason", dead.reason());
                    return true;
                }
            }
        } catch (RuntimeException e) {
            Log.error("delivery.failed", e, "deliveryId", job.deliveryId(), "connectorId", job.connectorId());
            return false;
        }
    }
}
