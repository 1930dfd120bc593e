package app.connectors.operational;

import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Operational events to an SNS topic. The event type is also a message attribute ({@code type}), so a
 * subscriber can filter (say, only {@code connector.disabled}) with a subscription filter policy.
 */
public final class SnsOperationalEvents implements OperationalEvents {

    private final Supplier<SnsClient> sns;
    private final String topicArn;

    /** @param sns built on the first publish (most invocations publish nothing; the client costs cold start) */
    public SnsOperationalEvents(Supplier<SnsClient> sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public void send(OperationalEvent event) {
        sns.get().publish(request -> request.topicArn(topicArn).message(event.toJson())
                .messageAttributes(Map.of("type", MessageAttributeValue.builder().dataType("String").stringValue(event.type()).build())));
    }
}
