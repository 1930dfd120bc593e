package app.connectors.local.bench;

import app.connectors.json.Json;
import app.connectors.transform.TransformOutcome;
import app.connectors.transform.TransformationEngine;
import app.connectors.transform.Webhook;

/**
 * Time from a fresh JVM to the first successful transformation: engine construction (cheap: the
 * sandbox is built on first use), then the first run, which builds the sandbox (loads the QuickJS
 * WebAssembly module, initialises it, takes the memory image, warms up), compiles a seed example
 * and runs it. Run it in a new JVM each time, C1 only as on Lambda; in-process repetitions would
 * measure a warm JVM.
 *
 * <pre>
 * java -XX:TieredStopAtLevel=1 -cp local/target/connectors-local.jar app.connectors.local.bench.TransformColdStart
 * </pre>
 */
public final class TransformColdStart {

    private TransformColdStart() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        long t0 = System.nanoTime();
        TransformationEngine engine = new TransformationEngine();
        long t1 = System.nanoTime();
        // The seed's Slack example, read from the same file the transformation tests use.
        String code = TransformBenchmark.seedScript("slack");
        Webhook input = Webhook.post("https://hooks.example.com/x", "invoice.created",
                Json.parse("{\"amount\":99.99,\"customer_name\":\"John Doe\"}"));
        TransformOutcome first = engine.run(code, input);
        long t2 = System.nanoTime();
        TransformOutcome second = engine.run(code, input);
        long t3 = System.nanoTime();
        if (!(first instanceof TransformOutcome.Success) || !(second instanceof TransformOutcome.Success)) {
            throw new IllegalStateException("cold-start run failed: " + first);
        }
        System.out.printf("engine construction %.1f ms, first run (sandbox build + compile + run) %.2f ms, second run %.3f ms, "
                        + "main-to-first-result %.1f ms, JVM-start-to-first-result %d ms%n",
                (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t2 - t0) / 1e6,
                System.currentTimeMillis() - jvmStart);
    }
}
