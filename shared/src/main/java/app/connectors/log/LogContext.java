package app.connectors.log;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every log line and metric line of the current work carries: the function, the Lambda request
 * id, whether this is the function's cold start, the X-Ray trace id, and the ids in play (event,
 * delivery, connector, user). A handler opens an invocation scope; the code under it adds ids as it
 * learns them. Threads started inside a scope (the deliverer's virtual threads) inherit its fields.
 *
 * <pre>{@code
 * try (LogContext.Scope invocation = LogContext.invocation("DeliverFunction", context.getAwsRequestId(), traceId)) {
 *     try (LogContext.Scope job = LogContext.with("deliveryId", id, "connectorId", connectorId)) {
 *         Log.info("delivery.done");   // {"function":"DeliverFunction","requestId":…,"coldStart":true,"deliveryId":…}
 *     }
 * }
 * }</pre>
 */
public final class LogContext {

    private static final InheritableThreadLocal<Map<String, Object>> FIELDS = new InheritableThreadLocal<>() {
        @Override
        protected Map<String, Object> initialValue() {
            return Map.of();
        }
    };
    /** Functions that have started an invocation in this JVM (one on Lambda; all of them on the local stack). */
    private static final Set<String> WARM = ConcurrentHashMap.newKeySet();

    private LogContext() {
    }

    /** Restores the fields as they were before the scope opened. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Starts an invocation of a function: replaces every field with the function's name, the request
     * id, the trace id (when tracing is on) and coldStart, which is true for the first invocation of
     * that function in this execution environment.
     */
    public static Scope invocation(String functionName, String requestId, String traceId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("function", functionName);
        fields.put("requestId", requestId);
        fields.put("coldStart", WARM.add(functionName));
        if (traceId != null && !traceId.isBlank()) {
            fields.put("traceId", traceId);
        }
        return replace(Collections.unmodifiableMap(fields));
    }

    /** Adds ids (name, value pairs; null values are left out) to the fields until the scope closes. */
    public static Scope with(Object... keyValues) {
        Map<String, Object> fields = new LinkedHashMap<>(FIELDS.get());
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                fields.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
            }
        }
        return replace(Collections.unmodifiableMap(fields));
    }

    /** The fields in force on this thread. */
    public static Map<String, Object> current() {
        return FIELDS.get();
    }

    private static Scope replace(Map<String, Object> fields) {
        Map<String, Object> previous = FIELDS.get();
        FIELDS.set(fields);
        return () -> FIELDS.set(previous);
    }
}
