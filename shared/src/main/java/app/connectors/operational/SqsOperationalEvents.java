package app.connectors.operational;

import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Operational events to an SQS queue: the local stack's stand-in for the SNS topic (it has no SNS);
 * {@code bin/local events} reads it. Same body and {@code type} attribute as on SNS.
 */
public final class SqsOperationalEvents implements OperationalEvents {

    private final Supplier<SqsClient> sqs;
    private final String queueUrl;

    public SqsOperationalEvents(Supplier<SqsClient> sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(OperationalEvent event) {
        sqs.get().sendMessage(request -> request.queueUrl(queueUrl).messageBody(event.toJson())
                .messageAttributes(Map.of("type", MessageAttributeValue.builder().dataType("String").stringValue(event.type()).build())));
    }
}
