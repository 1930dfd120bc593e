// Creating a connector from a type or an operator's template, with the type's setup guide beside
// the form. Slack, Discord and HubSpot offer "Connect to …" first; Windmill offers its picker.
import { h, replace, typeIcon } from '../components/dom.js';
import { createConnector, getConnectorTemplate } from '../api/client.js';
import { ApiError } from '../api/http.js';
import { connectorType, eventCatalog, typeLabel } from '../components/catalog.js';
import { configFields, eventsFieldset, filtersFieldset, labelled, readConfig, readEvents, readFilters, showFieldErrors, clearFieldErrors } from '../components/forms.js';
import { Feedback, act } from '../components/feedback.js';
import { filterTest } from '../components/filter-test.js';
import { isFull, limitMessage, planLine } from '../components/plan.js';
import { connect, canConnect, PROVIDER_NAMES } from '../components/connect.js';
import { windmillPicker } from '../components/windmill-picker.js';
import { signingSecretPanel } from '../components/signing-secret.js';

/** @param {import('../app.js').PageContext} ctx */
export async function render(ctx) {
  const [kind, id] = ctx.args;
  const template = kind === 'template' ? await getConnectorTemplate(id) : null;
  const typeName = template ? template.type : id;
  const [session, type, catalog] = await Promise.all([ctx.currentSession(), connectorType(typeName), eventCatalog()]);
  if (!ctx.isCurrent()) return;
  if (!type) {
    ctx.title('Unknown connector type');
    replace(ctx.view, h('h1', {}, 'Unknown connector type'),
      h('p', {}, `There is no connector type “${typeName}”. `, h('a', { href: '#/new' }, 'Choose another.')));
    return;
  }
  const label = typeLabel(type, type.name);
  const heading = template ? `New connector from “${template.name}”` : `New ${label} connector`;
  ctx.title(heading);
  if (isFull(session)) {
    replace(ctx.view, h('h1', {}, heading), h('p', { class: 'plan' }, planLine(session)), limitMessage(session));
    return;
  }

  const feedback = new Feedback();
  const name = h('input', { type: 'text', name: 'name', maxlength: 100, autocomplete: 'off' });
  name.value = template ? template.name : label;
  const form = h('form', { class: 'connector-form', novalidate: true });
  const config = configFields(type, null);
  const oauth = canConnect(session, type.name);
  const submit = h('button', { type: 'submit', class: oauth ? 'secondary' : null }, 'Create connector');

  /** The parts both ways of creating need; null (and the errors shown) when something is missing. */
  const basics = () => {
    clearFieldErrors(form);
    const events = readEvents(form);
    const errors = [];
    if (!name.value.trim()) errors.push({ field: 'name', message: 'Give the connector a name.' });
    if (events.length === 0) errors.push({ field: 'events', message: 'Choose at least one event type.' });
    /** @type {Record<string, unknown>} */
    let filters = {};
    try {
      filters = readFilters(form, catalog);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      errors.push(...error.fieldErrors);
    }
    if (errors.length > 0) {
      showFieldErrors(form, errors);
      feedback.fail(new ApiError(400, 'Some fields need your attention.', { errors }));
      return null;
    }
    return { name: name.value.trim(), events, filters };
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    act(submit, feedback, 'Creating the connector…', async () => {
      const chosen = basics();
      if (!chosen) return;
      const body = template
        ? { template: template.id, ...chosen, config: readConfig(form, type) }
        : { type: type.name, ...chosen, config: readConfig(form, type) };
      try {
        const created = await createConnector(body);
        await ctx.refreshSession();
        if (created.signingSecret) {
          replace(ctx.view, h('h1', {}, `Created “${created.name}”`),
            signingSecretPanel(created.signingSecret, null),
            h('p', {}, h('a', { class: 'button', href: `#/connectors/${encodeURIComponent(created.uuid)}` }, 'I have saved it — continue')));
          /** @type {HTMLElement | null} */ (ctx.view.querySelector('h1'))?.focus();
          return;
        }
        ctx.navigate(`#/connectors/${encodeURIComponent(created.uuid)}?created=1`);
      } catch (error) {
        if (error instanceof ApiError) showFieldErrors(form, error.fieldErrors);
        throw error;
      }
    });
  });

  const connectSection = canConnect(session, type.name) ? connectButton(type.name, basics, template ? template.id : null, form, feedback, ctx) : null;
  const picker = type.name === 'windmill'
    ? windmillPicker((url) => {
      const input = form.elements.namedItem('config.webhook_url');
      if (input instanceof HTMLInputElement) {
        input.value = url;
        input.type = 'text';
      }
    })
    : null;
  const manual = h('div', { class: 'manual' }, config, h('p', { class: 'actions' }, submit));

  replace(form,
    template && h('p', { class: 'template-note' }, template.description, ' ',
      h('span', { class: 'hint' }, `It starts with the template's transformation, which you can change afterwards.`)),
    labelled('Name', name, { required: true, hint: 'Shown in your connector list; 1 to 100 characters.' }),
    eventsFieldset(catalog, template ? template.eventTypes : [], template ? template.eventTypes : null),
    filtersFieldset(catalog, {}, filterTest(catalog, template ? template.eventTypes : [])),
    connectSection,
    picker,
    oauth
      ? h('details', { class: 'alternative' }, h('summary', {}, type.name === 'hubspot' ? 'Or paste HubSpot tokens yourself' : `Or paste a ${label} webhook URL yourself`), manual)
      : manual,
    feedback.element);

  replace(ctx.view,
    h('h1', {}, typeIcon(type.name, 32), ' ', heading),
    h('p', { class: 'plan' }, planLine(session)),
    h('div', { class: 'with-guide' },
      form,
      h('aside', { class: 'guide', 'aria-labelledby': 'guide-heading' },
        h('h2', { id: 'guide-heading' }, `Setting up ${label}`),
        h('p', {}, type.description),
        oauth && h('p', {}, `The quickest way: choose your events, then “Connect to ${label}” and approve in ${label}. The portal receives what it needs; you never copy a secret.`),
        h('ol', {}, type.setupSteps.map((step) => h('li', {}, step))))));
}

/**
 * @param {keyof typeof PROVIDER_NAMES} provider
 * @param {() => {name: string, events: string[], filters: Record<string, unknown>} | null} basics
 * @param {string | null} templateId
 * @param {HTMLFormElement} form
 * @param {Feedback} feedback
 * @param {import('../app.js').PageContext} ctx
 */
function connectButton(provider, basics, templateId, form, feedback, ctx) {
  const button = h('button', {
    type: 'button',
    class: `connect connect-${provider}`,
    onclick: () => act(button, feedback, `Asking ${PROVIDER_NAMES[provider]} for permission…`, async () => {
      const chosen = basics();
      if (!chosen) return;
      try {
        await connect(provider, templateId ? { ...chosen, template: templateId } : chosen, feedback, ctx.navigate);
      } catch (error) {
        if (error instanceof ApiError) showFieldErrors(form, error.fieldErrors);
        throw error;
      }
    }),
  }, typeIcon(provider, 20), ` Connect to ${PROVIDER_NAMES[provider]}`);
  return h('div', { class: 'connect-section' }, button);
}
