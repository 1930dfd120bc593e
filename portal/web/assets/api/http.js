// The one place where the portal talks HTTP: base URL, CSRF header, JSON, and error mapping.
// Every failure becomes an ApiError whose message is fit to show to the user as it is.

/** The portal's API root (/portal/api/), found from this module's own URL so that any path prefix
 * in front of /portal (an API Gateway stage, say) keeps working. */
const API_ROOT = new URL('../../api/', import.meta.url);

/** @type {string | null} */
let csrfToken = null;

/** Remembers the session's CSRF token; every request that changes something sends it. */
export function useCsrfToken(/** @type {string | null} */ token) {
  csrfToken = token;
}

/**
 * @typedef {{field: string, message: string}} FieldError
 * @typedef {{type?: string, title?: string, status?: number, detail?: string, errors?: FieldError[]}} Problem
 */

/** A request that failed: `status` 0 when the server could not be reached. */
export class ApiError extends Error {
  /** @param {number} status @param {string} message @param {Problem | null} problem */
  constructor(status, message, problem) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    /** @type {FieldError[]} */
    this.fieldErrors = problem?.errors ?? [];
  }
}

/** Fired on window when the server says the session is gone, so the shell can say so once. */
export const SESSION_ENDED = 'portal:session-ended';

/**
 * @param {string} method
 * @param {string} path relative to /portal/api/
 * @param {{body?: unknown, query?: Record<string, unknown> | undefined}} [options]
 * @returns {Promise<any>}
 */
export async function call(method, path, options = {}) {
  const url = new URL(path, API_ROOT);
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
  }
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json, application/problem+json' };
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'Could not reach the server. Check your connection and try again.', null);
  }
  const text = await response.text();
  /** @type {any} */
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (response.ok) return json;
  const problem = json && typeof json === 'object' ? /** @type {Problem} */ (json) : null;
  if (response.status === 401) window.dispatchEvent(new CustomEvent(SESSION_ENDED));
  throw new ApiError(response.status, problemMessage(response.status, problem), problem);
}

/** @param {number} status @param {Problem | null} problem */
function problemMessage(status, problem) {
  if (problem?.detail) return problem.detail;
  if (problem?.title) return problem.title;
  if (status === 401) return 'Your session has ended.';
  if (status === 403) return 'This action is not allowed.';
  if (status === 404) return 'It no longer exists.';
  if (status === 413) return 'That is too large to send.';
  if (status >= 500) return `The server failed (HTTP ${status}). Try again in a moment.`;
  return `The request failed (HTTP ${status}).`;
}
