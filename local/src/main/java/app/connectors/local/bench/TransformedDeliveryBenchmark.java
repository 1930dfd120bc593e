package app.connectors.local.bench;

import app.connectors.catalog.ConnectorType;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.catalog.FieldSpec;
import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorService;
import app.connectors.delivery.PreparedRequest;
import app.connectors.delivery.RequestFactory;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import app.connectors.format.Formatters;
import app.connectors.format.PayloadFormatter;
import app.connectors.json.Json;
import app.connectors.signing.StandardWebhookSigner;
import app.connectors.transform.TransformOutcome;
import app.connectors.transform.TransformationEngine;
import app.connectors.transform.Webhook;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A transformed delivery prepared in-process, per event: format by the connector's type, run the
 * type's default transformation (compiled script from the engine's cache, fresh scope per run),
 * serialize the result. One benchmark thread, so ops/s is the rate per core (target ≥ 40,000
 * transformed deliveries/s per core).
 *
 * <ul>
 *   <li>{@code formatTransformSerialize}: exactly those three steps.</li>
 *   <li>{@code prepareRequest}: the product's {@link RequestFactory#prepare}, i.e. the same plus the
 *       headers, the credential check and the URL handling a real delivery does (no network).</li>
 * </ul>
 *
 * <p>A run that fails (the engine's 50 ms budget is a wall-clock deadline, so a thread descheduled on
 * a busy machine can overrun it) is counted, not thrown: the count is printed at the end of each
 * trial, so a throughput figure never hides failed deliveries.
 *
 * <pre>
 * java -cp local/target/connectors-local.jar org.openjdk.jmh.Main TransformedDeliveryBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TransformedDeliveryBenchmark {

    /** Every catalog type that ships a default transformation. */
    @Param({"hubspot", "closecrm", "segment", "customerio", "sendgrid", "resend", "loops"})
    public String type;

    private TransformationEngine engine;
    private PayloadFormatter formatter;
    private ConnectorType connectorType;
    private Event event;
    private String code;
    private RequestFactory requests;
    private Connector connector;
    private ConnectorService.StoredSecrets secrets;
    private long runs;
    private long failures;
    private String lastFailure;

    @Setup
    public void setUp() throws InvalidEventException {
        connectorType = ConnectorTypeCatalog.standard().find(type).orElseThrow();
        code = connectorType.defaultTransformation();
        if (code == null) {
            throw new IllegalArgumentException(type + " has no default transformation");
        }
        formatter = Formatters.forType(connectorType);
        String body = Json.write(EventCatalog.standard().find("promise.status_changed").orElseThrow().example());
        event = EventParser.standard().parse(body);
        engine = new TransformationEngine();
        requests = new RequestFactory(ConnectorTypeCatalog.standard(), engine, new StandardWebhookSigner(), java.time.Clock.systemUTC());

        // A connector of this type configured with the catalog's example values (secret ones in secrets).
        ObjectNode publicConfig = Json.object();
        ObjectNode secretConfig = Json.object();
        for (FieldSpec field : connectorType.fields()) {
            if (field.example() != null) {
                (field.secret() ? secretConfig : publicConfig).set(field.name(), field.example().deepCopy());
            }
        }
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        connector = new Connector("c-bench", "u-bench", type, "bench", publicConfig, new byte[0],
                List.of("*"), app.connectors.filter.EventPattern.everything(), code, Connector.Status.ACTIVE, null, 1, now, now);
        secrets = new ConnectorService.StoredSecrets(secretConfig, null);

        // The script must work; its very first runs may overrun the wall-clock budget on a busy machine.
        boolean works = false;
        for (int i = 0; i < 20 && !works; i++) {
            works = formatTransformSerialize().length > 2 && prepareRequest() instanceof PreparedRequest.Ready;
        }
        if (!works) {
            throw new IllegalStateException(type + ": the default transformation does not give a request: " + lastFailure);
        }
        runs = 0;
        failures = 0;
    }

    @TearDown
    public void report() {
        System.out.printf("%n%s: %d of %d runs failed%s%n", type, failures, runs,
                failures == 0 ? "" : " (last: " + lastFailure + ")");
    }

    @Benchmark
    public byte[] formatTransformSerialize() {
        runs++;
        Webhook input = Webhook.post("https://api.example.com/x", event.type(), formatter.format(event));
        TransformOutcome outcome = engine.run(code, input);
        if (!(outcome instanceof TransformOutcome.Success success)) {
            failures++;
            lastFailure = outcome.toString();
            return new byte[0];
        }
        return Json.writeBytes(success.webhook().payload());
    }

    @Benchmark
    public PreparedRequest prepareRequest() {
        runs++;
        PreparedRequest prepared = requests.prepare(connector, secrets, event, "dlv_bench");
        if (!(prepared instanceof PreparedRequest.Ready)) {
            failures++;
            lastFailure = prepared.toString();
        }
        return prepared;
    }
}
