package app.connectors.transform;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Transformations written by an attacker, by class: each tries to hang, exhaust, escape or poison
 * the sandbox. Shared by the engine's own test and the integration tests that run the same table
 * through the dry-run endpoint and through real deliveries.
 *
 * <p>A script "holds" when its run ends with one of the expected outcomes, promptly, with a message
 * that names no host class, and leaves nothing behind for the next run. Poisoners are allowed to
 * succeed in their own run: what they change must not survive it.
 */
public final class HostileTable {

    /**
     * The failure kinds a hostile script may end with, and whether it may also succeed: a poisoner
     * may (what it changes must not outlive its run), and so may an attack the runtime shrugs off
     * (a pattern its regular-expression engine matches quickly, a dynamic import that only rejects).
     */
    public record Hostile(String group, String name, String code, Set<FailureKind> kinds, boolean mayPass) {

        /**
         * Whether a failure of this kind is a way for this script to end: one of its own expected
         * kinds (a poisoner, which expects none, may fail any way). CPU_LIMIT only where the table
         * says so: the budget is CPU time, which a loaded machine does not shrink, and a run the host
         * kept off the CPU is not a failure at all ({@link TransformOutcome.Unavailable}).
         */
        public boolean endsWith(FailureKind kind) {
            return kinds.isEmpty() || kinds.contains(kind);
        }

        @Override
        public String toString() {
            return group + ": " + name;
        }
    }

    /** Text a message must never contain: the host's class names and internals. */
    public static final List<String> HOST_WORDS = List.of("Exception", "java.", "org.", "run.endive", "roastedroot",
            "NullPointer", "ClassCast", "Wasm", "wasm", "Trap", "panicked", "lib.rs", "function.mjs");

    private HostileTable() {
    }

    static String handler(String body) {
        return "function handler(webhook) {\n" + body + "\nreturn webhook;\n}\n";
    }

    private static Hostile fails(String group, String name, String code, FailureKind kind, FailureKind... more) {
        return new Hostile(group, name, code, EnumSet.of(kind, more), false);
    }

    private static Hostile failsOrPasses(String group, String name, String code, FailureKind kind) {
        return new Hostile(group, name, code, EnumSet.of(kind), true);
    }

    private static Hostile poisons(String group, String name, String code) {
        return new Hostile(group, name, code, EnumSet.noneOf(FailureKind.class), true);
    }

    public static List<Hostile> all() {
        List<Hostile> t = new ArrayList<>();
        String tenant = "cross-tenant through built-ins";
        t.add(poisons(tenant, "Array.prototype[Symbol.iterator] stashes what it iterates",
                "const original = Array.prototype[Symbol.iterator];\n"
                        + "Array.prototype[Symbol.iterator] = function () { (Object.prototype.stash ??= []).push(JSON.stringify(this)); return original.call(this); };\n"
                        + handler("webhook.payload = { stash: Object.prototype.stash ?? null };")));
        t.add(poisons(tenant, "String.prototype[Symbol.iterator] replaced",
                "String.prototype[Symbol.iterator] = function* () { yield 'LEAK'; };\n" + handler("")));
        t.add(poisons(tenant, "Array[Symbol.species] replaced",
                "Object.defineProperty(Array, Symbol.species, { get() { globalThis.stash = 'LEAK'; return Array; } });\n" + handler("")));
        t.add(poisons(tenant, "JSON[Symbol.toStringTag] replaced",
                "Object.defineProperty(JSON, Symbol.toStringTag, { value: 'LEAK' });\n" + handler("")));
        t.add(poisons(tenant, "Array iterator prototype next replaced",
                "Object.getPrototypeOf([][Symbol.iterator]()).next = function () { return { done: true }; };\n" + handler("")));
        t.add(poisons(tenant, "String iterator prototype next replaced",
                "Object.getPrototypeOf(''[Symbol.iterator]()).next = function () { return { done: true }; };\n" + handler("")));
        t.add(poisons(tenant, "Map iterator prototype next replaced",
                "Object.getPrototypeOf(new Map()[Symbol.iterator]()).next = function () { return { done: true }; };\n" + handler("")));
        t.add(poisons(tenant, "Set iterator prototype next replaced",
                "Object.getPrototypeOf(new Set()[Symbol.iterator]()).next = function () { return { done: true }; };\n" + handler("")));
        t.add(poisons(tenant, "RegExp string iterator prototype next replaced",
                "Object.getPrototypeOf(/x/g[Symbol.matchAll]('x')).next = function () { return { done: true }; };\n" + handler("")));
        t.add(poisons(tenant, "generator prototype next replaced",
                "Object.getPrototypeOf(function* () {}).prototype.__proto__.next = function () { return { done: true }; };\n" + handler("")));
        t.add(poisons(tenant, "Object.prototype polluted",
                "Object.prototype.polluted = 'LEAK'; Object.defineProperty(Object.prototype, 'toJSON', { value: () => 'LEAK', configurable: true });\n"
                        + handler("")));
        t.add(poisons(tenant, "JSON.stringify and JSON.parse replaced",
                "JSON.stringify = () => 'LEAK'; JSON.parse = () => ({ leak: true });\n" + handler("")));
        t.add(poisons(tenant, "globalThis gets a property and a new prototype",
                "globalThis.stash = 'LEAK'; Object.setPrototypeOf(globalThis, { stash2: 'LEAK' });\n" + handler("")));
        t.add(poisons(tenant, "Function.prototype.call and apply replaced",
                "Function.prototype.call = function () { return 'LEAK'; }; Function.prototype.apply = Function.prototype.call;\n" + handler("")));
        t.add(poisons(tenant, "Promise.prototype.then replaced",
                "Promise.prototype.then = function () { globalThis.stash = 'LEAK'; };\n" + handler("")));
        t.add(poisons(tenant, "Symbol.for registry written",
                "Symbol.for('connectors.leak'); globalThis[Symbol.for('connectors.leak')] = 'LEAK';\n" + handler("")));
        t.add(poisons(tenant, "Date.prototype and Date.now replaced",
                "Date.now = () => 0; Date.prototype.toISOString = () => 'LEAK';\n" + handler("")));
        t.add(poisons(tenant, "Math.random fixed",
                "Math.random = () => 0.5;\n" + handler("")));
        t.add(poisons(tenant, "RegExp.prototype.exec and String.prototype.replace replaced",
                "RegExp.prototype.exec = () => null; String.prototype.replace = function () { return 'LEAK'; };\n" + handler("")));
        t.add(poisons(tenant, "console replaced",
                "console.log = () => { globalThis.stash = 'LEAK'; };\n" + handler("")));
        t.add(poisons(tenant, "Error.prototype and Error.captureStackTrace replaced",
                "Error.prototype.toString = () => 'LEAK'; Error.captureStackTrace = () => {}; Error.prototype.name = 'LEAK';\n" + handler("")));
        t.add(poisons(tenant, "built-ins frozen to break the next tenant",
                "Object.freeze(Object.prototype); Object.freeze(Array.prototype); Object.preventExtensions(globalThis);\n" + handler("")));
        t.add(poisons(tenant, "built-ins deleted",
                "delete globalThis.JSON; delete Array.prototype.map; delete Object.entries;\n" + handler("")));
        t.add(poisons(tenant, "typed array and ArrayBuffer prototypes changed",
                "Uint8Array.prototype.set = () => 'LEAK'; ArrayBuffer.prototype.slice = () => 'LEAK';\n" + handler("")));
        t.add(poisons(tenant, "WeakMap and Map prototypes changed",
                "Map.prototype.get = () => 'LEAK'; WeakMap.prototype.get = () => 'LEAK'; Set.prototype.has = () => true;\n" + handler("")));
        t.add(poisons(tenant, "Reflect and Proxy replaced",
                "Reflect.ownKeys = () => []; globalThis.Proxy = function () { return {}; };\n" + handler("")));

        String escape = "Function, eval and constructor tricks";
        t.add(fails(escape, "constructor.constructor then java", handler("this.constructor.constructor('return java')()"), FailureKind.FORBIDDEN,
                FailureKind.SCRIPT_ERROR));
        t.add(fails(escape, "Function('return this')() then java", handler("const g = Function('return this')(); g.java.lang.System.exit(0)"),
                FailureKind.FORBIDDEN));
        t.add(fails(escape, "indirect eval reaching the host bridge", handler("(0, eval)('java_invoke')('x', 'result', '{}')"),
                FailureKind.SCRIPT_ERROR));
        t.add(fails(escape, "GeneratorFunction constructor", handler("Object.getPrototypeOf(function* () {}).constructor('yield java')().next()"),
                FailureKind.FORBIDDEN));
        t.add(fails(escape, "AsyncFunction constructor reaching Javy", handler("Object.getPrototypeOf(async function () {}).constructor('return Javy.IO')(); Javy.IO.readSync(0, new Uint8Array(1))"),
                FailureKind.SCRIPT_ERROR));
        t.add(failsOrPasses(escape, "dynamic import", handler("import('fs')"), FailureKind.SCRIPT_ERROR));
        t.add(fails(escape, "static import", "import fs from 'fs';\n" + handler(""), FailureKind.SYNTAX, FailureKind.SCRIPT_ERROR));
        t.add(fails(escape, "the driver called with a forged handler", "__connectors.run(() => ({ url: 'https://evil.example/' }));\n" + handler(""),
                FailureKind.SCRIPT_ERROR, FailureKind.INVALID_RESULT));
        t.add(fails(escape, "the driver redefined", "Object.defineProperty(globalThis, '__connectors', { value: 1 });\n" + handler(""),
                FailureKind.SCRIPT_ERROR));
        t.add(fails(escape, "Javy and plugin globals", handler("Javy.IO.writeSync(1, new Uint8Array([65]))"), FailureKind.SCRIPT_ERROR));
        t.add(fails(escape, "java", handler("java.lang.Runtime.getRuntime().exec('id')"), FailureKind.FORBIDDEN));
        t.add(fails(escape, "Packages", handler("Packages.java.lang.System.exit(0)"), FailureKind.FORBIDDEN));
        t.add(fails(escape, "getClass", handler("getClass('x')"), FailureKind.SCRIPT_ERROR));
        t.add(fails(escape, "importPackage", handler("importPackage(java.io)"), FailureKind.FORBIDDEN));
        t.add(fails(escape, "load", handler("load('/etc/passwd')"), FailureKind.FORBIDDEN));
        t.add(fails(escape, "require", handler("require('child_process').execSync('id')"), FailureKind.FORBIDDEN));
        t.add(fails(escape, "process.env", handler("webhook.payload = process.env"), FailureKind.FORBIDDEN));
        t.add(fails(escape, "fetch to the metadata service", handler("fetch('http://169.254.169.254/latest/meta-data/')"), FailureKind.FORBIDDEN));
        t.add(fails(escape, "XMLHttpRequest", handler("new XMLHttpRequest()"), FailureKind.FORBIDDEN));
        t.add(fails(escape, "setTimeout", handler("setTimeout(() => {}, 0)"), FailureKind.FORBIDDEN));
        t.add(fails(escape, "a refusal caught and rethrown as something else", handler("try { fetch('x'); } catch (e) { throw new Error(e.message); }"),
                FailureKind.SCRIPT_ERROR));

        String cpu = "CPU in built-ins";
        t.add(fails(cpu, "while(true) at top level", "while (true) {}\n" + handler(""), FailureKind.CPU_LIMIT));
        t.add(fails(cpu, "loop that catches everything", handler("for (;;) { try { while (true) {} } catch (e) {} finally { continue; } }"), FailureKind.CPU_LIMIT));
        t.add(fails(cpu, "eval('while(1){}')", handler("eval('while(1){}')"), FailureKind.CPU_LIMIT));
        t.add(fails(cpu, "lastIndexOf on a 2^53-1 array-like", handler("Array.prototype.lastIndexOf.call({ length: 2 ** 53 - 1 }, 1)"), FailureKind.CPU_LIMIT));
        t.add(fails(cpu, "includes on a 2^53-1 array-like", handler("Array.prototype.includes.call({ length: 2 ** 53 - 1 }, 1)"), FailureKind.CPU_LIMIT));
        t.add(fails(cpu, "reverse on a 1e9 array-like", handler("Array.prototype.reverse.call({ length: 1e9 })"), FailureKind.CPU_LIMIT));
        t.add(fails(cpu, "copyWithin on a 1e9 array-like", handler("Array.prototype.copyWithin.call({ length: 1e9 }, 0, 1)"), FailureKind.CPU_LIMIT));
        t.add(fails(cpu, "String.raw with a 1e9 raw length", handler("String.raw({ raw: { length: 1e9 } })"), FailureKind.CPU_LIMIT,
                FailureKind.MEMORY_LIMIT));
        t.add(fails(cpu, "padStart to 2^30", handler("'x'.padStart(2 ** 30)"), FailureKind.MEMORY_LIMIT, FailureKind.SCRIPT_ERROR,
                FailureKind.CPU_LIMIT));
        t.add(fails(cpu, "Array.from a 1e7 array-like", handler("Array.from({ length: 1e7 })"), FailureKind.CPU_LIMIT, FailureKind.MEMORY_LIMIT));
        t.add(fails(cpu, "join on a 1e8 array-like", handler("Array.prototype.join.call({ length: 1e8 })"), FailureKind.CPU_LIMIT,
                FailureKind.MEMORY_LIMIT));
        t.add(fails(cpu, "indexOf on a 1e8 array-like", handler("Array.prototype.indexOf.call({ length: 1e8 }, 1)"), FailureKind.CPU_LIMIT));
        t.add(fails(cpu, "sort with a comparator that never ends", handler("[3, 2, 1].sort(() => { while (true) {} })"), FailureKind.CPU_LIMIT));
        t.add(fails(cpu, "JSON.stringify of a slow toJSON", handler("JSON.stringify({ toJSON() { for (;;) {} } })"), FailureKind.CPU_LIMIT));
        t.add(fails(cpu, "a promise chain that never ends", handler("const step = () => Promise.resolve().then(step); step();"),
                FailureKind.CPU_LIMIT, FailureKind.MEMORY_LIMIT));
        t.add(fails(cpu, "async handler that loops after await", "async function handler(webhook) { await null; while (true) {} }",
                FailureKind.CPU_LIMIT));

        String regex = "regular expressions";
        t.add(fails(regex, "ReDoS (a+)+b", handler("/(a+)+b/.test('a'.repeat(40) + 'c')"), FailureKind.CPU_LIMIT));
        t.add(fails(regex, "ReDoS (x+x+)+y", handler("/(x+x+)+y/.test('x'.repeat(5000))"), FailureKind.CPU_LIMIT));
        t.add(failsOrPasses(regex, "ReDoS through String.prototype.replace", handler("'a'.repeat(40).replace(/^(a|a)*$/, 'b' + 'c')"), FailureKind.CPU_LIMIT));
        t.add(failsOrPasses(regex, "backreference blow-up", handler("/^(\\w+\\s?)*$/.test('a '.repeat(30) + '!')"), FailureKind.CPU_LIMIT));
        t.add(fails(regex, "invalid literal /(/", "const r = /(/;\n" + handler(""), FailureKind.SYNTAX));
        t.add(fails(regex, "invalid literal /[b-a]/", "const r = /[b-a]/;\n" + handler(""), FailureKind.SYNTAX));
        t.add(fails(regex, "invalid literal /x{2,1}/", "const r = /x{2,1}/;\n" + handler(""), FailureKind.SYNTAX));
        t.add(fails(regex, "invalid literal /a**/", "const r = /a**/;\n" + handler(""), FailureKind.SYNTAX));
        t.add(fails(regex, "invalid RegExp built at run time", handler("new RegExp('(')"), FailureKind.SCRIPT_ERROR));

        String memory = "memory";
        t.add(fails(memory, "new Array(1e8).fill(0)", handler("new Array(1e8).fill(0)"), FailureKind.MEMORY_LIMIT, FailureKind.CPU_LIMIT));
        t.add(fails(memory, "string doubling", handler("let s = 'x'; for (let i = 0; i < 40; i++) { s = s + s; s.charCodeAt(s.length - 1); }"),
                FailureKind.MEMORY_LIMIT, FailureKind.SCRIPT_ERROR, FailureKind.CPU_LIMIT));
        t.add(fails(memory, "array push bomb", handler("const a = []; while (true) a.push('x'.repeat(1024) + a.length);"),
                FailureKind.MEMORY_LIMIT, FailureKind.CPU_LIMIT));
        t.add(fails(memory, "one allocation larger than the cap", handler("'x'.repeat(2 ** 29)"), FailureKind.MEMORY_LIMIT,
                FailureKind.SCRIPT_ERROR, FailureKind.CPU_LIMIT));
        t.add(fails(memory, "ArrayBuffer of 1 GB", handler("new ArrayBuffer(1e9)"), FailureKind.MEMORY_LIMIT, FailureKind.SCRIPT_ERROR));
        t.add(fails(memory, "typed array of 2^31", handler("new Float64Array(2 ** 28)"), FailureKind.MEMORY_LIMIT, FailureKind.SCRIPT_ERROR));
        t.add(fails(memory, "Map with endless entries", handler("const m = new Map(); for (let i = 0; ; i++) m.set(i, { i });"),
                FailureKind.MEMORY_LIMIT, FailureKind.CPU_LIMIT));
        t.add(fails(memory, "memory bomb that catches its out-of-memory error", handler("const keep = []; for (;;) { try { keep.push(new Array(1e6).fill(1)); } catch (e) {} }"),
                FailureKind.MEMORY_LIMIT, FailureKind.CPU_LIMIT));

        String stack = "stack";
        t.add(fails(stack, "deep recursion", handler("function f(n) { return f(n + 1) + 1; } f(0);"), FailureKind.STACK_LIMIT));
        t.add(fails(stack, "recursion through a built-in", handler("function f(n) { return [n].map((x) => f(x + 1)); } f(0);"), FailureKind.STACK_LIMIT));
        t.add(fails(stack, "recursion through a getter", handler("const o = { get x() { return this.x; } }; o.x;"), FailureKind.STACK_LIMIT));
        t.add(fails(stack, "recursion through toString", handler("const o = { toString() { return '' + o; } }; String(o);"), FailureKind.STACK_LIMIT));
        t.add(fails(stack, "recursion through a proxy", handler("const p = new Proxy({}, { get: (t, k, r) => r[k] }); p.x;"), FailureKind.STACK_LIMIT));
        t.add(fails(stack, "deeply nested JSON.parse", handler("JSON.parse('['.repeat(100000) + ']'.repeat(100000))"), FailureKind.STACK_LIMIT,
                FailureKind.SCRIPT_ERROR));
        t.add(fails(stack, "deeply nested source", "const x = " + "[".repeat(20000) + "]".repeat(20000) + ";\n" + handler(""),
                FailureKind.STACK_LIMIT, FailureKind.SYNTAX, FailureKind.CPU_LIMIT));
        t.add(fails(stack, "recursion that catches its stack error", handler("function f() { try { f(); } catch (e) { f(); } } f();"),
                FailureKind.STACK_LIMIT, FailureKind.CPU_LIMIT));

        String output = "output size";
        t.add(fails(output, "a 10 MB payload", handler("webhook.payload = { big: 'x'.repeat(10 * 1024 * 1024) };"),
                FailureKind.OUTPUT_TOO_LARGE, FailureKind.MEMORY_LIMIT, FailureKind.CPU_LIMIT));
        t.add(fails(output, "a 300 KB payload", handler("webhook.payload = { big: 'x'.repeat(300 * 1024) };"),
                FailureKind.OUTPUT_TOO_LARGE, FailureKind.CPU_LIMIT));
        t.add(fails(output, "an exponential DAG payload", handler("let a = [1]; for (let i = 0; i < 40; i++) a = [a, a]; webhook.payload = a;"),
                FailureKind.OUTPUT_TOO_LARGE, FailureKind.MEMORY_LIMIT, FailureKind.CPU_LIMIT));
        t.add(fails(output, "a 1 MB header value", handler("webhook.headers = { 'X-Big': 'x'.repeat(1 << 20) };"),
                FailureKind.OUTPUT_TOO_LARGE, FailureKind.CPU_LIMIT));
        t.add(fails(output, "a 1 MB URL", handler("webhook.url = 'https://example.com/' + 'x'.repeat(1 << 20);"),
                FailureKind.OUTPUT_TOO_LARGE, FailureKind.CPU_LIMIT));
        t.add(fails(output, "a huge thrown message", handler("throw new Error('x'.repeat(1 << 20));"), FailureKind.SCRIPT_ERROR));

        String result = "getters, toJSON and proxies in the result";
        t.add(fails(result, "a getter that loops", handler("webhook.payload = { get x() { for (;;) {} } };"), FailureKind.CPU_LIMIT));
        t.add(fails(result, "toJSON that loops", handler("webhook.payload = { toJSON() { for (;;) {} } };"), FailureKind.CPU_LIMIT));
        t.add(fails(result, "a getter that throws", handler("webhook.payload = { get x() { throw new Error('no'); } };"), FailureKind.INVALID_RESULT));
        t.add(fails(result, "a proxy result whose get loops", "function handler(webhook) { return new Proxy(webhook, { get() { for (;;) {} } }); }",
                FailureKind.CPU_LIMIT));
        t.add(fails(result, "a proxy payload whose ownKeys throws", handler("webhook.payload = new Proxy({}, { ownKeys() { throw new Error('no'); } });"),
                FailureKind.INVALID_RESULT));
        t.add(fails(result, "a cyclic payload", handler("const a = {}; a.self = a; webhook.payload = a;"), FailureKind.INVALID_RESULT));
        t.add(fails(result, "a BigInt payload", handler("webhook.payload = { n: 10n };"), FailureKind.INVALID_RESULT));
        t.add(fails(result, "a then getter that loops", "function handler(webhook) { return { get then() { for (;;) {} } }; }", FailureKind.CPU_LIMIT));
        t.add(fails(result, "a promise that never settles", "function handler(webhook) { return new Promise(() => {}); }", FailureKind.INVALID_RESULT));
        t.add(fails(result, "a function as the result", "function handler(webhook) { return () => webhook; }", FailureKind.INVALID_RESULT));
        t.add(fails(result, "method DELETE", handler("webhook.method = 'DELETE';"), FailureKind.INVALID_RESULT));
        t.add(fails(result, "cancel that is not a boolean", handler("webhook.cancel = 'yes';"), FailureKind.INVALID_RESULT));

        String headers = "headers";
        t.add(fails(headers, "header injection with CRLF", handler("webhook.headers = { 'X-A': 'a\\r\\nHost: evil' };"), FailureKind.INVALID_RESULT));
        t.add(fails(headers, "header name with a space", handler("webhook.headers = { 'X A': 'a' };"), FailureKind.INVALID_RESULT));
        t.add(fails(headers, "header value that is an object", handler("webhook.headers = { 'X-A': { toString() { return 'a'; } } };"),
                FailureKind.INVALID_RESULT));

        String urls = "URLs";
        t.add(fails(urls, "javascript: URL", handler("webhook.url = 'javascript:alert(1)';"), FailureKind.INVALID_RESULT));
        t.add(fails(urls, "file: URL", handler("webhook.url = 'file:///etc/passwd';"), FailureKind.INVALID_RESULT));
        t.add(fails(urls, "relative URL", handler("webhook.url = '/admin';"), FailureKind.INVALID_RESULT));
        t.add(fails(urls, "URL that is not a string", handler("webhook.url = { toString() { return 'https://evil.example/'; } };"),
                FailureKind.INVALID_RESULT));

        String leaks = "Java leaks";
        t.add(poisons(leaks, "Object.isFrozen(Date.prototype)", handler("webhook.payload = { frozen: Object.isFrozen(Date.prototype) };")));
        t.add(fails(leaks, "e.javaException", handler("try { null.x; } catch (e) { e.javaException.getClass(); }"), FailureKind.SCRIPT_ERROR));
        t.add(fails(leaks, "an error's stack is the script's only", handler("throw new Error(new Error('x').stack);"), FailureKind.SCRIPT_ERROR));
        t.add(fails(leaks, "Object.prototype.__proto__ tricks", handler("Object.prototype.__proto__ = {}; "), FailureKind.SCRIPT_ERROR));
        return t;
    }
}
