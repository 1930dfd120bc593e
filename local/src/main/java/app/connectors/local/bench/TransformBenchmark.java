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

    /** Seed examples (shared/src/test/resources/transform/seed), inlined: the local jar has no test resources. */
    private static final Map<String, String[]> EXAMPLES = Map.of(
            "slack", new String[] {"""
                    function handler(webhook) {
                      webhook.payload = {
                        text: `💰 New invoice for $${webhook.payload.amount} from ${webhook.payload.customer_name}`
                      };
                      return webhook;
                    }""", """
                    {"amount":99.99,"customer_name":"John Doe","invoice_id":"inv_123"}"""},
            "teams", new String[] {"""
                    function handler(webhook) {
                      webhook.payload = {
                        type: "message",
                        attachments: [{
                          contentType: "application/vnd.microsoft.card.adaptive",
                          content: {
                            type: "AdaptiveCard",
                            body: [
                              { type: "TextBlock", text: "🆘 New Support Ticket", weight: "Bolder" },
                              { type: "TextBlock", text: `Ticket #${webhook.payload.ticket_id} from ${webhook.payload.customer_name}` }
                            ]
                          }
                        }]
                      };
                      return webhook;
                    }""", """
                    {"ticket_id":"TICKET-123","customer_name":"John Doe","priority":"high","description":"Can't access my account"}"""},
            "segment", new String[] {"""
                    function handler(webhook) {
                      webhook.url = "https://api.segment.io/v1/track";
                      webhook.payload = {
                        userId: webhook.payload.user.id,
                        event: webhook.payload.event,
                        properties: {
                          ...webhook.payload.properties,
                          email: webhook.payload.user.email,
                          name: webhook.payload.user.name
                        },
                        timestamp: new Date().toISOString()
                      };
                      return webhook;
                    }""", """
                    {"user":{"id":"user123","email":"john@example.com","name":"John Doe"},
                     "event":"subscription_created","properties":{"plan":"premium","price":99.99}}"""});

    @Param({"slack", "teams", "segment"})
    public String example;

    private TransformationEngine engine;
    private String code;
    private Webhook input;

    @Setup
    public void setUp() throws JsonProcessingException {
        engine = new TransformationEngine();
        String[] pair = EXAMPLES.get(example);
        code = pair[0];
        input = Webhook.post("https://hooks.example.com/x", "example.event", Json.parse(pair[1]));
        if (!(engine.run(code, input) instanceof TransformOutcome.Success)) {
            throw new IllegalStateException("benchmark script does not run: " + example);
        }
    }

    @Benchmark
    public TransformOutcome run() {
        return engine.run(code, input);
    }
}
