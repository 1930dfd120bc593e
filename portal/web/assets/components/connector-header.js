// The heading shared by a connector's pages, and the links between them.
import { h, typeIcon } from './dom.js';
import { statusBadge } from '../pages/connectors.js';

/**
 * @param {import('./catalog.js').Connector} connector
 * @param {string} typeName
 * @param {'settings' | 'transformation' | 'deliveries'} current
 */
export function connectorHeader(connector, typeName, current) {
  const base = `#/connectors/${encodeURIComponent(connector.uuid)}`;
  /** @param {string} href @param {string} text @param {boolean} here */
  const link = (href, text, here) => h('li', {}, h('a', { href, 'aria-current': here ? 'page' : null }, text));
  return [
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/connectors' }, 'Connectors'), ' › ', typeName),
    h('h1', {}, typeIcon(connector.type, 32), ' ', connector.name),
    h('p', { class: 'status-line' }, statusBadge(connector)),
    h('nav', { 'aria-label': 'Connector', class: 'tabs' }, h('ul', {},
      link(base, 'Settings', current === 'settings'),
      link(`${base}/transformation`, 'Transformation', current === 'transformation'),
      link(`${base}/deliveries`, 'Delivery log', current === 'deliveries'))),
  ];
}
