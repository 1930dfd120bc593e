package app.connectors.delivery;

import app.connectors.connector.Connector;
import app.connectors.connector.Subscription;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.FilterKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dispatcher's job: find every connector subscribed to an event (its type, and {@code *}),
 * keep the enabled ones whose filters match and, for a user-targeted event, that user's only; queue
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
    private final EventCatalog catalog;

    public FanOut(SubscriptionStore subscriptions, DeliveryQueue queue, EventCatalog catalog) {
        this.subscriptions = subscriptions;
        this.queue = queue;
        this.catalog = catalog;
    }

    public Result dispatch(Event event) {
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
                } else if (!matches(subscription.filters(), event)) {
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

    /** All filter keys must match; within a key, any listed value. An unknown key never matches. */
    boolean matches(Map<String, List<String>> filters, Event event) {
        for (var entry : filters.entrySet()) {
            FilterKey key = catalog.filter(entry.getKey()).orElse(null);
            String value = key == null ? null : key.valueIn(event);
            if (value == null || !entry.getValue().contains(value)) {
                return false;
            }
        }
        return true;
    }

    /** How an event fanned out: jobs queued, and connectors skipped as disabled or filtered out. */
    public record Result(int queued, int disabled, int filteredOut) {
    }

}
