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
import java.util.HexFormat;

/**
 * One event for one connector: the message body on DeliveriesQueue. The event travels inside the
 * job so that delivering needs no read of the event store (there is none) and a redriven job is
 * self-contained.
 *
 * @param manual true when a user asked to send this delivery again (POST …/deliveries/{id}/retry):
 *               a finished delivery is then sent once more instead of being skipped as a duplicate
 * @param series for a manual retry, the series of attempts it starts; for a job put on the
 *               dead-letter queue, the series it died in, so that redriving it (and only it) starts the
 *               next series; 0 for a job the dispatcher queued. A copy SQS delivers again after its
 *               series began is a duplicate like any other.
 */
public record DeliveryJob(String deliveryId, String userId, String connectorId, Event event, boolean manual, int series) {

    /**
     * The delivery's id: the same for the same (event, connector) however often SQS or the
     * dispatcher repeats it, which is what makes delivery idempotent.
     */
    public static String deliveryIdOf(String eventId, String connectorId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((eventId + "\n" + connectorId).getBytes(StandardCharsets.UTF_8));
            return "dlv_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static DeliveryJob of(Event event, String userId, String connectorId) {
        return new DeliveryJob(deliveryIdOf(event.id(), connectorId), userId, connectorId, event, false, 0);
    }

    /** This job sent again on request, starting series {@code series} of its record. */
    public DeliveryJob asManualRetry(int series) {
        return new DeliveryJob(deliveryId, userId, connectorId, event, true, series);
    }

    /**
     * This job as it goes to the dead-letter queue after series {@code series} ran out of attempts:
     * a redrive of it finds the record dead in that series and starts the next one, while any other
     * copy of the job (series 0, or an older series) finds a dead record it does not own and is dropped.
     */
    public DeliveryJob diedIn(int series) {
        return new DeliveryJob(deliveryId, userId, connectorId, event, false, series);
    }

    public String toJson() {
        ObjectNode node = Json.object();
        node.put("deliveryId", deliveryId);
        node.put("userId", userId);
        node.put("connectorId", connectorId);
        node.set("event", EventJson.write(event));
        if (manual) {
            node.put("manual", true);
        }
        if (series > 0) {
            node.put("series", series);
        }
        return Json.write(node);
    }

    /** Reads a job body; a body this service did not write is an {@link InvalidEventException}. */
    public static DeliveryJob fromJson(String body) throws InvalidEventException {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new InvalidEventException("delivery job is not JSON");
        }
        if (node == null || !node.hasNonNull("deliveryId") || !node.hasNonNull("userId") || !node.hasNonNull("connectorId")
                || !node.path("event").isObject()) {
            throw new InvalidEventException("delivery job lacks deliveryId, userId, connectorId or event");
        }
        Event event = EventParser.standard().parse(Json.write(node.get("event")));
        return new DeliveryJob(node.get("deliveryId").asText(), node.get("userId").asText(), node.get("connectorId").asText(),
                event, node.path("manual").asBoolean(false), node.path("series").asInt(0));
    }
}
