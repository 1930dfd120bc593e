package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.Connector;
import app.connectors.event.Event;
import app.connectors.json.Json;
import app.connectors.net.HttpSender;
import app.connectors.net.OutboundRequest;
import app.connectors.net.SendResult;
import app.connectors.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random interleavings of everything that can happen to deliveries at once, checked for what the
 * design promises. A dispatcher's pass may run out of time and leave the rest of the fan-out to a
 * continuation on the events queue (a segment of its own), and one connector subscribes to the
 * event's type and to "*", so a fan-out split in two meets it in both parts. Workers (first
 * attempts in the dispatcher, later ones in the deliverer) run
 * concurrently and are suspended at every store, queue and network call, where the scheduler may
 * let another run, deliver a copy of a message, move time on, or crash the worker (it stops there,
 * as a process killed with {@code kill -9}: its message stays invisible until its visibility runs
 * out). Manual retries, redrives and reconciler passes come in between. Destinations answer 200,
 * 500, 429, 400 or time out at random.
 *
 * <p>After a drain (no more faults; time runs until nothing is left), for every (event, connector)
 * pair: the record exists and is finished (nothing lost, nothing stuck pending); a dead one has its
 * job on the dead-letter queue; a delivery was accepted (2xx) more than once only if a worker
 * crashed between sending it and recording the answer; and no two requests to the paced
 * destination left closer than its interval. Seeds are printed; a failing one replays exactly.
 */
class DeliveryInterleavingTest {

    private static final Instant START = DeliveryFixtures.START;
    private static final RetrySchedule SCHEDULE = DeliveryFixtures.THREE_ATTEMPTS;
    private static final DeliveryTimings TIMINGS = DeliveryTimings.production();
    private static final Duration DELIVERIES_VISIBILITY = Duration.ofSeconds(600);
    private static final Duration EVENTS_VISIBILITY = Duration.ofSeconds(1080);
    /** A dispatcher's invocation, and so its lease on a fan-out: a sixth of the events' visibility, as template.yaml has it. */
    private static final Duration DISPATCH_LEASE = EVENTS_VISIBILITY.dividedBy(6);
    private static final int EVENTS = 6;
    /**
     * The connectors (by index) in the order a fan-out meets them: the event type's query, then the
     * wildcard's, where connector 0, subscribed to the type and to "*", comes again (a pass skips
     * what it met; a continuation does not know what the pass before it met).
     */
    private static final int[] SUBSCRIBERS = {0, 1, 2, 0};
    private static final Pattern EVENT_ID = Pattern.compile("evt_sim_\\d+");
    /** Steps where a crash tests the order of the writes. */
    private static final java.util.Set<String> SHARP_STEPS = java.util.Set.of("on the wire", "settle", "dead-letter",
            "keep event", "carry", "claim");

    @TempDir
    Path keys;

    static List<Long> seeds() {
        List<Long> seeds = new ArrayList<>();
        for (long seed = Long.getLong("interleavings.from", 1); seed <= Long.getLong("interleavings.to", 100); seed++) {
            seeds.add(seed * 15838 + (seed % 2));
        }
        return seeds;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void noInterleavingLosesADeliveryOrSendsOneTwiceWithoutACrashInFlight(long seed) throws Exception {
        World world = new World(seed, keys.resolve("seed-" + seed));
        try {
            world.run(600);
            world.drain();
            world.check();
            System.out.println("interleaving seed " + seed + ": " + world.stats());
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " (replay with this seed): " + e.getMessage() + "\n" + world.trace(), e);
        } finally {
            world.stop();
        }
    }

    /** The whole simulated system: stores, queues, destinations, workers, and the scheduler that interleaves them. */
    private static final class World {
        final Random random;
        final MutableClock clock = new MutableClock(START);
        final DeliveryFixtures fixtures;
        final InMemoryFanOutLeases fanOutLeases = new InMemoryFanOutLeases();
        final InMemoryDeliveryStore records = new InMemoryDeliveryStore(fanOutLeases);
        final InMemoryDestinationStore destinations = new InMemoryDestinationStore();
        final InMemoryEventStore events = new InMemoryEventStore();
        final Queue deliveries = new Queue("deliveries", DELIVERIES_VISIBILITY);
        final Queue eventsQueue = new Queue("events", EVENTS_VISIBILITY);
        final List<DeliveryJob> deadLetters = new ArrayList<>();
        final Scheduler scheduler = new Scheduler(clock);
        final List<Connector> connectors = new ArrayList<>();
        final Map<String, String> connectorByUrl = new HashMap<>();
        final Map<String, Event> published = new LinkedHashMap<>();
        /** Accepted (2xx) sends per delivery id. */
        final Map<String, Integer> accepted = new HashMap<>();
        /** Crashes of a worker that had sent a delivery's request and not yet recorded the answer. */
        final Map<String, Integer> crashedInFlight = new HashMap<>();
        final List<Instant> pacedSends = new ArrayList<>();
        final List<String> trace = new ArrayList<>();
        final DeliveryProcessor processor;
        final DeliveryLog log;
        final Reconciler reconciler;
        int nextEvent;
        int dispatchers;

        /** Odd seeds meet destinations that mostly fail (many retries, many dead letters). */
        final boolean hostile;

        World(long seed, Path keys) {
            this.random = new Random(seed);
            this.hostile = seed % 2 == 1;
            this.fixtures = new DeliveryFixtures(keys, clock);
            for (int i = 0; i < 2; i++) {
                String url = "https://api.example.com/hooks/in/sim-" + i;
                Connector generic = fixtures.create("""
                        {"type":"generic","name":"sim %d","config":{"url":"%s","method":"POST"},"events":["*"]}"""
                        .formatted(i, url)).connector();
                connectors.add(generic);
                connectorByUrl.put(url, generic.id());
            }
            String slackUrl = "https://hooks.slack.com/services/T0000000/B0000000/SimulatedToken01";
            Connector slack = fixtures.create(DeliveryFixtures.webhook("slack", slackUrl).replace("promise.status_changed", "*"))
                    .connector();
            connectors.add(slack);
            connectorByUrl.put(slackUrl, slack.id());
            DeliveryStores stores = new DeliveryStores(new SteppingDeliveries(), new SteppingDestinations(), new SteppingEvents());
            DeliveryQueue queue = new SteppingQueue();
            this.processor = new DeliveryProcessor(stores, queue, fixtures.connectorStore, fixtures.connectors,
                    ConnectorTypeCatalog.standard(), fixtures.requests, new Destinations(), SCHEDULE, TIMINGS, clock,
                    scheduler::sleep);
            this.log = new DeliveryLog(fixtures.connectors, records, events, queue);
            this.reconciler = new Reconciler(records, events, queue, TIMINGS, clock);
        }

        // ------------------------------------------------------------------ the random run

        void run(int steps) throws InterruptedException {
            for (int step = 0; step < steps; step++) {
                int roll = random.nextInt(100);
                List<Worker> waiting = scheduler.waiting();
                if (roll < 55 && !waiting.isEmpty()) {
                    Worker chosen = waiting.get(random.nextInt(waiting.size()));
                    // the dead-letter send is rare (a series' last attempt), so it is hit harder
                    int odds = chosen.waitingAt.equals("dead-letter") ? 3 : 8;
                    if (SHARP_STEPS.contains(chosen.waitingAt) && random.nextInt(odds) == 0) {
                        crash(chosen);
                    } else {
                        scheduler.grant(chosen);
                    }
                } else if (roll < 62 && nextEvent < EVENTS) {
                    publish();
                } else if (roll < 70) {
                    receiveEvent(false);
                } else if (roll < 80) {
                    receiveDelivery(false);
                } else if (roll < 83) {
                    receiveEvent(true);
                } else if (roll < 86) {
                    receiveDelivery(true);
                } else if (roll < 89 && !waiting.isEmpty()) {
                    // mostly where a crash hurts: between a send and its record, around the dead-letter
                    // send, the kept event and the carrier, the writes that secure a way forward
                    List<Worker> sharp = waiting.stream().filter(w -> SHARP_STEPS.contains(w.waitingAt)).toList();
                    List<Worker> from = !sharp.isEmpty() && random.nextInt(10) < 7 ? sharp : waiting;
                    crash(from.get(random.nextInt(from.size())));
                } else if (roll < 91) {
                    manualRetry();
                } else if (roll < 93) {
                    redrive();
                } else if (roll < 95) {
                    reconcile();
                } else if (random.nextBoolean()) {
                    advance(Duration.ofMillis(random.nextInt(3_000)));
                } else {
                    // let every worker run to a sleep or its end, then a longer while passes: retries come due
                    for (List<Worker> ready = scheduler.waiting(); !ready.isEmpty(); ready = scheduler.waiting()) {
                        scheduler.grant(ready.get(random.nextInt(ready.size())));
                    }
                    advance(Duration.ofMillis(random.nextInt(90_000)));
                }
            }
        }

        /** No more faults or duplicates: everything runs to its end, time moving on as needed. */
        void drain() throws InterruptedException {
            while (nextEvent < EVENTS) {
                publish();
            }
            Instant giveUp = clock.instant().plus(Duration.ofDays(3));
            Instant nextReconcile = clock.instant().plus(Duration.ofMinutes(5));
            for (int round = 0; clock.instant().isBefore(giveUp); round++) {
                if (round > 200_000) {
                    throw new AssertionError("the drain stalled at " + clock.instant() + "; live workers " + scheduler.describeLive());
                }
                List<Worker> waiting = scheduler.waiting();
                if (!waiting.isEmpty()) {
                    scheduler.grant(waiting.get(random.nextInt(waiting.size())));
                    continue;
                }
                if (eventsQueue.hasVisible(clock.instant())) {
                    receiveEvent(false);
                    continue;
                }
                if (deliveries.hasVisible(clock.instant())) {
                    receiveDelivery(false);
                    continue;
                }
                if (!clock.instant().isBefore(nextReconcile)) {
                    reconcile();
                    nextReconcile = clock.instant().plus(Duration.ofMinutes(5));
                    continue;
                }
                Instant next = earliest(nextReconcile);
                if (scheduler.live() == 0 && eventsQueue.isEmpty() && deliveries.isEmpty() && allFinished()) {
                    return;
                }
                advance(Duration.between(clock.instant(), next));
            }
        }

        private Instant earliest(Instant candidate) {
            Instant next = candidate;
            for (Instant at : java.util.Arrays.asList(scheduler.nextWake(), eventsQueue.nextVisible(), deliveries.nextVisible())) {
                if (at != null && at.isBefore(next)) {
                    next = at;
                }
            }
            return next.isAfter(clock.instant()) ? next : clock.instant().plusMillis(1);
        }

        private boolean allFinished() {
            return records.all().stream().allMatch(r -> r.state().finished());
        }

        void advance(Duration by) {
            Instant to = clock.instant().plus(by);
            Instant leasesEnd = scheduler.leasesEnd();
            if (leasesEnd != null && to.isAfter(leasesEnd.minusMillis(1))) {
                to = leasesEnd.minusMillis(1);
            }
            if (to.isAfter(clock.instant())) {
                clock.advance(Duration.between(clock.instant(), to));
            }
            scheduler.wakeUntil(clock.instant());
        }

        void publish() {
            String id = "evt_sim_" + nextEvent++;
            // the id in the title too, so that a destination can tell which event a formatted message is about
            var envelope = app.connectors.event.EventJson.write(FanOutTest.event(id, "tech-product"));
            ((com.fasterxml.jackson.databind.node.ObjectNode) envelope.get("subject")).put("title", "Simulated " + id);
            Event event;
            try {
                event = app.connectors.event.EventParser.standard().parse(Json.write(envelope));
            } catch (app.connectors.event.InvalidEventException e) {
                throw new AssertionError(e);
            }
            published.put(id, event);
            eventsQueue.send(new Message(null, event), Duration.ZERO);
            trace.add(clock.instant() + " publish " + id);
        }

        /**
         * The dispatcher: it takes the fan-out's lease (a lease nobody held: one worker per connector,
         * each making its first attempt under it; a lease taken over from a holder whose time ran out:
         * each delivery queued as a job; a lease held: the message is left to come back), and the
         * message goes when every worker settled.
         */
        void receiveEvent(boolean copy) {
            Message message = copy ? eventsQueue.copyOfInvisible(random) : eventsQueue.receive(clock.instant());
            if (message == null) {
                return;
            }
            Instant until = clock.instant().plus(DISPATCH_LEASE);
            // A continuation's segment is named by where the pass before it ran out of time.
            FanOut.Position from = message.from == 0 ? FanOut.Position.START : new FanOut.Position(false, "sim#" + message.from);
            FanOutLeases.Taking taking = fanOutLeases.take(message.event.id(), from, "dispatcher-" + (++dispatchers),
                    clock.instant(), until);
            trace.add(clock.instant() + " dispatch " + message.event.id() + (message.from == 0 ? "" : " from " + message.from)
                    + (copy ? " (copy)" : "") + ": " + taking.getClass().getSimpleName());
            FanOutLeases.Lease lease;
            JobCarrier carrier = (carried, delay) -> {
                scheduler.step("carry");
                deliveries.send(new Message(carried, null), delay);
            };
            switch (taking) {
                case FanOutLeases.Taking.Busy busy -> {
                    return;
                }
                case FanOutLeases.Taking.Fresh fresh -> lease = fresh.lease();
                case FanOutLeases.Taking.TakenOver takenOver -> lease = takenOver.lease();
            }
            FanOut.FirstAttempt attempts = FanOutLeases.attemptsInPlace(taking, from)
                    ? processor.firstAttempts(carrier) : FanOut.FirstAttempt.queued(carrier);
            if (random.nextInt(25) == 0) {
                // killed right after taking the lease: the message comes back once its visibility runs out
                trace.add(clock.instant() + " dispatcher of " + message.event.id() + " killed after taking its lease");
                return;
            }
            // The pass's time may run out before the last subscriber: the rest goes in a continuation,
            // queued once every attempt the pass started has ended (as the dispatcher does).
            int stopAt = SUBSCRIBERS.length;
            if (SUBSCRIBERS.length - message.from > 1 && random.nextInt(4) == 0) {
                stopAt = message.from + 1 + random.nextInt(SUBSCRIBERS.length - message.from - 1);
            }
            List<Worker> workers = new ArrayList<>();
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            int continueFrom = stopAt;
            boolean[] ended = {false};
            for (int slot = message.from; slot < stopAt; slot++) {
                if (!seen.add(SUBSCRIBERS[slot])) {
                    continue;
                }
                Connector connector = connectors.get(SUBSCRIBERS[slot]);
                DeliveryJob job = DeliveryJob.of(message.event, connector.userId(), connector.id());
                Worker started = scheduler.start("first " + job.deliveryId().substring(28) + " @" + connector.name(), worker -> {
                    DeliveryOutcome outcome = attempts.attempt(job, lease);
                    if (outcome instanceof DeliveryOutcome.Kept) {
                        worker.unsettled = true;
                    }
                }, () -> settleDispatch(message, workers, continueFrom, ended));
                // the invocation cannot outlive its lease: no call of its workers is frozen past it
                started.leaseUntil = until;
                workers.add(started);
            }
        }

        /** Once every worker of this pass ended (none killed): its continuation, then the message goes if all settled. */
        private void settleDispatch(Message message, List<Worker> workers, int continueFrom, boolean[] ended) {
            if (ended[0] || !workers.stream().allMatch(w -> w.state == Worker.State.DONE)) {
                return;
            }
            ended[0] = true;
            if (continueFrom < SUBSCRIBERS.length) {
                trace.add(clock.instant() + " continuation of " + message.event.id() + " from " + continueFrom);
                eventsQueue.send(new Message(null, message.event, continueFrom), Duration.ZERO);
            }
            if (workers.stream().noneMatch(w -> w.unsettled)) {
                eventsQueue.delete(message);
            }
        }

        /** The deliverer, as DeliverHandler runs one message. */
        void receiveDelivery(boolean copy) {
            Message message = copy ? deliveries.copyOfInvisible(random) : deliveries.receive(clock.instant());
            if (message == null) {
                return;
            }
            Instant received = clock.instant();
            scheduler.start("job " + message.job.deliveryId().substring(28) + (message.job.restarts() == null ? ""
                    : " restarts " + message.job.restarts()) + (copy ? " (copy)" : ""), worker -> {
                boolean[] replaced = {false};
                DeliveryOutcome outcome = processor.process(message.job, (carried, delay) -> {
                    scheduler.step("carry");
                    boolean fits = clock.instant().plus(delay).isBefore(received.plus(DeliveryTimings.MAX_VISIBILITY)
                            .minus(TIMINGS.functionTimeout()));
                    if (carried.equals(message.job) && fits) {
                        deliveries.changeVisibility(message, delay);
                    } else {
                        deliveries.send(new Message(carried, null), delay);
                        replaced[0] = true;
                    }
                });
                switch (outcome) {
                    case DeliveryOutcome.Done done -> deliveries.delete(message);
                    case DeliveryOutcome.Carried carried -> {
                        if (replaced[0]) {
                            deliveries.delete(message);
                        }
                    }
                    case DeliveryOutcome.Kept kept -> deliveries.changeVisibility(message, Duration.ofSeconds(30));
                }
            }, () -> { });
        }

        void crash(Worker victim) throws InterruptedException {
            if (victim.sentFor != null) {
                crashedInFlight.merge(victim.sentFor, 1, Integer::sum);
            }
            trace.add(clock.instant() + " crash " + victim.name + " at " + victim.waitingAt
                    + (victim.sentFor == null ? "" : " (in flight)"));
            scheduler.crash(victim);
        }

        void manualRetry() {
            // in an order that does not depend on the connectors' random ids, so that a seed replays exactly
            List<DeliveryRecord> restartable = records.all().stream().filter(r -> r.state().restartable())
                    .sorted(java.util.Comparator.comparing((DeliveryRecord r) -> r.eventId())
                            .thenComparing(r -> connectors.stream().map(Connector::id).toList().indexOf(r.connectorId())))
                    .toList();
            if (restartable.isEmpty()) {
                return;
            }
            DeliveryRecord record = restartable.get(random.nextInt(restartable.size()));
            log.retry(record.userId(), record.connectorId(), record.deliveryId());
            trace.add(clock.instant() + " manual retry " + record.deliveryId().substring(28) + " series " + record.series());
        }

        void redrive() {
            if (deadLetters.isEmpty()) {
                return;
            }
            DeliveryJob job = deadLetters.remove(random.nextInt(deadLetters.size()));
            deliveries.send(new Message(job, null), Duration.ZERO);
            trace.add(clock.instant() + " redrive " + job.deliveryId().substring(28) + " restarts " + job.restarts());
        }

        void reconcile() {
            Reconciler.Result result = reconciler.run();
            if (result.overdue() > 0) {
                trace.add(clock.instant() + " reconcile " + result);
            }
        }

        void stop() {
            scheduler.stopAll();
        }

        // ------------------------------------------------------------------ the promises

        void check() {
            assertThat(scheduler.failures).as("workers that failed otherwise than by a kill").isEmpty();
            for (Event event : published.values()) {
                for (Connector connector : connectors) {
                    String deliveryId = DeliveryJob.deliveryIdOf(event, connector.id());
                    Optional<DeliveryRecord> record = records.find(connector.id(), deliveryId);
                    assertThat(record).as("record of %s for %s (lost?)", event.id(), connector.name()).isPresent();
                    assertThat(record.get().state()).as("%s for %s", event.id(), connector.name()).matches(DeliveryState::finished);
                    if (record.get().state() == DeliveryState.DEAD) {
                        assertThat(deadLetters).as("dead-lettered job of %s", deliveryId)
                                .anySatisfy(job -> assertThat(job.deliveryId()).isEqualTo(deliveryId));
                    }
                    int times = accepted.getOrDefault(deliveryId, 0);
                    assertThat(times).as("2xx sends of %s (crashes with it in flight: %s)", deliveryId,
                            crashedInFlight.getOrDefault(deliveryId, 0))
                            .isLessThanOrEqualTo(1 + crashedInFlight.getOrDefault(deliveryId, 0));
                    if (record.get().state() == DeliveryState.SUCCEEDED) {
                        assertThat(times).as("a succeeded delivery was accepted").isPositive();
                    }
                }
            }
            List<Instant> sorted = pacedSends.stream().sorted().toList();
            for (int i = 1; i < sorted.size(); i++) {
                assertThat(Duration.between(sorted.get(i - 1), sorted.get(i))).as("two sends to the Slack webhook")
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            }
        }

        /** What a run went through, for the log: crashes by step, and records by final state. */
        String stats() {
            Map<String, Long> crashes = new java.util.TreeMap<>();
            trace.stream().filter(line -> line.contains(" crash ")).forEach(line -> crashes.merge(
                    line.substring(line.indexOf(" at ") + 4).replace(" (in flight)", ""), 1L, Long::sum));
            Map<String, Long> takings = new java.util.TreeMap<>();
            trace.stream().filter(line -> line.contains(" dispatch ")).forEach(line -> takings.merge(
                    line.substring(line.lastIndexOf(": ") + 2), 1L, Long::sum));
            Map<DeliveryState, Long> states = new java.util.TreeMap<>();
            records.all().forEach(r -> states.merge(r.state(), 1L, Long::sum));
            long continuations = trace.stream().filter(line -> line.contains(" continuation of ")).count();
            return "steps " + scheduler.reached + ", fan-out leases " + takings + ", continuations " + continuations + ", crashes " + crashes + ", records " + states + ", dead letters " + deadLetters.size()
                    + ", duplicates allowed by crashes in flight " + crashedInFlight.values().stream().mapToInt(Integer::intValue).sum();
        }

        String trace() {
            return String.join("\n", trace.subList(Math.max(0, trace.size() - 80), trace.size()));
        }

        // ------------------------------------------------------------------ the world's parts

        /** A message on a simulated SQS queue: a job, or an event. */
        static final class Message {
            final DeliveryJob job;
            final Event event;
            Instant visibleAt;
            boolean deleted;

            /** Where in {@link #SUBSCRIBERS} an event's message starts its fan-out: 0, or a continuation's place. */
            final int from;

            Message(DeliveryJob job, Event event) {
                this(job, event, 0);
            }

            Message(DeliveryJob job, Event event, int from) {
                this.job = job;
                this.event = event;
                this.from = from;
            }
        }

        /** SQS as far as the design relies on it: at-least-once, visibility, delays up to 15 minutes. */
        final class Queue {
            final String name;
            final Duration visibility;
            final List<Message> messages = new ArrayList<>();

            Queue(String name, Duration visibility) {
                this.name = name;
                this.visibility = visibility;
            }

            void send(Message message, Duration delay) {
                Duration d = delay.compareTo(DeliveryTimings.MAX_DELAY) > 0 ? DeliveryTimings.MAX_DELAY : delay;
                message.visibleAt = clock.instant().plus(d);
                messages.add(message);
            }

            Message receive(Instant now) {
                List<Message> visible = messages.stream().filter(m -> !m.deleted && !m.visibleAt.isAfter(now)).toList();
                if (visible.isEmpty()) {
                    return null;
                }
                Message message = visible.get(random.nextInt(visible.size()));
                message.visibleAt = now.plus(visibility);
                return message;
            }

            /** SQS delivering a message again while it is still in flight (at-least-once). */
            Message copyOfInvisible(Random random) {
                List<Message> inFlight = messages.stream().filter(m -> !m.deleted && m.visibleAt.isAfter(clock.instant())).toList();
                return inFlight.isEmpty() ? null : inFlight.get(random.nextInt(inFlight.size()));
            }

            void changeVisibility(Message message, Duration delay) {
                message.visibleAt = clock.instant().plus(delay);
            }

            void delete(Message message) {
                message.deleted = true;
            }

            boolean hasVisible(Instant now) {
                return messages.stream().anyMatch(m -> !m.deleted && !m.visibleAt.isAfter(now));
            }

            Instant nextVisible() {
                return messages.stream().filter(m -> !m.deleted).map(m -> m.visibleAt).min(Instant::compareTo).orElse(null);
            }

            boolean isEmpty() {
                return messages.stream().allMatch(m -> m.deleted);
            }
        }

        /** Destinations answering at random; every request is judged by the moment it left. */
        final class Destinations implements HttpSender {
            @Override
            public SendResult send(OutboundRequest request) {
                Worker me = scheduler.current();
                String connectorId = connectorByUrl.get(request.uri().toString().replaceAll("\\?.*", ""));
                Matcher eventId = EVENT_ID.matcher(new String(request.body(), StandardCharsets.UTF_8));
                assertThat(connectorId).as("request to %s", request.uri()).isNotNull();
                assertThat(eventId.find()).isTrue();
                String deliveryId = DeliveryJob.deliveryIdOf(published.get(eventId.group()), connectorId);
                if (connectorId.equals(connectors.get(2).id())) {
                    pacedSends.add(clock.instant());
                }
                me.sentFor = deliveryId;
                int roll = random.nextInt(100);
                if (hostile) {
                    roll = roll < 25 ? roll * 55 / 25 : 55 + (roll - 25) * 45 / 75;
                }
                SendResult result;
                if (roll < 55) {
                    result = new SendResult.Response(200, Map.of(), "ok", Duration.ofMillis(100));
                    accepted.merge(deliveryId, 1, Integer::sum);
                } else if (roll < 75) {
                    result = new SendResult.Response(500, Map.of(), "oops", Duration.ofMillis(100));
                } else if (roll < 80) {
                    result = new SendResult.Response(429, Map.of("retry-after", "3"), "slow down", Duration.ofMillis(100));
                } else if (roll < 90) {
                    result = new SendResult.Failure(SendResult.FailureKind.TIMEOUT, "no answer", Duration.ofSeconds(15));
                } else {
                    result = new SendResult.Response(400, Map.of(), "bad", Duration.ofMillis(100));
                }
                trace.add(clock.instant() + " send " + deliveryId.substring(28) + " by " + me.name + " -> "
                        + (result instanceof SendResult.Response r ? r.status() : "timeout"));
                // the exchange itself: others may run, and this worker may be killed, while it is on the wire
                scheduler.step("on the wire");
                return result;
            }
        }

        /** The stores, each call a point where the worker may be suspended or killed. */
        final class SteppingDeliveries implements DeliveryStore {
            @Override
            public Optional<DeliveryRecord> find(String connectorId, String deliveryId) {
                scheduler.step("find");
                return records.find(connectorId, deliveryId);
            }

            @Override
            public DeliveryStateMachine.Claim claim(DeliveryJob job, String eventType, String owner, Instant now, Duration lease) {
                scheduler.step("claim");
                // applied now: a claim's round trip is bounded by its call timeout, far inside its lease
                DeliveryStateMachine.Claim claim = records.claim(job, eventType, owner, clock.instant(), lease);
                if (claim instanceof DeliveryStateMachine.Claim.Taken taken) {
                    scheduler.current().leaseUntil = taken.record().lease().until();
                }
                return claim;
            }

            @Override
            public DeliveryRecord settle(DeliveryRecord sending, String owner, DeliveryStateMachine.Outcome outcome, Instant now)
                    throws DeliveryStateMachine.LeaseLost {
                scheduler.step("settle");
                DeliveryRecord written = records.settle(sending, owner, outcome, now);
                scheduler.current().sentFor = null; // the answer is on record
                scheduler.current().leaseUntil = null;
                return written;
            }

            @Override
            public app.connectors.connector.Page<DeliveryRecord> list(String connectorId, int limit, String cursor) {
                return records.list(connectorId, limit, cursor);
            }

            @Override
            public void forEachOverdue(Instant dueBefore, Predicate<Overdue> action) {
                records.forEachOverdue(dueBefore, action);
            }

            @Override
            public boolean requeue(Overdue overdue, Instant now) {
                return records.requeue(overdue, now);
            }
        }

        final class SteppingDestinations implements DestinationStore {
            @Override
            public DestinationState read(String connectorId) {
                scheduler.step("read destination");
                return destinations.read(connectorId);
            }

            @Override
            public DestinationState readLatest(String connectorId) {
                scheduler.step("read destination");
                return destinations.readLatest(connectorId);
            }

            @Override
            public Booking book(String connectorId, Duration spacing, Instant now, Duration horizon) {
                scheduler.step("book");
                // judged with the caller's clock, as DynamoDB judges the condition the caller wrote
                return destinations.book(connectorId, spacing, now, horizon);
            }

            @Override
            public void pauseUntil(String connectorId, Instant until) {
                scheduler.step("pause");
                destinations.pauseUntil(connectorId, until);
            }

            @Override
            public Instant failingSince(String connectorId, Instant now) {
                scheduler.step("failing since");
                return destinations.failingSince(connectorId, now);
            }

            @Override
            public void clearFailures(String connectorId) {
                scheduler.step("clear failures");
                destinations.clearFailures(connectorId);
            }
        }

        final class SteppingEvents implements EventStore {
            @Override
            public void keep(Event event) {
                scheduler.step("keep event");
                events.keep(event);
            }

            @Override
            public Optional<Event> find(String eventId) {
                scheduler.step("find event");
                return events.find(eventId);
            }
        }

        final class SteppingQueue implements DeliveryQueue {
            @Override
            public void enqueue(List<DeliveryJob> jobs) {
                if (scheduler.current() != null) {
                    scheduler.step("enqueue");
                }
                jobs.forEach(job -> deliveries.send(new Message(job, null), Duration.ZERO));
            }

            @Override
            public void enqueueLater(DeliveryJob job, Duration delay) {
                scheduler.step("enqueue later");
                deliveries.send(new Message(job, null), delay);
            }

            @Override
            public void retryLater(String receiptHandle, Duration delay) {
                throw new UnsupportedOperationException("messages are deferred through their carrier");
            }

            @Override
            public void deadLetter(DeliveryJob job, String reason) {
                scheduler.step("dead-letter");
                deadLetters.add(job);
            }
        }
    }

    // ------------------------------------------------------------------ the scheduler

    /** A worker: one job's run on a thread of its own, stopped at every step until the scheduler lets it go on. */
    static final class Worker {
        enum State { NEW, WAITING, RUNNING, SLEEPING, DONE, CRASHED }

        final String name;
        State state = State.NEW;
        String waitingAt = "start";
        Instant wakeAt;
        boolean crash;
        boolean unsettled;
        /** The delivery whose request this worker sent and whose answer it has not recorded yet. */
        volatile String sentFor;
        /** Until when the record this worker claimed is its, while it holds one. */
        volatile Instant leaseUntil;
        Thread thread;

        Worker(String name) {
            this.name = name;
        }
    }

    /** Thrown at a step to stop a worker there for good, as {@code kill -9} would: an Error, so nothing catches it. */
    static final class Killed extends Error {
        Killed() {
            super("killed", null, false, false);
        }
    }

    /**
     * Runs one worker at a time: the test thread grants a waiting worker the right to run to its next
     * step; a sleeping worker waits until time has moved past its wake-up.
     */
    static final class Scheduler {
        private final MutableClock clock;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final List<Worker> workers = new ArrayList<>();
        private final ThreadLocal<Worker> self = new ThreadLocal<>();
        private Worker running;
        /** How often workers stopped at each step, for the log. */
        final Map<String, Integer> reached = new java.util.TreeMap<>();
        /** Errors workers died of that are not kills: the test fails on them. */
        final List<Throwable> failures = new ArrayList<>();

        Scheduler(MutableClock clock) {
            this.clock = clock;
        }

        Worker start(String name, WorkerBody body, Runnable afterwards) {
            Worker worker = new Worker(name);
            worker.thread = Thread.ofVirtual().name(name).unstarted(() -> {
                self.set(worker);
                Worker.State end = Worker.State.DONE;
                try {
                    step("start");
                    body.run(worker);
                } catch (Killed killed) {
                    end = Worker.State.CRASHED;
                } catch (Throwable e) {
                    worker.unsettled = true;
                    end = Worker.State.CRASHED;
                    lock.lock();
                    try {
                        if (failures.size() < 3) {
                            failures.add(e);
                        }
                    } finally {
                        lock.unlock();
                    }
                }
                // the state first, then what depends on it, then the baton goes back
                worker.state = end;
                try {
                    afterwards.run();
                } finally {
                    finish(worker, end);
                }
            });
            lock.lock();
            try {
                workers.add(worker);
            } finally {
                lock.unlock();
            }
            worker.thread.start();
            awaitNotRunning(worker, Worker.State.NEW);
            return worker;
        }

        Worker current() {
            return self.get();
        }

        /** Called by a worker: stop here until granted (or killed). */
        void step(String what) {
            park(Worker.State.WAITING, what, null);
        }

        /** Called by a worker: sleep until time has moved on by {@code duration}. */
        void sleep(Duration duration) {
            park(Worker.State.SLEEPING, "sleep " + duration, clock.instant().plus(duration));
        }

        /** Gives the baton back and waits for it; a worker marked for a crash dies here. */
        private void park(Worker.State state, String what, Instant wakeAt) {
            Worker me = self.get();
            lock.lock();
            try {
                me.state = state;
                me.waitingAt = what;
                me.wakeAt = wakeAt;
                reached.merge(what.startsWith("sleep") ? "sleep" : what, 1, Integer::sum);
                if (running == me) {
                    running = null;
                }
                changed.signalAll();
                while (running != me) {
                    changed.awaitUninterruptibly();
                }
                me.state = Worker.State.RUNNING;
                if (me.crash) {
                    throw new Killed();
                }
            } finally {
                lock.unlock();
            }
        }

        /** Time moved to {@code at}: sleepers whose wake-up has come wait to be granted again. */
        void wakeUntil(Instant at) {
            lock.lock();
            try {
                for (Worker w : workers) {
                    if (w.state == Worker.State.SLEEPING && !w.wakeAt.isAfter(at)) {
                        w.state = Worker.State.WAITING;
                        w.waitingAt = "woke";
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        /**
         * The latest time may move to while every worker stopped at a call still holds its lease: a
         * call is never frozen past it (calls and sends are bounded by the timeouts the lease is made
         * of). A worker's own sleeps are not bounded so: the processor must look after them itself.
         */
        Instant leasesEnd() {
            lock.lock();
            try {
                return workers.stream().filter(w -> w.state == Worker.State.WAITING)
                        .map(w -> w.leaseUntil).filter(java.util.Objects::nonNull).min(Instant::compareTo).orElse(null);
            } finally {
                lock.unlock();
            }
        }

        /** The earliest wake-up of a sleeping worker, or null. */
        Instant nextWake() {
            lock.lock();
            try {
                return workers.stream().filter(w -> w.state == Worker.State.SLEEPING).map(w -> w.wakeAt)
                        .min(Instant::compareTo).orElse(null);
            } finally {
                lock.unlock();
            }
        }

        String describeLive() {
            lock.lock();
            try {
                return workers.stream().filter(w -> w.state != Worker.State.DONE && w.state != Worker.State.CRASHED)
                        .map(w -> w.name + " " + w.state + " at " + w.waitingAt + " wake " + w.wakeAt + " lease " + w.leaseUntil)
                        .toList().toString();
            } finally {
                lock.unlock();
            }
        }

        List<Worker> waiting() {
            lock.lock();
            try {
                return workers.stream().filter(w -> w.state == Worker.State.WAITING).toList();
            } finally {
                lock.unlock();
            }
        }

        int live() {
            lock.lock();
            try {
                return (int) workers.stream().filter(w -> w.state != Worker.State.DONE && w.state != Worker.State.CRASHED).count();
            } finally {
                lock.unlock();
            }
        }

        /** Lets {@code worker} run to its next step (or its end); returns when it has stopped again. */
        void grant(Worker worker) {
            lock.lock();
            try {
                running = worker;
                changed.signalAll();
                while (running == worker) {
                    changed.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
        }

        /** Stops a waiting worker for good at its step. */
        void crash(Worker worker) {
            worker.crash = true;
            grant(worker);
        }

        private void finish(Worker worker, Worker.State state) {
            lock.lock();
            try {
                worker.state = state;
                if (running == worker) {
                    running = null;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private void awaitNotRunning(Worker worker, Worker.State initial) {
            lock.lock();
            try {
                while (worker.state == initial) {
                    changed.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
        }

        void stopAll() {
            lock.lock();
            List<Worker> left;
            try {
                left = workers.stream().filter(w -> w.state == Worker.State.WAITING || w.state == Worker.State.SLEEPING).toList();
            } finally {
                lock.unlock();
            }
            for (Worker w : left) {
                w.crash = true;
                grant(w);
            }
        }
    }

    @FunctionalInterface
    interface WorkerBody {
        void run(Worker worker) throws Exception;
    }

    static String json(Object value) {
        return Json.write(Json.MAPPER.valueToTree(value));
    }
}
