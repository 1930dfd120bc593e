// Runs once, before the sandbox's memory image is taken: every run starts from the state this
// leaves behind. It takes the host bridge out of reach of transformation code and installs the
// run driver, the console and a per-run seeded Math.random.
(() => {
  'use strict';
  const host = globalThis.java_invoke;
  const { parse, stringify } = JSON;
  const { defineProperty, freeze, keys, getPrototypeOf } = Object;
  const isArray = Array.isArray;
  const StringOf = String;
  // Called as plain functions, so a script that replaces String.prototype methods is not called from here.
  const wellFormed = Function.prototype.call.bind(String.prototype.toWellFormed);
  delete globalThis.java_invoke;
  delete globalThis.Javy;
  delete globalThis.plugin;
  // Error.prepareStackTrace hands a script the call sites of an error's stack, and CallSite.getFunction()
  // answers even for strict frames: with it, an error raised while the prelude is on the stack would give
  // the script the prelude's own functions. Removing the accessor leaves the runtime's value unset for good
  // (an assignment now makes a plain property the runtime never reads); stacks stay strings.
  delete Error.prepareStackTrace;

  let limit = { consoleLines: 100, consoleChars: 16384 };
  let lines = 0;
  let reported = false;

  // The bridge takes well-formed text only: half a surrogate pair becomes U+FFFD, as it does in the JSON.
  const call = (what, text) => host('connectors', what, wellFormed(text));

  // One line per console call: strings as they are, other values JSON-like; never throws.
  const describe = (value, depth, seen) => {
    switch (typeof value) {
      case 'string': return depth === 0 ? value : stringify(value);
      case 'undefined': return 'undefined';
      case 'function': return '[Function' + (value.name ? ' ' + value.name : '') + ']';
      case 'bigint': return StringOf(value) + 'n';
      case 'symbol': return value.toString();
      case 'object': break;
      default: return StringOf(value);
    }
    if (value === null) return 'null';
    if (seen.includes(value)) return '[Circular]';
    if (depth >= 8) return isArray(value) ? '[Array]' : '[Object]';
    if (value instanceof Error) return value.name + ': ' + value.message;
    if (value instanceof Date) return isNaN(value) ? 'Invalid Date' : value.toISOString();
    const inner = seen.concat([value]);
    if (isArray(value)) {
      const parts = [];
      for (let i = 0; i < value.length && i < 100; i++) parts.push(describe(value[i], depth + 1, inner));
      if (value.length > 100) parts.push('…');
      return '[' + parts.join(',') + ']';
    }
    const parts = [];
    for (const key of keys(value).slice(0, 100)) parts.push(stringify(key) + ':' + describe(value[key], depth + 1, inner));
    return '{' + parts.join(',') + '}';
  };

  const consoleMethod = (level) => (...args) => {
    if (lines > limit.consoleLines) return;
    lines++;
    let line;
    try {
      line = args.map((arg) => describe(arg, 0, [])).join(' ');
    } catch (e) {
      line = '[unprintable value]';
    }
    if (level !== 'log') line = '[' + level + '] ' + line;
    try {
      call('console', line.length > limit.consoleChars ? line.slice(0, limit.consoleChars + 1) : line);
    } catch (e) {
      // nothing a script logs may fail its run
    }
  };
  const console = {};
  for (const level of ['log', 'info', 'debug', 'warn', 'error']) console[level] = consoleMethod(level);
  defineProperty(globalThis, 'console', { value: console, writable: true, configurable: true, enumerable: false });

  // Math.random from a seed the host gives each run: the image would otherwise replay one sequence.
  let s0 = 1, s1 = 2;
  const random = () => {
    let x = s0, y = s1;
    s0 = y; x ^= x << 23; x ^= x >>> 17; x ^= y ^ (y >>> 26); s1 = x;
    return ((s0 + s1) >>> 0) / 4294967296;
  };
  defineProperty(Math, 'random', { value: random, writable: true, configurable: true, enumerable: false });

  // Globals other JavaScript hosts offer: reaching for one says why it is missing, instead of a bare ReferenceError.
  class Refused extends Error {}
  const refusals = {
    'transformations cannot reach Java': ['java', 'javax', 'Packages', 'JavaAdapter', 'JavaImporter', 'importPackage', 'importClass'],
    'transformations have no file or process access': ['load', 'readFile', 'require', 'process', 'Deno', 'Bun'],
    'transformations cannot open network connections': ['fetch', 'XMLHttpRequest', 'WebSocket'],
    'transformations run synchronously, without timers': ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval'],
  };
  for (const why of keys(refusals)) {
    for (const name of refusals[why]) {
      defineProperty(globalThis, name, { get() { throw new Refused(name + ' is not available in transformations: ' + why); },
        configurable: true, enumerable: false });
    }
  }

  const errorOf = (e) => {
    if (e instanceof Refused) return { __proto__: null, name: 'Refused', message: e.message, stack: StringOf(e.stack), refused: true };
    try {
      if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
        return { __proto__: null, name: StringOf(e.name).slice(0, 100), message: StringOf(e.message).slice(0, 2000),
          stack: StringOf(e.stack).slice(0, 2000) };
      }
      return { __proto__: null, name: 'Uncaught', message: StringOf(e).slice(0, 2000), stack: '' };
    } catch (inner) {
      return { __proto__: null, name: 'Error', message: 'the thrown value could not be read', stack: '' };
    }
  };

  const report = (what, value) => {
    if (reported) return;
    reported = true;
    call(what, stringify(value));
  };

  const fail = (e) => report('error', errorOf(e));

  // The handler's result as plain JSON: getters, toJSON and proxies run here, inside the sandbox.
  const finish = (returned, webhook) => {
    const result = returned === undefined ? webhook : returned;
    if (result === null || typeof result !== 'object' || isArray(result) || typeof result.then === 'function') {
      report('invalid', { __proto__: null, message: 'handler must return the webhook object (or nothing, to keep the mutated webhook)' });
      return;
    }
    let text;
    try {
      // No prototype: an Object.prototype.toJSON of the script's applies to its values, never to this wrapper.
      const out = { __proto__: null, method: result.method, url: result.url, payload: result.payload, headers: result.headers,
        cancel: result.cancel, payloadType: result.payload === undefined ? 'undefined' : typeof result.payload };
      text = stringify(out);
    } catch (e) {
      report('invalid', { __proto__: null, message: 'the returned webhook cannot be converted to JSON: ' + errorOf(e).message });
      return;
    }
    if (reported) return;
    reported = true;
    call('result', text);
  };

  const run = (handler) => {
    if (reported) return;
    const input = parse(call('input', ''));
    limit = input.limits;
    s0 = input.seed[0] | 0 || 1; s1 = input.seed[1] | 0 || 2;
    if (typeof handler !== 'function') {
      report('nohandler', { __proto__: null, message: 'no function named handler' });
      return;
    }
    if (input.mode === 'check') {
      report('checked', { __proto__: null, handler: true });
      return;
    }
    const webhook = input.webhook;
    let returned;
    try {
      returned = handler(webhook);
    } catch (e) {
      fail(e);
      return;
    }
    if (returned !== null && typeof returned === 'object' && typeof returned.then === 'function') {
      // An async handler: settled by the job queue, which runs before the run ends.
      Promise.resolve(returned).then((value) => finish(value, webhook), fail);
      return;
    }
    finish(returned, webhook);
  };
  defineProperty(globalThis, '__connectors', { value: freeze({ run }), writable: false, configurable: false, enumerable: false });
})();
