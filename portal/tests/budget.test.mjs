// The first page's weight and speed, measured in the browser on the local stack. The byte budget
// is asserted (JavaScript + CSS ≤ 200 KB gzipped); the time to an interactive connector list is
// printed, not asserted, since it depends on how busy the machine is.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { stack, newUser } from './support/fixture.mjs';
import { launch, watchedPage, logIn, assertClean } from './support/browser.mjs';

const BUDGET_BYTES = 200 * 1024;
const browsers = [];
after(async () => Promise.all(browsers.map((b) => b.close())));

test('the first page stays within 200 KB of gzipped JavaScript and CSS; the list time is printed', async () => {
  const user = await newUser('budget');
  for (let i = 1; i <= 3; i++) {
    await user.call('POST', 'connectors', {
      type: 'discord', name: `Server ${i}`,
      config: { webhook_url: `https://discord.com/api/webhooks/12345678901234567${i}/token-${i}` }, events: ['*'],
    });
  }
  const browser = await launch();
  browsers.push(browser);
  const watched = await watchedPage(browser.context, new URL(stack.baseUrl).origin);
  const { page } = watched;
  /** @type {Map<string, Promise<number>>} */
  const assets = new Map();
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (/javascript|text\/css/.test(type)) {
      assets.set(response.url(), response.body().then((body) => gzipSync(body, { level: 9 }).length));
    }
  });
  await logIn(page, await user.link());
  await page.getByRole('row', { name: /Server 3/ }).waitFor();
  const sizes = await Promise.all([...assets.entries()].map(async ([url, size]) => [new URL(url).pathname, await size]));
  const total = sizes.reduce((sum, [, size]) => sum + /** @type {number} */ (size), 0);
  const timing = await page.evaluate(() => {
    const mark = performance.getEntriesByName('portal:connectors-interactive')[0];
    const nav = /** @type {PerformanceNavigationTiming | undefined} */ (performance.getEntriesByType('navigation')[0]);
    return { interactive: mark?.startTime ?? null, domContentLoaded: nav?.domContentLoadedEventEnd ?? null };
  });
  console.log(`[budget] first page: ${sizes.length} JS/CSS files, ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_BYTES / 1024} KB)`);
  console.log(`[budget] connector list interactive ${timing.interactive?.toFixed(0)} ms after navigation (DOMContentLoaded ${timing.domContentLoaded?.toFixed(0)} ms); target ≤ 1000 ms`);
  assert.ok(sizes.length > 0, 'the page loaded its scripts and styles');
  assert.ok(total <= BUDGET_BYTES, `JavaScript + CSS is ${total} bytes gzipped, over the ${BUDGET_BYTES} budget`);
  assert.ok(timing.interactive !== null, 'the list marked itself interactive');
  assertClean(watched);
});
