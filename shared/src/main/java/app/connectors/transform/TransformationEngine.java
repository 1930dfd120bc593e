package app.connectors.transform;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mozilla.javascript.Callable;
import org.mozilla.javascript.CompilerEnvirons;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.EvaluatorException;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.JavaScriptException;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.NativeArray;
import org.mozilla.javascript.NativeObject;
import org.mozilla.javascript.Node;
import org.mozilla.javascript.Parser;
import org.mozilla.javascript.RhinoException;
import org.mozilla.javascript.Script;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Symbol;
import org.mozilla.javascript.Undefined;
import org.mozilla.javascript.ast.AstRoot;
import org.mozilla.javascript.ast.ExpressionStatement;
import org.mozilla.javascript.ast.FunctionNode;
import org.mozilla.javascript.ast.Name;
import org.mozilla.javascript.ast.VariableDeclaration;
import org.mozilla.javascript.ast.VariableInitializer;

/**
 * Runs transformation code ({@code function handler(webhook) { … }}) in a Rhino sandbox: safe
 * standard objects only, no Java, no I/O, no timers, a time, allocation, stack and output budget
 * per run, and a fresh top-level scope per run over a sealed, shared set of built-ins.
 *
 * <p>Build one engine per execution environment and reuse it: it caches compiled scripts. A run
 * never throws for anything the script does; the outcome says what happened.
 *
 * <pre>{@code
 * TransformationEngine engine = new TransformationEngine();
 * engine.check(code).ifPresent(problem -> reject(problem));           // at save time
 * TransformOutcome outcome = engine.run(code, Webhook.post(url, "invoice.created", payload));
 * }</pre>
 */
public final class TransformationEngine {

    /** Name compiled scripts carry in error positions. */
    static final String SOURCE_NAME = "transformation";

    private static final String HANDLER = "handler";
    private static final int ATTRIBUTES = ScriptableObject.DONTENUM | ScriptableObject.READONLY | ScriptableObject.PERMANENT;

    /**
     * Globals that other JavaScript hosts offer and this sandbox does not. Touching one ends the
     * run with {@link FailureKind#FORBIDDEN} and a message that says why, instead of an
     * unhelpful ReferenceError, and cannot be caught by the script.
     */
    private static final Map<String, String> FORBIDDEN = forbiddenGlobals();

    private final TransformLimits limits;
    private final SandboxContextFactory factory;
    private final ScriptableObject sharedScope;
    private final CompiledScriptCache cache;

    public TransformationEngine() {
        this(TransformLimits.defaults());
    }

    public TransformationEngine(TransformLimits limits) {
        this.limits = limits;
        this.factory = new SandboxContextFactory(limits.maxStackDepth());
        this.cache = new CompiledScriptCache(limits.compiledCacheSize());
        this.sharedScope = buildSharedScope();
        warmUp();
    }

    /**
     * One unmetered run of a representative script at construction. The first run in a JVM loads
     * and links a good part of Rhino's interpreter (measured: 80+ ms on the test machine), which
     * would otherwise be charged to the first customer's 50 ms budget and fail it. Doubles as
     * SnapStart priming: it touches the real path and mutates nothing shared.
     */
    private void warmUp() {
        String code = """
                function handler(webhook) {
                  const { amount, user } = webhook.payload;
                  const copy = { ...webhook.payload, items: [1, 2, 3].map((n) => n * 2) };
                  console.log('warm-up', copy);
                  switch (webhook.eventType) {
                    case 'warm.up':
                      webhook.payload = { text: `${user.name} paid $${amount}`, at: new Date(0).toISOString(),
                        json: JSON.parse(JSON.stringify(copy)), ok: /^w/.test(webhook.eventType), n: Math.max(1, 2) };
                      break;
                  }
                  return webhook;
                }
                """;
        var payload = app.connectors.json.Json.object().put("amount", 1.5);
        payload.putObject("user").put("name", "warm");
        TransformOutcome outcome = run(code, Webhook.post("https://warm.up/", "warm.up", payload),
                limits.withCpuTime(Duration.ofSeconds(30)));
        if (!(outcome instanceof TransformOutcome.Success)) {
            throw new IllegalStateException("transformation engine failed its own warm-up: " + outcome);
        }
    }

    public TransformLimits limits() {
        return limits;
    }

    /**
     * Checks code at save time: size, syntax, and a top-level {@code handler} function.
     *
     * @return empty when the code can be saved, else the first problem with its position
     */
    public Optional<SourceProblem> check(String code) {
        CompiledScriptCache.Compiled compiled = compiled(code);
        if (compiled.problem() != null) {
            return Optional.of(compiled.problem());
        }
        return definesHandler(code) ? Optional.empty()
                : Optional.of(new SourceProblem(FailureKind.NO_HANDLER,
                        "no top-level function named handler: define function handler(webhook) { … return webhook; }", 1, 1));
    }

    /** Runs {@code handler(webhook)} on a copy of {@code input}; never throws for script faults. */
    public TransformOutcome run(String code, Webhook input) {
        if (Thread.currentThread().isVirtual()) {
            // The CPU and allocation limits read per-thread counters, which virtual threads do not
            // have (they read -1 and the limits would fall back to the wall clock alone): a run
            // always happens on a platform thread.
            try {
                return PLATFORM_THREADS.submit(() -> run(code, input, limits)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while a transformation ran", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("transformation run failed outside the sandbox", e.getCause());
            }
        }
        return run(code, input, limits);
    }

    /** Platform threads for runs requested from virtual threads; as many as callers wait on at once. */
    private static final java.util.concurrent.ExecutorService PLATFORM_THREADS =
            java.util.concurrent.Executors.newCachedThreadPool(runnable -> {
                Thread thread = Thread.ofPlatform().name("transformation-", 0).daemon(true).unstarted(runnable);
                return thread;
            });

    private TransformOutcome run(String code, Webhook input, TransformLimits runLimits) {
        long started = System.nanoTime();
        CompiledScriptCache.Compiled compiled = compiled(code);
        if (compiled.problem() != null) {
            SourceProblem p = compiled.problem();
            return new TransformOutcome.Failure(p.kind(), p.message(), p.line(), p.column(), List.of(), since(started));
        }
        Context entered = factory.enterContext();
        if (!(entered instanceof SandboxContext cx)) {
            Context.exit();
            throw new IllegalStateException("a foreign Rhino context is active on this thread");
        }
        RunState state = new RunState(runLimits);
        cx.begin(state);
        try {
            Webhook result = execute(cx, compiled.script(), input, state);
            return new TransformOutcome.Success(result, state.console().lines(), since(started));
        } catch (SandboxViolation e) {
            return failure(e.kind(), e.getMessage(), null, state, started);
        } catch (JsonBridge.Rejected e) {
            return failure(e.kind(), e.getMessage(), null, state, started);
        } catch (StackOverflowError e) {
            return failure(FailureKind.STACK_LIMIT, "transformation recursed too deeply", null, state, started);
        } catch (OutOfMemoryError e) {
            // A single built-in call (String.prototype.repeat, a flattened string) can ask for more
            // than the heap before the next allocation check; the request failed, nothing was kept.
            return failure(FailureKind.MEMORY_LIMIT, "transformation tried to allocate more memory than is available",
                    null, state, started);
        } catch (RhinoException e) {
            return failure(classify(e), describe(e), e, state, started);
        } catch (RuntimeException e) {
            // Rhino internals reached by odd scripts (ClassCastException and friends): the script's
            // fault, never the pipeline's, and no internals in the message.
            return failure(FailureKind.SCRIPT_ERROR, "transformation failed: " + e.getClass().getSimpleName(),
                    null, state, started);
        } finally {
            cx.end();
            Context.exit();
        }
    }

    private Webhook execute(SandboxContext cx, Script script, Webhook input, RunState state) {
        // A fresh top-level scope per run: whatever the script declares dies with the run. The
        // built-ins behind it are sealed, so nothing a script does to them can reach the next run.
        NativeObject scope = new NativeObject();
        scope.setPrototype(sharedScope);
        scope.setParentScope(null);

        script.exec(cx, scope, scope);
        Object handler = ScriptableObject.getProperty(scope, HANDLER);
        if (!(handler instanceof Function function)) {
            throw new SandboxViolation(FailureKind.NO_HANDLER,
                    "no function named handler: define function handler(webhook) { … return webhook; }");
        }
        NativeObject webhook = toJs(scope, input);
        Object returned = function.call(cx, scope, scope, new Object[] {webhook});
        Webhook result = fromJs(cx, scope, Undefined.isUndefined(returned) ? webhook : returned, input);
        // Allocation inside one built-in call is only seen at the next check: make that check now.
        state.checkLimits();
        return result;
    }

    private static NativeObject toJs(Scriptable scope, Webhook input) {
        NativeObject webhook = JsonBridge.newObject(scope);
        webhook.put("method", webhook, input.method());
        webhook.put("url", webhook, input.url());
        webhook.put("eventType", webhook, input.eventType());
        webhook.put("payload", webhook, JsonBridge.toJs(scope, input.payload()));
        NativeObject headers = JsonBridge.newObject(scope);
        input.headers().forEach((name, value) -> JsonBridge.put(headers, name, value));
        webhook.put("headers", webhook, headers);
        webhook.put("cancel", webhook, input.cancel());
        return webhook;
    }

    private Webhook fromJs(Context cx, Scriptable scope, Object returned, Webhook input) {
        if (!(returned instanceof ScriptableObject result) || returned instanceof Callable || returned instanceof NativeArray) {
            throw new JsonBridge.Rejected(FailureKind.INVALID_RESULT,
                    "handler must return the webhook object (or nothing, to keep the mutated webhook)");
        }
        if ("Promise".equals(result.getClassName())) {
            throw new JsonBridge.Rejected(FailureKind.INVALID_RESULT, "handler returned a Promise; handlers must be synchronous");
        }
        JsonBridge.Budget budget = new JsonBridge.Budget(limits.maxOutputBytes());

        String method = input.method();
        Object m = ScriptableObject.getProperty(result, "method");
        if (present(m)) {
            if (!(m instanceof CharSequence text) || !Webhook.METHODS.contains(text.toString().toUpperCase(Locale.ROOT))) {
                throw new JsonBridge.Rejected(FailureKind.INVALID_RESULT, "webhook.method must be one of POST, PUT, PATCH");
            }
            method = text.toString().toUpperCase(Locale.ROOT);
        }

        String url = input.url();
        Object u = ScriptableObject.getProperty(result, "url");
        if (present(u)) {
            if (!(u instanceof CharSequence text) || !isHttpUrl(text.toString())) {
                throw new JsonBridge.Rejected(FailureKind.INVALID_RESULT, "webhook.url must be an absolute http or https URL");
            }
            url = text.toString();
        }
        budget.spend(JsonBridge.jsonLength(url));

        Object p = ScriptableObject.getProperty(result, "payload");
        if (!present(p)) {
            throw new JsonBridge.Rejected(FailureKind.INVALID_RESULT, "webhook.payload is undefined");
        }
        var payload = JsonBridge.toJson(cx, scope, p, "webhook.payload", budget);

        Map<String, String> headers = input.headers();
        Object h = ScriptableObject.getProperty(result, "headers");
        if (present(h)) {
            headers = headers(h, budget);
        }

        boolean cancel = input.cancel();
        Object c = ScriptableObject.getProperty(result, "cancel");
        if (present(c)) {
            if (!(c instanceof Boolean flag)) {
                throw new JsonBridge.Rejected(FailureKind.INVALID_RESULT, "webhook.cancel must be true or false");
            }
            cancel = flag;
        }
        // eventType is the platform's, not the script's: whatever the script wrote there is ignored.
        return new Webhook(method, url, input.eventType(), payload, headers, cancel);
    }

    private static Map<String, String> headers(Object value, JsonBridge.Budget budget) {
        if (!(value instanceof ScriptableObject object) || value instanceof Callable || value instanceof NativeArray) {
            throw new JsonBridge.Rejected(FailureKind.INVALID_RESULT, "webhook.headers must be an object of strings");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Object id : object.getIds()) {
            String name = String.valueOf(id);
            Object v = id instanceof Integer index ? ScriptableObject.getProperty(object, index)
                    : ScriptableObject.getProperty(object, name);
            if (!(v instanceof CharSequence text)) {
                throw new JsonBridge.Rejected(FailureKind.INVALID_RESULT, "webhook.headers." + name + " must be a string");
            }
            String headerValue = text.toString();
            // A header name outside RFC 9110's token set, or a line break in a value, would let a
            // script forge extra headers or a second request on the wire.
            if (!isToken(name) || headerValue.indexOf('\r') >= 0 || headerValue.indexOf('\n') >= 0) {
                throw new JsonBridge.Rejected(FailureKind.INVALID_RESULT, "webhook.headers." + name + " is not a valid header");
            }
            budget.spend(JsonBridge.jsonLength(name) + JsonBridge.jsonLength(headerValue) + 2);
            headers.put(name, headerValue);
        }
        return headers;
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

    private static boolean present(Object value) {
        return value != Scriptable.NOT_FOUND && !Undefined.isUndefined(value);
    }

    // ---- compilation ---------------------------------------------------------------------------

    private CompiledScriptCache.Compiled compiled(String code) {
        return cache.get(code, this::compile);
    }

    private CompiledScriptCache.Compiled compile(String code) {
        int bytes = code.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxSourceBytes()) {
            return new CompiledScriptCache.Compiled(null, new SourceProblem(FailureKind.SOURCE_TOO_LARGE,
                    "transformation code is " + bytes + " bytes; the limit is " + limits.maxSourceBytes(), null, null));
        }
        Context cx = factory.enterContext();
        try {
            return new CompiledScriptCache.Compiled(cx.compileString(code, SOURCE_NAME, 1, null), null);
        } catch (EvaluatorException e) {
            return new CompiledScriptCache.Compiled(null, new SourceProblem(FailureKind.SYNTAX,
                    e.details(), positive(e.lineNumber()), positive(e.columnNumber())));
        } catch (StackOverflowError e) {
            // Absurdly nested source can exhaust the parser's stack; it is a source problem.
            return new CompiledScriptCache.Compiled(null, new SourceProblem(FailureKind.SYNTAX,
                    "transformation code is nested too deeply to parse", null, null));
        } finally {
            Context.exit();
        }
    }

    /** True when the top level declares {@code function handler} or binds {@code handler} to a function. */
    private boolean definesHandler(String code) {
        Context cx = factory.enterContext();
        try {
            CompilerEnvirons env = new CompilerEnvirons();
            env.initFromContext(cx);
            AstRoot root = new Parser(env).parse(code, SOURCE_NAME, 1);
            for (Node statement : root) {
                if (statement instanceof FunctionNode function && HANDLER.equals(function.getName())) {
                    return true;
                }
                Node declaration = statement instanceof ExpressionStatement expression ? expression.getExpression() : statement;
                if (declaration instanceof VariableDeclaration variables) {
                    for (VariableInitializer variable : variables.getVariables()) {
                        if (variable.getTarget() instanceof Name name && HANDLER.equals(name.getIdentifier())
                                && variable.getInitializer() instanceof FunctionNode) {
                            return true;
                        }
                    }
                }
            }
            return false;
        } finally {
            Context.exit();
        }
    }

    // ---- the shared, sealed scope --------------------------------------------------------------

    private ScriptableObject buildSharedScope() {
        Context cx = factory.enterContext();
        try {
            // Safe standard objects: no Packages, java, JavaAdapter, JavaImporter or importPackage.
            ScriptableObject scope = cx.initSafeStandardObjects(null, false);
            scope.defineProperty("console", console(scope), ATTRIBUTES);
            FORBIDDEN.forEach((name, why) -> scope.defineProperty(name, () -> {
                throw new SandboxViolation(FailureKind.FORBIDDEN, name + " is not available in transformations: " + why);
            }, value -> {
                throw new SandboxViolation(FailureKind.FORBIDDEN, name + " is not available in transformations: " + why);
            }, ScriptableObject.DONTENUM | ScriptableObject.PERMANENT));
            lockDown(cx, scope);
            return scope;
        } finally {
            Context.exit();
        }
    }

    /**
     * Makes every object reachable from the shared scope immutable, twice over. Rhino's seal makes
     * assignments, deletes and {@code __defineGetter__} throw (a loud failure the user can see),
     * but in Rhino 1.9.2 it does not stop {@code Object.defineProperty}, {@code Reflect.defineProperty}
     * or {@code Object.setPrototypeOf}: measured, a run could replace {@code JSON.stringify} for every
     * later run. {@code Object.freeze} closes those. Walking every property also builds Rhino's
     * lazily built constructors now, once, instead of in whichever run touches them first. The
     * price is the usual one of frozen built-ins: assigning {@code o.toString = …} on a plain
     * object fails (silently, outside strict mode).
     */
    private static void lockDown(Context cx, ScriptableObject scope) {
        enableOverrides(cx, scope);
        Set<ScriptableObject> reached = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(scope, scope, reached);
        for (ScriptableObject object : reached) {
            freeze(object);
            object.sealObject();
        }
    }

    /**
     * Frozen built-ins bring the "override mistake": assigning a property that an inherited
     * prototype holds read-only fails. Rhino itself assigns {@code message} to every new Error that
     * way, so a frozen {@code Error.prototype} would leave every error without its message. The
     * properties that instances commonly set for themselves become accessors: reading gives the
     * built-in value, assigning on an instance creates the instance's own property, assigning on
     * the shared prototype itself is refused.
     */
    private static void enableOverrides(Context cx, ScriptableObject scope) {
        Map<String, List<String>> overridable = new LinkedHashMap<>();
        overridable.put("Object", List.of("toString", "toLocaleString", "valueOf", "constructor"));
        for (String error : List.of("Error", "TypeError", "RangeError", "ReferenceError", "SyntaxError", "EvalError", "URIError")) {
            overridable.put(error, List.of("name", "message", "toString", "constructor"));
        }
        overridable.forEach((constructorName, names) -> {
            if (!(ScriptableObject.getProperty(scope, constructorName) instanceof ScriptableObject constructor)
                    || !(ScriptableObject.getProperty(constructor, "prototype") instanceof ScriptableObject prototype)) {
                return;
            }
            for (String name : names) {
                if (!prototype.has(name, prototype)) {
                    continue;
                }
                Object builtin = prototype.get(name, prototype);
                int attributes = prototype.getAttributes(name);
                prototype.delete(name);
                prototype.defineProperty(cx, name, self -> builtin, (self, value) -> {
                    if (self == prototype) {
                        throw new SandboxViolation(FailureKind.FORBIDDEN, constructorName + ".prototype." + name
                                + " cannot be changed: built-in objects are shared between runs and read-only");
                    }
                    if (self instanceof ScriptableObject instance) {
                        instance.defineProperty(name, value, attributes & ScriptableObject.DONTENUM);
                    }
                }, attributes & ScriptableObject.DONTENUM);
            }
        });
    }

    /** What {@code Object.freeze} does: no new properties, none reconfigurable, data read-only. */
    private static void freeze(ScriptableObject object) {
        for (Object id : object.getAllIds()) {
            if (id instanceof String name) {
                boolean accessor = object.getGetterOrSetter(name, 0, false) instanceof Scriptable
                        || object.getGetterOrSetter(name, 0, true) instanceof Scriptable;
                int attributes = object.getAttributes(name) | ScriptableObject.PERMANENT;
                object.setAttributes(name, accessor ? attributes : attributes | ScriptableObject.READONLY);
            } else if (id instanceof Integer index) {
                object.setAttributes(index, object.getAttributes(index) | ScriptableObject.PERMANENT | ScriptableObject.READONLY);
            } else if (id instanceof Symbol symbol) {
                object.setAttributes(symbol, ScriptableObject.DONTENUM | ScriptableObject.PERMANENT | ScriptableObject.READONLY);
            }
        }
        object.preventExtensions();
    }

    /**
     * Every object reachable from {@code object}: property values, getters, setters, prototypes.
     * Walked in Java because Rhino 1.9.2 hands scripts an internal placeholder for a constructor
     * it has not built yet, where a Java {@code get} builds it.
     */
    private static void collect(ScriptableObject root, Object value, Set<ScriptableObject> reached) {
        if (!(value instanceof ScriptableObject object) || !reached.add(object)) {
            return;
        }
        for (Object id : object.getAllIds()) {
            if (id instanceof String name) {
                if (object == root && FORBIDDEN.containsKey(name)) {
                    continue; // the refusing accessors hold no object, and reading one would throw
                }
                Object getter = object.getGetterOrSetter(name, 0, false);
                Object setter = object.getGetterOrSetter(name, 0, true);
                if (getter instanceof Scriptable || setter instanceof Scriptable) {
                    collect(root, getter, reached);
                    collect(root, setter, reached);
                    continue;
                }
            }
            try {
                collect(root, id instanceof Integer index ? object.get(index, object)
                        : id instanceof Symbol symbol ? object.get(symbol, object)
                        : object.get(String.valueOf(id), object), reached);
            } catch (RhinoException e) {
                // a poisoned built-in accessor (Function.prototype.caller and friends) holds nothing to freeze
            }
        }
        collect(root, object.getPrototype(), reached);
    }

    private static NativeObject console(ScriptableObject scope) {
        NativeObject console = new NativeObject();
        console.setPrototype(ScriptableObject.getObjectPrototype(scope));
        console.setParentScope(scope);
        for (String level : List.of("log", "info", "debug", "warn", "error")) {
            LambdaFunction function = new LambdaFunction(scope, level, 0, (cx, callScope, thisObj, args) -> {
                if (cx instanceof SandboxContext sandbox && sandbox.run() != null) {
                    sandbox.run().console().write(level, args);
                }
                return Undefined.instance;
            });
            console.defineProperty(level, function, ATTRIBUTES);
        }
        return console; // frozen and sealed with everything else by lockDown
    }

    private static Map<String, String> forbiddenGlobals() {
        Map<String, String> names = new LinkedHashMap<>();
        String java = "transformations cannot reach Java";
        for (String name : List.of("java", "javax", "Packages", "org", "com", "edu", "net", "getClass",
                "JavaAdapter", "JavaImporter", "importPackage", "importClass", "loadClass")) {
            names.put(name, java);
        }
        String io = "transformations have no file or process access";
        for (String name : List.of("load", "readFile", "readUrl", "runCommand", "spawn", "sync", "require", "process")) {
            names.put(name, io);
        }
        String net = "transformations cannot open network connections";
        for (String name : List.of("fetch", "XMLHttpRequest", "WebSocket")) {
            names.put(name, net);
        }
        String timers = "transformations run synchronously, without timers";
        for (String name : List.of("setTimeout", "setInterval", "setImmediate", "clearTimeout", "clearInterval",
                "queueMicrotask")) {
            names.put(name, timers);
        }
        return Map.copyOf(names);
    }

    // ---- failures ------------------------------------------------------------------------------

    private static FailureKind classify(RhinoException e) {
        if (e instanceof EvaluatorException) {
            String details = e.details();
            if (details != null && details.contains("maximum stack depth")) {
                return FailureKind.STACK_LIMIT;
            }
            if (details != null && details.contains("sealed object")) {
                return FailureKind.FORBIDDEN;
            }
        }
        // Everything else, including a SyntaxError in code given to eval/Function, is the script's own error.
        return FailureKind.SCRIPT_ERROR;
    }

    private static String describe(RhinoException e) {
        String details = e instanceof JavaScriptException js ? js.details() : e.details();
        if (details != null && details.contains("sealed object")) {
            return details + " (built-in objects are shared between runs and read-only)";
        }
        return details;
    }

    private static TransformOutcome.Failure failure(FailureKind kind, String message, RhinoException at, RunState state,
                                                    long started) {
        Integer line = at == null ? null : positive(at.lineNumber());
        Integer column = at == null ? null : positive(at.columnNumber());
        return new TransformOutcome.Failure(kind, message, line, column, state.console().lines(), since(started));
    }

    private static Integer positive(int value) {
        return value > 0 ? value : null;
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
