// Choosing what to create: one of the operator's templates, or a connector type.
import { h, replace, typeIcon } from '../components/dom.js';
import { connectorTypes, templates, typeLabel } from '../components/catalog.js';
import { isFull, limitMessage, planLine } from '../components/plan.js';
import { canConnect } from '../components/connect.js';

const GROUPS = [
  ['Chat and automation', ['slack', 'discord', 'teams', 'zapier']],
  ['Apps', ['hubspot', 'closecrm', 'segment', 'customerio', 'sendgrid', 'resend', 'loops', 'inngest', 'windmill']],
  ['Your own endpoint', ['generic', 'custom']],
];

/** @param {import('../app.js').PageContext} ctx */
export async function render(ctx) {
  ctx.title('New connector');
  const [session, types, operatorTemplates] = await Promise.all([ctx.currentSession(), connectorTypes(), templates()]);
  if (!ctx.isCurrent()) return;
  if (isFull(session)) {
    replace(ctx.view, h('h1', {}, 'New connector'), h('p', { class: 'plan' }, planLine(session)), limitMessage(session),
      h('p', {}, h('a', { href: '#/connectors' }, 'Back to your connectors')));
    return;
  }
  const grouped = new Set(GROUPS.flatMap(([, names]) => names));
  const others = types.filter((t) => !grouped.has(t.name)).map((t) => t.name);
  /** @param {string} name */
  const card = (name) => {
    const type = types.find((t) => t.name === name);
    if (!type) return null;
    return h('li', { class: 'card' },
      h('a', { href: `#/new/type/${encodeURIComponent(name)}` }, typeIcon(name, 40), h('span', { class: 'card-title' }, typeLabel(type, name))),
      h('p', {}, type.description),
      canConnect(session, name) && h('p', { class: 'tag' }, `Connect to ${typeLabel(type, name)} in a few clicks`));
  };
  replace(ctx.view,
    h('h1', {}, 'New connector'),
    h('p', { class: 'plan' }, planLine(session)),
    operatorTemplates.length > 0 && h('section', { 'aria-labelledby': 'templates-heading' },
      h('h2', { id: 'templates-heading' }, 'Start from a template'),
      h('ul', { class: 'cards' }, operatorTemplates.map((t) => h('li', { class: 'card' },
        h('a', { href: `#/new/template/${encodeURIComponent(t.id)}` }, typeIcon(t.type, 40), h('span', { class: 'card-title' }, t.name)),
        h('p', {}, t.description),
        h('p', { class: 'tag' }, typeLabel(types.find((x) => x.name === t.type), t.type)))))),
    [...GROUPS, ['More', others]].filter(([, names]) => names.length > 0).map(([title, names], i) => {
      const id = `group-${i}`;
      return h('section', { 'aria-labelledby': id },
        h('h2', { id }, /** @type {string} */ (title)),
        h('ul', { class: 'cards' }, /** @type {string[]} */ (names).map(card)));
    }));
}
