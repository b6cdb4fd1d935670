import { api } from "./api.js";

const form = document.getElementById("signin-form");
const pin = document.getElementById("pin");
const message = document.getElementById("signin-message");
const button = document.getElementById("signin-button");
const params = new URLSearchParams(location.search);

function safeNext(next, origin) {
  // Only our own pages, never another site. Resolve it the way the browser will:
  // "/\\evil.example" and "/\t/evil.example" look like paths but lead away.
  try {
    const url = new URL(next || "/", origin);
    if (url.origin === origin && !url.pathname.startsWith("/signin")) return url.pathname + url.search + url.hash;
  } catch {
    // not a URL at all
  }
  return "/";
}

if (params.get("expired")) {
  message.textContent = "Please sign in with your PIN to carry on.";
}
pin.focus();

let lockTimer = null;

function lockFor(seconds) {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  button.disabled = true;
  message.textContent = `Too many wrong PINs. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`;
  message.className = "form-message error";
  clearTimeout(lockTimer);
  lockTimer = setTimeout(() => {
    button.disabled = false;
    message.textContent = "You can try again now.";
    message.className = "form-message";
  }, seconds * 1000);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const value = pin.value.trim();
  if (!/^[0-9]{4,8}$/.test(value)) {
    message.textContent = "The PIN is 4 to 8 numbers.";
    message.className = "form-message error";
    pin.focus();
    return;
  }
  button.disabled = true;
  message.className = "form-message";
  message.textContent = "Checking…";
  try {
    await api("auth/verify", { method: "POST", json: { pin: value }, signInOn401: false });
    message.textContent = "You're in!";
    location.assign(safeNext(params.get("next"), location.origin));
  } catch (error) {
    if (error.status === 429) {
      lockFor(error.retryAfter || 60);
      return;
    }
    button.disabled = false;
    message.className = "form-message error";
    message.textContent = error.message;
    pin.select();
  }
});
