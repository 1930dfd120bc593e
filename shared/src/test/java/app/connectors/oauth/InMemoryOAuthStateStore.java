package app.connectors.oauth;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link OAuthStateStore} in memory; a take removes atomically, as the table's conditional delete does. */
public final class InMemoryOAuthStateStore implements OAuthStateStore {

    private final Map<String, PendingConnect> pending = new ConcurrentHashMap<>();

    @Override
    public void save(PendingConnect flow) {
        if (pending.putIfAbsent(flow.stateHash(), flow) != null) {
            throw new IllegalStateException("state hash collision");
        }
    }

    @Override
    public Optional<PendingConnect> take(String stateHash) {
        return Optional.ofNullable(pending.remove(stateHash));
    }

    public Map<String, PendingConnect> pending() {
        return Map.copyOf(pending);
    }
}
