package app.connectors.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.log.LogContext;
import app.connectors.trace.TraceContext;
import app.connectors.trace.TraceHeader;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import org.junit.jupiter.api.Test;

/** An invocation opens the log context and the trace position from the header its context carries. */
class InvocationTest {

    private static final String HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    @Test
    void theContextsTraceHeaderIsTheInvocationsPositionAndItsRootIsOnEveryLine() {
        try (LogContext.Scope invocation = Invocation.begin(new TracedContext(HEADER))) {
            assertThat(TraceContext.current()).contains(TraceHeader.parse(HEADER).orElseThrow());
            assertThat(LogContext.current()).containsEntry("traceId", "1-5759e988-bd862e3fe1be46a994272793");
        }
        // closed: neither outlives the invocation
        assertThat(TraceContext.current()).isEmpty();
        assertThat(LogContext.current()).doesNotContainKey("traceId");
    }

    @Test
    void aMalformedHeaderIsNoTrace() {
        try (LogContext.Scope invocation = Invocation.begin(new TracedContext("Root=forged\";Parent=x;Sampled=1"))) {
            assertThat(TraceContext.current()).isEmpty();
            assertThat(LogContext.current()).doesNotContainKey("traceId");
        }
    }

    private record TracedContext(String traceHeader) implements Context {
        @Override
        public String getXrayTraceId() {
            return traceHeader;
        }

        @Override
        public String getAwsRequestId() {
            return "req-1";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/DeliverFunction";
        }

        @Override
        public String getLogStreamName() {
            return "stream";
        }

        @Override
        public String getFunctionName() {
            return "DeliverFunction";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:DeliverFunction";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 60_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return null;
        }
    }
}
