package app.connectors.functions;

import app.connectors.account.Tier;
import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorStore;
import app.connectors.connector.Page;
import app.connectors.problem.NotFoundException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** A {@link ConnectorStore} that holds nothing and accepts nothing: enough to show that a route reaches the domain. */
final class EmptyConnectorStore implements ConnectorStore {

    @Override
    public void create(Connector connector, Tier tier, OptionalInt limit) {
        throw new QuotaReachedException();
    }

    @Override
    public Optional<Connector> find(String userId, String connectorId) {
        return Optional.empty();
    }

    @Override
    public Page<Connector> list(String userId, int limit, String cursor) {
        return new Page<>(List.of(), null);
    }

    @Override
    public void update(Connector updated, long expectedVersion, List<String> previousEvents) {
        throw new UnsupportedOperationException("nothing to update");
    }

    @Override
    public void renewCredentials(Connector renewed, long expectedVersion) {
        throw new NotFoundException("Connector " + renewed.id() + " was deleted meanwhile.");
    }

    @Override
    public boolean delete(String userId, String connectorId) {
        return false;
    }
}
