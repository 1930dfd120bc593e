package app.connectors.trace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the current work sits in a trace: the trace header whose {@code Parent} is the segment that
 * new subsegments hang under, and the annotations they carry (a connector type, for instance). A
 * handler's invocation opens it from the header Lambda gives it; code below adds annotations for a
 * narrower scope. Threads started inside a scope (the deliverer's virtual threads) inherit it, like
 * {@code LogContext}.
 *
 * <pre>{@code
 * try (TraceContext.Scope invocation = TraceContext.enter(TraceHeader.parse(context.getXrayTraceId()).orElse(null))) {
 *     try (TraceContext.Scope typed = TraceContext.annotate("connector_type", "slack")) {
 *         sender.send(request);   // its subsegment carries connector_type=slack
 *     }
 * }
 * }</pre>
 */
public final class TraceContext {

    private record Position(TraceHeader header, Map<String, String> annotations) {
    }

    private static final Position NONE = new Position(null, Map.of());
    private static final InheritableThreadLocal<Position> CURRENT = new InheritableThreadLocal<>() {
        @Override
        protected Position initialValue() {
            return NONE;
        }
    };

    private TraceContext() {
    }

    /** Restores the position as it was before the scope opened. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** The header in force on this thread, if the work is in a trace at all (sampled or not). */
    public static Optional<TraceHeader> current() {
        return Optional.ofNullable(CURRENT.get().header());
    }

    /** The annotations that subsegments opened here carry. */
    public static Map<String, String> annotations() {
        return CURRENT.get().annotations();
    }

    /** Makes {@code header} the position (null: not traced), without annotations, until the scope closes. */
    public static Scope enter(TraceHeader header) {
        return replace(header == null ? NONE : new Position(header, Map.of()));
    }

    /** Adds an annotation to the subsegments opened until the scope closes (a null value adds nothing). */
    public static Scope annotate(String key, String value) {
        Position position = CURRENT.get();
        if (value == null) {
            return replace(position);
        }
        Map<String, String> annotations = new LinkedHashMap<>(position.annotations());
        annotations.put(key, value);
        return replace(new Position(position.header(), Collections.unmodifiableMap(annotations)));
    }

    private static Scope replace(Position position) {
        Position previous = CURRENT.get();
        CURRENT.set(position);
        return () -> CURRENT.set(previous);
    }
}
