package app.connectors.transform;

import static app.connectors.transform.SeedScripts.json;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.testing.CpuOnlyRunClock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's contract apart from the seed vectors and the hostile table. */
class TransformEngineTest {

    private static final String URL = "https://destination.example.com/hook";
    private static final TransformationEngine ENGINE = new TransformationEngine();

    private static Webhook input() {
        return new Webhook("POST", URL, "invoice.created", json("{\"amount\":1}"), Map.of("X-Trace", "t1"), false);
    }

    @Test
    void checkAcceptsCodeWithATopLevelHandler() {
        // GIVEN/WHEN a handler declared as a function and one bound with const
        // THEN both can be saved
        assertThat(ENGINE.check("function handler(webhook) { return webhook; }")).isEmpty();
        assertThat(ENGINE.check("const handler = (webhook) => webhook;")).isEmpty();
    }

    @Test
    void checkReportsASyntaxErrorWithItsPosition() {
        // GIVEN code broken on line 3
        // WHEN it is checked
        SourceProblem problem = ENGINE.check("function handler(webhook) {\n  var a = 1;\n  var = 2;\n}").orElseThrow();

        // THEN the problem is a syntax error at line 3 with a column
        assertThat(problem.kind()).isEqualTo(FailureKind.SYNTAX);
        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.column()).isPositive();
        assertThat(problem.message()).isNotBlank();
    }

    @Test
    void checkRefusesCodeWithoutAHandler() {
        // GIVEN code whose handler is nested, not top-level
        SourceProblem problem = ENGINE.check("function outer() { function handler(w) { return w; } }").orElseThrow();

        // THEN it cannot be saved
        assertThat(problem.kind()).isEqualTo(FailureKind.NO_HANDLER);
        assertThat(problem.line()).isEqualTo(1);
    }

    @Test
    void checkRefusesSourceOver64Kilobytes() {
        // GIVEN a valid handler padded past 64 KB
        String code = "function handler(webhook) { return webhook; }\n// " + "x".repeat(64 * 1024);

        // THEN it is refused for its size
        assertThat(ENGINE.check(code).orElseThrow().kind()).isEqualTo(FailureKind.SOURCE_TOO_LARGE);
    }

    @Test
    void handlerMayChangeMethodUrlHeadersAndCancelButNotEventType() {
        // GIVEN a handler that changes every field
        String code = """
                function handler(webhook) {
                  webhook.method = 'PUT';
                  webhook.url = 'https://api.example.com/v2/items';
                  webhook.headers = { ...webhook.headers, 'X-Extra': 'yes' };
                  webhook.eventType = 'something.else';
                  webhook.cancel = true;
                  return webhook;
                }""";

        // WHEN it runs
        Webhook out = TransformSeedVectorsTest.success(ENGINE.run(code, input()));

        // THEN all changes but the event type are taken
        assertThat(out.method()).isEqualTo("PUT");
        assertThat(out.url()).isEqualTo("https://api.example.com/v2/items");
        assertThat(out.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("X-Trace", "t1", "X-Extra", "yes"));
        assertThat(out.cancel()).isTrue();
        assertThat(out.eventType()).isEqualTo("invoice.created");
    }

    @Test
    void handlerThatReturnsNothingSendsTheMutatedWebhook() {
        // GIVEN a handler that mutates in place and returns undefined
        // WHEN it runs
        Webhook out = TransformSeedVectorsTest.success(ENGINE.run(
                "function handler(webhook) { webhook.payload.amount += 1; }", input()));

        // THEN the mutation is what goes out
        assertThat(out.payload()).isEqualTo(json("{\"amount\":2}"));
    }

    @Test
    void handlerThatReturnsANewObjectKeepsUnsetFieldsFromTheInput() {
        // GIVEN a handler that returns only a payload
        Webhook out = TransformSeedVectorsTest.success(ENGINE.run(
                "function handler(webhook) { return { payload: [1, 'two', null, true, 2.5] }; }", input()));

        // THEN method, url, headers and cancel are the input's
        assertThat(out.payload()).isEqualTo(json("[1,\"two\",null,true,2.5]"));
        assertThat(out.url()).isEqualTo(URL);
        assertThat(out.headers()).containsEntry("X-Trace", "t1");
    }

    @Test
    void invalidResultsAreRefusedWithAReason() {
        // GIVEN handlers returning a string, an undefined payload, a non-string header and a non-boolean cancel
        for (String code : new String[] {
                "function handler(w) { return 'nope'; }",
                "function handler(w) { w.payload = w.payload.missing; return w; }",
                "function handler(w) { w.headers = { 'X-N': 1 }; return w; }",
                "function handler(w) { w.cancel = 'yes'; return w; }",
                "function handler(w) { w.url = 'file:///etc/passwd'; return w; }"}) {
            // WHEN each runs
            TransformOutcome outcome = ENGINE.run(code, input());

            // THEN each is an invalid result with a message
            assertThat(outcome).as(code).isInstanceOf(TransformOutcome.Failure.class);
            assertThat(((TransformOutcome.Failure) outcome).kind()).as(code).isEqualTo(FailureKind.INVALID_RESULT);
        }
    }

    @Test
    void consoleCapturesEachCallAsOneLineAndCapsTheOutput() {
        // GIVEN a script that logs values of every kind, then floods the console
        String code = """
                function handler(webhook) {
                  console.log('amount', webhook.payload.amount, { a: [1, 'b'] }, undefined, null);
                  console.warn('careful');
                  for (let i = 0; i < 1000; i++) console.log('line ' + i);
                  return webhook;
                }""";

        // WHEN it runs
        TransformOutcome outcome = ENGINE.run(code, input());

        // THEN lines are JSON-ish, levels are marked, and the flood is cut with a marker
        assertThat(outcome.console()).startsWith("amount 1 {\"a\":[1,\"b\"]} undefined null", "[warn] careful");
        assertThat(outcome.console()).hasSize(ENGINE.limits().maxConsoleLines() + 1);
        assertThat(outcome.console()).last().isEqualTo(ConsoleCapture.TRUNCATED);
    }

    @Test
    void outcomeCarriesEverythingADryRunResponseShows() {
        // GIVEN a script that logs and then throws on line 3
        String code = "function handler(webhook) {\n  console.log('before');\n  throw new TypeError('bad input');\n}";

        // WHEN it runs as POST /transformations/test would run it
        TransformOutcome.Failure failure = (TransformOutcome.Failure) ENGINE.run(code, input());

        // THEN kind, message, line, console and duration are all there
        assertThat(failure.kind()).isEqualTo(FailureKind.SCRIPT_ERROR);
        assertThat(failure.message()).isEqualTo("TypeError: bad input");
        assertThat(failure.line()).isEqualTo(3);
        assertThat(failure.console()).containsExactly("before");
        assertThat(failure.took()).isPositive();
    }

    @Test
    void integersStayIntegersAndLargeNumbersSurvive() {
        // GIVEN a payload with an integer, a fraction and a large integer
        Webhook in = Webhook.post(URL, "x", json("{\"i\":7,\"f\":0.1,\"big\":9007199254740991}"));

        // WHEN a handler passes them through arithmetic and back
        Webhook out = TransformSeedVectorsTest.success(ENGINE.run(
                "function handler(w) { w.payload = { i: w.payload.i * 2, f: w.payload.f, big: w.payload.big, neg: -0 }; return w; }", in));

        // THEN JSON numbers come back as JSON.stringify would write them
        assertThat(out.payload()).isEqualTo(json("{\"i\":14,\"f\":0.1,\"big\":9007199254740991,\"neg\":0}"));
    }

    @Test
    void limitsHoldWhenCalledFromAVirtualThread() throws Exception {
        // GIVEN an allocation bomb and a CPU loop, run from virtual threads (as the deliver function's workers are)
        // (judged by CPU time alone, so that a loaded machine cannot make either look starved)
        TransformationEngine engine = new TransformationEngine(TransformLimits.defaults().withCpuTime(java.time.Duration.ofSeconds(3)),
                new CpuOnlyRunClock());
        Webhook input = Webhook.post("https://example.com/hook", "invoice.created", json("{\"amount\":1}"));
        TransformOutcome[] outcomes = new TransformOutcome[2];

        // WHEN they run
        Thread bomb = Thread.ofVirtual().start(() -> outcomes[0] = engine.run(
                "function handler(w){ var a = []; while (true) { a.push('x'.repeat(1024) + a.length); } }", input));
        Thread loop = Thread.ofVirtual().start(() -> outcomes[1] = new TransformationEngine(TransformLimits.defaults(),
                new CpuOnlyRunClock()).run(
                "function handler(w){ while (true) {} }", input));
        bomb.join();
        loop.join();

        // THEN the allocation limit (not the 3 s clock) stops the bomb, and the CPU limit the loop
        assertThat(outcomes[0]).isInstanceOfSatisfying(TransformOutcome.Failure.class,
                f -> assertThat(f.kind()).isEqualTo(FailureKind.MEMORY_LIMIT));
        assertThat(outcomes[1]).isInstanceOfSatisfying(TransformOutcome.Failure.class,
                f -> assertThat(f.kind()).isEqualTo(FailureKind.CPU_LIMIT));
    }
}
