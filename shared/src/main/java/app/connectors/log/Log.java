package app.connectors.log;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Locale;

/**
 * Structured logging: one JSON object per line on standard error, which Lambda ships to CloudWatch
 * Logs. Every line carries the fields of the {@link LogContext} in force (function, request id, cold
 * start, trace id, and the event, delivery, connector and user ids in play), then the caller's own.
 * Callers pass ids and reasons, never secrets: URLs, tokens and credentials must not be given to a
 * logger (the destinations' URLs are credentials).
 *
 * <p>The level comes from the environment variable {@value #LEVEL_VARIABLE} (DEBUG, INFO, WARN or
 * ERROR; INFO when unset); lines below it are not written.
 *
 * <pre>{@code
 * Log.info("connector.created", "connectorId", id, "type", "slack");
 * }</pre>
 */
public final class Log {

    public static final String LEVEL_VARIABLE = "LOG_LEVEL";

    /** Levels in increasing severity. */
    public enum Level {
        DEBUG, INFO, WARN, ERROR;

        /** The level named by {@code text} (any case); INFO when it names none. */
        public static Level parse(String text) {
            if (text != null) {
                for (Level level : values()) {
                    if (level.name().equals(text.strip().toUpperCase(Locale.ROOT))) {
                        return level;
                    }
                }
            }
            return INFO;
        }
    }

    private static final Level THRESHOLD = Level.parse(System.getenv(LEVEL_VARIABLE));

    private Log() {
    }

    public static boolean enabled(Level level) {
        return level.compareTo(THRESHOLD) >= 0;
    }

    public static void debug(String message, Object... keyValues) {
        write(Level.DEBUG, message, null, keyValues);
    }

    public static void info(String message, Object... keyValues) {
        write(Level.INFO, message, null, keyValues);
    }

    public static void warn(String message, Object... keyValues) {
        write(Level.WARN, message, null, keyValues);
    }

    public static void error(String message, Throwable error, Object... keyValues) {
        write(Level.ERROR, message, error, keyValues);
    }

    private static void write(Level level, String message, Throwable error, Object... keyValues) {
        if (!enabled(level)) {
            return;
        }
        ObjectNode line = Json.object();
        line.put("time", Instant.now().toString());
        line.put("level", level.name());
        line.put("message", message);
        LogContext.current().forEach(line::putPOJO);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.putPOJO(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        if (error != null) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            line.put("error", error.getClass().getName());
            line.put("stackTrace", trace.toString());
        }
        System.err.println(Json.write(line));
    }
}
