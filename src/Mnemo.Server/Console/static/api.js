// The console's only door to the server: the public APIs, with the credential kept in this tab's session storage.

const KEY = 'mnemo.console.credential';

/** { kind: 'key' | 'admin', secret } or null. Session storage only: closing the tab signs out. */
export function session() {
  try { return JSON.parse(sessionStorage.getItem(KEY)); } catch { return null; }
}
export function signIn(kind, secret) { sessionStorage.setItem(KEY, JSON.stringify({ kind, secret })); }
export function signOut() { sessionStorage.removeItem(KEY); }

/** The headers each surface reads its credential from. */
export function authHeaders(path) {
  const s = session();
  if (!s) return {};
  if (path.startsWith('/admin')) return { Authorization: `Bearer ${s.secret}` };
  if (path.startsWith('/serve/')) return { Authorization: s.secret };
  return { 'X-API-Key': s.secret };
}

/** Last RateLimit-* headers seen per route, for the usage page's budgets. */
export const budgets = new Map();

function remember(method, path, response) {
  const limit = response.headers.get('RateLimit-Limit');
  if (limit === null) return;
  const route = `${method} ${path.split('?')[0].replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}').replace(/\/\d+(?=\/|$)/g, '/{n}')}`;
  budgets.set(route, {
    limit: Number(limit), remaining: Number(response.headers.get('RateLimit-Remaining')),
    reset: Number(response.headers.get('RateLimit-Reset')), at: new Date(),
  });
}

export class ApiError extends Error {
  constructor(status, code, detail, requestId) {
    super(`${code || status}: ${detail || 'request failed'}`);
    Object.assign(this, { status, code, detail, requestId });
  }
}

async function failure(response) {
  let body = {};
  try { body = await response.json(); } catch { /* not JSON */ }
  const requestId = body.request_id || response.headers.get('X-Request-Id');
  return new ApiError(response.status, body.code ?? body.msg, body.detail ?? body.msg ?? response.statusText, requestId);
}

/** JSON (or a FormData, sent as multipart) in, JSON out; errors become ApiError with the catalog code and the request id. */
export async function api(path, { method = 'GET', body, as = 'json' } = {}) {
  const headers = { ...authHeaders(path) };
  const form = body instanceof FormData;  // multipart: the browser writes its Content-Type with the boundary
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined || form ? body : JSON.stringify(body) });
  remember(method, path, response);
  if (!response.ok) throw await failure(response);
  if (as === 'blob') return response.blob();
  if (response.status === 204) return null;
  return response.json();
}

/** A multipart upload with progress (fetch has no upload progress; XMLHttpRequest does). */
export function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    for (const [name, value] of Object.entries(authHeaders(path))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = e => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The upload did not reach the server.'));
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body.code, body.detail, body.request_id || xhr.getResponseHeader('X-Request-Id')));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** Object URLs of fetched media, kept for the tab's life (thumbnails are small; a video is released on leaving). */
const blobs = new Map();
export async function blobUrl(path) {
  if (!blobs.has(path)) blobs.set(path, api(path, { as: 'blob' }).then(b => URL.createObjectURL(b)));
  try { return await blobs.get(path); } catch (e) { blobs.delete(path); throw e; }
}
export function releaseBlob(path) {
  const url = blobs.get(path);
  blobs.delete(path);
  url?.then(u => URL.revokeObjectURL(u), () => {});
}
