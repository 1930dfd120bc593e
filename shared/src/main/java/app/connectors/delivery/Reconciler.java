package app.connectors.delivery;

import app.connectors.event.Event;
import app.connectors.log.Log;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts back the jobs of deliveries left without one. A pending record's job should come for it
 * when due; a record still pending {@link DeliveryTimings#reconcileGrace() a grace period} after
 * that has lost its job (a queue purged or restored, a message that outlived its retention, a
 * bug) and gets a new one. The new job claims the record like any other: if the old job was only
 * late after all, one of the two finds the record taken or done and stops, so nothing is sent twice.
 * The record is first made due now (one conditional write, which also skips a record the index
 * showed stale), so that passes while the queue is behind do not put back a job each for it.
 *
 * <p>Runs on a schedule (ReconcilerFunction in template.yaml, and the same on the local stack).
 *
 * <pre>{@code
 * Reconciler.Result result = reconciler.run();
 * }</pre>
 */
public final class Reconciler {

    /** Jobs put back in one pass at most; the rest wait for the next pass. */
    static final int MAX_PER_RUN = 10_000;
    private static final int BATCH = 10;

    private final DeliveryStore deliveries;
    private final EventStore events;
    private final DeliveryQueue queue;
    private final DeliveryTimings timings;
    private final Clock clock;

    public Reconciler(DeliveryStore deliveries, EventStore events, DeliveryQueue queue, DeliveryTimings timings, Clock clock) {
        this.deliveries = deliveries;
        this.events = events;
        this.queue = queue;
        this.timings = timings;
        this.clock = clock;
    }

    public Result run() {
        Instant dueBefore = clock.instant().minus(timings.reconcileGrace());
        Map<String, Optional<Event>> eventsSeen = new HashMap<>();
        List<DeliveryJob> batch = new ArrayList<>();
        int[] counts = new int[3];
        deliveries.forEachOverdue(dueBefore, overdue -> {
            counts[0]++;
            Optional<Event> event;
            try {
                event = eventsSeen.computeIfAbsent(overdue.eventId(), events::find);
            } catch (RuntimeException e) {
                // One record whose event cannot be read (or a read that failed) must not end the
                // pass: the records after it in the index would never be put back. It is tried
                // again on the next pass.
                Log.error("reconcile.record_failed", e, "deliveryId", overdue.deliveryId(), "connectorId",
                        overdue.connectorId(), "eventId", overdue.eventId());
                return counts[0] < MAX_PER_RUN;
            }
            if (event.isEmpty()) {
                // Kept before any record may say pending, for longer than the record lives: only a
                // record older than its event can get here, and nothing can be sent for it.
                counts[2]++;
                Log.error("reconcile.event_missing", null, "deliveryId", overdue.deliveryId(), "connectorId",
                        overdue.connectorId(), "eventId", overdue.eventId());
                return counts[0] < MAX_PER_RUN;
            }
            if (!deliveries.requeue(overdue, clock.instant())) {
                // Taken, settled or deferred since the index showed it: its own job has it.
                Log.info("reconcile.moved_on", "deliveryId", overdue.deliveryId(), "connectorId", overdue.connectorId());
                return counts[0] < MAX_PER_RUN;
            }
            Log.warn("reconcile.requeued", "deliveryId", overdue.deliveryId(), "connectorId", overdue.connectorId(),
                    "dueAt", overdue.dueAt().toString());
            batch.add(new DeliveryJob(overdue.deliveryId(), overdue.userId(), overdue.connectorId(), overdue.eventId(),
                    event.get(), null, null, null));
            counts[1]++;
            if (batch.size() == BATCH) {
                queue.enqueue(List.copyOf(batch));
                batch.clear();
            }
            // The rest waits for the next pass: no further index page is read for it.
            return counts[0] < MAX_PER_RUN;
        });
        if (!batch.isEmpty()) {
            queue.enqueue(batch);
        }
        return new Result(counts[0], counts[1], counts[2]);
    }

    /**
     * One pass.
     *
     * @param overdue       pending records found past their due time and the grace period
     * @param requeued      jobs put back
     * @param eventMissing  overdue records whose event was no longer kept (logged as errors)
     */
    public record Result(int overdue, int requeued, int eventMissing) {
    }
}
