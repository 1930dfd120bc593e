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
import app.connectors.delivery.DeliveryStatus;
import app.connectors.delivery.DynamoDbDeliveryStore;
import app.connectors.delivery.RetrySchedule;
import app.connectors.event.EventParser;
import app.connectors.json.Json;
import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakePlatform;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * How many DynamoDB requests one delivery costs, counted on the wire: the deliverer's stores run on
 * a client whose interceptor records every request it sends to the stack's DynamoDB Local. The
 * delivery path is the product's ({@link DeliveryProcessor} with the DynamoDB stores); only the
 * processor is driven directly instead of through SQS, so no other traffic reaches the client.
 */
class DeliveryRequestCountIT {

    private static PipelineStack env;
    private static Settings settings;
    private static Components components;

    private final List<String> requests = new ArrayList<>();
    private DeliveryProcessor processor;

    @BeforeAll
    static void start() {
        env = PipelineStack.get();
        settings = Settings.from(env.stack.environmentOf("DeliverFunction"));
        components = new Components(settings, PipelineStack.DNS, Clock.systemUTC());
    }

    @BeforeEach
    void countingStores() {
        DynamoDbClient counted = PipelineStack.countingDynamoDb(settings, requests);
        processor = new DeliveryProcessor(
                new DynamoDbDeliveryStore(counted, settings.deliveriesTable()),
                new DynamoDbConnectorStore(counted, settings.usersTable(), settings.connectorsTable(), settings.subscriptionsTable(),
                        settings.filterPatternsTable()),
                components.connectors(), ConnectorTypeCatalog.standard(), components.requests(), components.sender(),
                RetrySchedule.standard(), Clock.systemUTC(), DeliveryProcessor.Sleeper.real());
    }

    @Test
    void healthyDeliveryMakesFourDynamoDbRequests() throws Exception {
        // GIVEN a Slack connector whose destination answers 200
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack());
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);

        // WHEN one job is delivered
        DeliveryOutcome outcome = processor.process(job(user, connectorId));

        // THEN: claim (returns the record), connector read, slot reservation (free: one update), release
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.SUCCEEDED));
        assertThat(slack.requests()).hasSize(1);
        assertThat(requests).containsExactly("UpdateItem", "GetItem", "UpdateItem", "PutItem");
    }

    @Test
    void copyOfADeliveredJobMakesOneRequest() throws Exception {
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack());
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);
        DeliveryJob job = job(user, connectorId);
        processor.process(job);
        requests.clear();

        DeliveryOutcome copy = processor.process(job);

        // the claim alone: it returns the finished record, and the lease it took simply expires
        assertThat(copy).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.SUCCEEDED));
        assertThat(requests).containsExactly("UpdateItem");
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void slotTakenFallsBackToCompareAndSetWithoutARead() throws Exception {
        // GIVEN a Slack connector (one message a second) that has just been sent to
        PipelineStack.Api user = env.newUser();
        FakeDestination slack = env.fake(FakePlatform.slack());
        String connectorId = user.webhook("slack", PipelineStack.slackUrl(slack), null);
        processor.process(job(user, connectorId));
        requests.clear();

        // WHEN another event's job for it comes within the second
        DeliveryOutcome next = processor.process(job(user, connectorId));

        // THEN the free-slot update fails, and the answer carries the slot it saw, so the
        // compare-and-set follows without a read: one request more than the healthy path
        assertThat(next).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.SUCCEEDED));
        assertThat(requests).containsExactly("UpdateItem", "GetItem", "UpdateItem", "UpdateItem", "PutItem");
        var sent = slack.requests();
        assertThat(Duration.between(sent.get(0).receivedAt(), sent.get(1).receivedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    private static DeliveryJob job(PipelineStack.Api user, String connectorId) throws Exception {
        var event = EventParser.standard().parse(Json.write(envelope(TYPE, "tech-product", user.userId)));
        return DeliveryJob.of(event, user.userId, connectorId);
    }
}
