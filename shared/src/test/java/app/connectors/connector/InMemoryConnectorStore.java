package app.connectors.connector;

import app.connectors.account.InMemoryUserStore;
import app.connectors.account.Tier;
import app.connectors.problem.ConflictException;
import app.connectors.problem.NotFoundException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@link ConnectorStore} in memory with the conditions of the DynamoDB transactions: create needs
 * the user to exist, still be on {@code tier} and be under {@code limit}, and bumps the user's
 * count; update needs the expected version; delete gives the slot back.
 */
public final class InMemoryConnectorStore implements ConnectorStore {

    private final InMemoryUserStore users;
    private final Map<String, Connector> connectors = new LinkedHashMap<>();
    /** Runs just before the create's condition is judged: lets a test play a concurrent writer. */
    private Runnable beforeCreate = () -> { };

    public InMemoryConnectorStore(InMemoryUserStore users) {
        this.users = users;
    }

    public void beforeCreate(Runnable action) {
        this.beforeCreate = action;
    }

    @Override
    public synchronized void create(Connector connector, Tier tier, OptionalInt limit) {
        beforeCreate.run();
        var user = users.find(connector.userId()).orElseThrow(QuotaReachedException::new);
        if (user.tier() != tier || (limit.isPresent() && user.connectorCount() >= limit.getAsInt())) {
            throw new QuotaReachedException();
        }
        if (connectors.containsKey(key(connector.userId(), connector.id()))) {
            throw new AlreadyExistsException();
        }
        connectors.put(key(connector.userId(), connector.id()), connector);
        users.addToCount(connector.userId(), 1);
    }

    @Override
    public synchronized Optional<Connector> find(String userId, String connectorId) {
        return Optional.ofNullable(connectors.get(key(userId, connectorId)));
    }

    @Override
    public synchronized Page<Connector> list(String userId, int limit, String cursor) {
        List<Connector> mine = new ArrayList<>(connectors.values().stream().filter(c -> c.userId().equals(userId))
                .sorted(Comparator.comparing(Connector::id)).toList());
        int start = cursor == null ? 0 : Integer.parseInt(cursor);
        int end = Math.min(mine.size(), start + limit);
        return new Page<>(List.copyOf(mine.subList(start, end)), end < mine.size() ? Integer.toString(end) : null);
    }

    @Override
    public synchronized void renewCredentials(Connector renewed, long expectedVersion) {
        Connector current = connectors.get(key(renewed.userId(), renewed.id()));
        if (current == null) {
            throw new NotFoundException("Connector " + renewed.id() + " was deleted meanwhile.");
        }
        if (current.version() != expectedVersion) {
            throw new ConflictException("Connector " + renewed.id() + " changed meanwhile.");
        }
        connectors.put(key(renewed.userId(), renewed.id()), new Connector(current.id(), current.userId(), current.type(),
                current.name(), renewed.publicConfig(), renewed.sealedSecrets(), current.events(),
                current.filters(), current.transformation(), current.status(), current.statusReason(), renewed.version(),
                current.createdAt(), current.updatedAt()));
    }

    @Override
    public synchronized void update(Connector updated, long expectedVersion, List<String> previousEvents) {
        Connector current = connectors.get(key(updated.userId(), updated.id()));
        if (current == null) {
            throw new NotFoundException("Connector " + updated.id() + " was deleted meanwhile.");
        }
        if (current.version() != expectedVersion) {
            throw new ConflictException("Connector " + updated.id() + " changed meanwhile.");
        }
        connectors.put(key(updated.userId(), updated.id()), updated);
    }

    @Override
    public synchronized boolean delete(String userId, String connectorId) {
        if (connectors.remove(key(userId, connectorId)) == null) {
            return false;
        }
        users.addToCount(userId, -1);
        return true;
    }

    /** Stores a connector as a test fixture, outside any plan check. */
    public synchronized void put(Connector connector) {
        connectors.put(key(connector.userId(), connector.id()), connector);
    }

    public synchronized int size() {
        return connectors.size();
    }

    private static String key(String userId, String connectorId) {
        return userId + "#" + connectorId;
    }
}
