package app.connectors.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Test SQS handler: bodies starting with "fail" are reported as failures; a body "throw" fails the batch. */
public class TestBatchHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** Every record received (body, receive count, event source ARN), in order. */
    static final ConcurrentLinkedQueue<SQSEvent.SQSMessage> RECEIVED = new ConcurrentLinkedQueue<>();

    public TestBatchHandler(Map<String, String> environment) {
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage record : event.getRecords()) {
            RECEIVED.add(record);
            if (record.getBody().equals("throw")) {
                throw new IllegalStateException("the whole batch fails");
            }
            if (record.getBody().startsWith("fail")) {
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(record.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
