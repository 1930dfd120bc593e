package app.connectors.delivery;

/** The delivery path's storage: records, the destinations' shared state, and the events kept for later. */
public record DeliveryStores(DeliveryStore deliveries, DestinationStore destinations, EventStore events) {
}
