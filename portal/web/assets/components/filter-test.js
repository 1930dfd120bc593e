// The filter dry run beside the filters editor: tries the filters as the form states them (simple
// or pattern) on the catalog example of one of the chosen event types, or on a pasted event, and
// says whether they let it through or, when not, the first path that failed and why. Nothing is
// stored or sent. A filter the API refuses shows its field errors next to the editor, as a save would.
import { h, uid } from './dom.js';
import { testFilter } from '../api/client.js';
import { ApiError } from '../api/http.js';
import { subscribedTypes } from './catalog.js';
import { Feedback, act } from './feedback.js';
import { clearFieldErrors, labelled, parseJsonObject, readEvents, readFilters, showFieldErrors } from './forms.js';

/** @typedef {NonNullable<import('../../../types/openapi').operations['testFilter']['requestBody']>['content']['application/json']} FilterTestRequest */

const EVENT_TYPE_INPUT = 'filter-test-event-type';
const EVENT_INPUT = 'filter-test-event';

/** The form input a field error of the dry-run request belongs to (`filter.data.status` → `filters.data.status`). @param {string} field */
function inputFor(field) {
  return field.replace(/^(filter|eventType|event)\b/, (name) => ({ filter: 'filters', eventType: EVENT_TYPE_INPUT, event: EVENT_INPUT })[name] ?? name);
}

/**
 * The dry-run controls, for the filters fieldset of a connector form.
 * @param {import('./catalog.js').EventCatalog} catalog
 * @param {string[]} events the event types chosen when the form opens
 */
export function filterTest(catalog, events) {
  const feedback = new Feedback();
  const eventType = h('select', { name: EVENT_TYPE_INPUT });
  /** @param {string[]} names */
  const offer = (names) => {
    if ([...eventType.options].map((o) => o.value).join() === names.join()) return;
    const current = eventType.value;
    eventType.replaceChildren(...names.map((name) => h('option', { value: name }, name)));
    if (names.includes(current)) eventType.value = current;
  };
  offer(subscribedTypes(catalog, events));
  // The choice follows the form's event checkboxes; reading them on focus needs no wiring to them.
  eventType.addEventListener('focus', () => {
    if (eventType.form) offer(subscribedTypes(catalog, readEvents(eventType.form)));
  });

  const exampleId = uid('filter-src');
  const pastedId = uid('filter-src');
  const useExample = h('input', { type: 'radio', name: 'filter-test-source', id: exampleId, value: 'example', checked: true });
  const usePasted = h('input', { type: 'radio', name: 'filter-test-source', id: pastedId, value: 'pasted' });
  const pasted = h('textarea', { name: EVENT_INPUT, rows: 8, spellcheck: 'false', autocomplete: 'off' });
  const typeField = labelled('Event type to try', eventType);
  const pastedField = labelled('Event (JSON)', pasted, { hint: 'A whole event as the platform publishes it: type, subject, attributes, data. It starts as the chosen type’s example.' });
  const showSource = () => {
    pastedField.hidden = !usePasted.checked;
    typeField.hidden = usePasted.checked;
    const example = catalog.eventTypes.find((e) => e.name === eventType.value)?.example;
    if (usePasted.checked && !pasted.value.trim() && example) pasted.value = JSON.stringify(example, null, 2);
  };
  useExample.addEventListener('change', showSource);
  usePasted.addEventListener('change', showSource);

  const run = h('button', { type: 'button', class: 'secondary' }, 'Test filter');
  run.addEventListener('click', () => act(run, feedback, 'Testing the filter…', async () => {
    const form = run.form;
    if (!form) return;
    try {
      const chosen = readEvents(form);
      /** @type {FilterTestRequest} */
      const request = { filter: readFilters(form, catalog), events: chosen.length > 0 ? chosen : null };
      if (usePasted.checked) request.event = parseJsonObject(pasted.value, 'event', 'pasted event', 'Paste a whole event, like the event type’s example.');
      else request.eventType = eventType.value;
      const verdict = await testFilter(request);
      clearFieldErrors(form);
      if (verdict.matched) {
        const by = verdict.matchedAlternative ? ` (by ${verdict.matchedAlternative})` : '';
        feedback.ok(`Match: the filter lets this ${verdict.eventType} event through${by}.`);
      } else {
        feedback.note(`No match: the filter stops this ${verdict.eventType} event.`,
          h('dl', { class: 'verdict' },
            h('dt', {}, 'First failing path'), h('dd', {}, h('code', {}, verdict.failure?.path ?? '')),
            h('dt', {}, 'Why'), h('dd', {}, verdict.failure?.reason ?? '')));
      }
    } catch (error) {
      if (error instanceof ApiError) showFieldErrors(form, error.fieldErrors.map((e) => ({ field: inputFor(e.field), message: e.message })));
      throw error;
    }
  }));

  showSource();
  return h('fieldset', { class: 'filter-test' },
    h('legend', {}, 'Try the filters'),
    h('p', { class: 'hint' }, 'Tests the filters above, as they are now, without saving them; nothing is sent.'),
    h('div', { class: 'inline', role: 'radiogroup', 'aria-label': 'Try them on' },
      useExample, h('label', { for: exampleId }, 'The event type’s example'),
      usePasted, h('label', { for: pastedId }, 'An event I paste')),
    typeField, pastedField,
    h('p', { class: 'actions' }, run),
    feedback.element);
}
