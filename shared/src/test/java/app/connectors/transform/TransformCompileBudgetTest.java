package app.connectors.transform;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.json.Json;
import app.connectors.testing.CpuOnlyRunClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Compiling a source has its own budget ({@link TransformLimits#compileCpuTime()}), apart from the
 * run's: a long source is compiled once per execution environment, and finding the position of a
 * malformed regular expression literal takes more compiles; neither is the run's work.
 */
class TransformCompileBudgetTest {

    private static final Webhook INPUT = Webhook.post("https://destination.example.com/hook", "invoice.created",
            Json.object().put("amount", 1));

    /** Judged by CPU time only, so a loaded machine cannot make a compile or run look starved. */
    private static final RunClock CPU_ONLY = new CpuOnlyRunClock();

    /** About {@code kb} KB in one function that is never called (long to compile, cheap to run), then {@code tail} and the handler. */
    static String longSource(int kb, String tail) {
        StringBuilder code = new StringBuilder("function unused() {\n");
        for (int i = 0; code.length() < kb * 1024; i++) {
            code.append("  const v").append(i).append(" = { a: [1, 2, 3].map((n) => n * ").append(i)
                    .append("), s: `x${").append(i).append("}` };\n");
        }
        return code.append("}\n").append(tail).append("function handler(webhook) { webhook.payload = { ok: true }; return webhook; }\n").toString();
    }

    @Test
    void aLongSourceIsNotChargedToTheRunsBudget() {
        // GIVEN the default budgets: 50 ms a run, which compiling 60 KB of source exceeds, and 1 s to compile
        TransformationEngine engine = new TransformationEngine(TransformLimits.defaults(), CPU_ONLY);
        String code = longSource(60, "");

        // WHEN it is checked and run
        // THEN both succeed: the run was charged only its own (tiny) work
        assertThat(engine.check(code)).isEmpty();
        assertThat(engine.run(code, INPUT)).as("run").isInstanceOf(TransformOutcome.Success.class);
    }

    @Test
    void aMalformedRegexLiteralAtTheEndOfALongSourceIsASyntaxErrorWithItsPosition() {
        // GIVEN the default limits and 55 KB of source whose last lines hold a malformed regular expression literal
        TransformationEngine engine = new TransformationEngine();
        String code = longSource(55, "const ok = 10 / 2 / 5;\nconst bad = /x{2,1}/g;\n");
        int line = (int) code.substring(0, code.indexOf("const bad")).chars().filter(c -> c == '\n').count() + 1;

        // WHEN it is checked
        SourceProblem problem = engine.check(code).orElseThrow();

        // THEN it is refused for its syntax, at the literal, not for the time the search took
        assertThat(problem.kind()).as("%s", problem).isEqualTo(FailureKind.SYNTAX);
        assertThat(problem.line()).isEqualTo(line);
        assertThat(problem.column()).isEqualTo(13);
    }

    @Test
    void aSourceThatCannotBeCompiledInItsBudgetSaysSo() {
        // GIVEN a compile budget far too small for 60 KB
        TransformationEngine engine = new TransformationEngine(TransformLimits.defaults().withCompileCpuTime(Duration.ofMillis(1)),
                CPU_ONLY);
        engine.run(HostileTable.handler(""), INPUT);

        // WHEN a new long source is checked
        SourceProblem problem = engine.check(longSource(60, "")).orElseThrow();

        // THEN the problem is the compile's time, in words
        assertThat(problem.kind()).isEqualTo(FailureKind.CPU_LIMIT);
        assertThat(problem.message()).contains("compiling the transformation code took more than 1 ms");
    }
}
