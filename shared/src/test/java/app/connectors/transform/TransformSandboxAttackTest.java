package app.connectors.transform;

import static app.connectors.transform.HostileTable.handler;
import static app.connectors.transform.SeedScripts.json;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.event.EventCatalog;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the sandbox beyond the hostile table, each one a guarantee of README's sandbox section
 * or of ADR 0010 that does not hold yet. Every test here fails on the code it was written against.
 */
class TransformSandboxAttackTest {

    private static final String URL = "https://destination.example.com/hook";
    private static final TransformationEngine ENGINE = new TransformationEngine();

    private static Webhook input() {
        return Webhook.post(URL, "invoice.created", json("{\"amount\":1,\"data\":{\"k\":\"v\"}}"));
    }

    // ---- memory: what outlives a run on the host ----------------------------------------------

    /**
     * A regular-expression literal such as {@code /\\p{L}/iu} is 9 characters of source and ~7.5 KB of
     * compiled bytecode (QuickJS expands the Unicode class at compile time). Every distinct source a
     * tenant saves or dry-runs is cached; bounded by count alone, 160 such 2.5 KB sources kept ~230 MB
     * on the host after every run had ended. The cache is bounded by bytes too, and those bytes are
     * part of the stated memory budget.
     */
    @Test
    void compiledCodeKeptAfterRunsEndIsBoundedLikeTheRunsThemselves() {
        // GIVEN the default engine, with time enough to compile such sources (compiling is charged to the run's CPU budget)
        TransformationEngine engine = new TransformationEngine(TransformLimits.defaults().withCpuTime(java.time.Duration.ofSeconds(5)));
        TransformLimits limits = engine.limits();

        // WHEN a tenant saves more regex-heavy sources than the cache's bytes can hold
        int saved = 0;
        for (int i = 0; i < 12; i++) {
            if (engine.check(regexHeavySource(i, 250)).isEmpty()) {
                saved++;
            }
        }

        // THEN the compiled code kept stays within the cache's bound, which the stated budget counts
        assertThat(saved).as("sources that passed check").isEqualTo(12);
        assertThat(engine.compiledBytesKept()).as("compiled bytes kept after %d sources", saved)
                .isPositive().isLessThanOrEqualTo(limits.compiledCacheBytes());
        assertThat(limits.memoryBudget()).isEqualTo(limits.maxConcurrentRuns()
                * (limits.maxMemoryBytes() + (long) TransformLimits.RESULT_EXPANSION * limits.maxOutputBytes()) + limits.compiledCacheBytes());
    }

    /**
     * The host reads a run's result (at most 256 KB of JSON) as a tree of objects, which for empty
     * nested arrays or objects is 40-48 times its text: 10 concurrent runs could hold ~120 MiB that
     * way. The stated budget counts it; here the costliest shapes found are held to that count.
     */
    @Test
    void theHostsCopyOfAResultStaysWithinWhatTheBudgetCounts() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (String unit : new String[] {"0,", "{},", "[],", "\"\",", "{\"a\":{}},", "{\"\":{}},", "{\"a\":[]},", "[[]],", "[{}],", "{\"\":{\"\":{}}},", "[[{}]],", "[[[[[[[[[[]]]]]]]]]],"}) {
            StringBuilder json = new StringBuilder("{\"payload\":[");
            while (json.length() < TransformLimits.defaults().maxOutputBytes() - 16) {
                json.append(unit);
            }
            json.setLength(json.length() - 1);
            String text = json.append("]}").toString();
            app.connectors.json.Json.parse(text);
            long before = threads.getCurrentThreadAllocatedBytes();
            Object tree = app.connectors.json.Json.parse(text);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            java.lang.ref.Reference.reachabilityFence(tree);

            assertThat(allocated).as("host bytes for %d bytes of %s", text.length(), unit)
                    .isLessThanOrEqualTo((long) TransformLimits.RESULT_EXPANSION * text.length());
        }
    }

    /** The same bound, on the cache itself: least recently used out, by bytes as well as by count. */
    @Test
    void theCompiledScriptCacheEvictsByBytes() {
        CompiledScriptCache cache = new CompiledScriptCache(100, 10_000);
        for (int i = 0; i < 10; i++) {
            cache.get("source " + i, s -> new CompiledScriptCache.Compiled(new byte[3_000], null));
        }
        assertThat(cache.bytes()).isLessThanOrEqualTo(10_000);
        assertThat(cache.size()).isEqualTo(3);

        // an entry larger than the whole cache is compiled each time, never kept
        cache.get("huge", s -> new CompiledScriptCache.Compiled(new byte[20_000], null));
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.bytes()).isLessThanOrEqualTo(10_000);
    }

    static String regexHeavySource(int id, int literals) {
        StringBuilder code = new StringBuilder("const patterns").append(id).append(" = [");
        for (int i = 0; i < literals; i++) {
            code.append(i == 0 ? "" : ",").append("/\\p{L}/iu");
        }
        return code.append("];\nfunction handler(webhook) { return webhook; }\n").toString();
    }

    // ---- strings the sandbox cannot hand over -------------------------------------------------

    /**
     * {@code text.slice(0, n)} through an emoji leaves half a surrogate pair: ordinary code that
     * shortens a message for a log line. The console "never throws" (prelude), yet the bridge's
     * UTF-8 conversion throws and the whole delivery fails, with a position in the prelude (line 19)
     * and the runtime's own words.
     */
    @Test
    void consoleLogOfTextCutInsideAnEmojiIsLoggedNotFatal() {
        // GIVEN a handler that logs the first character of a text starting with an emoji
        String code = handler("const text = '\uD83D\uDCB0 New invoice';\nconsole.log(text.slice(0, 1));\nwebhook.payload = { ok: true };");

        // WHEN it runs
        TransformOutcome outcome = ENGINE.run(code, input());

        // THEN the run succeeds and the line is logged (the half character replaced, as the payload's is)
        assertThat(outcome).as("%s", outcome).isInstanceOf(TransformOutcome.Success.class);
        assertThat(outcome.console()).hasSize(1);
    }

    /** The same half character as a payload value is sent (replaced); as a key it fails the run as "not valid JSON". */
    @Test
    void aPayloadKeyCutInsideAnEmojiIsTreatedLikeAPayloadValue() {
        // GIVEN handlers that put half an emoji in a payload value, and in a payload key
        String value = handler("webhook.payload = { name: '\uD83D\uDCB0'.slice(0, 1) };");
        String key = handler("webhook.payload = { ['\uD83D\uDCB0'.slice(0, 1)]: 1 };");

        // WHEN they run
        TransformOutcome asValue = ENGINE.run(value, input());
        TransformOutcome asKey = ENGINE.run(key, input());

        // THEN both are sent
        assertThat(asValue).as("%s", asValue).isInstanceOf(TransformOutcome.Success.class);
        assertThat(asKey).as("%s", asKey).isInstanceOf(TransformOutcome.Success.class);
    }

    // ---- the prelude's private functions ------------------------------------------------------

    /**
     * The prelude "takes the host bridge out of reach of transformation code", but QuickJS offers
     * V8's {@code Error.prepareStackTrace}, whose call sites answer {@code getFunction()} even for
     * strict frames: an error raised while the prelude's {@code call} is on the stack (the bridge
     * refusing half a surrogate pair) hands the script {@code call}, {@code run} and the console
     * method. With {@code call} a script speaks the bridge protocol itself: here it reports
     * "checked" during a delivery run, and the engine answers Success with a webhook the handler
     * never produced (https://example.com/, event type "check", no payload). It can equally skip the
     * prelude's console line cap and its one-report latch.
     */
    @Test
    void aScriptCannotReachThePreludesBridgeFunction() {
        // GIVEN a handler that collects the functions on the stack of an error raised inside the bridge
        String code = handler("let sites = [];\n"
                + "Error.prepareStackTrace = (e, s) => { sites = s; return ''; };\n"
                + "try { console.log('\uD83D\uDCB0'.slice(0, 1)); } catch (e) { void e.stack; }\n"
                + "Error.prepareStackTrace = undefined;\n"
                + "const call = sites.map((s) => s.getFunction()).find((f) => typeof f === 'function' && String(f).includes(\"host('connectors'\"));\n"
                + "if (call) call('checked', '{}');");

        // WHEN it runs
        TransformOutcome outcome = ENGINE.run(code, input());

        // THEN the outcome is the handler's own: its webhook, or a failure; never a forged report
        assertThat(outcome).as("%s", outcome).isInstanceOf(TransformOutcome.Success.class);
        assertThat(((TransformOutcome.Success) outcome).webhook().url()).isEqualTo(URL);
        assertThat(((TransformOutcome.Success) outcome).webhook().eventType()).isEqualTo("invoice.created");
    }

    /**
     * Other routes to the prelude's functions: call sites taken while the prelude reads the result
     * (a getter, a toJSON), {@code Error.captureStackTrace}, and the legacy {@code caller} and
     * {@code arguments.callee.caller} of a sloppy function the prelude calls. None hands over a function.
     */
    @Test
    void noRouteHandsTheScriptAFunctionOfThePrelude() {
        String collect = "globalThis.found = []; const grab = (e, s) => { for (const site of s) { try { const f = site.getFunction();"
                + " if (typeof f === 'function') found.push(String(f).slice(0, 40)); } catch (x) {} } return ''; };\n";
        String[] routes = {
            // a getter on the result, read by the prelude while it converts the result
            collect + "Error.prepareStackTrace = grab; return { get payload() { void new Error().stack; return { found }; },"
                    + " method: 'POST' };",
            // toJSON on the payload, run by the prelude's JSON.stringify
            collect + "Error.prepareStackTrace = grab; webhook.payload = { toJSON() { void new Error().stack; return { found }; } };",
            // captureStackTrace with a prepareStackTrace set
            collect + "Error.prepareStackTrace = grab; const o = {}; Error.captureStackTrace(o); void o.stack; webhook.payload = { found };",
            // sloppy functions: caller and arguments.callee.caller
            "const f = Function('return [typeof arguments.callee.caller, String(arguments.callee.caller)]');\n"
                    + "let seen = []; try { seen = f(); } catch (e) { seen = [e.name]; }\n"
                    + "const g = Function('return typeof g.caller'); let viaCaller; try { viaCaller = Function('return 1').caller; }"
                    + " catch (e) { viaCaller = e.name; }\n"
                    + "webhook.payload = { found: [String(seen), String(viaCaller)].filter((t) => t.includes('host(')) };",
        };
        for (String body : routes) {
            TransformOutcome outcome = ENGINE.run(handler(body), input());

            assertThat(outcome).as("%s\n%s", body, outcome).isInstanceOf(TransformOutcome.Success.class);
            assertThat(((TransformOutcome.Success) outcome).webhook().payload().path("found"))
                    .as("prelude functions reached by %s", body).isEmpty();
        }
    }

    /** Even with the bridge in hand, a report the handler could not have produced in this mode is not believed. */
    @Test
    void theHostBelievesOnlyReportsAHandlerCanProduceInItsMode() {
        RunIo run = new RunIo("{}", new ConsoleCapture(10, 100), 1000, false);
        run.report("checked", "{}");
        assertThat(run.report()).isEqualTo("unexpected");

        RunIo check = new RunIo("{}", new ConsoleCapture(10, 100), 1000, true);
        check.report("result", "{\"url\":\"https://elsewhere.example/\"}");
        assertThat(check.report()).isEqualTo("unexpected");

        RunIo first = new RunIo("{}", new ConsoleCapture(10, 100), 1000, false);
        first.report("result", "{}");
        first.report("error", "{}");
        assertThat(first.report()).as("only the first report counts").isEqualTo("result");
    }

    // ---- errors speak JavaScript, at the user's own lines -------------------------------------

    /**
     * A {@code toJSON} on Object.prototype makes the prelude's own {@code JSON.stringify} of the result
     * return undefined; the bridge then fails converting it, and the failure names the runtime's Rust
     * conversion ("Error converting from js 'undefined' into type 'string'") at line 19, column 32 of
     * the prelude, in a 4-line source.
     */
    @Test
    void aResultThatCannotBeConvertedIsReportedAtTheUsersLinesInJavaScriptTerms() {
        // GIVEN 4 lines of code whose result stringifies to undefined
        String code = "Object.prototype.toJSON = function () { return undefined; };\nfunction handler(webhook) {\n  return webhook;\n}";

        // WHEN it runs
        TransformOutcome.Failure failure = (TransformOutcome.Failure) ENGINE.run(code, input());

        // THEN the failure is about the result, in JavaScript's words, and points into the user's 4 lines (or nowhere)
        assertThat(failure.kind()).isIn(FailureKind.INVALID_RESULT, FailureKind.SCRIPT_ERROR);
        assertThat(failure.message()).doesNotContain("converting from js").doesNotContain("into type");
        if (failure.line() != null) {
            assertThat(failure.line()).as("line of %s", failure).isLessThanOrEqualTo(4);
        }
    }

    /** Failure kinds are the sandbox's verdicts: a script's own error must not read as a limit the sandbox enforced. */
    @Test
    void aScriptCannotPassItsOwnErrorOffAsTheSandboxsMemoryLimit() {
        TransformOutcome.Failure failure = (TransformOutcome.Failure) ENGINE.run(
                handler("throw new Error('out of memory');"), input());

        assertThat(failure.kind()).isEqualTo(FailureKind.SCRIPT_ERROR);
        assertThat(failure.message()).isEqualTo("Error: out of memory");
    }

    /** Nor as its stack limit, thrown from the handler or uncaught at top level (where the runtime prints it). */
    @Test
    void aScriptCannotPassItsOwnErrorOffAsTheSandboxsStackLimitOrMemoryLimitFromTopLevel() {
        for (String code : new String[] {handler("throw new RangeError('Maximum call stack size exceeded');"),
            handler("throw new Error('stack overflow');"),
            "throw new Error('stack overflow');\nfunction handler(webhook) { return webhook; }",
            "throw new Error('out of memory');\nfunction handler(webhook) { return webhook; }",
            "throw new Error('memory allocation of 5 bytes failed');\nfunction handler(webhook) { return webhook; }"}) {
            TransformOutcome outcome = ENGINE.run(code, input());

            assertThat(outcome).as(code).isInstanceOfSatisfying(TransformOutcome.Failure.class,
                    f -> assertThat(f.kind()).as("%s: %s", code, f.message()).isEqualTo(FailureKind.SCRIPT_ERROR));
        }
    }

    // ---- the source check ---------------------------------------------------------------------

    /** A NUL character is valid JavaScript in a comment or string; the runtime's C-string conversion refuses it with no position. */
    @Test
    void aNulCharacterInACommentIsValidJavaScript() {
        String code = "// pasted from a log: a\u0000b\nfunction handler(webhook) { return webhook; }\n";

        assertThat(ENGINE.check(code)).isEmpty();
        assertThat(ENGINE.run(code, input())).isInstanceOf(TransformOutcome.Success.class);
    }

    /** In a string it keeps its value; and a syntax error after it on the same line is reported at the user's column. */
    @Test
    void aNulCharacterKeepsItsValueAndTheColumnsAfterIt() {
        TransformOutcome outcome = ENGINE.run(handler("webhook.payload = { n: 'a\u0000b'.length, code: 'a\u0000b'.charCodeAt(1) };"),
                input());
        assertThat(outcome).as("%s", outcome).isInstanceOfSatisfying(TransformOutcome.Success.class,
                s -> assertThat(s.webhook().payload()).isEqualTo(json("{\"n\":3,\"code\":0}")));

        // an error after it on its line is at the same column as with any other character in its place
        TransformOutcome.Failure withNul = (TransformOutcome.Failure) ENGINE.run(
                handler("const s = 'a\u0000b\u0000c'; null.x;"), input());
        TransformOutcome.Failure withSpace = (TransformOutcome.Failure) ENGINE.run(handler("const s = 'a b c'; null.x;"), input());
        assertThat(withSpace.column()).isNotNull();
        assertThat(withNul.line()).isEqualTo(withSpace.line());
        assertThat(withNul.column()).as("%s vs %s", withNul, withSpace).isEqualTo(withSpace.column());
    }

    /**
     * The shared JSON parser caps nesting at 64 (for request bodies); a result nested deeper is
     * refused as "not valid JSON", which tells the user nothing they can fix.
     */
    @Test
    void aPayloadNestedTooDeeplyIsRefusedSayingSo() {
        TransformOutcome.Failure failure = (TransformOutcome.Failure) ENGINE.run(
                handler("let p = {}; for (let i = 0; i < 70; i++) p = { p }; webhook.payload = p;"), input());

        assertThat(failure.kind()).isEqualTo(FailureKind.INVALID_RESULT);
        assertThat(failure.message()).containsAnyOf("nest", "deep", "depth");
    }

    // ---- the dry run answers as a delivery would -----------------------------------------------

    private static final DryRun DRY_RUN = new DryRun(ENGINE, ConnectorTypeCatalog.standard(), EventCatalog.standard());

    /**
     * DryRun promises that "what a delivery would refuse to send, the dry run reports the same way",
     * but only asks {@code Webhook.sendProblem()}: a payload that is a string, a number or null passes
     * the dry run, while RequestFactory fails the delivery ("not a JSON object or array").
     */
    @Test
    void theDryRunRefusesAPayloadADeliveryRefuses() {
        for (String body : new String[] {"webhook.payload = 'hello';", "webhook.payload = null;", "webhook.payload = 42;"}) {
            TransformOutcome outcome = DRY_RUN.run(new DryRun.Request(handler(body), "invoice.created",
                    json("{\"amount\":1}"), null, null, null));

            assertThat(outcome).as("dry run of %s: %s", body, outcome).isInstanceOf(TransformOutcome.Failure.class);
        }
    }

    /** A URL with port 99999 passes the dry run; the delivery's HTTP client throws on it (see TransformationResultDeliveryAttackTest). */
    @Test
    void theDryRunRefusesAPortOutOfRange() {
        TransformOutcome outcome = DRY_RUN.run(new DryRun.Request(handler("webhook.url = 'https://example.com:99999/hook';"),
                "invoice.created", json("{\"amount\":1}"), null, null, null));

        assertThat(outcome).as("%s", outcome).isInstanceOf(TransformOutcome.Failure.class);
    }
}
