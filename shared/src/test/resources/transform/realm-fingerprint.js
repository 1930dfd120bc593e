// Walks everything reachable from the global object (string- and symbol-keyed properties,
// accessors, prototypes) and returns a fingerprint of it: each property's key, attributes, type
// and, for functions, their source text (native functions print "[native code]"). Any state a
// previous run left behind would change it.
function handler(webhook) {
  const seen = new Set();
  const entries = [];
  const describeKey = (key) => typeof key === 'symbol' ? '@' + key.description : key;
  const visit = (object, path, depth) => {
    if (object === null || (typeof object !== 'object' && typeof object !== 'function') || seen.has(object) || depth > 12) return;
    seen.add(object);
    entries.push(path + ' proto=' + (Object.getPrototypeOf(object) === null ? 'null' : typeof Object.getPrototypeOf(object))
      + ' ext=' + Object.isExtensible(object));
    for (const key of Reflect.ownKeys(object)) {
      const d = Object.getOwnPropertyDescriptor(object, key);
      const name = path + '.' + describeKey(key);
      let line = name + ' ' + (d.writable ? 'w' : '-') + (d.enumerable ? 'e' : '-') + (d.configurable ? 'c' : '-');
      if ('value' in d) {
        const v = d.value;
        line += ' ' + typeof v;
        if (typeof v === 'function') line += ' ' + Function.prototype.toString.call(v).replace(/\s+/g, ' ');
        else if (typeof v !== 'object' || v === null) line += ' ' + String(v);
      } else {
        line += ' get=' + typeof d.get + ' set=' + typeof d.set;
      }
      entries.push(line);
      if ('value' in d) visit(d.value, name, depth + 1); else { visit(d.get, name + '<get>', depth + 1); visit(d.set, name + '<set>', depth + 1); }
    }
    visit(Object.getPrototypeOf(object), path + '.<proto>', depth + 1);
  };
  visit(globalThis, 'global', 0);
  // Internal prototypes that no global names directly.
  visit(Object.getPrototypeOf([][Symbol.iterator]()), 'ArrayIterator', 0);
  visit(Object.getPrototypeOf(''[Symbol.iterator]()), 'StringIterator', 0);
  visit(Object.getPrototypeOf(new Map()[Symbol.iterator]()), 'MapIterator', 0);
  visit(Object.getPrototypeOf(new Set()[Symbol.iterator]()), 'SetIterator', 0);
  visit(Object.getPrototypeOf(/x/g[Symbol.matchAll]('x')), 'RegExpStringIterator', 0);
  visit(Object.getPrototypeOf(function* () {}), 'GeneratorFunction', 0);
  visit(Object.getPrototypeOf(async function () {}), 'AsyncFunction', 0);
  visit(Object.getPrototypeOf(async function* () {}), 'AsyncGeneratorFunction', 0);
  let hash = 0;
  const text = entries.join('\n');
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  webhook.payload = { count: entries.length, hash, forOf: (() => { const r = []; for (const x of [1, 2]) r.push(x); return r; })(),
    spread: [...'ab'], symbolFor: typeof Symbol.for('connectors.leak'), stashed: typeof globalThis.stash };
  return webhook;
}
