package app.connectors.local;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API Gateway's authorizer result cache: the policy an authorizer returned is reused for the same
 * identity source value until ReauthorizeEvery seconds have passed (0 disables the cache). Token
 * revocation takes effect only when the cached entry expires, exactly as on AWS. Failed
 * authorizations ("Unauthorized") are not cached, so a freshly issued token works at once.
 */
final class AuthorizerCache {

    private record Entry(AuthorizerDecision decision, Instant expiresAt) {
    }

    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    AuthorizerCache(Clock clock) {
        this.clock = clock;
    }

    Optional<AuthorizerDecision> get(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expiresAt())) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.decision());
    }

    void put(String key, AuthorizerDecision decision, int ttlSeconds) {
        if (ttlSeconds > 0) {
            entries.put(key, new Entry(decision, clock.instant().plusSeconds(ttlSeconds)));
        }
    }
}
