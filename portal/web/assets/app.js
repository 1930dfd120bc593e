// The portal's shell: checks the session, routes the URL's hash to a page, and keeps focus and
// the document title in step with the page, as a screen reader user needs after each navigation.
import { h, replace } from './components/dom.js';
import { useCsrfToken, SESSION_ENDED, ApiError } from './api/http.js';
import { getPortalSession, portalLogout } from './api/client.js';
import { Feedback, act } from './components/feedback.js';
import * as connectorsPage from './pages/connectors.js';
import * as chooseTypePage from './pages/choose-type.js';
import * as createPage from './pages/create.js';
import * as connectorPage from './pages/connector.js';
import * as transformationPage from './pages/transformation.js';
import * as deliveriesPage from './pages/deliveries.js';
import * as connectErrorPage from './pages/connect-error.js';
import * as signedOutPage from './pages/signed-out.js';

/**
 * @typedef {import('../../types/openapi').components['schemas']['PortalSession']} Session
 * @typedef {{
 *   session: Session,
 *   args: string[],
 *   query: URLSearchParams,
 *   view: HTMLElement,
 *   title: (text: string) => void,
 *   refreshSession: () => Promise<Session>,
 *   currentSession: () => Promise<Session>,
 *   navigate: (hash: string) => void,
 *   isCurrent: () => boolean,
 * }} PageContext
 * @typedef {{render: (ctx: PageContext) => Promise<void>}} Page
 */

/** @type {[RegExp, Page][]} */
const ROUTES = [
  [/^\/?$/, connectorsPage],
  [/^\/connectors\/?$/, connectorsPage],
  [/^\/new\/?$/, chooseTypePage],
  [/^\/new\/(type|template)\/([^/]+)$/, createPage],
  [/^\/connectors\/([^/]+)$/, connectorPage],
  [/^\/connectors\/([^/]+)\/transformation$/, transformationPage],
  [/^\/connectors\/([^/]+)\/deliveries$/, deliveriesPage],
  [/^\/connect-error$/, connectErrorPage],
];

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
/** @type {Session | null} */
let session = null;
let navigation = 0;
let ended = false;

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  return { path: q < 0 ? raw : raw.slice(0, q), query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

/** When the session was last read; a page shown right after it (the first one) reuses it. */
let sessionReadAt = 0;
const SESSION_REUSE_MS = 2000;

async function refreshSession() {
  session = await getPortalSession();
  sessionReadAt = performance.now();
  useCsrfToken(session.csrfToken);
  return session;
}

/** The session with its connector count as of now (read again unless it was just read). */
async function currentSession() {
  if (session && performance.now() - sessionReadAt < SESSION_REUSE_MS) return session;
  return refreshSession();
}

async function route() {
  if (ended || !session) return;
  navigation += 1;
  const mine = navigation;
  const { path, query } = parseHash();
  const found = ROUTES.map(([pattern, page]) => /** @type {const} */ ([pattern.exec(path), page])).find(([m]) => m);
  const view = h('div', { class: 'view' }, h('p', { class: 'loading', role: 'status' }, 'Loading…'));
  replace(main, view);
  markCurrentNav(path);
  if (!found) {
    document.title = 'Not found · Connectors';
    replace(view, h('h1', { tabindex: '-1' }, 'Page not found'), h('p', {}, h('a', { href: '#/connectors' }, 'Back to your connectors')));
    focusHeading(view);
    return;
  }
  const [match, page] = found;
  /** @type {PageContext} */
  const ctx = {
    session,
    args: match ? match.slice(1).map(decodeURIComponent) : [],
    query,
    view,
    title: (text) => {
      document.title = `${text} · Connectors`;
    },
    refreshSession,
    currentSession,
    navigate: (hash) => {
      if (location.hash === hash) route();
      else location.hash = hash;
    },
    isCurrent: () => mine === navigation && !ended,
  };
  try {
    await page.render(ctx);
  } catch (error) {
    if (!ctx.isCurrent()) return;
    const feedback = new Feedback();
    feedback.fail(error);
    replace(view, h('h1', { tabindex: '-1' }, 'Something went wrong'), feedback.element,
      h('p', {}, h('button', { type: 'button', onclick: () => route() }, 'Try again')));
  }
  if (ctx.isCurrent()) focusHeading(view);
}

/** @param {HTMLElement} view */
function focusHeading(view) {
  const heading = view.querySelector('h1');
  if (!heading) return;
  heading.setAttribute('tabindex', '-1');
  // The first page of a visit keeps focus where the browser put it; later ones announce themselves.
  if (navigation > 1) heading.focus();
}

/** @param {string} path */
function markCurrentNav(path) {
  for (const link of nav.querySelectorAll('a')) {
    const target = (link.getAttribute('href') ?? '').replace(/^#/, '');
    const current = target === '/connectors' ? path === '/' || path.startsWith('/connectors') : path.startsWith(target);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** @param {'expired' | 'logged-out' | 'no-session'} reason */
function showSignedOut(reason) {
  ended = true;
  session = null;
  useCsrfToken(null);
  nav.hidden = true;
  const view = h('div', { class: 'view' });
  replace(main, view);
  signedOutPage.show(view, reason);
  document.title = 'Signed out · Connectors';
  focusHeading(view);
}

function renderNav() {
  const feedback = new Feedback();
  const logoutButton = h('button', {
    type: 'button',
    class: 'secondary',
    onclick: () => act(logoutButton, feedback, 'Logging out…', async () => {
      await portalLogout();
      showSignedOut('logged-out');
    }),
  }, 'Log out');
  replace(nav,
    h('ul', {},
      h('li', {}, h('a', { href: '#/connectors' }, 'Connectors')),
      h('li', {}, h('a', { href: '#/new' }, 'New connector'))),
    // Whose connectors these are, always in sight: a browser signed in as someone else should be noticed.
    session && h('p', { class: 'who' }, 'Signed in as ', h('strong', {}, session.userId)),
    logoutButton, feedback.element);
  nav.hidden = false;
}

async function start() {
  try {
    await refreshSession();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      showSignedOut('no-session');
    } else {
      const feedback = new Feedback();
      feedback.fail(error);
      replace(main, h('div', { class: 'view' }, h('h1', {}, 'The portal could not start'), feedback.element,
        h('p', {}, h('button', { type: 'button', onclick: () => location.reload() }, 'Try again'))));
    }
    return;
  }
  // From here on, a 401 means the session ended while the page was open.
  window.addEventListener(SESSION_ENDED, () => showSignedOut('expired'));
  renderNav();
  window.addEventListener('hashchange', route);
  await route();
}

start();
