package app.connectors.functions;

import app.connectors.auth.StoredToken;
import app.connectors.auth.TokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link TokenStore} in memory, keyed by hash like the Tokens table. */
final class MemoryTokenStore implements TokenStore {

    private final Map<String, StoredToken> byHash = new ConcurrentHashMap<>();

    @Override
    public void save(StoredToken token) {
        byHash.put(token.tokenHash(), token);
    }

    @Override
    public Optional<StoredToken> findByHash(String tokenHash) {
        return Optional.ofNullable(byHash.get(tokenHash));
    }

    @Override
    public List<StoredToken> listByUser(String userId) {
        return byHash.values().stream().filter(t -> t.userId().equals(userId)).toList();
    }

    @Override
    public boolean delete(String userId, String tokenId) {
        return byHash.values().removeIf(t -> t.userId().equals(userId) && t.tokenId().equals(tokenId));
    }

    @Override
    public void touch(String tokenHash, Instant now, Duration minInterval) {
        // Use is not recorded here.
    }
}
