package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorInput;
import app.connectors.json.Json;
import app.connectors.net.HttpSender;
import app.connectors.net.OutboundRequest;
import app.connectors.net.SendResult;
import app.connectors.testing.MutableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeliveryProcessorTest {

    private static final Instant START = DeliveryFixtures.START;
    private static final RetrySchedule SCHEDULE = DeliveryFixtures.THREE_ATTEMPTS;
    private static final DeliveryTimings TIMINGS = DeliveryTimings.production();
    /** When a request to a paced destination with a free slot leaves: its slot is booked a moment ahead. */
    private static final Instant PACED_SEND = START.plus(DeliveryProcessor.BOOKING_LEAD);

    @TempDir
    Path keys;

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryDeliveryStore deliveries = new InMemoryDeliveryStore();
    private final InMemoryDestinationStore destinations = new InMemoryDestinationStore();
    private final InMemoryEventStore events = new InMemoryEventStore();
    private final RecordingDeliveryQueue queue = new RecordingDeliveryQueue();
    private final ScriptedSender sender = new ScriptedSender(clock);
    private final List<Duration> slept = new ArrayList<>();
    private final List<RecordingDeliveryQueue.Later> carried = new ArrayList<>();
    private final JobCarrier carrier = (job, delay) -> carried.add(new RecordingDeliveryQueue.Later(job, delay));
    private DeliveryFixtures fixtures;
    private DeliveryProcessor processor;

    @BeforeEach
    void setUp() {
        fixtures = new DeliveryFixtures(keys, clock);
        processor = processor(new DeliveryStores(deliveries, destinations, events));
    }

    private DeliveryProcessor processor(DeliveryStores stores) {
        return new DeliveryProcessor(stores, queue, fixtures.connectorStore, fixtures.connectors, ConnectorTypeCatalog.standard(),
                fixtures.requests, sender, SCHEDULE, TIMINGS, clock, d -> {
                    slept.add(d);
                    clock.advance(d);
                });
    }

    private DeliveryOutcome process(DeliveryJob job) {
        return processor.process(job, carrier);
    }

    // ------------------------------------------------------------------ answers

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void anyTwoHundredIsSuccess(int status) {
        Connector slack = fixtures.slack();
        sender.answer(response(status));

        DeliveryOutcome outcome = process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        DeliveryRecord record = record(slack);
        assertThat(record.state()).isEqualTo(DeliveryState.SUCCEEDED);
        assertThat(record.attempts()).singleElement().satisfies(a -> {
            assertThat(a.number()).isEqualTo(1);
            assertThat(a.series()).isEqualTo(1);
            assertThat(a.statusCode()).isEqualTo(status);
            assertThat(a.latencyMs()).isEqualTo(42);
            assertThat(a.outcome()).isEqualTo("succeeded");
            assertThat(a.error()).isNull();
            assertThat(a.at()).isEqualTo(PACED_SEND);
            assertThat(a.connectorVersion()).isEqualTo(slack.version());
        });
        assertThat(sender.sent).hasSize(1);
        assertThat(carried).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 408})
    void serverErrorsAndRequestTimeoutAreRetriedOnTheSchedule(int status) {
        Connector slack = fixtures.slack();
        DeliveryJob job = job(slack);
        sender.answer(new SendResult.Response(status, Map.of(), "upstream trouble", Duration.ofMillis(42)));

        DeliveryOutcome outcome = process(job);

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Carried(Duration.ofSeconds(5), "HTTP " + status + ": upstream trouble"));
        assertThat(carried).containsExactly(new RecordingDeliveryQueue.Later(job, Duration.ofSeconds(5)));
        DeliveryRecord record = record(slack);
        assertThat(record.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(record.dueAt()).isEqualTo(PACED_SEND.plusSeconds(5));
        assertThat(record.attempts()).singleElement().satisfies(a -> {
            assertThat(a.statusCode()).isEqualTo(status);
            assertThat(a.outcome()).isEqualTo("retrying");
            assertThat(a.error()).isEqualTo("HTTP " + status + ": upstream trouble");
        });
        // kept for the reconciler and a manual retry, before the record said pending
        assertThat(events.find(job.eventId())).isPresent();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 405, 409, 413, 422})
    void otherClientErrorsFailAtOnce(int status) {
        Connector generic = fixtures.generic("{}").connector();
        sender.answer(response(status));

        DeliveryOutcome outcome = process(job(generic));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.FAILED));
        assertThat(record(generic).attempts()).singleElement().satisfies(a -> {
            assertThat(a.statusCode()).isEqualTo(status);
            assertThat(a.outcome()).isEqualTo("failed");
        });
        // a generic endpoint's 404 is not "gone": the connector stays on, but the destination is failing
        assertThat(connector(generic).status()).isEqualTo(Connector.Status.ACTIVE);
        assertThat(destinations.failureStreak(fixtures.destinationOf(generic))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void redirectsFailAtOnce(int status) {
        Connector slack = fixtures.slack();
        sender.answer(new SendResult.Response(status, Map.of(), "", Duration.ofMillis(3)));

        DeliveryOutcome outcome = process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.FAILED));
        assertThat(record(slack).attempts().get(0).error()).isEqualTo("HTTP " + status);
        assertThat(sender.sent).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(value = SendResult.FailureKind.class, names = {"TIMEOUT", "CONNECT", "RESET", "DNS", "TLS", "IO"})
    void networkFailuresAreRetried(SendResult.FailureKind kind) {
        Connector slack = fixtures.slack();
        sender.answer(new SendResult.Failure(kind, "trouble with https://hooks.slack.com", Duration.ofMillis(900)));

        DeliveryOutcome outcome = process(job(slack));

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Carried.class,
                c -> assertThat(c.delay()).isEqualTo(Duration.ofSeconds(5)));
        assertThat(record(slack).attempts()).singleElement().satisfies(a -> {
            assertThat(a.statusCode()).isNull();
            assertThat(a.latencyMs()).isEqualTo(900);
            assertThat(a.error()).isEqualTo(kind + ": trouble with https://hooks.slack.com");
        });
    }

    @Test
    void refusedDestinationFailsWithoutRetry() {
        Connector slack = fixtures.slack();
        sender.answer(new SendResult.Failure(SendResult.FailureKind.REFUSED,
                "refused https://hooks.slack.com: 127.0.0.1 is loopback", Duration.ofMillis(1)));

        DeliveryOutcome outcome = process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.FAILED));
        assertThat(record(slack).attempts().get(0).error()).startsWith("REFUSED: refused https://hooks.slack.com");
    }

    @Test
    void anEchoedSecretNeverReachesTheLog() {
        // GIVEN a destination that quotes the request's secret path back in its error
        Connector slack = fixtures.slack();
        String secretPath = java.net.URI.create(DeliveryFixtures.SLACK_URL).getPath();
        sender.answer(new SendResult.Response(500, Map.of(), "no route for " + secretPath, Duration.ofMillis(3)));

        process(job(slack));

        assertThat(record(slack).attempts().get(0).error()).startsWith("HTTP 500: no route for").doesNotContain("Zq8RkV2mWx7pLs4N");
    }

    // ------------------------------------------------------------------ series, dead letters, redrive (B)

    @Test
    void lastFailedAttemptIsDeadLetteredBeforeTheRecordSaysDead() {
        Connector slack = fixtures.slack();
        DeliveryJob job = job(slack);

        DeliveryOutcome last = runToDeath(job);

        assertThat(last).isEqualTo(new DeliveryOutcome.Done(DeliveryState.DEAD));
        DeliveryRecord record = record(slack);
        assertThat(record.state()).isEqualTo(DeliveryState.DEAD);
        assertThat(record.attempts()).extracting(Attempt::number).containsExactly(1, 2, 3);
        assertThat(record.attempts()).extracting(Attempt::outcome).containsExactly("retrying", "retrying", "dead");
        // the dead-lettered job asks to restart the series that died, and only it
        assertThat(queue.deadLettered).singleElement().satisfies(parked -> {
            assertThat(parked.restarts()).isEqualTo(1);
            assertThat(parked.deliveryId()).isEqualTo(job.deliveryId());
        });
        assertThat(queue.deadLetterReasons.get(0)).contains("all 3 attempts failed; last: HTTP 500");
    }

    @Test
    void aFailedDeadLetterSendKeepsTheMessageAndTheRecordIsNotDead() {
        // GIVEN a delivery at its last attempt, and a dead-letter queue that cannot be reached
        Connector slack = fixtures.slack();
        DeliveryJob job = job(slack);
        sender.answer(response(500), response(500), response(500));
        process(job);
        clock.advance(Duration.ofSeconds(5));
        process(job);
        clock.advance(Duration.ofSeconds(60));
        queue.deadLetterFails = true;

        // WHEN the last attempt fails
        DeliveryOutcome outcome = process(job);

        // THEN the message stays (it comes back), and the record does not claim a dead letter that is not there
        assertThat(outcome).isInstanceOf(DeliveryOutcome.Kept.class);
        assertThat(record(slack).state()).isEqualTo(DeliveryState.SENDING);
        assertThat(queue.deadLettered).isEmpty();

        // AND once the queue is back and the lease has run out, the job tries again and dead-letters
        queue.deadLetterFails = false;
        clock.advance(TIMINGS.lease().plusSeconds(1));
        sender.answer(response(500));
        assertThat(process(job)).isEqualTo(new DeliveryOutcome.Done(DeliveryState.DEAD));
        assertThat(queue.deadLettered).hasSize(1);
        assertThat(record(slack).state()).isEqualTo(DeliveryState.DEAD);
    }

    @Test
    void redrivenDeadJobStartsTheNextSeriesAndItsAttemptsSaySo() {
        Connector slack = fixtures.slack();
        DeliveryJob job = job(slack);
        runToDeath(job);
        DeliveryJob parked = queue.deadLettered.get(0);
        sender.answer(response(200));

        clock.advance(Duration.ofHours(1));
        DeliveryOutcome redriven = process(parked);

        assertThat(redriven).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        DeliveryRecord record = record(slack);
        assertThat(record.series()).isEqualTo(2);
        assertThat(record.attemptCount()).isEqualTo(1);
        assertThat(record.attempts()).extracting(Attempt::series).containsExactly(1, 1, 1, 2);
        assertThat(record.attempts()).extracting(Attempt::number).containsExactly(1, 2, 3, 1);
    }

    @Test
    void plainCopyOfAJobThatWentDeadIsADuplicate() {
        // GIVEN a delivery whose job is on the dead-letter queue (sent there before the record said dead)
        Connector slack = fixtures.slack();
        DeliveryJob job = job(slack);
        runToDeath(job);

        // WHEN SQS delivers a late copy of the original job
        clock.advance(Duration.ofHours(1));
        DeliveryOutcome copy = process(job);

        // THEN nothing is sent and nothing more is dead-lettered: the copy on the dead-letter queue is the one to redrive
        assertThat(copy).isEqualTo(new DeliveryOutcome.Done(DeliveryState.DEAD));
        assertThat(sender.sent).hasSize(3);
        assertThat(queue.deadLettered).hasSize(1);
        assertThat(record(slack).series()).isEqualTo(1);
    }

    @Test
    void secondCopyOfARedriveIsAnOrdinaryJobOfTheNewSeries() {
        Connector slack = fixtures.slack();
        DeliveryJob job = job(slack);
        runToDeath(job);
        DeliveryJob parked = queue.deadLettered.get(0);
        sender.answer(response(200));
        process(parked);

        DeliveryOutcome copy = process(parked);

        assertThat(copy).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(sender.sent).hasSize(4);
        assertThat(record(slack).series()).isEqualTo(2);
    }

    @Test
    void manualRetryOfAFailedDeliverySendsItAgainInTheNextSeries() {
        Connector slack = fixtures.slack();
        sender.answer(response(400), response(200));
        DeliveryJob job = job(slack);
        process(job);

        new DeliveryLog(fixtures.connectors, deliveries, events, queue).retry(DeliveryFixtures.USER, slack.id(), job.deliveryId());
        DeliveryJob retry = queue.jobs().get(0);
        DeliveryOutcome retried = process(retry);

        assertThat(retry.restarts()).isEqualTo(1);
        assertThat(retried).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(record(slack).series()).isEqualTo(2);
        assertThat(record(slack).attempts()).extracting(Attempt::series).containsExactly(1, 2);
        assertThat(sender.sent).hasSize(2);
    }

    @Test
    void copyOfAManualRetryThatAlreadySucceededIsNotSentAgain() {
        Connector slack = fixtures.slack();
        sender.answer(response(400), response(200));
        DeliveryJob job = job(slack);
        process(job);
        new DeliveryLog(fixtures.connectors, deliveries, events, queue).retry(DeliveryFixtures.USER, slack.id(), job.deliveryId());
        DeliveryJob retry = queue.jobs().get(0);
        process(retry);

        DeliveryOutcome copy = process(retry);

        assertThat(copy).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(sender.sent).hasSize(2);
        assertThat(record(slack).series()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ 429, 503 and pauses (E)

    @Test
    void tooManyRequestsWaitsAsLongAsRetryAfterAsksAndPausesTheDestination() {
        Connector slack = fixtures.slack();
        sender.answer(new SendResult.Response(429, Map.of("retry-after", "30"), "rate_limited", Duration.ofMillis(5)));

        DeliveryOutcome outcome = process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Carried(Duration.ofSeconds(30), "HTTP 429: rate_limited"));
        assertThat(destinations.pausedUntil(fixtures.destinationOf(slack))).isEqualTo(PACED_SEND.plusSeconds(30));
        assertThat(record(slack).dueAt()).isEqualTo(PACED_SEND.plusSeconds(30));
    }

    @Test
    void unavailableWithRetryAfterIsHonouredLikeA429() {
        Connector generic = fixtures.generic("{}").connector();
        sender.answer(new SendResult.Response(503, Map.of("retry-after", "Sun, 01 Mar 2026 10:02:00 GMT"), "", Duration.ofMillis(5)));

        DeliveryOutcome outcome = process(job(generic));

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Carried.class,
                c -> assertThat(c.delay()).isEqualTo(Duration.ofMinutes(2)));
        assertThat(destinations.pausedUntil(fixtures.destinationOf(generic))).isEqualTo(START.plus(Duration.ofMinutes(2)));
    }

    @Test
    void tooManyRequestsWithAShortRetryAfterStillWaitsForTheSchedule() {
        Connector slack = fixtures.slack();
        sender.answer(new SendResult.Response(429, Map.of("retry-after", "1"), "", Duration.ofMillis(5)));

        DeliveryOutcome outcome = process(job(slack));

        assertThat(((DeliveryOutcome.Carried) outcome).delay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(destinations.pausedUntil(fixtures.destinationOf(slack))).isEqualTo(PACED_SEND.plusSeconds(1));
    }

    @Test
    void discordRetryAfterInTheBodyIsHonoured() {
        Connector discord = fixtures.discord();
        sender.answer(new SendResult.Response(429, Map.of(),
                "{\"message\":\"You are being rate limited.\",\"retry_after\":7.25,\"global\":false}", Duration.ofMillis(5)));

        DeliveryOutcome outcome = process(job(discord));

        assertThat(((DeliveryOutcome.Carried) outcome).delay()).isEqualTo(Duration.ofMillis(7250));
        assertThat(destinations.pausedUntil(fixtures.destinationOf(discord))).isEqualTo(PACED_SEND.plusMillis(7250));
    }

    @Test
    void retryAfterBeyondTenHoursIsCappedToTenHours() {
        Connector slack = fixtures.slack();
        sender.answer(new SendResult.Response(429, Map.of("retry-after", "604800"), "", Duration.ofMillis(5)));

        DeliveryOutcome outcome = process(job(slack));

        assertThat(((DeliveryOutcome.Carried) outcome).delay()).isEqualTo(DeliveryProcessor.MAX_RETRY_AFTER);
        assertThat(destinations.pausedUntil(fixtures.destinationOf(slack))).isEqualTo(PACED_SEND.plus(DeliveryProcessor.MAX_RETRY_AFTER));
    }

    @Test
    void aPausedDestinationSendsNothingAndItsJobsWaitWithoutClaiming() {
        Connector generic = fixtures.generic("{}").connector();
        destinations.pauseUntil(fixtures.destinationOf(generic), START.plusSeconds(40));

        DeliveryOutcome outcome = process(job(generic));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Carried(Duration.ofSeconds(40), "destination paused"));
        assertThat(sender.sent).isEmpty();
        assertThat(deliveries.calls()).isEmpty();
    }

    @Test
    void aJobHoldingASlotHonoursAPauseThatCameAfterItBooked() {
        // GIVEN a Discord job that booked a slot 9 s away and went back to the queue holding it
        Connector discord = fixtures.discord();
        DeliveryJob job = job(discord);
        destinations.takenUntil(fixtures.destinationOf(discord), START.plusSeconds(9));
        process(job);
        DeliveryJob holding = carried.get(0).job();
        assertThat(holding.heldSlot()).isEqualTo(START.plusSeconds(9));

        // AND meanwhile another job earned a 429 that pauses the destination for a minute
        clock.advance(Duration.ofSeconds(3));
        destinations.pauseUntil(fixtures.destinationOf(discord), clock.instant().plusSeconds(60));

        // WHEN the holder comes back (a little early) and sleeps to its slot
        clock.advance(Duration.ofSeconds(4));
        DeliveryOutcome outcome = process(holding);

        // THEN it does not send inside the pause: it waits for the pause's end, with no attempt recorded
        assertThat(sender.sent).isEmpty();
        assertThat(outcome).isInstanceOf(DeliveryOutcome.Carried.class);
        assertThat(carried.get(1).job().heldSlot()).isNull();
        assertThat(clock.instant().plus(carried.get(1).delay())).isEqualTo(START.plusSeconds(63));
        DeliveryRecord record = record(discord);
        assertThat(record.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(record.attempts()).isEmpty();
    }

    // ------------------------------------------------------------------ pacing (D) and its guarantee

    @Test
    void aFreeSlotIsBookedJustAheadAndUsedOnTime() {
        // GIVEN a Slack webhook with no send in the last second
        Connector slack = fixtures.slack();
        sender.answer(response(200));

        process(job(slack));

        // THEN the slot is booked a moment ahead (the booking's own write is not taken from it) and the
        // request leaves at it; the booking's answer said there was no pause, so nothing is re-read
        assertThat(destinations.booked()).containsExactly(START.plus(DeliveryProcessor.BOOKING_LEAD));
        assertThat(slept).containsExactly(DeliveryProcessor.BOOKING_LEAD);
        assertThat(sender.sentAt).containsExactly(START.plus(DeliveryProcessor.BOOKING_LEAD));
        assertThat(destinations.calls()).containsExactly("book");
        assertThat(deliveries.calls()).containsExactly("claim", "settle");
    }

    @Test
    void aShortWaitForASlotIsSleptInPlaceAndTheSlotUsedOnTime() {
        Connector slack = fixtures.slack();
        destinations.takenUntil(fixtures.destinationOf(slack), START.plusMillis(700));
        sender.answer(response(200));

        DeliveryOutcome outcome = process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(slept).containsExactly(Duration.ofMillis(700));
        assertThat(sender.sentAt).containsExactly(START.plusMillis(700));
        // after waiting behind others, the destination is read again for a pause set meanwhile
        assertThat(destinations.calls()).containsExactly("book", "readLatest");
    }

    @Test
    void aSlowReadAfterTheWaitMakesTheJobBookAgainRatherThanSendLate() {
        // GIVEN a Slack job that waits for the slot at +0.7 s, and a re-read of the destination (for a
        // pause) that takes 300 ms the first time: past the slot's tolerance
        Connector slack = fixtures.slack();
        destinations.takenUntil(fixtures.destinationOf(slack), START.plusMillis(700));
        boolean[] slowOnce = {true};
        InMemoryDestinationStore slowRead = new InMemoryDestinationStore() {
            @Override
            public Booking book(String connectorId, java.time.Duration spacing, Instant now, java.time.Duration horizon) {
                return destinations.book(connectorId, spacing, now, horizon);
            }

            @Override
            public DestinationState readLatest(String connectorId) {
                if (slowOnce[0]) {
                    slowOnce[0] = false;
                    clock.advance(Duration.ofMillis(300));
                }
                return destinations.readLatest(connectorId);
            }
        };
        sender.answer(response(200));

        // WHEN it runs
        processor(new DeliveryStores(deliveries, slowRead, events)).process(job(slack), carrier);

        // THEN it did not send at +1.0 s, 300 ms after its slot (the next one, +1.8 s, could be someone
        // else's): it booked that next slot and sent on it
        assertThat(sender.sentAt).containsExactly(START.plusMillis(1_800));
    }

    @Test
    void aFarSlotSendsTheJobBackHoldingItAndTheRecordPendingWithoutAnAttempt() {
        Connector discord = fixtures.discord();
        destinations.takenUntil(fixtures.destinationOf(discord), START.plusSeconds(9));

        DeliveryOutcome outcome = process(job(discord));

        // back two seconds early (SQS rounds up to whole seconds), holding the slot it booked
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Carried(Duration.ofSeconds(7), "paced"));
        assertThat(carried.get(0).job().heldSlot()).isEqualTo(START.plusSeconds(9));
        assertThat(sender.sent).isEmpty();
        DeliveryRecord record = record(discord);
        assertThat(record.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(record.dueAt()).isEqualTo(START.plusSeconds(7));
        assertThat(record.attempts()).isEmpty();
    }

    @Test
    void aJobBackHoldingItsSlotUsesItInsteadOfBookingAnother() {
        Connector discord = fixtures.discord();
        DeliveryJob job = job(discord);
        destinations.takenUntil(fixtures.destinationOf(discord), START.plusSeconds(9));
        process(job);
        DeliveryJob holding = carried.get(0).job();
        clock.advance(Duration.ofSeconds(7));
        destinations.takenUntil(fixtures.destinationOf(discord), START.plusSeconds(30));
        destinations.forgetCalls();
        sender.answer(response(200));

        DeliveryOutcome outcome = process(holding);

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(sender.sentAt).containsExactly(START.plusSeconds(9));
        assertThat(destinations.calls()).containsExactly("readLatest");
    }

    @Test
    void aJobBackTooLateForItsSlotBooksAgainRatherThanCrowdingTheNext() {
        // GIVEN a Slack job holding the slot at +9 s that SQS returns only at +9.5 s
        Connector slack = fixtures.slack();
        DeliveryJob job = job(slack);
        destinations.takenUntil(fixtures.destinationOf(slack), START.plusSeconds(9));
        process(job);
        DeliveryJob holding = carried.get(0).job();
        clock.advance(Duration.ofMillis(9_500));
        sender.answer(response(200));

        // WHEN it runs
        process(holding);

        // THEN it did not send at +9.5 s (the next slot, +10.1 s, is someone else's): it took the next free one
        assertThat(sender.sentAt).singleElement().satisfies(at -> assertThat(at).isAfterOrEqualTo(START.plusMillis(10_100)));
    }

    @Test
    void noTwoSendsToOneWebhookAreCloserThanItsIntervalHoweverLateWorkersWakeUp() {
        // GIVEN one Slack webhook (one message a second), a burst of 30 events, and workers that
        // oversleep by up to 400 ms at random (a busy machine)
        Connector slack = fixtures.slack();
        java.util.Random random = new java.util.Random(7);
        DeliveryProcessor late = new DeliveryProcessor(new DeliveryStores(deliveries, destinations, events), queue,
                fixtures.connectorStore, fixtures.connectors, ConnectorTypeCatalog.standard(), fixtures.requests, sender, SCHEDULE,
                TIMINGS, clock, d -> clock.advance(d.plusMillis(random.nextInt(400))));
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            jobs.add(DeliveryJob.of(FanOutTest.event("evt_burst_" + i, "tech-product"), slack.userId(), slack.id()));
            sender.answer(response(200));
        }

        // WHEN every job runs when it is due (jobs sent back come back late too, as SQS may return them)
        runWhenDue(late, jobs, () -> Duration.ofMillis(random.nextInt(1500)));

        // THEN all thirty were sent, and no two closer than a second apart
        assertThat(sender.sentAt).hasSize(30);
        List<Instant> sorted = sender.sentAt.stream().sorted().toList();
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(Duration.between(sorted.get(i - 1), sorted.get(i))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    /**
     * Runs the jobs one at a time, each when it is due, as a queue would hand them out: a carried
     * job comes back after its delay and {@code late} more (SQS returns messages late on a busy day).
     */
    private void runWhenDue(DeliveryProcessor worker, List<DeliveryJob> jobs, java.util.function.Supplier<Duration> late) {
        java.util.PriorityQueue<RecordingDeliveryQueue.Later> due = new java.util.PriorityQueue<>(
                java.util.Comparator.comparing(RecordingDeliveryQueue.Later::delay));
        jobs.forEach(job -> due.add(new RecordingDeliveryQueue.Later(job, Duration.ZERO)));
        Instant epoch = clock.instant();
        int guard = 0;
        while (!due.isEmpty() && guard++ < 1_000) {
            RecordingDeliveryQueue.Later next = due.poll();
            Instant at = epoch.plus(next.delay());
            if (at.isAfter(clock.instant())) {
                clock.advance(Duration.between(clock.instant(), at));
            }
            worker.process(next.job(), (job, delay) -> due.add(new RecordingDeliveryQueue.Later(job,
                    Duration.between(epoch, clock.instant()).plus(delay).plus(late.get()))));
        }
    }

    static java.util.stream.LongStream stallSeeds() {
        return java.util.stream.LongStream.rangeClosed(1, 20);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("stallSeeds")
    void recordedSendsAreTheIntervalApartEvenWhenAWorkerStallsAnywhere(long seed) {
        // GIVEN one Slack webhook, a burst of 30 events, and a machine so busy that a quarter of the
        // clock reads find up to 90 ms gone since the last one (a worker may stall anywhere: between
        // judging its slot on time and recording the send too), and sleeps that overrun by up to 150 ms
        Connector slack = fixtures.slack();
        java.util.Random random = new java.util.Random(seed);
        Clock stalling = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                if (random.nextInt(4) == 0) {
                    clock.advance(Duration.ofMillis(random.nextInt(91)));
                }
                return clock.instant();
            }
        };
        DeliveryProcessor busy = new DeliveryProcessor(new DeliveryStores(deliveries, destinations, events), queue,
                fixtures.connectorStore, fixtures.connectors, ConnectorTypeCatalog.standard(), fixtures.requests, sender, SCHEDULE,
                TIMINGS, stalling, d -> clock.advance(d.plusMillis(random.nextInt(150))));
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            jobs.add(DeliveryJob.of(FanOutTest.event("evt_stall_" + i, "tech-product"), slack.userId(), slack.id()));
            sender.answer(response(200));
        }

        // WHEN every job runs when it is due
        runWhenDue(busy, jobs, () -> Duration.ZERO);

        // THEN all thirty succeeded, and the sends as recorded (each attempt's "at", which the delivery
        // log shows) are never closer than a second
        List<Instant> recorded = new ArrayList<>();
        for (DeliveryJob job : jobs) {
            DeliveryRecord record = deliveries.find(slack.id(), job.deliveryId()).orElseThrow();
            assertThat(record.state()).isEqualTo(DeliveryState.SUCCEEDED);
            recorded.add(record.attempts().get(0).at());
        }
        recorded.sort(null);
        for (int i = 1; i < recorded.size(); i++) {
            assertThat(Duration.between(recorded.get(i - 1), recorded.get(i))).as("send %d after send %d", i, i - 1)
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void fastApiTypesAreNotPacedAndWriteNothingForIt() {
        Connector generic = fixtures.generic("{}").connector();
        sender.answer(response(200));

        process(job(generic));

        assertThat(destinations.calls()).containsExactly("read");
        assertThat(destinations.booked()).isEmpty();
    }

    // ------------------------------------------------------------------ cost of the healthy path

    @Test
    void healthyDeliveryClaimsAndSettlesOnlyAndKeepsNoEvent() {
        Connector generic = fixtures.generic("{}").connector();
        sender.answer(response(200));

        process(job(generic));

        assertThat(deliveries.calls()).containsExactly("claim", "settle");
        assertThat(destinations.calls()).containsExactly("read");
        assertThat(events.writes()).isZero();
    }

    @Test
    void successEndsTheFailureStreakOnlyWhenOneIsRecorded() {
        Connector generic = fixtures.generic("{}").connector();
        destinations.failingFrom(fixtures.destinationOf(generic), START.minus(Duration.ofHours(1)));
        sender.answer(response(200), response(200));

        process(job(generic));
        assertThat(destinations.calls()).containsExactly("read", "clearFailures");
        destinations.forgetCalls();
        process(DeliveryJob.of(FanOutTest.event("evt_other", "tech-product"), generic.userId(), generic.id()));

        assertThat(destinations.calls()).containsExactly("read");
        assertThat(destinations.failureStreak(fixtures.destinationOf(generic))).isFalse();
    }

    @Test
    void duplicateOfAFinishedDeliveryIsDoneWithoutSendingOrWriting() {
        Connector slack = fixtures.slack();
        sender.answer(response(200));
        DeliveryJob job = job(slack);
        process(job);
        deliveries.forgetCalls();

        DeliveryOutcome duplicate = process(job);

        assertThat(duplicate).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(sender.sent).hasSize(1);
        assertThat(deliveries.calls()).containsExactly("claim");
        assertThat(record(slack).attempts()).hasSize(1);
    }

    @Test
    void copyOfAJobWhoseNextAttemptIsNotDueWaitsForItWithoutSending() {
        Connector generic = fixtures.generic("{}").connector();
        sender.answer(response(500));
        DeliveryJob job = job(generic);
        process(job);

        clock.advance(Duration.ofSeconds(2));
        DeliveryOutcome copy = process(job);

        assertThat(copy).isEqualTo(new DeliveryOutcome.Carried(Duration.ofSeconds(3), "not due"));
        assertThat(sender.sent).hasSize(1);
    }

    @Test
    void copyWhileAnotherWorkerHoldsTheLeaseComesBackWhenItRunsOut() {
        Connector generic = fixtures.generic("{}").connector();
        DeliveryJob job = job(generic);
        deliveries.claim(job, job.event().type(), "another-worker", START, Duration.ofSeconds(30));

        DeliveryOutcome outcome = process(job);

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Carried(Duration.ofSeconds(31), "held by another worker"));
        assertThat(sender.sent).isEmpty();
    }

    @Test
    void aWorkerThatDiedLeavesTheRecordToTheNextClaimOnceItsLeaseRunsOut() {
        Connector generic = fixtures.generic("{}").connector();
        DeliveryJob job = job(generic);
        deliveries.claim(job, job.event().type(), "a-worker-that-died", START, TIMINGS.lease());
        clock.advance(TIMINGS.lease().plusSeconds(1));
        sender.answer(response(200));

        DeliveryOutcome outcome = process(job);

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(record(generic).attempts()).singleElement().satisfies(a -> assertThat(a.number()).isEqualTo(1));
    }

    // ------------------------------------------------------------------ a write failing after a 2xx (I)

    /** A dispatcher's lease on the fan-out its first attempts run under: to the end of a 15-minute invocation. */
    private static final FanOutLeases.Lease FAN_OUT = new FanOutLeases.Lease("evt", "start", "dispatcher-1",
            START.plus(Duration.ofMinutes(15)));

    @Test
    void aHealthyFirstAttemptWritesItsRecordOnceAndClaimsNothing() {
        // GIVEN a dispatcher holding its fan-out's lease and a destination that accepts
        Connector generic = fixtures.generic("{}").connector();
        sender.answer(response(200));
        deliveries.forgetCalls();

        // WHEN it makes the first attempt
        DeliveryOutcome outcome = processor.firstAttempts(carrier).attempt(job(generic), FAN_OUT);

        // THEN the one write to the records is the settled record: no claim before the send
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(deliveries.calls()).containsExactly("settle");
        DeliveryRecord record = record(generic);
        assertThat(record.state()).isEqualTo(DeliveryState.SUCCEEDED);
        assertThat(record.series()).isEqualTo(1);
        assertThat(record.attempts()).singleElement().satisfies(a -> assertThat(a.number()).isEqualTo(1));
        assertThat(sender.sent).hasSize(1);
    }

    @Test
    void aFirstAttemptUnderTheFanOutsLeaseNeverOverwritesARecordAJobWrote() {
        // GIVEN a record a job wrote meanwhile (it took the delivery over: the fan-out's holder was thought dead)
        Connector generic = fixtures.generic("{}").connector();
        DeliveryJob job = job(generic);
        deliveries.claim(job, job.event().type(), "a-job", START, TIMINGS.lease());
        sender.answer(response(400));

        // WHEN the dispatcher settles its first attempt
        DeliveryOutcome outcome = processor.firstAttempts(carrier).attempt(job, FAN_OUT);

        // THEN its write is refused (no record may exist under a fan-out's lease): the job's record stands
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.FAILED));
        DeliveryRecord record = record(generic);
        assertThat(record.state()).isEqualTo(DeliveryState.SENDING);
        assertThat(record.lease().owner()).isEqualTo("a-job");
        assertThat(record.attempts()).isEmpty();
    }

    @Test
    void aFirstAttemptWhoseRecordWriteTimedOutIsHandedOverAndTheJobFindsItSettled() {
        // GIVEN a dispatcher whose settling write reaches DynamoDB but whose answer never comes back
        Connector generic = fixtures.generic("{}").connector();
        boolean[] timeOutOnce = {true};
        DeliveryStore settleAppliedUnanswered = new ForwardingDeliveryStore(deliveries) {
            @Override
            public DeliveryRecord settle(DeliveryRecord sending, String owner, DeliveryStateMachine.Outcome outcome, Instant now)
                    throws DeliveryStateMachine.LeaseLost {
                DeliveryRecord applied = super.settle(sending, owner, outcome, now);
                if (timeOutOnce[0]) {
                    timeOutOnce[0] = false;
                    throw new IllegalStateException("ApiCallTimeoutException: the write was applied, its answer lost");
                }
                return applied;
            }
        };
        FanOut.FirstAttempt firstAttempts = processor(new DeliveryStores(settleAppliedUnanswered, destinations, events))
                .firstAttempts(carrier);
        DeliveryJob job = job(generic);
        sender.answer(response(400));

        // WHEN the dispatcher makes the first attempt (the destination refuses it for good)
        DeliveryOutcome outcome = firstAttempts.attempt(job, FAN_OUT);

        // THEN the attempt is settled all the same: carried by a job of its own on the deliveries queue,
        // so the event's message may go (kills and outages may since have used up its receives)
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Carried(DeliveryProcessor.KEPT_BACKOFF,
                "handed over after: IllegalStateException"));
        assertThat(carried).containsExactly(new RecordingDeliveryQueue.Later(job, DeliveryProcessor.KEPT_BACKOFF));

        // AND that job finds the record the write made, and sends nothing again
        clock.advance(DeliveryProcessor.KEPT_BACKOFF);
        assertThat(process(carried.get(0).job())).isEqualTo(new DeliveryOutcome.Done(DeliveryState.FAILED));
        assertThat(sender.sent).hasSize(1);
    }

    @Test
    void aFirstAttemptWhoseRecordWasNeverWrittenIsMadeAgainByItsJob() {
        // GIVEN a dispatcher whose settling write fails without being applied
        Connector generic = fixtures.generic("{}").connector();
        boolean[] failOnce = {true};
        DeliveryStore settleFailsOnce = new ForwardingDeliveryStore(deliveries) {
            @Override
            public DeliveryRecord settle(DeliveryRecord sending, String owner, DeliveryStateMachine.Outcome outcome, Instant now)
                    throws DeliveryStateMachine.LeaseLost {
                if (failOnce[0]) {
                    failOnce[0] = false;
                    throw new IllegalStateException("ProvisionedThroughputExceeded");
                }
                return super.settle(sending, owner, outcome, now);
            }
        };
        DeliveryJob job = job(generic);
        sender.answer(response(400));
        DeliveryOutcome outcome = processor(new DeliveryStores(settleFailsOnce, destinations, events)).firstAttempts(carrier)
                .attempt(job, FAN_OUT);
        assertThat(outcome).isInstanceOf(DeliveryOutcome.Carried.class);
        assertThat(deliveries.find(generic.id(), job.deliveryId())).isEmpty();

        // WHEN its job comes back
        clock.advance(DeliveryProcessor.KEPT_BACKOFF);
        sender.answer(response(400));

        // THEN it claims the record (created) and records its own attempt: nothing is left without a record
        assertThat(process(carried.get(0).job())).isEqualTo(new DeliveryOutcome.Done(DeliveryState.FAILED));
        assertThat(record(generic).attempts()).singleElement().satisfies(a -> assertThat(a.statusCode()).isEqualTo(400));
    }

    @Test
    void aFirstAttemptThatCannotBeHandedOverEitherLeavesTheEventsMessageUnsettled() {
        Connector generic = fixtures.generic("{}").connector();
        DeliveryStore unreachable = new ForwardingDeliveryStore(deliveries) {
            @Override
            public DeliveryRecord settle(DeliveryRecord sending, String owner, DeliveryStateMachine.Outcome outcome, Instant now) {
                throw new IllegalStateException("DynamoDB unreachable");
            }
        };
        JobCarrier queueDown = (job, delay) -> {
            throw new IllegalStateException("SQS unreachable");
        };
        sender.answer(response(400));

        DeliveryOutcome outcome = processor(new DeliveryStores(unreachable, destinations, events)).firstAttempts(queueDown)
                .attempt(job(generic), FAN_OUT);

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Kept.class);
    }

    @Test
    void aRecordThatCannotBeWrittenAfterASuccessDoesNotCauseAResend() {
        // GIVEN a store whose settling write fails (throttled beyond its retries, say)
        Connector generic = fixtures.generic("{}").connector();
        DeliveryStore failingSettle = new ForwardingDeliveryStore(deliveries) {
            @Override
            public DeliveryRecord settle(DeliveryRecord sending, String owner, DeliveryStateMachine.Outcome outcome, Instant now) {
                throw new IllegalStateException("ProvisionedThroughputExceeded");
            }
        };
        DeliveryProcessor processor = processor(new DeliveryStores(failingSettle, destinations, events));
        sender.answer(response(200));

        // WHEN the destination accepts the request
        DeliveryOutcome outcome = processor.process(job(generic), carrier);

        // THEN the message is done with: nothing will send it again
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(carried).isEmpty();
        assertThat(sender.sent).hasSize(1);
    }

    @Test
    void aSideWriteFailingAfterASuccessChangesNothing() {
        // GIVEN a destination with a failure streak, and a store that cannot clear it
        Connector generic = fixtures.generic("{}").connector();
        destinations.failingFrom(fixtures.destinationOf(generic), START.minusSeconds(60));
        DestinationStore cannotClear = new InMemoryDestinationStore() {
            @Override
            public DestinationState read(String connectorId) {
                return destinations.read(connectorId);
            }

            @Override
            public void clearFailures(String connectorId) {
                throw new IllegalStateException("DynamoDB unreachable");
            }
        };
        sender.answer(response(200));

        DeliveryOutcome outcome = processor(new DeliveryStores(deliveries, cannotClear, events)).process(job(generic), carrier);

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(record(generic).state()).isEqualTo(DeliveryState.SUCCEEDED);
        assertThat(sender.sent).hasSize(1);
    }

    @Test
    void consoleKeptPerAttemptIsBoundedInStoredBytes() {
        // GIVEN output of control characters, which take six bytes each once stored as JSON
        List<String> chatty = java.util.Collections.nCopies(100, "\u0001".repeat(100));

        List<String> kept = DeliveryProcessor.keptConsole(chatty);

        int stored = kept.stream().mapToInt(DeliveryProcessor::storedBytes).sum();
        assertThat(stored).isLessThanOrEqualTo(DeliveryProcessor.CONSOLE_BYTES + DeliveryProcessor.storedBytes(
                DeliveryProcessor.CONSOLE_TRUNCATED));
        assertThat(kept.get(kept.size() - 1)).isEqualTo(DeliveryProcessor.CONSOLE_TRUNCATED);
    }

    @Test
    void theWorstRecordStaysFarUnderDynamoDbsItemLimit() {
        // GIVEN a delivery retried again and again in many series, each attempt with a long error and a
        // console full of control characters and four-byte characters
        Connector slack = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                "function handler(w) { for (var i = 0; i < 200; i++) { console.log('\\u0001\\u0002😀'.repeat(50)); } return w; }");
        DeliveryJob job = job(slack);
        String longError = "\u0001😀".repeat(400);
        for (int series = 1; series <= 8; series++) {
            for (int attempt = 1; attempt <= 3; attempt++) {
                sender.answer(new SendResult.Response(500, Map.of(), longError, Duration.ofMillis(5)));
                process(series == 1 || attempt > 1 ? job : job.restarting(series - 1));
                clock.advance(Duration.ofMinutes(2));
            }
        }

        // THEN the record is bounded well under 400 KB (the event is not in it at all)
        DeliveryRecord record = record(slack);
        assertThat(record.series()).isEqualTo(8);
        assertThat(record.attempts()).hasSize(DeliveryRecord.MAX_ATTEMPTS_KEPT);
        assertThat(DynamoDbDeliveryStore.writeAttempts(record.attempts()).getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThan(100 * 1024);
        assertThat(record.sizeBound()).isLessThan(100 * 1024);
    }

    // ------------------------------------------------------------------ auto-disable (G)

    @ParameterizedTest
    @ValueSource(ints = {404, 410})
    void slackGoneDisablesTheConnectorAtOnce(int status) {
        Connector slack = fixtures.slack();
        sender.answer(new SendResult.Response(status, Map.of(), status == 404 ? "channel_not_found" : "channel_is_archived",
                Duration.ofMillis(8)));

        DeliveryOutcome outcome = process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.FAILED));
        Connector after = connector(slack);
        assertThat(after.status()).isEqualTo(Connector.Status.DISABLED);
        assertThat(after.statusReason()).startsWith("Slack answered " + status + " (channel_").contains("the destination is gone");
    }

    @Test
    void discordNotFoundDisablesTheConnectorAtOnceButNot410() {
        Connector discord = fixtures.discord();
        Connector other = fixtures.discord();
        sender.answer(new SendResult.Response(404, Map.of(), "{\"message\": \"Unknown Webhook\", \"code\": 10015}",
                Duration.ofMillis(8)), response(410));

        process(job(discord));
        process(job(other));

        assertThat(connector(discord).status()).isEqualTo(Connector.Status.DISABLED);
        assertThat(connector(discord).statusReason()).startsWith("Discord answered 404");
        assertThat(connector(other).status()).isEqualTo(Connector.Status.ACTIVE);
    }

    @Test
    void aGoneAnswerFromTheOldUrlDoesNotDisableTheConnectorItsOwnerJustFixed() {
        // GIVEN an attempt in flight to a Slack URL, and the owner fixing the connector's URL meanwhile
        Connector slack = fixtures.slack();
        sender.duringSend(() -> fixtures.connectors.update(slack.userId(), slack.id(), ConnectorInput.read(Json.object()
                .set("config", Json.object().put("webhook_url",
                        "https://hooks.slack.com/services/T0000000/B0000000/NewWebhookToken1")))));
        sender.answer(new SendResult.Response(404, Map.of(), "channel_not_found", Duration.ofMillis(8)));

        // WHEN the old URL answers 404
        process(job(slack));

        // THEN the failure is recorded against the version it was sent with, and the fixed connector stays on
        assertThat(record(slack).attempts().get(0).connectorVersion()).isEqualTo(slack.version());
        assertThat(connector(slack).status()).isEqualTo(Connector.Status.ACTIVE);
        assertThat(connector(slack).version()).isGreaterThan(slack.version());
    }

    @Test
    void destinationFailingForFiveDaysIsDisabled() {
        Connector generic = fixtures.generic("{}").connector();
        destinations.failingFrom(fixtures.destinationOf(generic), START);
        clock.advance(DeliveryProcessor.SUSTAINED_FAILURE);
        sender.answer(response(500));

        process(job(generic));

        assertThat(connector(generic).status()).isEqualTo(Connector.Status.DISABLED);
        assertThat(connector(generic).statusReason()).startsWith("every delivery has failed since");
    }

    @Test
    void aDestinationAnsweringFourHundredForeverIsDisabledToo() {
        // GIVEN a destination that has answered 400 to everything for five days
        Connector generic = fixtures.generic("{}").connector();
        destinations.failingFrom(fixtures.destinationOf(generic), START);
        clock.advance(DeliveryProcessor.SUSTAINED_FAILURE);
        sender.answer(response(400));

        process(job(generic));

        assertThat(connector(generic).status()).isEqualTo(Connector.Status.DISABLED);
    }

    @Test
    void aStreakOlderThanTheConnectorsLastChangeCountsFromTheChange() {
        Connector generic = fixtures.generic("{}").connector();
        destinations.failingFrom(fixtures.destinationOf(generic), START);
        clock.advance(DeliveryProcessor.SUSTAINED_FAILURE);
        fixtures.connectors.update(generic.userId(), generic.id(), ConnectorInput.read(Json.object().put("name", "Fixed")));
        sender.answer(response(503));

        process(job(generic));

        assertThat(connector(generic).status()).isEqualTo(Connector.Status.ACTIVE);
    }

    @Test
    void refusedCredentialsFailWithAnErrorSayingWhatToUpdate() {
        Connector hubspot = fixtures.create("""
                {"type":"hubspot","name":"CRM","config":{"access_token":"expired-token-0123456789"},"events":["*"]}""").connector();
        sender.answer(new SendResult.Response(401, Map.of(), "{\"status\":\"error\",\"category\":\"EXPIRED_AUTHENTICATION\"}",
                Duration.ofMillis(5)));

        DeliveryOutcome outcome = process(job(hubspot));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.FAILED));
        assertThat(record(hubspot).attempts().get(0).error()).contains("HubSpot refused the connector's credentials")
                .contains("update them").doesNotContain("expired-token-0123456789");
    }

    // ------------------------------------------------------------------ poison jobs (F)

    @Test
    void secretsThatDoNotDecryptAreAFailedAttemptRetriedAndDeadLetteredOnTheSchedule() {
        // GIVEN a connector whose stored secrets no longer decrypt
        Connector slack = fixtures.slack();
        byte[] corrupt = slack.sealedSecrets().clone();
        corrupt[corrupt.length - 1] ^= 1;
        fixtures.connectorStore.put(withSecrets(slack, corrupt));
        DeliveryJob job = job(slack);

        // WHEN its job runs through the whole schedule
        DeliveryOutcome first = process(job);
        clock.advance(Duration.ofSeconds(5));
        process(job);
        clock.advance(Duration.ofSeconds(60));
        DeliveryOutcome last = process(job);

        // THEN each attempt is recorded with its reason, and the job ends on the dead-letter queue
        assertThat(first).isInstanceOfSatisfying(DeliveryOutcome.Carried.class,
                c -> assertThat(c.delay()).isEqualTo(Duration.ofSeconds(5)));
        assertThat(record(slack).attempts()).allSatisfy(a -> assertThat(a.error())
                .startsWith("cannot prepare the request: SecretDecryptionException"));
        assertThat(last).isEqualTo(new DeliveryOutcome.Done(DeliveryState.DEAD));
        assertThat(queue.deadLettered).hasSize(1);
        assertThat(sender.sent).isEmpty();
    }

    @Test
    void aTypeMissingFromTheCatalogIsAFailedAttemptWithItsReason() {
        Connector slack = fixtures.slack();
        fixtures.connectorStore.put(new Connector(slack.id(), slack.userId(), "fax", slack.name(), slack.publicConfig(),
                slack.sealedSecrets(), slack.events(), slack.filters(), null, slack.status(), null,
                slack.version(), slack.createdAt(), slack.updatedAt()));

        DeliveryOutcome outcome = process(job(slack));

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Carried.class);
        assertThat(record(slack).attempts()).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo("retrying");
            assertThat(a.error()).isEqualTo("connector type 'fax' is not in this deployment's catalog");
        });
    }

    @Test
    void aConnectorWithoutADestinationUrlIsAFailedAttemptWithItsReason() {
        Connector slack = fixtures.slack();
        byte[] noUrl = fixtures.cipher.encrypt("{\"config\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                slack.secretContext());
        fixtures.connectorStore.put(withSecrets(slack, noUrl));

        process(job(slack));

        assertThat(record(slack).attempts()).singleElement().satisfies(a -> assertThat(a.error())
                .startsWith("cannot prepare the request: IllegalStateException").contains("has no destination URL"));
    }

    // ------------------------------------------------------------------ connector state and transformations

    @Test
    void disabledConnectorIsCancelledWithoutSendingAndItsEventKeptForARetry() {
        Connector slack = fixtures.slack();
        fixtures.connectors.disable(DeliveryFixtures.USER, slack.id(), slack.version(), "disabled by its owner");

        DeliveryOutcome outcome = process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.CANCELLED));
        assertThat(record(slack).attempts().get(0).error()).isEqualTo("connector is disabled: disabled by its owner");
        assertThat(sender.sent).isEmpty();
        assertThat(events.writes()).isEqualTo(1);
    }

    @Test
    void deletedConnectorIsCancelledWithoutSending() {
        Connector slack = fixtures.slack();
        DeliveryJob job = job(slack);
        fixtures.connectors.delete(DeliveryFixtures.USER, slack.id());

        DeliveryOutcome outcome = process(job);

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.CANCELLED));
        assertThat(sender.sent).isEmpty();
        assertThat(record(slack).attempts().get(0).connectorVersion()).isNull();
    }

    @Test
    void transformationThatCancelsIsCancelled() {
        Connector slack = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                "function handler(webhook) { console.log('skip'); webhook.cancel = true; return webhook; }");

        DeliveryOutcome outcome = process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.CANCELLED));
        assertThat(record(slack).attempts()).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo("cancelled");
            assertThat(a.console()).containsExactly("skip");
        });
        assertThat(sender.sent).isEmpty();
    }

    @Test
    void transformationThatThrowsFailsWithoutRetry() {
        Connector slack = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                "function handler(webhook) {\n  throw new Error('no thanks');\n}");

        DeliveryOutcome outcome = process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.FAILED));
        assertThat(record(slack).attempts().get(0).error()).startsWith("transformation failed (").contains("no thanks");
        assertThat(sender.sent).isEmpty();
    }

    @Test
    void sendsTheFormattedRequestToTheRealUrl() {
        Connector slack = fixtures.slack();
        sender.answer(response(200));

        process(job(slack));

        OutboundRequest sent = sender.sent.get(0);
        assertThat(sent.uri().toString()).isEqualTo(DeliveryFixtures.SLACK_URL);
        assertThat(sent.method()).isEqualTo(OutboundRequest.Method.POST);
        assertThat(sent.headers()).containsEntry("Content-Type", "application/json");
        assertThat(new String(sent.body())).contains("\"blocks\"").contains("Ship offline mode to every mobile user");
    }

    @Test
    void aJobWithoutItsEventReadsItFromTheEventStore() {
        Connector generic = fixtures.generic("{}").connector();
        DeliveryJob job = job(generic);
        events.keep(job.event());
        sender.answer(response(200));

        DeliveryOutcome outcome = process(job.referencingEvent());

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(sender.sent).hasSize(1);
    }

    // ------------------------------------------------------------------ helpers

    /** Runs every attempt of the schedule against a destination answering 500; returns the last outcome. */
    private DeliveryOutcome runToDeath(DeliveryJob job) {
        sender.answer(response(500), response(500), response(500));
        process(job);
        clock.advance(Duration.ofSeconds(5));
        process(job);
        clock.advance(Duration.ofSeconds(60));
        return process(job);
    }

    private static Connector withSecrets(Connector c, byte[] sealed) {
        return new Connector(c.id(), c.userId(), c.type(), c.name(), c.publicConfig(), sealed, c.events(),
                c.filters(), c.transformation(), c.status(), c.statusReason(), c.version(), c.createdAt(), c.updatedAt());
    }

    private DeliveryJob job(Connector connector) {
        return DeliveryJob.of(FanOutTest.event("tech-product", "Acme Mobile", null), connector.userId(), connector.id());
    }

    private DeliveryRecord record(Connector connector) {
        return deliveries.find(connector.id(), job(connector).deliveryId()).orElseThrow();
    }

    private Connector connector(Connector connector) {
        return fixtures.connectorStore.find(connector.userId(), connector.id()).orElseThrow();
    }

    private static SendResult.Response response(int status) {
        return new SendResult.Response(status, Map.of(), "", Duration.ofMillis(42));
    }

    /** Answers from a script, in order, and keeps what was sent and when; a send beyond the script fails the test. */
    private static final class ScriptedSender implements HttpSender {
        private final MutableClock clock;
        private final Deque<SendResult> script = new ArrayDeque<>();
        final List<OutboundRequest> sent = new ArrayList<>();
        final List<Instant> sentAt = new ArrayList<>();
        private Runnable duringSend = () -> { };

        ScriptedSender(MutableClock clock) {
            this.clock = clock;
        }

        void answer(SendResult... results) {
            script.addAll(List.of(results));
        }

        void duringSend(Runnable action) {
            duringSend = action;
        }

        @Override
        public SendResult send(OutboundRequest request) {
            sent.add(request);
            sentAt.add(clock.instant());
            duringSend.run();
            SendResult next = script.poll();
            if (next == null) {
                throw new AssertionError("unexpected send #" + sent.size() + ": " + request);
            }
            return next;
        }
    }
}
