package app.connectors.idempotency;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link IdempotencyStore} in a map, with the DynamoDB store's conditions. */
final class InMemoryIdempotencyStore implements IdempotencyStore {

    private final Map<String, IdempotencyRecord> records = new HashMap<>();

    @Override
    public synchronized boolean reserve(IdempotencyRecord record, Instant now) {
        IdempotencyRecord existing = records.get(id(record.userId(), record.key()));
        if (existing != null && !existing.expiresAt().isBefore(now)) {
            return false;
        }
        records.put(id(record.userId(), record.key()), record);
        return true;
    }

    @Override
    public synchronized Optional<IdempotencyRecord> find(String userId, String key) {
        return Optional.ofNullable(records.get(id(userId, key)));
    }

    @Override
    public synchronized boolean takeOver(String userId, String key, Instant expectedLockedUntil, Instant newLockedUntil) {
        IdempotencyRecord r = records.get(id(userId, key));
        if (r == null || r.state() != IdempotencyRecord.State.IN_PROGRESS || !r.lockedUntil().equals(expectedLockedUntil)) {
            return false;
        }
        records.put(id(userId, key), new IdempotencyRecord(r.userId(), r.key(), r.fingerprint(), r.reservedId(), r.state(),
                newLockedUntil, r.status(), r.sealedResponse(), r.createdAt(), r.expiresAt()));
        return true;
    }

    @Override
    public synchronized void complete(String userId, String key, String reservedId, int status, byte[] sealedResponse) {
        IdempotencyRecord r = records.get(id(userId, key));
        if (r != null && r.reservedId().equals(reservedId)) {
            records.put(id(userId, key), new IdempotencyRecord(r.userId(), r.key(), r.fingerprint(), r.reservedId(),
                    IdempotencyRecord.State.COMPLETED, r.lockedUntil(), status, sealedResponse, r.createdAt(), r.expiresAt()));
        }
    }

    @Override
    public synchronized void release(String userId, String key, String reservedId) {
        IdempotencyRecord r = records.get(id(userId, key));
        if (r != null && r.reservedId().equals(reservedId) && r.state() == IdempotencyRecord.State.IN_PROGRESS) {
            records.remove(id(userId, key));
        }
    }

    synchronized Optional<IdempotencyRecord> record(String userId, String key) {
        return Optional.ofNullable(records.get(id(userId, key)));
    }

    private static String id(String userId, String key) {
        return userId + "\n" + key;
    }
}
