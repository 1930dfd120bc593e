package app.connectors.portal;

import java.time.Instant;
import java.util.Optional;

/** Portal link codes and sessions, keyed by the hash of their secret value. */
public interface PortalStore {

    void saveLink(LinkCode link);

    /**
     * Marks the link used and returns it, atomically: of two concurrent redemptions of a valid code
     * exactly one gets {@link Redemption.Redeemed}; the other, and every later one, gets
     * {@link Redemption.AlreadyUsed}. A code past its expiry is {@link Redemption.Expired} and stays unused.
     */
    Redemption redeemLink(String codeHash, Instant now);

    /** The link as stored, read consistently, without using it (empty when no such code was minted). */
    Optional<StoredLink> findLink(String codeHash);

    void saveSession(PortalSession session);

    /** The stored session, read consistently (a logout in another request is seen at once). */
    Optional<PortalSession> findSession(String tokenHash);

    /** Records activity; does nothing when the session has been deleted meanwhile (never resurrects it). */
    void touchSession(String tokenHash, Instant lastSeenAt);

    void deleteSession(String tokenHash);

    /** A single-use link code as stored: its hash, whose portal it opens, until when. */
    record LinkCode(String codeHash, String userId, Instant createdAt, Instant expiresAt) {
    }

    /** A link code and whether it has been used. */
    record StoredLink(LinkCode link, boolean used) {
    }

    /** What redeeming a link code found. */
    sealed interface Redemption {
        record Redeemed(LinkCode link) implements Redemption {
        }

        record AlreadyUsed() implements Redemption {
        }

        record Expired() implements Redemption {
        }

        record Unknown() implements Redemption {
        }
    }
}
