package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.delivery.DeliveryTimings;
import app.connectors.functions.DeliverHandler;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * template.yaml against {@link DeliveryTimings}: every function timeout, queue visibility, retention
 * and schedule of the delivery path must agree with the limits the code derives, or a lease could
 * run out under a live worker, a message reappear while it is being handled, or the reconciler
 * call a job lost that is only late. A change to either side that breaks one of these fails here.
 */
class DeliveryTimingsTemplateTest {

    private static final TemplateModel TEMPLATE = TemplateModel.load(Path.of("../template.yaml"));
    private static final DeliveryTimings TIMINGS = DeliveryTimings.production();

    @Test
    void deliverFunctionOutlastsEveryWorkerItStarts() {
        Duration timeout = timeoutOf("DeliverFunction");

        // a worker's lease runs out, or the worker finishes, before Lambda stops the function
        assertThat(timeout).isGreaterThanOrEqualTo(TIMINGS.functionTimeout());
        assertThat(TIMINGS.lease()).isLessThan(timeout);
    }

    @Test
    void dispatcherHasRoomToStartAttemptsBeforeItsReserve() {
        Duration timeout = timeoutOf("DispatcherFunction");

        // the dispatcher stops starting first attempts dispatchReserve() before its timeout; a minute at least is left for them
        assertThat(timeout.minus(TIMINGS.dispatchReserve())).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void queuesKeepMessagesInvisibleLongerThanTheirFunctionsRun() {
        assertThat(visibilityOf("DeliveriesQueue")).isGreaterThanOrEqualTo(DeliveryTimings.queueVisibility(timeoutOf("DeliverFunction")));
        assertThat(visibilityOf("EventsQueue")).isGreaterThanOrEqualTo(DeliveryTimings.queueVisibility(timeoutOf("DispatcherFunction")));
    }

    @Test
    void aRedeliveredMessageFindsTheLeasesOfItsCrashedWorkersRunOut() {
        // an event (or job) whose worker died comes back after its queue's visibility; by then the
        // records that worker claimed must be claimable again
        assertThat(visibilityOf("EventsQueue")).isGreaterThan(TIMINGS.lease());
        assertThat(visibilityOf("DeliveriesQueue")).isGreaterThan(TIMINGS.lease());
    }

    @Test
    void deliveriesQueueKeepsMessagesAsLongAsTheDeliverHandlerCountsOn() {
        Duration retention = Duration.ofSeconds(Long.parseLong(String.valueOf(
                TEMPLATE.queues().get("DeliveriesQueue").properties().get("MessageRetentionPeriod"))));

        assertThat(retention).isEqualTo(DeliverHandler.QUEUE_RETENTION);
        // a job deferred to the longest a message may stay invisible is still within its retention
        assertThat(retention).isGreaterThan(DeliveryTimings.MAX_VISIBILITY.plus(DeliveryTimings.MAX_DELAY));
    }

    @Test
    void deliveriesDeadLetterQueueKeepsJobsAsLongAsTheFanOutLeasesCountOn() {
        // a job SQS dead-lettered comes back from a redrive asking no restart; the fan-out's lease
        // item outlives the record it then writes only if the queue keeps it no longer than this
        Duration retention = Duration.ofSeconds(Long.parseLong(String.valueOf(
                TEMPLATE.queues().get("DeliveriesDLQ").properties().get("MessageRetentionPeriod"))));

        assertThat(retention).isEqualTo(DeliveryTimings.DEAD_LETTER_RETENTION);
    }

    @Test
    void deliveriesQueueDeadLettersAfterTheReceivesTheDeliverHandlerCountsOn() {
        // the handler moves a waiting job into a new message before its message reaches this count
        assertThat(TEMPLATE.queues().get("DeliveriesQueue").maxReceiveCount()).isEqualTo(DeliverHandler.MAX_RECEIVES);
    }

    @Test
    void theReconcilerRunsOftenEnoughAndWaitsLongEnough() {
        TemplateModel.Function reconciler = TEMPLATE.function("ReconcilerFunction").orElseThrow();
        Duration every = reconciler.scheduleEvents().getFirst().every();

        assertThat(reconciler.scheduleEvents()).singleElement().satisfies(s -> assertThat(s.enabled()).isTrue());
        assertThat(every).isLessThanOrEqualTo(TIMINGS.reconcileGrace());
        // a pending record's job may be late by a lease run out plus a deliverer's whole run; the grace is longer
        assertThat(TIMINGS.reconcileGrace()).isGreaterThan(TIMINGS.lease().plus(timeoutOf("DeliverFunction")));
    }

    private static Duration timeoutOf(String function) {
        return Duration.ofSeconds(TEMPLATE.function(function).orElseThrow().timeoutSeconds());
    }

    private static Duration visibilityOf(String queue) {
        return Duration.ofSeconds(Long.parseLong(String.valueOf(TEMPLATE.queues().get(queue).properties().get("VisibilityTimeout"))));
    }
}
