package app.connectors.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.connector.Connector;
import app.connectors.connector.Subscription;
import app.connectors.delivery.DeliveryJob;
import app.connectors.delivery.DeliveryOutcome;
import app.connectors.delivery.DeliveryState;
import app.connectors.delivery.DeliveryTimings;
import app.connectors.delivery.EventStore;
import app.connectors.delivery.EventsQueue;
import app.connectors.delivery.FanOut;
import app.connectors.delivery.FanOutContinuation;
import app.connectors.delivery.SubscriptionStore;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.filter.EventPattern;
import app.connectors.json.Json;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Which fan-out an event's message gets: attempts here the first time, jobs on DeliveriesQueue once it came back. */
class DispatcherHandlerTest {

    private static final String TYPE = "promise.status_changed";

    private final List<String> attemptedHere = Collections.synchronizedList(new ArrayList<>());
    private final List<String> queuedAsJobs = Collections.synchronizedList(new ArrayList<>());
    private final SubscriptionStore twoSubscribers = new SubscriptionStore() {
        @Override
        public void forEach(String eventType, String userId, String afterSubscriber, Predicate<Subscription> action) {
            if (eventType.equals(TYPE) && afterSubscriber == null) {
                for (String connectorId : List.of("c1", "c2")) {
                    if (!action.test(new Subscription(TYPE, "user-1", connectorId, "generic", Connector.Status.ACTIVE,
                            EventPattern.everything(), 1))) {
                        return;
                    }
                }
            }
        }
    };
    private final DispatcherHandler handler = new DispatcherHandler(EventParser.standard(),
            new FanOut(twoSubscribers, job -> {
                attemptedHere.add(job.connectorId());
                return new DeliveryOutcome.Done(DeliveryState.SUCCEEDED);
            }, 4, Clock.systemUTC()),
            new FanOut(twoSubscribers, FanOut.FirstAttempt.queued((DeliveryJob job, Duration delay) -> queuedAsJobs.add(job.connectorId())),
                    4, Clock.systemUTC()),
            new EventsQueue() {
                @Override
                public void park(String body, String reason) {
                    throw new AssertionError("parked: " + reason);
                }

                @Override
                public void continueLater(FanOutContinuation continuation) {
                    throw new AssertionError("continued");
                }
            }, new EventStore() {
                @Override
                public void keep(Event event) {
                    throw new AssertionError("kept " + event.id());
                }

                @Override
                public Optional<Event> find(String eventId) {
                    throw new AssertionError("read " + eventId);
                }
            }, DeliveryTimings.production(), Clock.systemUTC());

    @Test
    void aMessageHandedOutTheFirstTimeIsFannedOutIntoAttemptsHere() {
        SQSBatchResponse response = handler.handleRequest(batch(message("1")), context());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(attemptedHere).containsExactlyInAnyOrder("c1", "c2");
        assertThat(queuedAsJobs).isEmpty();
    }

    @Test
    void aMessageThatCameBackHasEachDeliveryQueuedAsAJobAndGoes() {
        SQSBatchResponse response = handler.handleRequest(batch(message("2")), context());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(queuedAsJobs).containsExactlyInAnyOrder("c1", "c2");
        assertThat(attemptedHere).isEmpty();
    }

    @Test
    void aMessageWithoutAReceiveCountIsTakenForAFirstOne() {
        SQSEvent.SQSMessage message = message("1");
        message.setAttributes(null);

        handler.handleRequest(batch(message), context());

        assertThat(attemptedHere).hasSize(2);
    }

    private static SQSEvent.SQSMessage message(String receiveCount) {
        var envelope = EventCatalog.standard().find(TYPE).orElseThrow().example().deepCopy();
        envelope.put("id", "evt_dispatch_" + receiveCount);
        envelope.put("userId", "user-1");
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("m-" + receiveCount);
        message.setReceiptHandle("r-" + receiveCount);
        message.setBody(Json.write(envelope));
        message.setAttributes(Map.of("ApproximateReceiveCount", receiveCount));
        return message;
    }

    private static SQSEvent batch(SQSEvent.SQSMessage message) {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }

    /** A context that answers what the dispatcher reads: its function, request id and time left. */
    private static Context context() {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getFunctionName" -> "DispatcherFunction";
                    case "getAwsRequestId" -> "req-1";
                    case "getRemainingTimeInMillis" -> 170_000;
                    case "getXrayTraceId" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
