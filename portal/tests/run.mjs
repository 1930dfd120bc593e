// Runs the portal's browser tests against the real local stack:
//   node tests/run.mjs                 every *.test.mjs (what bin/test runs)
//   node tests/run.mjs login           only the files whose name contains "login"
//   node tests/run.mjs --screenshot    writes README's screenshot (docs/images/portal.png)
// Needs the built jar (local/target/connectors-local.jar), Debian's chromium and `npm ci` here.
// Without chromium: fails in CI (CI=true), skips with the reason elsewhere.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const chromium = process.env.PORTAL_TEST_CHROMIUM ?? '/usr/bin/chromium';

if (!existsSync(chromium)) {
  const reason = `Browser tests need Chromium at ${chromium} (Debian: apt-get install chromium).`;
  if (process.env.CI) {
    console.error(`FAIL: ${reason}`);
    process.exit(1);
  }
  console.error(`SKIPPED: ${reason}`);
  process.exit(0);
}
if (!existsSync(join(here, '..', 'node_modules', 'playwright-core'))) {
  console.error('FAIL: the test tools are not installed: run `npm ci` in portal/.');
  process.exit(1);
}

const { startStack } = await import('./support/stack.mjs');
const { startSink } = await import('./support/sink.mjs');
const started = Date.now();
const sink = await startSink();
console.log('Starting the local stack (with the fake OAuth providers)…');
// The sink is on loopback, which the SSRF guard refuses unless told to admit that exact address;
// it also plays the host platform's page, which must be allowed to frame the portal.
const stack = await startStack({ extraArgs: ['--allow-target', sink.hostPort, '--env', `PORTAL_FRAME_ANCESTORS=${sink.url}`] });
console.log(`Local stack at ${stack.baseUrl} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
let code = 1;
const stop = async () => {
  await stack.stop();
  await sink.close();
};
process.on('SIGINT', () => stop().then(() => process.exit(130)));
process.on('SIGTERM', () => stop().then(() => process.exit(143)));
try {
  const env = { ...process.env, PORTAL_TEST_STACK: JSON.stringify({ baseUrl: stack.baseUrl, sqsUrl: stack.sqsUrl, data: stack.data, sinkUrl: sink.url }) };
  /** @param {string[]} command @returns {Promise<number>} */
  const run = (command) => new Promise((resolve) => {
    const child = spawn(process.execPath, command, { env, stdio: 'inherit' });
    child.on('exit', (exit) => resolve(exit ?? 1));
  });
  if (args.includes('--screenshot')) {
    code = await run([join(here, 'screenshot.mjs')]);
  } else {
    // One file at a time: each drives its own Chromium, and two cores are shared.
    const files = readdirSync(here).filter((f) => f.endsWith('.test.mjs'))
      .filter((f) => args.length === 0 || args.some((a) => f.includes(a)));
    /** @type {string[]} */
    const failed = [];
    for (const file of files) {
      const fileStarted = Date.now();
      const exit = await run(['--test', '--test-reporter=spec', join(here, file)]);
      console.log(`${exit === 0 ? 'ok' : 'FAILED'} ${file} (${((Date.now() - fileStarted) / 1000).toFixed(0)} s)`);
      if (exit !== 0) failed.push(file);
    }
    if (failed.length > 0) console.error(`Failed: ${failed.join(', ')}`);
    code = files.length === 0 ? 1 : failed.length === 0 ? 0 : 1;
  }
} finally {
  await stop();
}
console.log(`Browser tests ${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
process.exit(code);
