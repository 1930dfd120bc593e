package app.connectors.functions;

import app.connectors.log.LogContext;
import app.connectors.config.AwsClients;
import app.connectors.config.Settings;
import app.connectors.log.Log;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Invoked by an operator (not routed): moves the dead-lettered delivery jobs back to
 * DeliveriesQueue with SQS's StartMessageMoveTask, where each starts a new series of attempts.
 * Input {@code {"maxPerSecond": 10}} (optional) paces the move; {@code {"action": "status"}}
 * lists the queue's move tasks instead.
 */
public final class RedriveHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final SqsClient sqs;
    private final String deadLetterArn;
    private final String queueArn;

    public RedriveHandler() {
        this(System.getenv());
    }

    /** For the local stack: this function's environment as template.yaml wires it. */
    public RedriveHandler(Map<String, String> environment) {
        this(Settings.from(environment));
    }

    private RedriveHandler(Settings settings) {
        this(AwsClients.sqs(settings), settings.required(Settings.DELIVERIES_DLQ_ARN),
                settings.required(Settings.DELIVERIES_QUEUE_ARN));
    }

    RedriveHandler(SqsClient sqs, String deadLetterArn, String queueArn) {
        this.sqs = sqs;
        this.deadLetterArn = deadLetterArn;
        this.queueArn = queueArn;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        try (LogContext.Scope invocation = Invocation.begin(context)) {
            return handle(input, context);
        }
    }

    private Map<String, Object> handle(Map<String, Object> input, Context context) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (input != null && "status".equals(input.get("action"))) {
            var tasks = sqs.listMessageMoveTasks(r -> r.sourceArn(deadLetterArn)).results();
            out.put("tasks", tasks.stream().map(t -> Map.of(
                    "status", String.valueOf(t.status()),
                    "moved", t.approximateNumberOfMessagesMoved() == null ? 0 : t.approximateNumberOfMessagesMoved(),
                    "toMove", t.approximateNumberOfMessagesToMove() == null ? 0 : t.approximateNumberOfMessagesToMove())).toList());
            return out;
        }
        Integer rate = input != null && input.get("maxPerSecond") instanceof Number n ? n.intValue() : null;
        var response = sqs.startMessageMoveTask(r -> {
            r.sourceArn(deadLetterArn).destinationArn(queueArn);
            if (rate != null) {
                r.maxNumberOfMessagesPerSecond(rate);
            }
        });
        Log.info("redrive.started", "taskHandle", response.taskHandle());
        out.put("ok", true);
        out.put("taskHandle", response.taskHandle());
        return out;
    }
}
