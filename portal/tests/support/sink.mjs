// A local webhook receiver for the browser tests: records every request; paths under /fail/
// answer 400 (a refusal that is not retried), anything else 200. It also plays the host
// platform's page that frames the portal (/host?src=<portal link>), on another site than the
// portal (127.0.0.1 against localhost).
import http from 'node:http';

export async function startSink() {
  /** @type {{method: string, path: string, headers: Record<string, string | string[] | undefined>, body: string}[]} */
  const received = [];
  const server = http.createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const path = request.url ?? '/';
    if (path.startsWith('/host?')) {
      const src = new URL(path, 'http://host').searchParams.get('src') ?? '';
      const attribute = src.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><html lang="en"><head><title>Host platform</title></head><body><main><h1>Host platform</h1>`
        + `<iframe src="${attribute}" title="Connectors portal" width="1100" height="820"></iframe></main></body></html>`);
      return;
    }
    if (path === '/_received') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(received));
      return;
    }
    received.push({ method: request.method ?? '', path, headers: request.headers, body: Buffer.concat(chunks).toString() });
    const failing = path.startsWith('/fail/');
    response.writeHead(failing ? 400 : 200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(failing ? { error: 'refused on purpose' } : { ok: true }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    hostPort: `127.0.0.1:${address.port}`,
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/** What the sink has received so far (for a test running in another process). @param {string} sinkUrl */
export async function receivedBy(sinkUrl) {
  const response = await fetch(`${sinkUrl}/_received`);
  return /** @type {{method: string, path: string, headers: Record<string, string>, body: string}[]} */ (await response.json());
}
