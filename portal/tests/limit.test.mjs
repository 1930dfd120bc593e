// The plan's limit: the list says "N of M connectors on <plan>", a full plan shows the limit
// message instead of the New connector button, and a create refused by the server at the limit
// (a race the page could not see) shows the server's explanation.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { newUser, loggedIn } from './support/fixture.mjs';
import { assertAccessible, assertClean } from './support/browser.mjs';

const sessions = [];
after(async () => Promise.all(sessions.map((s) => s.browser.close())));

/** @param {Awaited<ReturnType<typeof newUser>>} user @param {number} n */
async function createSlackConnectors(user, n) {
  for (let i = 1; i <= n; i++) {
    const { status, body } = await user.call('POST', 'connectors', {
      type: 'slack',
      name: `Channel ${i}`,
      config: { webhook_url: `https://hooks.slack.com/services/T00000000/B0000000${i}/XXXXXXXX` },
      events: ['promise.status_changed'],
    });
    assert.equal(status, 201, JSON.stringify(body));
  }
}

test('a full plan shows the limit message on the list and the new-connector page', async () => {
  const user = await newUser('full');
  await createSlackConnectors(user, 5);
  const session = await loggedIn(user);
  sessions.push(session);
  const { page } = session;
  await page.getByText('5 of 5 connectors on Pro').waitFor();
  await page.getByRole('note').filter({ hasText: "You have reached the Pro plan's limit of 5 connectors" }).waitFor();
  assert.equal(await page.getByRole('main').getByRole('link', { name: 'New connector' }).count(), 0);
  assert.equal(await page.getByRole('row').count(), 6, 'five connectors and the header row');
  await assertAccessible(page, 'the full connector list');
  await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'New connector' }).click();
  await page.getByRole('note').filter({ hasText: 'limit of 5 connectors' }).waitFor();
  assertClean(session);
});

test('a create refused at the limit shows why', async () => {
  const user = await newUser('race');
  await createSlackConnectors(user, 4);
  const session = await loggedIn(user);
  sessions.push(session);
  const { page } = session;
  await page.getByText('4 of 5 connectors on Pro').waitFor();
  await page.goto(`${page.url().split('#')[0]}#/new/type/zapier`);
  await page.getByRole('checkbox', { name: 'promise.status_changed' }).check();
  // Meanwhile another client takes the last place.
  await createSlackConnectors(user, 1);
  await page.getByLabel('Webhook URL').fill('https://hooks.zapier.com/hooks/catch/1234567/abcdefg/');
  await page.getByRole('button', { name: 'Create connector' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /5/, 'the message names the limit');
  assert.equal((await user.call('GET', 'connectors')).body.connectors.length, 5);
  assertClean(session);
});

test('an unlimited plan says so, and a long list pages with Show more', async () => {
  const user = await newUser('unlimited', 'enterprise');
  for (let i = 1; i <= 26; i++) {
    const { status } = await user.call('POST', 'connectors', {
      type: 'zapier', name: `Zap ${String(i).padStart(2, '0')}`,
      config: { webhook_url: `https://hooks.zapier.com/hooks/catch/1234567/zap${i}/` }, events: ['*'],
    });
    assert.equal(status, 201);
  }
  const session = await loggedIn(user);
  sessions.push(session);
  const { page } = session;
  await page.getByText('26 connectors on Enterprise (no limit)').waitFor();
  const rows = page.getByRole('main').getByRole('row');
  assert.equal(await rows.count(), 26, 'the first page (25) and the header row');
  await page.getByRole('button', { name: 'Show more connectors' }).click();
  await page.getByRole('button', { name: 'Show more connectors' }).waitFor({ state: 'detached' });
  assert.equal(await rows.count(), 27);
  assertClean(session);
});
