package app.connectors.delivery;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** {@link FanOutLeases} in memory: each take is {@link FanOutLeases#judge}, applied atomically, as the DynamoDB store's conditional write applies it. */
final class InMemoryFanOutLeases implements FanOutLeases {

    private final Map<String, Lease> held = new HashMap<>();

    /**
     * What DynamoDB's TTL does to the stored leases ({@link DynamoDbFanOutLeases}: an item expires
     * {@link DynamoDbDeliveryStore#RETENTION} after its lease): those whose time has come by {@code now} are gone.
     */
    synchronized void expireBy(Instant now) {
        held.values().removeIf(lease -> !lease.until().plus(DynamoDbDeliveryStore.RETENTION).isAfter(now));
    }

    @Override
    public synchronized Taking take(String eventId, FanOut.Position from, String owner, Instant now, Instant until) {
        String key = eventId + " " + FanOutLeases.segment(from);
        Lease current = held.get(key);
        Taking taking = FanOutLeases.judge(current == null ? null : current.owner(), current == null ? null : current.until(),
                eventId, from, owner, now, until);
        switch (taking) {
            case Taking.Fresh fresh -> held.put(key, fresh.lease());
            case Taking.TakenOver takenOver -> held.put(key, takenOver.lease());
            case Taking.Busy busy -> {
            }
        }
        return taking;
    }
}
