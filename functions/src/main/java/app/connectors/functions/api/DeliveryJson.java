package app.connectors.functions.api;

import app.connectors.connector.Page;
import app.connectors.delivery.Attempt;
import app.connectors.delivery.ConnectorTester;
import app.connectors.delivery.DeliveryRecord;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The delivery log and test results as the API shows them. The event body is not repeated here. */
public final class DeliveryJson {

    private DeliveryJson() {
    }

    public static ObjectNode of(DeliveryRecord d) {
        ObjectNode node = Json.object();
        node.put("id", d.deliveryId());
        node.put("eventId", d.eventId());
        node.put("eventType", d.eventType());
        node.put("status", d.state().apiStatus());
        node.put("series", d.series());
        ArrayNode attempts = node.putArray("attempts");
        for (Attempt a : d.attempts()) {
            ObjectNode at = attempts.addObject();
            at.put("number", a.number());
            at.put("series", a.series());
            at.put("at", a.at().toString());
            if (a.statusCode() != null) {
                at.put("statusCode", a.statusCode());
            } else {
                at.putNull("statusCode");
            }
            at.put("latencyMs", a.latencyMs());
            at.put("outcome", a.outcome());
            if (a.error() != null) {
                at.put("error", a.error());
            } else {
                at.putNull("error");
            }
            if (a.console() != null) {
                at.set("console", Json.MAPPER.valueToTree(a.console()));
            }
        }
        if (d.dueAt() != null) {
            node.put("nextAttemptAt", d.dueAt().toString());
        } else {
            node.putNull("nextAttemptAt");
        }
        if (d.matchedAlternative() != null) {
            node.put("matchedAlternative", d.matchedAlternative());
        } else {
            node.putNull("matchedAlternative");
        }
        node.put("createdAt", d.createdAt().toString());
        node.put("updatedAt", d.updatedAt().toString());
        return node;
    }

    public static ObjectNode page(Page<DeliveryRecord> page) {
        ObjectNode node = Json.object();
        ArrayNode items = node.putArray("deliveries");
        page.items().forEach(d -> items.add(of(d)));
        if (page.nextCursor() != null) {
            node.put("nextCursor", page.nextCursor());
        } else {
            node.putNull("nextCursor");
        }
        return node;
    }

    public static ObjectNode of(ConnectorTester.TestResult r) {
        ObjectNode node = Json.object();
        node.put("ok", r.ok());
        node.put("eventType", r.eventType());
        node.put("eventId", r.eventId());
        if (r.statusCode() != null) {
            node.put("statusCode", r.statusCode());
        } else {
            node.putNull("statusCode");
        }
        if (r.responseExcerpt() != null) {
            node.put("responseExcerpt", r.responseExcerpt());
        } else {
            node.putNull("responseExcerpt");
        }
        node.put("latencyMs", r.latencyMs());
        if (r.error() != null) {
            node.put("error", r.error());
        } else {
            node.putNull("error");
        }
        node.put("cancelled", r.cancelled());
        node.set("console", Json.MAPPER.valueToTree(r.console()));
        return node;
    }
}
