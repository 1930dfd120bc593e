package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.Connector;
import app.connectors.net.HttpSender;
import app.connectors.net.OutboundRequest;
import app.connectors.net.SendResult;
import app.connectors.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pacing promises that no two sends to one webhook are closer than the type's interval, and that
 * a 429 pauses the destination for every job. Slack's limit is per webhook URL, not per connector
 * of ours: two connectors of one owner pointed at the same incoming webhook (one per event type, a
 * copy made to try a transformation) share it.
 */
class DeliveryPacingAttackTest {

    private static final Instant START = DeliveryFixtures.START;
    private static final RetrySchedule SCHEDULE = DeliveryFixtures.THREE_ATTEMPTS;

    @TempDir
    Path keys;

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryDeliveryStore deliveries = new InMemoryDeliveryStore();
    private final InMemoryDestinationStore destinations = new InMemoryDestinationStore();
    private final InMemoryEventStore events = new InMemoryEventStore();
    private final RecordingDeliveryQueue queue = new RecordingDeliveryQueue();
    private final List<Instant> sentAt = new ArrayList<>();
    private final List<String> sentTo = new ArrayList<>();
    private final List<SendResult> answers = new ArrayList<>();
    private final JobCarrier carrier = (job, delay) -> { };
    private DeliveryFixtures fixtures;
    private DeliveryProcessor processor;

    @BeforeEach
    void setUp() {
        fixtures = new DeliveryFixtures(keys, clock);
        HttpSender sender = (OutboundRequest request) -> {
            sentAt.add(clock.instant());
            sentTo.add(request.uri().toString());
            return answers.isEmpty() ? new SendResult.Response(200, Map.of(), "", Duration.ofMillis(5)) : answers.remove(0);
        };
        processor = new DeliveryProcessor(new DeliveryStores(deliveries, destinations, events), queue, fixtures.connectorStore,
                fixtures.connectors, ConnectorTypeCatalog.standard(), fixtures.requests, sender, SCHEDULE,
                DeliveryTimings.production(), clock, clock::advance);
    }

    @Test
    void twoConnectorsOnOneSlackWebhookAreNotSentToCloserThanItsInterval() {
        // GIVEN two Slack connectors of one owner that post to the same incoming webhook
        Connector first = fixtures.slack();
        Connector second = fixtures.create(DeliveryFixtures.webhook("slack", DeliveryFixtures.SLACK_URL)).connector();
        var event = FanOutTest.event("tech-product", "Acme Mobile", null);

        // WHEN one event is delivered to each (two workers, one right after the other)
        processor.process(DeliveryJob.of(event, first.userId(), first.id()), carrier);
        processor.process(DeliveryJob.of(event, second.userId(), second.id()), carrier);

        // THEN the webhook never gets two requests closer than Slack's one a second
        assertThat(sentTo).hasSize(2).containsOnly(DeliveryFixtures.SLACK_URL);
        Duration gap = Duration.between(sentAt.get(0), sentAt.get(1));
        assertThat(gap)
                .as("two requests to %s were %s apart; Slack allows one a second per webhook", DeliveryFixtures.SLACK_URL, gap)
                .isGreaterThanOrEqualTo(Pacing.of(ConnectorTypeCatalog.standard().find("slack").orElseThrow()).interval());
    }

    @Test
    void a429ForOneConnectorPausesTheOtherOnTheSameWebhook() {
        // GIVEN two Slack connectors of one owner on one webhook
        Connector first = fixtures.slack();
        Connector second = fixtures.create(DeliveryFixtures.webhook("slack", DeliveryFixtures.SLACK_URL)).connector();
        var event = FanOutTest.event("tech-product", "Acme Mobile", null);

        // WHEN the first one's request is answered 429 with Retry-After: 30
        answers.add(new SendResult.Response(429, Map.of("retry-after", "30"), "", Duration.ofMillis(5)));
        processor.process(DeliveryJob.of(event, first.userId(), first.id()), carrier);
        clock.advance(Duration.ofSeconds(2));
        DeliveryOutcome second429 = processor.process(DeliveryJob.of(event, second.userId(), second.id()), carrier);

        // THEN the second one waits out the pause without sending
        assertThat(sentTo).hasSize(1);
        // (the pause ends 30 s after the 429, 2 s ago: the job comes back no sooner than 28 s from now)
        assertThat(second429).isInstanceOfSatisfying(DeliveryOutcome.Carried.class,
                carried -> assertThat(carried.delay()).isGreaterThanOrEqualTo(Duration.ofSeconds(28)));
        assertThat(fixtures.destinationOf(first)).isEqualTo(fixtures.destinationOf(second));
    }
}
