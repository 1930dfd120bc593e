// The main flow of a user managing a connector: create from an operator template, edit and dry-run
// the transformation, send a test, see deliveries in the log, retry a failed one, rotate the
// signing secret, disable and enable, delete with confirmation. axe runs on every page it visits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stack, newUser, loggedIn, eventually, sampleEvent, refreshDeliveries } from './support/fixture.mjs';
import { invoke, publish } from './support/stack.mjs';
import { assertAccessible, assertClean } from './support/browser.mjs';
import { receivedBy } from './support/sink.mjs';

const sinkUrl = /** @type {string} */ (JSON.parse(/** @type {string} */ (process.env.PORTAL_TEST_STACK)).sinkUrl);
const templateId = `alerts-${Date.now().toString(36)}`;
/** @type {Awaited<ReturnType<typeof newUser>>} */
let user;
/** @type {Awaited<ReturnType<typeof loggedIn>>} */
let session;

before(async () => {
  const put = await invoke(stack, 'TemplatesAdminFunction', {
    action: 'put',
    id: templateId,
    type: 'generic',
    name: 'Promise alerts to our endpoint',
    description: 'Status changes of tracked promises, signed, to an HTTPS endpoint of yours.',
    eventTypes: ['promise.status_changed'],
    transformation: 'function handler(webhook) {\n  return webhook;\n}\n',
  });
  assert.ok(put.ok !== false, `template put failed: ${JSON.stringify(put)}`);
  user = await newUser('manage');
  session = await loggedIn(user);
});

after(async () => {
  await session?.browser.close();
});

test('creating from an operator template shows the setup guide and the signing secret once', async () => {
  const { page } = session;
  await assertAccessible(page, 'the connector list');
  await page.getByRole('link', { name: 'New connector' }).first().click();
  await page.getByRole('heading', { name: 'Start from a template' }).waitFor();
  await assertAccessible(page, 'the new-connector page');
  await page.getByRole('link', { name: 'Promise alerts to our endpoint' }).click();

  await page.getByRole('heading', { level: 1, name: /New connector from/ }).waitFor();
  await page.getByRole('complementary', { name: /Setting up/ }).waitFor();
  assert.equal(await page.getByLabel('Name').inputValue(), 'Promise alerts to our endpoint');
  assert.ok(await page.getByRole('checkbox', { name: 'promise.status_changed' }).isChecked());
  await page.getByLabel('URL').fill(`${sinkUrl}/ok/promises`);
  await page.getByLabel('Method').selectOption('POST');
  await assertAccessible(page, 'the create form');
  await page.getByRole('button', { name: 'Create connector' }).click();

  await page.getByRole('heading', { name: 'Your signing secret' }).waitFor();
  const secret = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
  assert.match(secret, /^whsec_/);
  await assertAccessible(page, 'the signing secret panel');
  await page.getByRole('link', { name: /continue/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Promise alerts to our endpoint' }).waitFor();
  assert.ok(!(await page.content()).includes(secret), 'the secret is shown only once');
  assertClean(session);
});

test('the transformation editor highlights code, runs it and points at the line of an error', async () => {
  const { page } = session;
  await page.getByRole('link', { name: 'Transformation' }).click();
  const editor = page.getByRole('textbox', { name: 'Transformation code' });
  await editor.waitFor();
  assert.ok(await page.locator('.editor-highlight .tok-keyword').count() > 0, 'keywords are highlighted');
  await assertAccessible(page, 'the transformation page');

  await editor.fill('function handler(webhook) {\n  webhook.payload = ;\n  return webhook;\n}\n');
  await page.getByRole('button', { name: 'Run' }).click();
  const failure = page.getByRole('alert').filter({ hasText: 'Syntax error at line 2' });
  await failure.waitFor();
  await page.getByRole('button', { name: /Go to line 2/ }).click();
  assert.equal(await editor.evaluate((t) => /** @type {HTMLTextAreaElement} */ (t).value.slice(0, /** @type {HTMLTextAreaElement} */ (t).selectionStart).split('\n').length), 2);

  await editor.fill('function handler(webhook) {\n  console.log("status", webhook.payload.data.status);\n  webhook.payload = { text: "Promise kept: " + webhook.payload.subject.title };\n  return webhook;\n}\n');
  await page.getByRole('button', { name: 'Run' }).click();
  await page.getByRole('status').filter({ hasText: /^Ran in/ }).waitFor();
  await page.getByRole('heading', { name: 'Resulting request' }).waitFor();
  assert.match(await page.getByLabel('Request body').textContent() ?? '', /Promise kept: Ship offline mode/);
  assert.match(await page.locator('.dry-run-result .console').textContent() ?? '', /status kept/);

  await page.getByLabel('A payload I paste').check();
  await page.getByLabel('Payload (JSON)').fill('{"subject": {"title": "Pasted"}, "data": {"status": "broken"}}');
  await page.getByRole('button', { name: 'Run' }).click();
  await page.getByLabel('Request body').filter({ hasText: 'Promise kept: Pasted' }).waitFor();

  await page.getByRole('button', { name: 'Save transformation' }).click();
  await page.getByRole('status').filter({ hasText: 'Transformation saved' }).waitFor();
  await assertAccessible(page, 'the transformation page after a run');
  assertClean(session);
});

test('a test send goes through the real path and reports the destination answer', async () => {
  const { page } = session;
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Send a test event' }).click();
  await page.getByRole('status').filter({ hasText: /Delivered: the destination answered HTTP 200/ }).waitFor();
  const requests = await receivedBy(sinkUrl);
  const last = requests.filter((r) => r.path === '/ok/promises').pop();
  assert.ok(last, 'the sink received the test');
  assert.match(last.body, /Promise kept: /, 'the saved transformation ran on the test event');
  assert.ok(last.headers['webhook-signature'], 'generic deliveries are signed');
  assertClean(session);
});

test('a published event appears in the delivery log, and a failed delivery can be retried', async () => {
  const { page } = session;
  await publish(stack, sampleEvent(user.userId));
  await page.getByRole('link', { name: 'Delivery log' }).click();
  await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
  await eventually('the delivery to succeed in the log',
    async () => (await page.locator('.delivery').filter({ has: page.locator('.badge', { hasText: /^Succeeded$/ }) }).count()) > 0,
    async () => refreshDeliveries(page));
  await page.getByText(/Attempts of promise.status_changed/).first().click();
  await page.getByRole('cell', { name: '200' }).first().waitFor();
  await assertAccessible(page, 'the delivery log');

  // Point the connector at a refusing path (replacing the masked URL), let one delivery fail...
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Replace URL' }).click();
  await page.getByLabel('New URL').fill(`${sinkUrl}/fail/promises`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Changes saved' }).waitFor();
  await publish(stack, sampleEvent(user.userId));
  await page.getByRole('link', { name: 'Delivery log' }).click();
  await eventually('a failed delivery in the log',
    async () => (await page.locator('.delivery').filter({ has: page.locator('.badge', { hasText: /^Failed$/ }) }).count()) > 0,
    async () => refreshDeliveries(page));

  // ...then mend the URL and retry it: the new attempt succeeds.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Replace URL' }).click();
  await page.getByLabel('New URL').fill(`${sinkUrl}/ok/promises`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: 'Changes saved' }).waitFor();
  await page.getByRole('link', { name: 'Delivery log' }).click();
  const failed = page.locator('.delivery').filter({ has: page.locator('.badge', { hasText: /^Failed$/ }) }).first();
  await failed.getByRole('button', { name: 'Retry' }).click();
  await failed.getByRole('status').filter({ hasText: 'Queued' }).waitFor();
  await eventually('the retried delivery to succeed',
    async () => (await page.locator('.delivery').filter({ has: page.locator('.badge', { hasText: /^Failed$/ }) }).count()) === 0
      && (await page.locator('.delivery').filter({ has: page.locator('.badge', { hasText: /^Succeeded$/ }) }).count()) >= 2,
    async () => refreshDeliveries(page));
  assertClean(session);
});

test('rotating the signing secret shows the new one once; disable, enable and delete ask and act', async () => {
  const { page } = session;
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Rotate signing secret' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
  await dialog.waitFor();
  await assertAccessible(page, 'the confirmation dialog');
  await dialog.getByRole('button', { name: 'Rotate secret' }).click();
  await page.getByRole('heading', { name: 'Your signing secret' }).waitFor();
  assert.match(await page.getByRole('textbox', { name: 'Signing secret' }).inputValue(), /^whsec_/);

  await page.getByRole('button', { name: 'Disable' }).click();
  await page.getByRole('button', { name: 'Enable' }).waitFor();
  assert.equal(await page.locator('.status-line .badge').textContent(), 'Disabled');
  await page.getByRole('button', { name: 'Enable' }).click();
  await page.getByRole('button', { name: 'Disable' }).waitFor();
  assert.equal(await page.locator('.status-line .badge').textContent(), 'Active');

  await page.getByRole('button', { name: 'Delete connector' }).click();
  const confirm = page.getByRole('dialog', { name: /Delete “/ });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'detached' });
  assert.equal((await user.call('GET', 'connectors')).body.connectors.length, 1, 'cancel keeps the connector');
  await page.getByRole('button', { name: 'Delete connector' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete connector' }).click();
  await page.getByRole('status').filter({ hasText: 'Deleted “Promise alerts to our endpoint”' }).waitFor();
  assert.equal((await user.call('GET', 'connectors')).body.connectors.length, 0);
  assertClean(session);
});
