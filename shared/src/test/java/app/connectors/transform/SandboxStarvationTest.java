package app.connectors.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.json.Json;
import app.connectors.problem.ServiceUnavailableException;
import app.connectors.testing.CpuOnlyRunClock;
import app.connectors.testing.ManualRunClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A run is blamed only for CPU time it used itself. Wall time lost to the host (other runs on the
 * same cores, a GC pause, a descheduled worker) ends the run, or keeps it from starting, as
 * {@link TransformOutcome.Unavailable}: retried, never a failure of the script. The clocks are
 * the test's own ({@link ManualRunClock}): the host stalls exactly when the test says.
 */
class SandboxStarvationTest {

    private static final Webhook INPUT = Webhook.post("https://destination.example.com/hook", "invoice.created",
            Json.object().put("amount", 1));
    private static final String SPINS = HostileTable.handler("for (;;) {}");

    @Test
    void aRunTheHostKeepsOffTheCpuPastTheBackstopIsUnavailableNotTheScriptsFault() throws Exception {
        // GIVEN an engine whose clocks stand still, and a host that stalls 2 s (twice the 1 s backstop)
        // whenever the watchdog looks at the run, while the run's own CPU clock does not move
        ManualRunClock clock = new ManualRunClock();
        TransformationEngine engine = started(new TransformationEngine(TransformLimits.defaults(), clock));
        clock.stallWhileWatched(Duration.ofSeconds(2));

        // WHEN a run is in progress during the stall
        TransformOutcome outcome = engine.run(SPINS, INPUT);

        // THEN it is ended as the host's fault, saying why, not as a CPU_LIMIT of the script
        assertThat(outcome).as("%s", outcome).isInstanceOfSatisfying(TransformOutcome.Unavailable.class,
                u -> assertThat(u.reason()).contains("off the CPU").contains("0 ms of CPU time"));
    }

    @Test
    void aRunThatWaitedForAWorkerBeyondTheBoundIsNotStarted() throws Exception {
        // GIVEN a one-worker engine whose only worker is busy with a run in progress
        ManualRunClock clock = new ManualRunClock();
        TransformationEngine engine = started(new TransformationEngine(TransformLimits.defaults().withMaxConcurrentRuns(1), clock));
        CompletableFuture<TransformOutcome> busy = CompletableFuture.supplyAsync(() -> engine.run(SPINS, INPUT));
        clock.awaitWatchedRun();
        CompletableFuture<TransformOutcome> queued = new CompletableFuture<>();
        Thread waiting = Thread.ofPlatform().start(() -> queued.complete(engine.run(
                HostileTable.handler("webhook.payload = { ran: true };"), INPUT)));
        clock.awaitWallReadBy(waiting);

        // WHEN the host stalls 2 s while the second run waits in the queue (the first is ended by its backstop)
        clock.advance(Duration.ofSeconds(2));

        // THEN the waiting run is not started: it waited longer than the 1 s bound, and is unavailable
        assertThat(busy.get()).as("the run that held the worker").isInstanceOf(TransformOutcome.Unavailable.class);
        assertThat(queued.get()).as("the run that waited").isInstanceOfSatisfying(TransformOutcome.Unavailable.class,
                u -> assertThat(u.reason()).contains("waited 2000 ms for a worker"));
    }

    @Test
    void aCheckAtSaveTheHostCouldNotRunIsServiceUnavailableNotAProblemWithTheCode() {
        // GIVEN an engine whose host stalls 2 s whenever the watchdog looks at a run in progress
        ManualRunClock clock = new ManualRunClock();
        TransformationEngine engine = started(new TransformationEngine(TransformLimits.defaults(), clock));
        clock.stallWhileWatched(Duration.ofSeconds(2));

        // WHEN code whose top level spins is checked
        // THEN the save is answered 503 (try again), not refused as the code's fault
        assertThatThrownBy(() -> engine.check("for (;;) {}\nfunction handler(webhook) { return webhook; }"))
                .isInstanceOfSatisfying(ServiceUnavailableException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("could not be checked now").contains("Try again");
                });
    }

    @Test
    void aRunThatUsesItsCpuIsStillTheScriptsFault() {
        // GIVEN the CPU clock (a loaded machine does not change what a thread spends)
        TransformationEngine engine = new TransformationEngine(TransformLimits.defaults(), new CpuOnlyRunClock());

        // WHEN a script spins
        TransformOutcome outcome = engine.run(SPINS, INPUT);

        // THEN it is stopped for its own CPU time
        assertThat(outcome).as("%s", outcome).isInstanceOfSatisfying(TransformOutcome.Failure.class,
                f -> assertThat(f.kind()).isEqualTo(FailureKind.CPU_LIMIT));
    }

    @Test
    void theWatchdogKeepsLimitingRunsAfterACheckThrowsAnError() {
        // GIVEN the CPU clock, except that the watchdog's first look at a run fails with an Error
        AtomicInteger failures = new AtomicInteger();
        RunClock cpu = new CpuOnlyRunClock();
        RunClock failingOnce = new RunClock() {
            @Override
            public long wallNanos() {
                return cpu.wallNanos();
            }

            @Override
            public long cpuNanos(Thread thread) {
                if (thread != Thread.currentThread() && failures.getAndIncrement() == 0) {
                    throw new InternalError("the clock failed");
                }
                return cpu.cpuNanos(thread);
            }
        };
        TransformationEngine engine = new TransformationEngine(TransformLimits.defaults(), failingOnce);

        // WHEN a script spins
        TransformOutcome outcome = engine.run(SPINS, INPUT);

        // THEN the Error did not end CPU limiting: the run is still stopped for its CPU, and the watchdog lives
        assertThat(failures.get()).as("watchdog checks, the first of which threw").isGreaterThan(1);
        assertThat(outcome).as("%s", outcome).isInstanceOfSatisfying(TransformOutcome.Failure.class,
                f -> assertThat(f.kind()).isEqualTo(FailureKind.CPU_LIMIT));
        assertThat(engine.watchdogTicking()).isTrue();
    }

    /** The engine with its sandbox built (and its warm-up runs over), so that only the test's runs see the clocks move. */
    private static TransformationEngine started(TransformationEngine engine) {
        assertThat(engine.run(HostileTable.handler(""), INPUT)).isInstanceOf(TransformOutcome.Success.class);
        return engine;
    }
}
