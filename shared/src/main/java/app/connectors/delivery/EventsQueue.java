package app.connectors.delivery;

/** EventsQueue's side doors: parking a message that is not an event, and handing a fan-out's rest to a later invocation. */
public interface EventsQueue {

    /** Puts a message body that cannot be dispatched on the events dead-letter queue, with the reason. */
    void park(String body, String reason);

    /** Queues the rest of a fan-out on EventsQueue; its event is kept in the event store first. */
    void continueLater(FanOutContinuation continuation);
}
