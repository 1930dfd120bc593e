package app.connectors.functions;

import app.connectors.log.LogContext;
import app.connectors.trace.TraceContext;
import app.connectors.trace.TraceHeader;
import com.amazonaws.services.lambda.runtime.Context;

/**
 * The start of a handler's invocation: from here every log and metric line carries the function's
 * name, the Lambda request id, whether this is a cold start and the X-Ray trace id, and the AWS calls
 * and outbound sends made under it are subsegments of the invocation's trace (when it is sampled),
 * until the scope closes. Every handler opens one first.
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
        TraceHeader header = traceHeader(context);
        LogContext.Scope logged = LogContext.invocation(function, requestId, header == null ? null : header.root());
        TraceContext.Scope traced = TraceContext.enter(header);
        return () -> {
            traced.close();
            logged.close();
        };
    }

    /**
     * The invocation's trace header, if tracing is on: the context's own (per invocation, also when
     * one environment serves several invocations at once), else the system property the Java runtime
     * sets per invocation, else the environment variable.
     */
    static TraceHeader traceHeader(Context context) {
        String header = context == null ? null : context.getXrayTraceId();
        if (header == null || header.isBlank()) {
            header = System.getProperty(TRACE_PROPERTY, System.getenv(TRACE_VARIABLE));
        }
        return TraceHeader.parse(header).orElse(null);
    }
}
