package app.connectors.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.log.LogContext;
import app.connectors.trace.TraceContext;
import app.connectors.trace.TraceHeader;
import com.amazonaws.services.lambda.runtime.Context;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** An invocation opens the log context and the trace position from the header its context carries. */
class InvocationTest {

    private static final String HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    @Test
    void theContextsTraceHeaderIsTheInvocationsPositionAndItsRootIsOnEveryLine() {
        try (LogContext.Scope invocation = Invocation.begin(tracedContext(HEADER))) {
            assertThat(TraceContext.current()).contains(TraceHeader.parse(HEADER).orElseThrow());
            assertThat(LogContext.current()).containsEntry("traceId", "1-5759e988-bd862e3fe1be46a994272793");
        }
        // closed: neither outlives the invocation
        assertThat(TraceContext.current()).isEmpty();
        assertThat(LogContext.current()).doesNotContainKey("traceId");
    }

    @Test
    void aMalformedHeaderIsNoTrace() {
        try (LogContext.Scope invocation = Invocation.begin(tracedContext("Root=forged\";Parent=x;Sampled=1"))) {
            assertThat(TraceContext.current()).isEmpty();
            assertThat(LogContext.current()).doesNotContainKey("traceId");
        }
    }

    /** A context that answers only what an invocation reads: its function, request id and trace header. */
    private static Context tracedContext(String traceHeader) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getXrayTraceId" -> traceHeader;
                    case "getFunctionName" -> "DeliverFunction";
                    case "getAwsRequestId" -> "req-1";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
