// The registration API: JSON over fetch with the Cognito ID token. Every failure
// becomes a ServiceError {status, code, message, errors: [{field, message}]}, the
// shape the API itself answers with, so forms render all errors the same way.
import { clearSession, idToken, isSigningOut, ServiceError } from "./auth.js";
import { loadConfig } from "./config.js";

export { ServiceError };

const STATUS_MESSAGES = {
  401: "Your session has ended. Please sign in again.",
  403: "Your account cannot do this.",
  404: "We could not find that.",
  413: "That is too large to send.",
  429: "Too many tries. Please wait and try again.",
};

function errorFrom(status, body) {
  if (status >= 500 || status === 0) {
    return new ServiceError(status, `http_${status}`, "Something went wrong on our side. Please try again in a moment.");
  }
  if (body && typeof body === "object" && typeof body.message === "string") {
    const errors = Array.isArray(body.errors) ? body.errors.filter((e) => e && e.message) : [];
    const message = status === 401 || (status === 403 && !body.code) ? STATUS_MESSAGES[status] : body.message;
    return new ServiceError(status, body.code || `http_${status}`, message, errors);
  }
  const message = STATUS_MESSAGES[status] || "Something went wrong on our side. Please try again in a moment.";
  return new ServiceError(status, `http_${status}`, message);
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
  const headers = { Accept: accept };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  else if (text !== undefined) headers["Content-Type"] = contentType;
  if (auth) {
    const token = idToken();
    if (!token) {
      goToSignIn();
      throw new ServiceError(401, "signed_out", STATUS_MESSAGES[401]);
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
    throw new ServiceError(0, "network", "We could not reach the server. Check your connection and try again.");
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
