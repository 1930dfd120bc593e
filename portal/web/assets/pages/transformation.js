// A connector's transformation: edit the code, run it against the event type's example or a
// pasted payload (nothing is sent), see the resulting request, console output and time, or the
// error with its line and column; then save it.
import { h, replace, uid } from '../components/dom.js';
import { getConnector, updateConnector, testTransformation } from '../api/client.js';
import { ApiError } from '../api/http.js';
import { connectorType, eventCatalog, subscribedTypes, typeLabel } from '../components/catalog.js';
import { labelled } from '../components/forms.js';
import { Feedback, act } from '../components/feedback.js';
import { codeEditor } from '../components/editor.js';
import { connectorHeader } from '../components/connector-header.js';
import { confirmAction } from '../components/confirm.js';

const STARTER = `function handler(webhook) {
  // webhook is {method, url, eventType, payload, headers, cancel}.
  // Change what you need and return it; set webhook.cancel = true to skip this event.
  return webhook;
}
`;

/** @param {import('../app.js').PageContext} ctx */
export async function render(ctx) {
  const [uuid] = ctx.args;
  const [connector, catalog] = await Promise.all([getConnector(uuid), eventCatalog()]);
  const type = await connectorType(connector.type);
  if (!ctx.isCurrent()) return;
  ctx.title(`Transformation · ${connector.name}`);

  const helpId = uid('editor-help');
  const editor = codeEditor({ label: 'Transformation code', value: connector.transformation ?? STARTER, describedBy: helpId });
  const saveFeedback = new Feedback();
  const runFeedback = new Feedback();
  const result = h('div', { class: 'dry-run-result' });

  const types = subscribedTypes(catalog, connector.events);
  const eventType = h('select', { name: 'dry-run-event-type' }, types.map((name) => h('option', { value: name }, name)));
  const exampleId = uid('src');
  const pastedId = uid('src');
  const useExample = h('input', { type: 'radio', name: 'dry-run-source', id: exampleId, value: 'example', checked: true });
  const usePasted = h('input', { type: 'radio', name: 'dry-run-source', id: pastedId, value: 'pasted' });
  const pasted = h('textarea', { name: 'dry-run-payload', rows: 6, spellcheck: 'false' });
  const pastedField = labelled('Payload (JSON)', pasted, { hint: 'The object the handler receives as webhook.payload.' });
  pastedField.hidden = true;
  const showPasted = () => {
    pastedField.hidden = !usePasted.checked;
  };
  useExample.addEventListener('change', showPasted);
  usePasted.addEventListener('change', showPasted);

  const run = h('button', { type: 'button' }, 'Run');
  run.addEventListener('click', () => act(run, runFeedback, 'Running…', async () => {
    replace(result);
    /** @type {NonNullable<import('../../../types/openapi').operations['testTransformation']['requestBody']>['content']['application/json']} */
    const request = { code: editor.value, eventType: eventType.value };
    if (usePasted.checked) {
      try {
        request.payload = JSON.parse(pasted.value);
      } catch (error) {
        pasted.setAttribute('aria-invalid', 'true');
        throw new Error(`The pasted payload is not valid JSON: ${error instanceof Error ? error.message : error}`);
      }
      pasted.removeAttribute('aria-invalid');
      if (request.payload === null || typeof request.payload !== 'object' || Array.isArray(request.payload)) {
        throw new Error('The pasted payload must be a JSON object, like {"text": "hello"}.');
      }
    } else {
      request.connectorType = connector.type;
    }
    const outcome = await testTransformation(request);
    showOutcome(outcome);
  }));

  /** @param {import('../components/catalog.js').Schemas['DryRunResult']} outcome */
  const showOutcome = (outcome) => {
    const took = `${outcome.tookMs < 10 ? outcome.tookMs.toFixed(1) : Math.round(outcome.tookMs)} ms`;
    const consoleOutput = h('div', {}, h('h3', {}, 'Console output'),
      outcome.console.length > 0 ? h('pre', { class: 'console', tabindex: '0' }, outcome.console.join('\n')) : h('p', { class: 'hint' }, 'Nothing was logged.'));
    if (!outcome.ok || !outcome.webhook) {
      const error = outcome.error;
      const where = error?.line ? `line ${error.line}${error.column ? `, column ${error.column}` : ''}` : null;
      runFeedback.fail(new Error(`${error?.kind === 'SYNTAX' ? 'Syntax error' : 'The code failed'}${where ? ` at ${where}` : ''}: ${error?.message ?? 'unknown error'} (took ${took})`));
      replace(result,
        error?.line ? h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => editor.goTo(/** @type {number} */ (error.line), error.column) }, `Go to ${where}`)) : null,
        consoleOutput);
      return;
    }
    const w = outcome.webhook;
    runFeedback.ok(w.cancel ? `Ran in ${took}: the handler cancels this event, so nothing would be sent.` : `Ran in ${took}.`);
    replace(result,
      h('h3', {}, 'Resulting request'),
      h('p', {}, h('code', { class: 'request-line' }, `${w.method} ${w.url}`)),
      Object.keys(w.headers).length > 0 && h('table', { class: 'headers' },
        h('caption', {}, 'Headers'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Value'))),
        h('tbody', {}, Object.entries(w.headers).map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', {}, v))))),
      h('h4', {}, 'Body'),
      h('pre', { tabindex: '0', class: 'payload', 'aria-label': 'Request body' }, JSON.stringify(w.payload, null, 2)),
      consoleOutput);
  };

  const save = h('button', { type: 'button' }, 'Save transformation');
  save.addEventListener('click', () => act(save, saveFeedback, 'Saving…', async () => {
    try {
      const updated = await updateConnector(connector.uuid, { transformation: editor.value.trim() ? editor.value : null, version: connector.version });
      connector.version = updated.version;
      connector.transformation = updated.transformation;
      saveFeedback.ok('Transformation saved. New deliveries use it.');
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) throw new Error('Someone else changed this connector since you opened it. Copy your code, reload the page and save again.');
      const position = error instanceof Error ? /line (\d+), column (\d+)/.exec(error.message) : null;
      if (position) editor.goTo(Number(position[1]), Number(position[2]));
      throw error;
    }
  }));
  const remove = h('button', { type: 'button', class: 'secondary' }, 'Remove transformation');
  remove.addEventListener('click', async () => {
    const yes = await confirmAction({ title: 'Remove the transformation?', text: 'Deliveries go out as the connector type formats them.', confirm: 'Remove' });
    if (!yes) return;
    await act(remove, saveFeedback, 'Removing…', async () => {
      const updated = await updateConnector(connector.uuid, { transformation: null, version: connector.version });
      connector.version = updated.version;
      editor.value = STARTER;
      saveFeedback.ok('Transformation removed.');
    });
  });

  replace(ctx.view,
    ...connectorHeader(connector, typeLabel(type, connector.type), 'transformation'),
    h('section', { 'aria-labelledby': 'code-heading' },
      h('h2', { id: 'code-heading' }, 'Code'),
      h('p', { id: helpId, class: 'hint' },
        'JavaScript defining function handler(webhook). It runs in a sandbox for each delivery, after formatting. Secrets appear masked; the service adds credentials afterwards. Tab moves to the next control.'),
      connector.transformation === null && h('p', { class: 'hint' }, 'This connector has no transformation yet: deliveries go out as formatted. The code below is a starting point.'),
      editor.element,
      h('p', { class: 'actions' }, save, connector.transformation !== null && remove),
      saveFeedback.element),
    h('section', { 'aria-labelledby': 'run-heading' },
      h('h2', { id: 'run-heading' }, 'Try it'),
      h('p', { class: 'hint' }, 'Runs the code above without saving it and without sending anything.'),
      labelled('Event type', eventType),
      h('fieldset', { class: 'inline' }, h('legend', {}, 'Run it on'),
        useExample, h('label', { for: exampleId }, 'The event type’s example'),
        usePasted, h('label', { for: pastedId }, 'A payload I paste')),
      pastedField,
      h('p', { class: 'actions' }, run),
      runFeedback.element,
      result));
}
