package app.connectors.transform;

import app.connectors.json.Json;
import app.connectors.problem.ServiceUnavailableException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    /** How much longer than a run's own bounds a caller waits before it gives up on the sandbox. */
    private static final Duration CALLER_GRACE = Duration.ofSeconds(1);

    private final TransformLimits limits;
    private final RunClock clock;
    private volatile Runtime runtime;

    public TransformationEngine() {
        this(TransformLimits.defaults());
    }

    public TransformationEngine(TransformLimits limits) {
        this(limits, RunClock.system());
    }

    /** @param clock judges runs' wall and CPU time; {@link RunClock#system()} but in tests of a starved host */
    public TransformationEngine(TransformLimits limits, RunClock clock) {
        this.limits = limits;
        this.clock = clock;
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
     * @throws ServiceUnavailableException when the sandbox could not run the check in time (the host is overloaded)
     */
    public Optional<SourceProblem> check(String code) {
        return switch (runtime().submit(code, null, limits.cpuTime(), true)) {
            case TransformOutcome.Failure f -> Optional.of(new SourceProblem(f.kind(), f.message(), f.line(), f.column()));
            case TransformOutcome.Unavailable u -> throw new ServiceUnavailableException(
                    "The transformation could not be checked now: " + u.reason() + ". Try again in a moment.");
            case TransformOutcome.Success s -> Optional.empty();
        };
    }

    /**
     * Runs {@code handler(webhook)} on a copy of {@code input}; never throws for script faults. A
     * {@link TransformOutcome.Success} carries a webhook that can be sent as it is ({@link Webhook#sendProblem()}
     * has nothing to say) or that is cancelled.
     */
    public TransformOutcome run(String code, Webhook input) {
        return runtime().submit(code, input, limits.cpuTime(), false);
    }

    /** A run with another CPU budget than the engine's: for tests that walk the whole realm. */
    TransformOutcome run(String code, Webhook input, Duration cpuBudget) {
        return runtime().submit(code, input, cpuBudget, false);
    }

    /** Bytes of compiled bytecode (and their sources) kept between runs; at most {@link TransformLimits#compiledCacheBytes()}. */
    long compiledBytesKept() {
        return runtime().cache.bytes();
    }

    /** True while the watchdog that limits every run is alive. */
    boolean watchdogTicking() {
        return runtime().watchdog.ticking();
    }

    private Runtime runtime() {
        Runtime current = runtime;
        if (current == null) {
            synchronized (this) {
                current = runtime;
                if (current == null) {
                    current = new Runtime(limits, clock);
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
        private final RunClock clock;
        private final SandboxImage image;
        private final RunWatchdog watchdog;
        private final CompiledScriptCache cache;
        private final ExecutorService workers;
        private final ThreadLocal<Sandbox> sandboxes;

        Runtime(TransformLimits limits, RunClock clock) {
            this.limits = limits;
            this.clock = clock;
            this.watchdog = new RunWatchdog(clock);
            this.image = SandboxImage.build(limits.maxMemoryPages());
            this.cache = new CompiledScriptCache(limits.compiledCacheSize(), limits.compiledCacheBytes());
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
                TransformOutcome outcome = submit(code, Webhook.post("https://warm.up/", "warm.up", payload), WARM_UP_BUDGET,
                        WARM_UP_BUDGET, false);
                // A warm-up run the host shed (overloaded at start-up) has only failed to warm anything up.
                if (outcome instanceof TransformOutcome.Failure) {
                    throw new IllegalStateException("transformation sandbox failed its own warm-up: " + outcome);
                }
            }
        }

        /**
         * Runs on a worker and waits for the outcome. The wait is bounded: a run starts within
         * {@link TransformLimits#maxQueueWait()} or is not run, and once started it ends within its
         * wall-clock backstop; the caller gives up (and cancels) only if even that fails.
         */
        TransformOutcome submit(String code, Webhook input, Duration budget, boolean check) {
            return submit(code, input, limits.compileCpuTime(), budget, check);
        }

        TransformOutcome submit(String code, Webhook input, Duration compileBudget, Duration budget, boolean check) {
            long submitted = clock.wallNanos();
            long called = System.nanoTime();
            Future<TransformOutcome> future = workers.submit(() -> execute(code, input, compileBudget, budget, check, submitted,
                    called));
            Duration patience = limits.maxQueueWait().plus(TransformLimits.compileBackstop(compileBudget))
                    .plus(TransformLimits.wallBackstop(budget)).plus(CALLER_GRACE);
            try {
                return future.get(patience.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                return new TransformOutcome.Unavailable("the sandbox did not answer within " + patience.toMillis() + " ms",
                        List.of(), Duration.ofNanos(System.nanoTime() - called));
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while a transformation ran", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("transformation run failed outside the sandbox", e.getCause());
            }
        }

        /** On a worker thread: compile (or take from the cache) and evaluate, under the watchdog. */
        private TransformOutcome execute(String code, Webhook input, Duration compileBudget, Duration budget, boolean check,
                                         long submitted, long called) {
            Run run = new Run(code, new ConsoleCapture(limits.maxConsoleLines(), limits.maxConsoleChars()), called);
            long waited = clock.wallNanos() - submitted;
            if (waited > limits.maxQueueWait().toNanos()) {
                // Started too late to be worth starting: the host is overloaded, and the caller has waited long enough.
                return run.unavailable("the sandbox was busy: the run waited " + Duration.ofNanos(waited).toMillis()
                        + " ms for a worker");
            }
            Sandbox sandbox = sandboxes.get();
            // Compiling has its own budget: a source is compiled once per execution environment (then
            // cached), and a long one (or the search for a bad regex literal's position) may need more
            // than a run's budget; the run proper is then charged only its own work.
            CompiledScriptCache.Compiled compiled;
            RunWatchdog.Watch compiling = watchdog.start(compileBudget, TransformLimits.compileBackstop(compileBudget));
            try {
                compiled = cache.get(code, source -> compile(sandbox, source));
            } catch (WasmInterruptedException e) {
                return compiling.stop() == RunWatchdog.Stop.STARVED ? run.unavailable(compiling.verdict())
                        : run.failure(FailureKind.CPU_LIMIT, "compiling the transformation code took more than "
                        + compileBudget.toMillis() + " ms of CPU time; make it shorter or simpler", null, null);
            } catch (StackOverflowError e) {
                return run.failure(FailureKind.STACK_LIMIT, "transformation code is nested too deeply to compile", null, null);
            } catch (RuntimeException e) {
                // A trap while compiling: the WebAssembly runtime refusing a deeper call (absurdly
                // nested source) or the runtime's own error exit. The source's fault, never the host's.
                return GuestFailures.isStackExhaustion(String.valueOf(e.getMessage()))
                        ? run.failure(FailureKind.STACK_LIMIT, "transformation code is nested too deeply to compile", null, null)
                        : run.failure(FailureKind.SYNTAX, "transformation code could not be compiled ("
                                + e.getMessage() + "); check for unbalanced brackets or very deep nesting", null, null);
            } finally {
                watchdog.stop(compiling);
            }
            if (compiled.problem() != null) {
                SourceProblem p = compiled.problem();
                return run.failure(p.kind(), p.message(), p.line(), p.column());
            }
            RunWatchdog.Watch watch = watchdog.start(budget, TransformLimits.wallBackstop(budget));
            try {
                RunIo io = new RunIo(input(input, check), run.console,
                        Math.max(limits.maxOutputBytes(), 4 * limits.maxConsoleChars() + 64), check);
                Sandbox.Ending ending = sandbox.evaluate(compiled.bytecode(), io);
                if (ending.trap() instanceof WasmInterruptedException) {
                    return run.stopped(watch);
                }
                return outcome(ending, input, check, run);
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
            String text = SourceText.escapeNul(source);
            Guest.Compiled compiled = sandbox.compile(text + DRIVER);
            if (compiled.bytecode() != null) {
                return new CompiledScriptCache.Compiled(compiled.bytecode(), null);
            }
            var outOfMemory = GuestFailures.compileMemory(compiled.error(), limits.maxMemoryBytes());
            if (outOfMemory.isPresent()) {
                GuestFailures.Described memory = outOfMemory.get();
                return new CompiledScriptCache.Compiled(null, new SourceProblem(memory.kind(), memory.message(), null, null));
            }
            GuestFailures.Described syntax = GuestFailures.syntax(compiled.error());
            if (syntax.line() == null) {
                try {
                    syntax = SyntaxPosition.locate(syntax, text, prefix -> {
                        Guest.Compiled attempt = sandbox.compile(prefix);
                        return attempt.error() == null ? null : GuestFailures.syntax(attempt.error());
                    });
                } catch (WasmInterruptedException e) {
                    // The search for the position ran out of the compile budget: the error stands, without one.
                    Thread.interrupted();
                }
            } else {
                syntax = SyntaxPosition.clamp(syntax, text);
            }
            return new CompiledScriptCache.Compiled(null, new SourceProblem(syntax.kind(), syntax.message(), syntax.line(),
                    SourceText.originalColumn(source, syntax.line(), syntax.column())));
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

        /**
         * What the guest reported, read as the script's own word: the host accepts only the reports a
         * handler can produce in this mode (RunIo), so a script that got hold of the bridge could say
         * nothing it could not have said by returning or throwing.
         */
        private TransformOutcome outcome(Sandbox.Ending ending, Webhook input, boolean check, Run run) {
            if (ending.report() == null) {
                if (ending.trap() instanceof StackOverflowError || (ending.trap() != null
                        && GuestFailures.isStackExhaustion(String.valueOf(ending.trap().getMessage())))) {
                    return run.failure(GuestFailures.stack());
                }
                if (ending.trap() != null) {
                    return run.failure(GuestFailures.trapped(ending.stderr(), limits.maxMemoryBytes()));
                }
                return run.failure(FailureKind.INVALID_RESULT, "handler returned a promise that never settled", null, null);
            }
            return switch (ending.report()) {
                case "checked" -> new TransformOutcome.Success(Webhook.post("https://example.com/", "check", null),
                        run.console.lines(), run.took());
                case "result" -> result(ending.json(), input, run);
                case "error" -> run.failure(GuestFailures.thrown(ending.json(), limits.maxMemoryBytes()));
                case "nohandler" -> run.failure(FailureKind.NO_HANDLER,
                        "no top-level function named handler: define function handler(webhook) { … return webhook; }", 1, 1);
                case "toolarge" -> run.failure(FailureKind.OUTPUT_TOO_LARGE, "the resulting webhook is " + ending.json()
                        + " bytes of JSON; the limit is " + limits.maxOutputBytes(), null, null);
                case "invalid" -> run.failure(FailureKind.INVALID_RESULT, message(ending.json()), null, null);
                default -> run.failure(FailureKind.INVALID_RESULT, check
                        ? "the check of transformation code ended without reaching its end"
                        : "the transformation did not return through its handler", null, null);
            };
        }

        private TransformOutcome result(String json, Webhook input, Run run) {
            // A UTF-8 byte count is at most 3 per char: most results are measured without encoding them.
            int bytes = json.length() * 3L <= limits.maxOutputBytes() ? 0 : json.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > limits.maxOutputBytes()) {
                return run.failure(FailureKind.OUTPUT_TOO_LARGE, "the resulting webhook is " + bytes + " bytes of JSON; the limit is "
                        + limits.maxOutputBytes(), null, null);
            }
            try {
                // Numbers go out in the text JavaScript wrote them in (1e-7, 1e+21), not written again by Java.
                Webhook out = webhook(Json.parseExact(SourceText.wellFormedJson(json)), input);
                // The one check of what can be sent, for deliveries and dry runs alike; a cancelled webhook is never sent.
                Optional<String> unsendable = out.cancel() ? Optional.empty() : out.sendProblem();
                if (unsendable.isPresent()) {
                    return run.failure(FailureKind.INVALID_RESULT, "the transformation's result cannot be sent: " + unsendable.get(),
                            null, null);
                }
                return new TransformOutcome.Success(out, run.console.lines(), run.took());
            } catch (InvalidResult e) {
                return run.failure(FailureKind.INVALID_RESULT, e.getMessage(), null, null);
            } catch (StreamConstraintsException e) {
                return run.failure(FailureKind.INVALID_RESULT, "the returned webhook cannot be read: "
                        + Json.limitRefused(e).orElseThrow() + (e.getOriginalMessage() != null
                        && e.getOriginalMessage().contains("nesting depth") ? "; flatten webhook.payload" : ""), null, null);
            } catch (JsonProcessingException e) {
                return run.failure(FailureKind.INVALID_RESULT, "the returned webhook is not valid JSON", null, null);
            }
        }

        /** One execution: its source (positions are reported in it), console and start. */
        private final class Run {
            private final String source;
            private final ConsoleCapture console;
            private final long called;

            /** @param called when the caller asked, by {@link System#nanoTime()}: {@code took} is reported, not judged */
            Run(String source, ConsoleCapture console, long called) {
                this.source = source;
                this.console = console;
                this.called = called;
            }

            /** A stop by the watchdog: the script's CPU, or the host that kept it off the CPU. */
            TransformOutcome stopped(RunWatchdog.Watch watch) {
                if (watch.stop() == RunWatchdog.Stop.STARVED) {
                    return unavailable(watch.verdict());
                }
                return failure(FailureKind.CPU_LIMIT, watch.verdict() != null ? watch.verdict() : "transformation was stopped",
                        null, null);
            }

            TransformOutcome.Unavailable unavailable(String reason) {
                return new TransformOutcome.Unavailable(reason, console.lines(), took());
            }

            TransformOutcome.Failure failure(GuestFailures.Described d) {
                return failure(d.kind(), d.message(), d.line(), d.column());
            }

            TransformOutcome.Failure failure(FailureKind kind, String message, Integer line, Integer column) {
                return new TransformOutcome.Failure(kind, message, line, SourceText.originalColumn(source, line, column),
                        console.lines(), took());
            }

            Duration took() {
                return Duration.ofNanos(System.nanoTime() - called);
            }
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

}
