package app.connectors.it.pipeline;

import static app.connectors.it.pipeline.PipelineStack.TYPE;
import static app.connectors.it.pipeline.PipelineStack.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.connector.DynamoDbConnectorStore;
import app.connectors.delivery.DeliveryJob;
import app.connectors.delivery.DeliveryOutcome;
import app.connectors.delivery.DeliveryProcessor;
import app.connectors.delivery.DeliveryState;
import app.connectors.delivery.DeliveryStores;
import app.connectors.delivery.DynamoDbDeliveryStore;
import app.connectors.delivery.DynamoDbFanOutLeases;
import app.connectors.delivery.FanOutLeases;
import app.connectors.delivery.DynamoDbDestinationStore;
import app.connectors.delivery.DynamoDbEventStore;
import app.connectors.delivery.RetrySchedule;
import app.connectors.event.EventParser;
import app.connectors.json.Json;
import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakePlatform;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import app.connectors.it.backend.TestBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What one delivery costs in DynamoDB, counted on the wire: the deliverer's stores run on a client
 * whose interceptor records every request it sends to the stack's DynamoDB Local, with the capacity
 * DynamoDB reports consumed. The delivery path is the product's ({@link DeliveryProcessor} with the
 * DynamoDB stores); only the processor is driven directly instead of through SQS, so no other
 * traffic reaches the client.
 */
class DeliveryRequestCountIT {

    private static PipelineStack env;
    private static Settings settings;
    private static Components components;

    private final List<String> requests = new ArrayList<>();
    private final List<PipelineStack.Consumed> consumed = new ArrayList<>();
    private DeliveryProcessor processor;

    /**
     * DynamoDB Local reports consumed capacity as DynamoDB computes it (by item size, rounded up per
     * item); moto reports its own approximation (1.5 write units where DynamoDB reports 2), so on moto only the
     * requests are counted.
     */
    private static boolean capacityAsDynamoDbReportsIt() {
        return !TestBackend.moto();
    }

    @BeforeAll
    static void start() {
        env = PipelineStack.get();
        settings = Settings.from(env.stack.environmentOf("DeliverFunction"));
        components = new Components(settings, PipelineStack.DNS, Clock.systemUTC());
    }

    @BeforeEach
    void countingStores() {
        DynamoDbClient counted = PipelineStack.countingDynamoDb(settings, requests, consumed);
        DeliveryStores stores = new DeliveryStores(new DynamoDbDeliveryStore(counted, settings.deliveriesTable()),
                new DynamoDbDestinationStore(counted, settings.deliveriesTable()),
                new DynamoDbEventStore(counted, settings.required(Settings.DELIVERY_EVENTS_TABLE), Clock.systemUTC()));
        processor = new DeliveryProcessor(stores, components.deliveryQueue(),
                new DynamoDbConnectorStore(counted, settings.usersTable(), settings.connectorsTable(), settings.subscriptionsTable(),
                        settings.filterPatternsTable()),
                components.connectors(), ConnectorTypeCatalog.standard(), components.requests(), components.sender(),
                RetrySchedule.standard(), components.deliveryTimings(), Clock.systemUTC(), DeliveryProcessor.Sleeper.real());
    }

    @Test
    void aHealthyJobToAnUnpacedDestinationWritesTwoUnitsAndReadsOne() throws Exception {
        // GIVEN a generic connector (an API type: not paced) whose destination answers 200
        PipelineStack.Api user = env.newUser();
        FakeDestination generic = env.fake(FakePlatform.generic());
        String connectorId = user.create("generic", "counted", Json.object().put("url", PipelineStack.genericUrl(generic))
                .put("method", "POST"), List.of(TYPE), null).path("uuid").asText();
        generic.respondWith(request -> app.connectors.testing.FakeReply.json(200, "{}"));

        // WHEN one job is delivered
        DeliveryOutcome outcome = processor.process(job(user, connectorId), (job, delay) -> {
            throw new AssertionError("a healthy delivery carries no job");
        });

        // THEN: the connector and the destination's state read eventually consistent, the claim, the
        // outcome; one write unit each (the record holds no event and no index copies it)
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(generic.requests()).hasSize(1);
        assertThat(requests).containsExactly("GetItem", "GetItem", "UpdateItem", "PutItem");
        if (capacityAsDynamoDbReportsIt()) {
            assertThat(consumed.stream().mapToDouble(PipelineStack.Consumed::writeUnits).sum()).isEqualTo(2.0);
            assertThat(consumed.stream().mapToDouble(PipelineStack.Consumed::readUnits).sum()).isLessThanOrEqualTo(1.0);
        }
        System.out.printf("DeliveryRequestCountIT: healthy unpaced delivery: %s, %s%n", requests, consumed);
    }

    @Test
    void aFirstAttemptUnderItsFanOutsLeaseWritesOneUnitAndTheLeaseOneAnEvent() throws Exception {
        // GIVEN a generic connector whose destination answers 200, and a dispatcher that takes the
        // lease on the event's fan-out
        PipelineStack.Api user = env.newUser();
        FakeDestination generic = env.fake(FakePlatform.generic());
        String connectorId = user.create("generic", "counted first", Json.object().put("url", PipelineStack.genericUrl(generic))
                .put("method", "POST"), List.of(TYPE), null).path("uuid").asText();
        generic.respondWith(request -> app.connectors.testing.FakeReply.json(200, "{}"));
        DeliveryJob job = job(user, connectorId);
        FanOutLeases leases = new DynamoDbFanOutLeases(PipelineStack.countingDynamoDb(settings, requests, consumed),
                settings.deliveriesTable());
        var taking = leases.take(job.eventId(), app.connectors.delivery.FanOut.Position.START, "dispatcher",
                java.time.Instant.now(), java.time.Instant.now().plusSeconds(180));
        assertThat(taking).isInstanceOf(FanOutLeases.Taking.Fresh.class);
        assertThat(requests).containsExactly("UpdateItem");
        requests.clear();
        consumed.clear();

        // WHEN the dispatcher makes the delivery's first attempt under it
        DeliveryOutcome outcome = processor.firstAttempts((carried, delay) -> {
            throw new AssertionError("a healthy delivery carries no job");
        }).attempt(job, ((FanOutLeases.Taking.Fresh) taking).lease());

        // THEN: the two eventually consistent reads and one write, the settled record; no claim
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(generic.requests()).hasSize(1);
        assertThat(requests).containsExactly("GetItem", "GetItem", "PutItem");
        if (capacityAsDynamoDbReportsIt()) {
            assertThat(consumed.stream().mapToDouble(PipelineStack.Consumed::writeUnits).sum()).isEqualTo(1.0);
        }
        System.out.printf("DeliveryRequestCountIT: healthy first attempt: %s, %s%n", requests, consumed);
    }

    @Test
    void healthyDeliveryToAPacedDestinationAddsOneBookingWrite() throws Exception {
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack());
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);

        DeliveryOutcome outcome = processor.process(job(user, connectorId), (job, delay) -> {
            throw new AssertionError("a free slot carries no job");
        });

        // the booking (an UpdateItem that answers with the destination's state) replaces the state's read
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(requests).containsExactly("GetItem", "UpdateItem", "UpdateItem", "PutItem");
        if (capacityAsDynamoDbReportsIt()) {
            assertThat(consumed.stream().mapToDouble(PipelineStack.Consumed::writeUnits).sum()).isEqualTo(3.0);
        }
    }

    @Test
    void aTakenSlotIsBookedWithOneMoreAtomicWriteAndNoRead() throws Exception {
        // GIVEN a Slack connector (one message a second) that has just been sent to
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack());
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);
        processor.process(job(user, connectorId), (job, delay) -> { });
        requests.clear();

        // WHEN another event's job for it comes within the second
        DeliveryOutcome next = processor.process(job(user, connectorId), (job, delay) -> { });

        // THEN after the claim, the free-slot update fails and its answer carries the next slot, which
        // the second update takes atomically (next = next + spacing); the job sleeps to it, re-reads
        // the destination for a pause, and sends at least a second after the first
        assertThat(next).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(requests).containsExactly("GetItem", "UpdateItem", "UpdateItem", "UpdateItem", "GetItem", "PutItem");
        var sent = slack.requests();
        assertThat(Duration.between(sent.get(0).receivedAt(), sent.get(1).receivedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void copyOfADeliveredJobSendsNothingAndWritesNothing() throws Exception {
        PipelineStack.Api user = env.newUser();
        FakeDestination generic = env.fake(FakePlatform.generic());
        String connectorId = user.create("generic", "counted", Json.object().put("url", PipelineStack.genericUrl(generic))
                .put("method", "POST"), List.of(TYPE), null).path("uuid").asText();
        generic.respondWith(request -> app.connectors.testing.FakeReply.json(200, "{}"));
        DeliveryJob job = job(user, connectorId);
        processor.process(job, (j, delay) -> { });
        requests.clear();
        consumed.clear();

        DeliveryOutcome copy = processor.process(job, (j, delay) -> { });

        // the claim's condition fails and its answer says the record is finished: nothing is changed
        assertThat(copy).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(requests).containsExactly("GetItem", "GetItem", "UpdateItem");
        assertThat(generic.requests()).hasSize(1);
    }

    private static DeliveryJob job(PipelineStack.Api user, String connectorId) throws Exception {
        var event = EventParser.standard().parse(Json.write(envelope(TYPE, "tech-product", user.userId)));
        return DeliveryJob.of(event, user.userId, connectorId);
    }
}
