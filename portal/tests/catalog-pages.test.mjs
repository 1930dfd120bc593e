// Every connector type has its create page, its setup guide and its own icon, and each of those
// pages passes axe with no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stack, newUser, loggedIn } from './support/fixture.mjs';
import { assertAccessible, assertClean } from './support/browser.mjs';

/** @type {Awaited<ReturnType<typeof newUser>>} */
let user;
/** @type {Awaited<ReturnType<typeof loggedIn>>} */
let session;
before(async () => {
  user = await newUser('catalog');
  session = await loggedIn(user);
});
after(async () => session?.browser.close());

test('each connector type: create page with its guide and fields, an icon of its own, no axe violation', async () => {
  const { page } = session;
  const types = (await user.call('GET', 'connectors/types')).body.types;
  assert.ok(types.length >= 15, 'the whole catalog');
  const icons = new Set();
  await page.goto(`${stack.baseUrl}/portal/`);
  const providers = await page.evaluate(async () => (await (await fetch('api/session')).json()).connectProviders ?? []);
  for (const type of types) {
    await page.goto(`${stack.baseUrl}/portal/#/new/type/${type.name}`);
    await page.getByRole('heading', { level: 1, name: `New ${type.displayName} connector` }).waitFor();
    const guide = page.getByRole('complementary', { name: `Setting up ${type.displayName}` });
    await guide.waitFor();
    assert.equal(await guide.getByRole('listitem').count(), type.setupSteps.length, `${type.name}: every setup step`);
    const connectButton = page.getByRole('button', { name: `Connect to ${type.displayName}` });
    if (providers.includes(type.name)) await connectButton.waitFor();
    else assert.equal(await connectButton.count(), 0, `${type.name}: no Connect button unless the operator configured it`);
    const icon = await page.locator('h1 img').getAttribute('src');
    assert.ok(icon, `${type.name}: an icon`);
    const response = await page.request.get(new URL(icon, page.url()).href);
    assert.equal(response.status(), 200, `${type.name}: its icon is served`);
    assert.match(response.headers()['content-type'] ?? '', /image\/svg\+xml/);
    icons.add(await response.text());
    await assertAccessible(page, `the ${type.name} create page`);
  }
  assert.equal(icons.size, types.length, 'every type has an icon of its own');
  assertClean(session);
});
