// The registration API: JSON over fetch with the Cognito ID token. Every failure
// becomes a ServiceError {status, code, message, errors: [{field, message}]}, the
// shape the API itself answers with, so forms render all errors the same way.
import { clearSession, idToken, isSigningOut, ServiceError } from "./auth.js";
import { loadConfig } from "./config.js";
import { language, loadCatalogs, t } from "./i18n.js";

export { ServiceError };

await loadCatalogs(); // the words below are the common catalog's

const STATUS_KEYS = {
  401: "common.error_401",
  403: "common.error_403",
  404: "common.error_404",
  413: "common.error_413",
  429: "common.error_429",
};

function statusMessage(status) {
  return t(STATUS_KEYS[status] || "common.error_server");
}

// The API words its own messages (in the language of Accept-Language); the page
// words only what the API could not say: a lost connection, a server failure.
function errorFrom(status, body) {
  if (status >= 500 || status === 0) {
    return new ServiceError(status, `http_${status}`, t("common.error_server"));
  }
  if (body && typeof body === "object" && typeof body.message === "string") {
    const errors = Array.isArray(body.errors) ? body.errors.filter((e) => e && e.message) : [];
    const message = status === 401 || (status === 403 && !body.code) ? statusMessage(status) : body.message;
    return new ServiceError(status, body.code || `http_${status}`, message, errors);
  }
  return new ServiceError(status, `http_${status}`, statusMessage(status));
}

/** Send the user to sign in, coming back here afterwards. */
export function goToSignIn() {
  if (isSigningOut()) return;
  const next = location.pathname + location.search;
  location.assign(`/signin/?next=${encodeURIComponent(next)}`);
}

// `text` (with `contentType`) sends a body as is, e.g. a CSV file; `body` is sent as JSON.
async function send(path, { method = "GET", body, text, contentType = "text/plain", auth = true,
  accept = "application/json" } = {}) {
  const { apiUrl } = await loadConfig();
  // The API answers in this language and saves it as the student's (Accept-Language is
  // a CORS-safelisted header: no preflight).
  const headers = { Accept: accept, "Accept-Language": language() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  else if (text !== undefined) headers["Content-Type"] = contentType;
  if (auth) {
    const token = idToken();
    if (!token) {
      goToSignIn();
      throw new ServiceError(401, "signed_out", statusMessage(401));
    }
    headers.Authorization = `Bearer ${token}`;
  }
  let response;
  try {
    response = await fetch(`${apiUrl}${path}`, {
      method,
      headers,
      body: body !== undefined ? JSON.stringify(body) : text,
    });
  } catch {
    throw new ServiceError(0, "network", t("common.error_network"));
  }
  if (response.status === 401 && auth) {
    clearSession();
    goToSignIn();
  }
  return response;
}

/** Call the API; resolves to the parsed JSON body, rejects with a ServiceError. */
export async function api(path, options = {}) {
  const response = await send(path, options);
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  if (!response.ok) throw errorFrom(response.status, data);
  return data;
}

/** A non-JSON download (e.g. CSV) with the Authorization header: {blob, filename}. */
export async function download(path, accept = "text/csv") {
  const response = await send(path, { accept });
  if (!response.ok) {
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    throw errorFrom(response.status, data);
  }
  const disposition = response.headers.get("Content-Disposition") || "";
  const match = /filename="?([^";]+)"?/i.exec(disposition);
  return { blob: await response.blob(), filename: match ? match[1] : "download" };
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
