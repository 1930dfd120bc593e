package app.connectors.local;

import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.delivery.DeliveryJob;
import app.connectors.delivery.DeliveryOutcome;
import app.connectors.delivery.DeliveryStore;
import app.connectors.delivery.FanOut;
import app.connectors.event.Event;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What {@code bin/local publish} asks of the running stack (through {@link LocalAdmin}): check that
 * the file is an event envelope the dispatcher will accept, find which connectors it matches and
 * which of them already have a delivery of this event id (delivery ids are derived from the event
 * id, so those would silently get nothing), then send it to the queue.
 *
 * <pre>{@code
 * EventPublisher.Outcome outcome = new EventPublisher(stack).publish("EventsQueue", envelope, false);
 * outcome.alreadyDelivered(); // connectors that will not receive this event id again
 * }</pre>
 */
final class EventPublisher {

    /** The queue whose messages are event envelopes: only those are checked and previewed. */
    static final String EVENTS_QUEUE = "EventsQueue";

    private final LocalStack stack;
    /**
     * Built as the functions build them, from the environment template.yaml gives them, when first
     * needed: a template without the product's tables (a test template) can still publish elsewhere.
     */
    private Components dispatcher;
    private Components deliverer;

    EventPublisher(LocalStack stack) {
        this.stack = stack;
    }

    /** A refused envelope; the message says what is wrong, in the dispatcher's own words. */
    static final class InvalidEnvelopeException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidEnvelopeException(String message) {
            super(message);
        }
    }

    /**
     * What happened.
     *
     * @param eventId          the envelope's id (the new one with {@code newId}); null for another queue
     * @param matching         connectors the event goes to (enabled, subscribed, filters matching)
     * @param alreadyDelivered those of them that already have a delivery of this event id
     */
    record Outcome(String messageId, String queue, String eventId, int matching, List<Delivered> alreadyDelivered) {
    }

    /** A delivery of this event id that exists already, and its status. */
    record Delivered(String connectorId, String deliveryId, String status) {
    }

    boolean hasQueue(String queueId) {
        return stack.queues().containsKey(queueId);
    }

    /**
     * Sends {@code body} to the queue. On the events queue the envelope is checked first (and
     * refused without sending) and the matching connectors are looked up; {@code newId} replaces the
     * envelope's id with a fresh one, to publish the same file again as a new event.
     */
    Outcome publish(String queueId, String body, boolean newId) throws InvalidEnvelopeException {
        EmbeddedSqs.QueueAddress queue = stack.queue(queueId);
        if (!queueId.equals(EVENTS_QUEUE)) {
            return new Outcome(send(queue, body), queueId, null, 0, List.of());
        }
        String envelope = newId ? withNewId(body) : body;
        Event event;
        try {
            event = EventParser.standard().parse(envelope);
        } catch (InvalidEventException e) {
            throw new InvalidEnvelopeException(e.getMessage());
        }
        List<DeliveryJob> jobs = matchingJobs(event);
        DeliveryStore deliveries = deliverer().deliveryStore();
        List<Delivered> delivered = new ArrayList<>();
        for (DeliveryJob job : jobs) {
            deliveries.find(job.connectorId(), job.deliveryId()).ifPresent(record ->
                    delivered.add(new Delivered(job.connectorId(), job.deliveryId(), record.state().apiStatus())));
        }
        return new Outcome(send(queue, envelope), queueId, event.id(), jobs.size(), List.copyOf(delivered));
    }

    /** The jobs the dispatcher would queue for this event, found by the dispatcher's own fan-out, queued nowhere. */
    private List<DeliveryJob> matchingJobs(Event event) {
        List<DeliveryJob> jobs = java.util.Collections.synchronizedList(new ArrayList<>());
        // Each first attempt the dispatcher would make is only collected: the preview sends nothing.
        new FanOut(dispatcher().subscriptionStore(), (job, lease) -> {
            jobs.add(job);
            return new DeliveryOutcome.Carried(Duration.ZERO, "preview");
        }, 1, java.time.Clock.systemUTC()).dispatch(event);
        return jobs;
    }

    private String send(EmbeddedSqs.QueueAddress queue, String body) {
        return stack.sqs().sendMessage(request -> request.queueUrl(queue.url()).messageBody(body)).messageId();
    }

    private synchronized Components dispatcher() {
        if (dispatcher == null) {
            dispatcher = Components.from(Settings.from(environmentWith(stack, Settings.SUBSCRIPTIONS_TABLE)));
        }
        return dispatcher;
    }

    private synchronized Components deliverer() {
        if (deliverer == null) {
            deliverer = Components.from(Settings.from(environmentWith(stack, Settings.DELIVERIES_TABLE)));
        }
        return deliverer;
    }

    /** The environment of the first function of the template that has {@code variable}. */
    private static Map<String, String> environmentWith(LocalStack stack, String variable) {
        return stack.template().functions().keySet().stream()
                .map(stack::environmentOf)
                .filter(environment -> environment.get(variable) != null)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no function of the template has " + variable));
    }

    /** The envelope with a fresh id, everything else as in the file (numbers keep their text: 1e6 is not sent as 1000000.0). */
    static String withNewId(String body) throws InvalidEnvelopeException {
        JsonNode root;
        try {
            root = Json.parseExact(body);
        } catch (IOException e) {
            throw new InvalidEnvelopeException("the file is not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidEnvelopeException("envelope is not a JSON object");
        }
        ((ObjectNode) root).put("id", "evt_local_" + UUID.randomUUID().toString().replace("-", ""));
        return root.toString();
    }
}
