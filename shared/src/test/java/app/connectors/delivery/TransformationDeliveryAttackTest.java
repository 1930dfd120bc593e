package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.Connector;
import app.connectors.json.Json;
import app.connectors.net.DefaultSsrfGuard;
import app.connectors.net.GuardedHttpSender;
import app.connectors.net.HttpSender;
import app.connectors.net.OutboundRequest;
import app.connectors.net.SendResult;
import app.connectors.net.SenderConfig;
import app.connectors.signing.StandardWebhookSigner;
import app.connectors.testing.ManualRunClock;
import app.connectors.testing.MutableClock;
import app.connectors.testing.StubResolver;
import app.connectors.transform.TransformLimits;
import app.connectors.transform.TransformationEngine;
import app.connectors.transform.Webhook;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delivery's transformation against a hostile or overloaded host: what is the script's fault
 * fails the delivery once with a reason; what is the host's is retried; nothing loops as an
 * internal error.
 */
class TransformationDeliveryAttackTest {

    private static final Instant START = DeliveryFixtures.START;
    private static final RetrySchedule SCHEDULE = new RetrySchedule(List.of(Duration.ZERO, Duration.ofSeconds(5)), 0.0);

    @TempDir
    Path keys;

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryDeliveryStore deliveries = new InMemoryDeliveryStore();
    private final List<RecordingDeliveryQueue.Later> carried = new ArrayList<>();

    private DeliveryProcessor processor(RequestFactory requests, DeliveryFixtures fixtures, HttpSender sender) {
        return new DeliveryProcessor(new DeliveryStores(deliveries, new InMemoryDestinationStore(), new InMemoryEventStore()),
                new RecordingDeliveryQueue(), fixtures.connectorStore, fixtures.connectors, ConnectorTypeCatalog.standard(), requests,
                sender, SCHEDULE, DeliveryTimings.production(), clock, clock::advance);
    }

    private DeliveryJob job(Connector connector) {
        return DeliveryJob.of(FanOutTest.event("tech-product", "Acme Mobile", null), connector.userId(), connector.id());
    }

    /**
     * The wall-clock backstop ends a run that has not used its CPU budget but was kept off the CPU
     * (by other tenants' runs on the same cores, a GC pause). That is the host's congestion: the
     * delivery is retried on the schedule, not failed for good against the victim's script.
     */
    @Test
    void aTransformationTheHostKeptOffTheCpuIsRetriedNotFailedForGood() {
        // GIVEN a delivery whose transformation is in progress when the host stalls 2 s (the backstop is 1 s)
        // while its CPU clock does not move
        ManualRunClock runClock = new ManualRunClock();
        TransformationEngine engine = new TransformationEngine(TransformLimits.defaults(), runClock);
        engine.run("function handler(webhook) { return webhook; }", Webhook.post("https://example.com/", "x", Json.object()));
        DeliveryFixtures fixtures = new DeliveryFixtures(keys, clock);
        RequestFactory requests = new RequestFactory(ConnectorTypeCatalog.standard(), engine, new StandardWebhookSigner(), clock);
        List<OutboundRequest> sent = new ArrayList<>();
        DeliveryProcessor processor = processor(requests, fixtures, request -> {
            sent.add(request);
            return new SendResult.Response(200, Map.of(), "", Duration.ofMillis(5));
        });
        Connector slack = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                "function handler(webhook) { webhook.payload = { text: 'hello' }; for (;;) {} }");
        runClock.stallWhileWatched(Duration.ofSeconds(2));

        // WHEN the delivery is processed
        DeliveryOutcome outcome = processor.process(job(slack), (job, delay) -> carried.add(new RecordingDeliveryQueue.Later(job, delay)));

        // THEN it is carried to its next attempt, with an attempt that says the host was at fault
        DeliveryRecord record = deliveries.find(slack.id(), job(slack).deliveryId()).orElseThrow();
        assertThat(outcome).as("outcome; attempts %s", record.attempts()).isInstanceOf(DeliveryOutcome.Carried.class);
        assertThat(record.attempts()).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo("retrying");
            assertThat(a.error()).contains("could not run now").contains("off the CPU");
        });
        assertThat(carried).singleElement().satisfies(later -> assertThat(later.delay()).isEqualTo(Duration.ofSeconds(5)));
        assertThat(sent).isEmpty();
    }

    /** A test send the overloaded sandbox could not transform is a 503 (try again), not a failed test of the connector. */
    @Test
    void aTestSendTheHostCouldNotTransformIsServiceUnavailable() {
        // GIVEN a connector whose transformation is in progress when the host stalls 2 s
        ManualRunClock runClock = new ManualRunClock();
        TransformationEngine engine = new TransformationEngine(TransformLimits.defaults(), runClock);
        engine.run("function handler(webhook) { return webhook; }", Webhook.post("https://example.com/", "x", Json.object()));
        DeliveryFixtures fixtures = new DeliveryFixtures(keys, clock);
        RequestFactory requests = new RequestFactory(ConnectorTypeCatalog.standard(), engine, new StandardWebhookSigner(), clock);
        List<OutboundRequest> sent = new ArrayList<>();
        ConnectorTester tester = new ConnectorTester(fixtures.connectors, app.connectors.event.EventCatalog.standard(), requests,
                request -> {
                    sent.add(request);
                    return new SendResult.Response(200, Map.of(), "", Duration.ofMillis(5));
                }, clock);
        Connector slack = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                "function handler(webhook) { for (;;) {} }");
        runClock.stallWhileWatched(Duration.ofSeconds(2));

        // WHEN it is test-sent, THEN 503 says to try again, and nothing was sent
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tester.test(slack.userId(), slack.id(), null))
                .isInstanceOfSatisfying(app.connectors.problem.ServiceUnavailableException.class,
                        e -> assertThat(e.getMessage()).contains("could not be sent now").contains("off the CPU"));
        assertThat(sent).isEmpty();
    }

    /**
     * {@code java.net.URI} accepts port 99999; the HTTP client refuses it. The transformation's result
     * is refused once with the reason (one check, Webhook.sendProblem, for deliveries and dry runs),
     * and the real sender turns any such argument failure into a refusal, never an internal error.
     */
    @Test
    void aTransformationThatSetsAPortOutOfRangeFailsItsDeliveryOnceWithAReason() {
        // GIVEN a Slack connector whose transformation sends to port 99999, and the real HTTP sender
        DeliveryFixtures fixtures = new DeliveryFixtures(keys, clock);
        try (GuardedHttpSender sender = new GuardedHttpSender(DefaultSsrfGuard.strict(new StubResolver()), SenderConfig.production())) {
            DeliveryProcessor processor = processor(fixtures.requests, fixtures, sender);
            Connector slack = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                    "function handler(webhook) { webhook.url = 'https://hooks.slack.com:99999/services/x'; return webhook; }");

            // WHEN the delivery is processed
            DeliveryOutcome outcome = processor.process(job(slack), (job, delay) -> carried.add(new RecordingDeliveryQueue.Later(job, delay)));

            // THEN it is finished as failed, with one attempt that says why
            assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.FAILED));
            DeliveryRecord record = deliveries.find(slack.id(), job(slack).deliveryId()).orElseThrow();
            assertThat(record.attempts()).singleElement().satisfies(a -> assertThat(a.error()).contains("port 99999"));
        }
    }

    /** The sender's own line of defence, for any request that reaches it: an argument the client refuses is REFUSED, not IO. */
    @Test
    void theSenderRefusesARequestItsClientCannotMake() {
        try (GuardedHttpSender sender = new GuardedHttpSender(DefaultSsrfGuard.strict(new StubResolver()), SenderConfig.production())) {
            SendResult result = sender.send(new OutboundRequest(OutboundRequest.Method.POST,
                    java.net.URI.create("https://hooks.slack.com:99999/services/x"), Map.of(), new byte[0]));

            assertThat(result).isInstanceOfSatisfying(SendResult.Failure.class,
                    f -> assertThat(f.kind()).isEqualTo(SendResult.FailureKind.REFUSED));
        }
    }
}
