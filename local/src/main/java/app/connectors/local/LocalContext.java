package app.connectors.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Lambda's {@link Context} for one local invocation: the function's name, a fresh request id, the
 * remaining time counted down from the function's Timeout, the X-Ray trace header when the stack
 * traces, and a logger that writes to stderr with
 * the function name in front (stdout belongs to the invoke command's result).
 *
 * <pre>{@code
 * Context context = LocalContext.forInvocation("ConnectorsFunction", 15, 1024);
 * context.getLogger().log("hello");
 * }</pre>
 */
public final class LocalContext implements Context {

    private final String functionName;
    private final String requestId;
    private final long deadlineMillis;
    private final int memoryMb;
    private final LambdaLogger logger;
    private final String traceHeader;

    private LocalContext(String functionName, int timeoutSeconds, int memoryMb, String traceHeader) {
        this.functionName = functionName;
        this.traceHeader = traceHeader;
        this.requestId = UUID.randomUUID().toString();
        this.deadlineMillis = System.currentTimeMillis() + timeoutSeconds * 1000L;
        this.memoryMb = memoryMb;
        this.logger = new StderrLogger(functionName, requestId);
    }

    public static LocalContext forInvocation(String functionName, int timeoutSeconds, int memoryMb) {
        return new LocalContext(functionName, timeoutSeconds, memoryMb, null);
    }

    /** With the invocation's X-Ray trace header ({@link LocalTracing}); null when tracing is off. */
    public static LocalContext forInvocation(String functionName, int timeoutSeconds, int memoryMb, String traceHeader) {
        return new LocalContext(functionName, timeoutSeconds, memoryMb, traceHeader);
    }

    /** The invocation's trace header, as Lambda's runtime gives it with active tracing; null without. */
    @Override
    public String getXrayTraceId() {
        return traceHeader;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:" + LocalEnvironment.REGION + ":" + LocalEnvironment.ACCOUNT_ID + ":function:" + functionName;
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
        return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }

    private record StderrLogger(String functionName, String requestId) implements LambdaLogger {
        @Override
        public void log(String message) {
            System.err.println("[" + functionName + " " + requestId + "] " + message);
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    }
}
