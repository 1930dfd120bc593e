package app.connectors.log;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;

/**
 * Structured logging: one JSON object per line on standard error, which Lambda ships to CloudWatch
 * Logs. Callers pass ids and reasons, never secrets: URLs, tokens and credentials must not be
 * given to a logger (the destinations' URLs are credentials).
 *
 * <pre>{@code
 * Log.info("connector.created", "connectorId", id, "type", "slack");
 * }</pre>
 */
public final class Log {

    private Log() {
    }

    public static void info(String message, Object... keyValues) {
        write("INFO", message, null, keyValues);
    }

    public static void warn(String message, Object... keyValues) {
        write("WARN", message, null, keyValues);
    }

    public static void error(String message, Throwable error, Object... keyValues) {
        write("ERROR", message, error, keyValues);
    }

    private static void write(String level, String message, Throwable error, Object... keyValues) {
        ObjectNode line = Json.object();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("message", message);
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
