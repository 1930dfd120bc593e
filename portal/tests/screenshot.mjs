// README's screenshot of the portal, taken on the local stack with a few example connectors:
//   node tests/run.mjs --screenshot   →   docs/images/portal.png
import { fileURLToPath } from 'node:url';
import { newUser, loggedIn, eventually, sampleEvent, stack } from './support/fixture.mjs';
import { publish } from './support/stack.mjs';

const output = fileURLToPath(new URL('../../docs/images/portal.png', import.meta.url));
const sinkUrl = /** @type {string} */ (JSON.parse(/** @type {string} */ (process.env.PORTAL_TEST_STACK)).sinkUrl);
const user = await newUser('screenshot');
const create = async (/** @type {any} */ body) => {
  const { status, body: answer } = await user.call('POST', 'connectors', body);
  if (status !== 201) throw new Error(`create failed: ${JSON.stringify(answer)}`);
  return answer;
};
await create({ type: 'generic', name: 'Promise tracker webhook', config: { url: `${sinkUrl}/ok/screenshot`, method: 'POST' }, events: ['promise.status_changed', 'promise.created'] });
await create({ type: 'slack', name: 'Engineering channel', config: { webhook_url: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXX' }, events: ['promise.status_changed'], filters: { categories: ['tech-product'] } });
const zapier = await create({ type: 'zapier', name: 'CRM automation', config: { webhook_url: 'https://hooks.zapier.com/hooks/catch/1234567/abcdefg/' }, events: ['*'] });
await user.call('PATCH', `connectors/${zapier.uuid}`, { enabled: false });
await publish(stack, { ...sampleEvent(user.userId), type: 'promise.created', data: { promiseId: '4907' } });

const session = await loggedIn(user);
const { page } = session;
await eventually('the webhook delivery to show',
  async () => (await page.getByRole('row', { name: /Promise tracker webhook/ }).getByText('Succeeded').count()) > 0,
  async () => {
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Connectors' }).waitFor();
  });
await page.setViewportSize({ width: 1100, height: 560 });
await page.screenshot({ path: output });
await session.browser.close();
console.log(`Wrote ${output}`);
