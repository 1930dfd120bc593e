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
    private final DeliveryQueue queue;

    public DeliveryLog(ConnectorService connectors, DeliveryStore deliveries, DeliveryQueue queue) {
        this.connectors = connectors;
        this.deliveries = deliveries;
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

    /** Queues the delivery again; it starts a new series of attempts. Succeeded and pending ones are refused. */
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
        if (record.status() == DeliveryStatus.SUCCEEDED || record.status() == DeliveryStatus.PENDING) {
            throw new ConflictException("Delivery " + deliveryId + " is " + record.status().id()
                    + "; only failed, cancelled or dead deliveries can be retried.");
        }
        queue.enqueue(List.of(new DeliveryJob(deliveryId, userId, connectorId, record.event(), true, record.series() + 1)));
        return record;
    }
}
