package app.connectors.delivery;

import app.connectors.connector.Subscription;
import java.util.function.Predicate;

/**
 * The subscriptions the dispatcher reads: every (event type, connector) pair, page by page, so one
 * event can fan out to many thousands of connectors in bounded memory.
 */
public interface SubscriptionStore {

    /**
     * Every subscription of {@code eventType} in subscriber order (only {@code userId}'s when it is not
     * null), starting after {@code afterSubscriber} when it is not null, until {@code action} returns false.
     */
    void forEach(String eventType, String userId, String afterSubscriber, Predicate<Subscription> action);
}
