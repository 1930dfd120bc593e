// Where a Connect flow lands when the provider or the portal refused it. Nothing was stored.
import { h, replace } from '../components/dom.js';

const PROVIDERS = /** @type {Record<string, string>} */ ({ slack: 'Slack', discord: 'Discord', hubspot: 'HubSpot' });

/** @param {import('../app.js').PageContext} ctx */
export async function render(ctx) {
  const provider = ctx.query.get('provider') ?? '';
  const name = PROVIDERS[provider] ?? 'the provider';
  const message = ctx.query.get('message') || 'The connection was not completed.';
  const reason = ctx.query.get('reason');
  ctx.title(`Could not connect to ${name}`);
  replace(ctx.view,
    h('h1', {}, `Could not connect to ${name}`),
    h('div', { class: 'error', role: 'alert' },
      h('p', {}, message),
      reason && h('p', { class: 'hint' }, 'Reason code: ', h('code', {}, reason))),
    h('p', {}, 'Nothing was saved. You can start again whenever you are ready.'),
    h('p', { class: 'actions' },
      PROVIDERS[provider] && h('a', { class: 'button', href: `#/new/type/${provider}` }, `Try connecting to ${name} again`),
      h('a', { href: '#/connectors' }, 'Back to your connectors')));
}
