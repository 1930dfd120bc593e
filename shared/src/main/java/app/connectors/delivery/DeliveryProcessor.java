package app.connectors.delivery;

import app.connectors.catalog.ConnectorType;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorService;
import app.connectors.connector.ConnectorStore;
import app.connectors.event.Event;
import app.connectors.json.Json;
import app.connectors.log.Log;
import app.connectors.log.LogContext;
import app.connectors.metrics.Metrics;
import app.connectors.net.HttpSender;
import app.connectors.net.OutboundRequest;
import app.connectors.net.SendResult;
import app.connectors.operational.OperationalEvent;
import app.connectors.operational.OperationalEvents;
import app.connectors.trace.TraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Makes one attempt at one delivery, as the record's state machine allows, and says what became
 * of the job. The same path serves the dispatcher's first attempts and the deliverer's later ones;
 * they differ only in how the job is carried to its next attempt ({@link JobCarrier}).
 *
 * <p>The order of the writes is what makes it safe: pacing and pauses are judged before the claim
 * (a job that must wait writes nothing to its record); the claim is one conditional write; the job's
 * way back (its carrier, the dead-letter queue, the kept event) is secured before the record says
 * PENDING, DEAD or finished; and nothing is written between a destination's answer and the record
 * of it, so that a failing side write can never make a delivered request be sent again.
 *
 * <pre>{@code
 * DeliveryOutcome outcome = processor.process(DeliveryJob.fromJson(message.getBody()), carrier);
 * }</pre>
 */
public final class DeliveryProcessor {

    /** Svix's rule: a destination failing every attempt for this long is disabled. */
    public static final Duration SUSTAINED_FAILURE = Duration.ofDays(5);
    /** The longest wait a Retry-After can impose: the standard schedule's longest (10 h). */
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(10);
    /** A 429 without a Retry-After pauses the destination this long. */
    static final Duration DEFAULT_PAUSE = Duration.ofSeconds(1);
    /** A slot is booked this far ahead of the booking: its write's round trip is not taken from the slot. */
    static final Duration BOOKING_LEAD = Duration.ofMillis(100);
    /** A job that could not record its progress comes back after this long. */
    public static final Duration KEPT_BACKOFF = Duration.ofSeconds(30);
    /** A success whose record could not be written is written again after this long, then twice as long, up to the max. */
    static final Duration SETTLE_RETRY_FIRST = Duration.ofMillis(250);
    static final Duration SETTLE_RETRY_MAX = Duration.ofSeconds(4);
    static final int ERROR_CHARS = 300;
    /** Console output kept per attempt, in bytes as stored (JSON-escaped UTF-8). */
    static final int CONSOLE_BYTES = 2_000;
    static final String CONSOLE_TRUNCATED = "[console truncated]";

    private final DeliveryStores stores;
    private final DeliveryQueue deadLetters;
    private final ConnectorStore connectorStore;
    private final ConnectorService connectors;
    private final ConnectorTypeCatalog types;
    private final RequestFactory requests;
    private final HttpSender sender;
    private final RetrySchedule schedule;
    private final DeliveryTimings timings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final OperationalEvents operationalEvents;
    private final CredentialRefresh credentials;

    public DeliveryProcessor(DeliveryStores stores, DeliveryQueue deadLetters, ConnectorStore connectorStore,
                             ConnectorService connectors, ConnectorTypeCatalog types, RequestFactory requests, HttpSender sender,
                             RetrySchedule schedule, DeliveryTimings timings, Clock clock, Sleeper sleeper) {
        this(stores, deadLetters, connectorStore, connectors, types, requests, sender, schedule, timings, clock, sleeper,
                OperationalEvents.none(), CredentialRefresh.none());
    }

    /** @param operationalEvents where the host platform hears that a delivery is dead after its last attempt */
    public DeliveryProcessor(DeliveryStores stores, DeliveryQueue deadLetters, ConnectorStore connectorStore,
                             ConnectorService connectors, ConnectorTypeCatalog types, RequestFactory requests, HttpSender sender,
                             RetrySchedule schedule, DeliveryTimings timings, Clock clock, Sleeper sleeper,
                             OperationalEvents operationalEvents) {
        this(stores, deadLetters, connectorStore, connectors, types, requests, sender, schedule, timings, clock, sleeper,
                operationalEvents, CredentialRefresh.none());
    }

    /**
     * @param operationalEvents where the host platform hears that a delivery is dead after its last attempt
     * @param credentials       renews short-lived credentials (HubSpot's OAuth access token) before a
     *                          send when they are about to expire, and once after the destination answered 401
     */
    public DeliveryProcessor(DeliveryStores stores, DeliveryQueue deadLetters, ConnectorStore connectorStore,
                             ConnectorService connectors, ConnectorTypeCatalog types, RequestFactory requests, HttpSender sender,
                             RetrySchedule schedule, DeliveryTimings timings, Clock clock, Sleeper sleeper,
                             OperationalEvents operationalEvents, CredentialRefresh credentials) {
        this.credentials = credentials;
        this.operationalEvents = operationalEvents;
        this.stores = stores;
        this.deadLetters = deadLetters;
        this.connectorStore = connectorStore;
        this.connectors = connectors;
        this.types = types;
        this.requests = requests;
        this.sender = sender;
        this.schedule = schedule;
        this.timings = timings;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Waits in place; injectable so tests need not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        static Sleeper real() {
            return d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        }
    }

    public DeliveryTimings timings() {
        return timings;
    }

    /**
     * Runs one job: defers it (pacing, a pause, a lease held elsewhere, not due yet), or claims its
     * record and makes one attempt.
     *
     * @param carrier brings the job back for its next attempt when there is one
     */
    public DeliveryOutcome process(DeliveryJob job, JobCarrier carrier) {
        return process(job, null, carrier);
    }

    /**
     * @param underFanOut the dispatcher's lease on the fan-out this first attempt belongs to, or null
     *                    for a job, which claims its record
     */
    private DeliveryOutcome process(DeliveryJob job, FanOutLeases.Lease underFanOut, JobCarrier carrier) {
        try (LogContext.Scope ids = LogContext.with("deliveryId", job.deliveryId(), "connectorId", job.connectorId(),
                "userId", job.userId(), "eventId", job.eventId())) {
            return run(job, underFanOut, carrier);
        } catch (RuntimeException e) {
            // A store, queue or KMS could not be reached, and nothing of this attempt was recorded:
            // the message comes back and the next try finds the record as it was.
            Log.error("delivery.kept", e, "deliveryId", job.deliveryId(), "connectorId", job.connectorId());
            return new DeliveryOutcome.Kept(e.getClass().getSimpleName());
        }
    }

    /**
     * The dispatcher's first attempts, made under its lease on the fan-out (no claim of their own:
     * a healthy delivery is one write, its settled record; see {@link DeliveryStateMachine#underFanOut}),
     * each {@link #process processed} with {@code carrier}
     * bringing it back for its next attempt; one that could not record its progress (a store,
     * queue or KMS unreachable, a call that timed out though it may have been applied) is handed to
     * {@code carrier} as a job of its own, to come back after {@link #KEPT_BACKOFF}. Without that it
     * would depend on the event's message coming back, and that message's receives are few (kills and
     * outages use them up: then it is dead-lettered, and a record its claim left SENDING has no way
     * forward, since the reconciler indexes only PENDING records). Only when the hand-over fails too
     * is the attempt unsettled, and the event's message kept.
     */
    public FanOut.FirstAttempt firstAttempts(JobCarrier carrier) {
        return (job, fanOutLease) -> {
            DeliveryOutcome outcome = process(job, java.util.Objects.requireNonNull(fanOutLease, "a first attempt needs its fan-out's lease"),
                    carrier);
            if (!(outcome instanceof DeliveryOutcome.Kept kept)) {
                return outcome;
            }
            try {
                carrier.carry(job, KEPT_BACKOFF);
                Log.warn("delivery.handed_over", "deliveryId", job.deliveryId(), "connectorId", job.connectorId(),
                        "reason", kept.reason());
                return new DeliveryOutcome.Carried(KEPT_BACKOFF, "handed over after: " + kept.reason());
            } catch (RuntimeException e) {
                Log.error("delivery.handover_failed", e, "deliveryId", job.deliveryId(), "connectorId", job.connectorId());
                return kept;
            }
        };
    }

    private DeliveryOutcome run(DeliveryJob job, FanOutLeases.Lease underFanOut, JobCarrier carrier) {
        Instant now = clock.instant();
        if (job.event() == null) {
            Optional<Event> stored = stores.events().find(job.eventId());
            if (stored.isEmpty()) {
                // Events are kept a day longer than the records that need them; a job older than that is moot.
                Log.warn("delivery.event_gone", "deliveryId", job.deliveryId(), "eventId", job.eventId());
                return new DeliveryOutcome.Done(null);
            }
            job = job.withEvent(stored.get());
        }
        Optional<Connector> found = connectorStore.findEventuallyConsistent(job.userId(), job.connectorId());
        if (found.isEmpty()) {
            return withoutSending(job, null, new NotSent("cancelled", "connector was deleted", false, false), underFanOut, carrier);
        }
        Connector connector = found.get();
        if (!connector.enabled()) {
            return withoutSending(job, connector, new NotSent("cancelled", "connector is disabled: " + connector.statusReason(),
                    false, true), underFanOut, carrier);
        }
        Optional<ConnectorType> type = types.find(connector.type());
        if (type.isEmpty()) {
            // A poison job: recorded as a failed attempt with its reason, retried and dead-lettered on the schedule.
            return withoutSending(job, connector, new NotSent("retrying", "connector type '" + connector.type()
                    + "' is not in this deployment's catalog", true, true), underFanOut, carrier);
        }
        Pacing pacing = Pacing.of(type.get());
        Unsealed secrets = new Unsealed();
        String destinationKey = destinationOf(connector, secrets);

        // An unpaced destination's pause is judged before the claim: a job that must wait writes nothing.
        // A paced one books its slot just before sending (the booking answers with the pause too), so
        // that the time between the booked slot and the send is one write, not the whole preparation.
        DestinationStore.DestinationState destination = null;
        if (!pacing.paced()) {
            destination = stores.destinations().read(destinationKey);
            if (destination.pausedAt(now)) {
                return carryUnclaimed(job, destination.pausedUntil(), now, "destination paused", carrier);
            }
        }

        // The lease counts from the claim itself, not from the reads before it.
        DeliveryStateMachine.Claim claim = claim(job, underFanOut);
        if (!(claim instanceof DeliveryStateMachine.Claim.Taken taken)) {
            return notClaimed(job, claim, now, carrier);
        }
        return new Attempting(job, connector, type.get(), pacing, destinationKey, taken.record(), destination, secrets, carrier).run();
    }

    /** A claim that did not give this worker the record: nothing to do, or come back when it may be taken. */
    private DeliveryOutcome notClaimed(DeliveryJob job, DeliveryStateMachine.Claim claim, Instant now, JobCarrier carrier) {
        return switch (claim) {
            case DeliveryStateMachine.Claim.Finished finished -> new DeliveryOutcome.Done(finished.state());
            // Its job comes when due; this one (a copy, or back early) waits for that moment too.
            case DeliveryStateMachine.Claim.NotDue notDue -> carryUnclaimed(job.holding(null), notDue.dueAt(), now, "not due", carrier);
            // The holder may have died: come back when its lease has run out.
            case DeliveryStateMachine.Claim.Busy busy -> carryUnclaimed(job.holding(null), busy.until().plusSeconds(1), now,
                    "held by another worker", carrier);
            case DeliveryStateMachine.Claim.Taken taken -> throw new IllegalArgumentException("the record was claimed");
        };
    }

    /**
     * A connector's secrets, unsealed once per connector version an attempt sees (the destination's
     * key and the request both need them; renewed credentials make a new version). A failure is not
     * kept: whoever asks next meets it too, and says what it means there.
     */
    private final class Unsealed {
        private Connector of;
        private ConnectorService.StoredSecrets secrets;

        ConnectorService.StoredSecrets of(Connector connector) {
            if (connector != of) {
                secrets = connectors.secretsOf(connector);
                of = connector;
            }
            return secrets;
        }
    }

    /**
     * The record this attempt may settle: claimed (one conditional write, the lease in the record),
     * or, for a first attempt under its fan-out's lease, the record the claim would have written,
     * held in memory only.
     */
    private DeliveryStateMachine.Claim claim(DeliveryJob job, FanOutLeases.Lease underFanOut) {
        Instant now = clock.instant();
        if (underFanOut != null) {
            return new DeliveryStateMachine.Claim.Taken(DeliveryStateMachine.underFanOut(job, job.event().type(), underFanOut, now));
        }
        return stores.deliveries().claim(job, job.event().type(), UUID.randomUUID().toString(), now, timings.lease());
    }

    /**
     * The destination the connector's sends are paced and paused on: its owner's webhook, shared by
     * every connector of theirs posting to it ({@link DestinationKey}). A connector whose URL cannot
     * be read now (its secrets do not decrypt) is its own destination; its attempt records why.
     */
    private String destinationOf(Connector connector, Unsealed secrets) {
        try {
            return requests.destinationKey(connector, secrets.of(connector));
        } catch (RuntimeException e) {
            Log.warn("delivery.destination_unknown", "connectorId", connector.id(), "error", e.toString());
            return connector.id();
        }
    }

    /** Defers a job whose record it did not claim: nothing is written to the record. */
    private DeliveryOutcome carryUnclaimed(DeliveryJob job, Instant at, Instant now, String reason, JobCarrier carrier) {
        Duration delay = at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
        carrier.carry(job, delay);
        return new DeliveryOutcome.Carried(delay, reason);
    }

    /** A delivery judged without a request: the connector is gone or off, or the job cannot be made into a request. */
    private record NotSent(String outcome, String reason, boolean retryable, boolean keepEvent) {
    }

    private DeliveryOutcome withoutSending(DeliveryJob job, Connector connector, NotSent notSent, FanOutLeases.Lease underFanOut,
                                           JobCarrier carrier) {
        Instant now = clock.instant();
        DeliveryStateMachine.Claim claim = claim(job, underFanOut);
        if (!(claim instanceof DeliveryStateMachine.Claim.Taken taken)) {
            return notClaimed(job, claim, now, carrier);
        }
        DeliveryRecord record = taken.record();
        Attempt attempt = attempt(record, connector, now, null, 0, notSent.retryable() ? "retrying" : notSent.outcome(),
                notSent.reason(), null);
        Verdict verdict = notSent.retryable()
                ? retryOrDie(record, attempt, Duration.ZERO)
                : new Verdict(notSent.outcome().equals("cancelled")
                ? new DeliveryStateMachine.Outcome.Cancelled(attempt) : new DeliveryStateMachine.Outcome.Failed(attempt),
                Duration.ZERO, List.of());
        return conclude(job, connector, record, verdict, notSent.keepEvent(), carrier);
    }

    /** One claimed attempt: everything from here holds the lease. */
    private final class Attempting {
        private final DeliveryJob job;
        /** The connector as the request is made with it: renewed credentials make a newer version of it. */
        private Connector connector;
        private final ConnectorType type;
        private final Pacing pacing;
        /** Where the send slots, pauses and failure streak of this connector's destination are kept. */
        private final String destinationKey;
        private final DeliveryRecord record;
        private final JobCarrier carrier;
        private final Unsealed secrets;
        /** The send slot this attempt uses (paced types only), and the destination's state as last seen. */
        private Instant slot;
        /** When {@link #waitForSlot} last found the slot usable (not before it, within its tolerance). */
        private Instant slotJudgedAt;
        private DestinationStore.DestinationState destination;

        Attempting(DeliveryJob job, Connector connector, ConnectorType type, Pacing pacing, String destinationKey, DeliveryRecord record,
                   DestinationStore.DestinationState destination, Unsealed secrets, JobCarrier carrier) {
            this.job = job;
            this.connector = connector;
            this.type = type;
            this.pacing = pacing;
            this.destinationKey = destinationKey;
            this.record = record;
            this.slot = job.heldSlot();
            this.destination = destination;
            this.carrier = carrier;
            this.secrets = secrets;
        }

        DeliveryOutcome run() {
            PreparedRequest prepared;
            try {
                // Credentials about to expire are renewed first (a no-op for types without such credentials).
                connector = credentials.beforeSend(connector);
                prepared = requests.prepare(connector, secrets.of(connector), job.event(), job.deliveryId());
            } catch (RuntimeException e) {
                // A poison job (secrets that do not decrypt, no URL): a failed attempt with its reason,
                // retried and dead-lettered on the schedule, never a loop of "internal error".
                Log.warn("delivery.unpreparable", "deliveryId", job.deliveryId(), "connectorId", job.connectorId(),
                        "error", e.toString());
                Attempt attempt = attempt(record, connector, clock.instant(), null, 0, "retrying",
                        "cannot prepare the request: " + e.getClass().getSimpleName()
                                + (e.getMessage() == null ? "" : " " + e.getMessage()), null);
                return conclude(job, connector, record, retryOrDie(record, attempt, Duration.ZERO), true, carrier);
            }
            return switch (prepared) {
                case PreparedRequest.Cancelled c -> conclude(job, connector, record, new Verdict(new DeliveryStateMachine.Outcome.Cancelled(
                        attempt(record, connector, clock.instant(), null, 0, "cancelled", "cancelled by the transformation",
                                c.console())), Duration.ZERO, List.of()), true, carrier);
                case PreparedRequest.Failed f -> conclude(job, connector, record, new Verdict(new DeliveryStateMachine.Outcome.Failed(
                        attempt(record, connector, clock.instant(), null, 0, "failed", f.reason(), f.console())), Duration.ZERO,
                        List.of()), true, carrier);
                case PreparedRequest.Postponed p -> conclude(job, connector, record, retryOrDie(record,
                        attempt(record, connector, clock.instant(), null, 0, "retrying", p.reason(), p.console()), Duration.ZERO),
                        true, carrier);
                case PreparedRequest.Ready ready -> send(ready);
            };
        }

        private DeliveryOutcome send(PreparedRequest.Ready ready) {
            Instant started;
            if (pacing.paced()) {
                Optional<DeliveryOutcome> deferred = slot == null ? book() : Optional.empty();
                if (deferred.isEmpty()) {
                    deferred = waitForSlot();
                }
                if (deferred.isPresent()) {
                    return deferred.get();
                }
                // The attempt is recorded at the very moment its slot was judged on time, not a clock
                // read later: so recorded sends are never closer than the interval, however slow the machine.
                started = slotJudgedAt;
            } else {
                started = clock.instant();
            }
            if (started.plus(timings.sendDeadline()).plus(timings.awsCall()).isAfter(record.lease().until())) {
                // The send and its record would not fit in what is left of the lease (the calls before
                // it were slow): another worker could take the record over meanwhile and send too.
                return release(started, "lease too short to send");
            }
            SendResult result = sendTraced(ready.request());
            if (result instanceof SendResult.Response response && response.status() == 401 && !pacing.paced()) {
                // Refused credentials that can be renewed are renewed, and the request is made once more
                // with them: the destination refused the first, so this is no duplicate. (No paced type
                // has renewable credentials; a paced one would need a second slot.)
                Optional<Connector> renewed = credentials.afterUnauthorized(connector);
                if (renewed.isPresent()) {
                    connector = renewed.get();
                    return sendRenewed();
                }
            }
            Verdict verdict = judge(result, started, ready.request(), ready.console());
            return conclude(job, connector, record, verdict, true, carrier);
        }

        /** Sends, with the connector's type on the send's trace subsegment (a bounded value, never an id). */
        private SendResult sendTraced(OutboundRequest request) {
            try (TraceContext.Scope traced = TraceContext.annotate("connector_type", connector.type())) {
                return sender.send(request);
            }
        }

        /** The request made again with the renewed credentials, if it and its record still fit in the lease. */
        private DeliveryOutcome sendRenewed() {
            PreparedRequest again;
            try {
                again = requests.prepare(connector, secrets.of(connector), job.event(), job.deliveryId());
            } catch (RuntimeException e) {
                return release(clock.instant(), "credentials renewed; the request is made again on the next attempt");
            }
            if (!(again instanceof PreparedRequest.Ready ready)) {
                // The transformation answered differently this time: judged on the next attempt, from scratch.
                return release(clock.instant(), "credentials renewed; the request is made again on the next attempt");
            }
            Instant started = clock.instant();
            if (started.plus(timings.sendDeadline()).plus(timings.awsCall()).isAfter(record.lease().until())) {
                return release(started, "credentials renewed; lease too short to send again");
            }
            SendResult result = sendTraced(ready.request());
            Verdict verdict = judge(result, started, ready.request(), ready.console());
            return conclude(job, connector, record, verdict, true, carrier);
        }

        /**
         * Books the next send slot, a moment ahead so that the booking's own write is not counted
         * against the slot. A slot further away than the inline wait, a pause, or a destination booked
         * up to the horizon sends the job back (the record pending again, no attempt made).
         */
        private Optional<DeliveryOutcome> book() {
            Instant now = clock.instant();
            DestinationStore.Booking booking = stores.destinations().book(destinationKey, pacing.spacing(),
                    now.plus(BOOKING_LEAD), timings.pacingHorizon());
            destination = booking.state();
            return switch (booking) {
                case DestinationStore.Booking.Paused paused -> Optional.of(release(paused.state().pausedUntil(), "destination paused"));
                case DestinationStore.Booking.Full full -> Optional.of(release(full.nextFree().minus(timings.slotLead()), "paced"));
                case DestinationStore.Booking.Booked booked -> {
                    slot = booked.slot();
                    yield Duration.between(now, slot).compareTo(timings.inlineWait()) > 0
                            ? Optional.of(releaseHolding(slot)) : Optional.empty();
                }
            };
        }

        /**
         * Sleeps to the slot, then makes sure it may still be used: not inside a pause set since it
         * was booked (re-read after any wait), and not late (a send later than its slot's tolerance
         * could come closer to the next slot than the destination allows: it books again instead).
         */
        private Optional<DeliveryOutcome> waitForSlot() {
            boolean held = job.heldSlot() != null && slot.equals(job.heldSlot());
            for (int rebooked = 0; ; rebooked++) {
                Instant now = clock.instant();
                // A job that held its slot, or waited behind others for it, may have missed a pause set
                // meanwhile; one that booked a free slot a moment ago saw the pause in its booking.
                boolean waited = held || Duration.between(now, slot).compareTo(BOOKING_LEAD) > 0;
                // A sleep may end a moment early by the wall clock (it is timed on another clock): sleep on.
                while (slot.isAfter(now) && !Thread.currentThread().isInterrupted()) {
                    sleep(Duration.between(now, slot));
                    now = clock.instant();
                }
                if (waited) {
                    destination = stores.destinations().readLatest(destinationKey);
                    // the read took its time: lateness is judged after it, just before the send
                    now = clock.instant();
                }
                if (destination.pausedAt(now)) {
                    return Optional.of(release(destination.pausedUntil(), "destination paused"));
                }
                if (!now.isAfter(slot.plus(pacing.tolerance())) && !now.isBefore(slot)) {
                    slotJudgedAt = now;
                    return Optional.empty();
                }
                if (rebooked == 2) {
                    return Optional.of(release(now, "send slots kept going stale"));
                }
                held = false;
                Optional<DeliveryOutcome> deferred = book();
                if (deferred.isPresent()) {
                    return deferred;
                }
            }
        }

        /** Gives the record back, pending until {@code at}, with no attempt made; the job is carried there first. */
        private DeliveryOutcome release(Instant at, String reason) {
            return releaseCarrying(job.holding(null), at, reason);
        }

        private DeliveryOutcome releaseHolding(Instant heldSlot) {
            return releaseCarrying(job.holding(heldSlot), heldSlot.minus(timings.slotLead()), "paced");
        }

        private DeliveryOutcome releaseCarrying(DeliveryJob carried, Instant at, String reason) {
            Instant now = clock.instant();
            Duration delay = at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            carrier.carry(carried, delay);
            settleQuietly(record, new DeliveryStateMachine.Outcome.Deferred(now.plus(delay)));
            return new DeliveryOutcome.Carried(delay, reason);
        }

        private Verdict judge(SendResult result, Instant started, OutboundRequest request, List<String> console) {
            Instant now = clock.instant();
            long latency = result.latency().toMillis();
            if (result instanceof SendResult.Failure failure) {
                String error = request.scrub(failure.kind() + ": " + failure.message());
                if (failure.kind() == SendResult.FailureKind.REFUSED) {
                    // Our own guard refused the address: not the destination's failure, and retrying cannot help.
                    return new Verdict(new DeliveryStateMachine.Outcome.Failed(
                            attempt(record, connector, started, null, latency, "failed", error, console)), Duration.ZERO, List.of());
                }
                return retryOrDie(record, attempt(record, connector, started, null, latency, "retrying", error, console),
                        Duration.ZERO).with(this::noteFailure);
            }
            SendResult.Response response = (SendResult.Response) result;
            int status = response.status();
            if (response.isSuccess()) {
                // Only when a streak is recorded: the usual success writes nothing more.
                return new Verdict(new DeliveryStateMachine.Outcome.Succeeded(
                        attempt(record, connector, started, status, latency, "succeeded", null, console)), Duration.ZERO,
                        destination != null && destination.failingSince() != null
                                ? List.of(() -> stores.destinations().clearFailures(destinationKey)) : List.of());
            }
            String excerpt = response.bodyExcerpt() == null ? "" : request.scrub(response.bodyExcerpt().strip());
            String error = "HTTP " + status + (excerpt.isEmpty() ? "" : ": " + excerpt);
            if ((status == 401 || status == 403) && !"none".equals(type.auth().scheme())) {
                // Said first, so the short error keeps it: the API refused the stored credentials.
                error = "HTTP " + status + ": " + type.displayName() + " refused the connector's credentials; update them in "
                        + "its config (a connector connected with OAuth renews its access token itself: reconnect it)"
                        + (excerpt.isEmpty() ? "" : " — " + excerpt);
            }
            if (type.goneStatuses().contains(status)) {
                String reason = type.displayName() + " answered " + status + (excerpt.isEmpty() ? "" : " (" + clip(excerpt, 80) + ")")
                        + ": the destination is gone; update the webhook URL and re-enable the connector";
                return new Verdict(new DeliveryStateMachine.Outcome.Failed(
                        attempt(record, connector, started, status, latency, "failed", error, console)), Duration.ZERO,
                        List.of(() -> disable(reason, Metrics.DisableCause.GONE)));
            }
            boolean retryable = status == 408 || status == 429 || status >= 500;
            if (!retryable) {
                // Redirects (never followed) and other 4xx: retrying cannot help, but the destination is failing.
                return new Verdict(new DeliveryStateMachine.Outcome.Failed(
                        attempt(record, connector, started, status, latency, "failed", error, console)), Duration.ZERO,
                        List.of(this::noteFailure));
            }
            Optional<Duration> asked = status == 429 || status == 503 ? response.retryAfter(now) : Optional.empty();
            Duration pause = asked.orElse(status == 429 ? DEFAULT_PAUSE : Duration.ZERO);
            if (pause.compareTo(MAX_RETRY_AFTER) > 0) {
                // A destination may not park a connector beyond the schedule's longest wait.
                pause = MAX_RETRY_AFTER;
            }
            Instant pausedUntil = now.plus(pause);
            Verdict verdict = retryOrDie(record, attempt(record, connector, started, status, latency, "retrying", error, console),
                    pause).with(this::noteFailure);
            return pause.isZero() ? verdict : verdict.with(() -> stores.destinations().pauseUntil(destinationKey, pausedUntil));
        }

        /** Since when every attempt has failed; a streak of {@link #SUSTAINED_FAILURE} disables the connector it was made with. */
        private void noteFailure() {
            Instant now = clock.instant();
            Instant known = destination == null ? null : destination.failingSince();
            if (known != null && Duration.between(known, now).compareTo(SUSTAINED_FAILURE) < 0) {
                // The streak is stored already and too young to disable anything: writing it again
                // would change nothing and cost a write on every failed attempt.
                return;
            }
            Instant since = stores.destinations().failingSince(destinationKey, now);
            // A streak older than the connector's last change (re-enabled, URL fixed) started before the
            // owner acted on it; it counts from that change.
            if (since.isBefore(connector.updatedAt())) {
                since = connector.updatedAt();
            }
            if (Duration.between(since, now).compareTo(SUSTAINED_FAILURE) >= 0) {
                disable("every delivery has failed since " + since + "; fix the destination and re-enable the connector",
                        Metrics.DisableCause.SUSTAINED_FAILURE);
            }
        }

        /** Disables the connector as it was when this attempt was made; a newer version is left alone. */
        private void disable(String reason, Metrics.DisableCause cause) {
            if (connectors.disable(connector.userId(), connector.id(), connector.version(), reason)) {
                Metrics.connectorDisabled(cause);
                Log.warn("connector.disabled", "connectorId", connector.id(), "version", connector.version(), "reason", reason);
            }
        }
    }

    /**
     * What an attempt came to: the record's outcome, how long until the next attempt (when one
     * follows), and what to do once the record says so (side writes that must never stand between
     * a destination's answer and its record).
     */
    private record Verdict(DeliveryStateMachine.Outcome outcome, Duration delay, List<Runnable> afterwards) {

        Verdict with(Runnable more) {
            List<Runnable> all = new ArrayList<>(afterwards);
            all.add(more);
            return new Verdict(outcome, delay, List.copyOf(all));
        }
    }

    /** The next attempt after {@code atLeast} or the schedule's wait, whichever is longer; or dead after the last. */
    private Verdict retryOrDie(DeliveryRecord record, Attempt attempt, Duration atLeast) {
        if (attempt.number() >= schedule.attempts()) {
            return new Verdict(new DeliveryStateMachine.Outcome.Dead(attempt.withOutcome("dead")), Duration.ZERO, List.of());
        }
        Duration delay = schedule.delayBefore(attempt.number() + 1);
        if (delay.compareTo(atLeast) < 0) {
            delay = atLeast;
        }
        return new Verdict(new DeliveryStateMachine.Outcome.Retry(attempt, clock.instant().plus(delay)), delay, List.of());
    }

    /**
     * Secures the job's way forward, then writes the record, then the side writes. Each step that
     * fails leaves what was done before it safe: an event kept twice, a job carried twice or
     * dead-lettered twice is harmless; a record saying more than is secured would not be.
     */
    private DeliveryOutcome conclude(DeliveryJob job, Connector connector, DeliveryRecord record, Verdict verdict,
                                     boolean keepEvent, JobCarrier carrier) {
        DeliveryStateMachine.Outcome outcome = verdict.outcome();
        String connectorType = connector == null ? null : connector.type();
        if (outcome instanceof DeliveryStateMachine.Outcome.Succeeded) {
            try {
                settleSuccess(record, outcome);
            } catch (DeliveryStateMachine.LeaseLost | RuntimeException e) {
                // The destination has it. Sending it again because the record could not say so would
                // be a duplicate: the message goes, and the record stays as it was (a copy of the job
                // that claims it after the lease may send again: see settleSuccess).
                Log.error("delivery.success_unrecorded", e instanceof RuntimeException re ? re : null,
                        "deliveryId", job.deliveryId(), "connectorId", job.connectorId(), "reason", e.toString());
                measure(connectorType, outcome);
                return new DeliveryOutcome.Done(DeliveryState.SUCCEEDED);
            }
            measure(connectorType, outcome);
            runAfterwards(job, verdict.afterwards());
            return new DeliveryOutcome.Done(DeliveryState.SUCCEEDED);
        }
        if (keepEvent) {
            stores.events().keep(job.event());
        }
        DeliveryOutcome result;
        switch (outcome) {
            case DeliveryStateMachine.Outcome.Retry retry -> {
                carrier.carry(job.holding(null), verdict.delay());
                result = new DeliveryOutcome.Carried(verdict.delay(), retry.attempt().error());
            }
            case DeliveryStateMachine.Outcome.Dead dead -> {
                // On the dead-letter queue before the record says dead: a failed send keeps the message.
                deadLetters.deadLetter(job.holding(null).restarting(record.series()), job.userId() + "/" + job.connectorId()
                        + ": all " + schedule.attempts() + " attempts failed; last: " + dead.attempt().error());
                result = new DeliveryOutcome.Done(DeliveryState.DEAD);
            }
            case DeliveryStateMachine.Outcome.Failed failed -> result = new DeliveryOutcome.Done(DeliveryState.FAILED);
            case DeliveryStateMachine.Outcome.Cancelled cancelled -> result = new DeliveryOutcome.Done(DeliveryState.CANCELLED);
            default -> throw new IllegalStateException("not an attempt's outcome: " + outcome);
        }
        try {
            stores.deliveries().settle(record, record.lease().owner(), outcome, clock.instant());
        } catch (DeliveryStateMachine.LeaseLost lost) {
            Log.warn("delivery.lease_lost", "deliveryId", job.deliveryId(), "connectorId", job.connectorId());
            return result;
        } catch (RuntimeException e) {
            if (result instanceof DeliveryOutcome.Carried) {
                // The job is carried: it finds the record as it was once the lease runs out, and tries again.
                Log.error("delivery.retry_unrecorded", e, "deliveryId", job.deliveryId(), "connectorId", job.connectorId());
                return result;
            }
            throw e;
        }
        measure(connectorType, outcome);
        if (outcome instanceof DeliveryStateMachine.Outcome.Dead dead) {
            runAfterwards(job, List.of(() -> operationalEvents.publish(OperationalEvent.deliveryDead(job.userId(),
                    job.connectorId(), connectorType, job.deliveryId(), job.eventId(), dead.attempt().number(),
                    "all " + schedule.attempts() + " attempts failed; last: " + dead.attempt().error(), clock))));
        }
        runAfterwards(job, verdict.afterwards());
        return result;
    }

    /**
     * Writes a success, trying again while the lease holds. Until the lease runs out no copy of the
     * job can claim the record, so a success recorded by then is never sent again; after it, a copy
     * would read the unsettled record as a dead holder's and send again. Every try writes the same
     * item (one {@code now}), so a try applied though its answer was lost is recognised by the next.
     */
    private void settleSuccess(DeliveryRecord record, DeliveryStateMachine.Outcome outcome)
            throws DeliveryStateMachine.LeaseLost {
        Instant settledAt = clock.instant();
        Duration wait = SETTLE_RETRY_FIRST;
        while (true) {
            try {
                stores.deliveries().settle(record, record.lease().owner(), outcome, settledAt);
                return;
            } catch (RuntimeException e) {
                if (!clock.instant().plus(wait).plus(timings.awsCall()).isBefore(record.lease().until())) {
                    throw e;
                }
                Log.warn("delivery.settle_retried", "deliveryId", record.deliveryId(), "connectorId", record.connectorId(),
                        "error", e.toString(), "waitMs", wait.toMillis());
                sleep(wait);
                wait = wait.multipliedBy(2).compareTo(SETTLE_RETRY_MAX) > 0 ? SETTLE_RETRY_MAX : wait.multipliedBy(2);
            }
        }
    }

    /** One attempt recorded: Deliveries by outcome and type, its latency when a request went out, attempts per success. */
    private static void measure(String connectorType, DeliveryStateMachine.Outcome outcome) {
        Attempt attempt = switch (outcome) {
            case DeliveryStateMachine.Outcome.Succeeded s -> s.attempt();
            case DeliveryStateMachine.Outcome.Retry r -> r.attempt();
            case DeliveryStateMachine.Outcome.Failed f -> f.attempt();
            case DeliveryStateMachine.Outcome.Cancelled c -> c.attempt();
            case DeliveryStateMachine.Outcome.Dead d -> d.attempt();
            case DeliveryStateMachine.Outcome.Deferred d -> null;
        };
        if (attempt == null) {
            return;
        }
        Metrics.Outcome measured = switch (attempt.outcome()) {
            case "succeeded" -> Metrics.Outcome.SUCCEEDED;
            case "retrying" -> Metrics.Outcome.RETRYING;
            case "dead" -> Metrics.Outcome.DEAD;
            case "cancelled" -> Metrics.Outcome.CANCELLED;
            default -> Metrics.Outcome.FAILED;
        };
        boolean sent = attempt.statusCode() != null || attempt.latencyMs() > 0;
        Metrics.delivery(connectorType, measured, sent ? Duration.ofMillis(attempt.latencyMs()) : null, attempt.number());
        Log.info("delivery.attempt", "attempt", attempt.number(), "outcome", attempt.outcome(), "statusCode", attempt.statusCode(),
                "latencyMs", attempt.latencyMs(), "connectorType", connectorType);
    }

    private void settleQuietly(DeliveryRecord record, DeliveryStateMachine.Outcome outcome) {
        try {
            stores.deliveries().settle(record, record.lease().owner(), outcome, clock.instant());
        } catch (DeliveryStateMachine.LeaseLost lost) {
            Log.warn("delivery.lease_lost", "deliveryId", record.deliveryId(), "connectorId", record.connectorId());
        } catch (RuntimeException e) {
            // The job is carried already; it finds the lease run out when it returns.
            Log.error("delivery.release_unrecorded", e, "deliveryId", record.deliveryId(), "connectorId", record.connectorId());
        }
    }

    /** Side writes after the record: each may fail on its own, logged, without undoing anything. */
    private static void runAfterwards(DeliveryJob job, List<Runnable> actions) {
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                Log.error("delivery.side_write_failed", e, "deliveryId", job.deliveryId(), "connectorId", job.connectorId());
            }
        }
    }

    private static Attempt attempt(DeliveryRecord record, Connector connector, Instant at, Integer status, long latencyMs,
                                   String outcome, String error, List<String> console) {
        return new Attempt(record.nextAttemptNumber(), record.series(), at, status, latencyMs, outcome,
                error == null ? null : clip(error, ERROR_CHARS), keptConsole(console), connector == null ? null : connector.version());
    }

    /**
     * The console lines kept in the log: at most {@value #CONSOLE_BYTES} bytes per attempt as they
     * are stored (UTF-8, JSON-escaped: a control character takes six), so that no output, however
     * chatty or strange, can push a record towards DynamoDB's 400 KB item limit.
     */
    static List<String> keptConsole(List<String> console) {
        if (console == null || console.isEmpty()) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        int budget = CONSOLE_BYTES;
        for (String line : console) {
            int bytes = storedBytes(line);
            if (bytes > budget) {
                String cut = cutToStoredBytes(line, budget);
                if (!cut.isEmpty()) {
                    kept.add(cut);
                }
                kept.add(CONSOLE_TRUNCATED);
                break;
            }
            kept.add(line);
            budget -= bytes;
        }
        return kept;
    }

    /** Bytes the line takes stored in a JSON string, quotes included. */
    static int storedBytes(String line) {
        return Json.write(Json.MAPPER.getNodeFactory().textNode(line)).getBytes(StandardCharsets.UTF_8).length;
    }

    /** The longest start of {@code line} that takes at most {@code bytes} stored, never half a surrogate pair. */
    private static String cutToStoredBytes(String line, int bytes) {
        int low = 0;
        int high = line.length();
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (storedBytes(line.substring(0, mid)) <= bytes) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        if (low > 0 && Character.isHighSurrogate(line.charAt(low - 1))) {
            low--;
        }
        return line.substring(0, low);
    }

    private static String clip(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int cut = max - 1;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "…";
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
