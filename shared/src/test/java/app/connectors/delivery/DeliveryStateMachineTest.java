package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every (state, event) pair of the delivery record's state machine and what it leads to: the
 * record written (its state and series) or why nothing is. docs/delivery-state-machine.md draws
 * the same table; {@code DynamoDbDeliveryStoreIT} holds the DynamoDB store's conditional writes to it.
 */
class DeliveryStateMachineTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(57);
    static final DeliveryJob JOB = DeliveryJob.of(FanOutTest.event("evt_table", "tech-product"), "user-1", "connector-1");

    /** The stored situations a claim can meet. */
    enum Stored {
        NONE, PENDING_DUE, PENDING_DUE_WITHIN_TOLERANCE, PENDING_NOT_DUE, SENDING_HELD, SENDING_LEASE_RUN_OUT,
        SUCCEEDED, FAILED, CANCELLED, DEAD;

        /** The record in this situation, in series 2 with one attempt made. */
        DeliveryRecord record() {
            Attempt first = new Attempt(1, 2, NOW.minusSeconds(90), 500, 10, "retrying", "HTTP 500", null, 1L);
            return switch (this) {
                case NONE -> null;
                case PENDING_DUE -> record(DeliveryState.PENDING, NOW.minusSeconds(5), null, first);
                case PENDING_DUE_WITHIN_TOLERANCE -> record(DeliveryState.PENDING, NOW.plusMillis(900), null, first);
                case PENDING_NOT_DUE -> record(DeliveryState.PENDING, NOW.plusSeconds(30), null, first);
                case SENDING_HELD -> record(DeliveryState.SENDING, null, new DeliveryRecord.Lease("other", NOW.plusSeconds(20)), first);
                case SENDING_LEASE_RUN_OUT -> record(DeliveryState.SENDING, null,
                        new DeliveryRecord.Lease("other", NOW.minusMillis(1)), first);
                case SUCCEEDED, FAILED, CANCELLED, DEAD -> record(DeliveryState.valueOf(name()), null, null, first);
            };
        }

        private static DeliveryRecord record(DeliveryState state, Instant dueAt, DeliveryRecord.Lease lease, Attempt attempt) {
            return new DeliveryRecord(JOB.connectorId(), JOB.deliveryId(), JOB.userId(), JOB.eventId(), "promise.status_changed",
                    state, 2, 1, dueAt, lease, List.of(attempt), NOW.minusSeconds(600), NOW.minusSeconds(60), null);
        }
    }

    /** The jobs that claim: an ordinary one, one restarting the record's series (2), one restarting an older series. */
    enum Asking {
        ORDINARY(null), RESTARTING_ITS_SERIES(2), RESTARTING_AN_OLD_SERIES(1);

        final Integer restarts;

        Asking(Integer restarts) {
            this.restarts = restarts;
        }

        DeliveryJob job() {
            return restarts == null ? JOB : JOB.restarting(restarts);
        }
    }

    /**
     * The whole claim table: what is stored, which job asks, and the verdict — Taken with the state
     * and series written, or NotDue, Busy, Finished.
     */
    static Stream<Arguments> claims() {
        return Stream.of(
                Arguments.of(Stored.NONE, Asking.ORDINARY, "Taken SENDING series 1"),
                Arguments.of(Stored.NONE, Asking.RESTARTING_ITS_SERIES, "Taken SENDING series 3"),
                Arguments.of(Stored.NONE, Asking.RESTARTING_AN_OLD_SERIES, "Taken SENDING series 2"),
                Arguments.of(Stored.PENDING_DUE, Asking.ORDINARY, "Taken SENDING series 2"),
                Arguments.of(Stored.PENDING_DUE, Asking.RESTARTING_ITS_SERIES, "Taken SENDING series 2"),
                Arguments.of(Stored.PENDING_DUE, Asking.RESTARTING_AN_OLD_SERIES, "Taken SENDING series 2"),
                Arguments.of(Stored.PENDING_DUE_WITHIN_TOLERANCE, Asking.ORDINARY, "Taken SENDING series 2"),
                Arguments.of(Stored.PENDING_NOT_DUE, Asking.ORDINARY, "NotDue"),
                Arguments.of(Stored.PENDING_NOT_DUE, Asking.RESTARTING_ITS_SERIES, "NotDue"),
                Arguments.of(Stored.PENDING_NOT_DUE, Asking.RESTARTING_AN_OLD_SERIES, "NotDue"),
                Arguments.of(Stored.SENDING_HELD, Asking.ORDINARY, "Busy"),
                Arguments.of(Stored.SENDING_HELD, Asking.RESTARTING_ITS_SERIES, "Busy"),
                Arguments.of(Stored.SENDING_HELD, Asking.RESTARTING_AN_OLD_SERIES, "Busy"),
                Arguments.of(Stored.SENDING_LEASE_RUN_OUT, Asking.ORDINARY, "Taken SENDING series 2"),
                Arguments.of(Stored.SENDING_LEASE_RUN_OUT, Asking.RESTARTING_ITS_SERIES, "Taken SENDING series 2"),
                Arguments.of(Stored.SENDING_LEASE_RUN_OUT, Asking.RESTARTING_AN_OLD_SERIES, "Taken SENDING series 2"),
                Arguments.of(Stored.SUCCEEDED, Asking.ORDINARY, "Finished SUCCEEDED"),
                Arguments.of(Stored.SUCCEEDED, Asking.RESTARTING_ITS_SERIES, "Finished SUCCEEDED"),
                Arguments.of(Stored.SUCCEEDED, Asking.RESTARTING_AN_OLD_SERIES, "Finished SUCCEEDED"),
                Arguments.of(Stored.FAILED, Asking.ORDINARY, "Finished FAILED"),
                Arguments.of(Stored.FAILED, Asking.RESTARTING_ITS_SERIES, "Taken SENDING series 3"),
                Arguments.of(Stored.FAILED, Asking.RESTARTING_AN_OLD_SERIES, "Finished FAILED"),
                Arguments.of(Stored.CANCELLED, Asking.ORDINARY, "Finished CANCELLED"),
                Arguments.of(Stored.CANCELLED, Asking.RESTARTING_ITS_SERIES, "Taken SENDING series 3"),
                Arguments.of(Stored.CANCELLED, Asking.RESTARTING_AN_OLD_SERIES, "Finished CANCELLED"),
                Arguments.of(Stored.DEAD, Asking.ORDINARY, "Finished DEAD"),
                Arguments.of(Stored.DEAD, Asking.RESTARTING_ITS_SERIES, "Taken SENDING series 3"),
                Arguments.of(Stored.DEAD, Asking.RESTARTING_AN_OLD_SERIES, "Finished DEAD"));
    }

    @ParameterizedTest(name = "{0} + claim by {1} job → {2}")
    @MethodSource("claims")
    void claimTable(Stored stored, Asking asking, String expected) {
        DeliveryStateMachine.Claim claim = DeliveryStateMachine.claim(stored.record(), asking.job(), "promise.status_changed",
                "me", NOW, LEASE);

        assertThat(verdict(claim)).isEqualTo(expected);
        if (claim instanceof DeliveryStateMachine.Claim.Taken taken) {
            DeliveryRecord written = taken.record();
            assertThat(written.lease()).isEqualTo(new DeliveryRecord.Lease("me", NOW.plus(LEASE)));
            assertThat(written.dueAt()).isNull();
            int before = stored.record() == null ? -1 : stored.record().series();
            // a new series starts its attempt count over; the same series keeps it
            assertThat(written.attemptCount()).isEqualTo(written.series() == before ? stored.record().attemptCount() : 0);
        }
    }

    /** Renders a claim's verdict the way the table writes it. */
    static String verdict(DeliveryStateMachine.Claim claim) {
        return switch (claim) {
            case DeliveryStateMachine.Claim.Taken t -> "Taken " + t.record().state() + " series " + t.record().series();
            case DeliveryStateMachine.Claim.NotDue n -> "NotDue";
            case DeliveryStateMachine.Claim.Busy b -> "Busy";
            case DeliveryStateMachine.Claim.Finished f -> "Finished " + f.state();
        };
    }

    static Stream<Arguments> settlements() {
        Attempt next = new Attempt(2, 2, NOW, 200, 10, "succeeded", null, null, 1L);
        Attempt failedNext = new Attempt(2, 2, NOW, 500, 10, "retrying", "HTTP 500", null, 1L);
        return Stream.of(
                Arguments.of(new DeliveryStateMachine.Outcome.Succeeded(next), DeliveryState.SUCCEEDED, 2),
                Arguments.of(new DeliveryStateMachine.Outcome.Retry(failedNext, NOW.plusSeconds(300)), DeliveryState.PENDING, 2),
                Arguments.of(new DeliveryStateMachine.Outcome.Failed(failedNext), DeliveryState.FAILED, 2),
                Arguments.of(new DeliveryStateMachine.Outcome.Cancelled(failedNext), DeliveryState.CANCELLED, 2),
                Arguments.of(new DeliveryStateMachine.Outcome.Dead(failedNext), DeliveryState.DEAD, 2),
                Arguments.of(new DeliveryStateMachine.Outcome.Deferred(NOW.plusSeconds(9)), DeliveryState.PENDING, 1));
    }

    @ParameterizedTest(name = "SENDING under my lease + {0} → {1}")
    @MethodSource("settlements")
    void settleTable(DeliveryStateMachine.Outcome outcome, DeliveryState expected, int attemptCount) throws Exception {
        DeliveryRecord mine = sending("me");

        DeliveryRecord written = DeliveryStateMachine.settle(mine, "me", outcome, NOW);

        assertThat(written.state()).isEqualTo(expected);
        assertThat(written.lease()).isNull();
        assertThat(written.series()).isEqualTo(2);
        assertThat(written.attemptCount()).isEqualTo(attemptCount);
        assertThat(written.attempts()).hasSize(attemptCount);
        assertThat(written.dueAt()).isEqualTo(switch (outcome) {
            case DeliveryStateMachine.Outcome.Retry r -> r.dueAt();
            case DeliveryStateMachine.Outcome.Deferred d -> d.dueAt();
            default -> null;
        });
    }

    static Stream<Arguments> settlementsThatMayNotBeWritten() {
        return Stream.of(Stored.values()).filter(s -> s != Stored.SENDING_HELD && s != Stored.SENDING_LEASE_RUN_OUT)
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0} + a settlement → nothing written (no lease)")
    @MethodSource("settlementsThatMayNotBeWritten")
    void onlyTheLeaseHolderMaySettle(Stored stored) {
        Attempt next = new Attempt(2, 2, NOW, 200, 10, "succeeded", null, null, 1L);

        assertThatThrownBy(() -> DeliveryStateMachine.settle(stored.record(), "me",
                new DeliveryStateMachine.Outcome.Succeeded(next), NOW)).isInstanceOf(DeliveryStateMachine.LeaseLost.class);
    }

    @ParameterizedTest(name = "SENDING under another's lease ({0}) + a settlement → nothing written")
    @MethodSource("leasesOfOthers")
    void aWorkerWhoseLeaseWasTakenOverMayNotSettle(Stored stored) {
        Attempt next = new Attempt(2, 2, NOW, 200, 10, "succeeded", null, null, 1L);

        assertThatThrownBy(() -> DeliveryStateMachine.settle(stored.record(), "me",
                new DeliveryStateMachine.Outcome.Succeeded(next), NOW)).isInstanceOf(DeliveryStateMachine.LeaseLost.class);
    }

    static Stream<Arguments> leasesOfOthers() {
        return Stream.of(Arguments.of(Stored.SENDING_HELD), Arguments.of(Stored.SENDING_LEASE_RUN_OUT));
    }

    @ParameterizedTest(name = "an attempt numbered {0} in series {1} cannot follow attempt 1 of series 2")
    @MethodSource("outOfOrderAttempts")
    void attemptsFollowOneAnotherWithinTheirSeries(int number, int series) {
        Attempt wrong = new Attempt(number, series, NOW, 200, 10, "succeeded", null, null, 1L);

        assertThatThrownBy(() -> DeliveryStateMachine.settle(sending("me"), "me", new DeliveryStateMachine.Outcome.Succeeded(wrong),
                NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> outOfOrderAttempts() {
        return Stream.of(Arguments.of(1, 2), Arguments.of(3, 2), Arguments.of(2, 1), Arguments.of(2, 3));
    }

    private static DeliveryRecord sending(String owner) {
        Attempt first = new Attempt(1, 2, NOW.minusSeconds(90), 500, 10, "retrying", "HTTP 500", null, 1L);
        return new DeliveryRecord(JOB.connectorId(), JOB.deliveryId(), JOB.userId(), JOB.eventId(), "promise.status_changed",
                DeliveryState.SENDING, 2, 1, null, new DeliveryRecord.Lease(owner, NOW.plusSeconds(30)), List.of(first),
                NOW.minusSeconds(600), NOW.minusSeconds(60), null);
    }

    @Test
    void aRecordCreatedByAClaimTakesTheFilterAlternativeItsJobMatchedAndKeepsItThroughEveryTransition() throws Exception {
        DeliveryJob job = JOB.matching("$or[2]");
        DeliveryRecord created = ((DeliveryStateMachine.Claim.Taken) DeliveryStateMachine.claim(null, job, "promise.status_changed", "me", NOW,
                Duration.ofSeconds(30))).record();
        assertThat(created.matchedAlternative()).isEqualTo("$or[2]");

        Attempt failed = new Attempt(1, 1, NOW, 500, 5, "retrying", "HTTP 500", null, 1L);
        DeliveryRecord pending = DeliveryStateMachine.settle(created, "me", new DeliveryStateMachine.Outcome.Retry(failed,
                NOW.plusSeconds(5)), NOW);
        DeliveryRecord retaken = ((DeliveryStateMachine.Claim.Taken) DeliveryStateMachine.claim(pending, JOB, "promise.status_changed", "again",
                NOW.plusSeconds(5), Duration.ofSeconds(30))).record();
        assertThat(pending.matchedAlternative()).isEqualTo("$or[2]");
        assertThat(retaken.matchedAlternative()).isEqualTo("$or[2]");
    }

    @ParameterizedTest
    @EnumSource(Stored.class)
    void theReconcilerRequeuesOnlyAPendingRecordDueWhenItsIndexShowedIt(Stored stored) {
        DeliveryRecord current = stored.record();
        Instant seen = NOW.minusSeconds(5); // PENDING_DUE's due time, as the index showed it

        var requeued = DeliveryStateMachine.requeue(current, seen, NOW.plusSeconds(60));

        if (stored == Stored.PENDING_DUE) {
            // due now: its new job may claim at once, and passes leave it alone for a grace again
            assertThat(requeued).get().isEqualTo(new DeliveryRecord(current.connectorId(), current.deliveryId(), current.userId(),
                    current.eventId(), current.eventType(), DeliveryState.PENDING, current.series(), current.attemptCount(),
                    NOW.plusSeconds(60), null, current.attempts(), current.createdAt(), current.updatedAt(),
                    current.matchedAlternative()));
        } else {
            // absent, taken, finished, or pending with another due time: it moved on since the index showed it
            assertThat(requeued).isEmpty();
        }
    }
}
