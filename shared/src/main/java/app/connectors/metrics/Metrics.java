package app.connectors.metrics;

import app.connectors.json.Json;
import app.connectors.log.LogContext;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The service's metrics, written as CloudWatch Embedded Metric Format: one JSON line on standard
 * output per measurement, which CloudWatch Logs turns into metrics without an API call (no latency on
 * the request path, nothing to batch or flush). Namespace {@value #NAMESPACE}.
 *
 * <p>Dimensions are bounded by construction: the service name, a connector type from the catalog,
 * an outcome, an HTTP status class, a plan tier or a disable cause; never a user, connector, event
 * or delivery id. Those ids travel on the same line as plain properties (from {@link LogContext}), so
 * a metric data point can be traced back to its delivery in CloudWatch Logs Insights.
 *
 * <pre>{@code
 * Metrics.delivery("slack", Metrics.Outcome.SUCCEEDED, Duration.ofMillis(182), 1);
 * Metrics.apiResponse(404);
 * }</pre>
 */
public final class Metrics {

    public static final String NAMESPACE = "Connectors";
    /** The service dimension's value comes from here (template.yaml's Globals set it). */
    public static final String SERVICE_VARIABLE = "POWERTOOLS_SERVICE_NAME";
    private static final String SERVICE = serviceName();
    /** A dimension value outside this shape (unexpected input) is reported as {@value #OTHER}. */
    private static final Pattern BOUNDED_VALUE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");
    private static final String OTHER = "other";
    private static final Clock CLOCK = Clock.systemUTC();

    /** How one delivery attempt ended, as the delivery log names it. */
    public enum Outcome {
        SUCCEEDED, FAILED, RETRYING, DEAD, CANCELLED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why a connector was disabled (a bounded dimension; the full reason is in the log and the API). */
    public enum DisableCause {
        /** The destination answered that it no longer exists (Slack 404/410, Discord 404). */
        GONE,
        /** Every delivery failed for days. */
        SUSTAINED_FAILURE,
        /** An OAuth token could not be refreshed. */
        OAUTH_REFRESH_FAILED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Metrics() {
    }

    /**
     * One delivery attempt finished: {@code Deliveries} (count, by outcome, and by connector type and
     * outcome), {@code DeliveryLatency} (the destination's answer time, when a request was sent) and,
     * for a success, {@code AttemptsPerSuccess} (which attempt of its series succeeded).
     */
    public static void delivery(String connectorType, Outcome outcome, Duration latency, int attempt) {
        Line line = new Line()
                .dimensions(List.of("Service", "Outcome"), List.of("Service", "ConnectorType", "Outcome"))
                .value("ConnectorType", bounded(connectorType))
                .value("Outcome", outcome.id())
                .metric("Deliveries", 1, "Count");
        if (latency != null) {
            line.metric("DeliveryLatency", latency.toMillis(), "Milliseconds");
        }
        if (outcome == Outcome.SUCCEEDED) {
            line.metric("AttemptsPerSuccess", attempt, "Count");
        }
        line.write();
    }

    /** An event fanned out to this many delivery jobs ({@code FanOutSize}). */
    public static void fanOut(int jobs) {
        new Line().dimensions(List.of("Service")).metric("FanOutSize", jobs, "Count").write();
    }

    /** A transformation ran: {@code TransformationTime}, and {@code TransformationFailures} 1 when it failed. */
    public static void transformation(String connectorType, Duration took, boolean failed) {
        new Line()
                .dimensions(List.of("Service"), List.of("Service", "ConnectorType"))
                .value("ConnectorType", bounded(connectorType))
                .metric("TransformationTime", took.toNanos() / 1_000_000.0, "Milliseconds")
                .metric("TransformationFailures", failed ? 1 : 0, "Count")
                .write();
    }

    /** The API answered with this status ({@code ApiResponses} by status class: 2xx, 3xx, 4xx, 5xx). */
    public static void apiResponse(int status) {
        new Line()
                .dimensions(List.of("Service", "StatusClass"))
                .value("StatusClass", statusClass(status))
                .metric("ApiResponses", 1, "Count")
                .write();
    }

    /** A create was refused because the plan's connector limit was reached ({@code PlanLimitRefusals}). */
    public static void planLimitRefused(String tier) {
        new Line()
                .dimensions(List.of("Service"), List.of("Service", "Tier"))
                .value("Tier", bounded(tier))
                .metric("PlanLimitRefusals", 1, "Count")
                .write();
    }

    /** The SSRF guard refused a destination address ({@code SsrfRefusals}). */
    public static void ssrfRefused() {
        new Line().dimensions(List.of("Service")).metric("SsrfRefusals", 1, "Count").write();
    }

    /** A connector was disabled by the service ({@code ConnectorsDisabled}, by cause). */
    public static void connectorDisabled(DisableCause cause) {
        new Line()
                .dimensions(List.of("Service"), List.of("Service", "Cause"))
                .value("Cause", cause.id())
                .metric("ConnectorsDisabled", 1, "Count")
                .write();
    }

    static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : OTHER;
    }

    static String bounded(String value) {
        if (value == null) {
            return OTHER;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        return BOUNDED_VALUE.matcher(lower).matches() ? lower : OTHER;
    }

    private static String serviceName() {
        String name = System.getenv(SERVICE_VARIABLE);
        return name == null || name.isBlank() ? "connectors" : name;
    }

    /** One EMF document: dimension sets, dimension values, metrics, and the context's ids as properties. */
    private static final class Line {
        private final ObjectNode root = Json.object();
        private final ArrayNode definitions;
        private final ArrayNode dimensionSets;
        private final Map<String, Object> values = new LinkedHashMap<>();

        Line() {
            ObjectNode directive = Json.object();
            directive.put("Namespace", NAMESPACE);
            dimensionSets = directive.putArray("Dimensions");
            definitions = directive.putArray("Metrics");
            ObjectNode aws = root.putObject("_aws");
            aws.put("Timestamp", CLOCK.millis());
            aws.putArray("CloudWatchMetrics").add(directive);
            values.put("Service", SERVICE);
        }

        @SafeVarargs
        final Line dimensions(List<String>... sets) {
            for (List<String> set : sets) {
                ArrayNode names = dimensionSets.addArray();
                set.forEach(names::add);
            }
            return this;
        }

        Line value(String dimension, String value) {
            values.put(dimension, value);
            return this;
        }

        Line metric(String name, double value, String unit) {
            definitions.addObject().put("Name", name).put("Unit", unit);
            values.put(name, value == Math.rint(value) ? (Object) (long) value : (Object) value);
            return this;
        }

        void write() {
            // Context first (function, requestId, ids), so a dimension or metric of the same name wins.
            LogContext.current().forEach(root::putPOJO);
            values.forEach(root::putPOJO);
            System.out.println(Json.write(root));
        }
    }
}
