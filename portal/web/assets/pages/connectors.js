// The connector list: type icon, name, status (and why it is disabled), events, the last
// delivery's result, and the plan's limit.
import { h, replace, typeIcon, formatTime } from '../components/dom.js';
import { listConnectors, listDeliveries } from '../api/client.js';
import { connectorTypes, typeLabel } from '../components/catalog.js';
import { planLine, isFull, limitMessage } from '../components/plan.js';
import { pager } from '../components/pager.js';

/** @typedef {import('../components/catalog.js').Connector} Connector */

const PAGE_SIZE = 25;

/** @param {import('../app.js').PageContext} ctx */
export async function render(ctx) {
  ctx.title('Connectors');
  const [session, page, types] = await Promise.all([ctx.currentSession(), listConnectors({ limit: PAGE_SIZE }), connectorTypes()]);
  if (!ctx.isCurrent()) return;
  const full = isFull(session);
  const rows = h('tbody');
  const table = h('table', { class: 'connectors' },
    h('caption', { class: 'visually-hidden' }, 'Your connectors'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Connector'), h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col' }, 'Events'), h('th', { scope: 'col' }, 'Last delivery'))),
    rows);
  /** @param {Connector[]} connectors */
  const addRows = (connectors) => {
    for (const connector of connectors) {
      const last = h('td', { class: 'last-delivery' }, h('span', { class: 'hint' }, 'Loading…'));
      rows.append(h('tr', {},
        h('th', { scope: 'row' }, h('span', { class: 'with-icon' }, typeIcon(connector.type),
          h('span', {}, h('a', { href: `#/connectors/${encodeURIComponent(connector.uuid)}` }, connector.name),
            h('span', { class: 'type-name' }, typeLabel(types.find((t) => t.name === connector.type), connector.type))))),
        h('td', {}, statusBadge(connector)),
        h('td', {}, h('ul', { class: 'plain' }, connector.events.map((e) => h('li', {}, h('code', {}, e === '*' ? 'all events' : e))))),
        last));
      showLastDelivery(connector.uuid, last, ctx);
    }
  };
  const more = pager({
    label: 'Show more connectors',
    busyText: 'Loading more connectors…',
    fetchPage: async (cursor) => {
      const next = await listConnectors({ limit: PAGE_SIZE, cursor });
      return { items: next.connectors, nextCursor: next.nextCursor };
    },
    add: addRows,
  });

  const deleted = ctx.query.get('deleted');
  replace(ctx.view,
    h('h1', {}, 'Connectors'),
    deleted && h('p', { class: 'ok', role: 'status' }, `Deleted “${deleted}”.`),
    h('p', { class: 'plan' }, planLine(session)),
    full ? limitMessage(session) : h('p', {}, h('a', { class: 'button', href: '#/new' }, 'New connector')),
    page.connectors.length === 0
      ? h('p', { class: 'empty' }, 'You have no connectors yet. Create one to receive events in Slack, Discord, Teams, Zapier, your own endpoint or a SaaS app.')
      : table,
    more.element);
  addRows(page.connectors);
  more.show(page.nextCursor);
  performance.mark('portal:connectors-interactive');
}

/** @param {Connector} connector */
export function statusBadge(connector) {
  if (connector.status === 'active') return h('span', { class: 'badge active' }, 'Active');
  return h('span', {}, h('span', { class: 'badge disabled' }, 'Disabled'),
    connector.statusReason && h('span', { class: 'reason' }, connector.statusReason));
}

/** @param {string} uuid @param {HTMLElement} cell @param {import('../app.js').PageContext} ctx */
async function showLastDelivery(uuid, cell, ctx) {
  try {
    const { deliveries } = await listDeliveries(uuid, { limit: 1 });
    if (!ctx.isCurrent()) return;
    const last = deliveries[0];
    if (!last) return replace(cell, h('span', { class: 'hint' }, 'None yet'));
    const attempt = last.attempts[last.attempts.length - 1];
    replace(cell,
      h('a', { href: `#/connectors/${encodeURIComponent(uuid)}/deliveries` }, deliveryStatusBadge(last.status)),
      attempt?.statusCode ? ` HTTP ${attempt.statusCode}` : '',
      h('span', { class: 'when' }, formatTime(last.updatedAt)));
  } catch {
    if (ctx.isCurrent()) replace(cell, h('span', { class: 'hint' }, 'Could not load: refresh the page or open the delivery log'));
  }
}

const STATUS_TEXT = /** @type {Record<string, string>} */ ({
  pending: 'Pending', succeeded: 'Succeeded', failed: 'Failed', cancelled: 'Cancelled', dead: 'Gave up',
});

/** @param {string} status */
export function deliveryStatusBadge(status) {
  return h('span', { class: `badge delivery-${status}` }, STATUS_TEXT[status] ?? status);
}
