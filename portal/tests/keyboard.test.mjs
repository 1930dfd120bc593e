// The main flows with the keyboard alone: Tab to move, Enter and Space to act, typing to fill.
// Nothing here clicks; every control must be reachable and usable this way, and the code editor
// must not trap the Tab key, and the filter dry run must work beside its editor.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { newUser, loggedIn } from './support/fixture.mjs';
import { assertClean } from './support/browser.mjs';

const sinkUrl = /** @type {string} */ (JSON.parse(/** @type {string} */ (process.env.PORTAL_TEST_STACK)).sinkUrl);
/** @type {Awaited<ReturnType<typeof loggedIn>>[]} */
const sessions = [];
after(async () => Promise.all(sessions.map((s) => s.browser.close())));

/**
 * Presses Tab (or Shift+Tab) until the locator has focus; fails after `limit` presses.
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').Locator} target
 */
async function tabTo(page, target, { limit = 60, back = false } = {}) {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  assert.fail(`could not reach ${target} with the keyboard`);
}

test('create, edit and delete a connector with the keyboard only', async () => {
  const user = await newUser('keyboard');
  const session = await loggedIn(user);
  sessions.push(session);
  const { page } = session;

  await tabTo(page, page.getByRole('main').getByRole('link', { name: 'New connector' }));
  await page.keyboard.press('Enter');
  const endpoint = page.getByRole('link', { name: 'HTTP endpoint' });
  await endpoint.waitFor();
  await tabTo(page, endpoint);
  await page.keyboard.press('Enter');

  const name = page.getByLabel('Name');
  await tabTo(page, name);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Keyboard hook');
  await tabTo(page, page.getByRole('checkbox', { name: 'promise.created' }));
  await page.keyboard.press('Space');
  await tabTo(page, page.getByLabel('URL'));
  await page.keyboard.type(`${sinkUrl}/ok/keyboard`);
  await tabTo(page, page.getByRole('button', { name: 'Create connector' }));
  await page.keyboard.press('Enter');

  const next = page.getByRole('link', { name: /continue/ });
  await next.waitFor();
  await tabTo(page, next);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Keyboard hook' }).waitFor();

  // The editor: typed into, then left with Tab (no trap), then saved with Enter.
  await tabTo(page, page.getByRole('link', { name: 'Transformation' }));
  await page.keyboard.press('Enter');
  const editor = page.getByRole('textbox', { name: 'Transformation code' });
  await editor.waitFor();
  await tabTo(page, editor);
  await page.keyboard.press('Control+End');
  await page.keyboard.type('// reviewed\n');
  await page.keyboard.press('Tab');
  assert.equal(await editor.evaluate((el) => el === document.activeElement), false, 'Tab leaves the editor');
  await tabTo(page, page.getByRole('button', { name: 'Save transformation' }));
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Transformation saved' }).waitFor();
  const saved = (await user.call('GET', 'connectors')).body.connectors[0];
  assert.match(saved.transformation, /\/\/ reviewed/);

  // Delete, through the confirmation dialog: focus starts on Cancel; Escape cancels.
  await tabTo(page, page.getByRole('link', { name: 'Settings' }), { back: true });
  await page.keyboard.press('Enter');
  const remove = page.getByRole('button', { name: 'Delete connector' });
  await remove.waitFor();
  await tabTo(page, remove);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.ok(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement), 'focus moves into the dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.ok(await remove.evaluate((el) => el === document.activeElement), 'focus returns to the button');
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('dialog').getByRole('button', { name: 'Delete connector' }));
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Deleted “Keyboard hook”' }).waitFor();
  assert.equal((await user.call('GET', 'connectors')).body.connectors.length, 0);
  assertClean(session);
});

test('try a filter beside its editor with the keyboard only', async () => {
  const user = await newUser('keyboard-filter');
  const { status, body } = await user.call('POST', 'connectors', {
    type: 'slack',
    name: 'Filtered',
    config: { webhook_url: 'https://hooks.slack.com/services/T00000000/B00000002/XXXXXXXX' },
    events: ['promise.status_changed'],
  });
  assert.equal(status, 201, JSON.stringify(body));
  const session = await loggedIn(user);
  sessions.push(session);
  const { page } = session;
  const link = page.getByRole('link', { name: 'Filtered' });
  await tabTo(page, link);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Filtered' }).waitFor();

  // Choose the pattern form, write a pattern, test it: the verdict names where it failed.
  await tabTo(page, page.getByLabel('Simple filters'));
  await page.keyboard.press('ArrowRight');
  assert.ok(await page.getByLabel('Event pattern', { exact: true }).isChecked(), 'the arrow key chooses the pattern form');
  await tabTo(page, page.getByLabel('Event pattern (JSON)'));
  await page.keyboard.type('{"data": {"status": ["broken"]}}');
  const run = page.getByRole('button', { name: 'Test filter' });
  await tabTo(page, run);
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'No match' }).filter({ hasText: 'data.status' }).waitFor();

  // Then on a pasted event (it starts as the example): change its status and test again with Space.
  await tabTo(page, page.getByLabel('The event type’s example'), { back: true });
  await page.keyboard.press('ArrowRight');
  const pasted = page.getByLabel('Event (JSON)');
  await tabTo(page, pasted);
  const example = JSON.parse(await pasted.inputValue());
  await page.keyboard.press('Control+A');
  await page.keyboard.type(JSON.stringify({ ...example, data: { ...example.data, status: 'broken' } }));
  await tabTo(page, run);
  await page.keyboard.press('Space');
  await page.getByRole('status').filter({ hasText: 'Match: the filter lets this promise.status_changed event through.' }).waitFor();
  assert.deepEqual((await user.call('GET', 'connectors')).body.connectors[0].filters ?? {}, {}, 'trying saves nothing');
  assertClean(session);
});
