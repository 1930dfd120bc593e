// The Connect flows end to end against the local fake providers: Slack, Discord and HubSpot
// (allow, deny, and a replayed callback), and the Windmill picker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stack, newUser, loggedIn, eventually, sampleEvent, refreshDeliveries } from './support/fixture.mjs';
import { publish } from './support/stack.mjs';
import { assertAccessible, assertClean } from './support/browser.mjs';

const PROVIDERS = /** @type {const} */ ([['slack', 'Slack'], ['discord', 'Discord'], ['hubspot', 'HubSpot']]);
/** @type {Awaited<ReturnType<typeof newUser>>} */
let user;
/** @type {Awaited<ReturnType<typeof loggedIn>>} */
let session;
const portal = () => `${stack.baseUrl}/portal/`;

before(async () => {
  user = await newUser('connect');
  session = await loggedIn(user);
});
after(async () => session?.browser.close());

async function connectorCount() {
  return (await user.call('GET', 'connectors')).body.connectors.length;
}

/**
 * Starts "Connect to <Name>" from the create page and returns the consent page's locator root.
 * @param {string} type @param {string} name @param {string} connectorName
 */
async function startConnect(type, name, connectorName) {
  const { page } = session;
  await page.goto(`${portal()}#/new/type/${type}`);
  await page.getByLabel('Name').fill(connectorName);
  await page.getByRole('checkbox', { name: 'promise.status_changed' }).check();
  await page.getByRole('button', { name: `Connect to ${name}` }).click();
  await page.waitForURL((url) => !url.href.startsWith(portal()));
}

for (const [type, name] of PROVIDERS) {
  test(`Connect to ${name}: allow creates the connector; the same callback again stores nothing`, async () => {
    const { page } = session;
    const before = await connectorCount();
    /** @type {string[]} */
    const callbacks = [];
    // The callback answers a redirect at once, so it is seen as a request, not as a page.
    const onRequest = (/** @type {import('playwright-core').Request} */ request) => {
      if (request.isNavigationRequest() && request.url().includes(`/portal/oauth/${type}/callback`)) callbacks.push(request.url());
    };
    page.on('request', onRequest);
    await startConnect(type, name, `${name} via Connect`);
    await page.getByRole('button', { name: /Allow/ }).click();
    await page.waitForURL(new RegExp(`/portal/#/connectors/[^?]+\\?connected=${type}`));
    await page.getByRole('status').filter({ hasText: `Connected to ${name}` }).waitFor();
    await page.getByRole('heading', { level: 1, name: `${name} via Connect` }).waitFor();
    await assertAccessible(page, `the connector page after Connect to ${name}`);
    page.off('request', onRequest);
    assert.equal(await connectorCount(), before + 1);
    const created = (await user.call('GET', 'connectors')).body.connectors.find((/** @type {any} */ c) => c.name === `${name} via Connect`);
    assert.equal(created.type, type);
    assert.equal(created.status, 'active');

    assert.ok(callbacks.length > 0, 'the provider came back through the callback');
    await page.goto(callbacks[0]);
    await page.waitForURL(/#\/connect-error/);
    await page.getByRole('alert').waitFor();
    await page.getByRole('heading', { level: 1, name: `Could not connect to ${name}` }).waitFor();
    assert.equal(await connectorCount(), before + 1, 'a replayed callback stores nothing');
    assertClean(session);
  });

  test(`Connect to ${name}: deny stores nothing and says so`, async () => {
    const { page } = session;
    const before = await connectorCount();
    await startConnect(type, name, `${name} denied`);
    await page.getByRole('button', { name: /Deny|Cancel/ }).click();
    await page.waitForURL(/#\/connect-error/);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.ok((await alert.innerText()).length > 10, 'a message that explains');
    await page.getByText('Nothing was saved').waitFor();
    await assertAccessible(page, 'the connect-error page');
    assert.equal(await connectorCount(), before);
  });
}

test('Windmill: list workspaces and scripts, build the webhook URL, create the connector', async () => {
  const { page } = session;
  const before = await connectorCount();
  await page.goto(`${portal()}#/new/type/windmill`);
  await page.getByLabel('Name').fill('Windmill flow');
  await page.getByRole('checkbox', { name: 'promise.status_changed' }).check();
  await page.getByLabel('Windmill token').fill('fake-windmill-token');
  await page.getByRole('button', { name: 'List workspaces' }).click();
  await page.getByLabel('Workspace').waitFor();
  await page.getByRole('button', { name: 'List scripts and flows' }).click();
  await page.getByLabel('Script or flow').waitFor();
  await assertAccessible(page, 'the Windmill picker');
  await page.getByRole('button', { name: 'Use this script or flow' }).click();
  await page.getByRole('status').filter({ hasText: 'is filled in below' }).waitFor();
  assert.match(await page.getByLabel('Webhook URL').inputValue(), /\/api\/w\/[^/]+\/jobs\/run/);
  await page.getByRole('button', { name: 'Create connector' }).click();
  await page.getByRole('heading', { level: 1, name: 'Windmill flow' }).waitFor();
  assert.equal(await connectorCount(), before + 1);
});

test('the connect-error page explains the reason code in its own words, never the address\'s text', async () => {
  const { page } = session;
  await page.goto(`${portal()}#/connect-error?provider=slack&reason=denied&message=${encodeURIComponent('Your account is locked: call +1 555 0100')}`);
  const alert = page.getByRole('alert');
  await alert.getByText('The request was declined on Slack\'s page').waitFor();
  assert.doesNotMatch(await alert.innerText(), /555|locked/);
  await page.goto(`${portal()}#/connect-error?provider=slack&reason=made-up&message=${encodeURIComponent('Visit evil.example')}`);
  await page.getByRole('alert').getByText('The connection was not completed.').waitFor();
  assert.doesNotMatch(await page.getByRole('alert').innerText(), /evil|made-up/);
  assertClean(session);
});

test('the newcomer path: connect Slack through the fake, edit the transformation, send a test, see a delivery in the log', async () => {
  const { page } = session;
  await startConnect('slack', 'Slack', 'Team alerts');
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.getByRole('heading', { level: 1, name: 'Team alerts' }).waitFor();

  await page.getByRole('link', { name: 'Transformation' }).click();
  const editor = page.getByRole('textbox', { name: 'Transformation code' });
  await editor.fill('function handler(webhook) {\n  webhook.payload.text = "[portal] " + webhook.payload.text;\n  return webhook;\n}\n');
  await page.getByRole('button', { name: 'Run' }).click();
  await page.getByLabel('Request body').filter({ hasText: '[portal] ' }).waitFor();
  await page.getByRole('button', { name: 'Save transformation' }).click();
  await page.getByRole('status').filter({ hasText: 'Transformation saved' }).waitFor();

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Send a test event' }).click();
  await page.getByRole('status').filter({ hasText: /Delivered: the destination answered HTTP 2\d\d/ }).waitFor();

  await publish(stack, sampleEvent(user.userId));
  await page.getByRole('link', { name: 'Delivery log' }).click();
  await eventually('the event delivered to the connected Slack channel',
    async () => (await page.locator('.delivery').filter({ has: page.locator('.badge', { hasText: /^Succeeded$/ }) }).count()) > 0,
    async () => refreshDeliveries(page));
  await assertAccessible(page, 'the delivery log of a connected Slack connector');
  assertClean(session);
});
