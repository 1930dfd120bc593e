package app.connectors.operational;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Something the host platform should know about a user's connector, published to the operational
 * events topic the host subscribes to: a connector was disabled (and why) or re-enabled, a delivery
 * is dead after its last attempt, an OAuth token could not be refreshed. It carries ids and reasons,
 * never secrets: every reason passes through {@link ReasonScrubber} (URLs, credentials and token-like
 * strings removed, 300 characters at most). docs/operational-events.md documents each type's schema.
 *
 * <pre>{@code
 * OperationalEvent event = OperationalEvent.connectorDisabled("user-42", "5f1c…", "slack",
 *         "Slack answered 404: the destination is gone", clock);
 * String json = event.toJson();
 * }</pre>
 *
 * @param id            unique per event ({@code opev_…}), for the host to deduplicate on
 * @param type          {@link #CONNECTOR_DISABLED}, {@link #CONNECTOR_REENABLED}, {@link #DELIVERY_DEAD} or
 *                      {@link #OAUTH_REFRESH_FAILED}
 * @param occurredAt    when it happened
 * @param userId        the host platform's user who owns the connector
 * @param connectorId   the connector
 * @param connectorType its type (slack, hubspot, …)
 * @param reason        why, in words a user can act on (scrubbed)
 * @param details       type-specific ids and numbers (deliveryId, eventId, attempts, provider)
 */
public record OperationalEvent(String id, String type, Instant occurredAt, String userId, String connectorId,
                               String connectorType, String reason, Map<String, Object> details) {

    public static final String CONNECTOR_DISABLED = "connector.disabled";
    public static final String CONNECTOR_REENABLED = "connector.reenabled";
    public static final String DELIVERY_DEAD = "delivery.dead";
    public static final String OAUTH_REFRESH_FAILED = "oauth.refresh_failed";

    public OperationalEvent {
        reason = ReasonScrubber.scrub(reason);
        details = Map.copyOf(details);
    }

    /** The service disabled the connector: its destination is gone, or every delivery failed for days. */
    public static OperationalEvent connectorDisabled(String userId, String connectorId, String connectorType, String reason,
                                                     Clock clock) {
        return new OperationalEvent(newId(), CONNECTOR_DISABLED, clock.instant(), userId, connectorId, connectorType, reason,
                Map.of());
    }

    /** The user re-enabled a connector the service had disabled. */
    public static OperationalEvent connectorReenabled(String userId, String connectorId, String connectorType, Clock clock) {
        return new OperationalEvent(newId(), CONNECTOR_REENABLED, clock.instant(), userId, connectorId, connectorType,
                "re-enabled by its owner", Map.of());
    }

    /** A delivery used its last attempt and went to the dead-letter queue. */
    public static OperationalEvent deliveryDead(String userId, String connectorId, String connectorType, String deliveryId,
                                                String eventId, int attempts, String reason, Clock clock) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deliveryId", deliveryId);
        details.put("eventId", eventId);
        details.put("attempts", attempts);
        return new OperationalEvent(newId(), DELIVERY_DEAD, clock.instant(), userId, connectorId, connectorType, reason,
                details);
    }

    /** The provider refused to refresh the connector's OAuth token: the user must connect again. */
    public static OperationalEvent oauthRefreshFailed(String userId, String connectorId, String connectorType,
                                                      String provider, String reason, Clock clock) {
        return new OperationalEvent(newId(), OAUTH_REFRESH_FAILED, clock.instant(), userId, connectorId, connectorType, reason,
                Map.of("provider", provider));
    }

    /** The message body published to the topic. */
    public String toJson() {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("type", type);
        json.put("occurredAt", occurredAt.toString());
        json.put("userId", userId);
        json.put("connectorId", connectorId);
        json.put("connectorType", connectorType);
        json.put("reason", reason);
        details.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(entry -> entry.getValue() != null)
                .forEach(entry -> json.putPOJO(entry.getKey(), entry.getValue()));
        return Json.write(json);
    }

    private static String newId() {
        return "opev_" + UUID.randomUUID().toString().replace("-", "");
    }
}
