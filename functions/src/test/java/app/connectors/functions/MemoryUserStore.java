package app.connectors.functions;

import app.connectors.account.Tier;
import app.connectors.account.User;
import app.connectors.account.UserStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link UserStore} in memory (the shared module's test fakes are not on this module's classpath). */
final class MemoryUserStore implements UserStore {

    private final Map<String, User> users = new ConcurrentHashMap<>();

    @Override
    public Optional<User> find(String userId) {
        return Optional.ofNullable(users.get(userId));
    }

    @Override
    public UpsertResult upsert(String userId, Tier tier) {
        User old = users.get(userId);
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        User user = new User(userId, tier, old == null ? 0 : old.connectorCount(), old == null ? now : old.createdAt(), now);
        users.put(userId, user);
        return new UpsertResult(user, old == null, old == null ? null : old.tier());
    }
}
