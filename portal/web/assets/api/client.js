// Generated from docs/openapi.yaml by portal/tools/generate-client.mjs (npm run generate). Do not edit.
// Every function resolves with the response body, or rejects with an ApiError (see http.js).
import { call } from './http.js';

/** @typedef {import('../../../types/openapi').operations} operations */

/**
 * Every connector type with its fields and setup steps
 * GET /api/v1/connectors/types
 * @returns {Promise<operations['listConnectorTypes']['responses']['200']['content']['application/json']>}
 */
export function listConnectorTypes() {
  return call('GET', `v1/connectors/types`);
}

/**
 * The event catalog
 * GET /api/v1/event-types
 * @returns {Promise<operations['listEventTypes']['responses']['200']['content']['application/json']>}
 */
export function listEventTypes() {
  return call('GET', `v1/event-types`);
}

/**
 * The caller's connectors in creation order (oldest first), a page at a time
 * GET /api/v1/connectors
 * @param {operations['listConnectors']['parameters']['query']} [query]
 * @returns {Promise<operations['listConnectors']['responses']['200']['content']['application/json']>}
 */
export function listConnectors(query = undefined) {
  return call('GET', `v1/connectors`, { query });
}

/**
 * Create a connector
 * POST /api/v1/connectors
 * @param {NonNullable<operations['createConnector']['requestBody']>['content']['application/json']} body
 * @returns {Promise<operations['createConnector']['responses']['201']['content']['application/json']>}
 */
export function createConnector(body) {
  return call('POST', `v1/connectors`, { body });
}

/**
 * Read one of the caller's connectors (secrets masked)
 * GET /api/v1/connectors/{uuid}
 * @param {string} uuid
 * @returns {Promise<operations['getConnector']['responses']['200']['content']['application/json']>}
 */
export function getConnector(uuid) {
  return call('GET', `v1/connectors/${encodeURIComponent(uuid)}`);
}

/**
 * Replace a connector (optional version for optimistic locking)
 * PUT /api/v1/connectors/{uuid}
 * @param {string} uuid
 * @param {NonNullable<operations['replaceConnector']['requestBody']>['content']['application/json']} body
 * @returns {Promise<operations['replaceConnector']['responses']['200']['content']['application/json']>}
 */
export function replaceConnector(uuid, body) {
  return call('PUT', `v1/connectors/${encodeURIComponent(uuid)}`, { body });
}

/**
 * Update part of a connector; config keys merge, null removes an optional key
 * PATCH /api/v1/connectors/{uuid}
 * @param {string} uuid
 * @param {NonNullable<operations['updateConnector']['requestBody']>['content']['application/json']} body
 * @returns {Promise<operations['updateConnector']['responses']['200']['content']['application/json']>}
 */
export function updateConnector(uuid, body) {
  return call('PATCH', `v1/connectors/${encodeURIComponent(uuid)}`, { body });
}

/**
 * Delete a connector
 * DELETE /api/v1/connectors/{uuid}
 * @param {string} uuid
 * @returns {Promise<void>}
 */
export function deleteConnector(uuid) {
  return call('DELETE', `v1/connectors/${encodeURIComponent(uuid)}`);
}

/**
 * The connector's delivery log, newest event first
 * GET /api/v1/connectors/{uuid}/deliveries
 * @param {string} uuid
 * @param {operations['listDeliveries']['parameters']['query']} [query]
 * @returns {Promise<operations['listDeliveries']['responses']['200']['content']['application/json']>}
 */
export function listDeliveries(uuid, query = undefined) {
  return call('GET', `v1/connectors/${encodeURIComponent(uuid)}/deliveries`, { query });
}

/**
 * Send a failed, cancelled or dead delivery again (a new series of attempts)
 * POST /api/v1/connectors/{uuid}/deliveries/{id}/retry
 * @param {string} uuid
 * @param {string} id
 * @returns {Promise<operations['retryDelivery']['responses']['202']['content']['application/json']>}
 */
export function retryDelivery(uuid, id) {
  return call('POST', `v1/connectors/${encodeURIComponent(uuid)}/deliveries/${encodeURIComponent(id)}/retry`);
}

/**
 * Send a sample event now through the real path and report the destination's answer
 * POST /api/v1/connectors/{uuid}/test
 * @param {string} uuid
 * @param {NonNullable<operations['testConnector']['requestBody']>['content']['application/json']} [body]
 * @returns {Promise<operations['testConnector']['responses']['200']['content']['application/json']>}
 */
export function testConnector(uuid, body = undefined) {
  return call('POST', `v1/connectors/${encodeURIComponent(uuid)}/test`, { body });
}

/**
 * Replace a generic connector's signing secret; the old one keeps signing for 24 hours
 * POST /api/v1/connectors/{uuid}/signing-secret
 * @param {string} uuid
 * @returns {Promise<operations['rotateSigningSecret']['responses']['200']['content']['application/json']>}
 */
export function rotateSigningSecret(uuid) {
  return call('POST', `v1/connectors/${encodeURIComponent(uuid)}/signing-secret`);
}

/**
 * Dry run of transformation code in the sandbox (no storage, no network)
 * POST /api/v1/transformations/test
 * @param {NonNullable<operations['testTransformation']['requestBody']>['content']['application/json']} body
 * @returns {Promise<operations['testTransformation']['responses']['200']['content']['application/json']>}
 */
export function testTransformation(body) {
  return call('POST', `v1/transformations/test`, { body });
}

/**
 * Whether a content filter lets an event through, and if not the first path that failed and why (stores and sends nothing)
 * POST /api/v1/filters/test
 * @param {NonNullable<operations['testFilter']['requestBody']>['content']['application/json']} body
 * @returns {Promise<operations['testFilter']['responses']['200']['content']['application/json']>}
 */
export function testFilter(body) {
  return call('POST', `v1/filters/test`, { body });
}

/**
 * The operator's connector templates (create from one with POST /connectors and `template`)
 * GET /api/v1/connector-templates
 * @returns {Promise<operations['listConnectorTemplates']['responses']['200']['content']['application/json']>}
 */
export function listConnectorTemplates() {
  return call('GET', `v1/connector-templates`);
}

/**
 * Read one connector template
 * GET /api/v1/connector-templates/{id}
 * @param {string} id
 * @returns {Promise<operations['getConnectorTemplate']['responses']['200']['content']['application/json']>}
 */
export function getConnectorTemplate(id) {
  return call('GET', `v1/connector-templates/${encodeURIComponent(id)}`);
}

/**
 * The portal session's user, plan and CSRF token
 * GET /portal/api/session
 * @returns {Promise<operations['getPortalSession']['responses']['200']['content']['application/json']>}
 */
export function getPortalSession() {
  return call('GET', `session`);
}

/**
 * Ends the portal session and clears its cookie
 * POST /portal/api/logout
 * @returns {Promise<void>}
 */
export function portalLogout() {
  return call('POST', `logout`);
}

/**
 * Starts Connect to Slack, Discord or HubSpot (OAuth 2 authorization code)
 * POST /portal/api/connect/{provider}
 * @param {string} provider
 * @param {NonNullable<operations['portalConnectStart']['requestBody']>['content']['application/json']} body
 * @returns {Promise<operations['portalConnectStart']['responses']['200']['content']['application/json']>}
 */
export function portalConnectStart(provider, body) {
  return call('POST', `connect/${encodeURIComponent(provider)}`, { body });
}

/**
 * Finishes a Connect flow with the callback's parameters a popup handed over
 * POST /portal/api/connect/{provider}/complete
 * @param {string} provider
 * @param {NonNullable<operations['portalConnectComplete']['requestBody']>['content']['application/json']} body
 * @returns {Promise<operations['portalConnectComplete']['responses']['200']['content']['application/json']>}
 */
export function portalConnectComplete(provider, body) {
  return call('POST', `connect/${encodeURIComponent(provider)}/complete`, { body });
}

/**
 * The Windmill workspaces a token can see
 * POST /portal/api/windmill/workspaces
 * @param {NonNullable<operations['windmillWorkspaces']['requestBody']>['content']['application/json']} body
 * @returns {Promise<operations['windmillWorkspaces']['responses']['200']['content']['application/json']>}
 */
export function windmillWorkspaces(body) {
  return call('POST', `windmill/workspaces`, { body });
}

/**
 * The scripts and flows of a Windmill workspace
 * POST /portal/api/windmill/runnables
 * @param {NonNullable<operations['windmillRunnables']['requestBody']>['content']['application/json']} body
 * @returns {Promise<operations['windmillRunnables']['responses']['200']['content']['application/json']>}
 */
export function windmillRunnables(body) {
  return call('POST', `windmill/runnables`, { body });
}

/**
 * The webhook URL of a Windmill script or flow, for a windmill connector
 * POST /portal/api/windmill/webhook-url
 * @param {NonNullable<operations['windmillWebhookUrl']['requestBody']>['content']['application/json']} body
 * @returns {Promise<operations['windmillWebhookUrl']['responses']['200']['content']['application/json']>}
 */
export function windmillWebhookUrl(body) {
  return call('POST', `windmill/webhook-url`, { body });
}
