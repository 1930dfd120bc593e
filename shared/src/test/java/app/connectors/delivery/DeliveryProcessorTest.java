package app.connectors.delivery;

import app.connectors.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.Connector;
import app.connectors.net.HttpSender;
import app.connectors.net.OutboundRequest;
import app.connectors.net.SendResult;
import java.nio.file.Path;
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

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    /** Three attempts: now, after 5 s, after 60 s; no jitter so waits are exact. */
    private static final RetrySchedule SCHEDULE = new RetrySchedule(
            List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(60)), 0.0);

    @TempDir
    Path keys;

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryDeliveryStore deliveries = new InMemoryDeliveryStore();
    private final ScriptedSender sender = new ScriptedSender();
    private final List<Duration> slept = new ArrayList<>();
    private DeliveryFixtures fixtures;
    private DeliveryProcessor processor;

    @BeforeEach
    void setUp() {
        fixtures = new DeliveryFixtures(keys, clock);
        processor = new DeliveryProcessor(deliveries, fixtures.connectorStore, fixtures.connectors,
                ConnectorTypeCatalog.standard(), fixtures.requests, sender, SCHEDULE, clock, slept::add);
    }

    // ------------------------------------------------------------------ answers

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void anyTwoHundredIsSuccess(int status) {
        Connector slack = fixtures.slack();
        sender.answer(response(status));

        DeliveryOutcome outcome = processor.process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.SUCCEEDED));
        DeliveryRecord record = record(slack);
        assertThat(record.status()).isEqualTo(DeliveryStatus.SUCCEEDED);
        assertThat(record.attempts()).singleElement().satisfies(a -> {
            assertThat(a.number()).isEqualTo(1);
            assertThat(a.statusCode()).isEqualTo(status);
            assertThat(a.latencyMs()).isEqualTo(42);
            assertThat(a.outcome()).isEqualTo("succeeded");
            assertThat(a.error()).isNull();
            assertThat(a.at()).isEqualTo(START);
        });
        assertThat(sender.sent).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 408})
    void serverErrorsAndRequestTimeoutAreRetriedOnTheSchedule(int status) {
        Connector slack = fixtures.slack();
        sender.answer(new SendResult.Response(status, Map.of(), "upstream trouble", Duration.ofMillis(42)));

        DeliveryOutcome outcome = processor.process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.RetryLater(Duration.ofSeconds(5),
                "HTTP " + status + ": upstream trouble"));
        DeliveryRecord record = record(slack);
        assertThat(record.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(record.nextAttemptAt()).isEqualTo(START.plusSeconds(5));
        assertThat(record.attempts()).singleElement().satisfies(a -> {
            assertThat(a.statusCode()).isEqualTo(status);
            assertThat(a.outcome()).isEqualTo("retrying");
            assertThat(a.error()).isEqualTo("HTTP " + status + ": upstream trouble");
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 405, 409, 413, 422})
    void otherClientErrorsFailAtOnce(int status) {
        Connector generic = fixtures.generic("{}").connector();
        sender.answer(response(status));

        DeliveryOutcome outcome = processor.process(job(generic));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.FAILED));
        assertThat(record(generic).attempts()).singleElement().satisfies(a -> {
            assertThat(a.statusCode()).isEqualTo(status);
            assertThat(a.outcome()).isEqualTo("failed");
        });
        // a generic endpoint's 404 is not "gone": the connector stays on
        assertThat(connector(generic).status()).isEqualTo(Connector.Status.ACTIVE);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void redirectsFailAtOnce(int status) {
        Connector slack = fixtures.slack();
        sender.answer(new SendResult.Response(status, Map.of(), "", Duration.ofMillis(3)));

        DeliveryOutcome outcome = processor.process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.FAILED));
        assertThat(record(slack).attempts().get(0).error()).isEqualTo("HTTP " + status);
        assertThat(sender.sent).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(value = SendResult.FailureKind.class, names = {"TIMEOUT", "CONNECT", "RESET", "DNS", "TLS", "IO"})
    void networkFailuresAreRetried(SendResult.FailureKind kind) {
        Connector slack = fixtures.slack();
        sender.answer(new SendResult.Failure(kind, "trouble with https://hooks.slack.com", Duration.ofMillis(900)));

        DeliveryOutcome outcome = processor.process(job(slack));

        assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryLater.class);
        assertThat(((DeliveryOutcome.RetryLater) outcome).delay()).isEqualTo(Duration.ofSeconds(5));
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

        DeliveryOutcome outcome = processor.process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.FAILED));
        assertThat(record(slack).attempts().get(0).error()).startsWith("REFUSED: refused https://hooks.slack.com");
    }

    @Test
    void lastFailedAttemptIsDead() {
        Connector slack = fixtures.slack();
        DeliveryJob job = job(slack);
        sender.answer(response(500), response(503), response(500));

        DeliveryOutcome first = processor.process(job);
        clock.advance(Duration.ofSeconds(5));
        DeliveryOutcome second = processor.process(job);
        clock.advance(Duration.ofSeconds(60));
        DeliveryOutcome third = processor.process(job);

        assertThat(first).isEqualTo(new DeliveryOutcome.RetryLater(Duration.ofSeconds(5), "HTTP 500"));
        assertThat(second).isEqualTo(new DeliveryOutcome.RetryLater(Duration.ofSeconds(60), "HTTP 503"));
        assertThat(third).isEqualTo(new DeliveryOutcome.Dead("all 3 attempts failed; last: HTTP 500", 1));
        DeliveryRecord record = record(slack);
        assertThat(record.status()).isEqualTo(DeliveryStatus.DEAD);
        assertThat(record.nextAttemptAt()).isNull();
        assertThat(record.attempts()).extracting(Attempt::number).containsExactly(1, 2, 3);
        assertThat(record.attempts()).extracting(Attempt::outcome).containsExactly("retrying", "retrying", "dead");
        assertThat(sender.sent).hasSize(3);
    }

    @Test
    void redrivenDeadJobStartsANewSeries() {
        Connector slack = fixtures.slack();
        DeliveryJob job = job(slack);
        sender.answer(response(500), response(500), response(500), response(200));
        processor.process(job);
        clock.advance(Duration.ofSeconds(5));
        processor.process(job);
        clock.advance(Duration.ofSeconds(60));
        DeliveryOutcome.Dead dead = (DeliveryOutcome.Dead) processor.process(job);

        clock.advance(Duration.ofHours(1));
        DeliveryOutcome redriven = processor.process(job.diedIn(dead.series()));

        assertThat(redriven).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.SUCCEEDED));
        DeliveryRecord record = record(slack);
        assertThat(record.series()).isEqualTo(2);
        assertThat(record.attemptsInSeries()).isEqualTo(1);
        assertThat(record.attempts()).extracting(Attempt::outcome).containsExactly("retrying", "retrying", "dead", "succeeded");
    }

    @Test
    void tooManyRequestsWaitsAsLongAsRetryAfterAsksAndPausesTheDestination() {
        Connector slack = fixtures.slack();
        sender.answer(new SendResult.Response(429, Map.of("retry-after", "30"), "rate_limited", Duration.ofMillis(5)));

        DeliveryOutcome outcome = processor.process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.RetryLater(Duration.ofSeconds(30), "HTTP 429: rate_limited"));
        assertThat(deliveries.pausedUntil(slack.id())).contains(START.plusSeconds(30));
        assertThat(record(slack).nextAttemptAt()).isEqualTo(START.plusSeconds(30));
    }

    @Test
    void tooManyRequestsWithAShortRetryAfterStillWaitsForTheSchedule() {
        Connector slack = fixtures.slack();
        sender.answer(new SendResult.Response(429, Map.of("retry-after", "1"), "", Duration.ofMillis(5)));

        DeliveryOutcome outcome = processor.process(job(slack));

        assertThat(((DeliveryOutcome.RetryLater) outcome).delay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(deliveries.pausedUntil(slack.id())).contains(START.plusSeconds(1));
    }

    @Test
    void discordRetryAfterInTheBodyIsHonoured() {
        Connector discord = fixtures.discord();
        sender.answer(new SendResult.Response(429, Map.of(),
                "{\"message\":\"You are being rate limited.\",\"retry_after\":7.25,\"global\":false}", Duration.ofMillis(5)));

        DeliveryOutcome outcome = processor.process(job(discord));

        assertThat(((DeliveryOutcome.RetryLater) outcome).delay()).isEqualTo(Duration.ofMillis(7250));
        assertThat(deliveries.pausedUntil(discord.id())).contains(START.plusMillis(7250));
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 410})
    void slackGoneDisablesTheConnectorAtOnce(int status) {
        Connector slack = fixtures.slack();
        sender.answer(new SendResult.Response(status, Map.of(), status == 404 ? "channel_not_found" : "channel_is_archived",
                Duration.ofMillis(8)));

        DeliveryOutcome outcome = processor.process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.FAILED));
        Connector after = connector(slack);
        assertThat(after.status()).isEqualTo(Connector.Status.DISABLED);
        assertThat(after.statusReason()).startsWith("Slack answered " + status + " (channel_")
                .contains("the destination is gone");
    }

    @Test
    void discordNotFoundDisablesTheConnectorAtOnce() {
        Connector discord = fixtures.discord();
        sender.answer(new SendResult.Response(404, Map.of(), "{\"message\": \"Unknown Webhook\", \"code\": 10015}",
                Duration.ofMillis(8)));

        processor.process(job(discord));

        assertThat(connector(discord).status()).isEqualTo(Connector.Status.DISABLED);
        assertThat(connector(discord).statusReason()).startsWith("Discord answered 404");
    }

    @Test
    void discordGoneIsOnly404() {
        Connector discord = fixtures.discord();
        sender.answer(response(410));

        DeliveryOutcome outcome = processor.process(job(discord));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.FAILED));
        assertThat(connector(discord).status()).isEqualTo(Connector.Status.ACTIVE);
    }

    @Test
    void destinationFailingForFiveDaysIsDisabled() {
        // GIVEN a connector whose every attempt has failed since it was created, five days ago
        Connector slack = fixtures.slack();
        deliveries.failingFrom(slack.id(), START);
        clock.advance(DeliveryProcessor.SUSTAINED_FAILURE);
        sender.answer(response(500));

        processor.process(job(slack));

        assertThat(connector(slack).status()).isEqualTo(Connector.Status.DISABLED);
        assertThat(connector(slack).statusReason()).startsWith("every delivery has failed since");
    }

    @Test
    void aStreakOlderThanTheConnectorsLastChangeCountsFromTheChange() {
        // GIVEN a connector failing for five days, which its owner then fixes (PATCH: updatedAt moves on)
        Connector slack = fixtures.slack();
        deliveries.failingFrom(slack.id(), START);
        clock.advance(DeliveryProcessor.SUSTAINED_FAILURE);
        fixtures.connectors.update(slack.userId(), slack.id(), app.connectors.connector.ConnectorInput.read(
                app.connectors.json.Json.object().put("name", "Fixed")));
        sender.answer(response(503));

        // WHEN the next attempt fails once
        processor.process(job(slack));

        // THEN the connector stays enabled: its streak restarted with the change
        assertThat(connector(slack).status()).isEqualTo(Connector.Status.ACTIVE);
    }

    @Test
    void retryAfterBeyondTenHoursIsCappedToTenHours() {
        // GIVEN a destination asking for a week
        Connector slack = fixtures.slack();
        sender.answer(new SendResult.Response(429, Map.of("retry-after", "604800"), "", Duration.ofMillis(5)));

        // WHEN it answers 429
        DeliveryOutcome outcome = processor.process(job(slack));

        // THEN the wait is 10 hours, not a week that would outlive the queue's retention
        assertThat(((DeliveryOutcome.RetryLater) outcome).delay()).isEqualTo(DeliveryProcessor.MAX_RETRY_AFTER);
        assertThat(deliveries.pausedUntil(slack.id())).contains(START.plus(DeliveryProcessor.MAX_RETRY_AFTER));
    }

    @Test
    void refusedCredentialsFailWithAnErrorSayingWhatToUpdate() {
        // GIVEN a HubSpot connector whose access token has expired
        Connector hubspot = fixtures.create("""
                {"type":"hubspot","name":"CRM","config":{"access_token":"expired-token-0123456789"},"events":["*"]}""").connector();
        sender.answer(new SendResult.Response(401, Map.of(), "{\"status\":\"error\",\"category\":\"EXPIRED_AUTHENTICATION\"}",
                Duration.ofMillis(5)));

        // WHEN the delivery is attempted
        DeliveryOutcome outcome = processor.process(job(hubspot));

        // THEN it fails at once, and the log says the credentials were refused and what to do
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.FAILED));
        assertThat(record(hubspot).attempts().get(0).error()).contains("HubSpot refused the connector's credentials")
                .contains("update them").doesNotContain("expired-token-0123456789");
    }

    @Test
    void consoleKeptPerAttemptIsBounded() {
        List<String> chatty = java.util.Collections.nCopies(100, "x".repeat(100));

        List<String> kept = DeliveryProcessor.keptConsole(chatty);

        assertThat(kept.stream().mapToInt(String::length).sum())
                .isLessThanOrEqualTo(DeliveryProcessor.CONSOLE_CHARS + DeliveryProcessor.CONSOLE_TRUNCATED.length());
        assertThat(kept.get(kept.size() - 1)).isEqualTo(DeliveryProcessor.CONSOLE_TRUNCATED);
    }

    @Test
    void successEndsTheFailureStreak() {
        Connector slack = fixtures.slack();
        sender.answer(response(500), response(200));
        DeliveryJob job = job(slack);
        processor.process(job);
        assertThat(deliveries.failureStreak(slack.id())).isTrue();

        clock.advance(Duration.ofSeconds(5));
        processor.process(job);

        assertThat(deliveries.failureStreak(slack.id())).isFalse();
    }

    // ------------------------------------------------------------------ duplicates and timing

    @Test
    void duplicateOfAFinishedDeliveryIsDoneWithoutSending() {
        Connector slack = fixtures.slack();
        sender.answer(response(200));
        DeliveryJob job = job(slack);
        processor.process(job);

        DeliveryOutcome duplicate = processor.process(job);

        assertThat(duplicate).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.SUCCEEDED));
        assertThat(sender.sent).hasSize(1);
        assertThat(record(slack).attempts()).hasSize(1);
    }

    @Test
    void copyOfAJobWhoseNextAttemptIsNotDueWaitsWithoutSending() {
        Connector slack = fixtures.slack();
        sender.answer(response(500));
        DeliveryJob job = job(slack);
        processor.process(job);

        clock.advance(Duration.ofSeconds(2));
        DeliveryOutcome copy = processor.process(job);

        assertThat(copy).isEqualTo(new DeliveryOutcome.RetryLater(Duration.ofSeconds(3), "not due yet"));
        assertThat(sender.sent).hasSize(1);
    }

    @Test
    void copyWhileAnotherWorkerHoldsTheLeaseComesBackLater() {
        Connector slack = fixtures.slack();
        DeliveryJob job = job(slack);
        deliveries.holdLease(slack.id(), job.deliveryId(), START.plusSeconds(30));

        DeliveryOutcome outcome = processor.process(job);

        assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryLater.class);
        assertThat(sender.sent).isEmpty();
    }

    @Test
    void shortPacingWaitIsSleptInPlace() {
        Connector slack = fixtures.slack();
        deliveries.nextSlotWait(Duration.ofMillis(700));
        sender.answer(response(200));

        DeliveryOutcome outcome = processor.process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.SUCCEEDED));
        assertThat(slept).containsExactly(Duration.ofMillis(700));
        // Slack: one message per second per webhook
        assertThat(deliveries.slotIntervals()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void longPacingWaitGoesBackToTheQueue() {
        Connector discord = fixtures.discord();
        deliveries.nextSlotWait(Duration.ofSeconds(9));

        DeliveryOutcome outcome = processor.process(job(discord));

        // back one second early (SQS rounds visibility up), to sleep the rest of the wait for its slot
        assertThat(outcome).isEqualTo(new DeliveryOutcome.RetryLater(Duration.ofSeconds(8), "paced"));
        assertThat(sender.sent).isEmpty();
        assertThat(slept).isEmpty();
        // Discord: five per two seconds
        assertThat(deliveries.slotIntervals()).containsExactly(Duration.ofMillis(400));
        DeliveryRecord record = record(discord);
        assertThat(record.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(record.attempts()).isEmpty();
        assertThat(record.reservedSlot()).isEqualTo(START.plusSeconds(9));
    }

    @Test
    void jobBackFromAPacingDeferralUsesTheSlotItReservedInsteadOfReservingAnother() {
        // GIVEN a job deferred for pacing: its slot is 9 s away, and it comes back after 8 s
        Connector discord = fixtures.discord();
        DeliveryJob job = job(discord);
        deliveries.nextSlotWait(Duration.ofSeconds(9));
        processor.process(job);
        clock.advance(Duration.ofSeconds(8));
        // meanwhile other jobs reserved every slot for the next 30 s
        deliveries.nextSlotWait(Duration.ofSeconds(30));
        sender.answer(response(200));
        deliveries.forgetCalls();

        // WHEN it is processed
        DeliveryOutcome outcome = processor.process(job);

        // THEN it sleeps the last second to its own slot and is sent, without a second reservation
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.SUCCEEDED));
        assertThat(slept).containsExactly(Duration.ofSeconds(1));
        assertThat(deliveries.calls()).doesNotContain("reserveSlot");
        assertThat(deliveries.slotIntervals()).hasSize(1);
        assertThat(record(discord).reservedSlot()).isNull();
    }

    // ------------------------------------------------------------------ connector state and transformations

    @Test
    void disabledConnectorIsCancelledWithoutSending() {
        Connector slack = fixtures.slack();
        fixtures.connectors.disable(DeliveryFixtures.USER, slack.id(), "disabled by its owner");

        DeliveryOutcome outcome = processor.process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.CANCELLED));
        assertThat(record(slack).attempts().get(0).error()).isEqualTo("connector is disabled: disabled by its owner");
        assertThat(sender.sent).isEmpty();
    }

    @Test
    void deletedConnectorIsCancelledWithoutSending() {
        Connector slack = fixtures.slack();
        DeliveryJob job = job(slack);
        fixtures.connectors.delete(DeliveryFixtures.USER, slack.id());

        DeliveryOutcome outcome = processor.process(job);

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.CANCELLED));
        assertThat(sender.sent).isEmpty();
    }

    @Test
    void transformationThatCancelsIsCancelled() {
        Connector slack = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                "function handler(webhook) { console.log('skip'); webhook.cancel = true; return webhook; }");

        DeliveryOutcome outcome = processor.process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.CANCELLED));
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

        DeliveryOutcome outcome = processor.process(job(slack));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.FAILED));
        assertThat(record(slack).attempts().get(0).error()).startsWith("transformation failed (").contains("no thanks");
        assertThat(sender.sent).isEmpty();
    }

    @Test
    void plainCopyOfAJobThatWentDeadIsADuplicateNotARedrive() {
        // GIVEN a delivery whose every attempt failed, so its job went to the dead-letter queue
        Connector slack = fixtures.slack();
        DeliveryJob job = job(slack);
        DeliveryOutcome last = runToDeath(job);
        assertThat(last).isInstanceOf(DeliveryOutcome.Dead.class);

        // WHEN SQS delivers a late copy of the original job (no series: it is not the dead-lettered one)
        clock.advance(Duration.ofHours(1));
        DeliveryOutcome copy = processor.process(job);

        // THEN it is not a redrive: nothing is sent, the record stays dead in its first series, and the
        // copy goes to the dead-letter queue (again) marked with that series, so it can never be lost
        assertThat(copy).isInstanceOfSatisfying(DeliveryOutcome.Dead.class, dead -> assertThat(dead.series()).isEqualTo(1));
        assertThat(sender.sent).hasSize(3);
        assertThat(record(slack).status()).isEqualTo(DeliveryStatus.DEAD);
        assertThat(record(slack).series()).isEqualTo(1);
    }

    @Test
    void deadLetteredJobOfAnOlderSeriesDoesNotRestartALaterDeadSeries() {
        // GIVEN a delivery that died, was redriven, and died again in its second series
        Connector slack = fixtures.slack();
        DeliveryJob job = job(slack);
        DeliveryOutcome.Dead first = (DeliveryOutcome.Dead) runToDeath(job);
        DeliveryOutcome.Dead second = (DeliveryOutcome.Dead) runToDeath(job.diedIn(first.series()));
        assertThat(second.series()).isEqualTo(2);

        // WHEN a copy of the first redrive arrives
        DeliveryOutcome copy = processor.process(job.diedIn(first.series()));

        // THEN it starts nothing (only the job dead-lettered from series 2 would start series 3): it is
        // dead-lettered again as a job of series 2
        assertThat(copy).isInstanceOfSatisfying(DeliveryOutcome.Dead.class, dead -> assertThat(dead.series()).isEqualTo(2));
        assertThat(sender.sent).hasSize(6);
        assertThat(record(slack).series()).isEqualTo(2);
    }

    @Test
    void deadLetteredJobCarriesTheSeriesItDiedIn() throws Exception {
        DeliveryJob job = job(fixtures.slack());

        DeliveryJob parked = DeliveryJob.fromJson(job.diedIn(3).toJson());

        assertThat(parked.series()).isEqualTo(3);
        assertThat(parked.manual()).isFalse();
        assertThat(DeliveryJob.fromJson(job.toJson()).series()).isZero();
    }

    // ------------------------------------------------------------------ store round trips

    @Test
    void healthyDeliveryClaimsReservesAndReleasesOnly() {
        // GIVEN a connector with no failure streak and a free slot
        Connector slack = fixtures.slack();
        sender.answer(response(200));

        // WHEN a job is delivered
        processor.process(job(slack));

        // THEN the store is called three times (the fourth request is the connector read):
        // no read before the claim, and no failure-streak write
        assertThat(deliveries.calls()).containsExactly("claim", "reserveSlot", "release");
    }

    @Test
    void successClearsTheFailureStreakOnlyWhenOneIsRecorded() {
        Connector slack = fixtures.slack();
        deliveries.failingFrom(slack.id(), START.minus(Duration.ofHours(1)));
        sender.answer(response(200));

        processor.process(job(slack));

        assertThat(deliveries.calls()).containsExactly("claim", "reserveSlot", "clearFailures", "release");
        assertThat(deliveries.failureStreak(slack.id())).isFalse();
    }

    @Test
    void duplicateOfAFinishedDeliveryWritesNothing() {
        Connector slack = fixtures.slack();
        sender.answer(response(200));
        DeliveryJob job = job(slack);
        processor.process(job);
        deliveries.forgetCalls();

        processor.process(job);

        // the claim's lease on the finished record simply expires
        assertThat(deliveries.calls()).containsExactly("claim");
    }

    @Test
    void copyThatIsNotDueGivesTheLeaseBackSoTheJobIsNotHeldOffWhenDue() {
        // GIVEN a failed first attempt (next one due in 5 s) and an early copy of the job
        Connector slack = fixtures.slack();
        sender.answer(response(500), response(200));
        DeliveryJob job = job(slack);
        processor.process(job);
        clock.advance(Duration.ofSeconds(2));
        assertThat(processor.process(job)).isEqualTo(new DeliveryOutcome.RetryLater(Duration.ofSeconds(3), "not due yet"));

        // WHEN the job itself returns when due, well within the copy's 60 s lease
        clock.advance(Duration.ofSeconds(3));
        DeliveryOutcome due = processor.process(job);

        // THEN it is not put off as held by another worker: it is sent
        assertThat(due).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.SUCCEEDED));
        assertThat(sender.sent).hasSize(2);
    }

    @Test
    void manualRetryOfAFailedDeliverySendsItAgainInANewSeries() {
        Connector slack = fixtures.slack();
        sender.answer(response(400), response(200));
        DeliveryJob job = job(slack);
        processor.process(job);

        DeliveryOutcome retried = processor.process(job.asManualRetry(2));

        assertThat(retried).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.SUCCEEDED));
        assertThat(record(slack).series()).isEqualTo(2);
        assertThat(sender.sent).hasSize(2);
    }

    @Test
    void copyOfAManualRetryThatAlreadySucceededIsNotSentAgain() {
        // GIVEN a failed delivery that the user asked to send again, and that then succeeded
        Connector slack = fixtures.slack();
        sender.answer(response(400), response(200));
        DeliveryJob job = job(slack);
        processor.process(job);
        RecordingDeliveryQueue queue = new RecordingDeliveryQueue();
        new DeliveryLog(fixtures.connectors, deliveries, queue).retry(DeliveryFixtures.USER, slack.id(), job.deliveryId());
        DeliveryJob retry = queue.jobs().get(0);
        assertThat(processor.process(retry)).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.SUCCEEDED));

        // WHEN SQS delivers the retry job a second time
        DeliveryOutcome copy = processor.process(retry);

        // THEN it is a duplicate: nothing is sent and no new series starts
        assertThat(copy).isEqualTo(new DeliveryOutcome.Done(DeliveryStatus.SUCCEEDED));
        assertThat(sender.sent).hasSize(2);
        assertThat(record(slack).series()).isEqualTo(2);
    }

    @Test
    void sendsTheFormattedRequestToTheRealUrl() {
        Connector slack = fixtures.slack();
        sender.answer(response(200));

        processor.process(job(slack));

        OutboundRequest sent = sender.sent.get(0);
        assertThat(sent.uri().toString()).isEqualTo(DeliveryFixtures.SLACK_URL);
        assertThat(sent.method()).isEqualTo(OutboundRequest.Method.POST);
        assertThat(sent.headers()).containsEntry("Content-Type", "application/json");
        assertThat(new String(sent.body())).contains("\"blocks\"").contains("Ship offline mode to every mobile user");
    }

    // ------------------------------------------------------------------ helpers

    /** Runs every attempt of the schedule against a destination answering 500; returns the last outcome. */
    private DeliveryOutcome runToDeath(DeliveryJob job) {
        sender.answer(response(500), response(500), response(500));
        DeliveryOutcome outcome = processor.process(job);
        clock.advance(Duration.ofSeconds(5));
        outcome = processor.process(job);
        clock.advance(Duration.ofSeconds(60));
        return processor.process(job);
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

    /** Answers from a script, in order, and keeps what was sent; a send beyond the script fails the test. */
    private static final class ScriptedSender implements HttpSender {
        private final Deque<SendResult> script = new ArrayDeque<>();
        final List<OutboundRequest> sent = new ArrayList<>();

        void answer(SendResult... results) {
            script.addAll(List.of(results));
        }

        @Override
        public SendResult send(OutboundRequest request) {
            sent.add(request);
            SendResult next = script.poll();
            if (next == null) {
                throw new AssertionError("unexpected send #" + sent.size() + ": " + request);
            }
            return next;
        }
    }
}
