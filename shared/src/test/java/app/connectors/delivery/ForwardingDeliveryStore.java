package app.connectors.delivery;

import java.time.Duration;
import java.time.Instant;

/** Passes every call to another store; tests override the one they break. */
class ForwardingDeliveryStore implements DeliveryStore {
    private final DeliveryStore delegate;

    ForwardingDeliveryStore(DeliveryStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public java.util.Optional<DeliveryRecord> find(String connectorId, String deliveryId) {
        return delegate.find(connectorId, deliveryId);
    }

    @Override
    public DeliveryStateMachine.Claim claim(DeliveryJob job, String eventType, String owner, Instant now, Duration leaseTime) {
        return delegate.claim(job, eventType, owner, now, leaseTime);
    }

    @Override
    public DeliveryRecord settle(DeliveryRecord sending, String owner, DeliveryStateMachine.Outcome outcome, Instant now)
            throws DeliveryStateMachine.LeaseLost {
        return delegate.settle(sending, owner, outcome, now);
    }

    @Override
    public app.connectors.connector.Page<DeliveryRecord> list(String connectorId, int limit, String cursor) {
        return delegate.list(connectorId, limit, cursor);
    }

    @Override
    public void forEachOverdue(Instant dueBefore, java.util.function.Predicate<Overdue> action) {
        delegate.forEachOverdue(dueBefore, action);
    }

    @Override
    public boolean requeue(Overdue overdue, Instant now) {
        return delegate.requeue(overdue, now);
    }
}
