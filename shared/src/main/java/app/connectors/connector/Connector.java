package app.connectors.connector;

import app.connectors.filter.EventPattern;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stored connector. Secrets never sit here in plaintext, not even masked: {@code sealedSecrets} is
 * the envelope-encrypted JSON of the type's secret fields, and what responses show of them is masked
 * from the decrypted value when shown ({@link ConnectorService#shownConfig}).
 *
 * @param publicConfig the type's non-secret config fields (e.g. generic's {@code method})
 * @param filters      the content filter, compiled ({@link EventPattern#everything()} when there is none)
 * @param version      increases on every write; updates carry the version they read (optimistic locking)
 */
public record Connector(
        String id,
        String userId,
        String type,
        String name,
        ObjectNode publicConfig,
        byte[] sealedSecrets,
        List<String> events,
        EventPattern filters,
        String transformation,
        Status status,
        String statusReason,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public Connector {
        events = List.copyOf(events);
        java.util.Objects.requireNonNull(filters, "filters");
    }

    public boolean enabled() {
        return status == Status.ACTIVE;
    }

    /** The encryption context that binds this connector's secrets to it. */
    public Map<String, String> secretContext() {
        return secretContext(userId, id);
    }

    public static Map<String, String> secretContext(String userId, String connectorId) {
        return Map.of("userId", userId, "connectorId", connectorId);
    }

    /** Whether the connector receives events. */
    public enum Status {
        ACTIVE, DISABLED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
