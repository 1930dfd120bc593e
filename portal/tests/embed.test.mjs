// The portal inside the host platform's page on another site (127.0.0.1 framing localhost, so the
// session cookie is a partitioned third-party cookie): it opens from the link, a connector can be
// created, tested and deleted without leaving the frame, and "Connect to Slack" finishes in a popup
// (providers refuse to be framed) whose answer the frame completes with its own session.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { stack, newUser } from './support/fixture.mjs';
import { launch, watchedPage, assertClean } from './support/browser.mjs';

const sinkUrl = /** @type {string} */ (JSON.parse(/** @type {string} */ (process.env.PORTAL_TEST_STACK)).sinkUrl);
const browsers = [];
after(async () => Promise.all(browsers.map((b) => b.close())));

/** A new user's portal, opened from a fresh link inside the host's page. @param {string} prefix */
async function framedPortal(prefix) {
  const user = await newUser(prefix);
  const browser = await launch();
  browsers.push(browser);
  const watched = await watchedPage(browser.context, new URL(stack.baseUrl).origin);
  await watched.page.goto(`${sinkUrl}/host?src=${encodeURIComponent(await user.link())}`);
  const frame = watched.page.frameLocator('iframe[title="Connectors portal"]');
  await frame.getByRole('heading', { level: 1, name: 'Connectors' }).waitFor();
  return { user, watched, page: watched.page, frame };
}

test('the portal works inside a cross-site iframe', async () => {
  const { user, watched, frame } = await framedPortal('embed');
  await frame.getByText('0 of 5 connectors on Pro').waitFor();

  await frame.getByRole('main').getByRole('link', { name: 'New connector' }).click();
  await frame.getByRole('link', { name: 'HTTP endpoint' }).click();
  await frame.getByLabel('Name').fill('Framed hook');
  await frame.getByRole('checkbox', { name: 'promise.created' }).check();
  await frame.getByLabel('URL').fill(`${sinkUrl}/ok/framed`);
  await frame.getByRole('button', { name: 'Create connector' }).click();
  await frame.getByRole('link', { name: /continue/ }).click();
  await frame.getByRole('heading', { level: 1, name: 'Framed hook' }).waitFor();
  await frame.getByRole('button', { name: 'Send a test event' }).click();
  await frame.getByRole('status').filter({ hasText: 'Delivered: the destination answered HTTP 200' }).waitFor();
  await frame.getByRole('button', { name: 'Delete connector' }).click();
  await frame.getByRole('dialog').getByRole('button', { name: 'Delete connector' }).click();
  await frame.getByRole('status').filter({ hasText: 'Deleted “Framed hook”' }).waitFor();
  assert.equal((await user.call('GET', 'connectors')).body.connectors.length, 0);
  assertClean(watched);
});

test('framed, a link continues by itself, but not over another user\'s session: then the frame asks', async () => {
  const { watched, page, frame } = await framedPortal('embed-first');
  const other = await newUser('embed-second');
  // The host now frames a link for another user in the same browser (the frame's partitioned session is the first user's).
  await page.goto(`${sinkUrl}/host?src=${encodeURIComponent(await other.link())}`);
  await frame.getByRole('heading', { level: 1, name: /^You are signed in as embed-first-/ }).waitFor();
  await frame.getByRole('button', { name: `Open the portal as ${other.userId}` }).click();
  await frame.getByRole('heading', { level: 1, name: 'Connectors' }).waitFor();
  await frame.getByRole('navigation', { name: 'Portal' }).getByText(`Signed in as ${other.userId}`).waitFor();
  assertClean(watched);
});

test('framed, Connect to Slack finishes in a popup and the frame shows the new connector', async () => {
  const { user, watched, page, frame } = await framedPortal('embed-connect');
  await frame.getByRole('main').getByRole('link', { name: 'New connector' }).click();
  await frame.getByRole('link', { name: 'Slack' }).click();
  await frame.getByLabel('Name').fill('Framed Slack');
  await frame.getByRole('checkbox', { name: 'promise.status_changed' }).check();
  const popupOpened = page.waitForEvent('popup');
  await frame.getByRole('button', { name: 'Connect to Slack' }).click();
  const popup = await popupOpened;
  // The relay closes the popup as soon as it has handed over: listen before the click that leads there.
  const popupClosed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: 'Allow' }).click({ noWaitAfter: true });
  await popupClosed;
  await frame.getByRole('heading', { level: 1, name: 'Framed Slack' }).waitFor();
  await frame.getByRole('status').filter({ hasText: 'Connected to Slack' }).waitFor();
  const connectors = (await user.call('GET', 'connectors')).body.connectors;
  assert.deepEqual(connectors.map((/** @type {any} */ c) => [c.type, c.name]), [['slack', 'Framed Slack']]);
  assertClean(watched);
});
