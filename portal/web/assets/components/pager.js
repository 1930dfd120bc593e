// "Show more" for the API's cursor pages: one button that fetches the next page, hands its items
// to the page, and goes away after the last page.
import { h, replace } from './dom.js';
import { Feedback, act } from './feedback.js';

/**
 * @template T
 * @param {{label: string, busyText: string, fetchPage: (cursor: string) => Promise<{items: T[], nextCursor: string | null}>, add: (items: T[]) => void}} options
 */
export function pager({ label, busyText, fetchPage, add }) {
  const element = h('div', { class: 'more' });
  /** @param {string | null} cursor */
  const show = (cursor) => {
    if (!cursor) return replace(element);
    const feedback = new Feedback();
    const button = h('button', {
      type: 'button',
      class: 'secondary',
      onclick: () => act(button, feedback, busyText, async () => {
        const next = await fetchPage(cursor);
        add(next.items);
        show(next.nextCursor);
      }),
    }, label);
    replace(element, button, feedback.element);
  };
  return { element, show };
}
