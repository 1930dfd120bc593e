// A modal confirmation built on <dialog>: focus moves into it, Escape cancels, and focus returns
// to the control that opened it.
import { h } from './dom.js';

/**
 * @param {{title: string, text: string, confirm: string, danger?: boolean}} options
 * @returns {Promise<boolean>}
 */
export function confirmAction({ title, text, confirm, danger = false }) {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  return new Promise((resolve) => {
    const cancelButton = h('button', { type: 'button', class: 'secondary', value: 'cancel' }, 'Cancel');
    const confirmButton = h('button', { type: 'button', class: danger ? 'danger' : null, value: 'confirm' }, confirm);
    const dialog = h('dialog', { 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text', class: 'confirm' },
      h('h2', { id: 'confirm-title' }, title),
      h('p', { id: 'confirm-text' }, text),
      h('p', { class: 'actions' }, cancelButton, confirmButton));
    /** @param {boolean} answer */
    const finish = (answer) => {
      dialog.close();
      dialog.remove();
      opener?.focus();
      resolve(answer);
    };
    cancelButton.addEventListener('click', () => finish(false));
    confirmButton.addEventListener('click', () => finish(true));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancelButton.focus();
  });
}
