package app.connectors.trace;

import app.connectors.log.Log;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Records subsegments of the current invocation's X-Ray trace: one per AWS SDK call and one per
 * outbound send. Lambda (with {@code Tracing: Active}) records the invocation's own segment and hands
 * the function its header; this only adds what happens inside, sending each subsegment to the daemon
 * as soon as it ends.
 *
 * <p>Nothing is recorded when the function has no daemon address, or the work in progress is not in
 * a sampled trace: {@link #begin} then answers {@link Subsegment#NONE} after one thread-local read.
 * A daemon address that cannot be used is logged once and tracing stays off; it never fails the work.
 *
 * <pre>{@code
 * Tracer tracer = Tracer.fromEnvironment(settings.environment());
 * Subsegment call = tracer.begin("hooks.slack.com", Subsegment.Namespace.REMOTE);
 * try { ... } finally { call.status(200).end(); }
 * }</pre>
 */
public final class Tracer {

    private static final Tracer OFF = new Tracer(null, Clock.systemUTC());

    private final XRayDaemon daemon;
    private final Clock clock;

    private Tracer(XRayDaemon daemon, Clock clock) {
        this.daemon = daemon;
        this.clock = clock;
    }

    /** Records nothing. */
    public static Tracer off() {
        return OFF;
    }

    /** Sends to {@code daemon}, with start and end times from {@code clock}. */
    public static Tracer to(XRayDaemon daemon, Clock clock) {
        return new Tracer(daemon, clock);
    }

    /** Sends to the daemon named by {@value XRayDaemon#ADDRESS_VARIABLE}; off without it, or when it is unusable. */
    public static Tracer fromEnvironment(Map<String, String> environment) {
        String address = environment.get(XRayDaemon.ADDRESS_VARIABLE);
        if (address == null || address.isBlank()) {
            return OFF;
        }
        try {
            return new Tracer(XRayDaemon.at(address), Clock.systemUTC());
        } catch (RuntimeException e) {
            Log.warn("trace.off", "reason", e.getMessage());
            return OFF;
        }
    }

    public boolean on() {
        return daemon != null;
    }

    /** Where documents go; empty when off. */
    public Optional<XRayDaemon> daemon() {
        return Optional.ofNullable(daemon);
    }

    /**
     * A subsegment named {@code name}, started now under the current position of {@link TraceContext}
     * and carrying its annotations; {@link Subsegment#NONE} when nothing is to be recorded.
     */
    public Subsegment begin(String name, Subsegment.Namespace namespace) {
        TraceHeader header = recordable();
        return header == null ? Subsegment.NONE
                : new Subsegment(daemon, clock, header, name, namespace, TraceContext.annotations());
    }

    /** Whether {@link #begin} would record here and now (callers skip preparing a name when it would not). */
    public boolean recording() {
        return recordable() != null;
    }

    /** The position new subsegments hang under: a sampled trace with a parent, and a daemon to send to. */
    private TraceHeader recordable() {
        if (daemon == null) {
            return null;
        }
        TraceHeader header = TraceContext.current().orElse(null);
        return header == null || !header.sampled() || header.parent() == null ? null : header;
    }
}
