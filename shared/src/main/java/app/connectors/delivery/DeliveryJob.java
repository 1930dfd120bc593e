package app.connectors.delivery;

import app.connectors.event.Event;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import app.connectors.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * One event for one connector: the message body on DeliveriesQueue (and on its dead-letter queue).
 * Each field means one thing.
 *
 * @param event     the event, or null when the job goes without it: it is then read from the event
 *                  store by {@code eventId}. A job carries its event's envelope as accepted, which
 *                  fits a message with room to spare; only an event kept before the envelope was
 *                  carried as accepted can be too big (a job must fit SQS's 256 KiB)
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

    /** The body: the job's fields, and its event's envelope embedded exactly as it was accepted. */
    public String toJson() {
        ObjectNode node = Json.object();
        node.put("deliveryId", deliveryId);
        node.put("userId", userId);
        node.put("connectorId", connectorId);
        node.put("eventId", eventId);
        if (event != null) {
            node.putRawValue("event", new RawValue(event.envelope()));
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
     * Reads a job body; a body this service did not write is an {@link InvalidEventException}. The
     * event is read from its envelope's text as embedded, never from a copy written again. Jobs
     * written before the delivery record's state machine (with {@code manual} and {@code series})
     * are read as the restart they asked for.
     */
    public static DeliveryJob fromJson(String body) throws InvalidEventException {
        Map<String, String> members;
        try {
            members = body == null ? Map.of() : Json.members(body);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("delivery job is not a JSON object");
        }
        String deliveryId = text(members, "deliveryId");
        String userId = text(members, "userId");
        String connectorId = text(members, "connectorId");
        String envelope = members.get("event");
        boolean hasEvent = envelope != null && envelope.startsWith("{");
        if (deliveryId == null || userId == null || connectorId == null || !(hasEvent || text(members, "eventId") != null)) {
            throw new InvalidEventException("delivery job lacks deliveryId, userId, connectorId or its event");
        }
        Event event = hasEvent ? EventParser.standard().readKept(envelope) : null;
        String eventId = event != null ? event.id() : text(members, "eventId");
        JsonNode restartsNode = value(members, "restarts");
        Integer restarts = restartsNode.isNull() || restartsNode.isMissingNode() ? null : Integer.valueOf(restartsNode.asInt());
        if (restarts == null && value(members, "series").asInt(0) > 0) {
            int series = value(members, "series").asInt();
            restarts = value(members, "manual").asBoolean(false) ? series - 1 : series;
        }
        JsonNode heldSlotNode = value(members, "heldSlot");
        Instant heldSlot = heldSlotNode.isNull() || heldSlotNode.isMissingNode() ? null : Instant.ofEpochMilli(heldSlotNode.asLong());
        return new DeliveryJob(deliveryId, userId, connectorId, eventId, event, restarts, heldSlot, text(members, "matchedAlternative"));
    }

    /** A member's value as a tree (a missing node when absent). Members other than the event are small. */
    private static JsonNode value(Map<String, String> members, String name) throws InvalidEventException {
        String text = members.get(name);
        if (text == null) {
            return MissingNode.getInstance();
        }
        try {
            return Json.parse(text);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("delivery job's " + name + " is not JSON");
        }
    }

    /** A member's text, or null when it is absent or null. */
    private static String text(Map<String, String> members, String name) throws InvalidEventException {
        JsonNode node = value(members, name);
        return node.isNull() || node.isMissingNode() ? null : node.asText();
    }
}
