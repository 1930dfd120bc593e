package app.connectors.transform;

import static app.connectors.transform.SeedScripts.examplePayload;
import static app.connectors.transform.SeedScripts.json;
import static app.connectors.transform.SeedScripts.source;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scripts that try to hang, exhaust, escape or poison the sandbox. Each must end with its specific
 * failure kind, promptly, with the JVM and the engine still fit to serve the next job.
 */
class TransformHostileScriptsTest {

    private static final String URL = "https://destination.example.com/hook";
    private static final TransformationEngine ENGINE = new TransformationEngine();
    /**
     * For the memory cases: the default limits, but a CPU budget large enough that allocation, not
     * time, is what stops them even on a loaded 2-core CI machine (with 50 ms either limit may come first).
     */
    private static final TransformationEngine MEMORY_ENGINE =
            new TransformationEngine(TransformLimits.defaults().withCpuTime(Duration.ofSeconds(3)));

    /** Wraps a body in the handler the engine calls. */
    private static String handler(String body) {
        return "function handler(webhook) {\n" + body + "\nreturn webhook;\n}\n";
    }

    record Hostile(String name, String code, FailureKind kind) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Hostile> table() {
        return List.of(
                new Hostile("top-level while(true)", "while(true){}\nfunction handler(w){return w}", FailureKind.CPU_LIMIT),
                new Hostile("for(;;) inside handler", handler("for(;;){}"), FailureKind.CPU_LIMIT),
                new Hostile("infinite loop that catches everything", handler("for(;;){ try { while(true){} } catch (e) {} finally { continue; } }"), FailureKind.CPU_LIMIT),
                new Hostile("eval('while(1){}')", handler("eval('while(1){}')"), FailureKind.CPU_LIMIT),
                new Hostile("string doubling", handler("var s = 'x'; for (var i = 0; i < 27; i++) { s = s + s; s.charAt(0); }"), FailureKind.MEMORY_LIMIT),
                new Hostile("array push bomb", handler("var a = []; while (true) { a.push('x'.repeat(1024) + a.length); }"), FailureKind.MEMORY_LIMIT),
                new Hostile("one allocation larger than the heap", handler("'x'.repeat(2147483647)"), FailureKind.MEMORY_LIMIT),
                new Hostile("deep recursion", handler("function f(n) { return f(n + 1) + 1; } f(0);"), FailureKind.STACK_LIMIT),
                new Hostile("recursion through a built-in", handler("function f(n) { return [n].map(function (x) { return f(x + 1); }); } f(0);"), FailureKind.STACK_LIMIT),
                new Hostile("java.lang.Runtime.getRuntime()", handler("java.lang.Runtime.getRuntime().exec('id')"), FailureKind.FORBIDDEN),
                new Hostile("Packages.java.lang.System.exit(0)", handler("Packages.java.lang.System.exit(0)"), FailureKind.FORBIDDEN),
                new Hostile("getClass", handler("getClass('x')"), FailureKind.FORBIDDEN),
                new Hostile("this.constructor.constructor('return java')()", handler("this.constructor.constructor('return java')()"), FailureKind.FORBIDDEN),
                new Hostile("Function('return this')() then java", handler("var g = Function('return this')(); g.java.lang.System.exit(0)"), FailureKind.FORBIDDEN),
                new Hostile("importPackage", handler("importPackage(java.io)"), FailureKind.FORBIDDEN),
                new Hostile("JavaImporter", handler("new JavaImporter(java.io)"), FailureKind.FORBIDDEN),
                new Hostile("org.mozilla.javascript.Context", handler("org.mozilla.javascript.Context.getCurrentContext()"), FailureKind.FORBIDDEN),
                new Hostile("load('x')", handler("load('/etc/passwd')"), FailureKind.FORBIDDEN),
                new Hostile("readFile", handler("readFile('/etc/passwd')"), FailureKind.FORBIDDEN),
                new Hostile("setTimeout", handler("setTimeout(function () {}, 0)"), FailureKind.FORBIDDEN),
                new Hostile("XMLHttpRequest", handler("new XMLHttpRequest()"), FailureKind.FORBIDDEN),
                new Hostile("fetch", handler("fetch('http://169.254.169.254/latest/meta-data/')"), FailureKind.FORBIDDEN),
                new Hostile("typeof java probes are refused too", handler("if (typeof java !== 'undefined') { webhook.payload = 1; }"), FailureKind.FORBIDDEN),
                new Hostile("Object.prototype.toString replaced", handler("Object.prototype.toString = function () { return 'owned'; };"), FailureKind.FORBIDDEN),
                // Built-ins are frozen: a sloppy-mode assignment is ignored, a strict one throws.
                new Hostile("Object.prototype pollution in strict mode", "'use strict';\n" + handler("Object.prototype.polluted = 1;"), FailureKind.SCRIPT_ERROR),
                new Hostile("Object.defineProperty(JSON, ...)", handler("Object.defineProperty(JSON, 'stringify', { value: function () { return 'x'; } });"), FailureKind.SCRIPT_ERROR),
                new Hostile("Reflect.defineProperty on Object.prototype", handler("if (!Reflect.defineProperty(Object.prototype, 'x', { value: 1 })) throw new TypeError('refused');"), FailureKind.SCRIPT_ERROR),
                new Hostile("Object.setPrototypeOf(JSON, ...)", handler("Object.setPrototypeOf(JSON, { leak: 1 });"), FailureKind.SCRIPT_ERROR),
                new Hostile("Java exception reached through catch", handler("try { null.x; } catch (e) { e.javaException.getClass(); }"), FailureKind.SCRIPT_ERROR),
                new Hostile("returning a function", "function handler(webhook) { webhook.payload = function () {}; return webhook; }", FailureKind.INVALID_RESULT),
                new Hostile("returning a cyclic object", "function handler(webhook) { var a = {}; a.self = a; webhook.payload = a; return webhook; }", FailureKind.INVALID_RESULT),
                new Hostile("returning NaN", "function handler(webhook) { webhook.payload = { n: 0 / 0 }; return webhook; }", FailureKind.INVALID_RESULT),
                new Hostile("returning a 10 MB payload", "function handler(webhook) { webhook.payload = { big: 'x'.repeat(10 * 1024 * 1024) }; return webhook; }", FailureKind.OUTPUT_TOO_LARGE),
                new Hostile("exponential DAG payload", "function handler(webhook) { var a = [1]; for (var i = 0; i < 40; i++) { a = [a, a]; } webhook.payload = a; return webhook; }", FailureKind.OUTPUT_TOO_LARGE),
                new Hostile("method DELETE", "function handler(webhook) { webhook.method = 'DELETE'; return webhook; }", FailureKind.INVALID_RESULT),
                new Hostile("header injection", "function handler(webhook) { webhook.headers = { 'X-A': 'a\\r\\nHost: evil' }; return webhook; }", FailureKind.INVALID_RESULT),
                new Hostile("getter that loops during result conversion", "function handler(webhook) { webhook.payload = { get x() { for (;;) {} } }; return webhook; }", FailureKind.CPU_LIMIT),
                // Rhino 1.9.2 does not parse async functions at all: refused before anything runs.
                new Hostile("async handler", "async function handler(webhook) { return webhook; }", FailureKind.SYNTAX),
                new Hostile("handler returning a Promise", handler("return Promise.resolve(webhook);"), FailureKind.INVALID_RESULT),
                new Hostile("throw new Error('boom')", handler("throw new Error('boom');"), FailureKind.SCRIPT_ERROR),
                new Hostile("syntax error", "function handler(webhook) {\n  return webhook.;\n}", FailureKind.SYNTAX),
                new Hostile("no handler defined", "function transform(webhook) { return webhook; }", FailureKind.NO_HANDLER),
                new Hostile("eval of too much code", handler("eval('1;'.repeat(40000))"), FailureKind.SOURCE_TOO_LARGE));
    }

    static Stream<Arguments> hostile() {
        return table().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileScriptFailsSafelyWithItsKind(Hostile hostile) {
        // GIVEN a hostile transformation
        Webhook input = Webhook.post(URL, "invoice.created", json("{\"amount\":1}"));

        // WHEN it runs
        TransformationEngine engine = hostile.kind() == FailureKind.MEMORY_LIMIT ? MEMORY_ENGINE : ENGINE;
        TransformOutcome outcome = engine.run(hostile.code(), input);

        // THEN it fails with its specific kind, promptly, and never throws
        assertThat(outcome).as("outcome of %s", hostile.name()).isInstanceOf(TransformOutcome.Failure.class);
        TransformOutcome.Failure failure = (TransformOutcome.Failure) outcome;
        assertThat(failure.kind()).as("%s: %s", hostile.name(), failure.message()).isEqualTo(hostile.kind());
        assertThat(failure.message()).isNotBlank();
        assertThat(failure.took()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void engineStillTransformsAfterEveryHostileScript() {
        // GIVEN one engine that has run the whole hostile table
        TransformationEngine engine = new TransformationEngine();
        for (Hostile hostile : table()) {
            engine.run(hostile.code(), Webhook.post(URL, "x", json("{}")));
        }

        // WHEN a seed example runs on it
        String slack = source("slack");
        TransformOutcome outcome = engine.run(slack, Webhook.post(URL, "invoice.created", examplePayload(slack)));

        // THEN it succeeds as it would on a fresh engine, with built-ins untouched
        assertThat(TransformSeedVectorsTest.success(outcome).payload().path("text").asText())
                .isEqualTo("💰 New invoice for $99.99 from John Doe");
        TransformOutcome probe = engine.run(handler("webhook.payload = { polluted: ({}).polluted === undefined, "
                + "json: JSON.stringify({ a: 1 }) };"), Webhook.post(URL, "x", json("{}")));
        assertThat(TransformSeedVectorsTest.success(probe).payload()).isEqualTo(json("{\"polluted\":true,\"json\":\"{\\\"a\\\":1}\"}"));
    }

    @Test
    void cpuLimitStopsAnInfiniteLoopCloseToTheDeadline() {
        // GIVEN the default 50 ms budget
        // WHEN a script loops forever
        TransformOutcome outcome = ENGINE.run(handler("while (true) {}"), Webhook.post(URL, "x", json("{}")));

        // THEN it is stopped shortly after 50 ms, not seconds later
        assertThat(outcome.took()).isBetween(Duration.ofMillis(50), Duration.ofMillis(1000));
    }

    @Test
    void caughtPollutionAttemptDoesNotLeakIntoTheNextRun() {
        // GIVEN a run that tries to extend Object.prototype and redefine JSON, swallowing the errors
        ENGINE.run(handler("try { Object.prototype.leak = 'yes'; } catch (e) {}\n"
                + "try { JSON.stringify = function () { return 'owned'; }; } catch (e) {}\n"
                + "try { Object.defineProperty(JSON, 'stringify', { value: function () { return 'owned'; } }); } catch (e) {}\n"
                + "try { Object.defineProperty(Object.prototype, 'leak', { value: 'yes' }); } catch (e) {}\n"
                + "try { Object.setPrototypeOf(Math, { leak: 'yes' }); } catch (e) {}\n"
                + "leakedGlobal = 'yes';"), Webhook.post(URL, "x", json("{}")));

        // WHEN the next run looks for those changes
        TransformOutcome outcome = ENGINE.run(handler("webhook.payload = { proto: typeof ({}).leak, "
                + "json: JSON.stringify([1]), global: typeof leakedGlobal, math: typeof Math.leak };"), Webhook.post(URL, "x", json("{}")));

        // THEN none of them is visible
        assertThat(TransformSeedVectorsTest.success(outcome).payload())
                .isEqualTo(json("{\"proto\":\"undefined\",\"json\":\"[1]\",\"global\":\"undefined\",\"math\":\"undefined\"}"));
    }

    @Test
    void reDosIsStoppedByTheCpuLimitInsideRhinosRegexpEngine() {
        // GIVEN an engine whose allocation limit is out of the way, so only the clock can stop the match
        TransformationEngine engine = new TransformationEngine(TransformLimits.defaults().withMaxAllocatedBytes(4L << 30));

        // WHEN a catastrophically backtracking regexp runs (Rhino's own engine, not java.util.regex)
        TransformOutcome outcome = engine.run(handler("/(a+)+b/.test('a'.repeat(40) + 'c')"), Webhook.post(URL, "x", json("{}")));

        // THEN the instruction observer fires inside the match and the CPU limit ends it
        assertThat(((TransformOutcome.Failure) outcome).kind()).isEqualTo(FailureKind.CPU_LIMIT);
        assertThat(outcome.took()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void reDosUnderDefaultLimitsEndsWithALimitNotAHang() {
        // GIVEN default limits, under which backtracking state may exhaust memory before time
        // WHEN the same regexp runs
        TransformOutcome outcome = ENGINE.run(handler("/(a+)+b/.test('a'.repeat(40) + 'c')"), Webhook.post(URL, "x", json("{}")));

        // THEN one of the two resource limits ends it promptly
        assertThat(((TransformOutcome.Failure) outcome).kind()).isIn(FailureKind.CPU_LIMIT, FailureKind.MEMORY_LIMIT);
        assertThat(outcome.took()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void builtInGlobalsCannotBeRedeclaredOrReplaced() {
        // GIVEN runs that declare, assign and redefine JSON through the shared global behind their scope
        TransformOutcome declared = ENGINE.run("var JSON = { stringify: function () { return 'mine'; } };\n"
                + handler(""), Webhook.post(URL, "x", json("{}")));
        TransformOutcome assigned = ENGINE.run(handler("JSON = { stringify: function () { return 'mine'; } };"
                + " webhook.payload = { s: JSON.stringify(1) };"), Webhook.post(URL, "x", json("{}")));
        TransformOutcome redefined = ENGINE.run(handler("Object.defineProperty(Object.getPrototypeOf(this), 'JSON', "
                + "{ value: { stringify: function () { return 'mine'; } } });"), Webhook.post(URL, "x", json("{}")));

        // WHEN the next run uses JSON
        TransformOutcome next = ENGINE.run(handler("webhook.payload = { s: JSON.stringify(1) };"), Webhook.post(URL, "x", json("{}")));

        // THEN the declaration and the redefinition fail loudly, the assignment is ignored, and nothing leaks
        assertThat(((TransformOutcome.Failure) declared).kind()).isEqualTo(FailureKind.SCRIPT_ERROR);
        assertThat(TransformSeedVectorsTest.success(assigned).payload().path("s").asText()).isEqualTo("1");
        assertThat(((TransformOutcome.Failure) redefined).kind()).isEqualTo(FailureKind.SCRIPT_ERROR);
        assertThat(TransformSeedVectorsTest.success(next).payload().path("s").asText()).isEqualTo("1");
    }

    @Test
    void errorsKeepTheirMessageDespiteFrozenPrototypes() {
        // GIVEN frozen built-ins, where Rhino assigns an Error's message through the prototype chain
        // WHEN a script builds errors and sets its own name on one
        TransformOutcome outcome = ENGINE.run(handler("var e = new TypeError('bad'); var f = new Error('x'); f.name = 'Mine';"
                + " webhook.payload = { m: e.message, n: e.name, s: String(f), base: Error.prototype.message };"),
                Webhook.post(URL, "x", json("{}")));

        // THEN instances carry their own message and name, and the prototype keeps its default
        assertThat(TransformSeedVectorsTest.success(outcome).payload())
                .isEqualTo(json("{\"m\":\"bad\",\"n\":\"TypeError\",\"s\":\"Mine: x\",\"base\":\"\"}"));
    }

    @Test
    void scriptErrorReportsTheLineOfTheThrow() {
        // GIVEN a handler that throws on its third line
        String code = "function handler(webhook) {\n  var x = 1;\n  throw new Error('boom');\n}";

        // WHEN it runs
        TransformOutcome.Failure failure = (TransformOutcome.Failure) ENGINE.run(code, Webhook.post(URL, "x", json("{}")));

        // THEN the failure names the error and its line
        assertThat(failure.kind()).isEqualTo(FailureKind.SCRIPT_ERROR);
        assertThat(failure.message()).contains("boom");
        assertThat(failure.line()).isEqualTo(3);
    }

    @Test
    void syntaxErrorReportsLineAndColumn() {
        // GIVEN code with a dangling member access on line 2
        String code = "function handler(webhook) {\n  return webhook.;\n}";

        // WHEN it runs
        TransformOutcome.Failure failure = (TransformOutcome.Failure) ENGINE.run(code, Webhook.post(URL, "x", json("{}")));

        // THEN the failure points at line 2 with a column
        assertThat(failure.kind()).isEqualTo(FailureKind.SYNTAX);
        assertThat(failure.line()).isEqualTo(2);
        assertThat(failure.column()).isNotNull().isPositive();
    }

    @Test
    void consoleLinesWrittenBeforeAFailureAreKept() {
        // GIVEN a script that logs, then loops forever
        TransformOutcome outcome = ENGINE.run(handler("console.log('starting', { id: 7 }); while (true) {}"),
                Webhook.post(URL, "x", json("{}")));

        // THEN the failure carries what was logged
        assertThat(outcome.console()).containsExactly("starting {\"id\":7}");
    }
}
