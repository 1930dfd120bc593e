// Starting a "Connect to …" flow: the server answers with the provider's authorize URL, and the
// browser goes there. Standalone, the whole page goes (the provider sends it back to the portal);
// inside the host's iframe a popup goes instead, since providers refuse to be framed, and the
// popup hands its result back to the frame (see app.js) or the frame reloads when it closes.
import { h } from './dom.js';
import { startConnect } from '../api/portal-routes.js';

export const PROVIDER_NAMES = /** @type {const} */ ({ slack: 'Slack', discord: 'Discord', hubspot: 'HubSpot' });

/**
 * Whether the user can "Connect to …" this type: it has an OAuth flow and the operator configured
 * it (the session lists the configured providers).
 * @param {import('../api/portal-routes.js').Session} session
 * @param {string} type
 * @returns {type is keyof typeof PROVIDER_NAMES}
 */
export function canConnect(session, type) {
  // Read loosely: a server without the Connect flows has no connectProviders, so no Connect buttons.
  const { connectProviders } = /** @type {{connectProviders?: unknown}} */ (session);
  return Object.hasOwn(PROVIDER_NAMES, type) && Array.isArray(connectProviders) && connectProviders.includes(type);
}

function framed() {
  try {
    return window.top !== window.self;
  } catch {
    return true;
  }
}

/**
 * @param {keyof typeof PROVIDER_NAMES} provider
 * @param {import('../api/portal-routes.js').ConnectRequest} request
 * @param {import('./feedback.js').Feedback} feedback
 * @param {() => void} onPopupClosed
 */
export async function connect(provider, request, feedback, onPopupClosed) {
  const { authorizeUrl } = await startConnect(provider, request);
  const target = new URL(authorizeUrl, location.href);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error('The server gave an authorization address that is not a web page.');
  if (!framed()) {
    feedback.busy(`Opening ${PROVIDER_NAMES[provider]}…`);
    location.assign(target.href);
    return;
  }
  const popup = window.open(target.href, 'connectors-connect', 'popup,width=640,height=760');
  if (!popup) {
    feedback.ok(`Your browser blocked the ${PROVIDER_NAMES[provider]} window.`,
      h('p', {}, h('a', { href: target.href, target: '_blank', rel: 'opener' }, `Open ${PROVIDER_NAMES[provider]} in a new window`)));
    return;
  }
  feedback.busy(`Finish connecting in the ${PROVIDER_NAMES[provider]} window…`);
  const timer = setInterval(() => {
    if (!popup.closed) return;
    clearInterval(timer);
    feedback.clear();
    onPopupClosed();
  }, 500);
}
