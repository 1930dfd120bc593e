// The real local stack for the browser tests: the built jar, started on free ports with the fake
// OAuth providers and a throw-away data folder, and helpers that act as the host platform would
// (create users, mint portal links, publish events).
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const JAR = join(REPO, 'local/target/connectors-local.jar');
const STARTUP_LIMIT_MS = 180_000;

/**
 * Starts `java -jar connectors-local.jar start --fake-providers` and resolves once its banner
 * names the gateway and SQS endpoints.
 */
export async function startStack({ java = process.env.PORTAL_TEST_JAVA ?? 'java', extraArgs = [], env = {} } = {}) {
  if (!existsSync(JAR)) throw new Error(`${JAR} is missing: build it first (mvn -B -ntp -DskipTests package).`);
  const data = mkdtempSync(join(tmpdir(), 'portal-stack-'));
  const child = spawn(java, ['-jar', JAR, 'start', '--port', '0', '--data', data, '--fake-providers', ...extraArgs], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The local stack did not start within ${STARTUP_LIMIT_MS / 1000} s:\n${output.slice(-4000)}`)), STARTUP_LIMIT_MS);
    const onData = (/** @type {Buffer} */ chunk) => {
      output += chunk.toString();
      const api = /API\s+(http:\/\/\S+)\/api\/v1/.exec(output);
      const sqs = /SQS\s+(http:\/\/\S+)/.exec(output);
      if (api && sqs && output.includes('Next, in another terminal')) {
        clearTimeout(timer);
        resolve({ baseUrl: api[1], sqsUrl: sqs[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The local stack exited (${code}) before it was ready:\n${output.slice(-4000)}`));
    });
  });
  const { baseUrl, sqsUrl } = /** @type {{baseUrl: string, sqsUrl: string}} */ (await ready);
  return {
    baseUrl,
    sqsUrl,
    data,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** What the tests know about the running stack (passed from run.mjs through the environment). */
export function stackFromEnv() {
  const raw = process.env.PORTAL_TEST_STACK;
  if (!raw) throw new Error('Run the browser tests through tests/run.mjs (npm test), which starts the stack.');
  return /** @type {{baseUrl: string, sqsUrl: string, data: string}} */ (JSON.parse(raw));
}

/** Invokes a function of the running stack the way the host platform does (`invoke`). */
export async function invoke(stack, functionId, event) {
  const file = join(stack.data, `event-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(event));
  try {
    const { stdout } = await promisify(execFile)(process.env.PORTAL_TEST_JAVA ?? 'java',
      ['-jar', JAR, 'invoke', functionId, '--event', file, '--data', stack.data], { cwd: REPO, maxBuffer: 8 << 20 });
    const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
    if (!line) throw new Error(`${functionId} printed no JSON: ${stdout}`);
    return JSON.parse(line);
  } finally {
    rmSync(file, { force: true });
  }
}

/** Creates (or re-tiers) a user; returns its first API token when this call issued one. */
export async function createUser(stack, userId, tier = 'pro') {
  const answer = await invoke(stack, 'AccountsFunction', { userId, tier });
  if (!answer.ok) throw new Error(`AccountsFunction refused ${userId}: ${JSON.stringify(answer)}`);
  return answer;
}

/** The host platform's REST calls, with the user's API token. */
export function api(stack, token) {
  return async (/** @type {string} */ method, /** @type {string} */ path, /** @type {unknown} */ body = undefined) => {
    const response = await fetch(`${stack.baseUrl}/api/v1/${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

/** A fresh single-use portal link for the token's user, as the host platform asks for it. */
export async function mintLink(stack, token) {
  const { status, body } = await api(stack, token)('POST', 'portal-links');
  if (status !== 200 && status !== 201) throw new Error(`portal-links answered ${status}: ${JSON.stringify(body)}`);
  return /** @type {string} */ (body.url);
}

/** Publishes an event envelope on EventsQueue through ElasticMQ's SQS query API. */
export async function publish(stack, envelope) {
  const lookup = await fetch(stack.sqsUrl, { method: 'POST', body: new URLSearchParams({ Action: 'GetQueueUrl', QueueName: 'EventsQueue', Version: '2012-11-05' }) });
  const queueUrl = /<QueueUrl>([^<]+)<\/QueueUrl>/.exec(await lookup.text())?.[1];
  if (!queueUrl) throw new Error(`EventsQueue not found at ${stack.sqsUrl}`);
  const form = new URLSearchParams({ Action: 'SendMessage', MessageBody: JSON.stringify(envelope), Version: '2012-11-05' });
  const response = await fetch(queueUrl, { method: 'POST', body: form });
  if (!response.ok) throw new Error(`SendMessage answered ${response.status}: ${await response.text()}`);
}
