package app.connectors.delivery;

import app.connectors.connector.Connector;
import java.util.Optional;

/**
 * Renews a connector's short-lived credentials (an OAuth access token) around a send: before it,
 * when they are about to expire, and once after the destination refused them (HTTP 401). Types
 * without such credentials pass through unchanged.
 */
public interface CredentialRefresh {

    /** The connector to send with: itself, or with renewed credentials. */
    Connector beforeSend(Connector connector);

    /** After a 401 to {@code used}'s credentials: the connector to retry with once, or empty for no retry. */
    Optional<Connector> afterUnauthorized(Connector used);

    /** For types whose credentials never expire: nothing to renew. */
    static CredentialRefresh none() {
        return new CredentialRefresh() {
            @Override
            public Connector beforeSend(Connector connector) {
                return connector;
            }

            @Override
            public Optional<Connector> afterUnauthorized(Connector used) {
                return Optional.empty();
            }
        };
    }
}
