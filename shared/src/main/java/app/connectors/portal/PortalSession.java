package app.connectors.portal;

import java.time.Duration;
import java.time.Instant;

/**
 * A portal session as stored: never the session token, only its hash. The CSRF token is not stored
 * either; {@link ActiveSession} derives it from the token the cookie carries.
 *
 * @param tokenHash  SHA-256 of the session token (the cookie's value)
 * @param userId     whose connectors the session manages
 * @param createdAt  when the link was opened
 * @param lastSeenAt the last request (recorded at most every {@link PortalSessions#TOUCH_INTERVAL})
 * @param expiresAt  the absolute end, whatever the activity; also the item's TTL
 */
public record PortalSession(String tokenHash, String userId, Instant createdAt, Instant lastSeenAt, Instant expiresAt) {

    /** When the session ends if no further request comes: the earlier of idle timeout and absolute end. */
    public Instant endsAt(Duration idleTimeout) {
        Instant idleEnd = lastSeenAt.plus(idleTimeout);
        return idleEnd.isBefore(expiresAt) ? idleEnd : expiresAt;
    }
}
