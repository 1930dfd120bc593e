// Debian's Chromium driven by playwright-core, with the flags this closed network needs, a fresh
// profile per launch, and the checks every test applies: no CSP violation, no script error, and
// axe-core finding no serious or critical accessibility violation.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

export const CHROMIUM = process.env.PORTAL_TEST_CHROMIUM ?? '/usr/bin/chromium';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A fresh browser (own profile folder) and a way to close both. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'portal-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(15_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens a page that records what must never happen: a CSP violation, an uncaught error, or a
 * portal page loading anything from another origin (navigating to a provider's consent page is
 * a navigation, not a load, and is allowed). `problems()` lists them.
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} portalOrigin
 */
export async function watchedPage(context, portalOrigin) {
  const page = await context.newPage();
  /** @type {string[]} */
  const problems = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('request', (request) => {
    if (request.isNavigationRequest()) return;
    const from = request.frame().url();
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (from.startsWith(portalOrigin) && url.origin !== portalOrigin) problems.push(`portal loaded from another origin: ${request.url()}`);
  });
  return { page, problems: () => [...problems] };
}

/** Fails when the page breaks a rule above. @param {{problems: () => string[]}} watched */
export function assertClean(watched) {
  assert.deepEqual(watched.problems(), [], 'the page broke its CSP, threw, or reached another origin');
}

/**
 * axe-core on the current page: no serious or critical violation (axe runs through the DevTools
 * protocol, so the page's CSP stays strict).
 * @param {import('playwright-core').Page} page
 * @param {string} where
 */
export async function assertAccessible(page, where) {
  const hasAxe = await page.evaluate(() => typeof (/** @type {any} */ (window)).axe !== 'undefined');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await (/** @type {any} */ (window)).axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((/** @type {any} */ v) => v.impact === 'serious' || v.impact === 'critical')
      .map((/** @type {any} */ v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((/** @type {any} */ n) => n.target.join(' ')).join(' | ')}`);
  });
  assert.deepEqual(violations, [], `accessibility violations on ${where}`);
}

/**
 * Opens a portal link as its user does: the link's page (which uses nothing), then its button
 * (a same-origin POST that opens the session); waits for the connector list.
 * @param {import('playwright-core').Page} page @param {string} link
 */
export async function logIn(page, link) {
  await page.goto(link);
  await page.getByRole('button', { name: /^Open the portal as / }).click();
  await page.getByRole('heading', { level: 1, name: 'Connectors' }).waitFor();
}
