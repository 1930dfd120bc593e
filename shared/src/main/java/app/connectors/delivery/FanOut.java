package app.connectors.delivery;

import app.connectors.connector.Connector;
import app.connectors.connector.Subscription;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.filter.EventDocument;
import app.connectors.log.Log;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dispatcher's job: find every connector subscribed to an event (its type, then {@code *}),
 * keep the enabled ones whose filter (an {@link app.connectors.filter.EventPattern}) matches and, for
 * a user-targeted event, that user's only; and
 * make each one's first attempt right here, where the event already is. Only a delivery that must
 * wait (a retry, a paced slot, a pause) becomes a job on DeliveriesQueue: a healthy fan-out costs no
 * message per delivery, whatever the event's size.
 *
 * <p>Attempts run concurrently, at most {@code concurrency} at a time. The dispatcher watches its
 * time: past {@code stopStartingAt} it starts no more attempts and returns the position it reached,
 * from which a continuation of the fan-out goes on later. An event's message may be deleted only
 * when every attempt it started has {@linkplain Result#settled() settled}: finished, or carried by a
 * job of its own.
 *
 * <pre>{@code
 * FanOut.Result result = fanOut.dispatch(event, FanOut.Position.START, deadline);
 * }</pre>
 */
public final class FanOut {

    /** Makes one delivery's first attempt (the processor, carrying a job that must wait by queueing it). */
    @FunctionalInterface
    public interface FirstAttempt {
        /**
         * @param lease the dispatcher's lease on the fan-out, under which the attempt is made (null
         *              only for tools that fan an event out without delivering it)
         */
        DeliveryOutcome attempt(DeliveryJob job, FanOutLeases.Lease lease);

        /**
         * Makes no attempt: hands every delivery to {@code carrier} as a job, due at once. For an
         * event whose message came back (its dispatcher died, or could not settle an attempt): its
         * deliveries then no longer depend on that message, whose receives are few, but each on a
         * job of its own; the message goes as soon as they are queued. A delivery already made or
         * under way finds its record so and the job is a no-op.
         */
        static FirstAttempt queued(JobCarrier carrier) {
            return (job, lease) -> {
                carrier.carry(job, java.time.Duration.ZERO);
                return new DeliveryOutcome.Carried(java.time.Duration.ZERO, "queued: the event's message came back");
            };
        }
    }

    /**
     * Where a fan-out stands in the subscriptions: the query (the event's type, then the wildcard)
     * and the last subscriber handled in it.
     */
    public record Position(boolean wildcard, String afterSubscriber) {
        public static final Position START = new Position(false, null);
    }

    private final SubscriptionStore subscriptions;
    private final FirstAttempt firstAttempt;
    private final Semaphore running;
    private final Clock clock;

    public FanOut(SubscriptionStore subscriptions, FirstAttempt firstAttempt, int concurrency, Clock clock) {
        this.subscriptions = subscriptions;
        this.firstAttempt = firstAttempt;
        this.running = new Semaphore(concurrency);
        this.clock = clock;
    }

    /**
     * Fans the whole event out, however long it takes, under no lease (tools and tests whose first
     * attempts deliver nothing; the dispatcher takes a lease and watches its time).
     */
    public Result dispatch(Event event) {
        return dispatch(event, Position.START, Instant.MAX, null);
    }

    /**
     * Fans the event out from {@code from}, starting attempts until {@code stopStartingAt}, each
     * under {@code lease}; returns once every attempt it started has ended.
     */
    public Result dispatch(Event event, Position from, Instant stopStartingAt, FanOutLeases.Lease lease) {
        // Built once per event; every subscriber's compiled filter is matched against it.
        JsonNode document = EventDocument.of(event);
        Set<String> seen = new HashSet<>();
        List<CompletableFuture<Void>> started = new ArrayList<>();
        AtomicInteger attempted = new AtomicInteger();
        AtomicInteger unsettled = new AtomicInteger();
        int[] skipped = new int[2];
        Position[] reached = {from};
        boolean[] stopped = {false};
        for (boolean wildcard : new boolean[] {false, true}) {
            if (stopped[0] || (!wildcard && from.wildcard())) {
                continue;
            }
            String after = wildcard == from.wildcard() ? from.afterSubscriber() : null;
            subscriptions.forEach(wildcard ? EventCatalog.WILDCARD : event.type(), event.userId(), after, subscription -> {
                if (!clock.instant().isBefore(stopStartingAt)) {
                    stopped[0] = true;
                    return false;
                }
                Position here = new Position(wildcard, Subscription.subscriberKey(subscription.userId(), subscription.connectorId()));
                if (!seen.add(subscription.connectorId())) {
                    reached[0] = here;
                    return true;
                }
                if (subscription.status() != Connector.Status.ACTIVE) {
                    skipped[0]++;
                } else if (!subscription.filters().matches(document)) {
                    skipped[1]++;
                } else {
                    // Waiting for a free place may take a while: the deadline is judged once there is one.
                    running.acquireUninterruptibly();
                    if (!clock.instant().isBefore(stopStartingAt)) {
                        running.release();
                        stopped[0] = true;
                        return false;
                    }
                    attempted.incrementAndGet();
                    // Which alternative of the filter let the event through (computed only for a top-level $or).
                    String alternative = subscription.filters().matchedAlternative(document).orElse(null);
                    started.add(start(DeliveryJob.of(event, subscription.userId(), subscription.connectorId())
                            .matching(alternative), lease, unsettled));
                }
                reached[0] = here;
                return true;
            });
        }
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        return new Result(attempted.get(), skipped[0], skipped[1], unsettled.get(), stopped[0] ? reached[0] : null);
    }

    /** Starts an attempt on the place its caller took. */
    private CompletableFuture<Void> start(DeliveryJob job, FanOutLeases.Lease lease, AtomicInteger unsettled) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("first-attempt").start(() -> {
            try {
                if (firstAttempt.attempt(job, lease) instanceof DeliveryOutcome.Kept) {
                    unsettled.incrementAndGet();
                }
            } catch (Throwable e) {
                // An Error included: this delivery did not settle, so neither may its event.
                unsettled.incrementAndGet();
                Log.error("fanout.attempt_failed", e, "deliveryId", job.deliveryId(), "connectorId", job.connectorId());
            } finally {
                running.release();
                done.complete(null);
            }
        });
        return done;
    }

    /**
     * How an event fanned out.
     *
     * @param attempted    first attempts started
     * @param disabled     subscribers skipped as disabled
     * @param filteredOut  subscribers whose filters did not match
     * @param unsettled    attempts that could not record their progress: the event must come back
     * @param continueFrom where to go on from, when time ran out before the last subscriber; null when done
     */
    public record Result(int attempted, int disabled, int filteredOut, int unsettled, Position continueFrom) {

        /** Every attempt started is finished or carried by a job of its own. */
        public boolean settled() {
            return unsettled == 0;
        }
    }
}
