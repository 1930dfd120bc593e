package app.connectors.delivery;

import app.connectors.connector.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@link DeliveryStore} in memory: each claim and settle is {@link DeliveryStateMachine}'s transition,
 * applied atomically, exactly as the DynamoDB store's conditional writes apply it. Every call is
 * counted by method name ({@link #calls}), so tests can assert how many store round trips a
 * delivery costs.
 */
final class InMemoryDeliveryStore implements DeliveryStore {

    private final Map<String, DeliveryRecord> records = new HashMap<>();
    /** Where a restart retains its event's fan-out lease, as the DynamoDB store does on its table; none when absent. */
    private final FanOutLeases fanOutLeases;

    InMemoryDeliveryStore() {
        this(null);
    }

    InMemoryDeliveryStore(FanOutLeases fanOutLeases) {
        this.fanOutLeases = fanOutLeases;
    }
    private final List<String> calls = new ArrayList<>();

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    synchronized void forgetCalls() {
        calls.clear();
    }

    synchronized void put(DeliveryRecord record) {
        records.put(key(record.connectorId(), record.deliveryId()), record);
    }

    synchronized List<DeliveryRecord> all() {
        return List.copyOf(records.values());
    }

    @Override
    public synchronized Optional<DeliveryRecord> find(String connectorId, String deliveryId) {
        calls.add("find");
        return Optional.ofNullable(records.get(key(connectorId, deliveryId)));
    }

    @Override
    public synchronized DeliveryStateMachine.Claim claim(DeliveryJob job, String eventType, String owner, Instant now,
                                                         Duration leaseTime) {
        calls.add("claim");
        if (job.restarts() != null && fanOutLeases != null) {
            fanOutLeases.retain(job.eventId(), now);
        }
        String key = key(job.connectorId(), job.deliveryId());
        DeliveryStateMachine.Claim claim = DeliveryStateMachine.claim(records.get(key), job, eventType, owner, now, leaseTime);
        if (claim instanceof DeliveryStateMachine.Claim.Taken taken) {
            records.put(key, taken.record());
        }
        return claim;
    }

    @Override
    public synchronized DeliveryRecord settle(DeliveryRecord sending, String owner, DeliveryStateMachine.Outcome outcome,
                                              Instant now) throws DeliveryStateMachine.LeaseLost {
        calls.add("settle");
        String key = key(sending.connectorId(), sending.deliveryId());
        if (!DeliveryStateMachine.mayWrite(records.get(key), sending.lease())) {
            throw new DeliveryStateMachine.LeaseLost(sending.deliveryId());
        }
        DeliveryRecord next = DeliveryStateMachine.settle(sending, owner, outcome, now);
        records.put(key, next);
        return next;
    }

    @Override
    public synchronized Page<DeliveryRecord> list(String connectorId, int limit, String cursor) {
        calls.add("list");
        List<DeliveryRecord> mine = records.values().stream().filter(r -> r.connectorId().equals(connectorId))
                .sorted(Comparator.comparing(DeliveryRecord::deliveryId).reversed()).limit(limit).toList();
        return new Page<>(mine, null);
    }

    @Override
    public synchronized boolean requeue(Overdue overdue, Instant now) {
        calls.add("requeue");
        String key = key(overdue.connectorId(), overdue.deliveryId());
        var next = DeliveryStateMachine.requeue(records.get(key), overdue.dueAt(), now);
        next.ifPresent(r -> records.put(key, r));
        return next.isPresent();
    }

    @Override
    public void forEachOverdue(Instant dueBefore, Predicate<Overdue> action) {
        List<Overdue> overdue = new ArrayList<>();
        synchronized (this) {
            calls.add("forEachOverdue");
            for (DeliveryRecord r : records.values()) {
                if (r.state() == DeliveryState.PENDING && r.dueAt().isBefore(dueBefore)) {
                    overdue.add(new Overdue(r.connectorId(), r.deliveryId(), r.userId(), r.eventId(), r.dueAt()));
                }
            }
        }
        for (Overdue o : overdue) {
            if (!action.test(o)) {
                return;
            }
        }
    }

    private static String key(String connectorId, String deliveryId) {
        return connectorId + "#" + deliveryId;
    }
}
