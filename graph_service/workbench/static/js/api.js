// The API client of the workbench: the key from sessionStorage (gone when the tab closes), the
// purpose header for investigators' person-level reads, errors as the error body's message, and
// the progress bar of reads in flight.

const KEY = "credit-graph.key";
const PURPOSE = "credit-graph.purpose";

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  set key(value) { value ? sessionStorage.setItem(KEY, value) : sessionStorage.removeItem(KEY); },
  get purpose() { return sessionStorage.getItem(PURPOSE); },
  set purpose(value) { value ? sessionStorage.setItem(PURPOSE, value) : sessionStorage.removeItem(PURPOSE); },
  clear() { sessionStorage.removeItem(KEY); sessionStorage.removeItem(PURPOSE); },
};

// Hooks the page sets: how to ask for a purpose, what to do on 401.
export const hooks = {
  askPurpose: async () => null,
  unauthorized: () => {},
  progress: () => {},
};

const pending = new Map();  // id -> {label, started}
let nextId = 1;

function track(label) {
  const id = nextId++;
  pending.set(id, { label, started: performance.now() });
  hooks.progress(pending);
  return () => { pending.delete(id); hooks.progress(pending); };
}

export function pendingReads() { return pending; }

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

async function errorOf(resp) {
  let body = null;
  try { body = await resp.json(); } catch { /* not JSON */ }
  const e = body && body.error;
  if (e) return new ApiError(resp.status, e.code, e.message, e.field);
  return new ApiError(resp.status, "http_" + resp.status, `HTTP ${resp.status} ${resp.statusText}`, null);
}

// One request. `label` names it in the progress bar; `raw` returns the Response (CSV downloads).
export async function request(method, path, { params, body, label, raw, key } = {}) {
  const headers = { "X-API-Key": key || session.key || "" };
  if (session.purpose) headers["X-Purpose"] = encodeURIComponent(session.purpose);
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const done = track(label || path);
  let resp;
  try {
    resp = await fetch(path + query(params), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    done();
    throw new ApiError(0, "network", `the service did not answer (${err.message})`, null);
  }
  done();
  if (!resp.ok) {
    const err = await errorOf(resp);
    if (err.code === "purpose_required") {
      const purpose = await hooks.askPurpose();
      if (purpose) {
        session.purpose = purpose;
        return request(method, path, { params, body, label, raw, key });
      }
    }
    if (resp.status === 401 && !key) hooks.unauthorized(err);
    throw err;
  }
  if (raw) return resp;
  return resp.json();
}

export const get = (path, params, label) => request("GET", path, { params, label });
export const post = (path, body, label) => request("POST", path, { body, label });
