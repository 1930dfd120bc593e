package app.connectors.local.bench;

import app.connectors.json.Json;
import app.connectors.transform.TransformOutcome;
import app.connectors.transform.TransformationEngine;
import app.connectors.transform.Webhook;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One transformation run per invocation, as the delivery pipeline does it: compiled script from the
 * engine's cache, a fresh top-level scope, payload in, webhook out. Target: p50 ≤ 20 µs.
 *
 * <pre>
 * java -cp local/target/connectors-local.jar org.openjdk.jmh.Main TransformBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TransformBenchmark {

    /**
     * The example payload written in each seed script's comment (as JSON). The scripts themselves are
     * read unchanged from the seed files, shipped in the jar under /bench/seed (see local/pom.xml).
     */
    private static final Map<String, String> PAYLOADS = Map.of(
            "slack", """
                    {"amount":99.99,"customer_name":"John Doe","invoice_id":"inv_123"}""",
            "teams", """
                    {"ticket_id":"TICKET-123","customer_name":"John Doe","priority":"high","description":"Can't access my account"}""",
            "segment", """
                    {"user":{"id":"user123","email":"john@example.com","name":"John Doe"},
                     "event":"subscription_created","properties":{"plan":"premium","price":99.99}}""");

    @Param({"slack", "teams", "segment"})
    public String example;

    private TransformationEngine engine;
    private String code;
    private Webhook input;

    @Setup
    public void setUp() throws JsonProcessingException {
        engine = new TransformationEngine();
        code = seedScript(example);
        input = Webhook.post("https://hooks.example.com/x", "example.event", Json.parse(PAYLOADS.get(example)));
        if (!(engine.run(code, input) instanceof TransformOutcome.Success)) {
            throw new IllegalStateException("benchmark script does not run: " + example);
        }
    }

    static String seedScript(String name) {
        try (var in = TransformBenchmark.class.getResourceAsStream("/bench/seed/" + name + ".js")) {
            if (in == null) {
                throw new IllegalStateException("seed script missing from the jar: /bench/seed/" + name + ".js");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Benchmark
    public TransformOutcome run() {
        return engine.run(code, input);
    }
}
