// Talking to the RunThru API from our own pages: cookies, CSRF, one error shape.

export class ApiError extends Error {
  constructor(status, code, message, details = null, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

const FRIENDLY_STATUS = {
  413: "That file is too big for RunThru.",
  500: "Something went wrong inside RunThru. Please try again.",
  502: "RunThru isn't answering right now. Please try again in a moment.",
  503: "RunThru is busy or a voice engine isn't ready. Please try again in a moment.",
};

export async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const err = body && body.error ? body.error : {};
  const retryHeader = parseInt(response.headers.get("Retry-After") || "", 10);
  const retryAfter = Number.isFinite(retryHeader) ? retryHeader
    : (err.details && Number.isFinite(err.details.retry_after) ? err.details.retry_after : null);
  const message = err.message || FRIENDLY_STATUS[response.status] || "Something went wrong. Please try again.";
  return new ApiError(response.status, err.code || "error", message, err.details ?? null, retryAfter);
}

/** Send the teen back to sign in, then return here. */
export function goToSignIn(expired = true) {
  const next = location.pathname + location.search;
  const params = new URLSearchParams({ next });
  if (expired) params.set("expired", "1");
  location.assign(`/signin?${params}`);
}

/**
 * fetch() for /api/… Returns parsed JSON (or the raw Response with {raw: true}).
 * Throws ApiError; a 401 sends the teen to the sign-in page unless {signInOn401: false}.
 */
export async function api(path, { method = "GET", json, form, raw = false, signInOn401 = true, signal } = {}) {
  const headers = { Accept: raw ? "*/*" : "application/json" };
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form;
  }
  if (!["GET", "HEAD", "OPTIONS"].includes(method)) headers["X-CSRFToken"] = csrfToken();
  let response;
  try {
    response = await fetch(`/api/${path}`, { method, headers, body, credentials: "same-origin", signal });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, "network", "We couldn't reach RunThru. Check your internet connection and try again.");
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && signInOn401) {
      goToSignIn(true);
    }
    throw error;
  }
  if (raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

// --- page helpers -------------------------------------------------------------

const statusEl = () => document.getElementById("status");

/** Say something to screen readers (and nothing visible). */
export function announce(text) {
  const el = statusEl();
  if (!el) return;
  el.textContent = "";
  // A fresh text node so repeated messages are read again.
  setTimeout(() => { el.textContent = text; }, 30);
}

/** Show a problem at the top of the page, with an optional retry button or link. */
export function showNotice(message, { retry = null, link = null, kind = "error" } = {}) {
  const box = document.getElementById("notice");
  if (!box) return;
  box.hidden = false;
  box.className = `notice ${kind}`;
  document.getElementById("notice-text").textContent = message;
  const retryButton = document.getElementById("notice-retry");
  retryButton.hidden = !retry;
  retryButton.onclick = retry ? () => { hideNotice(); retry(); } : null;
  const anchor = document.getElementById("notice-link");
  anchor.hidden = !link;
  if (link) {
    anchor.href = link.href;
    anchor.textContent = link.text;
    anchor.className = "button";
  }
}

export function hideNotice() {
  const box = document.getElementById("notice");
  if (box) box.hidden = true;
}

/** Show an ApiError in the notice area; network/server errors get a retry button. */
export function showError(error, retry = null) {
  if (error && error.name === "AbortError") return;
  const canRetry = retry && (!error.status || error.status >= 500 || error.status === 429);
  showNotice(error.message || String(error), { retry: canRetry ? retry : null });
}

// The rehearse and practice pages both open a rehearsal by its id: one answer when it is gone.
export function showRehearsalError(error, retry) {
  if (error.status === 404) {
    showNotice("We couldn't find that rehearsal. It may have been deleted.",
      { link: { href: "/", text: "Back to my scripts" } });
  } else if (error.status !== 401) {
    showError(error, retry);
  }
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function timeAgo(iso) {
  if (!iso) return "never";
  const then = new Date(iso);
  const seconds = Math.round((Date.now() - then.getTime()) / 1000);
  if (seconds < 60) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} hour${hours === 1 ? "" : "s"} ago`;
  const days = Math.round(hours / 24);
  if (days < 14) return `${days} day${days === 1 ? "" : "s"} ago`;
  return then.toLocaleDateString();
}

export function formatDuration(totalSeconds) {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return `${s} second${s === 1 ? "" : "s"}`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? "" : "s"}`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return `${h} hour${h === 1 ? "" : "s"}${rest ? ` ${rest} min` : ""}`;
}

// Sign-out button in the header, on every page that has it.
const signOut = document.getElementById("sign-out");
if (signOut) {
  signOut.addEventListener("click", async () => {
    try {
      await api("auth/logout", { method: "POST", signInOn401: false });
    } catch {
      // Signed out already: fine.
    }
    location.assign("/signin");
  });
}
