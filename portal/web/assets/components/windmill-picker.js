// Finds a Windmill script or flow and builds its webhook URL: the user gives the instance (Cloud
// or self-hosted) and a token, picks a workspace and a runnable; the URL lands in the form's
// webhook_url field. Windmill's webhooks need the token, so the URL carries it (the connector's
// URL is its credential and is stored encrypted); the portal keeps it nowhere else.
import { h, replace, uid } from './dom.js';
import { labelled } from './forms.js';
import { Feedback, act } from './feedback.js';
import { windmillWorkspaces, windmillRunnables, windmillWebhookUrl } from '../api/client.js';

/**
 * @typedef {import('../../../types/openapi').operations} operations
 * @typedef {operations['windmillWorkspaces']['responses']['200']['content']['application/json']['workspaces'][number]} WindmillWorkspace
 * @typedef {operations['windmillRunnables']['responses']['200']['content']['application/json']['runnables'][number]} WindmillRunnable
 */

/** @param {(url: string) => void} useUrl */
export function windmillPicker(useUrl) {
  const feedback = new Feedback();
  const cloudId = uid('wm');
  const selfId = uid('wm');
  const cloud = h('input', { type: 'radio', name: 'windmill-instance', value: 'cloud', id: cloudId, checked: true });
  const selfHosted = h('input', { type: 'radio', name: 'windmill-instance', value: 'self', id: selfId });
  const baseUrl = h('input', { type: 'url', name: 'windmill-base-url', autocomplete: 'off', placeholder: 'https://windmill.example.com' });
  const baseUrlField = labelled('Windmill address', baseUrl, { hint: 'The address of your self-hosted Windmill.' });
  baseUrlField.hidden = true;
  const token = h('input', { type: 'password', name: 'windmill-token', autocomplete: 'off' });
  const steps = h('div', { class: 'windmill-steps' });
  const toggle = () => {
    baseUrlField.hidden = !selfHosted.checked;
    replace(steps);
  };
  cloud.addEventListener('change', toggle);
  selfHosted.addEventListener('change', toggle);

  const instance = () => (selfHosted.checked ? { baseUrl: baseUrl.value.trim() } : {});
  const listButton = h('button', {
    type: 'button',
    class: 'secondary',
    onclick: () => act(listButton, feedback, 'Listing your workspaces…', async () => {
      if (!token.value.trim()) throw new Error('Enter a Windmill token first (Windmill: Account settings › Tokens).');
      const { workspaces } = await windmillWorkspaces({ ...instance(), token: token.value.trim() });
      if (workspaces.length === 0) throw new Error('This token sees no workspace: create it as a user who belongs to one (Windmill: Account settings › Tokens), then list again.');
      showWorkspaces(workspaces);
      feedback.ok(`Found ${workspaces.length} workspace${workspaces.length === 1 ? '' : 's'}.`);
    }),
  }, 'List workspaces');

  /** @param {WindmillWorkspace[]} workspaces */
  const showWorkspaces = (workspaces) => {
    const workspace = h('select', { name: 'windmill-workspace' }, workspaces.map((w) => h('option', { value: w.id }, `${w.name} (${w.id})`)));
    const runnablesButton = h('button', {
      type: 'button',
      class: 'secondary',
      onclick: () => act(runnablesButton, feedback, 'Listing scripts and flows…', async () => {
        const { runnables } = await windmillRunnables({ ...instance(), token: token.value.trim(), workspace: workspace.value });
        if (runnables.length === 0) throw new Error('This workspace has no scripts or flows yet.');
        showRunnables(workspace.value, runnables);
        feedback.ok(`Found ${runnables.length} script${runnables.length === 1 ? '' : 's'} and flows.`);
      }),
    }, 'List scripts and flows');
    replace(steps, labelled('Workspace', workspace), runnablesButton, h('div', { class: 'windmill-runnables' }));
  };

  /** @param {string} workspace @param {WindmillRunnable[]} runnables */
  const showRunnables = (workspace, runnables) => {
    const runnable = h('select', { name: 'windmill-runnable' }, runnables.map((r, i) => h('option', { value: String(i) },
      `${r.kind === 'flow' ? 'Flow' : 'Script'} ${r.path}${r.summary ? ` — ${r.summary}` : ''}`)));
    const asyncId = uid('wm');
    const syncId = uid('wm');
    const mode = h('fieldset', { class: 'inline' }, h('legend', {}, 'Run mode'),
      h('input', { type: 'radio', name: 'windmill-mode', value: 'async', id: asyncId, checked: true }),
      h('label', { for: asyncId }, 'Queue a job (answers at once)'),
      h('input', { type: 'radio', name: 'windmill-mode', value: 'sync', id: syncId }),
      h('label', { for: syncId }, 'Wait for the result'));
    const useButton = h('button', {
      type: 'button',
      onclick: () => act(useButton, feedback, 'Building the webhook URL…', async () => {
        const chosen = runnables[Number(runnable.value)];
        const sync = /** @type {HTMLInputElement} */ (mode.querySelector(`#${syncId}`)).checked;
        const { url } = await windmillWebhookUrl({ ...instance(), token: token.value.trim(), workspace, kind: chosen.kind, path: chosen.path, mode: sync ? 'sync' : 'async' });
        useUrl(url);
        feedback.ok(`The webhook URL of ${chosen.path} is filled in below.`);
      }),
    }, 'Use this script or flow');
    const slot = steps.querySelector('.windmill-runnables');
    if (slot) replace(slot, labelled('Script or flow', runnable), mode, useButton);
  };

  return h('fieldset', { class: 'windmill' },
    h('legend', {}, 'Find your Windmill script or flow'),
    h('div', { class: 'inline' },
      cloud, h('label', { for: cloudId }, 'Windmill Cloud'),
      selfHosted, h('label', { for: selfId }, 'Self-hosted')),
    baseUrlField,
    labelled('Windmill token', token, { hint: 'Lists your workspaces and scripts, and goes into the webhook URL so Windmill accepts the calls (stored encrypted, shown masked).' }),
    listButton, steps, feedback.element);
}
