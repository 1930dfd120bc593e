// One connector: its settings (name, events, filters, connection with secrets masked and
// replaceable), a test send, enable/disable, reconnect, signing-secret rotation and deletion.
import { h, replace } from '../components/dom.js';
import { getConnector, updateConnector, deleteConnector, testConnector, rotateSigningSecret } from '../api/client.js';
import { ApiError } from '../api/http.js';
import { connectorType, eventCatalog, subscribedTypes, typeLabel } from '../components/catalog.js';
import { configFields, eventsFieldset, filtersFieldset, labelled, readConfig, readEvents, readFilters, showFieldErrors, clearFieldErrors } from '../components/forms.js';
import { Feedback, act } from '../components/feedback.js';
import { filterTest } from '../components/filter-test.js';
import { confirmAction } from '../components/confirm.js';
import { connectorHeader } from '../components/connector-header.js';
import { connect, canConnect, PROVIDER_NAMES } from '../components/connect.js';
import { signingSecretPanel } from '../components/signing-secret.js';

/** @typedef {import('../components/catalog.js').Connector} Connector */

/** @param {import('../app.js').PageContext} ctx */
export async function render(ctx) {
  const [uuid] = ctx.args;
  const [connector, catalog] = await Promise.all([getConnector(uuid), eventCatalog()]);
  const type = await connectorType(connector.type);
  if (!ctx.isCurrent()) return;
  if (!type) throw new Error(`This connector's type “${connector.type}” is no longer offered.`);
  const label = typeLabel(type, connector.type);
  ctx.title(connector.name);

  const notice = ctx.query.get('connected')
    ? h('p', { class: 'ok', role: 'status' }, `Connected to ${PROVIDER_NAMES[/** @type {keyof typeof PROVIDER_NAMES} */ (ctx.query.get('connected'))] ?? label}. The connector is ready.`)
    : ctx.query.get('created') ? h('p', { class: 'ok', role: 'status' }, 'Connector created.') : null;

  replace(ctx.view,
    ...connectorHeader(connector, label, 'settings'),
    notice,
    actionsSection(connector, label, ctx),
    testSection(connector, catalog),
    settingsSection(connector, type, catalog, ctx),
    dangerSection(connector, ctx));
}

/** @param {Connector} connector @param {string} label @param {import('../app.js').PageContext} ctx */
function actionsSection(connector, label, ctx) {
  const feedback = new Feedback();
  const enabled = connector.status === 'active';
  const toggle = h('button', {
    type: 'button',
    class: 'secondary',
    onclick: () => act(toggle, feedback, enabled ? 'Disabling…' : 'Enabling…', async () => {
      await updateConnector(connector.uuid, { enabled: !enabled, version: connector.version });
      ctx.navigate(`#/connectors/${encodeURIComponent(connector.uuid)}`);
    }),
  }, enabled ? 'Disable' : 'Enable');
  const provider = connector.type;
  /** @type {HTMLButtonElement | null} */
  let reconnect = null;
  if (canConnect(ctx.session, provider)) {
    const button = h('button', { type: 'button', class: 'secondary' }, `Reconnect ${PROVIDER_NAMES[provider]}`);
    button.addEventListener('click', () => act(button, feedback, `Asking ${PROVIDER_NAMES[provider]} for permission…`, () =>
      connect(provider, { name: connector.name, events: connector.events, filters: connector.filters, connectorId: connector.uuid },
        feedback, ctx.navigate)));
    reconnect = button;
  }
  /** @type {HTMLButtonElement | null} */
  let rotate = null;
  if (connector.type === 'generic') {
    const button = h('button', { type: 'button', class: 'secondary' }, 'Rotate signing secret');
    button.addEventListener('click', async () => {
      const yes = await confirmAction({
        title: 'Rotate the signing secret?',
        text: 'A new secret is created and shown once. The current one keeps signing for 24 hours so your endpoint can switch over.',
        confirm: 'Rotate secret',
      });
      if (!yes) return;
      await act(button, feedback, 'Rotating the signing secret…', async () => {
        const rotated = await rotateSigningSecret(connector.uuid);
        connector.version = rotated.version;
        replace(secretSlot, signingSecretPanel(rotated.signingSecret, rotated.previousSecretValidUntil));
        feedback.ok('The signing secret was rotated.');
      });
    });
    rotate = button;
  }
  const secretSlot = h('div');
  return h('section', { 'aria-label': 'Actions', class: 'actions-bar' },
    h('p', { class: 'actions' }, toggle, reconnect, rotate),
    connector.status === 'disabled' && canConnect(ctx.session, provider) && connector.statusReason
      ? h('p', { class: 'hint' }, `If ${label} refused the connection, reconnect to give the portal new permission.`) : null,
    feedback.element, secretSlot);
}

/** @param {Connector} connector @param {import('../components/catalog.js').EventCatalog} catalog */
function testSection(connector, catalog) {
  const feedback = new Feedback();
  const result = h('div', { class: 'test-result' });
  const types = subscribedTypes(catalog, connector.events);
  const eventType = h('select', { name: 'test-event-type' }, types.map((name) => h('option', { value: name }, name)));
  const send = h('button', {
    type: 'submit',
  }, 'Send a test event');
  const form = h('form', { class: 'inline-form' },
    labelled('Event type', eventType, { hint: 'A sample event of this type goes to the destination now, through the real delivery path.' }),
    send);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    act(send, feedback, 'Sending a test event…', async () => {
      replace(result);
      const outcome = await testConnector(connector.uuid, { eventType: eventType.value });
      const summary = outcome.cancelled
        ? 'The transformation cancelled the delivery: nothing was sent.'
        : outcome.ok
          ? `Delivered: the destination answered HTTP ${outcome.statusCode} in ${outcome.latencyMs} ms.`
          : `Not delivered: ${outcome.error ?? 'the destination refused it; check the URL and credentials above'}${outcome.statusCode ? ` (HTTP ${outcome.statusCode})` : ''}.`;
      if (outcome.ok || outcome.cancelled) feedback.ok(summary);
      else feedback.fail(new Error(summary));
      replace(result,
        outcome.responseExcerpt && h('div', {}, h('h3', {}, 'Response'), h('pre', { tabindex: '0' }, outcome.responseExcerpt)),
        outcome.console.length > 0 && h('div', {}, h('h3', {}, 'Console output'), h('pre', { tabindex: '0', class: 'console' }, outcome.console.join('\n'))));
    });
  });
  return h('section', { 'aria-labelledby': 'test-heading' },
    h('h2', { id: 'test-heading' }, 'Send a test'), form, feedback.element, result);
}

/**
 * @param {Connector} connector
 * @param {import('../components/catalog.js').ConnectorType} type
 * @param {import('../components/catalog.js').EventCatalog} catalog
 * @param {import('../app.js').PageContext} ctx
 */
function settingsSection(connector, type, catalog, ctx) {
  const feedback = new Feedback();
  const name = h('input', { type: 'text', name: 'name', maxlength: 100, autocomplete: 'off' });
  name.value = connector.name;
  const save = h('button', { type: 'submit' }, 'Save changes');
  const form = h('form', { class: 'connector-form', novalidate: true },
    labelled('Name', name, { required: true }),
    eventsFieldset(catalog, connector.events),
    filtersFieldset(catalog, connector.filters, filterTest(catalog, connector.events)),
    configFields(type, connector),
    h('p', { class: 'actions' }, save),
    feedback.element);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    act(save, feedback, 'Saving…', async () => {
      clearFieldErrors(form);
      try {
        const updated = await updateConnector(connector.uuid, {
          name: name.value.trim(),
          events: readEvents(form),
          filters: readFilters(form, catalog), // replaces the whole map: a cleared filter is gone
          config: readConfig(form, type),
          version: connector.version,
        });
        connector.version = updated.version;
        ctx.navigate(`#/connectors/${encodeURIComponent(connector.uuid)}?saved=1`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) {
          throw new Error('Someone else changed this connector since you opened it. Reload the page to see the current settings, then make your change again.');
        }
        if (error instanceof ApiError) showFieldErrors(form, error.fieldErrors);
        throw error;
      }
    });
  });
  return h('section', { 'aria-labelledby': 'settings-heading' },
    h('h2', { id: 'settings-heading' }, 'Settings'),
    ctx.query.get('saved') && h('p', { class: 'ok', role: 'status' }, 'Changes saved.'),
    form);
}

/** @param {Connector} connector @param {import('../app.js').PageContext} ctx */
function dangerSection(connector, ctx) {
  const feedback = new Feedback();
  const remove = h('button', {
    type: 'button',
    class: 'danger',
    onclick: async () => {
      const yes = await confirmAction({
        title: `Delete “${connector.name}”?`,
        text: 'It stops receiving events at once, and its settings and delivery log are removed. This cannot be undone.',
        confirm: 'Delete connector',
        danger: true,
      });
      if (!yes) return;
      await act(remove, feedback, 'Deleting…', async () => {
        await deleteConnector(connector.uuid);
        await ctx.refreshSession();
        ctx.navigate(`#/connectors?deleted=${encodeURIComponent(connector.name)}`);
      });
    },
  }, 'Delete connector');
  return h('section', { 'aria-labelledby': 'danger-heading', class: 'danger-zone' },
    h('h2', { id: 'danger-heading' }, 'Delete'), h('p', {}, remove), feedback.element);
}
