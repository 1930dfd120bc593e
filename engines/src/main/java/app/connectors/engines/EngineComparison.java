package app.connectors.engines;

import app.connectors.json.Json;
import app.connectors.transform.SeedScripts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The candidate engines for transformations side by side, each in child JVMs of its own (an engine
 * that aborts or leaves a thread spinning cannot disturb the others' figures):
 *
 * <ul>
 *   <li>the hostile cases the sandbox must survive, with a 50 ms budget: did the run end within
 *       budget + 500 ms, was a thread left spinning, did the host heap grow, did a poisoned
 *       built-in reach the next run;</li>
 *   <li>the seed examples: same output as the product's engine, and per-run p50/p99 with a fresh realm per run;</li>
 *   <li>the JavaScript accepted: for-of with const, optional chaining, nullish coalescing, async/await;</li>
 *   <li>cold start (fresh JVM, C1 only as on Lambda) to the first seed result; Java heap allocated per run; jar size.</li>
 * </ul>
 *
 * <pre>
 * mvn -B -Pengines -pl engines -am package -DskipTests
 * java -cp "engines/target/classes:$(cat engines/target/classpath.txt)" app.connectors.engines.EngineComparison
 * </pre>
 */
public final class EngineComparison {

    static final List<String> ENGINES = List.of("quickjs-wasm", "rhino", "graaljs", "javet-v8");
    static final List<String> SEEDS = List.of("slack", "slack-one-liner", "discord", "teams", "invoice-switch", "hubspot",
            "closecrm", "segment", "customerio", "sendgrid", "resend", "loops");
    static final Duration BUDGET = Duration.ofMillis(50);
    /** On a shared 2-core machine 50 ms of CPU can take far longer on the wall clock; a hole is a run that does not end. */
    static final Duration ENDS_WITHIN = Duration.ofSeconds(10);

    /** The reproductions, each a handler body. */
    static final Map<String, String> HOSTILE = new LinkedHashMap<>();

    static {
        HOSTILE.put("lastIndexOf on a 2^53-1 array-like", "Array.prototype.lastIndexOf.call({ length: 2 ** 53 - 1 }, 1)");
        HOSTILE.put("includes on a 2^53-1 array-like", "Array.prototype.includes.call({ length: 2 ** 53 - 1 }, 1)");
        HOSTILE.put("reverse on a 1e9 array-like", "Array.prototype.reverse.call({ length: 1e9 })");
        HOSTILE.put("String.raw 1e9", "String.raw({ raw: { length: 1e9 } })");
        HOSTILE.put("padStart 2^30", "'x'.padStart(2 ** 30)");
        HOSTILE.put("Array.from 1e7", "Array.from({ length: 1e7 })");
        HOSTILE.put("join on 1e8 array-like", "Array.prototype.join.call({ length: 1e8 })");
        HOSTILE.put("ReDoS (a+)+b", "/(a+)+b/.test('a'.repeat(40) + 'c')");
        HOSTILE.put("getter loop in the result", "w.payload = { get x() { for (;;) {} } }");
        HOSTILE.put("deep recursion", "function f(n) { return f(n + 1) + 1; } f(0)");
        HOSTILE.put("new Array(1e8).fill(0)", "new Array(1e8).fill(0)");
        HOSTILE.put("string doubling to 2^30", "let s = 'x'; for (let i = 0; i < 30; i++) s = s + s; s.charCodeAt(5)");
    }

    private EngineComparison() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("probe")) {
            probe(args[1]);
            return;
        }
        if (args.length == 2 && args[0].equals("cold")) {
            cold(args[1]);
            return;
        }
        List<String> engines = args.length > 0 ? Arrays.asList(args) : ENGINES;
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        for (String engine : engines) {
            Map<String, String> r = new LinkedHashMap<>(child(List.of("probe", engine), List.of("-Xmx1g"), Duration.ofMinutes(10)));
            List<Double> colds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Map<String, String> c = child(List.of("cold", engine), List.of("-XX:TieredStopAtLevel=1", "-Xmx1g"), Duration.ofMinutes(2));
                if (c.containsKey("cold-ms")) {
                    colds.add(Double.parseDouble(c.get("cold-ms")));
                }
            }
            colds.sort(null);
            r.put("cold start ms (3 fresh JVMs, C1)", colds.toString());
            r.put("jar MB", String.format("%.1f", jarBytes(engine) / 1e6));
            results.put(engine, r);
        }
        print(results);
    }

    // ---- the parent: children and the table ------------------------------------------------------

    private static Map<String, String> child(List<String> args, List<String> jvm, Duration limit) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EngineComparison.class.getName());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = process.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        Map<String, String> result = new LinkedHashMap<>();
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            result.put("child", "killed after " + limit.toSeconds() + " s");
        }
        String text;
        try {
            text = output.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            text = "";
        }
        for (String line : text.split("\n")) {
            if (line.startsWith("RESULT\t")) {
                String[] parts = line.split("\t", 3);
                result.put(parts[1], parts[2]);
            }
        }
        if (process.exitValue() != 0) {
            result.put("child exit", process.exitValue() + " (last output: " + text.substring(Math.max(0, text.length() - 300))
                    .replace('\n', ' ') + ")");
        }
        return result;
    }

    private static long jarBytes(String engine) throws IOException {
        String pattern = switch (engine) {
            case "quickjs-wasm" -> "(roastedroot|run/endive)";
            case "rhino" -> "org/mozilla/rhino";
            case "graaljs" -> "(org/graalvm|com/oracle|org/bouncycastle|com/ibm/icu)";
            case "javet-v8" -> "com/caoccao";
            default -> "$^";
        };
        long total = 0;
        for (String entry : System.getProperty("java.class.path").split(":")) {
            if (entry.endsWith(".jar") && java.util.regex.Pattern.compile(pattern).matcher(entry).find()) {
                total += Files.size(Path.of(entry));
            }
        }
        return total;
    }

    private static void print(Map<String, Map<String, String>> results) {
        List<String> keys = new ArrayList<>();
        results.values().forEach(r -> r.keySet().forEach(k -> {
            if (!keys.contains(k)) {
                keys.add(k);
            }
        }));
        StringBuilder out = new StringBuilder("| measure | ").append(String.join(" | ", results.keySet())).append(" |\n|---|");
        results.keySet().forEach(k -> out.append("---|"));
        out.append('\n');
        for (String key : keys) {
            out.append("| ").append(key).append(" |");
            for (Map<String, String> r : results.values()) {
                out.append(' ').append(r.getOrDefault(key, "–").replace("|", "/")).append(" |");
            }
            out.append('\n');
        }
        System.out.println(out);
    }

    // ---- a child: one engine ---------------------------------------------------------------------

    private static void report(String key, Object value) {
        System.out.println("RESULT\t" + key + "\t" + value);
        System.out.flush();
    }

    private static void cold(String engine) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        String slack = seed("slack");
        String in = input(Json.parse("{\"amount\":99.99,\"customer_name\":\"John Doe\",\"invoice_id\":\"inv_123\"}"));
        long before = System.currentTimeMillis();
        try (Candidate candidate = Candidate.named(engine)) {
            candidate.run(slack, in, Duration.ofSeconds(30));
            long after = System.currentTimeMillis();
            report("cold-ms", after - before);
            report("jvm-to-result-ms", after - jvmStart);
        }
        System.exit(0);
    }

    private static void probe(String engine) throws Exception {
        QuickJsWasm reference = new QuickJsWasm();
        try (Candidate candidate = Candidate.named(engine)) {
            report("memory cap per run", candidate.memoryCap());
            syntax(candidate);
            seeds(candidate, reference);
            isolation(candidate);
        }
        hostile(engine);
        System.exit(0);
    }

    private static void syntax(Candidate candidate) {
        Map<String, String> features = new LinkedHashMap<>();
        features.put("for (const x of …)", "function handler(w) { let n = 0; for (const x of [1, 2]) n += x; w.payload = { n }; return w; }");
        features.put("optional chaining", "function handler(w) { w.payload = { n: w.payload?.missing?.deep ?? 3 }; return w; }");
        features.put("nullish coalescing", "function handler(w) { w.payload = { n: null ?? 3 }; return w; }");
        features.put("async/await", "async function f() { await null; return 3; }\nfunction handler(w) { f(); w.payload = { n: 3 }; return w; }");
        List<String> accepted = new ArrayList<>();
        features.forEach((name, code) -> {
            try {
                if (candidate.run(code, input(Json.object()), Duration.ofSeconds(5)).contains("3")) {
                    accepted.add(name);
                }
            } catch (Exception | Error e) {
                // not accepted
            }
        });
        report("syntax accepted (of 4)", accepted.size() + " " + accepted);
    }

    private static void seeds(Candidate candidate, QuickJsWasm reference) throws Exception {
        int same = 0;
        List<String> differ = new ArrayList<>();
        List<Long> p50s = new ArrayList<>();
        List<Long> p99s = new ArrayList<>();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = 0;
        int runs = 0;
        for (String name : SEEDS) {
            String code = seed(name);
            JsonNode payload = examplePayload(code);
            String in = input(payload == null ? Json.object().put("name", "John Doe").put("amount", 99.99) : payload);
            String expected = payloadOf(reference.run(code, in, Duration.ofSeconds(5)));
            String actual;
            try {
                actual = payloadOf(candidate.run(code, in, Duration.ofSeconds(5)));
            } catch (Exception | Error e) {
                actual = "error: " + e.getMessage();
            }
            if (withoutTime(expected).equals(withoutTime(actual))) {
                same++;
            } else {
                differ.add(name);
            }
            for (int i = 0; i < 300; i++) {
                candidate.run(code, in, Duration.ofSeconds(5));
            }
            long[] took = new long[1000];
            long allocBefore = threads.getTotalThreadAllocatedBytes();
            for (int i = 0; i < took.length; i++) {
                long t = System.nanoTime();
                candidate.run(code, in, Duration.ofSeconds(5));
                took[i] = System.nanoTime() - t;
            }
            allocated += threads.getTotalThreadAllocatedBytes() - allocBefore;
            runs += took.length;
            Arrays.sort(took);
            p50s.add(took[took.length / 2]);
            p99s.add(took[took.length * 99 / 100]);
        }
        report("seed examples as the product's engine (of 12)", same + (differ.isEmpty() ? "" : " (differ: " + differ + ")"));
        report("seed p50 µs (min–max over 12)", String.format("%.0f–%.0f", p50s.stream().mapToLong(x -> x).min().orElse(0) / 1e3,
                p50s.stream().mapToLong(x -> x).max().orElse(0) / 1e3));
        report("seed p99 µs (min–max over 12)", String.format("%.0f–%.0f", p99s.stream().mapToLong(x -> x).min().orElse(0) / 1e3,
                p99s.stream().mapToLong(x -> x).max().orElse(0) / 1e3));
        report("Java heap allocated per seed run KB", String.format("%.0f", allocated / (double) runs / 1024));
    }

    /** Each case on a fresh instance of the engine, so a run left stuck cannot hold the next one up. */
    private static void hostile(String engine) throws Exception {
        int holes = 0;
        List<String> details = new ArrayList<>();
        List<String> ended = new ArrayList<>();
        var threads = ManagementFactory.getThreadMXBean();
        for (var entry : HOSTILE.entrySet()) {
            String code = "function handler(w) { " + entry.getValue() + "; return w; }";
            Runtime.getRuntime().gc();
            long heapBefore = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            long[] worker = new long[1];
            Candidate candidate = Candidate.named(engine);
            CompletableFuture<String> run = new CompletableFuture<>();
            Thread thread = Thread.ofPlatform().daemon(true).start(() -> {
                worker[0] = Thread.currentThread().threadId();
                try {
                    run.complete(candidate.run(code, input(Json.object()), BUDGET));
                } catch (Throwable e) {
                    run.complete("error: " + e);
                }
            });
            long started = System.nanoTime();
            String outcome;
            try {
                outcome = run.get(ENDS_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                outcome = null;
            }
            long took = (System.nanoTime() - started) / 1_000_000;
            long heapAfter = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            boolean spinning = false;
            if (thread.isAlive()) {
                long cpu0 = threads.getThreadCpuTime(worker[0]);
                Thread.sleep(300);
                spinning = thread.isAlive() && threads.getThreadCpuTime(worker[0]) - cpu0 > 100_000_000L;
            }
            boolean hole = outcome == null || spinning || outcome.contains("OutOfMemoryError") || heapAfter - heapBefore > 256L << 20;
            ended.add(outcome == null ? "never" : took + " ms");
            if (outcome != null) {
                candidate.close();
            }
            if (hole) {
                holes++;
                details.add(entry.getKey() + (outcome == null ? " (still running after " + took + " ms" + (spinning ? ", spinning" : "") + ")"
                        : outcome.contains("OutOfMemoryError") ? " (OutOfMemoryError)" : " (heap +" + (heapAfter - heapBefore) / (1 << 20) + " MB)"));
            }
        }
        report("hostile cases held (of " + HOSTILE.size() + "; ended within 10 s, no thread left spinning, heap < +256 MB)",
                (HOSTILE.size() - holes) + (details.isEmpty() ? "" : " — holes: " + details));
        report("hostile cases: time to end, in table order", ended);
    }

    private static void isolation(Candidate candidate) {
        String poison = "Object.getPrototypeOf([][Symbol.iterator]()).next = function () { return { done: true }; };\n"
                + "Array.prototype[Symbol.iterator] = function* () { yield 'LEAK'; };\n"
                + "function handler(w) { return w; }";
        String victim = "function handler(w) { const seen = []; for (const x of [1, 2]) seen.push(x); w.payload = { seen }; return w; }";
        String outcome;
        try {
            candidate.run(poison, input(Json.object()), Duration.ofSeconds(5));
        } catch (Exception | Error e) {
            // an engine that refuses part of the poison still gets the victim run
        }
        try {
            outcome = candidate.run(victim, input(Json.object()), Duration.ofSeconds(5));
        } catch (Exception | Error e) {
            outcome = "error: " + e.getMessage();
        }
        report("poisoned iterators reach the next run", outcome.contains("[1,2]") ? "no" : "yes: " + outcome);
    }

    // ---- inputs ------------------------------------------------------------------------------------

    static String seed(String name) {
        return SeedScripts.source(name);
    }

    static String input(JsonNode payload) {
        ObjectNode webhook = Json.object().put("method", "POST").put("url", "https://hooks.example.com/x").put("eventType", "invoice.created");
        webhook.set("payload", payload);
        webhook.putObject("headers");
        webhook.put("cancel", false);
        return Json.write(webhook);
    }

    private static String payloadOf(String result) throws IOException {
        return Json.write(Json.parse(result).path("payload"));
    }

    private static String withoutTime(String json) {
        return json.replaceAll("\"timestamp\":\"[^\"]*\"", "\"timestamp\":\"…\"");
    }

    /** The example payload of a seed script's comment; null for the two scripts that have none. */
    static JsonNode examplePayload(String source) {
        return source.contains("Example payload is:") ? SeedScripts.examplePayload(source) : null;
    }
}
