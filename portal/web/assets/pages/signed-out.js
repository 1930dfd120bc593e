// Shown when there is no session: never a login form, because access comes from the host
// platform's single-use link.
import { h, append } from '../components/dom.js';

const TEXT = {
  expired: ['Your session has ended', 'For your security, portal sessions expire. Open the portal again from your account on the platform to get a new link.'],
  'logged-out': ['You have logged out', 'To manage your connectors again, open the portal from your account on the platform.'],
  'no-session': ['You are not signed in', 'Open the portal from your account on the platform: it gives you a sign-in link that works once.'],
};

/** @param {HTMLElement} view @param {keyof typeof TEXT} reason */
export function show(view, reason) {
  const [title, text] = TEXT[reason];
  append(view, [h('h1', { tabindex: '-1' }, title), h('p', {}, text)]);
}
