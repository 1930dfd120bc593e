// The two catalogs change only with a deployment, so each is fetched once per page load and shared
// by the pages (a memoised request, not a store: nothing writes to it).
import { listConnectorTypes, listEventTypes, listConnectorTemplates } from '../api/client.js';

/**
 * @typedef {import('../../../types/openapi').components['schemas']} Schemas
 * @typedef {Schemas['ConnectorTypes']['types'][number]} ConnectorType
 * @typedef {ConnectorType['fields'][number]} FieldSpec
 * @typedef {Schemas['EventTypes']} EventCatalog
 * @typedef {EventCatalog['eventTypes'][number]} EventType
 * @typedef {Schemas['ConnectorTemplate']} ConnectorTemplate
 * @typedef {Schemas['Connector']} Connector
 */

/** @type {Promise<ConnectorType[]> | null} */
let types = null;
/** @type {Promise<EventCatalog> | null} */
let events = null;

/** @returns {Promise<ConnectorType[]>} */
export function connectorTypes() {
  types ??= listConnectorTypes().then((r) => r.types).catch((e) => {
    types = null;
    throw e;
  });
  return types;
}

/** @returns {Promise<EventCatalog>} */
export function eventCatalog() {
  events ??= listEventTypes().catch((e) => {
    events = null;
    throw e;
  });
  return events;
}

/** Templates are the operator's and may change while the portal is open: fetched each time. */
export async function templates() {
  return (await listConnectorTemplates()).templates;
}

/** @param {string} name @returns {Promise<ConnectorType | undefined>} */
export async function connectorType(name) {
  return (await connectorTypes()).find((t) => t.name === name);
}

/**
 * The event types a subscription covers: every type for "all event types" (and while none is chosen yet).
 * @param {EventCatalog} catalog @param {string[]} events
 */
export function subscribedTypes(catalog, events) {
  return events.length === 0 || events.includes(catalog.wildcard ?? '*') ? catalog.eventTypes.map((e) => e.name) : events;
}

/** @param {ConnectorType | undefined} type @param {string} fallback */
export function typeLabel(type, fallback) {
  return type?.displayName ?? type?.name ?? fallback;
}
