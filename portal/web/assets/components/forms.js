// Form pieces shared by the create and settings pages: a type's config fields (secrets masked and
// replaceable), the event chooser, the filters, and showing the API's field errors next to the
// inputs they name. Input names are the API's field paths (`config.webhook_url`, `events`,
// `filters.categories`), so a problem's `errors[].field` finds its input.
import { h, uid } from './dom.js';
import { ApiError } from '../api/http.js';

/**
 * @typedef {import('./catalog.js').ConnectorType} ConnectorType
 * @typedef {import('./catalog.js').FieldSpec} FieldSpec
 * @typedef {import('./catalog.js').EventCatalog} EventCatalog
 * @typedef {import('./catalog.js').Connector} Connector
 */

/** "webhook URL" from "Webhook URL", for use inside a sentence. @param {string} label */
function lowerFirst(label) {
  return label.charAt(0).toLowerCase() + label.slice(1);
}

/** @param {string} name */
export function fieldLabel(name) {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).replace(/\burl\b/g, 'URL').replace(/\bapi\b/g, 'API').replace(/\bid\b/g, 'ID');
}

/**
 * A labelled control with its hint and a slot for its error.
 * @param {string} label
 * @param {HTMLElement} control
 * @param {{hint?: string, required?: boolean}} [options]
 */
export function labelled(label, control, options = {}) {
  const id = control.id || uid('field');
  control.id = id;
  const hintId = options.hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  if (options.required) control.setAttribute('required', '');
  return h('div', { class: 'field' },
    h('label', { for: id }, label, options.required ? h('span', { class: 'required' }, ' (required)') : null),
    hintId && h('p', { class: 'hint', id: hintId }, options.hint),
    control,
    h('p', { class: 'field-error', id: errorId }));
}

/** @param {FieldSpec} spec */
function inputFor(spec) {
  const name = `config.${spec.name}`;
  if (spec.kind === 'enum') {
    return h('select', { name }, !spec.required && h('option', { value: '' }, '(none)'),
      (spec.values ?? []).map((v) => h('option', { value: v }, v)));
  }
  if (spec.kind === 'headers') {
    return h('textarea', { name, rows: 3, spellcheck: 'false', placeholder: 'X-Team: platform', autocomplete: 'off' });
  }
  return h('input', {
    name,
    type: spec.secret ? 'password' : spec.kind === 'url' ? 'url' : 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: typeof spec.example === 'string' && !spec.secret ? spec.example : null,
  });
}

/** @param {FieldSpec} spec */
function hintFor(spec) {
  const example = spec.kind === 'headers' ? ' One header per line, as Name: value.' : '';
  return `${spec.description}${example}`;
}

/**
 * The type's config fields. For an existing connector, non-secret fields show their value and
 * secret fields show the masked value with a Replace button; a secret is sent only when replaced.
 * @param {ConnectorType} type
 * @param {Connector | null} existing
 */
export function configFields(type, existing) {
  return h('fieldset', { class: 'config' }, h('legend', {}, 'Connection settings'),
    type.fields.map((spec) => {
      const input = inputFor(spec);
      const current = existing?.config?.[spec.name];
      if (existing && spec.secret && current !== undefined && current !== null) {
        const masked = typeof current === 'string' ? current : Object.entries(current).map(([k, v]) => `${k}: ${v}`).join('\n');
        const holder = h('div', { class: 'field secret' });
        const replaceButton = h('button', {
          type: 'button',
          class: 'secondary',
          onclick: () => {
            holder.replaceWith(labelled(`New ${lowerFirst(fieldLabel(spec.name))}`, input, { hint: hintFor(spec), required: spec.required }));
            input.focus();
          },
        }, `Replace ${lowerFirst(fieldLabel(spec.name))}`);
        holder.append(
          h('span', { class: 'label' }, fieldLabel(spec.name)),
          h('p', { class: 'masked' }, h('code', { 'aria-label': `${fieldLabel(spec.name)} (hidden)` }, masked)),
          replaceButton,
          h('p', { class: 'field-error', id: uid('error'), 'data-for': `config.${spec.name}` }));
        return holder;
      }
      if (existing && current !== undefined && current !== null && input instanceof HTMLSelectElement) input.value = String(current);
      else if (existing && current !== undefined && current !== null && input instanceof HTMLInputElement) input.value = String(current);
      return labelled(fieldLabel(spec.name), input, { hint: hintFor(spec), required: spec.required });
    }));
}

/**
 * Reads the config inputs present in the form: fields left empty are omitted (on an edit, an
 * unreplaced secret is not in the form at all, so it is kept as it is).
 * @param {HTMLFormElement} form
 * @param {ConnectorType} type
 * @returns {Record<string, unknown>}
 */
export function readConfig(form, type) {
  /** @type {Record<string, unknown>} */
  const config = {};
  for (const spec of type.fields) {
    const control = form.elements.namedItem(`config.${spec.name}`);
    if (!(control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement)) continue;
    const value = control.value.trim();
    if (!value) continue;
    config[spec.name] = spec.kind === 'headers' ? parseHeaders(value) : value;
  }
  return config;
}

/** "Name: value" lines to an object; a line without a colon is kept whole as a name, so the API names it. @param {string} text */
export function parseHeaders(text) {
  /** @type {Record<string, string>} */
  const headers = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    if (colon < 0) headers[line.trim()] = '';
    else headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * The event chooser: every type with its description and example, plus "all event types".
 * @param {EventCatalog} catalog
 * @param {string[]} selected
 * @param {string[] | null} [only] a template's supported types, to list first
 */
export function eventsFieldset(catalog, selected, only = null) {
  const chosen = new Set(selected);
  const listed = only && only.length > 0 ? catalog.eventTypes.filter((e) => only.includes(e.name)) : catalog.eventTypes;
  const errorId = uid('events-error');
  const allId = uid('ev');
  return h('fieldset', { class: 'events', 'aria-describedby': errorId },
    h('legend', {}, 'Events to deliver'),
    catalog.wildcard && h('div', { class: 'check' },
      h('input', { type: 'checkbox', name: 'events', value: catalog.wildcard, id: allId, checked: chosen.has(catalog.wildcard) }),
      h('label', { for: allId }, 'All event types, including ones added later')),
    listed.map((event) => {
      const id = uid('ev');
      const descriptionId = `${id}-description`;
      return h('div', { class: 'check' },
        h('input', { type: 'checkbox', name: 'events', value: event.name, id, checked: chosen.has(event.name), 'aria-describedby': descriptionId }),
        h('label', { for: id }, h('code', {}, event.name)),
        h('p', { class: 'hint', id: descriptionId }, event.description),
        h('details', { class: 'example' }, h('summary', {}, `Example of ${event.name}`),
          h('pre', { tabindex: '0', 'aria-label': `Example of ${event.name}` }, JSON.stringify(event.example, null, 2))));
    }),
    h('p', { class: 'field-error', id: errorId, 'data-for': 'events' }));
}

/** @param {HTMLFormElement} form */
export function readEvents(form) {
  return [...form.querySelectorAll('input[name="events"]:checked')].map((input) => /** @type {HTMLInputElement} */ (input).value);
}

/** True when `filters` is the simple form: known keys, each a list of strings. @param {EventCatalog} catalog @param {Record<string, unknown>} filters */
function isSimple(catalog, filters) {
  const known = new Set(catalog.filters.map((f) => f.name));
  return Object.entries(filters).every(([key, values]) => known.has(key)
    && Array.isArray(values) && values.every((v) => typeof v === 'string'));
}

/**
 * Filters in one of two forms: the simple one (a comma-separated input per filter key the catalog
 * knows) or an event pattern written as JSON (prefix, anything-but, numeric… on any envelope
 * field). A connector whose filters are a pattern opens in the pattern form.
 * @param {EventCatalog} catalog
 * @param {Record<string, unknown>} filters
 * @param {HTMLElement | null} [tryIt] the dry run, shown under the editor
 */
export function filtersFieldset(catalog, filters, tryIt = null) {
  const simple = isSimple(catalog, filters);
  const simpleId = uid('filters');
  const patternId = uid('filters');
  const simpleChoice = h('input', { type: 'radio', name: 'filters-form', value: 'simple', id: simpleId, checked: simple });
  const patternChoice = h('input', { type: 'radio', name: 'filters-form', value: 'pattern', id: patternId, checked: !simple });
  const simpleFields = h('div', { class: 'filters-simple' },
    h('p', { class: 'hint' }, 'Leave a filter empty to receive every event. Separate several values with commas: an event matches when it has any of them.'),
    catalog.filters.map((filter) => {
      const input = h('input', { type: 'text', name: `filters.${filter.name}`, autocomplete: 'off' });
      const values = simple ? filters[filter.name] : undefined;
      input.value = Array.isArray(values) ? values.join(', ') : '';
      return labelled(fieldLabel(filter.name), input, { hint: filter.description });
    }));
  const pattern = h('textarea', { name: 'filters', rows: 6, spellcheck: 'false', autocomplete: 'off' });
  pattern.value = simple ? '' : JSON.stringify(filters, null, 2);
  const patternField = labelled('Event pattern (JSON)', pattern, {
    hint: 'Matched against the event envelope (type, subject, attributes, data), e.g. {"data": {"status": [{"anything-but": ["kept"]}]}}. Empty: every event.',
  });
  const show = () => {
    simpleFields.hidden = !simpleChoice.checked;
    patternField.hidden = simpleChoice.checked;
  };
  simpleChoice.addEventListener('change', show);
  patternChoice.addEventListener('change', show);
  show();
  return h('fieldset', { class: 'filters' },
    h('legend', {}, 'Filters (optional)'),
    h('div', { class: 'inline' },
      simpleChoice, h('label', { for: simpleId }, 'Simple filters'),
      patternChoice, h('label', { for: patternId }, 'Event pattern')),
    simpleFields, patternField, tryIt);
}

/**
 * The filters as the form states them; a pattern that is not a JSON object is reported on its field.
 * @param {HTMLFormElement} form @param {EventCatalog} catalog @returns {Record<string, unknown>}
 */
export function readFilters(form, catalog) {
  const chosen = form.querySelector('input[name="filters-form"]:checked');
  if (chosen instanceof HTMLInputElement && chosen.value === 'pattern') {
    const control = form.elements.namedItem('filters');
    const text = control instanceof HTMLTextAreaElement ? control.value.trim() : '';
    if (!text) return {};
    return parseJsonObject(text, 'filters', 'event pattern', 'Write an object, like {"attributes": {"category": ["tech-product"]}}.');
  }
  /** @type {Record<string, string[]>} */
  const filters = {};
  for (const filter of catalog.filters) {
    const control = form.elements.namedItem(`filters.${filter.name}`);
    if (!(control instanceof HTMLInputElement)) continue;
    const values = control.value.split(',').map((v) => v.trim()).filter(Boolean);
    if (values.length > 0) filters[filter.name] = values;
  }
  return filters;
}

/**
 * A JSON object the user wrote; anything else is a 400 naming `field` and saying what to write.
 * @param {string} text @param {string} field @param {string} what e.g. "event pattern" @param {string} instead what to write when it is not an object
 * @returns {Record<string, unknown>}
 */
export function parseJsonObject(text, field, what, instead) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, `The ${what} is not valid JSON.`, { errors: [{ field, message: `Not valid JSON: ${error instanceof Error ? error.message : error}` }] });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ApiError(400, `The ${what} must be a JSON object.`, { errors: [{ field, message: instead }] });
  }
  return parsed;
}

/**
 * Shows each field error next to its input (or its group) and marks the input invalid; errors
 * naming nothing in the form are left to the form's summary.
 * @param {HTMLFormElement} form
 * @param {{field: string, message: string}[]} errors
 */
export function showFieldErrors(form, errors) {
  clearFieldErrors(form);
  let first = null;
  for (const { field, message } of errors) {
    const base = field.replace(/\[\d+\]$/, '');
    const candidates = [field, base, base.split('.').slice(0, 2).join('.'), base.split('.')[0]];
    const control = candidates.map((name) => form.elements.namedItem(name)).find((c) => c instanceof HTMLElement);
    const slot = control instanceof HTMLElement && control.id
      ? form.querySelector(`#${CSS.escape(control.id)}-error`)
      : candidates.map((name) => form.querySelector(`[data-for="${CSS.escape(name)}"]`)).find(Boolean);
    if (!slot) continue;
    slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
    if (control instanceof HTMLElement) {
      control.setAttribute('aria-invalid', 'true');
      first ??= control;
    }
  }
  if (first) first.focus();
}

/** @param {HTMLFormElement} form */
export function clearFieldErrors(form) {
  for (const slot of form.querySelectorAll('.field-error')) slot.textContent = '';
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}
