// What most browser tests start from: the running stack, a user of their own, a logged-in page.
import { stackFromEnv, createUser, api, mintLink } from './stack.mjs';
import { launch, watchedPage, logIn } from './browser.mjs';

export const stack = stackFromEnv();

/** A new user (unique id) on the given plan, with its API token for setting data up. */
export async function newUser(prefix, tier = 'pro') {
  const userId = `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const { token } = await createUser(stack, userId, tier);
  return { userId, token, call: api(stack, token), link: () => mintLink(stack, token) };
}

/** A browser and a page logged in as the user, watched for CSP violations and script errors. */
export async function loggedIn(user) {
  const browser = await launch();
  const watched = await watchedPage(browser.context, new URL(stack.baseUrl).origin);
  await logIn(watched.page, await user.link());
  return { browser, ...watched };
}

/**
 * Waits for `check` to hold, re-running `refresh` between tries; for outcomes that arrive
 * asynchronously (a delivery made by the SQS poller). Fails with `what` after `limitMs`.
 * @param {() => Promise<boolean>} check
 * @param {() => Promise<void>} refresh
 */
export async function eventually(what, check, refresh, limitMs = 60_000) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await refresh();
  }
}

/** The sample event the tests publish (the catalog's own example, with a unique id). */
export function sampleEvent(userId) {
  return {
    id: `evt_portal_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    type: 'promise.status_changed',
    occurredAt: new Date().toISOString(),
    subject: { title: 'Ship offline mode to every mobile user', url: 'https://example.org/promises/4821', status: 'kept' },
    attributes: { category: 'tech-product', company: 'Acme Mobile' },
    userId,
    data: { promiseId: '4821', previousStatus: 'in_progress', status: 'kept' },
  };
}

/**
 * Clicks the delivery log's Refresh and waits until the log has rendered again. Without the wait,
 * the next check would read the "Loading…" of the render it started, and the next click would
 * start another render before this one finished: on a loaded machine no check ever saw a result.
 * @param {import('playwright-core').Page} page
 */
export async function refreshDeliveries(page) {
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
}
