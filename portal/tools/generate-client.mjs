// Generates the portal's typed API client from docs/openapi.yaml:
//   types/openapi.d.ts          the schemas and operations, as TypeScript types (openapi-typescript)
//   web/assets/api/client.js    one function per operation, typed with JSDoc against those types
// Both are committed: the portal is served as plain files, with no build step. `--check` regenerates
// in memory and fails when the committed files differ (run by `npm run check`, so a change to the
// API document that is not regenerated fails the tests).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import openapiTS, { astToString } from 'openapi-typescript';

const portal = fileURLToPath(new URL('..', import.meta.url));
const specPath = `${portal}../docs/openapi.yaml`;
const typesPath = `${portal}types/openapi.d.ts`;
const clientPath = `${portal}web/assets/api/client.js`;

// The portal reaches the API's routes under /portal/api/v1 (same bodies, session instead of token);
// its own routes live under /portal/api. Routes the portal does not expose are left out.
const API_PREFIX = '/api/v1/';
const PORTAL_PREFIX = '/portal/api/';
const NOT_IN_PORTAL = [/^\/api\/v1\/tokens(\/|$)/, /^\/api\/v1\/portal-links(\/|$)/];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

const spec = parse(readFileSync(specPath, 'utf8'));

/** Path relative to /portal/api/, or null when the operation is not part of the portal. */
function portalPath(path) {
  if (NOT_IN_PORTAL.some((re) => re.test(path))) return null;
  if (path.startsWith(API_PREFIX)) return `v1/${path.slice(API_PREFIX.length)}`;
  if (path.startsWith(PORTAL_PREFIX)) return path.slice(PORTAL_PREFIX.length);
  return null;
}

function camel(name) {
  return name.replace(/[-_.]+([a-z0-9])/gi, (_, c) => c.toUpperCase());
}

function successStatus(operation) {
  const codes = Object.keys(operation.responses ?? {}).filter((c) => /^2\d\d$/.test(c)).sort();
  if (codes.length === 0) throw new Error(`${operation.operationId}: no 2xx response`);
  return codes[0];
}

function jsonContent(response) {
  return response && !response.$ref && response.content && response.content['application/json'];
}

function operationSource(path, method, operation, relative) {
  const id = operation.operationId;
  if (!id) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
  const op = `operations['${id}']`;
  const params = [...(spec.paths[path].parameters ?? []), ...(operation.parameters ?? [])];
  const pathParams = [...relative.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const hasQuery = params.some((p) => p.in === 'query');
  const body = operation.requestBody;
  const status = successStatus(operation);
  const returns = jsonContent(operation.responses[status])
    ? `${op}['responses']['${status}']['content']['application/json']`
    : 'void';

  const doc = [];
  if (operation.summary) doc.push(` * ${operation.summary}`);
  doc.push(` * ${method.toUpperCase()} ${path}`);
  const args = [];
  for (const name of pathParams) {
    const arg = camel(name);
    args.push(arg);
    doc.push(` * @param {string} ${arg}`);
  }
  if (body) {
    const type = `NonNullable<${op}['requestBody']>['content']['application/json']`;
    args.push(body.required ? 'body' : 'body = undefined');
    doc.push(` * @param {${type}} ${body.required ? 'body' : '[body]'}`);
  }
  if (hasQuery) {
    args.push('query = undefined');
    doc.push(` * @param {${op}['parameters']['query']} [query]`);
  }
  doc.push(` * @returns {Promise<${returns}>}`);

  const url = relative.replace(/\{([^}]+)\}/g, (_, name) => `\${encodeURIComponent(${camel(name)})}`);
  const options = [body ? 'body' : null, hasQuery ? 'query' : null].filter(Boolean);
  const call = `call('${method.toUpperCase()}', \`${url}\`${options.length ? `, { ${options.join(', ')} }` : ''})`;
  return `/**\n${doc.join('\n')}\n */\nexport function ${id}(${args.join(', ')}) {\n  return ${call};\n}\n`;
}

function clientSource() {
  const parts = [
    '// Generated from docs/openapi.yaml by portal/tools/generate-client.mjs (npm run generate). Do not edit.',
    '// Every function resolves with the response body, or rejects with an ApiError (see http.js).',
    "import { call } from './http.js';",
    '',
    "/** @typedef {import('../../../types/openapi').operations} operations */",
    '',
  ];
  for (const [path, item] of Object.entries(spec.paths)) {
    const relative = portalPath(path);
    if (relative === null) continue;
    for (const method of METHODS) {
      if (item[method]) parts.push(operationSource(path, method, item[method], relative));
    }
  }
  return parts.join('\n');
}

async function typesSource() {
  const ast = await openapiTS(new URL(`file://${specPath}`));
  return `// Generated from docs/openapi.yaml by portal/tools/generate-client.mjs (npm run generate). Do not edit.\n${astToString(ast)}`;
}

const generated = [
  [typesPath, await typesSource()],
  [clientPath, clientSource()],
];

if (process.argv.includes('--check')) {
  const stale = generated.filter(([file, text]) => {
    try {
      return readFileSync(file, 'utf8') !== text;
    } catch {
      return true;
    }
  });
  if (stale.length) {
    console.error(`Out of date with docs/openapi.yaml: ${stale.map(([f]) => f.slice(portal.length)).join(', ')}. Run: npm run generate (in portal/)`);
    process.exit(1);
  }
  console.log('The API client matches docs/openapi.yaml.');
} else {
  for (const [file, text] of generated) writeFileSync(file, text);
  console.log(`Wrote ${generated.map(([f]) => f.slice(portal.length)).join(', ')}`);
}
