package app.connectors.delivery;

import app.connectors.connector.Subscription;
import java.util.function.Consumer;

/**
 * The subscriptions the dispatcher reads: every (event type, connector) pair, page by page, so one
 * event can fan out to many thousands of connectors in bounded memory.
 */
public interface SubscriptionStore {

    /** Every subscription of {@code eventType}; only {@code userId}'s when it is not null. */
    void forEach(String eventType, String userId, Consumer<Subscription> action);
}
