package app.connectors.trace;

import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * One {@code aws} subsegment per AWS SDK call (all its retries included): the service and operation,
 * the region, the table or queue, the request id, the HTTP status, retries, and X-Ray's
 * error/throttle/fault flags. The call's requests carry {@code X-Amzn-Trace-Id} with this subsegment
 * as their parent, so what a service passes on (an SQS message's {@code AWSTraceHeader}) points here.
 * Added to every client where clients are built ({@code AwsClients}); when the call is not traced it
 * does nothing but look at a thread-local.
 *
 * <pre>{@code
 * DynamoDbClient.builder().overrideConfiguration(o -> o.addExecutionInterceptor(new AwsCallTracing(tracer)));
 * }</pre>
 */
public final class AwsCallTracing implements ExecutionInterceptor {

    private static final ExecutionAttribute<Subsegment> SUBSEGMENT = new ExecutionAttribute<>("XRaySubsegment");
    private static final ExecutionAttribute<int[]> ATTEMPTS = new ExecutionAttribute<>("XRayAttempts");
    static final String TRACE_HEADER = "X-Amzn-Trace-Id";

    private final Tracer tracer;

    public AwsCallTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (!tracer.recording()) {
            return;
        }
        Subsegment call = tracer.begin(xrayName(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)),
                Subsegment.Namespace.AWS);
        SdkRequest request = context.request();
        call.aws("operation", attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        Object region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
        call.aws("region", region == null ? null : region.toString());
        // Resource names are not secret, and they are what an operator filters on.
        call.aws("table_name", request.getValueForField("TableName", String.class).orElse(null));
        call.aws("queue_url", request.getValueForField("QueueUrl", String.class).orElse(null));
        call.aws("topic_arn", request.getValueForField("TopicArn", String.class).orElse(null));
        attributes.putAttribute(SUBSEGMENT, call);
        attributes.putAttribute(ATTEMPTS, new int[1]);
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        Subsegment call = attributes.getAttribute(SUBSEGMENT);
        if (call == null) {
            return context.httpRequest();
        }
        return context.httpRequest().toBuilder().putHeader(TRACE_HEADER, call.downstreamHeader()).build();
    }

    /** Once per attempt (retries included). */
    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        int[] attempts = attributes.getAttribute(ATTEMPTS);
        if (attempts != null) {
            attempts[0]++;
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        Subsegment call = attributes.getAttribute(SUBSEGMENT);
        if (call == null) {
            return;
        }
        if (context.response() instanceof AwsResponse response) {
            call.aws("request_id", response.responseMetadata().requestId());
        }
        call.status(context.httpResponse().statusCode());
        finish(call, attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Subsegment call = attributes.getAttribute(SUBSEGMENT);
        if (call == null) {
            return;
        }
        Throwable failure = context.exception();
        Optional<Integer> status = context.httpResponse().map(response -> response.statusCode());
        if (failure instanceof SdkServiceException service) {
            if (failure instanceof AwsServiceException aws) {
                call.aws("request_id", aws.requestId());
            }
            call.status(status.orElse(service.statusCode()));
            if (service.isThrottlingException()) {
                call.throttled();
            }
            call.failed(errorCode(failure), true);
        } else {
            status.ifPresent(call::status);
            call.failed(failure.getClass().getSimpleName(), false);
        }
        finish(call, attributes);
    }

    private static void finish(Subsegment call, ExecutionAttributes attributes) {
        int[] attempts = attributes.getAttribute(ATTEMPTS);
        call.aws("retries", Math.max(0, attempts[0] - 1));
        call.end();
    }

    /** The service's error code (ConditionalCheckFailedException), else the exception's class. */
    private static String errorCode(Throwable failure) {
        if (failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorCode() != null) {
            return aws.awsErrorDetails().errorCode();
        }
        return failure.getClass().getSimpleName();
    }

    /** The names X-Ray's own instrumentation gives the services (the SDK's are "DynamoDb", "Sqs"). */
    static String xrayName(String sdkServiceName) {
        if (sdkServiceName == null) {
            return "AWS";
        }
        return sdkServiceName.equals("DynamoDb") ? "DynamoDB" : sdkServiceName.toUpperCase(Locale.ROOT);
    }
}
