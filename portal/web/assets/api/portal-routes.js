// The portal's Connect and Windmill routes, typed by hand from the portal contract until
// docs/openapi.yaml describes them; then client.js generates them instead (as it does the session's).
import { call } from './http.js';

/**
 * @typedef {import('../../../types/openapi').components['schemas']['PortalSession']} Session
 * @typedef {'slack' | 'discord' | 'hubspot'} OAuthProvider
 * @typedef {{name: string, events: string[], filters?: Record<string, unknown>, connectorId?: string, template?: string}} ConnectRequest
 * @typedef {{id: string, name: string}} WindmillWorkspace
 * @typedef {{kind: 'script' | 'flow', path: string, summary?: string}} WindmillRunnable
 */

/** @param {OAuthProvider} provider @param {ConnectRequest} body @returns {Promise<{authorizeUrl: string}>} */
export function startConnect(provider, body) {
  return call('POST', `connect/${encodeURIComponent(provider)}`, { body });
}

/**
 * Finishes a Connect flow that ran in a popup, with the provider's answer the popup relayed.
 * @param {OAuthProvider} provider @param {Record<string, string>} params
 * @returns {Promise<{connectorId: string, provider: string, reconnected: boolean}>}
 */
export function completeConnect(provider, params) {
  return call('POST', `connect/${encodeURIComponent(provider)}/complete`, { body: params });
}

/** @param {{baseUrl?: string, token: string}} body @returns {Promise<{workspaces: WindmillWorkspace[]}>} */
export function listWindmillWorkspaces(body) {
  return call('POST', 'windmill/workspaces', { body });
}

/** @param {{baseUrl?: string, token: string, workspace: string}} body @returns {Promise<{runnables: WindmillRunnable[]}>} */
export function listWindmillRunnables(body) {
  return call('POST', 'windmill/runnables', { body });
}

/**
 * @param {{baseUrl?: string, token?: string, workspace: string, kind: 'script' | 'flow', path: string, mode: 'async' | 'sync'}} body
 * @returns {Promise<{url: string}>}
 */
export function windmillWebhookUrl(body) {
  return call('POST', 'windmill/webhook-url', { body });
}
