package app.connectors.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link TokenStore} in memory, keyed by hash like the Tokens table; records each touch. */
public final class InMemoryTokenStore implements TokenStore {

    private final Map<String, StoredToken> byHash = new ConcurrentHashMap<>();
    private final List<String> touched = new ArrayList<>();

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
    public synchronized void touch(String tokenHash, Instant now, Duration minInterval) {
        touched.add(tokenHash);
    }

    public synchronized List<String> touched() {
        return List.copyOf(touched);
    }

    /** Every stored token, as the table would hold them. */
    public List<StoredToken> all() {
        return List.copyOf(byHash.values());
    }
}
