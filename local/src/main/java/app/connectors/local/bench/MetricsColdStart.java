package app.connectors.local.bench;

import app.connectors.log.LogContext;
import app.connectors.metrics.Metrics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * What emitting the first metric of an execution environment costs: fresh JVMs (C1 only, as on
 * Lambda) that each write one delivery's EMF line (three metrics, two dimension sets) with this
 * project's writer ({@link Metrics}) or with Powertools for AWS Lambda's metrics module, against a
 * JVM that writes one plain JSON line. Interleaved runs, medians; the figure is the time from the
 * moment the project's JSON mapper is ready (every handler has it before its first metric) to the
 * line written, so JVM start-up and Jackson's own start (the same for all) are left out.
 *
 * <pre>
 * java -cp local/target/connectors-local.jar app.connectors.local.bench.MetricsColdStart --runs 9
 * </pre>
 */
public final class MetricsColdStart {

    private static final List<String> MODES = List.of("plain", "own", "powertools");

    private MetricsColdStart() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--emit")) {
            emit(args[1]);
            return;
        }
        int runs = args.length == 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 9;
        // As on Lambda: without AWS_LAMBDA_FUNCTION_NAME, Powertools' EMF library looks for a CloudWatch
        // agent or the instance metadata service over the network, and waits.
        new FreshJvmComparison(MetricsColdStart.class, MODES, Map.of("AWS_LAMBDA_FUNCTION_NAME", "MetricsColdStart",
                "POWERTOOLS_SERVICE_NAME", "connectors"))
                .run(runs, "first metric line written, ms after the JSON mapper is ready");
    }

    /** In the child JVM: write one line the chosen way, then the elapsed time on its own line. */
    private static void emit(String mode) {
        // Every handler has built the project's JSON mapper before it emits a metric (it parses its
        // event with it), so that cost is paid before the clock starts, in every mode alike.
        app.connectors.json.Json.write(app.connectors.json.Json.object().put("warm", true));
        long start = System.nanoTime();
        PrintStream out = System.out;
        switch (mode) {
            case "plain" -> out.println("{\"message\":\"delivery.done\",\"Deliveries\":1}");
            case "own" -> {
                try (var invocation = LogContext.invocation("DeliverFunction", "req-1", null)) {
                    Metrics.delivery("slack", Metrics.Outcome.SUCCEEDED, Duration.ofMillis(182), 1);
                }
            }
            case "powertools" -> {
                var metrics = MetricsFactory.getMetricsInstance();
                metrics.setNamespace(Metrics.NAMESPACE);
                metrics.addDimension("ConnectorType", "slack");
                metrics.addDimension("Outcome", "succeeded");
                metrics.addMetric("Deliveries", 1, MetricUnit.COUNT);
                metrics.addMetric("DeliveryLatency", 182, MetricUnit.MILLISECONDS);
                metrics.addMetric("AttemptsPerSuccess", 1, MetricUnit.COUNT);
                metrics.addMetadata("deliveryId", "dlv_1");
                metrics.flush();
            }
            default -> throw new IllegalArgumentException("mode: " + MODES);
        }
        out.flush();
        out.println("ms=" + (System.nanoTime() - start) / 1e6);
    }
}
