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
import java.util.UUID;

/**
 * {@link DeliveryStore} in memory with the DynamoDB store's rules: a claim creates the record
 * (pending) when new and fails while another lease is live; a release needs the lease it took.
 * Pacing answers the wait a test sets with {@link #nextSlotWait}. Every call is counted by method
 * name ({@link #calls}), so tests can assert how many store round trips a delivery costs.
 */
final class InMemoryDeliveryStore implements DeliveryStore {

    private final Map<String, DeliveryRecord> records = new HashMap<>();
    private final Map<String, String> leaseOwners = new HashMap<>();
    private final Map<String, Instant> leaseUntil = new HashMap<>();
    private final Map<String, Instant> pausedUntil = new HashMap<>();
    private final Map<String, Instant> failingSince = new HashMap<>();
    private final List<Duration> slotIntervals = new ArrayList<>();
    private Duration nextSlotWait = Duration.ZERO;
    private final List<String> calls = new ArrayList<>();

    /** The store methods called so far, in order. */
    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    synchronized void forgetCalls() {
        calls.clear();
    }

    /** The wait the next {@link #reserveSlot} answers. */
    synchronized void nextSlotWait(Duration wait) {
        this.nextSlotWait = wait;
    }

    /** Pretends the connector has been failing since {@code since}. */
    synchronized void failingFrom(String connectorId, Instant since) {
        failingSince.put(connectorId, since);
    }

    synchronized Optional<Instant> pausedUntil(String connectorId) {
        return Optional.ofNullable(pausedUntil.get(connectorId));
    }

    synchronized boolean failureStreak(String connectorId) {
        return failingSince.containsKey(connectorId);
    }

    synchronized List<Duration> slotIntervals() {
        return List.copyOf(slotIntervals);
    }

    /** Holds the record's lease for another worker until {@code until}. */
    synchronized void holdLease(String connectorId, String deliveryId, Instant until) {
        leaseOwners.put(key(connectorId, deliveryId), "another-worker");
        leaseUntil.put(key(connectorId, deliveryId), until);
    }

    synchronized void put(DeliveryRecord record) {
        records.put(key(record.connectorId(), record.deliveryId()), record);
    }

    @Override
    public synchronized Optional<DeliveryRecord> find(String connectorId, String deliveryId) {
        calls.add("find");
        return Optional.ofNullable(records.get(key(connectorId, deliveryId)));
    }

    @Override
    public synchronized Optional<Lease> claim(DeliveryJob job, Instant now, Duration leaseTime) {
        calls.add("claim");
        String key = key(job.connectorId(), job.deliveryId());
        Instant held = leaseUntil.get(key);
        if (held != null && !held.isBefore(now)) {
            return Optional.empty();
        }
        DeliveryRecord record = records.computeIfAbsent(key, k -> new DeliveryRecord(job.connectorId(), job.deliveryId(),
                job.userId(), job.event().id(), job.event().type(), DeliveryStatus.PENDING, 1, 0, List.of(), null, null, now, now,
                job.event()));
        String owner = UUID.randomUUID().toString();
        leaseOwners.put(key, owner);
        leaseUntil.put(key, now.plus(leaseTime));
        return Optional.of(new Lease(record, owner));
    }

    @Override
    public synchronized boolean release(Lease lease, DeliveryRecord updated) {
        calls.add("release");
        String key = key(updated.connectorId(), updated.deliveryId());
        if (!lease.owner().equals(leaseOwners.get(key))) {
            return false;
        }
        records.put(key, updated);
        leaseOwners.remove(key);
        leaseUntil.remove(key);
        return true;
    }

    @Override
    public synchronized Page<DeliveryRecord> list(String connectorId, int limit, String cursor) {
        calls.add("list");
        List<DeliveryRecord> mine = records.values().stream().filter(r -> r.connectorId().equals(connectorId))
                .sorted(Comparator.comparing(DeliveryRecord::createdAt).reversed()).limit(limit).toList();
        return new Page<>(mine, null);
    }

    @Override
    public synchronized Slot reserveSlot(String connectorId, Duration interval, Instant now) {
        calls.add("reserveSlot");
        slotIntervals.add(interval);
        Instant paused = pausedUntil.get(connectorId);
        Duration pause = paused == null || !paused.isAfter(now) ? Duration.ZERO : Duration.between(now, paused);
        return new Slot(pause.compareTo(nextSlotWait) > 0 ? pause : nextSlotWait, failingSince.containsKey(connectorId));
    }

    @Override
    public synchronized void pauseUntil(String connectorId, Instant until) {
        calls.add("pauseUntil");
        pausedUntil.merge(connectorId, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    @Override
    public synchronized Instant failingSince(String connectorId, Instant now) {
        calls.add("failingSince");
        return failingSince.computeIfAbsent(connectorId, id -> now);
    }

    @Override
    public synchronized void clearFailures(String connectorId) {
        calls.add("clearFailures");
        failingSince.remove(connectorId);
    }

    private static String key(String connectorId, String deliveryId) {
        return connectorId + "#" + deliveryId;
    }
}
