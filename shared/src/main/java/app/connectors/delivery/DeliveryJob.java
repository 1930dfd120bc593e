package app.connectors.delivery;

import app.connectors.event.Event;
import app.connectors.event.EventJson;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One event for one connector: the message body on DeliveriesQueue (and on its dead-letter queue).
 * Each field means one thing.
 *
 * @param event     the event, or null when it is too big to ride in the job: it is then read from
 *                  the event store by {@code eventId} (a job must fit SQS's 256 KiB)
 * @param restarts  null for a job that advances its delivery's current series; for a manual retry or
 *                  a dead-lettered job, the series it asks to start again: if the record is still in
 *                  that series and finished (failed, cancelled or dead), this job starts the next one.
 *                  A copy of it arriving later finds a newer series and is an ordinary job of it.
 * @param heldSlot  the destination's send slot this job booked before it was deferred to wait for
 *                  it (paced types only), or null; it uses that slot instead of booking another
 * @param matchedAlternative which alternative of the connector's filter (its top-level {@code $or})
 *                  let the event through at the fan-out, e.g. {@code $or[1]}; null when the filter
 *                  has no top-level {@code $or}. The record takes it when the job creates it.
 */
public record DeliveryJob(String deliveryId, String userId, String connectorId, String eventId, Event event,
                          Integer restarts, Instant heldSlot, String matchedAlternative) {

    /** SQS's limit on a message body. */
    public static final int MAX_BYTES = 256 * 1024;

    public DeliveryJob {
        if (event != null && !event.id().equals(eventId)) {
            throw new IllegalArgumentException("the job's eventId is not its event's id");
        }
    }

    /**
     * The delivery's id: the same for the same (event, connector) however often SQS or the
     * dispatcher repeats it, which is what makes delivery idempotent; receivers deduplicate on it
     * ({@code webhook-id}). {@code dlv_}, the event's time in milliseconds as 12 hex digits (so that
     * a connector's deliveries sort by it, newest first, without an index), and 20 hex digits of
     * SHA-256 over (event id, connector id).
     */
    public static String deliveryIdOf(Event event, String connectorId) {
        long millis = Math.max(0, Math.min(0xFFFF_FFFF_FFFFL, event.occurredAt().toEpochMilli()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((event.id() + "\n" + connectorId).getBytes(StandardCharsets.UTF_8));
            return "dlv_" + String.format("%012x", millis) + HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The job that delivers {@code event} to a connector (the first attempt, or the attempts that follow it). */
    public static DeliveryJob of(Event event, String userId, String connectorId) {
        return new DeliveryJob(deliveryIdOf(event, connectorId), userId, connectorId, event.id(), event, null, null, null);
    }

    /** This job saying which alternative of the connector's filter let its event through. */
    public DeliveryJob matching(String alternative) {
        return new DeliveryJob(deliveryId, userId, connectorId, eventId, event, restarts, heldSlot, alternative);
    }

    /** This job asking to start the series after {@code series} (a manual retry, or a dead-lettered job). */
    public DeliveryJob restarting(int series) {
        return new DeliveryJob(deliveryId, userId, connectorId, eventId, event, series, null, matchedAlternative);
    }

    /** This job holding the send slot it booked. */
    public DeliveryJob holding(Instant slot) {
        return new DeliveryJob(deliveryId, userId, connectorId, eventId, event, restarts, slot, matchedAlternative);
    }

    /** This job without its event, which the event store keeps instead (for a job too big for SQS). */
    public DeliveryJob referencingEvent() {
        return new DeliveryJob(deliveryId, userId, connectorId, eventId, null, restarts, heldSlot, matchedAlternative);
    }

    /** This job with its event put back (read from the event store). */
    public DeliveryJob withEvent(Event loaded) {
        return new DeliveryJob(deliveryId, userId, connectorId, eventId, loaded, restarts, heldSlot, matchedAlternative);
    }

    public String toJson() {
        ObjectNode node = Json.object();
        node.put("deliveryId", deliveryId);
        node.put("userId", userId);
        node.put("connectorId", connectorId);
        node.put("eventId", eventId);
        if (event != null) {
            node.set("event", EventJson.write(event));
        }
        if (restarts != null) {
            node.put("restarts", restarts);
        }
        if (heldSlot != null) {
            node.put("heldSlot", heldSlot.toEpochMilli());
        }
        if (matchedAlternative != null) {
            node.put("matchedAlternative", matchedAlternative);
        }
        return Json.write(node);
    }

    /**
     * Reads a job body; a body this service did not write is an {@link InvalidEventException}. Jobs
     * written before the delivery record's state machine (with {@code manual} and {@code series})
     * are read as the restart they asked for.
     */
    public static DeliveryJob fromJson(String body) throws InvalidEventException {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new InvalidEventException("delivery job is not JSON");
        }
        if (node == null || !node.hasNonNull("deliveryId") || !node.hasNonNull("userId") || !node.hasNonNull("connectorId")
                || !(node.path("event").isObject() || node.hasNonNull("eventId"))) {
            throw new InvalidEventException("delivery job lacks deliveryId, userId, connectorId or its event");
        }
        Event event = node.path("event").isObject() ? EventParser.standard().parse(Json.write(node.get("event"))) : null;
        String eventId = event != null ? event.id() : node.get("eventId").asText();
        Integer restarts = node.hasNonNull("restarts") ? Integer.valueOf(node.get("restarts").asInt()) : null;
        if (restarts == null && node.path("series").asInt(0) > 0) {
            int series = node.get("series").asInt();
            restarts = node.path("manual").asBoolean(false) ? series - 1 : series;
        }
        Instant heldSlot = node.hasNonNull("heldSlot") ? Instant.ofEpochMilli(node.get("heldSlot").asLong()) : null;
        return new DeliveryJob(node.get("deliveryId").asText(), node.get("userId").asText(), node.get("connectorId").asText(),
                eventId, event, restarts, heldSlot, node.hasNonNull("matchedAlternative") ? node.get("matchedAlternative").asText() : null);
    }
}
