// Access from the host platform: a single-use link opens a session (after its page's button, so
// another site cannot swap a signed-in browser to someone else's account); a used or forged link
// gets a clear page; logging out ends the session; a session that ended on the server says so on
// the next action instead of failing silently.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { stack, newUser } from './support/fixture.mjs';
import { launch, watchedPage, assertAccessible, assertClean, logIn } from './support/browser.mjs';

const browsers = [];
after(async () => Promise.all(browsers.map((b) => b.close())));

async function freshPage() {
  const browser = await launch();
  browsers.push(browser);
  return watchedPage(browser.context, new URL(stack.baseUrl).origin);
}

test('a portal link opens a session on the connector list with the plan', async () => {
  const user = await newUser('login');
  const watched = await freshPage();
  const link = await user.link();
  assert.match(link, /\/portal\/start\?code=/);
  await logIn(watched.page, link);
  assert.match(watched.page.url(), /\/portal\/(#.*)?$/, 'the code leaves the address bar');
  await watched.page.getByText('0 of 5 connectors on Pro').waitFor();
  await watched.page.getByText('You have no connectors yet').waitFor();
  const cookies = await watched.page.context().cookies();
  assert.ok(cookies.some((c) => c.httpOnly), 'the session cookie is HttpOnly');
  await assertAccessible(watched.page, 'the empty connector list');
  assertClean(watched);
});

test('a link opens nothing until its page is confirmed: the page says whose portal it is', async () => {
  const user = await newUser('login-page');
  const watched = await freshPage();
  const link = await user.link();
  const response = await watched.page.goto(link);
  assert.equal(response?.status(), 200);
  await watched.page.getByRole('heading', { level: 1, name: 'Open the connectors portal' }).waitFor();
  await watched.page.getByText(`This link opens the portal for ${user.userId}.`).waitFor();
  assert.equal(await watched.page.evaluate(async () => (await fetch('api/session')).status), 401, 'no session yet');
  await assertAccessible(watched.page, 'the link page');
  // Keyboard alone: the button is the page's first control.
  await watched.page.keyboard.press('Tab');
  await watched.page.keyboard.press('Enter');
  await watched.page.getByRole('heading', { level: 1, name: 'Connectors' }).waitFor();
  assert.match(watched.page.url(), /\/portal\/(#.*)?$/);
  assertClean(watched);
});

test('another site sending a signed-in browser to someone else\'s link does not swap the session', async () => {
  const victim = await newUser('victim');
  const attacker = await newUser('attacker');
  const watched = await freshPage();
  await logIn(watched.page, await victim.link());
  const attackerLink = await attacker.link();
  // The attacker's page (another site) forwards the browser to the attacker's own link.
  const evil = http.createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end(`<!doctype html><title>win a prize</title><script>location.href = ${JSON.stringify(attackerLink)};</script>`);
  });
  await new Promise((resolve) => evil.listen(0, '127.0.0.1', () => resolve(undefined)));
  try {
    const port = /** @type {import('node:net').AddressInfo} */ (evil.address()).port;
    await watched.page.goto(`http://127.0.0.1:${port}/`);
    await watched.page.getByRole('heading', { level: 1, name: `You are signed in as ${victim.userId}` }).waitFor();
    await assertAccessible(watched.page, 'the link page of another user');
    const sessionUser = () => watched.page.evaluate(async () => (await (await fetch('api/session')).json()).userId);
    assert.equal(await sessionUser(), victim.userId, 'the link alone changed nothing');
    await watched.page.getByRole('link', { name: `Stay signed in as ${victim.userId}` }).click();
    await watched.page.getByRole('heading', { level: 1, name: 'Connectors' }).waitFor();
    assert.equal(await sessionUser(), victim.userId, 'still the victim after staying');
    await watched.page.getByRole('navigation', { name: 'Portal' }).getByText(`Signed in as ${victim.userId}`).waitFor();
    // Only the person's explicit choice on the link's page switches accounts.
    await watched.page.goto(attackerLink);
    await watched.page.getByRole('button', { name: `Open the portal as ${attacker.userId}` }).click();
    await watched.page.getByRole('heading', { level: 1, name: 'Connectors' }).waitFor();
    assert.equal(await sessionUser(), attacker.userId);
    await watched.page.getByRole('navigation', { name: 'Portal' }).getByText(`Signed in as ${attacker.userId}`).waitFor();
  } finally {
    evil.closeAllConnections();
    await new Promise((resolve) => evil.close(() => resolve(undefined)));
  }
  assertClean(watched);
});

test('a used link and a forged link each get a clear page, not an error dump', async () => {
  const user = await newUser('login-used');
  const link = await user.link();
  const first = await freshPage();
  await logIn(first.page, link);

  for (const [what, url] of [['used', link], ['forged', link.replace(/code=[^&]+/, 'code=forged-code-0000')]]) {
    const other = await freshPage();
    const response = await other.page.goto(url);
    assert.ok(response, `${what}: a response`);
    assert.ok(response.status() >= 400, `${what}: refused (${response.status()})`);
    assert.match(response.headers()['content-type'] ?? '', /text\/html/, `${what}: an HTML page`);
    const text = await other.page.locator('body').innerText();
    assert.match(text, /link/i, `${what}: the page talks about the link`);
    assert.doesNotMatch(text, /Exception|\bat [a-z]+\.[a-z]+\.|stack trace/i, `${what}: no internals`);
    await other.page.getByRole('heading', { level: 1 }).waitFor();
    await assertAccessible(other.page, `the ${what}-link page`);
  }
});

test('logging out ends the session at once', async () => {
  const user = await newUser('logout');
  const watched = await freshPage();
  await logIn(watched.page, await user.link());
  await watched.page.getByRole('button', { name: 'Log out' }).click();
  await watched.page.getByRole('heading', { name: 'You have logged out' }).waitFor();
  await assertAccessible(watched.page, 'the logged-out page');
  const status = await watched.page.evaluate(async () => (await fetch('api/v1/connectors')).status);
  assert.equal(status, 401, 'the old cookie no longer works');
  await watched.page.reload();
  await watched.page.getByRole('heading', { name: 'You are not signed in' }).waitFor();
  await assertAccessible(watched.page, 'the not-signed-in page');
  assertClean(watched);
});

test('a session that ended on the server is reported on the next action', async () => {
  const user = await newUser('expired');
  const watched = await freshPage();
  await logIn(watched.page, await user.link());
  // The same browser ends the session from another tab; this tab still shows the list.
  const other = await watched.page.context().newPage();
  await other.goto(watched.page.url());
  await other.getByRole('button', { name: 'Log out' }).click();
  await other.getByRole('heading', { name: 'You have logged out' }).waitFor();

  await watched.page.getByRole('link', { name: 'New connector' }).first().click();
  await watched.page.getByRole('heading', { name: 'Your session has ended' }).waitFor();
  await watched.page.getByText('Open the portal again from your account').waitFor();
  await assertAccessible(watched.page, 'the session-ended page');
  assert.equal(await watched.page.getByRole('navigation', { name: 'Portal' }).isVisible(), false, 'no controls that cannot work');
  assertClean(watched);
});
