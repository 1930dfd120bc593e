package app.connectors.account;

import java.time.Instant;

/** A user of the host platform as this service knows it: its plan and how many connectors it has. */
public record User(String userId, Tier tier, int connectorCount, Instant createdAt, Instant updatedAt) {
}
