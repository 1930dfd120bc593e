package app.connectors.local;

import app.connectors.json.Json;
import app.connectors.trace.TraceHeader;
import app.connectors.trace.Tracer;
import app.connectors.trace.XRayDaemon;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * What Lambda does for a function with {@code Tracing: Active}, on the local stack: when the
 * function's environment names an X-Ray daemon ({@code AWS_XRAY_DAEMON_ADDRESS}, e.g. from
 * {@code bin/local start --env AWS_XRAY_DAEMON_ADDRESS=127.0.0.1:2000}), each invocation starts a new,
 * sampled trace, its context hands the handler the header, and the invocation's own segment
 * ({@code AWS::Lambda::Function}) is sent when it ends, so the handler's subsegments have a parent.
 * Without the variable nothing is traced, as on Lambda without active tracing.
 *
 * <pre>{@code
 * LocalTracing tracing = LocalTracing.from(environment);
 * TraceHeader header = tracing.start();          // null when off
 * ... invoke with LocalContext carrying header.format() ...
 * tracing.finish("DeliverFunction", header, started, failed);
 * }</pre>
 */
final class LocalTracing {

    private static final LocalTracing OFF = new LocalTracing(null, Clock.systemUTC());

    private final XRayDaemon daemon;
    private final Clock clock;

    private LocalTracing(XRayDaemon daemon, Clock clock) {
        this.daemon = daemon;
        this.clock = clock;
    }

    static LocalTracing from(Map<String, String> environment) {
        // The handlers' own Tracer reads the same variable: both are on, or both off.
        return Tracer.fromEnvironment(environment).daemon().map(daemon -> new LocalTracing(daemon, Clock.systemUTC()))
                .orElse(OFF);
    }

    /** A new sampled trace whose first segment is this invocation's; null when tracing is off. */
    TraceHeader start() {
        return daemon == null ? null : TraceHeader.newTrace(clock.instant().getEpochSecond(), TraceHeader.newId());
    }

    Instant now() {
        return clock.instant();
    }

    /** Sends the invocation's segment: the function's name, its times, and a fault when the handler threw. */
    void finish(String functionName, TraceHeader header, Instant started, boolean failed) {
        if (daemon == null || header == null) {
            return;
        }
        ObjectNode segment = Json.object()
                .put("name", functionName)
                .put("id", header.parent())
                .put("trace_id", header.root())
                .put("origin", "AWS::Lambda::Function")
                .put("start_time", seconds(started))
                .put("end_time", seconds(clock.instant()));
        if (failed) {
            segment.put("fault", true);
        }
        daemon.send(Json.writeBytes(segment));
    }

    private static double seconds(Instant instant) {
        return instant.getEpochSecond() + (instant.getNano() / 1000) / 1_000_000.0;
    }
}
