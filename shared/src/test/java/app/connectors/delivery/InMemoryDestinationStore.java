package app.connectors.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link DestinationStore} in memory with the DynamoDB store's rules: a booking takes the slot that
 * is free now, or the next one within the horizon, and writes the one after it; never inside a
 * pause. Calls are counted by method name; every booked slot is kept ({@link #booked}).
 */
class InMemoryDestinationStore implements DestinationStore {

    private final Map<String, Instant> nextSlot = new HashMap<>();
    private final Map<String, Instant> pausedUntil = new HashMap<>();
    private final Map<String, Instant> failingSince = new HashMap<>();
    private final List<Instant> booked = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    synchronized void forgetCalls() {
        calls.clear();
    }

    synchronized List<Instant> booked() {
        return List.copyOf(booked);
    }

    /** Pretends every slot until {@code until} is taken. */
    synchronized void takenUntil(String connectorId, Instant until) {
        nextSlot.put(connectorId, until);
    }

    synchronized void failingFrom(String connectorId, Instant since) {
        failingSince.put(connectorId, since);
    }

    synchronized boolean failureStreak(String connectorId) {
        return failingSince.containsKey(connectorId);
    }

    synchronized Instant pausedUntil(String connectorId) {
        return pausedUntil.get(connectorId);
    }

    @Override
    public synchronized DestinationState read(String connectorId) {
        calls.add("read");
        return state(connectorId);
    }

    @Override
    public synchronized DestinationState readLatest(String connectorId) {
        calls.add("readLatest");
        return state(connectorId);
    }

    @Override
    public synchronized Booking book(String connectorId, Duration spacing, Instant now, Duration horizon) {
        calls.add("book");
        DestinationState state = state(connectorId);
        if (state.pausedAt(now)) {
            return new Booking.Paused(state);
        }
        Instant next = nextSlot.get(connectorId);
        Instant slot = next == null || !next.isAfter(now) ? now : next;
        if (!slot.isBefore(now.plus(horizon))) {
            return new Booking.Full(slot, state);
        }
        if (state.pausedUntil() != null && state.pausedUntil().isAfter(slot)) {
            return new Booking.Paused(state);
        }
        nextSlot.put(connectorId, slot.plus(spacing));
        booked.add(slot);
        return new Booking.Booked(slot, state);
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

    private DestinationState state(String connectorId) {
        return new DestinationState(pausedUntil.get(connectorId), failingSince.get(connectorId));
    }
}
