package app.connectors.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.config.Settings;
import app.connectors.delivery.Attempt;
import app.connectors.delivery.DeliveryJob;
import app.connectors.delivery.DeliveryRecord;
import app.connectors.delivery.DeliveryState;
import app.connectors.delivery.DeliveryStateMachine;
import app.connectors.delivery.DeliveryStore;
import app.connectors.delivery.DestinationStore;
import app.connectors.delivery.DynamoDbDeliveryStore;
import app.connectors.delivery.DynamoDbDestinationStore;
import app.connectors.delivery.DynamoDbFanOutLeases;
import app.connectors.delivery.FanOut;
import app.connectors.delivery.FanOutLeases;
import app.connectors.event.Event;
import app.connectors.event.EventParser;
import app.connectors.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The DynamoDB stores against DynamoDB Local: every claim the state machine can meet, made as one
 * conditional write, comes to what {@link DeliveryStateMachine#claim} says; only the lease holder
 * can settle; the reconciler's index finds exactly the overdue pending records; and concurrent
 * bookings of one destination's send slots never hand out a slot that was not written.
 */
class DeliveryStoresIT {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(57);

    private static PipelineStack env;
    private static DynamoDbClient dynamoDb;
    private static String table;
    private static DeliveryStore store;
    private static DestinationStore destinations;

    @BeforeAll
    static void start() {
        env = PipelineStack.get();
        Settings settings = Settings.from(env.stack.environmentOf("DeliverFunction"));
        dynamoDb = env.stack.dynamoDb();
        table = settings.deliveriesTable();
        store = new DynamoDbDeliveryStore(dynamoDb, table);
        destinations = new DynamoDbDestinationStore(dynamoDb, table);
    }

    /** Every stored situation a claim can meet, in series 2 with one attempt made (null: no record). */
    private static List<DeliveryRecord> situations(DeliveryJob job) {
        Attempt first = new Attempt(1, 2, NOW.minusSeconds(90), 500, 10, "retrying", "HTTP 500", null, 1L);
        List<DeliveryRecord> all = new ArrayList<>();
        all.add(null);
        for (Instant due : List.of(NOW.minusSeconds(5), NOW.plusMillis(900), NOW.plusSeconds(30))) {
            all.add(record(job, DeliveryState.PENDING, due, null, first));
        }
        for (Instant until : List.of(NOW.plusSeconds(20), NOW.minusMillis(1))) {
            all.add(record(job, DeliveryState.SENDING, null, new DeliveryRecord.Lease("other", until), first));
        }
        for (DeliveryState finished : List.of(DeliveryState.SUCCEEDED, DeliveryState.FAILED, DeliveryState.CANCELLED,
                DeliveryState.DEAD)) {
            all.add(record(job, finished, null, null, first));
        }
        return all;
    }

    @Test
    void everyClaimIsTheStateMachinesVerdictMadeAsOneConditionalWrite() {
        for (Integer restarts : java.util.Arrays.asList(null, 2, 1)) {
            for (int i = 0; i < situations(job("probe")).size(); i++) {
                // GIVEN one situation stored for a delivery of its own
                DeliveryJob base = job("claim-" + UUID.randomUUID());
                DeliveryJob job = restarts == null ? base : base.restarting(restarts);
                DeliveryRecord stored = situations(base).get(i);
                if (stored != null) {
                    dynamoDb.putItem(r -> r.tableName(table).item(DynamoDbDeliveryStore.toItem(stored)));
                }

                // WHEN a job claims it
                DeliveryStateMachine.Claim expected = DeliveryStateMachine.claim(stored, job, "promise.status_changed", "me", NOW, LEASE);
                DeliveryStateMachine.Claim actual = store.claim(job, "promise.status_changed", "me", NOW, LEASE);

                // THEN DynamoDB agrees with the transition function, and what it wrote is what the function made
                String situation = (stored == null ? "none" : stored.state() + " due " + stored.dueAt() + " lease " + stored.lease())
                        + ", restarts " + restarts;
                assertThat(verdict(actual)).as(situation).isEqualTo(verdict(expected));
                DeliveryRecord now = store.find(job.connectorId(), job.deliveryId()).orElse(null);
                if (expected instanceof DeliveryStateMachine.Claim.Taken taken) {
                    assertThat(now).as(situation).usingRecursiveComparison().ignoringFields("updatedAt", "createdAt")
                            .isEqualTo(taken.record());
                } else {
                    assertThat(now).as(situation + ": a refused claim changes nothing").isEqualTo(stored);
                }
            }
        }
    }

    @Test
    void onlyTheLeaseHolderSettlesAndARetriedSettleIsNotALostLease() throws Exception {
        DeliveryJob job = job("settle-" + UUID.randomUUID());
        DeliveryRecord mine = ((DeliveryStateMachine.Claim.Taken) store.claim(job, "promise.status_changed", "me", NOW, LEASE)).record();
        Attempt attempt = new Attempt(1, 1, NOW, 200, 5, "succeeded", null, null, 1L);

        // another worker cannot settle it
        assertThatThrownBy(() -> store.settle(mine, "someone-else", new DeliveryStateMachine.Outcome.Succeeded(attempt), NOW))
                .isInstanceOf(DeliveryStateMachine.LeaseLost.class);
        // the holder can, and the same write made again (the SDK retrying it) is not taken for a lost lease
        DeliveryRecord written = store.settle(mine, "me", new DeliveryStateMachine.Outcome.Succeeded(attempt), NOW);
        assertThat(store.settle(mine, "me", new DeliveryStateMachine.Outcome.Succeeded(attempt), NOW)).isEqualTo(written);
        assertThat(store.find(job.connectorId(), job.deliveryId())).contains(written);
        // and once it is settled, a claim by a worker that ran out of time cannot take it back
        assertThat(store.claim(job, "promise.status_changed", "late", NOW.plus(Duration.ofHours(1)), LEASE))
                .isEqualTo(new DeliveryStateMachine.Claim.Finished(DeliveryState.SUCCEEDED));
    }

    @Test
    void aFirstAttemptUnderItsFanOutsLeaseIsWrittenOnceAndOnlyWhereNoRecordIsYet() throws Exception {
        FanOutLeases.Lease fanOut = new FanOutLeases.Lease("evt", "start", "dispatcher-1", NOW.plusSeconds(900));
        Attempt attempt = new Attempt(1, 1, NOW, 200, 5, "succeeded", null, null, 1L);

        // no record yet: the settling write creates it (and the same write made again is no lost lease)
        DeliveryJob job = job("first-" + UUID.randomUUID());
        DeliveryRecord held = DeliveryStateMachine.underFanOut(job, "promise.status_changed", fanOut, NOW);
        DeliveryRecord written = store.settle(held, "dispatcher-1", new DeliveryStateMachine.Outcome.Succeeded(attempt), NOW);
        assertThat(store.settle(held, "dispatcher-1", new DeliveryStateMachine.Outcome.Succeeded(attempt), NOW)).isEqualTo(written);
        assertThat(store.find(job.connectorId(), job.deliveryId())).contains(written);
        assertThat(written.state()).isEqualTo(DeliveryState.SUCCEEDED);

        // a record a job claimed meanwhile is never overwritten by the dispatcher's write
        DeliveryJob taken = job("first-" + UUID.randomUUID());
        DeliveryRecord jobs = ((DeliveryStateMachine.Claim.Taken) store.claim(taken, "promise.status_changed", "a-job", NOW, LEASE))
                .record();
        DeliveryRecord late = DeliveryStateMachine.underFanOut(taken, "promise.status_changed", fanOut, NOW);
        assertThatThrownBy(() -> store.settle(late, "dispatcher-1", new DeliveryStateMachine.Outcome.Succeeded(attempt), NOW))
                .isInstanceOf(DeliveryStateMachine.LeaseLost.class);
        assertThat(store.find(taken.connectorId(), taken.deliveryId())).contains(jobs);
    }

    @Test
    void aFanOutsLeaseIsFreshOnceBusyWhileHeldAndTakenOverOnlyOnceRunOut() {
        FanOutLeases leases = new DynamoDbFanOutLeases(dynamoDb, table);
        String eventId = "evt_" + UUID.randomUUID();
        Instant until = NOW.plusSeconds(900);

        assertThat(leases.take(eventId, FanOut.Position.START, "first", NOW, until))
                .isEqualTo(new FanOutLeases.Taking.Fresh(new FanOutLeases.Lease(eventId, "start", "first", until)));
        assertThat(leases.take(eventId, FanOut.Position.START, "copy", NOW.plusSeconds(899), NOW.plusSeconds(1800)))
                .isEqualTo(new FanOutLeases.Taking.Busy(until));
        // another segment of the same event (a continuation) has a lease of its own
        FanOut.Position later = new FanOut.Position(true, "user-1#c-9");
        assertThat(leases.take(eventId, later, "continuation", NOW, until)).isInstanceOf(FanOutLeases.Taking.Fresh.class);
        // once the holder's time ran out, the next taker knows some deliveries may have been attempted
        Instant afterwards = until.plusMillis(1);
        assertThat(leases.take(eventId, FanOut.Position.START, "next", afterwards, afterwards.plusSeconds(900)))
                .isEqualTo(new FanOutLeases.Taking.TakenOver(new FanOutLeases.Lease(eventId, "start", "next",
                        afterwards.plusSeconds(900))));
        // a take the SDK made again after its first try was applied is ours, but counted as taken over
        assertThat(leases.take(eventId, FanOut.Position.START, "next", afterwards, afterwards.plusSeconds(900)))
                .isInstanceOf(FanOutLeases.Taking.TakenOver.class);
        // and no connector's delivery log lists a lease
        assertThat(store.list(DynamoDbFanOutLeases.PARTITION_PREFIX + eventId, 10, null).items()).isEmpty();
    }

    @Test
    void aRestartKeepsItsEventsFanOutLeaseAsLongAsTheRecordItRevives() throws Exception {
        // GIVEN a finished delivery whose event's lease item is gone (expired by TTL, or from before leases)
        DeliveryJob job = job("restart-" + UUID.randomUUID());
        put(record(job, DeliveryState.FAILED, null, null, new Attempt(1, 1, NOW.minusSeconds(60), 400, 5, "failed", "HTTP 400",
                null, 1L)));
        Instant later = NOW.plus(Duration.ofDays(25));

        // WHEN a manual retry's job (restarting series 1) claims it
        assertThat(store.claim(job.restarting(1), "promise.status_changed", "retry", later, LEASE))
                .isInstanceOf(DeliveryStateMachine.Claim.Taken.class);

        // THEN the event's start cannot be taken Fresh while the record lives: a republished event goes as jobs
        var item = dynamoDb.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of(
                DynamoDbDeliveryStore.CONNECTOR_ID, AttributeValue.fromS(DynamoDbFanOutLeases.PARTITION_PREFIX + job.eventId()),
                DynamoDbDeliveryStore.DELIVERY_ID, AttributeValue.fromS("start")))).item();
        assertThat(Long.parseLong(item.get(DynamoDbDeliveryStore.EXPIRES_AT).n()))
                .isEqualTo(later.plus(FanOutLeases.KEPT_AFTER_WRITE).getEpochSecond());
        assertThat(new DynamoDbFanOutLeases(dynamoDb, table).take(job.eventId(), FanOut.Position.START, "republished",
                later.plusSeconds(60), later.plusSeconds(240))).isInstanceOf(FanOutLeases.Taking.TakenOver.class);
    }

    @Test
    void concurrentDispatchersOfOneEventGetOneFreshLease() throws Exception {
        FanOutLeases leases = new DynamoDbFanOutLeases(dynamoDb, table);
        String eventId = "evt_" + UUID.randomUUID();
        int dispatchers = 12;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<FanOutLeases.Taking>> takings = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(dispatchers)) {
            for (int i = 0; i < dispatchers; i++) {
                String owner = "dispatcher-" + i;
                takings.add(pool.submit(() -> {
                    go.await();
                    return leases.take(eventId, FanOut.Position.START, owner, NOW, NOW.plusSeconds(900));
                }));
            }
            go.countDown();
            Map<String, Integer> kinds = new java.util.TreeMap<>();
            for (var taking : takings) {
                kinds.merge(taking.get().getClass().getSimpleName(), 1, Integer::sum);
            }
            assertThat(kinds).isEqualTo(Map.of("Fresh", 1, "Busy", dispatchers - 1));
        }
    }

    @Test
    void theFilterAlternativeAJobMatchedIsStoredWithTheRecordItCreatesAndKeptThrough() throws Exception {
        // GIVEN a first attempt whose event got through the connector's filter by its second $or alternative
        DeliveryJob job = job("alt-" + UUID.randomUUID()).matching("$or[1]");

        // WHEN it creates the record and settles it
        DeliveryRecord mine = ((DeliveryStateMachine.Claim.Taken) store.claim(job, "promise.status_changed", "me", NOW, LEASE)).record();
        Attempt attempt = new Attempt(1, 1, NOW, 500, 5, "retrying", "HTTP 500", null, 1L);
        store.settle(mine, "me", new DeliveryStateMachine.Outcome.Retry(attempt, NOW.plusSeconds(5)), NOW);

        // THEN the stored record says so, and a later job (which carries no alternative) does not erase it
        assertThat(store.find(job.connectorId(), job.deliveryId()).orElseThrow().matchedAlternative()).isEqualTo("$or[1]");
        DeliveryJob later = new DeliveryJob(job.deliveryId(), job.userId(), job.connectorId(), job.eventId(), job.event(), null,
                null, null);
        DeliveryRecord again = ((DeliveryStateMachine.Claim.Taken) store.claim(later, "promise.status_changed", "next",
                NOW.plusSeconds(6), LEASE)).record();
        assertThat(again.matchedAlternative()).isEqualTo("$or[1]");
        // and a record made by a job without one (a filter with no top-level $or) has none
        DeliveryJob plain = job("alt-" + UUID.randomUUID());
        assertThat(((DeliveryStateMachine.Claim.Taken) store.claim(plain, "promise.status_changed", "me", NOW, LEASE)).record()
                .matchedAlternative()).isNull();
    }

    @Test
    void theReconcilersIndexFindsOverduePendingRecordsOnly() {
        // GIVEN, for one connector, a record pending long overdue, one pending but not yet due, one sending and one done
        String connectorId = "c-" + UUID.randomUUID();
        Instant longAgo = Instant.now().minus(Duration.ofDays(3650));
        Attempt first = new Attempt(1, 1, longAgo, 500, 10, "retrying", "HTTP 500", null, 1L);
        DeliveryJob overdue = job(connectorId, "evt_overdue");
        DeliveryJob notDue = job(connectorId, "evt_not_due");
        DeliveryJob sending = job(connectorId, "evt_sending");
        DeliveryJob done = job(connectorId, "evt_done");
        put(record(overdue, DeliveryState.PENDING, longAgo, null, first));
        put(record(notDue, DeliveryState.PENDING, Instant.now().plus(Duration.ofDays(1)), null, first));
        put(record(sending, DeliveryState.SENDING, null, new DeliveryRecord.Lease("w", longAgo), first));
        put(record(done, DeliveryState.SUCCEEDED, null, null, first));

        // WHEN the overdue ones are asked for
        List<DeliveryStore.Overdue> found = Collections.synchronizedList(new ArrayList<>());
        store.forEachOverdue(longAgo.plusSeconds(1), found::add);

        // THEN only the pending record past its due time is found, with what a job needs
        assertThat(found).filteredOn(o -> o.connectorId().equals(connectorId)).singleElement().satisfies(o -> {
            assertThat(o.deliveryId()).isEqualTo(overdue.deliveryId());
            assertThat(o.eventId()).isEqualTo("evt_overdue");
            assertThat(o.userId()).isEqualTo(overdue.userId());
        });
    }

    @Test
    void aRequeuedRecordIsDueNowAndOnlyTheOverdueRecordSeenIsRequeued() {
        // GIVEN an overdue pending record, and the index's view of it plus two stale views
        String connectorId = "c-" + UUID.randomUUID();
        Instant longAgo = Instant.now().minus(Duration.ofDays(3650)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Attempt first = new Attempt(1, 1, longAgo, 500, 10, "retrying", "HTTP 500", null, 1L);
        DeliveryJob overdue = job(connectorId, "evt_requeue");
        DeliveryJob sending = job(connectorId, "evt_requeue_sending");
        put(record(overdue, DeliveryState.PENDING, longAgo, null, first));
        put(record(sending, DeliveryState.SENDING, null, new DeliveryRecord.Lease("w", longAgo), first));
        DeliveryStore.Overdue seen = new DeliveryStore.Overdue(connectorId, overdue.deliveryId(), overdue.userId(),
                overdue.eventId(), longAgo);

        // WHEN the reconciler requeues it, and then a pass reading a stale index tries again, and one
        // tries a record taken since the index showed it
        boolean requeued = store.requeue(seen, NOW);
        boolean again = store.requeue(seen, NOW.plusSeconds(300));
        boolean taken = store.requeue(new DeliveryStore.Overdue(connectorId, sending.deliveryId(), sending.userId(),
                sending.eventId(), longAgo), NOW);

        // THEN only the first write is made: the record is pending, due when its job was put back
        assertThat(requeued).isTrue();
        assertThat(again).isFalse();
        assertThat(taken).isFalse();
        assertThat(store.find(connectorId, overdue.deliveryId())).get().satisfies(r -> {
            assertThat(r.state()).isEqualTo(DeliveryState.PENDING);
            assertThat(r.dueAt()).isEqualTo(NOW);
            assertThat(r.attempts()).hasSize(1);
        });
        assertThat(store.find(connectorId, sending.deliveryId())).get().extracting(DeliveryRecord::state)
                .isEqualTo(DeliveryState.SENDING);
    }

    @Test
    void aConnectorsLogListsNewestEventFirstAndLeavesItsDestinationStateOut() {
        String connectorId = "c-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            DeliveryJob job = job(connectorId, "evt_list_" + i, Instant.parse("2026-11-20T14:00:00Z").plusSeconds(i));
            store.claim(job, "promise.status_changed", "me", NOW, LEASE);
        }
        destinations.failingSince(connectorId, NOW);

        var page = store.list(connectorId, 10, null);

        assertThat(page.items()).extracting(DeliveryRecord::eventId).containsExactly("evt_list_2", "evt_list_1", "evt_list_0");
    }

    @Test
    void anItemTheLogCannotReadDoesNotHideTheOthers() {
        // GIVEN a connector's partition holding, beside a record, an item that is not one (no status)
        String connectorId = "c-" + UUID.randomUUID();
        DeliveryJob job = job(connectorId, "evt_readable");
        store.claim(job, "promise.status_changed", "me", NOW, LEASE);
        dynamoDb.putItem(r -> r.tableName(table).item(Map.of("connectorId", AttributeValue.fromS(connectorId),
                "deliveryId", AttributeValue.fromS("dlv_ffffffffffff00000000000000000000"),
                "leaseUntil", AttributeValue.fromN("1"))));

        // WHEN the log is listed, THEN it shows the record it can read (and logs the other) instead of failing
        assertThat(store.list(connectorId, 10, null).items()).extracting(DeliveryRecord::eventId).containsExactly("evt_readable");
    }

    @Test
    void aRecordWrittenBeforeTheStateMachineIsStillRead() {
        // GIVEN an item in the former layout (status pending, attemptsInSeries, an ISO nextAttemptAt, long attempt fields)
        String connectorId = "c-" + UUID.randomUUID();
        Map<String, AttributeValue> former = new java.util.HashMap<>();
        former.put("connectorId", AttributeValue.fromS(connectorId));
        former.put("deliveryId", AttributeValue.fromS("dlv_0123456789abcdef0123456789abcdef"));
        former.put("userId", AttributeValue.fromS("user-1"));
        former.put("eventId", AttributeValue.fromS("evt_former"));
        former.put("eventType", AttributeValue.fromS("promise.status_changed"));
        former.put("status", AttributeValue.fromS("pending"));
        former.put("series", AttributeValue.fromN("1"));
        former.put("attemptsInSeries", AttributeValue.fromN("1"));
        former.put("attempts", AttributeValue.fromS("[{\"number\":1,\"at\":\"2026-03-01T09:00:00Z\",\"statusCode\":500,"
                + "\"latencyMs\":12,\"outcome\":\"retrying\",\"error\":\"HTTP 500\"}]"));
        former.put("nextAttemptAt", AttributeValue.fromS("2026-03-01T09:05:00Z"));
        former.put("createdAt", AttributeValue.fromS("2026-03-01T09:00:00Z"));
        former.put("updatedAt", AttributeValue.fromS("2026-03-01T09:00:00Z"));
        dynamoDb.putItem(r -> r.tableName(table).item(former));

        DeliveryRecord read = store.find(connectorId, "dlv_0123456789abcdef0123456789abcdef").orElseThrow();

        assertThat(read.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(read.dueAt()).isEqualTo(Instant.parse("2026-03-01T09:05:00Z"));
        assertThat(read.attempts()).singleElement().satisfies(a -> {
            assertThat(a.series()).isEqualTo(1);
            assertThat(a.statusCode()).isEqualTo(500);
        });
        // and its job claims it like any pending record
        DeliveryJob job = new DeliveryJob("dlv_0123456789abcdef0123456789abcdef", "user-1", connectorId, "evt_former",
                event("evt_former", Instant.parse("2026-03-01T08:59:00Z")), null, null, null);
        assertThat(store.claim(job, "promise.status_changed", "me", NOW, LEASE)).isInstanceOf(DeliveryStateMachine.Claim.Taken.class);
    }

    @Test
    void concurrentBookingsNeverHandOutASlotTheyDidNotWrite() throws Exception {
        // GIVEN sixty workers booking slots of one destination at the same moment (the defect: after
        // twenty lost compare-and-sets a slot five intervals away was handed out unwritten)
        String connectorId = "c-" + UUID.randomUUID();
        Duration spacing = Duration.ofMillis(1100);
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<DestinationStore.Booking>> bookings = new ArrayList<>();
        try (ExecutorService workers = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 60; i++) {
                bookings.add(workers.submit(() -> {
                    go.await();
                    return destinations.book(connectorId, spacing, now, Duration.ofMinutes(10));
                }));
            }
            go.countDown();

            // THEN every worker got a slot of its own, spacing apart, the first now, and the destination's
            // next free slot is the one after the last handed out: every slot handed out was written
            List<Instant> slots = new ArrayList<>();
            for (var booking : bookings) {
                assertThat(booking.get()).isInstanceOf(DestinationStore.Booking.Booked.class);
                slots.add(((DestinationStore.Booking.Booked) booking.get()).slot());
            }
            Collections.sort(slots);
            assertThat(slots).doesNotHaveDuplicates().first().isEqualTo(now);
            for (int i = 1; i < slots.size(); i++) {
                assertThat(Duration.between(slots.get(i - 1), slots.get(i))).isEqualTo(spacing);
            }
            assertThat(destinations.book(connectorId, spacing, now, Duration.ofMinutes(10)))
                    .isEqualTo(new DestinationStore.Booking.Booked(slots.get(59).plus(spacing), DestinationStore.DestinationState.NONE));
        }
    }

    @Test
    void bookingNeverGoesPastTheHorizonOrIntoAPause() {
        String connectorId = "c-" + UUID.randomUUID();
        Duration spacing = Duration.ofSeconds(1);
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        for (int i = 0; i < 5; i++) {
            destinations.book(connectorId, spacing, now, Duration.ofSeconds(5));
        }

        // the sixth slot would be 5 s ahead: at the horizon, so nothing is booked
        assertThat(destinations.book(connectorId, spacing, now, Duration.ofSeconds(5)))
                .isEqualTo(new DestinationStore.Booking.Full(now.plusSeconds(5), DestinationStore.DestinationState.NONE));

        // a pause holds every booking, and is never shortened by a shorter one
        destinations.pauseUntil(connectorId, now.plusSeconds(60));
        destinations.pauseUntil(connectorId, now.plusSeconds(30));
        assertThat(destinations.book(connectorId, spacing, now.plusSeconds(10), Duration.ofMinutes(10)))
                .isInstanceOfSatisfying(DestinationStore.Booking.Paused.class,
                        paused -> assertThat(paused.state().pausedUntil()).isEqualTo(now.plusSeconds(60)));
    }

    // ------------------------------------------------------------------ helpers

    private static void put(DeliveryRecord record) {
        dynamoDb.putItem(r -> r.tableName(table).item(DynamoDbDeliveryStore.toItem(record)));
    }

    private static String verdict(DeliveryStateMachine.Claim claim) {
        return switch (claim) {
            case DeliveryStateMachine.Claim.Taken t -> "Taken " + t.record().state() + " series " + t.record().series();
            case DeliveryStateMachine.Claim.NotDue n -> "NotDue " + n.dueAt();
            case DeliveryStateMachine.Claim.Busy b -> "Busy " + b.until();
            case DeliveryStateMachine.Claim.Finished f -> "Finished " + f.state();
        };
    }

    private static DeliveryRecord record(DeliveryJob job, DeliveryState state, Instant dueAt, DeliveryRecord.Lease lease,
                                         Attempt attempt) {
        return new DeliveryRecord(job.connectorId(), job.deliveryId(), job.userId(), job.eventId(), "promise.status_changed",
                state, attempt.series(), 1, dueAt, lease, List.of(attempt), NOW.minusSeconds(600), NOW.minusSeconds(60), null);
    }

    private static DeliveryJob job(String connectorId) {
        return job(connectorId, "evt_" + UUID.randomUUID());
    }

    private static DeliveryJob job(String connectorId, String eventId) {
        return job(connectorId, eventId, Instant.parse("2026-11-20T14:00:00Z"));
    }

    private static DeliveryJob job(String connectorId, String eventId, Instant occurredAt) {
        return DeliveryJob.of(event(eventId, occurredAt), "user-1", connectorId);
    }

    private static Event event(String eventId, Instant occurredAt) {
        var envelope = PipelineStack.envelope(PipelineStack.TYPE, "tech-product", null);
        envelope.put("id", eventId);
        envelope.put("occurredAt", occurredAt.toString());
        try {
            return EventParser.standard().parse(Json.write(envelope));
        } catch (app.connectors.event.InvalidEventException e) {
            throw new AssertionError(e);
        }
    }
}
