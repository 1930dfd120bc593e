package app.connectors.connector;

import app.connectors.account.Tier;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Connectors and their subscriptions, written together so that the dispatcher's subscription
 * query never disagrees with the connector it points to.
 */
public interface ConnectorStore {

    /**
     * Stores a new connector and counts it against the user's plan, atomically.
     *
     * @throws QuotaReachedException when the user already has {@code limit} connectors or its tier is no longer {@code tier}
     */
    void create(Connector connector, Tier tier, OptionalInt limit);

    Optional<Connector> find(String userId, String connectorId);

    /**
     * {@link #find}, eventually consistent: half the read cost, and a change made a moment ago may
     * not show yet. For the delivery path, which judges an attempt by the version it read.
     */
    default Optional<Connector> findEventuallyConsistent(String userId, String connectorId) {
        return find(userId, connectorId);
    }

    Page<Connector> list(String userId, int limit, String cursor);

    /**
     * Replaces the stored connector if it is still at {@code expectedVersion}.
     *
     * @throws app.connectors.problem.ConflictException when another write came first
     * @throws app.connectors.problem.NotFoundException when the connector is gone
     */
    void update(Connector updated, long expectedVersion, List<String> previousEvents);

    /**
     * Writes {@code renewed}'s credentials (sealed secrets, masked and public config) and version, and
     * nothing else, if the stored connector is still at {@code expectedVersion}.
     *
     * @throws app.connectors.problem.ConflictException when it changed since
     * @throws app.connectors.problem.NotFoundException when it is gone
     */
    void renewCredentials(Connector renewed, long expectedVersion);

    /** Deletes the connector, its subscriptions and its count; false when there was none. */
    boolean delete(String userId, String connectorId);

    /** A connector with this id exists already (an earlier attempt of the same idempotent create made it). */
    final class AlreadyExistsException extends RuntimeException {
        public AlreadyExistsException() {
            super(null, null, false, false);
        }
    }

    /** The create condition failed: the plan's limit is reached, or the plan changed meanwhile. */
    final class QuotaReachedException extends RuntimeException {
        public QuotaReachedException() {
            super(null, null, false, false);
        }
    }
}
