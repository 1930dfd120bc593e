// A generic connector's signing secret, shown once (at creation or after a rotation).
import { h } from './dom.js';
import { Feedback } from './feedback.js';
import { formatTime } from './dom.js';

/** @param {string} secret @param {string | null} previousValidUntil */
export function signingSecretPanel(secret, previousValidUntil) {
  const feedback = new Feedback();
  const value = h('input', { type: 'text', readonly: true, value: secret, id: 'signing-secret', class: 'secret-value', spellcheck: 'false' });
  const copy = h('button', {
    type: 'button',
    class: 'secondary',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(secret);
        feedback.ok('Copied.');
      } catch {
        value.select();
        feedback.ok('Selected: press Ctrl+C (or ⌘C) to copy.');
      }
    },
  }, 'Copy');
  return h('section', { class: 'notice secret-once', 'aria-labelledby': 'secret-heading' },
    h('h2', { id: 'secret-heading' }, 'Your signing secret'),
    h('p', {}, 'Copy it now: it will not be shown again. Your endpoint uses it to verify the webhook-signature header of every request.'),
    h('label', { for: 'signing-secret' }, 'Signing secret'),
    h('div', { class: 'inline' }, value, copy),
    previousValidUntil && h('p', { class: 'hint' }, `The previous secret keeps signing until ${formatTime(previousValidUntil)}, so you can switch without losing a delivery.`),
    feedback.element);
}
