package app.connectors.delivery;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link FanOutLeases} in memory: each take is {@link FanOutLeases#judge}, applied atomically, as the
 * DynamoDB store's conditional write applies it; items expire as DynamoDB's TTL expires them.
 */
final class InMemoryFanOutLeases implements FanOutLeases {

    private final Map<String, Lease> held = new HashMap<>();
    private final Map<String, Instant> expiresAt = new HashMap<>();

    /** What DynamoDB's TTL does to the stored leases: those whose time has come by {@code now} are gone. */
    synchronized void expireBy(Instant now) {
        expiresAt.entrySet().removeIf(e -> {
            boolean gone = !e.getValue().isAfter(now);
            if (gone) {
                held.remove(e.getKey());
            }
            return gone;
        });
    }

    @Override
    public synchronized Taking take(String eventId, FanOut.Position from, String owner, Instant now, Instant until) {
        String key = eventId + " " + FanOutLeases.segment(from);
        Lease current = held.get(key);
        Taking taking = FanOutLeases.judge(current == null ? null : current.owner(), current == null ? null : current.until(),
                eventId, from, owner, now, until);
        switch (taking) {
            case Taking.Fresh fresh -> keep(key, fresh.lease());
            case Taking.TakenOver takenOver -> keep(key, takenOver.lease());
            case Taking.Busy busy -> {
            }
        }
        return taking;
    }

    @Override
    public synchronized void retain(String eventId, Instant now) {
        String segment = FanOutLeases.segment(FanOut.Position.START);
        String key = eventId + " " + segment;
        held.putIfAbsent(key, new Lease(eventId, segment, "retained", Instant.EPOCH));
        expiresAt.put(key, now.plus(KEPT_AFTER_WRITE));
    }

    private void keep(String key, Lease lease) {
        held.put(key, lease);
        expiresAt.put(key, lease.until().plus(KEPT_AFTER_WRITE));
    }
}
