package app.connectors.delivery;

import app.connectors.catalog.ConnectorType;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorService;
import app.connectors.connector.ConnectorStore;
import app.connectors.log.Log;
import app.connectors.metrics.Metrics;
import app.connectors.operational.OperationalEvent;
import app.connectors.operational.OperationalEvents;
import app.connectors.net.HttpSender;
import app.connectors.net.SendResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Delivers one job: exactly-once in effect under SQS's at-least-once delivery (a lease and the
 * record's status turn duplicates into no-ops), paced per destination, retried on the schedule for
 * failures worth retrying, dead-lettered after the last attempt, and auto-disabling connectors
 * whose destination is gone or has failed for days.
 *
 * <pre>{@code
 * DeliveryOutcome outcome = processor.process(DeliveryJob.fromJson(message.getBody()));
 * }</pre>
 */
public final class DeliveryProcessor {

    /** A worker holds a delivery this long at most; longer than one send's 15 s deadline plus pacing. */
    static final Duration LEASE = Duration.ofSeconds(60);
    /** Pacing waits up to this long are slept in place; longer ones go back to the queue. */
    static final Duration MAX_INLINE_WAIT = Duration.ofSeconds(2);
    /** A job deferred for pacing returns this much before its slot and sleeps the rest (≤ MAX_INLINE_WAIT). */
    static final Duration SLOT_LEAD = Duration.ofSeconds(1);
    /** Svix's rule: a destination failing every attempt for this long is disabled. */
    public static final Duration SUSTAINED_FAILURE = Duration.ofDays(5);
    private static final int ERROR_CHARS = 300;
    /** The longest wait a 429's Retry-After can impose: the standard schedule's longest (10 h). */
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(10);
    static final int CONSOLE_CHARS = 2_000;
    static final String CONSOLE_TRUNCATED = "[console truncated]";

    private final DeliveryStore deliveries;
    private final ConnectorStore connectorStore;
    private final ConnectorService connectors;
    private final ConnectorTypeCatalog types;
    private final RequestFactory requests;
    private final HttpSender sender;
    private final RetrySchedule schedule;
    private final Clock clock;
    private final Sleeper sleeper;
    private final OperationalEvents operationalEvents;

    public DeliveryProcessor(DeliveryStore deliveries, ConnectorStore connectorStore, ConnectorService connectors,
                             ConnectorTypeCatalog types, RequestFactory requests, HttpSender sender, RetrySchedule schedule,
                             Clock clock, Sleeper sleeper) {
        this(deliveries, connectorStore, connectors, types, requests, sender, schedule, clock, sleeper, OperationalEvents.none());
    }

    /** @param operationalEvents where the host platform hears that a delivery is dead after its last attempt */
    public DeliveryProcessor(DeliveryStore deliveries, ConnectorStore connectorStore, ConnectorService connectors,
                             ConnectorTypeCatalog types, RequestFactory requests, HttpSender sender, RetrySchedule schedule,
                             Clock clock, Sleeper sleeper, OperationalEvents operationalEvents) {
        this.operationalEvents = operationalEvents;
        this.deliveries = deliveries;
        this.connectorStore = connectorStore;
        this.connectors = connectors;
        this.types = types;
        this.requests = requests;
        this.sender = sender;
        this.schedule = schedule;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Waits in place; injectable so tests need not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        static Sleeper real() {
            return d -> Thread.sleep(d.toMillis());
        }
    }

    public DeliveryOutcome process(DeliveryJob job) {
        Instant now = clock.instant();
        // Claim first and judge duplicates on the record the claim returns: one request instead of
        // a read followed by the claim.
        var claimed = deliveries.claim(job, now, LEASE);
        if (claimed.isEmpty()) {
            return new DeliveryOutcome.RetryLater(LEASE, "another worker holds this delivery");
        }
        DeliveryStore.Lease lease = claimed.get();
        DeliveryRecord record = lease.record();
        if (startsNewSeries(job, record)) {
            // Redriven from the dead-letter queue, or sent again on request: a new series of attempts.
            record = record.nextSeries(now);
        } else if (record.status() == DeliveryStatus.DEAD && !job.manual()) {
            // A copy of the job of a dead series that is not its redrive: either SQS delivered it twice,
            // or putting it on the dead-letter queue failed and the message came back. Dead-letter it
            // (again): a second copy there is harmless (its redrive finds the new series and stops),
            // a job lost here would never be redriven and no alarm would fire.
            return new DeliveryOutcome.Dead("already dead: every attempt of series " + record.series() + " failed",
                    record.series());
        } else if (record.status() != DeliveryStatus.PENDING) {
            // A copy of a job already dealt with (SQS delivered it twice). Nothing to write: the lease
            // just taken expires by itself.
            return new DeliveryOutcome.Done(record.status());
        } else if (record.nextAttemptAt() != null && record.nextAttemptAt().isAfter(now.plusSeconds(1))) {
            // A copy of a job whose next attempt is not due yet. Give the lease back, or the job
            // itself, returning when due, would find it held and be put off for a whole lease.
            deliveries.release(lease, record);
            return new DeliveryOutcome.RetryLater(Duration.between(now, record.nextAttemptAt()), "not due yet");
        }
        try {
            return attempt(job, lease, record, now);
        } catch (RuntimeException e) {
            // Leave the record as it was (lease expires) and let SQS bring the job back.
            Log.error("delivery.error", e, "deliveryId", job.deliveryId(), "connectorId", job.connectorId());
            return new DeliveryOutcome.RetryLater(Duration.ofSeconds(30), "internal error");
        }
    }

    /**
     * Whether this job starts a new series on its record: a manual retry of a finished or dead
     * delivery starts the series it names, once; a dead delivery is started again only by the job
     * dead-lettered from the series that died (its redrive), never by a plain copy of the original job.
     */
    private static boolean startsNewSeries(DeliveryJob job, DeliveryRecord record) {
        if (record.status() == DeliveryStatus.PENDING) {
            return false;
        }
        if (job.manual()) {
            return record.series() < job.series();
        }
        return record.status() == DeliveryStatus.DEAD && job.series() == record.series();
    }

    private DeliveryOutcome attempt(DeliveryJob job, DeliveryStore.Lease lease, DeliveryRecord record, Instant now) {
        Optional<Connector> found = connectorStore.find(job.userId(), job.connectorId());
        if (found.isEmpty()) {
            return finish(lease, record, DeliveryStatus.CANCELLED, attemptOf(record, now, null, 0, "cancelled",
                    "connector was deleted", List.of()), null);
        }
        Connector connector = found.get();
        if (!connector.enabled()) {
            return finish(lease, record, DeliveryStatus.CANCELLED, attemptOf(record, now, null, 0, "cancelled",
                    "connector is disabled: " + connector.statusReason(), List.of()), connector.type());
        }
        ConnectorType type = types.find(connector.type()).orElseThrow();
        boolean failing;
        if (record.reservedSlot() != null) {
            // Back from a pacing deferral: the slot reserved then is this job's; a new reservation
            // would queue it behind every job that reserved meanwhile, and a burst would never drain.
            // Whether the destination is failing is unknown without a read, so a success clears anyway.
            failing = true;
            sleep(Duration.between(now, record.reservedSlot()));
        } else {
            DeliveryStore.Slot slot = deliveries.reserveSlot(connector.id(),
                    type.pacing().window().dividedBy(Math.max(1, type.pacing().requests())), now);
            if (slot.delay().compareTo(MAX_INLINE_WAIT) > 0) {
                Instant at = now.plus(slot.delay());
                deliveries.release(lease, record.waitingForSlot(at, now));
                // Come back a little early (SQS rounds visibility up to whole seconds) and sleep the rest.
                return new DeliveryOutcome.RetryLater(slot.delay().minus(SLOT_LEAD), "paced");
            }
            failing = slot.failing();
            sleep(slot.delay());
        }

        PreparedRequest prepared = requests.prepare(connector, connectors.secretsOf(connector), job.event(), job.deliveryId());
        Instant started = clock.instant();
        return switch (prepared) {
            case PreparedRequest.Cancelled c -> finish(lease, record, DeliveryStatus.CANCELLED,
                    attemptOf(record, started, null, 0, "cancelled", "cancelled by the transformation", c.console()), type.name());
            case PreparedRequest.Failed f -> finish(lease, record, DeliveryStatus.FAILED,
                    attemptOf(record, started, null, 0, "failed", f.reason(), f.console()), type.name());
            case PreparedRequest.Ready ready -> judge(job, lease, record, connector, type, failing,
                    sender.send(ready.request()), started, ready.console());
        };
    }

    private DeliveryOutcome judge(DeliveryJob job, DeliveryStore.Lease lease, DeliveryRecord record, Connector connector,
                                  ConnectorType type, boolean failing, SendResult result, Instant started,
                                  List<String> console) {
        Instant now = clock.instant();
        long latency = result.latency().toMillis();
        if (result instanceof SendResult.Response response) {
            int status = response.status();
            String excerpt = response.bodyExcerpt() == null ? "" : response.bodyExcerpt().strip();
            if (response.isSuccess()) {
                if (failing) {
                    // Only when a streak was recorded at slot time: the usual success writes nothing here.
                    deliveries.clearFailures(connector.id());
                }
                return finish(lease, record, DeliveryStatus.SUCCEEDED,
                        attemptOf(record, started, status, latency, "succeeded", null, console), type.name());
            }
            String error = "HTTP " + status + (excerpt.isEmpty() ? "" : ": " + excerpt);
            if ((status == 401 || status == 403) && !"none".equals(type.auth().scheme())) {
                // Said first, so the short error keeps it: the API refused the stored credentials.
                error = "HTTP " + status + ": " + type.displayName() + " refused the connector's credentials; update them in "
                        + "its config (an expired OAuth access token must be replaced: refreshing is not automatic yet)"
                        + (excerpt.isEmpty() ? "" : " — " + excerpt);
            }
            if (type.goneStatuses().contains(status)) {
                String reason = type.displayName() + " answered " + status + (excerpt.isEmpty() ? "" : " (" + clip(excerpt, 80) + ")")
                        + ": the destination is gone; update the webhook URL and re-enable the connector";
                if (connectors.disable(connector.userId(), connector.id(), reason)) {
                    Metrics.connectorDisabled(Metrics.DisableCause.GONE);
                }
                Log.warn("connector.disabled", "connectorId", connector.id(), "status", status);
                return finish(lease, record, DeliveryStatus.FAILED, attemptOf(record, started, status, latency, "failed", error, console), type.name());
            }
            if (status == 429) {
                // A destination may not park a connector beyond MAX_RETRY_AFTER: a week-long Retry-After
                // would otherwise outlive the queue's retention and the job would vanish unrecorded.
                Duration asked = response.retryAfter(now).orElse(Duration.ofSeconds(1));
                if (asked.compareTo(MAX_RETRY_AFTER) > 0) {
                    asked = MAX_RETRY_AFTER;
                }
                deliveries.pauseUntil(connector.id(), now.plus(asked));
                return retry(job, lease, record, connector, attemptOf(record, started, status, latency, "retrying", error, console),
                        asked);
            }
            if (status == 408 || status >= 500) {
                return retry(job, lease, record, connector, attemptOf(record, started, status, latency, "retrying", error, console),
                        Duration.ZERO);
            }
            // Redirects (never followed) and other 4xx: retrying cannot help.
            return finish(lease, record, DeliveryStatus.FAILED, attemptOf(record, started, status, latency, "failed", error, console), type.name());
        }
        SendResult.Failure failure = (SendResult.Failure) result;
        String error = failure.kind() + ": " + failure.message();
        if (failure.kind() == SendResult.FailureKind.REFUSED) {
            return finish(lease, record, DeliveryStatus.FAILED, attemptOf(record, started, null, latency, "failed", error, console), type.name());
        }
        return retry(job, lease, record, connector, attemptOf(record, started, null, latency, "retrying", error, console),
                Duration.ZERO);
    }

    private DeliveryOutcome retry(DeliveryJob job, DeliveryStore.Lease lease, DeliveryRecord record, Connector connector,
                                  Attempt attempt, Duration atLeast) {
        Instant now = clock.instant();
        // A streak older than the connector's last change (re-enabled, URL fixed) started before the
        // user acted on it; it counts from that change instead.
        Instant failingSince = deliveries.failingSince(connector.id(), now);
        if (failingSince.isBefore(connector.updatedAt())) {
            failingSince = connector.updatedAt();
        }
        if (Duration.between(failingSince, now).compareTo(SUSTAINED_FAILURE) >= 0) {
            if (connectors.disable(connector.userId(), connector.id(), "every delivery has failed since " + failingSince
                    + "; fix the destination and re-enable the connector")) {
                Metrics.connectorDisabled(Metrics.DisableCause.SUSTAINED_FAILURE);
            }
            Log.warn("connector.disabled", "connectorId", connector.id(), "failingSince", failingSince.toString());
        }
        if (attempt.number() >= schedule.attempts()) {
            deliveries.release(lease, record.withAttempt(withOutcome(attempt, "dead"), DeliveryStatus.DEAD, null, now));
            measure(connector.type(), withOutcome(attempt, "dead"));
            String reason = "all " + schedule.attempts() + " attempts failed; last: " + attempt.error();
            operationalEvents.publish(OperationalEvent.deliveryDead(connector.userId(), connector.id(), connector.type(),
                    job.deliveryId(), job.event().id(), attempt.number(), reason, clock));
            return new DeliveryOutcome.Dead(reason, record.series());
        }
        Duration delay = schedule.delayBefore(attempt.number() + 1);
        if (delay.compareTo(atLeast) < 0) {
            delay = atLeast;
        }
        deliveries.release(lease, record.withAttempt(attempt, DeliveryStatus.PENDING, now.plus(delay), now));
        measure(connector.type(), attempt);
        return new DeliveryOutcome.RetryLater(delay, attempt.error());
    }

    private DeliveryOutcome finish(DeliveryStore.Lease lease, DeliveryRecord record, DeliveryStatus status, Attempt attempt,
                                   String connectorType) {
        Instant now = clock.instant();
        if (!deliveries.release(lease, record.withAttempt(attempt, status, null, now))) {
            Log.warn("delivery.lease_lost", "deliveryId", record.deliveryId(), "connectorId", record.connectorId());
        }
        measure(connectorType, attempt);
        return new DeliveryOutcome.Done(status);
    }

    /** One attempt recorded: Deliveries by outcome and type, its latency when a request went out, attempts per success. */
    private static void measure(String connectorType, Attempt attempt) {
        Metrics.Outcome outcome = switch (attempt.outcome()) {
            case "succeeded" -> Metrics.Outcome.SUCCEEDED;
            case "retrying" -> Metrics.Outcome.RETRYING;
            case "dead" -> Metrics.Outcome.DEAD;
            case "cancelled" -> Metrics.Outcome.CANCELLED;
            default -> Metrics.Outcome.FAILED;
        };
        boolean sent = attempt.statusCode() != null || attempt.latencyMs() > 0;
        Metrics.delivery(connectorType, outcome, sent ? Duration.ofMillis(attempt.latencyMs()) : null, attempt.number());
        Log.info("delivery.attempt", "attempt", attempt.number(), "outcome", attempt.outcome(), "statusCode", attempt.statusCode(),
                "latencyMs", attempt.latencyMs(), "connectorType", connectorType);
    }

    private static Attempt attemptOf(DeliveryRecord record, Instant at, Integer status, long latencyMs, String outcome,
                                     String error, List<String> console) {
        return new Attempt(record.attemptsInSeries() + 1, at, status, latencyMs, outcome,
                error == null ? null : clip(error, ERROR_CHARS), keptConsole(console));
    }

    /**
     * The console lines kept in the log, at most {@value #CONSOLE_CHARS} characters per attempt, so a
     * chatty transformation cannot push a delivery record (with its event) past DynamoDB's 400 KB item limit.
     */
    static List<String> keptConsole(List<String> console) {
        if (console == null || console.isEmpty()) {
            return null;
        }
        List<String> kept = new java.util.ArrayList<>();
        int budget = CONSOLE_CHARS;
        for (String line : console) {
            if (line.length() > budget) {
                // The cut line (if any room is left) and then a marker, so the reader knows output is missing.
                if (budget > 1) {
                    kept.add(clip(line, budget));
                }
                kept.add(CONSOLE_TRUNCATED);
                break;
            }
            kept.add(line);
            budget -= line.length();
        }
        return kept;
    }

    private static Attempt withOutcome(Attempt a, String outcome) {
        return new Attempt(a.number(), a.at(), a.statusCode(), a.latencyMs(), outcome, a.error(), a.console());
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private void sleep(Duration wait) {
        if (wait.isZero() || wait.isNegative()) {
            return;
        }
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
