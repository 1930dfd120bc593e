package app.connectors.account;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link UserStore} in memory; the connector count is changed by the fake connector store, as the real transaction does. */
public final class InMemoryUserStore implements UserStore {

    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryUserStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<User> find(String userId) {
        return Optional.ofNullable(users.get(userId));
    }

    @Override
    public UpsertResult upsert(String userId, Tier tier) {
        User old = users.get(userId);
        var now = clock.instant();
        User user = old == null ? new User(userId, tier, 0, now, now)
                : new User(userId, tier, old.connectorCount(), old.createdAt(), now);
        users.put(userId, user);
        return new UpsertResult(user, old == null, old == null ? null : old.tier());
    }

    /** Adds {@code delta} to the user's connector count. */
    public void addToCount(String userId, int delta) {
        users.computeIfPresent(userId, (id, u) -> new User(id, u.tier(), u.connectorCount() + delta, u.createdAt(), u.updatedAt()));
    }

    public void remove(String userId) {
        users.remove(userId);
    }
}
