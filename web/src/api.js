// The REST API client: JSON in and out, the CSRF token on writes, ETags, problem documents.
export const kApiBase = '/api/v1';

let csrfToken = '';
let onUnauthorized = () => {};

export function setCsrfToken(token) {
  csrfToken = token || '';
}

// Called when the session is gone (401), so the app can show the login page.
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

// A failed request: the problem document's detail, and the form field it names if any.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `The server answered ${status}.`);
    this.status = status;
    this.field = problem.field || '';
    this.retryAfter = 0;
  }
}

// Sends one request; resolves to {data, etag} (data null for 204), rejects with ApiError.
export async function request(method, path, { body, etag } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (etag) headers['If-Match'] = etag;
  let response;
  try {
    response = await fetch(kApiBase + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, { detail: 'The server cannot be reached.' });
  }
  if (response.ok) {
    const data = response.status === 204 ? null : await response.json();
    return { data, etag: response.headers.get('ETag') || '' };
  }
  const error = new ApiError(response.status, await problemOf(response));
  if (response.status === 401 && path !== '/session') onUnauthorized();
  if (response.status === 429) error.retryAfter = Number(response.headers.get('Retry-After')) || 0;
  throw error;
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return { detail: `The server answered ${response.status} ${response.statusText}.` };
  }
}

export const get = async (path) => (await request('GET', path)).data;
export const post = async (path, body) => (await request('POST', path, { body })).data;
export const patch = async (path, body, etag) => (await request('PATCH', path, { body, etag })).data;
export const remove = async (path, etag) => (await request('DELETE', path, { etag })).data;

// Every item of a paged list, following limit/offset until `total` (at most `max`).
export async function getAll(path, max = 5000) {
  const items = [];
  const separator = path.includes('?') ? '&' : '?';
  for (;;) {
    const page = await get(`${path}${separator}limit=500&offset=${items.length}`);
    if (Array.isArray(page)) return page;
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total || items.length >= max) return items;
  }
}

// A path segment, percent-encoded.
// Dots too: the server would take a last path segment with a dot for a file, not a UI route.
export const segment = (value) => encodeURIComponent(value).replace(/\./g, "%2E");
