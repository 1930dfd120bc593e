package app.connectors.local.bench;

import app.connectors.catalog.ConnectorType;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.format.Formatters;
import app.connectors.json.Json;
import app.connectors.transform.TransformOutcome;
import app.connectors.transform.TransformationEngine;
import app.connectors.transform.Webhook;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;

/**
 * Time from a fresh JVM to the first delivery payload of one connector type: parse the catalog's
 * example event, format it with the type's built-in formatter and serialize it; with
 * {@code --transform}, also build the JavaScript engine and run the type's default transformation
 * on the formatted payload before serializing. The difference between the two is the cold start
 * the engine adds to a delivery. Run each in a new JVM ({@link ColdStartComparison} does, several
 * times, and reports medians).
 *
 * <pre>
 * java -cp local/target/connectors-local.jar app.connectors.local.bench.FormatColdStart segment
 * java -cp local/target/connectors-local.jar app.connectors.local.bench.FormatColdStart segment --transform
 * </pre>
 */
public final class FormatColdStart {

    private FormatColdStart() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        String typeName = args.length > 0 ? args[0] : "segment";
        boolean transform = args.length > 1 && args[1].equals("--transform");
        long t0 = System.nanoTime();
        ConnectorType type = ConnectorTypeCatalog.standard().find(typeName)
                .orElseThrow(() -> new IllegalArgumentException("no connector type " + typeName));
        Event event = EventParser.standard()
                .parse(Json.write(EventCatalog.standard().find("promise.status_changed").orElseThrow().example()));
        JsonNode payload = Formatters.forType(type).format(event);
        long t1 = System.nanoTime();
        long t2 = t1;
        if (transform) {
            if (type.defaultTransformation() == null) {
                throw new IllegalArgumentException(typeName + " has no default transformation");
            }
            TransformationEngine engine = new TransformationEngine();
            t2 = System.nanoTime();
            TransformOutcome outcome = engine.run(type.defaultTransformation(),
                    Webhook.post("https://api.example.com/x", event.type(), payload));
            if (!(outcome instanceof TransformOutcome.Success success)) {
                throw new IllegalStateException("transformation failed: " + outcome);
            }
            payload = success.webhook().payload();
        }
        byte[] body = Json.writeBytes(payload);
        long t3 = System.nanoTime();
        System.out.printf("COLDSTART type=%s transform=%b bytes=%d format_ms=%.2f engine_init_ms=%.2f "
                        + "first_transform_ms=%.2f main_to_first_payload_ms=%.2f jvm_start_to_first_payload_ms=%d%n",
                typeName, transform, body.length, (t1 - t0) / 1e6, (t2 - t1) / 1e6, transform ? (t3 - t2) / 1e6 : 0.0,
                (t3 - t0) / 1e6, System.currentTimeMillis() - jvmStart);
    }
}
