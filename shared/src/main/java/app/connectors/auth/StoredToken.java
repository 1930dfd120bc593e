package app.connectors.auth;

import java.time.Instant;

/** What is kept of a token: never the token, only its hash and a short display prefix. */
public record StoredToken(String tokenId, String userId, String tokenHash, String prefix, String name,
                          Instant createdAt, Instant lastUsedAt) {
}
