package app.connectors.delivery;

import app.connectors.event.Event;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link EventStore} in memory; counts the events kept. */
final class InMemoryEventStore implements EventStore {

    private final Map<String, Event> events = new HashMap<>();
    private int writes;

    @Override
    public synchronized void keep(Event event) {
        writes++;
        events.put(event.id(), event);
    }

    @Override
    public synchronized Optional<Event> find(String eventId) {
        return Optional.ofNullable(events.get(eventId));
    }

    synchronized int writes() {
        return writes;
    }
}
