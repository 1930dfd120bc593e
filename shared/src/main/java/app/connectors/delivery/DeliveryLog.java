package app.connectors.delivery;

import app.connectors.connector.ConnectorService;
import app.connectors.connector.Page;
import app.connectors.problem.ConflictException;
import app.connectors.problem.NotFoundException;
import app.connectors.problem.ValidationException;
import java.util.List;

/**
 * The delivery log as users see it: a connector's deliveries (only for its owner), and sending one
 * delivery again on request.
 */
public final class DeliveryLog {

    private static final java.util.regex.Pattern DELIVERY_ID = java.util.regex.Pattern.compile("dlv_[0-9a-f]{32}");

    private final ConnectorService connectors;
    private final DeliveryStore deliveries;
    private final EventStore events;
    private final DeliveryQueue queue;

    public DeliveryLog(ConnectorService connectors, DeliveryStore deliveries, EventStore events, DeliveryQueue queue) {
        this.connectors = connectors;
        this.deliveries = deliveries;
        this.events = events;
        this.queue = queue;
    }

    public Page<DeliveryRecord> list(String userId, String connectorId, Integer limit, String cursor) {
        connectors.get(userId, connectorId); // 404 unless the caller owns it
        int size = limit == null ? ConnectorService.DEFAULT_PAGE_SIZE : limit;
        if (size < 1 || size > ConnectorService.MAX_PAGE_SIZE) {
            throw ValidationException.of("limit", "limit must be between 1 and " + ConnectorService.MAX_PAGE_SIZE);
        }
        return deliveries.list(connectorId, size, cursor);
    }

    /**
     * Queues the delivery again: a job that restarts its current series, so the next one begins
     * (once, however often SQS delivers the job). Succeeded and pending deliveries are refused.
     */
    public DeliveryRecord retry(String userId, String connectorId, String deliveryId) {
        connectors.get(userId, connectorId);
        // Delivery ids are "dlv_" and 32 hex digits; anything else (the connector's internal "#destination"
        // item, an over-long key) cannot be a delivery and must not reach the store.
        if (deliveryId == null || !DELIVERY_ID.matcher(deliveryId).matches()) {
            throw new NotFoundException("No delivery " + (deliveryId == null ? "" : deliveryId.length() > 64
                    ? deliveryId.substring(0, 64) + "…" : deliveryId) + " for connector " + connectorId
                    + "; list them with GET /api/v1/connectors/" + connectorId + "/deliveries.");
        }
        DeliveryRecord record = deliveries.find(connectorId, deliveryId)
                .orElseThrow(() -> new NotFoundException("No delivery " + deliveryId + " for connector " + connectorId
                        + "; list them with GET /api/v1/connectors/" + connectorId + "/deliveries."));
        if (!record.state().restartable()) {
            throw new ConflictException("Delivery " + deliveryId + (record.state() == DeliveryState.SUCCEEDED
                    ? " has already succeeded" : " is still pending (its next attempt is on its way)")
                    + "; only failed, cancelled or dead deliveries can be retried.");
        }
        var event = events.find(record.eventId()).orElseThrow(() -> new ConflictException("Delivery " + deliveryId
                + " cannot be sent again: its event is no longer kept (events are kept as long as their deliveries' log, 30 days)."));
        queue.enqueue(List.of(new DeliveryJob(deliveryId, userId, connectorId, event.id(), event, record.series(), null,
                record.matchedAlternative())));
        return record;
    }
}
