package app.connectors.functions;

import app.connectors.log.LogContext;
import com.amazonaws.services.lambda.runtime.Context;

/**
 * The start of a handler's invocation: from here every log and metric line carries the function's
 * name, the Lambda request id, whether this is a cold start and the X-Ray trace id, until the scope
 * closes. Every handler opens one first.
 *
 * <pre>{@code
 * try (LogContext.Scope invocation = Invocation.begin(context)) {
 *     ...
 * }
 * }</pre>
 */
public final class Invocation {

    /** Where Lambda puts the trace header of the current invocation (the system property wins, as in the X-Ray SDK). */
    static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";
    static final String TRACE_VARIABLE = "_X_AMZN_TRACE_ID";

    private Invocation() {
    }

    public static LogContext.Scope begin(Context context) {
        String function = context == null ? System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "unknown")
                : context.getFunctionName();
        String requestId = context == null ? "unknown" : context.getAwsRequestId();
        return LogContext.invocation(function, requestId, traceRoot());
    }

    /** The Root=… part of the trace header, if tracing is on. */
    static String traceRoot() {
        String header = System.getProperty(TRACE_PROPERTY, System.getenv(TRACE_VARIABLE));
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            if (part.startsWith("Root=")) {
                return part.substring("Root=".length());
            }
        }
        return null;
    }
}
