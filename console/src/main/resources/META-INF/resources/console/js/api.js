// Aeon's three HTTP APIs as the console calls them: the Cloud Ops API on this origin (/cloud/...), Temporal's HTTP
// API for WorkflowService on the data plane (/api/v1/...) and the codec server. The key goes to these only.

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

let config = null;
let session = null;

/** Where the data plane's HTTP API and the codec server are: the control plane tells (config.json). */
export async function loadConfig() {
  if (!config) {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (!response.ok) throw new ApiError(response.status, 'cannot read the console configuration');
    config = await response.json();
  }
  return config;
}

export function useSession(s) {
  session = s;
}

async function call(base, path, { method = 'GET', body, query, headers = {} } = {}) {
  const url = new URL(base + path, location.href);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
  }
  const init = { method, headers: { ...headers } };
  if (session) init.headers.Authorization = session.authorization();
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    // A browser says no more when CORS refuses than when nothing listens: name both causes.
    throw new ApiError(0, `${url.origin} cannot be reached (${e.message}): is it running, and does it allow this `
      + `page's origin ${location.origin} (aeon.console.origin)?`);
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : {}; } catch (e) { json = null; }
  if (!response.ok) {
    const message = (json && (json.message || json.error)) || text || response.statusText;
    throw new ApiError(response.status, message, json);
  }
  return json;
}

/** The Cloud Ops API, on the origin that served the console. */
export function cloud(path, options) {
  return call(location.origin, '/cloud' + path, options);
}

/** Temporal's HTTP API for WorkflowService on the data plane. */
export async function workflows(path, options) {
  return call((await loadConfig()).httpApiUrl, '/api/v1' + path, options);
}

/** The codec server. */
export async function codec(path, options) {
  return call((await loadConfig()).codecUrl, path, options);
}

/** Polls an async operation until it ends; onProgress sees every state. Throws with the reason when it failed. */
export async function awaitOperation(operation, onProgress, timeoutMs = 120000) {
  const deadline = Date.now() + timeoutMs;
  let current = operation;
  for (;;) {
    onProgress(current);
    if (current.state === 'STATE_FULFILLED') return current;
    if (current.state === 'STATE_FAILED' || current.state === 'STATE_REJECTED' || current.state === 'STATE_CANCELLED') {
      throw new ApiError(0, `operation ${current.operationType || ''} ${current.state}: ${current.failureReason || 'no reason given'}`);
    }
    if (Date.now() > deadline) throw new ApiError(0, `operation ${current.id} still ${current.state} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 700));
    current = (await cloud('/operations/' + encodeURIComponent(current.id))).asyncOperation;
  }
}
