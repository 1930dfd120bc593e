// "Connect to …": the server answers with the provider's authorize URL, and the browser goes
// there. Providers refuse to be framed, so inside the host's iframe a popup goes instead.
import { portalConnectStart, portalConnectComplete } from '../api/client.js';
import { ApiError } from '../api/http.js';

export const PROVIDER_NAMES = /** @type {const} */ ({ slack: 'Slack', discord: 'Discord', hubspot: 'HubSpot' });

/**
 * Whether the user can "Connect to …" this type: it has an OAuth flow and the operator configured
 * it (the session lists the configured providers).
 * @param {import('../app.js').Session} session
 * @param {string} type
 * @returns {type is keyof typeof PROVIDER_NAMES}
 */
export function canConnect(session, type) {
  return Object.hasOwn(PROVIDER_NAMES, type) && session.connectProviders.some((provider) => provider === type);
}

function framed() {
  try {
    return window.top !== window.self;
  } catch {
    return true;
  }
}

/** What the server's relay page in the popup posts back to the frame (see the portal contract). */
const RELAY_MESSAGE = 'connectors:oauth-callback';

/**
 * Starts a Connect flow. Standalone, the page goes to the provider and the provider's redirect
 * brings it back. Framed, a popup goes there; the server's relay page in the popup posts the
 * provider's answer to this frame, which finishes the flow with its own session.
 * @param {keyof typeof PROVIDER_NAMES} provider
 * @param {import('../../../types/openapi').components['schemas']['ConnectStart']} request
 * @param {import('./feedback.js').Feedback} feedback
 * @param {(hash: string) => void} navigate
 */
export async function connect(provider, request, feedback, navigate) {
  const { authorizeUrl } = await portalConnectStart(provider, request);
  const target = new URL(authorizeUrl, location.href);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error('The server gave an authorization address that is not a web page.');
  const name = PROVIDER_NAMES[provider];
  if (!framed()) {
    feedback.busy(`Opening ${name}…`);
    location.assign(target.href);
    return;
  }
  const popup = window.open(target.href, 'connectors-connect', 'popup,width=640,height=760');
  if (!popup) {
    throw new Error(`Your browser blocked the ${name} window. Allow pop-ups for this page, then try again.`);
  }
  feedback.busy(`Finish connecting in the ${name} window…`);
  await new Promise((resolve) => {
    /** @param {MessageEvent} event */
    const onMessage = (event) => {
      if (event.origin !== location.origin || event.source !== popup || event.data?.type !== RELAY_MESSAGE) return;
      stop();
      finish(provider, event.data.params ?? {}, navigate).then(resolve, (error) => {
        feedback.fail(error);
        resolve(undefined);
      });
    };
    const closed = setInterval(() => {
      if (!popup.closed) return;
      stop();
      feedback.fail(new Error(`The ${name} window was closed before the connection was finished. Nothing was saved.`));
      resolve(undefined);
    }, 500);
    const stop = () => {
      clearInterval(closed);
      window.removeEventListener('message', onMessage);
    };
    window.addEventListener('message', onMessage);
  });
}

/**
 * @param {keyof typeof PROVIDER_NAMES} provider
 * @param {Record<string, string>} params the provider's answer (code and state, or error)
 * @param {(hash: string) => void} navigate
 */
async function finish(provider, params, navigate) {
  try {
    const done = await portalConnectComplete(provider, params);
    navigate(`#/connectors/${encodeURIComponent(done.connectorId)}?connected=${encodeURIComponent(provider)}`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === 401 || error.status === 0) throw error;
    const reason = /** @type {{reason?: string}} */ (error.problem ?? {}).reason ?? 'refused';
    navigate(`#/connect-error?${new URLSearchParams({ provider, reason })}`);
  }
}
