// Where a Connect flow lands when the provider or the portal refused it. Nothing was stored.
// The text comes from the reason code alone: a URL's own words are never shown, so a crafted link
// cannot make the portal say what its author wants.
import { h, replace } from '../components/dom.js';

const PROVIDERS = /** @type {Record<string, string>} */ ({ slack: 'Slack', discord: 'Discord', hubspot: 'HubSpot' });

/** What each reason code means for the user; `name` is the provider's. */
const REASONS = /** @type {Record<string, (name: string) => string>} */ ({
  denied: (name) => `The request was declined on ${name}'s page, so nothing was connected.`,
  provider_error: (name) => `${name} answered with an error, so nothing was connected. Try again in a moment; if it keeps`
    + ` failing, the application's operator should check its ${name} app.`,
  expired: () => 'The authorization took longer than 10 minutes, so it expired.',
  replayed: () => 'This authorization was already used (the page was reloaded, or opened twice).',
  wrong_session: () => 'This authorization was started in another portal session, so it was not used here.',
  invalid_state: () => 'This authorization was not started by the portal: its state is missing or was changed.',
  refused: (name) => `${name} handed out a destination this service does not accept (for example an address on a private network).`,
  limit: () => 'Your plan\'s connector limit is reached. Delete a connector or change your plan, then try again.',
  gone: () => 'The connector to reconnect was deleted meanwhile.',
  not_configured: (name) => `Connecting to ${name} is not set up for this application. Ask its operator.`,
});

/** @param {import('../app.js').PageContext} ctx */
export async function render(ctx) {
  const provider = ctx.query.get('provider') ?? '';
  const name = PROVIDERS[provider] ?? 'the provider';
  const reason = ctx.query.get('reason') ?? '';
  const explain = Object.hasOwn(REASONS, reason) ? REASONS[reason] : null;
  ctx.title(`Could not connect to ${name}`);
  replace(ctx.view,
    h('h1', {}, `Could not connect to ${name}`),
    h('div', { class: 'error', role: 'alert' },
      h('p', {}, explain ? explain(name) : 'The connection was not completed.'),
      explain && h('p', { class: 'hint' }, 'Reason code: ', h('code', {}, reason))),
    h('p', {}, 'Nothing was saved. You can start again whenever you are ready.'),
    h('p', { class: 'actions' },
      PROVIDERS[provider] && h('a', { class: 'button', href: `#/new/type/${provider}` }, `Try connecting to ${name} again`),
      h('a', { href: '#/connectors' }, 'Back to your connectors')));
}
