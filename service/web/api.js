// triglot's documented HTTP API, called from this page's own origin. Paths are relative,
// so the page works behind a reverse proxy that serves it under a prefix.

import { t } from "./strings.js";

const KEY_STORAGE = "triglot.apiKey";

/** An answer other than 2xx: the server's own one-line message, and its status. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }

  get needsKey() {
    return this.status === 401 || this.status === 403;
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE) || "";
}

export function setApiKey(key) {
  if (key) {
    sessionStorage.setItem(KEY_STORAGE, key);
  } else {
    sessionStorage.removeItem(KEY_STORAGE);
  }
}

function headers(extra = {}) {
  const key = apiKey();
  return key ? { ...extra, "X-API-Key": key } : extra;
}

async function answer(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null; // not JSON: the status alone says what happened
  }
  if (!response.ok) {
    const message = body && typeof body.error === "string" ? body.error : `HTTP ${response.status}`;
    throw new ApiError(response.status, message);
  }
  return body;
}

async function send(path, options) {
  let response;
  try {
    response = await fetch(path, { credentials: "same-origin", ...options });
  } catch {
    throw new ApiError(0, t("errorNetwork"));
  }
  return answer(response);
}

export function get(path) {
  return send(path, { headers: headers() });
}

export function post(path, body) {
  return send(path, {
    method: "POST",
    headers: headers({ "Content-Type": "application/json" }),
    body: JSON.stringify(body),
  });
}

/** A multipart POST (files), with the key in the api_key field too, as LibreTranslate's clients send it. */
export function postForm(path, fields) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    form.append(name, value);
  }
  const key = apiKey();
  if (key) {
    form.append("api_key", key);
  }
  return send(path, { method: "POST", headers: headers(), body: form });
}
