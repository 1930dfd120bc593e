package app.connectors.transform;

import app.connectors.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import run.endive.runtime.WasmInterruptedException;

/**
 * Runs transformation code ({@code function handler(webhook) { … }}) in a sandbox that is isolated
 * by construction: QuickJS compiled to WebAssembly, one instance per run restored from a pristine
 * image, its memory capped, its CPU time watched and cut wherever it is spent. See
 * docs/decisions/0010-transformation-sandbox.md.
 *
 * <p>Construction is cheap: the sandbox is built on first use, so callers that never transform
 * (deliveries of connectors without a transformation) never pay for it. Build one engine per
 * execution environment and reuse it: it caches compiled bytecode. A run never throws for anything
 * the script does; the outcome says what happened.
 *
 * <pre>{@code
 * TransformationEngine engine = new TransformationEngine();
 * engine.check(code).ifPresent(problem -> reject(problem));           // at save time
 * TransformOutcome outcome = engine.run(code, Webhook.post(url, "invoice.created", payload));
 * }</pre>
 */
public final class TransformationEngine {

    /**
     * Appended to every source: calls the handler the code defines, through the driver the prelude
     * installed. After the user's code, so its line and column numbers are the user's own.
     */
    private static final String DRIVER = "\n;__connectors.run(typeof handler === 'function' ? handler : undefined);\n";
    private static final Duration WARM_UP_BUDGET = Duration.ofSeconds(30);

    private final TransformLimits limits;
    private volatile Runtime runtime;

    public TransformationEngine() {
        this(TransformLimits.defaults());
    }

    public TransformationEngine(TransformLimits limits) {
        this.limits = limits;
    }

    public TransformLimits limits() {
        return limits;
    }

    /** True once the sandbox has been built (on the first check or run). */
    public boolean started() {
        return runtime != null;
    }

    /**
     * Checks code at save time: size, syntax (regular expression literals included), and a
     * top-level {@code handler} function. The top-level code runs, in the sandbox, to find it.
     *
     * @return empty when the code can be saved, else the first problem with its position
     */
    public Optional<SourceProblem> check(String code) {
        TransformOutcome outcome = runtime().submit(code, null, limits.cpuTime(), true);
        if (outcome instanceof TransformOutcome.Failure failure) {
            return Optional.of(new SourceProblem(failure.kind(), failure.message(), failure.line(), failure.column()));
        }
        return Optional.empty();
    }

    /** Runs {@code handler(webhook)} on a copy of {@code input}; never throws for script faults. */
    public TransformOutcome run(String code, Webhook input) {
        return runtime().submit(code, input, limits.cpuTime(), false);
    }

    /** A run with another CPU budget than the engine's: for tests that walk the whole realm. */
    TransformOutcome run(String code, Webhook input, Duration cpuBudget) {
        return runtime().submit(code, input, cpuBudget, false);
    }

    private Runtime runtime() {
        Runtime current = runtime;
        if (current == null) {
            synchronized (this) {
                current = runtime;
                if (current == null) {
                    current = new Runtime(limits);
                    runtime = current;
                }
            }
        }
        return current;
    }

    /** The sandbox once built: the image, the worker threads that own one sandbox each, the watchdog, the cache. */
    private static final class Runtime {
        private static final AtomicInteger RUNTIMES = new AtomicInteger();

        private final TransformLimits limits;
        private final SandboxImage image;
        private final RunWatchdog watchdog = new RunWatchdog();
        private final CompiledScriptCache cache;
        private final ExecutorService workers;
        private final ThreadLocal<Sandbox> sandboxes;

        Runtime(TransformLimits limits) {
            this.limits = limits;
            this.image = SandboxImage.build(limits.maxMemoryPages());
            this.cache = new CompiledScriptCache(limits.compiledCacheSize());
            this.sandboxes = ThreadLocal.withInitial(() -> new Sandbox(image));
            int id = RUNTIMES.incrementAndGet();
            // Platform threads: the watchdog charges each run its thread's CPU time, which virtual
            // threads do not have. A deep stack, so the WebAssembly runtime's own call-depth limit
            // is reached before the Java stack is.
            AtomicInteger count = new AtomicInteger();
            this.workers = Executors.newFixedThreadPool(limits.maxConcurrentRuns(), task -> Thread.ofPlatform()
                    .name("transformation-" + id + "-" + count.incrementAndGet()).daemon(true)
                    .stackSize(16L * 1024 * 1024).unstarted(task));
            warmUp();
        }

        /**
         * Unmetered runs of a representative script at build time: the first runs in a JVM load and
         * compile the sandbox's code, which would otherwise be charged to the first customer's
         * budget. Doubles as SnapStart priming.
         */
        private void warmUp() {
            String code = """
                    function handler(webhook) {
                      const { amount, user } = webhook.payload;
                      const copy = { ...webhook.payload, items: [1, 2, 3].map((n) => n * 2) };
                      console.log('warm-up', copy);
                      for (const [key, value] of Object.entries(copy)) { if (key === 'none') return value; }
                      webhook.payload = { text: `${user?.name ?? 'x'} paid $${amount}`, at: new Date(0).toISOString(),
                        json: JSON.parse(JSON.stringify(copy)), ok: /^w/.test(webhook.eventType), n: Math.max(1, 2) };
                      return webhook;
                    }
                    """;
            var payload = Json.object().put("amount", 1.5);
            payload.putObject("user").put("name", "warm");
            for (int i = 0; i < 3; i++) {
                TransformOutcome outcome = submit(code, Webhook.post("https://warm.up/", "warm.up", payload), WARM_UP_BUDGET, false);
                if (!(outcome instanceof TransformOutcome.Success)) {
                    throw new IllegalStateException("transformation sandbox failed its own warm-up: " + outcome);
                }
            }
        }

        TransformOutcome submit(String code, Webhook input, Duration budget, boolean check) {
            Future<TransformOutcome> future = workers.submit(() -> execute(code, input, budget, check));
            try {
                return future.get();
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while a transformation ran", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("transformation run failed outside the sandbox", e.getCause());
            }
        }

        /** On a worker thread: compile (or take from the cache) and evaluate, under the watchdog. */
        private TransformOutcome execute(String code, Webhook input, Duration budget, boolean check) {
            long started = System.nanoTime();
            Sandbox sandbox = sandboxes.get();
            ConsoleCapture console = new ConsoleCapture(limits.maxConsoleLines(), limits.maxConsoleChars());
            RunWatchdog.Watch watch = watchdog.start(budget, budget.multipliedBy(20));
            try {
                CompiledScriptCache.Compiled compiled;
                try {
                    compiled = cache.get(code, source -> compile(sandbox, source));
                } catch (WasmInterruptedException e) {
                    return failure(FailureKind.CPU_LIMIT, watch.verdict(), null, null, console, started);
                } catch (StackOverflowError e) {
                    return failure(FailureKind.STACK_LIMIT, "transformation code is nested too deeply to compile", null, null,
                            console, started);
                } catch (RuntimeException e) {
                    // A trap while compiling: the WebAssembly runtime refusing a deeper call (absurdly
                    // nested source) or the runtime's own error exit. The source's fault, never the host's.
                    return GuestFailures.isStackExhaustion(String.valueOf(e.getMessage()))
                            ? failure(FailureKind.STACK_LIMIT, "transformation code is nested too deeply to compile", null, null,
                                    console, started)
                            : failure(FailureKind.SYNTAX, "transformation code could not be compiled", null, null, console, started);
                }
                if (compiled.problem() != null) {
                    SourceProblem p = compiled.problem();
                    return failure(p.kind(), p.message(), p.line(), p.column(), console, started);
                }
                RunIo io = new RunIo(input(input, check), console,
                        Math.max(limits.maxOutputBytes(), 4 * limits.maxConsoleChars() + 64));
                Sandbox.Ending ending = sandbox.evaluate(compiled.bytecode(), io);
                if (ending.trap() instanceof WasmInterruptedException) {
                    return failure(FailureKind.CPU_LIMIT, watch.verdict() != null ? watch.verdict()
                            : "transformation was stopped", null, null, console, started);
                }
                return outcome(ending, input, check, console, started);
            } finally {
                watchdog.stop(watch);
            }
        }

        private CompiledScriptCache.Compiled compile(Sandbox sandbox, String source) {
            int bytes = source.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > limits.maxSourceBytes()) {
                return new CompiledScriptCache.Compiled(null, new SourceProblem(FailureKind.SOURCE_TOO_LARGE,
                        "transformation code is " + bytes + " bytes; the limit is " + limits.maxSourceBytes(), null, null));
            }
            Guest.Compiled compiled = sandbox.compile(source + DRIVER);
            if (compiled.bytecode() != null) {
                return new CompiledScriptCache.Compiled(compiled.bytecode(), null);
            }
            if (compiled.error().contains("memory allocation of") || compiled.error().contains("out of memory")) {
                return new CompiledScriptCache.Compiled(null, new SourceProblem(FailureKind.MEMORY_LIMIT,
                        "transformation code needs more memory to compile than a run may use", null, null));
            }
            GuestFailures.Described syntax = GuestFailures.syntax(compiled.error());
            if (syntax.line() == null) {
                syntax = SyntaxPosition.locate(syntax, source, prefix -> GuestFailures.syntax(sandbox.compile(prefix).error()));
            } else {
                syntax = SyntaxPosition.clamp(syntax, source);
            }
            return new CompiledScriptCache.Compiled(null, new SourceProblem(syntax.kind(), syntax.message(), syntax.line(),
                    syntax.column()));
        }

        private String input(Webhook webhook, boolean check) {
            ObjectNode input = Json.object();
            input.put("mode", check ? "check" : "run");
            if (webhook != null) {
                ObjectNode w = input.putObject("webhook");
                w.put("method", webhook.method());
                w.put("url", webhook.url());
                w.put("eventType", webhook.eventType());
                w.set("payload", webhook.payload());
                ObjectNode headers = w.putObject("headers");
                webhook.headers().forEach(headers::put);
                w.put("cancel", webhook.cancel());
            }
            input.putObject("limits").put("consoleLines", limits.maxConsoleLines()).put("consoleChars", limits.maxConsoleChars());
            ThreadLocalRandom random = ThreadLocalRandom.current();
            input.putArray("seed").add(random.nextInt()).add(random.nextInt());
            return Json.write(input);
        }

        private TransformOutcome outcome(Sandbox.Ending ending, Webhook input, boolean check, ConsoleCapture console,
                                         long started) {
            if (ending.report() == null) {
                if (ending.trap() instanceof StackOverflowError || (ending.trap() != null
                        && GuestFailures.isStackExhaustion(String.valueOf(ending.trap().getMessage())))) {
                    return failure(GuestFailures.stack(), console, started);
                }
                if (ending.trap() != null) {
                    return failure(GuestFailures.trapped(ending.stderr(), limits.maxMemoryBytes()), console, started);
                }
                return failure(FailureKind.INVALID_RESULT, "handler returned a promise that never settled", null, null,
                        console, started);
            }
            return switch (ending.report()) {
                case "checked" -> new TransformOutcome.Success(Webhook.post("https://example.com/", "check", null),
                        console.lines(), since(started));
                case "result" -> check ? failure(FailureKind.INVALID_RESULT, "check ran a handler", null, null, console, started)
                        : result(ending.json(), input, console, started);
                case "error" -> failure(GuestFailures.thrown(ending.json(), limits.maxMemoryBytes()), console, started);
                case "nohandler" -> failure(FailureKind.NO_HANDLER,
                        "no top-level function named handler: define function handler(webhook) { … return webhook; }",
                        1, 1, console, started);
                case "toolarge" -> failure(FailureKind.OUTPUT_TOO_LARGE, "the resulting webhook is " + ending.json()
                        + " bytes of JSON; the limit is " + limits.maxOutputBytes(), null, null, console, started);
                default -> failure(FailureKind.INVALID_RESULT, message(ending.json()), null, null, console, started);
            };
        }

        private TransformOutcome result(String json, Webhook input, ConsoleCapture console, long started) {
            int bytes = json.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > limits.maxOutputBytes()) {
                return failure(FailureKind.OUTPUT_TOO_LARGE, "the resulting webhook is " + bytes + " bytes of JSON; the limit is "
                        + limits.maxOutputBytes(), null, null, console, started);
            }
            try {
                return new TransformOutcome.Success(webhook(Json.parse(json), input), console.lines(), since(started));
            } catch (InvalidResult e) {
                return failure(FailureKind.INVALID_RESULT, e.getMessage(), null, null, console, started);
            } catch (JsonProcessingException e) {
                return failure(FailureKind.INVALID_RESULT, "the returned webhook is not valid JSON", null, null, console, started);
            }
        }

        private TransformOutcome.Failure failure(GuestFailures.Described d, ConsoleCapture console, long started) {
            return failure(d.kind(), d.message(), d.line(), d.column(), console, started);
        }

        private TransformOutcome.Failure failure(FailureKind kind, String message, Integer line, Integer column,
                                                 ConsoleCapture console, long started) {
            return new TransformOutcome.Failure(kind, message, line, column, console.lines(), since(started));
        }
    }

    // ---- the result --------------------------------------------------------------------------

    private static final class InvalidResult extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidResult(String message) {
            super(message, null, false, false);
        }
    }

    /** The webhook the handler returned, as plain JSON from the sandbox, checked field by field. */
    static Webhook webhook(JsonNode result, Webhook input) throws InvalidResult {
        String method = input.method();
        JsonNode m = result.get("method");
        if (m != null && !m.isNull()) {
            if (!m.isTextual() || !Webhook.METHODS.contains(m.textValue().toUpperCase(Locale.ROOT))) {
                throw new InvalidResult("webhook.method must be one of POST, PUT, PATCH");
            }
            method = m.textValue().toUpperCase(Locale.ROOT);
        }
        String url = input.url();
        JsonNode u = result.get("url");
        if (u != null && !u.isNull()) {
            if (!u.isTextual() || !isHttpUrl(u.textValue())) {
                throw new InvalidResult("webhook.url must be an absolute http or https URL");
            }
            url = u.textValue();
        }
        if ("undefined".equals(result.path("payloadType").asText())) {
            throw new InvalidResult("webhook.payload is undefined");
        }
        JsonNode payload = result.get("payload");
        Map<String, String> headers = input.headers();
        JsonNode h = result.get("headers");
        if (h != null) {
            headers = headers(h);
        }
        boolean cancel = input.cancel();
        JsonNode c = result.get("cancel");
        if (c != null && !c.isNull()) {
            if (!c.isBoolean()) {
                throw new InvalidResult("webhook.cancel must be true or false");
            }
            cancel = c.booleanValue();
        }
        // eventType is the platform's, not the script's: whatever the script wrote there is ignored.
        return new Webhook(method, url, input.eventType(), payload, headers, cancel);
    }

    private static Map<String, String> headers(JsonNode value) throws InvalidResult {
        if (!value.isObject()) {
            throw new InvalidResult("webhook.headers must be an object of strings");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (var entry : value.properties()) {
            String name = entry.getKey();
            if (!entry.getValue().isTextual()) {
                throw new InvalidResult("webhook.headers." + name + " must be a string");
            }
            String headerValue = entry.getValue().textValue();
            // A header name outside RFC 9110's token set, or a line break in a value, would let a
            // script forge extra headers or a second request on the wire.
            if (!isToken(name) || headerValue.indexOf('\r') >= 0 || headerValue.indexOf('\n') >= 0) {
                throw new InvalidResult("webhook.headers." + name + " is not a valid header");
            }
            headers.put(name, headerValue);
        }
        return headers;
    }

    private static String message(String json) {
        try {
            return Json.parse(json).path("message").asText("the handler's result is not a webhook");
        } catch (JsonProcessingException e) {
            return "the handler's result is not a webhook";
        }
    }

    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            return uri.isAbsolute() && uri.getHost() != null
                    && ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
