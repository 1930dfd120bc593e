package app.connectors.transform;

import static app.connectors.transform.HostileTable.handler;
import static app.connectors.transform.SeedScripts.examplePayload;
import static app.connectors.transform.SeedScripts.json;
import static app.connectors.transform.SeedScripts.source;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.testing.CpuOnlyRunClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile table against the engine itself, and the guarantees that need the engine's insides
 * to observe: the realm after every hostile run is the realm before it (walked property by property),
 * two tenants running at once cannot see each other, memory is capped, and no thread spins on.
 */
class TransformHostileScriptsTest {

    private static final String URL = "https://destination.example.com/hook";
    /** One worker: every run, hostile or probe, happens in the same sandbox, the strongest place to look for leftovers. */
    /** One sandbox for the whole table, judged by CPU time alone: each script must end as its own doing, whatever the machine's load. */
    private static final TransformationEngine ONE_SANDBOX = new TransformationEngine(TransformLimits.defaults().withMaxConcurrentRuns(1),
            new CpuOnlyRunClock());
    private static final Duration PROBE_BUDGET = Duration.ofSeconds(20);
    private static JsonNode pristine;

    @BeforeAll
    static void fingerprintThePristineRealm() {
        pristine = fingerprint(ONE_SANDBOX);
    }

    static String fingerprintScript() {
        try (InputStream in = TransformHostileScriptsTest.class.getResourceAsStream("/transform/realm-fingerprint.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode fingerprint(TransformationEngine engine) {
        return TransformSeedVectorsTest.success(engine.run(fingerprintScript(), Webhook.post(URL, "x", json("{}")), PROBE_BUDGET)).payload();
    }

    static Stream<Arguments> hostile() {
        return HostileTable.all().stream().map(Arguments::of);
    }

    @Test
    void theTableCoversEveryClassWithAtLeast80Scripts() {
        assertThat(HostileTable.all()).hasSizeGreaterThanOrEqualTo(80);
        assertThat(HostileTable.all().stream().map(HostileTable.Hostile::group).distinct()).hasSizeGreaterThanOrEqualTo(11);
        assertThat(pristine.path("count").asInt()).as("the walk reaches the realm").isGreaterThan(1000);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileScriptHoldsAndLeavesTheRealmAsItFoundIt(HostileTable.Hostile hostile) {
        // GIVEN the hostile transformation, in the same sandbox every later run uses
        Webhook input = Webhook.post(URL, "invoice.created", json("{\"amount\":1,\"data\":{\"secret\":\"tenant-b\"}}"));

        // WHEN it runs (again, as a delivery would, if a loaded host could not give it its time)
        TransformOutcome outcome = ONE_SANDBOX.run(hostile.code(), input);
        for (int shed = 0; shed < 3 && outcome instanceof TransformOutcome.Unavailable; shed++) {
            outcome = ONE_SANDBOX.run(hostile.code(), input);
        }

        // THEN it ends as expected, promptly, speaking JavaScript
        if (!hostile.mayPass()) {
            assertThat(outcome).as("%s", hostile).isInstanceOf(TransformOutcome.Failure.class);
        }
        if (outcome instanceof TransformOutcome.Failure failure) {
            assertThat(hostile.endsWith(failure.kind())).as("%s ended with %s: %s", hostile, failure.kind(), failure.message()).isTrue();
            assertThat(failure.message()).isNotBlank();
            HostileTable.HOST_WORDS.forEach(word -> assertThat(failure.message()).as("%s", hostile).doesNotContain(word));
        }
        // AND the next run, in the same sandbox, finds the built-ins untouched
        assertThat(TransformSeedVectorsTest.success(ONE_SANDBOX.run(CANARY, Webhook.post(URL, "x", json("{}")))).payload())
                .as("canary after %s", hostile).isEqualTo(json(CANARY_RESULT));
    }

    /** A cheap look at what the poisoners go for; the full walk runs once after the whole table. */
    private static final String CANARY = handler("const seen = []; for (const x of [1, 2]) seen.push(x);"
            + " webhook.payload = { seen, spread: [...'ab'].join(), json: JSON.stringify({ a: [1] }), polluted: typeof ({}).polluted,"
            + " stash: typeof globalThis.stash, entries: Object.entries({ k: 'v' }).map(([k, v]) => k + v).join(),"
            + " map: new Map([[1, 2]]).get(1), date: new Date(0).toISOString(), call: Math.max.call(null, 1, 2),"
            + " iso: typeof Symbol.for('connectors.leak') };");
    private static final String CANARY_RESULT = "{\"seen\":[1,2],\"spread\":\"a,b\",\"json\":\"{\\\"a\\\":[1]}\",\"polluted\":\"undefined\","
            + "\"stash\":\"undefined\",\"entries\":\"kv\",\"map\":2,\"date\":\"1970-01-01T00:00:00.000Z\",\"call\":2,\"iso\":\"symbol\"}";

    @Test
    void afterTheWholeTableTheRealmIsAsItWasPropertyByProperty() {
        // GIVEN one sandbox that has run every hostile script in turn
        for (HostileTable.Hostile hostile : HostileTable.all()) {
            ONE_SANDBOX.run(hostile.code(), Webhook.post(URL, "x", json("{\"data\":{\"k\":\"v\"}}")));
        }

        // WHEN everything reachable from the global object is walked
        // THEN every property, attribute, prototype and function source is as in a pristine realm
        assertThat(fingerprint(ONE_SANDBOX)).isEqualTo(pristine);
    }

    @Test
    void twoTenantsRunningConcurrentlyCannotObserveEachOther() throws Exception {
        // GIVEN tenant A, whose transformation wraps Array iteration to stash what it iterates and
        // returns the stash, and tenant B, an ordinary for-of over its event data
        String a = HostileTable.all().get(0).code();
        String b = "function handler(w) { const out = []; for (let e of Object.entries(w.payload.data)) out.push(e[0] + '=' + e[1]);"
                + " w.payload = { lines: out }; return w; }";
        TransformationEngine engine = new TransformationEngine();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            // WHEN both run 200 times each, interleaved and at once
            List<Future<TransformOutcome>> as = new ArrayList<>();
            List<Future<TransformOutcome>> bs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                as.add(callers.submit(() -> engine.run(a, Webhook.post(URL, "x", json("{\"data\":{\"mine\":\"a\"}}")))));
                bs.add(callers.submit(() -> engine.run(b, Webhook.post(URL, "x", json("{\"data\":{\"secret\":\"b-" + n + "\"}}")))));
            }
            // THEN A never sees B's data, and B's for-of is never affected
            for (int i = 0; i < 200; i++) {
                JsonNode aPayload = TransformSeedVectorsTest.success(as.get(i).get()).payload();
                assertThat(aPayload.toString()).doesNotContain("b-");
                assertThat(TransformSeedVectorsTest.success(bs.get(i).get()).payload()).isEqualTo(json("{\"lines\":[\"secret=b-" + i + "\"]}"));
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aRunCannotUseMoreMemoryThanItsCap() {
        // GIVEN an 8 MiB cap, and a script that takes 1 MiB buffers until refused, catching the refusal
        TransformationEngine engine = new TransformationEngine(TransformLimits.defaults().withMaxMemoryBytes(8L << 20)
                .withCpuTime(Duration.ofSeconds(5)));
        String code = handler("const keep = []; try { for (;;) keep.push(new Uint8Array(1 << 20)); } catch (e) {}"
                + " webhook.payload = { mib: keep.length };");

        // WHEN it runs
        TransformOutcome outcome = engine.run(code, Webhook.post(URL, "x", json("{}")));

        // THEN it got fewer than 8 buffers (the runtime's own state lives in the same 8 MiB), and the run still ended
        if (outcome instanceof TransformOutcome.Success success) {
            assertThat(success.webhook().payload().path("mib").asInt()).isBetween(1, 7);
        } else {
            assertThat(((TransformOutcome.Failure) outcome).kind()).isEqualTo(FailureKind.MEMORY_LIMIT);
        }
    }

    @Test
    void twentyConcurrentMemoryBombsLeaveACanarySeedRunHealthy() throws Exception {
        // GIVEN the default engine, 20 memory bombs started at once, and a canary seed example after them
        TransformationEngine engine = new TransformationEngine();
        String bomb = handler("const keep = []; for (;;) { try { keep.push(new Array(1e5).fill(keep.length)); } catch (e) {} }");
        String slack = source("slack");
        engine.run(slack, Webhook.post(URL, "invoice.created", examplePayload(slack)));
        ExecutorService callers = Executors.newFixedThreadPool(21);
        try {
            List<Future<TransformOutcome>> bombs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                bombs.add(callers.submit(() -> engine.run(bomb, Webhook.post(URL, "x", json("{}")))));
            }
            // WHEN the canary runs among them
            TransformOutcome canary = callers.submit(() -> engine.run(slack, Webhook.post(URL, "invoice.created", examplePayload(slack)))).get();
            if (canary instanceof TransformOutcome.Unavailable) {
                // On a host too loaded to start it in time, the canary is shed, not failed: a delivery retries it.
                canary = engine.run(slack, Webhook.post(URL, "invoice.created", examplePayload(slack)));
            }

            // THEN the canary succeeds (within its own CPU budget: it was not cut), every bomb ends at a limit
            // (or is shed by a host too loaded to give it its time), and nothing threw OutOfMemoryError (it would
            // have failed a run outside the sandbox, or this test)
            assertThat(TransformSeedVectorsTest.success(canary).payload().path("text").asText())
                    .isEqualTo("💰 New invoice for $99.99 from John Doe");
            for (Future<TransformOutcome> f : bombs) {
                TransformOutcome bombed = f.get();
                if (!(bombed instanceof TransformOutcome.Unavailable)) {
                    assertThat(((TransformOutcome.Failure) bombed).kind()).isIn(FailureKind.MEMORY_LIMIT, FailureKind.CPU_LIMIT);
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void noThreadIsLeftSpinningAfterARunIsStopped() throws Exception {
        // GIVEN runs stopped inside a built-in, a regular expression and a getter (for their CPU, whatever the load)
        TransformationEngine engine = new TransformationEngine(TransformLimits.defaults(), new CpuOnlyRunClock());
        for (String body : List.of("Array.prototype.lastIndexOf.call({ length: 2 ** 53 - 1 }, 1)",
                "/(a+)+b/.test('a'.repeat(40) + 'c')", "webhook.payload = { get x() { for (;;) {} } };")) {
            assertThat(((TransformOutcome.Failure) engine.run(handler(body), Webhook.post(URL, "x", json("{}")))).kind())
                    .isEqualTo(FailureKind.CPU_LIMIT);
        }

        // WHEN the sandbox's threads are watched for a while afterwards
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = sandboxCpu(threads);
        // (the runs' own CPU is on the sandbox's threads: without it, the name filter found nothing to watch)
        assertThat(before).as("CPU of the sandbox's worker threads, found by name").isPositive();
        Thread.sleep(300);
        long after = sandboxCpu(threads);

        // THEN they used (next to) no CPU: nothing kept running after its run was stopped
        assertThat(Duration.ofNanos(after - before)).isLessThan(Duration.ofMillis(30));
    }

    private static long sandboxCpu(ThreadMXBean threads) {
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("transformation-") && !thread.getName().equals("transformation-watchdog")) {
                long cpu = threads.getThreadCpuTime(thread.threadId());
                total += Math.max(0, cpu);
            }
        }
        return total;
    }

    @Test
    void invalidRegularExpressionLiteralsAreSyntaxErrorsWithLineAndColumn() {
        // GIVEN code with a malformed literal on line 3, column 13
        String code = "function handler(webhook) {\n  const ok = /a+/g;\n  const bad = /x{2,1}/;\n  return webhook;\n}";

        // WHEN it is checked and run
        SourceProblem problem = ONE_SANDBOX.check(code).orElseThrow();
        TransformOutcome.Failure failure = (TransformOutcome.Failure) ONE_SANDBOX.run(code, Webhook.post(URL, "x", json("{}")));

        // THEN both name the literal's position
        assertThat(problem.kind()).isEqualTo(FailureKind.SYNTAX);
        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.column()).isEqualTo(15);
        assertThat(failure.line()).isEqualTo(3);
        assertThat(failure.column()).isEqualTo(15);
        assertThat(problem.message()).contains("SyntaxError");
    }

    @Test
    void cpuLimitStopsAnInfiniteLoop() {
        // WHEN a script loops forever under the default 50 ms CPU budget
        TransformOutcome outcome = ONE_SANDBOX.run(handler("while (true) {}"), Webhook.post(URL, "x", json("{}")));

        // THEN it is stopped with CPU_LIMIT, not before its budget was spent (CPU time never exceeds wall time)
        assertThat(((TransformOutcome.Failure) outcome).kind()).isEqualTo(FailureKind.CPU_LIMIT);
        assertThat(outcome.took()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void sourceNestedTooDeeplyToCompileIsAStackLimitNotAHostError() {
        // GIVEN a CPU budget large enough that the compiler's recursion, not time, is what ends it
        TransformationEngine engine = new TransformationEngine(TransformLimits.defaults().withCpuTime(Duration.ofSeconds(60)));
        String code = "const x = " + "[".repeat(20000) + "]".repeat(20000) + ";\n" + handler("");

        // WHEN it is checked and run
        SourceProblem problem = engine.check(code).orElseThrow();
        TransformOutcome outcome = engine.run(code, Webhook.post(URL, "x", json("{}")));

        // THEN both answer with a limit (the WebAssembly runtime refused the depth), never by throwing
        assertThat(problem.kind()).isIn(FailureKind.STACK_LIMIT, FailureKind.SYNTAX);
        assertThat(((TransformOutcome.Failure) outcome).kind()).isIn(FailureKind.STACK_LIMIT, FailureKind.SYNTAX);
    }

    @Test
    void consoleLinesWrittenBeforeAFailureAreKept() {
        TransformOutcome outcome = ONE_SANDBOX.run(handler("console.log('starting', { id: 7 }); while (true) {}"),
                Webhook.post(URL, "x", json("{}")));

        assertThat(outcome.console()).containsExactly("starting {\"id\":7}");
    }

    @Test
    void scriptErrorReportsTheLineOfTheThrow() {
        TransformOutcome.Failure failure = (TransformOutcome.Failure) ONE_SANDBOX.run(
                "function handler(webhook) {\n  var x = 1;\n  throw new Error('boom');\n}", Webhook.post(URL, "x", json("{}")));

        assertThat(failure.kind()).isEqualTo(FailureKind.SCRIPT_ERROR);
        assertThat(failure.message()).isEqualTo("Error: boom");
        assertThat(failure.line()).isEqualTo(3);
    }
}
