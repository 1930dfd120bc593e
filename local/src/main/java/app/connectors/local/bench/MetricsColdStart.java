package app.connectors.local.bench;

import app.connectors.log.LogContext;
import app.connectors.metrics.Metrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            for (String mode : MODES) {
                ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", classpath,
                        MetricsColdStart.class.getName(), "--emit", mode).redirectError(ProcessBuilder.Redirect.DISCARD);
                // As on Lambda: without it, Powertools' EMF library looks for a CloudWatch agent or the
                // instance metadata service over the network, and waits.
                builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "MetricsColdStart");
                builder.environment().put("POWERTOOLS_SERVICE_NAME", "connectors");
                Process process = builder.start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new IOException(mode + " did not finish (run it alone: java -cp … " + MetricsColdStart.class.getName()
                            + " --emit " + mode + ")");
                }
                String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
                millis.computeIfAbsent(mode, k -> new ArrayList<>()).add(Double.parseDouble(last.substring(last.indexOf('=') + 1)));
            }
        }
        double plain = median(millis.get("plain"));
        System.out.printf("first metric line written, ms after the JSON mapper is ready (median of %d fresh JVMs, -XX:TieredStopAtLevel=1)%n", runs);
        for (String mode : MODES) {
            List<Double> values = millis.get(mode);
            double median = median(values);
            System.out.printf("  %-11s median %7.1f  min %7.1f  max %7.1f  over plain %+7.1f ms%n", mode, median,
                    values.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    values.stream().mapToDouble(Double::doubleValue).max().orElse(0), median - plain);
        }
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

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
