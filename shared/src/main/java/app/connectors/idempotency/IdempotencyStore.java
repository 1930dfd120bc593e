package app.connectors.idempotency;

import java.time.Instant;
import java.util.Optional;

/** Idempotency records by (user, key); every change is one conditional write. */
public interface IdempotencyStore {

    /** Stores a new in-progress record unless a live one exists (an expired one is replaced); false when one exists. */
    boolean reserve(IdempotencyRecord record, Instant now);

    /** The record, read consistently. */
    Optional<IdempotencyRecord> find(String userId, String key);

    /** Moves the lock of a dead attempt's record forward; false when another attempt moved it first. */
    boolean takeOver(String userId, String key, Instant expectedLockedUntil, Instant newLockedUntil);

    /** Stores the answer of the attempt holding the record (identified by its reserved id). */
    void complete(String userId, String key, String reservedId, int status, byte[] sealedResponse);

    /** Removes the in-progress record of a refused request, so the key can be used again. */
    void release(String userId, String key, String reservedId);
}
