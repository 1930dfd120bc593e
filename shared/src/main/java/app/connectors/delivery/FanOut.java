package app.connectors.delivery;

import app.connectors.connector.Connector;
import app.connectors.connector.Subscription;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.filter.EventDocument;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The dispatcher's job: find every connector subscribed to an event (its type, and {@code *}),
 * keep the enabled ones whose filter (an {@link app.connectors.filter.EventPattern}) matches and, for a user-targeted event, that user's only; queue
 * one delivery job for each, with the deterministic delivery id.
 *
 * <pre>{@code
 * FanOut.Result result = fanOut.dispatch(event);
 * }</pre>
 */
public final class FanOut {

    /** Jobs are queued in chunks so a 10,000-subscriber event never holds all its jobs in memory. */
    private static final int CHUNK = 100;

    private final SubscriptionStore subscriptions;
    private final DeliveryQueue queue;

    public FanOut(SubscriptionStore subscriptions, DeliveryQueue queue) {
        this.subscriptions = subscriptions;
        this.queue = queue;
    }

    public Result dispatch(Event event) {
        // Built once per event; every subscriber's compiled filter is matched against it.
        JsonNode document = EventDocument.of(event);
        Set<String> seen = new HashSet<>();
        List<DeliveryJob> chunk = new ArrayList<>(CHUNK);
        int[] counts = new int[3];
        for (String type : List.of(event.type(), EventCatalog.WILDCARD)) {
            subscriptions.forEach(type, event.userId(), subscription -> {
                if (!seen.add(subscription.connectorId())) {
                    return;
                }
                if (subscription.status() != Connector.Status.ACTIVE) {
                    counts[1]++;
                } else if (!subscription.filters().matches(document)) {
                    counts[2]++;
                } else {
                    counts[0]++;
                    chunk.add(DeliveryJob.of(event, subscription.userId(), subscription.connectorId()));
                    if (chunk.size() == CHUNK) {
                        queue.enqueue(List.copyOf(chunk));
                        chunk.clear();
                    }
                }
            });
        }
        if (!chunk.isEmpty()) {
            queue.enqueue(List.copyOf(chunk));
        }
        return new Result(counts[0], counts[1], counts[2]);
    }

    /** How an event fanned out: jobs queued, and connectors skipped as disabled or filtered out. */
    public record Result(int queued, int disabled, int filteredOut) {
    }

}
