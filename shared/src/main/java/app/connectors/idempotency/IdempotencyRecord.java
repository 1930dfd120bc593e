package app.connectors.idempotency;

import java.time.Instant;

/**
 * What is kept for one {@code Idempotency-Key} of one user.
 *
 * @param fingerprint    SHA-256 of the request body (canonical JSON), to tell a retry from a different request
 * @param reservedId     the id the operation uses for what it creates, fixed at the first attempt, so that a
 *                       retry after a crash finds the same resource instead of making a second one
 * @param lockedUntil    while {@link State#IN_PROGRESS}: until when the attempt holding the key may still be
 *                       running; after it, another attempt may take over
 * @param status         the stored answer's HTTP status, once {@link State#COMPLETED}
 * @param sealedResponse the stored answer (JSON of status, headers and body), encrypted, once completed:
 *                       it may show a secret once (a generic connector's signing secret)
 * @param expiresAt      when the key may be used again for anything (24 h after the first use)
 */
public record IdempotencyRecord(
        String userId,
        String key,
        String fingerprint,
        String reservedId,
        State state,
        Instant lockedUntil,
        int status,
        byte[] sealedResponse,
        Instant createdAt,
        Instant expiresAt) {

    /** An attempt is running (or died running), or the answer is stored. */
    public enum State {
        IN_PROGRESS, COMPLETED
    }
}
