// A connector's delivery log, newest first: each delivery with its attempts (time, status code,
// latency, error, console output), and a retry for the ones that failed, were cancelled or gave up.
import { h, replace, formatTime } from '../components/dom.js';
import { getConnector, listDeliveries, retryDelivery } from '../api/client.js';
import { connectorType, typeLabel } from '../components/catalog.js';
import { pager } from '../components/pager.js';
import { Feedback, act } from '../components/feedback.js';
import { connectorHeader } from '../components/connector-header.js';
import { deliveryStatusBadge } from './connectors.js';

/** @typedef {import('../components/catalog.js').Schemas['Delivery']} Delivery */

const PAGE_SIZE = 20;
const RETRYABLE = ['failed', 'cancelled', 'dead'];

/** @param {import('../app.js').PageContext} ctx */
export async function render(ctx) {
  const [uuid] = ctx.args;
  const [connector, page] = await Promise.all([getConnector(uuid), listDeliveries(uuid, { limit: PAGE_SIZE })]);
  const type = await connectorType(connector.type);
  if (!ctx.isCurrent()) return;
  ctx.title(`Delivery log · ${connector.name}`);

  const list = h('ol', { class: 'deliveries' });
  /** @param {Delivery[]} deliveries */
  const add = (deliveries) => list.append(...deliveries.map((d) => deliveryItem(d, uuid)));
  const more = pager({
    label: 'Show older deliveries',
    busyText: 'Loading older deliveries…',
    fetchPage: async (cursor) => {
      const next = await listDeliveries(uuid, { limit: PAGE_SIZE, cursor });
      return { items: next.deliveries, nextCursor: next.nextCursor };
    },
    add,
  });
  const refresh = h('button', { type: 'button', class: 'secondary', onclick: () => ctx.navigate(`#/connectors/${encodeURIComponent(uuid)}/deliveries`) }, 'Refresh');

  replace(ctx.view,
    ...connectorHeader(connector, typeLabel(type, connector.type), 'deliveries'),
    h('h2', {}, 'Deliveries'),
    h('p', { class: 'actions' }, refresh),
    page.deliveries.length === 0
      ? h('p', { class: 'empty' }, 'No deliveries yet. Events appear here as they are delivered; use “Send a test” on the Settings tab to try it now.')
      : list,
    more.element);
  add(page.deliveries);
  more.show(page.nextCursor);
}

/** @param {Delivery} delivery @param {string} uuid */
function deliveryItem(delivery, uuid) {
  const feedback = new Feedback();
  const last = delivery.attempts[delivery.attempts.length - 1];
  const headingId = `delivery-${delivery.id}`;
  /** @type {HTMLButtonElement | null} */
  let retry = null;
  if (RETRYABLE.includes(delivery.status)) {
    const button = h('button', { type: 'button', class: 'secondary', 'aria-describedby': headingId }, 'Retry');
    button.addEventListener('click', () => act(button, feedback, 'Queuing a new attempt…', async () => {
      await retryDelivery(uuid, delivery.id);
      feedback.ok('Queued: it will be sent again in a moment. Refresh to see the new attempt.');
      // The button goes away; focus moves to the message instead of falling back to the page.
      feedback.element.setAttribute('tabindex', '-1');
      feedback.element.focus();
      button.remove();
    }));
    retry = button;
  }
  return h('li', { class: 'delivery' },
    h('h3', { id: headingId }, h('code', {}, delivery.eventType), ' ', deliveryStatusBadge(delivery.status),
      h('span', { class: 'when' }, formatTime(delivery.createdAt))),
    h('p', { class: 'hint' },
      `Event ${delivery.eventId} · ${delivery.attempts.length} attempt${delivery.attempts.length === 1 ? '' : 's'}`,
      last?.statusCode ? ` · last answer HTTP ${last.statusCode}` : '',
      delivery.nextAttemptAt ? ` · next attempt ${formatTime(delivery.nextAttemptAt)}` : '',
      delivery.matchedAlternative ? ` · filter matched by ${delivery.matchedAlternative}` : ''),
    retry && h('p', {}, retry),
    feedback.element,
    delivery.attempts.length > 0 && h('details', {}, h('summary', {}, `Attempts of ${delivery.eventType} (${delivery.attempts.length})`),
      h('table', { class: 'attempts' },
        h('thead', {}, h('tr', {}, ['#', 'Time', 'Status code', 'Latency', 'Outcome', 'Error', 'Console'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, delivery.attempts.map((a) => h('tr', {},
          h('td', {}, String(a.number)),
          h('td', {}, formatTime(a.at)),
          h('td', {}, a.statusCode === null ? '—' : String(a.statusCode)),
          h('td', {}, `${a.latencyMs} ms`),
          h('td', {}, a.outcome),
          h('td', {}, a.error ?? ''),
          h('td', {}, a.console && a.console.length > 0 ? h('pre', { class: 'console' }, a.console.join('\n')) : '')))))));
}
