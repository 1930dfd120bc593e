// The plan line ("3 of 5 connectors on Pro") and the message shown when the plan is full.
import { h } from './dom.js';

/** @param {{connectorLimit: number | null, connectorCount: number}} session */
export function isFull(session) {
  return hasLimit(session) && session.connectorCount >= /** @type {number} */ (session.connectorLimit);
}

/** @param {{connectorLimit: number | null}} session */
function hasLimit(session) {
  return typeof session.connectorLimit === 'number' && session.connectorLimit >= 0;
}

/** @param {import('../app.js').Session} session */
export function planLine(session) {
  const plan = session.tierName;
  if (!hasLimit(session)) {
    return `${session.connectorCount} connector${session.connectorCount === 1 ? '' : 's'} on ${plan} (no limit)`;
  }
  return `${session.connectorCount} of ${session.connectorLimit} connectors on ${plan}`;
}

/** @param {import('../app.js').Session} session */
export function limitMessage(session) {
  const plan = session.tierName;
  const text = session.connectorLimit === 0
    ? `The ${plan} plan does not include connectors. Upgrade your plan on the platform to add one.`
    : `You have reached the ${plan} plan's limit of ${session.connectorLimit} connectors. Delete a connector, or upgrade your plan on the platform, to add another.`;
  return h('div', { class: 'notice limit', role: 'note' }, h('p', {}, text));
}
