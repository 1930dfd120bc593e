// The filter dry run beside the filters editor on a connector's settings page: filters that let the
// event type's example through, a pattern that stops it (with the first failing path and why), a
// pasted event, patterns the API refuses (their errors next to the editor), and the progress and
// error while a test runs. axe runs on each state; nothing the dry run does is saved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newUser, loggedIn } from './support/fixture.mjs';
import { assertAccessible, assertClean } from './support/browser.mjs';

const SAVED_FILTERS = { categories: ['tech-product'] };
/** @type {Awaited<ReturnType<typeof newUser>>} */
let user;
/** @type {Awaited<ReturnType<typeof loggedIn>>} */
let session;

before(async () => {
  user = await newUser('filters');
  const { status, body } = await user.call('POST', 'connectors', {
    type: 'slack',
    name: 'Kept promises',
    config: { webhook_url: 'https://hooks.slack.com/services/T00000000/B00000001/XXXXXXXX' },
    events: ['promise.status_changed', 'promise.created'],
    filters: SAVED_FILTERS,
  });
  assert.equal(status, 201, JSON.stringify(body));
  session = await loggedIn(user);
  await session.page.getByRole('link', { name: 'Kept promises' }).click();
  await session.page.getByRole('heading', { level: 1, name: 'Kept promises' }).waitFor();
});

after(async () => {
  await session?.browser.close();
});

/** The dry run's controls. @param {import('playwright-core').Page} page */
function tryIt(page) {
  return page.getByRole('group', { name: 'Try the filters' });
}

/** The text of the messages that describe a control (its hint and its error). @param {import('playwright-core').Locator} control */
async function description(control) {
  return control.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
}

test('the saved simple filters and an edited pattern that let the example through say Match', async () => {
  const { page } = session;
  const panel = tryIt(page);
  assert.deepEqual(await panel.getByLabel('Event type to try').evaluate((s) => [.../** @type {HTMLSelectElement} */ (s).options].map((o) => o.value)),
    ['promise.status_changed', 'promise.created'], 'the connector\'s event types are offered');
  await panel.getByRole('button', { name: 'Test filter' }).click();
  await panel.getByRole('status').filter({ hasText: 'Match: the filter lets this promise.status_changed event through.' }).waitFor();
  await assertAccessible(page, 'the settings page after a matching dry run');

  await page.getByLabel('Event pattern', { exact: true }).check();
  await page.getByLabel('Event pattern (JSON)').fill('{"$or": [{"data": {"status": ["broken"]}}, {"data": {"status": ["kept"]}}]}');
  await panel.getByRole('button', { name: 'Test filter' }).click();
  await panel.getByRole('status').filter({ hasText: 'through (by $or[1])' }).waitFor();
  assert.deepEqual((await user.call('GET', 'connectors')).body.connectors[0].filters, SAVED_FILTERS, 'a dry run saves nothing');
  assertClean(session);
});

test('a pattern that stops the event names the first failing path and why; a pasted event is tried as pasted', async () => {
  const { page } = session;
  const panel = tryIt(page);
  await page.getByLabel('Event pattern (JSON)').fill('{"attributes": {"category": ["tech-product"]}, "data": {"status": ["broken"]}}');
  await panel.getByRole('button', { name: 'Test filter' }).click();
  const verdict = panel.getByRole('status').filter({ hasText: 'No match: the filter stops this promise.status_changed event.' });
  await verdict.waitFor();
  assert.equal(await verdict.getByRole('definition').first().textContent(), 'data.status');
  assert.equal(await verdict.getByRole('definition').nth(1).textContent(), '"kept" matches none of ["broken"]');
  await assertAccessible(page, 'the settings page after a dry run that does not match');

  await panel.getByLabel('An event I paste').check();
  const pasted = panel.getByLabel('Event (JSON)');
  const example = JSON.parse(await pasted.inputValue());
  assert.equal(example.type, 'promise.status_changed', 'the pasted event starts as the chosen type\'s example');
  await pasted.fill('{"type": ');
  await panel.getByRole('button', { name: 'Test filter' }).click();
  await panel.getByRole('alert').filter({ hasText: 'The pasted event is not valid JSON.' }).waitFor();
  assert.match(await description(pasted), /Not valid JSON/, 'the error is shown under the pasted event');
  await pasted.fill(JSON.stringify({ ...example, data: { ...example.data, status: 'broken' } }));
  await panel.getByRole('button', { name: 'Test filter' }).click();
  await panel.getByRole('status').filter({ hasText: 'Match: the filter lets this promise.status_changed event through.' }).waitFor();
  await panel.getByLabel('The event type’s example').check();
  assertClean(session);
});

test('patterns the API refuses show its errors next to the editor, which clear once the pattern is fixed', async () => {
  const { page } = session;
  const panel = tryIt(page);
  const pattern = page.getByLabel('Event pattern (JSON)');
  const run = panel.getByRole('button', { name: 'Test filter' });

  await pattern.fill('{"data": {"status": [{"prefx": "k"}]}}');
  await run.click();
  await panel.getByRole('alert').filter({ hasText: "unknown operator 'prefx'" }).waitFor();
  assert.equal(await pattern.getAttribute('aria-invalid'), 'true');
  assert.match(await description(pattern), /unknown operator 'prefx'/);
  assert.ok(await pattern.evaluate((el) => el === document.activeElement), 'focus moves to the pattern');
  await assertAccessible(page, 'the settings page with a refused pattern');

  await pattern.fill('{"data": {"colour": ["red"]}}');
  await run.click();
  await panel.getByRole('alert').filter({ hasText: "'colour' is not a field" }).waitFor();
  assert.match(await description(pattern), /'colour' is not a field/);

  await pattern.fill('{"data": ');
  await run.click();
  await panel.getByRole('alert').filter({ hasText: 'The event pattern is not valid JSON.' }).waitFor();
  assert.match(await description(pattern), /Not valid JSON/);

  await pattern.fill('{"data": {"status": [{"prefix": "k"}]}}');
  await run.click();
  await panel.getByRole('status').filter({ hasText: 'Match:' }).waitFor();
  assert.equal(await pattern.getAttribute('aria-invalid'), null);
  assert.doesNotMatch(await description(pattern), /Not valid JSON/);
  assertClean(session);
});

test('while a test runs it says so, and a test that cannot reach the server says what happened', async () => {
  const { page } = session;
  const panel = tryIt(page);
  /** @type {(route: import('playwright-core').Route) => void} */
  let release = () => {};
  const held = new Promise((resolve) => {
    release = resolve;
  });
  await page.route('**/portal/api/v1/filters/test', async (route) => {
    release(route);
  });
  await panel.getByRole('button', { name: 'Test filter' }).click();
  const route = /** @type {import('playwright-core').Route} */ (await held);
  await panel.getByText('Testing the filter…').waitFor();
  assert.equal(await panel.getByRole('button', { name: 'Test filter' }).getAttribute('aria-busy'), 'true');
  await route.abort('connectionrefused');
  await panel.getByRole('alert').filter({ hasText: 'Could not reach the server. Check your connection and try again.' }).waitFor();
  assert.equal(await panel.getByRole('button', { name: 'Test filter' }).getAttribute('aria-busy'), null);
  await page.unroute('**/portal/api/v1/filters/test');
});
