// A rehearsal room: every phone follows one line kept by the server; each actor ends their own
// lines (Done or Space), RunThru reads the parts nobody plays and moves on by itself.
import { announce, csrfToken, el, errorFrom, goToSignIn, hideNotice, showError, showNotice } from "./api.js";

const $ = (id) => document.getElementById(id);
const storageKey = (code) => `runthru-room:${code.toUpperCase()}`;
const RECONNECT_MAX_MS = 10_000;
const POLL_MS = 2_000; // while the socket is down, the state is read over HTTP

let code = decodeURIComponent(location.pathname.split("/").pop() || "").toUpperCase();
let me = null; // {token, member_id, host}
let script = null;
let spoken = []; // every spoken line in play order (the room stops only at these)
let state = null;
let socket = null;
let reconnects = 0;
let poller = null;
let played = null;
let ended = false;
let noteLine = null; // the line the host's note box was last filled for

async function call(path, { method = "GET", json } = {}) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${me.token}` };
  if (json !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(`/api/rooms/${code}${path}`, {
      method, headers, body: json === undefined ? undefined : JSON.stringify(json), credentials: "omit",
    });
  } catch {
    throw Object.assign(new Error("We couldn't reach RunThru. Check the Wi-Fi and try again."), { status: 0 });
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return null;
  return path.startsWith("/audio/") ? response.blob() : response.json();
}

function remember(body) {
  me = body;
  localStorage.setItem(storageKey(code), JSON.stringify(body));
}

async function openFromRehearsal() {
  const session = new URLSearchParams(location.search).get("session");
  const response = await fetch("/api/rooms", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify({ session }),
  });
  if (response.status === 401) return goToSignIn(true);
  if (!response.ok) throw await errorFrom(response);
  const body = await response.json();
  code = body.code;
  remember({ token: body.host_token, member_id: body.member_id, host: true });
  history.replaceState(null, "", `/rooms/${code}`);
  return true;
}

function showJoin() {
  $("room-status").textContent = "Type your first name to join. No PIN needed: the link is your invitation.";
  $("room-join").hidden = false;
  $("room-join").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const response = await fetch(`/api/rooms/${code}/members`, {
        method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ name: $("room-name").value }), credentials: "omit",
      });
      if (!response.ok) throw await errorFrom(response);
      const body = await response.json();
      remember({ token: body.token, member_id: body.member_id, host: false });
      $("room-join").hidden = true;
      await enter();
    } catch (error) {
      showError(error);
    }
  }, { once: false });
}

function roomGone(message) {
  ended = true;
  clearInterval(poller);
  if (socket) socket.close();
  $("room-body").hidden = true;
  $("room-invite").hidden = true;
  $("room-status").textContent = message;
  announce(message);
}

async function enter() {
  try {
    script = await call("/script");
  } catch (error) {
    if (error.status === 401) {
      localStorage.removeItem(storageKey(code));
      return showJoin();
    }
    if (error.status === 404) return roomGone("This room has closed. Ask the host for a new code.");
    return showError(error, enter);
  }
  spoken = script.scenes.flatMap((scene) => scene.elements.filter((e) => e.type === "dialogue"));
  $("room-title").textContent = `${script.title}: together`;
  $("room-scene").replaceChildren(...script.scenes.map((s) => el("option", { value: s.id, text: s.title || `Scene ${s.index + 1}` })));
  if (me.host) {
    $("room-host").hidden = false;
    try {
      const invite = await call("/invite");
      $("room-invite").hidden = false;
      $("room-code").textContent = invite.code;
      $("room-link").textContent = invite.join_url;
      $("room-link").href = invite.join_url;
      $("room-qr").src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(invite.qr_svg)}`;
    } catch (error) {
      showError(error);
    }
  }
  $("room-body").hidden = false;
  connect();
}

function connect() {
  if (ended) return;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}/ws/rooms/${code}/?token=${encodeURIComponent(me.token)}`);
  socket.onopen = () => {
    reconnects = 0;
    clearInterval(poller);
    poller = null;
    hideNotice();
  };
  socket.onmessage = (event) => render(JSON.parse(event.data));
  socket.onclose = (event) => {
    if (ended) return;
    if (event.code === 4410) return roomGone("The host closed the room. Thanks for rehearsing!");
    if (!poller) poller = setInterval(refresh, POLL_MS);
    reconnects += 1;
    setTimeout(connect, Math.min(RECONNECT_MAX_MS, 500 * 2 ** Math.min(reconnects, 5)));
  };
}

async function refresh() {
  try {
    render(await call(""));
  } catch (error) {
    if (error.status === 404) roomGone("This room has closed. Ask the host for a new code.");
  }
}

function mine() {
  const self = state && state.members.find((m) => m.member_id === me.member_id);
  return new Set(self ? self.characters : []);
}

function characterName(id) {
  const found = script.characters.find((c) => c.id === id);
  return found ? found.name : id;
}

function render(next) {
  if (!next || (state && next.version < state.version)) return;
  if (next.closed) return roomGone("The host closed the room. Thanks for rehearsing!");
  state = next;
  const myCharacters = mine();
  const lineId = state.position.line_id;
  const current = spoken.find((e) => e.id === lineId);
  const speaker = state.members.find((m) => m.member_id === state.speaking.member_id);
  const myLine = current && current.characters.some((c) => myCharacters.has(c));
  $("room-status").textContent = state.finished ? "The end! The host can jump back to any scene."
    : state.paused ? "Paused. The host starts the run."
    : myLine ? "Your line!"
    : `${characterName(state.speaking.character)} (${speaker ? speaker.name : "RunThru reads it"})`;
  renderCast(myCharacters);
  renderScript(myCharacters, current);
  $("room-done").disabled = !myLine || state.paused;
  $("room-start").textContent = state.paused ? "Start" : "Pause";
  $("room-playback").value = state.playback;
  $("room-scene").value = state.position.scene_id || "";
  const note = current && myLine ? state.note : null;
  $("room-my-note").hidden = !note;
  $("room-my-note").textContent = note ? `Note from the director: ${note}` : "";
  // Refill the host's note box only when the line moves: a state that arrives for the same line
  // (someone joins, a phone drops) must not wipe a note they are typing.
  if (me.host && noteLine !== state.position.line_id) {
    noteLine = state.position.line_id;
    $("room-note").value = state.note || "";
  }
  playFreePart(current);
}

function renderCast(myCharacters) {
  $("room-cast").replaceChildren(...script.characters.map((c) => {
    const holder = state.members.find((m) => m.characters.includes(c.id));
    const who = holder ? `${holder.name}${holder.connected ? "" : " (away)"}` : "RunThru";
    const button = myCharacters.has(c.id)
      ? el("button", { type: "button", class: "small", text: "Let RunThru read it", onclick: () => act("/release", { character: c.id }) })
      : el("button", { type: "button", class: "small", text: "I'll play this", disabled: holder && holder.connected ? true : null,
          onclick: () => act("/claim", { character: c.id }) });
    return el("li", { class: "cast-item", dataset: { character: c.id } }, el("strong", { text: c.name }), ` ${who} `, button);
  }));
}

function renderScript(myCharacters, current) {
  const scene = script.scenes.find((s) => s.index === state.position.scene_index) || script.scenes[0];
  $("room-script").replaceChildren(...scene.elements.map((e) => {
    const isMine = e.characters.some((c) => myCharacters.has(c));
    const classes = ["line", e.type === "dialogue" ? "" : "direction", isMine ? "mine" : "",
      current && e.id === current.id ? "current" : ""].filter(Boolean).join(" ");
    const item = el("li", { class: classes, dataset: { lineId: e.id } });
    if (e.type === "dialogue") item.append(el("div", { class: "speaker", text: e.characters.map(characterName).join(" & ") }));
    item.append(el("p", { class: e.type === "dialogue" ? "" : "stage", text: e.text }));
    if (isMine && e.note) item.append(el("p", { class: "small note", text: `Note: ${e.note}` }));
    return item;
  }));
  const here = $("room-script").querySelector(".current");
  if (here) here.scrollIntoView({ block: "center", behavior: "smooth" });
}

async function playFreePart(current) {
  const audio = $("room-audio");
  if (!current || state.paused || state.speaking.member_id !== null) {
    if (!audio.paused && played !== current?.id) audio.pause();
    return;
  }
  if (played === current.id || !(me.host || state.playback === "everyone")) return;
  played = current.id;
  try {
    const blob = await call(`/audio/${current.id}`);
    if (state.position.line_id !== current.id) return;
    if (audio.src) URL.revokeObjectURL(audio.src);
    audio.src = URL.createObjectURL(blob);
    await audio.play();
  } catch {
    // not generated yet, or the browser would not play: the room still moves on by itself
  }
}

async function act(path, json) {
  try {
    render(await call(path, { method: "POST", json }));
  } catch (error) {
    if (error.status === 409 && path === "/done") return; // someone else ended it first
    showError(error);
  }
}

function done() {
  if (state && !$("room-done").disabled) act("/done", { line_id: state.position.line_id });
}

function step(delta) {
  const index = spoken.findIndex((e) => e.id === state.position.line_id);
  const target = spoken[Math.max(0, Math.min(spoken.length - 1, (index < 0 ? spoken.length : index) + delta))];
  if (target) act("/goto", { line_id: target.id });
}

$("room-done").addEventListener("click", done);
document.addEventListener("keydown", (event) => {
  if (event.code !== "Space" || ["INPUT", "SELECT", "TEXTAREA", "BUTTON"].includes(event.target.tagName)) return;
  event.preventDefault();
  done();
});
$("room-start").addEventListener("click", () => act("/pause", { paused: !state.paused }));
$("room-back").addEventListener("click", () => step(-1));
$("room-skip").addEventListener("click", () => state.position.line_id && act("/done", { line_id: state.position.line_id }));
$("room-scene").addEventListener("change", (event) => act("/goto", { scene_id: event.target.value }));
$("room-playback").addEventListener("change", async (event) => {
  try {
    render(await call("", { method: "PATCH", json: { playback: event.target.value } }));
  } catch (error) {
    showError(error);
  }
});
$("room-note-save").addEventListener("click", () => act("/notes", { line_id: state.position.line_id, text: $("room-note").value }));
$("room-close").addEventListener("click", async () => {
  if (!confirm("Close the room for everyone?")) return;
  try {
    await call("", { method: "DELETE" });
    roomGone("You closed the room.");
  } catch (error) {
    showError(error);
  }
});

(async function start() {
  try {
    if (code === "NEW" && !(await openFromRehearsal())) return;
  } catch (error) {
    $("room-status").textContent = "";
    return showNotice(error.message);
  }
  const saved = localStorage.getItem(storageKey(code));
  me = saved ? JSON.parse(saved) : null;
  if (!me) return showJoin();
  await enter();
})();
