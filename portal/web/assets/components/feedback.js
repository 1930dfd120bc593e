// Progress and outcome of user actions. Every action runs through `act`: its button is disabled
// and the region says what is happening; then it says what happened, or what failed and how to fix it.
import { h, replace } from './dom.js';
import { ApiError } from '../api/http.js';

/** A message region placed next to the control that triggers the action. */
export class Feedback {
  constructor() {
    this.element = h('div', { class: 'feedback', 'aria-live': 'polite' });
  }

  /** @param {string} text */
  busy(text) {
    replace(this.element, h('p', { class: 'busy' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text));
  }

  /** @param {string} text @param {...import('./dom.js').Child} extra */
  ok(text, ...extra) {
    replace(this.element, h('p', { class: 'ok', role: 'status' }, text), ...extra);
  }

  /** An outcome that is neither success nor failure (a filter that stops an event), details inside. @param {string} text @param {...import('./dom.js').Child} details */
  note(text, ...details) {
    replace(this.element, h('div', { class: 'notice', role: 'status' }, h('p', {}, text), ...details));
  }

  /** @param {unknown} error */
  fail(error) {
    const message = error instanceof Error ? error.message : String(error);
    const fields = error instanceof ApiError ? error.fieldErrors : [];
    replace(
      this.element,
      h('div', { class: 'error', role: 'alert' },
        h('p', {}, message),
        fields.length > 0 && h('ul', {}, fields.map((f) => h('li', {}, h('code', {}, f.field), ': ', f.message)))),
    );
  }

  clear() {
    this.element.replaceChildren();
  }
}

/**
 * Runs `work` on behalf of `button`: marked busy while it runs (further clicks are ignored; the
 * button is not `disabled`, which would drop keyboard focus); a failure is shown in `feedback`,
 * which is its outcome for the user, and logged when it is not an API answer.
 * @template T
 * @param {HTMLButtonElement} button
 * @param {Feedback} feedback
 * @param {string} busyText
 * @param {() => Promise<T>} work
 * @returns {Promise<T | undefined>}
 */
export async function act(button, feedback, busyText, work) {
  if (button.getAttribute('aria-busy') === 'true') return undefined;
  button.setAttribute('aria-busy', 'true');
  button.setAttribute('aria-disabled', 'true');
  feedback.busy(busyText);
  try {
    const result = await work();
    if (feedback.element.querySelector('.busy')) feedback.clear();
    return result;
  } catch (error) {
    if (!(error instanceof ApiError)) console.error(error);
    feedback.fail(error);
    return undefined;
  } finally {
    button.removeAttribute('aria-busy');
    button.removeAttribute('aria-disabled');
  }
}
