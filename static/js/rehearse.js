import { announce, api, csrfToken, el, formatDuration, goToSignIn, hideNotice, showError, showRehearsalError } from "./api.js";
import { JobFollower } from "./job_follow.js";
import { firstLetters, offerGrade, shownAt } from "./ladder.js";
import { Listener } from "./listen.js";
import { micProblem, recordingName } from "./microphone.js";

const sessionId = location.pathname.split("/")[2];
const $ = (id) => document.getElementById(id);
const ui = {
  title: $("script-title"), roleLine: $("role-line"), record: $("practice-record"), loading: $("rehearse-loading"),
  body: $("rehearse-body"), castLink: $("cast-link"), missing: $("audio-missing"),
  missingText: $("audio-missing-text"), missingLink: $("audio-missing-link"), resumeNote: $("resume-note"),
  sceneSelect: $("scene-select"), view: $("script-view"), status: $("player-status"),
  back: $("back-button"), play: $("play-button"), cont: $("continue-button"), peek: $("peek-button"),
  skip: $("skip-button"), audio: $("line-audio"),
  gapMult: $("gap-mult"), gapOut: $("gap-mult-out"), readerDelay: $("reader-delay"), speed: $("speed"),
  speedOut: $("speed-out"), cueOnly: $("cue-only"), rangeFrom: $("range-from"), rangeTo: $("range-to"),
  listenMode: $("listen-mode"), keepRecordings: $("keep-recordings"), drill: $("drill"),
  listenState: $("listen-state"), listenStateText: $("listen-state-text"), sceneProgress: $("scene-progress"),
};

// --- state --------------------------------------------------------------------
let session = null;
let script = null;
let sceneIdx = 0;
let lineIdx = 0;
let playing = false;
let runId = 0; // bumps whenever playback is stopped or moved: stale loops give up
let waitingForMe = null; // resolve() of the wait at the teen's line
let fullRun = false; // played from the first line without jumping
let practiceSeconds = 0; // not yet sent
let practiceTotal = 0;
let practiceTimer = null;
let lastTick = 0;
const follower = new JobFollower({ onChange: () => generationChanged() });

const SETTINGS_KEY = "runthru-rehearse-settings";
const defaults = {
  advance: "tap", gapMult: 1, display: "ladder", readerDelay: 0, speed: 1, cueOnly: false, loop: "off",
  listen: false, drill: false,
};
let settings = { ...defaults, ...safeJson(localStorage.getItem(SETTINGS_KEY)) };

function safeJson(text) {
  try {
    return JSON.parse(text) || {};
  } catch {
    return {};
  }
}

const scene = () => script.parsed.scenes[sceneIdx];
const elements = () => scene().elements;
const characterName = (id) => (script.parsed.characters.find((c) => c.id === id) || {}).name || id || "";
const isMine = (e) => e && e.type === "dialogue"
  && (e.character === session.user_role || (e.characters || []).includes(session.user_role));
const isSpoken = (e) => e && e.type === "dialogue" && !isMine(e);

/** In cues-only mode, play only the spoken line right before each of mine. */
function isCue(index) {
  const list = elements();
  for (let i = index + 1; i < list.length; i++) {
    if (list[i].type !== "dialogue") continue;
    return isMine(list[i]);
  }
  return false;
}

// --- loading ------------------------------------------------------------------
async function load() {
  ui.loading.hidden = false;
  try {
    session = await api(`sessions/${encodeURIComponent(sessionId)}`);
    script = await api(`scripts/${encodeURIComponent(session.script_id)}`);
    hideNotice();
  } catch (error) {
    showRehearsalError(error, load);
    return;
  } finally {
    ui.loading.hidden = true;
  }
  document.title = `Rehearse ${script.title} · RunThru`;
  ui.title.textContent = script.title;
  ui.roleLine.textContent = `You are ${characterName(session.user_role)}.`;
  const castHref = `/scripts/${session.script_id}/cast`;
  ui.castLink.href = castHref;
  ui.missingLink.href = castHref;
  sceneIdx = clamp(session.current_scene_index, 0, script.parsed.scenes.length - 1);
  lineIdx = clamp(session.current_line_index, 0, Math.max(0, elements().length - 1));
  practiceTotal = session.practice_seconds || 0;
  ui.sceneSelect.replaceChildren(...script.parsed.scenes.map((s, i) => el("option", { value: i }, s.title || `Scene ${i + 1}`)));
  ui.sceneSelect.value = String(sceneIdx);
  applySettingsToControls();
  ui.keepRecordings.checked = Boolean(session.keep_recordings);
  follower.follow(session.job);
  await loadProgress(); // the rungs decide how each line looks
  showAudioState();
  renderScene();
  renderRecord();
  ui.body.hidden = false;
  if (sceneIdx > 0 || lineIdx > 0) showResume();
}

// Back where they left off: bring the line into view (it can only scroll once the page
// shows) and say where that is, so nobody wonders why the play starts mid-scene.
function showResume() {
  const scene = script.parsed.scenes[sceneIdx];
  const where = `Carrying on from ${(scene && scene.title) || `Scene ${sceneIdx + 1}`}, line ${lineIdx + 1}.`;
  ui.resumeNote.textContent = where;
  ui.resumeNote.hidden = false;
  announce(where);
  highlight(true);
}

function clamp(n, lo, hi) {
  return Math.min(Math.max(Number.isFinite(n) ? n : lo, lo), hi);
}

// The voices are still being made: rehearse anyway, never "press Generate".
let followed = false;
async function generationChanged() {
  if (follower.running) {
    followed = true;
  } else if (followed) {
    followed = false;
    try {
      session = { ...session, ...(await api(`sessions/${session.id}`)) };
    } catch {
      // The counts stay as they were: the rehearsal itself goes on.
    }
  }
  showAudioState();
}

function showAudioState() {
  const audio = session.audio || { ready: 0, total: 0 };
  const engine = session.tts_engine;
  if (follower.running) {
    ui.missingText.textContent = `The voices are being made: ${follower.done} of ${follower.total} lines ready. `
      + "Press Play: RunThru plays what's ready and waits a moment at any line still being made.";
    ui.missing.hidden = false;
  } else if (audio.total > 0 && audio.ready === 0) {
    ui.missingText.textContent = "The voices for this script haven't been made yet. Go to Role & voices and press Generate.";
    ui.missing.hidden = false;
  } else if (audio.ready < audio.total) {
    ui.missingText.textContent = `${audio.total - audio.ready} of ${audio.total} lines don't have a voice yet `
      + `(${engine}). They'll be skipped until you press Generate.`;
    ui.missing.hidden = false;
  } else {
    ui.missing.hidden = true;
  }
}

function renderRecord() {
  const runs = Object.values(session.scene_runs || {}).reduce((a, b) => a + b, 0);
  const thisScene = (session.scene_runs || {})[String(sceneIdx)] || 0;
  ui.record.textContent = `Practised ${formatDuration(practiceTotal + practiceSeconds)} · `
    + `${runs} full scene run${runs === 1 ? "" : "s"} (${thisScene} of this scene)`;
}

// --- drawing the scene ----------------------------------------------------------
// "ladder": each line as much as its rung on the ladder shows; the other settings force one look for all.
const LADDER_LOOKS = ["full", "words", "letters", "hidden"];
function displayOf(element) {
  if (settings.display !== "ladder") return settings.display;
  return LADDER_LOOKS[(progress.lines.get(element.id) || {}).rung || 0];
}

function lineText(element) {
  if (!isMine(element)) return element.text;
  const look = displayOf(element);
  if (look === "words") return shownAt(element.text, 1);
  if (look === "letters") return firstLetters(element.text);
  if (look === "hidden") return "";
  return element.text;
}

function renderScene() {
  const list = elements();
  ui.view.replaceChildren(...list.map((e, i) => {
    const item = el("li", {
      class: `line ${e.type}${isMine(e) ? " mine" : ""}`, id: `line-${i}`,
      dataset: { index: String(i), lineId: e.id },
    });
    const num = el("span", { class: "line-num", "aria-hidden": "true" }, String(i + 1));
    item.append(num);
    if (e.type === "direction") {
      item.append(el("p", { class: "stage" }, `(${e.text})`));
      item.setAttribute("aria-label", `Stage direction: ${e.text}`);
      return item;
    }
    const who = e.characters && e.characters.length > 1
      ? e.characters.map(characterName).join(" & ") : characterName(e.character);
    const header = el("p", { class: "speaker" }, who);
    if (e.characters && e.characters.length > 1) header.append(el("span", { class: "tag" }, "together"));
    if (e.offstage) header.append(el("span", { class: "tag" }, "offstage"));
    if (isMine(e)) header.append(el("span", { class: "tag you" }, "you"));
    item.append(header);
    if (e.direction) item.append(el("p", { class: "stage inline" }, `(${e.direction})`));
    const text = el("p", { class: "text" }, lineText(e));
    if (isMine(e) && displayOf(e) === "hidden") {
      text.classList.add("hidden-line");
      text.append(el("span", { class: "placeholder" }, "Your line — hold Peek to see it"));
    }
    item.append(text);
    // Outside .text, so Peek and every rung of the ladder leave the note showing.
    const note = (session.notes || {})[e.id];
    if (note) item.append(el("p", { class: "director-note", text: `Note from the director: ${note}` }));
    return item;
  }));
  ui.rangeFrom.max = ui.rangeTo.max = String(list.length);
  if (Number(ui.rangeTo.value) > list.length || Number(ui.rangeTo.value) < 1) ui.rangeTo.value = String(list.length);
  highlight();
}

function highlight(scroll = true) {
  for (const node of ui.view.querySelectorAll(".current")) {
    node.classList.remove("current");
    node.removeAttribute("aria-current");
  }
  const node = $(`line-${lineIdx}`);
  if (!node) return;
  node.classList.add("current");
  node.setAttribute("aria-current", "step");
  const e = elements()[lineIdx];
  ui.peek.hidden = !(isMine(e) && displayOf(e) !== "full");
  if (scroll) node.scrollIntoView({ block: "center", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
}

function setPeek(on) {
  const node = $(`line-${lineIdx}`);
  const e = elements()[lineIdx];
  if (!node || !isMine(e)) return;
  const text = node.querySelector(".text");
  if (on) {
    text.textContent = e.text;
    text.classList.remove("hidden-line");
  } else {
    const replacement = el("p", { class: "text" }, lineText(e));
    if (displayOf(e) === "hidden") {
      replacement.classList.add("hidden-line");
      replacement.append(el("span", { class: "placeholder" }, "Your line — hold Peek to see it"));
    }
    text.replaceWith(replacement);
  }
}

// --- saving the position ----------------------------------------------------------
let saving = false;
let savedKey = "";
async function savePosition() {
  if (saving) return;
  const key = `${sceneIdx}:${lineIdx}`;
  if (key === savedKey) return;
  saving = true;
  try {
    await api(`sessions/${session.id}`, {
      method: "PATCH", json: { current_scene_index: sceneIdx, current_line_index: lineIdx },
    });
    savedKey = key;
  } catch (error) {
    if (error.status !== 401) ui.status.textContent = "Couldn't save your place (no connection?). We'll keep trying.";
  } finally {
    saving = false;
  }
  if (`${sceneIdx}:${lineIdx}` !== savedKey) setTimeout(savePosition, 1000);
}

function moveTo(index, { save = true } = {}) {
  lineIdx = index;
  highlight();
  if (save) savePosition();
}

// --- practice record --------------------------------------------------------------
function tickPractice() {
  const now = performance.now();
  if (playing && lastTick) practiceSeconds += (now - lastTick) / 1000;
  lastTick = playing ? now : 0;
  if (practiceSeconds >= 30) flushPractice();
  renderRecord();
}

function flushPractice(keepalive = false) {
  return sendPractice(keepalive);
}

async function sendPractice(keepalive) {
  const add = Math.min(3600, Math.floor(practiceSeconds));
  if (add < 1) return;
  practiceSeconds -= add;
  practiceTotal += add;
  const body = JSON.stringify({ practice_seconds_add: add });
  if (keepalive) {
    fetch(`/api/sessions/${session.id}`, {
      method: "PATCH", keepalive: true, credentials: "same-origin", body,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    }).catch(() => {});
    return;
  }
  try {
    session = { ...session, ...(await api(`sessions/${session.id}`, { method: "PATCH", json: { practice_seconds_add: add } })) };
    practiceTotal = session.practice_seconds;
  } catch {
    practiceSeconds += add; // try again next time
    practiceTotal -= add;
  }
}

async function sceneCompleted(index) {
  try {
    session = { ...session, ...(await api(`sessions/${session.id}`, { method: "PATCH", json: { completed_scene_index: index } })) };
    practiceTotal = session.practice_seconds;
    renderRecord();
    announce("Great job! You finished the whole scene.");
  } catch {
    // The record is a nice-to-have: never interrupt the rehearsal for it.
  }
}

// --- playback -----------------------------------------------------------------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Wait ms, but give up early (false) if playback was stopped or moved. */
async function pause(ms, my) {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (my !== runId) return false;
    await sleep(Math.min(100, end - performance.now()));
  }
  return my === runId;
}

/** A short tag of the rehearsal's voices: the URL changes with them, so no browser can play a clip
 *  it kept from before a voice change (older releases told browsers to keep line audio for good). */
function voicesTag() {
  const text = `${session.tts_engine}|${JSON.stringify(session.voice_assignments || {})}`;
  let hash = 5381;
  for (let i = 0; i < text.length; i += 1) hash = ((hash * 33) ^ text.charCodeAt(i)) >>> 0;
  return hash.toString(36);
}

function audioUrl(element) {
  const url = `/api/audio/${encodeURIComponent(script.id)}/${encodeURIComponent(element.id)}`
    + `?session=${encodeURIComponent(session.id)}&voices=${voicesTag()}`;
  // A line a parent recorded plays their recording; its take in the URL means a new one is never heard stale.
  const take = (session.recorded_cues || {})[element.id];
  return take ? `${url}&take=${encodeURIComponent(take)}` : url;
}

async function clipExists(element) {
  try {
    const response = await fetch(audioUrl(element), { credentials: "same-origin", headers: { Range: "bytes=0-0" } });
    return response.ok;
  } catch {
    return false;
  }
}

/** Play one line's clip. Resolves "ended", "missing", "failed" or "stopped". */
function playClip(element, my) {
  return new Promise((resolve) => {
    const audio = ui.audio;
    let settled = false;
    let guard = null;
    const done = (result) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      clearTimeout(guard);
      audio.onended = audio.onerror = audio.onloadedmetadata = null;
      resolve(result);
    };
    // A safety net: some browsers never fire "ended" (or anything) for a stalled clip.
    const armGuard = () => {
      clearTimeout(guard);
      const seconds = Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration / audio.playbackRate : 15;
      guard = setTimeout(() => done("ended"), (seconds + 4) * 1000);
    };
    const watch = setInterval(() => {
      if (my !== runId) {
        audio.pause();
        done("stopped");
      }
    }, 100);
    audio.onended = () => done("ended");
    audio.onloadedmetadata = armGuard;
    audio.onerror = async () => {
      // Find out why: not generated, signed out, or something else.
      try {
        const response = await fetch(audioUrl(element), { credentials: "same-origin", headers: { Range: "bytes=0-0" } });
        if (response.status === 401) {
          goToSignIn(true);
          return done("stopped");
        }
        if (response.status === 404) return done("missing");
      } catch {
        return done("failed");
      }
      done("failed");
    };
    audio.src = audioUrl(element);
    audio.playbackRate = settings.speed;
    audio.preservesPitch = true;
    armGuard();
    audio.play().catch((error) => {
      if (error.name === "NotAllowedError") {
        ui.status.textContent = "Your browser blocked the sound. Press Play again.";
        stop();
        done("stopped");
      }
      // Other failures show up as an "error" event.
    });
  });
}

function waitForMe(element, my) {
  ui.cont.disabled = false;
  return new Promise((resolve) => {
    let timer = null;
    waitingForMe = () => {
      clearTimeout(timer);
      waitingForMe = null;
      ui.cont.disabled = true;
      resolve(true);
    };
    if (settings.advance === "auto") {
      const words = element.text.split(/\s+/).filter(Boolean).length;
      const seconds = Math.max(1.5, 0.45 * words + 0.8) * settings.gapMult;
      timer = setTimeout(() => waitingForMe && waitingForMe(), seconds * 1000);
    }
    const check = setInterval(() => {
      if (my !== runId) {
        clearInterval(check);
        clearTimeout(timer);
        waitingForMe = null;
        ui.cont.disabled = true;
        resolve(false);
      }
    }, 100);
  });
}

function loopBounds() {
  const count = elements().length;
  if (settings.loop !== "range") return [0, count - 1];
  let from = clamp(Number(ui.rangeFrom.value) - 1, 0, count - 1);
  let to = clamp(Number(ui.rangeTo.value) - 1, 0, count - 1);
  if (to < from) [from, to] = [to, from];
  return [from, to];
}

async function run(my) {
  let missing = 0;
  while (my === runId) {
    const list = elements();
    const [from, to] = loopBounds();
    if (settings.loop === "range" && (lineIdx > to || lineIdx < from)) {
      moveTo(from);
    }
    if (lineIdx >= list.length) {
      if (fullRun) await sceneCompleted(sceneIdx);
      if (settings.loop === "scene") {
        fullRun = true;
        moveTo(0);
        continue;
      }
      lineIdx = list.length - 1;
      ui.status.textContent = "End of the scene. Pick another scene or press Play to go again.";
      announce(ui.status.textContent);
      stop();
      return;
    }
    const e = list[lineIdx];
    if (settings.drill && !inDrill(lineIdx)) {
      lineIdx += 1;
      continue;
    }
    highlight();
    savePosition();
    if (isMine(e) && settings.listen && listener.open) {
      ui.status.textContent = "Your line! Say it now.";
      announce("Your line.");
      if (!(await listenForMe(e, my))) return;
      ui.status.textContent = "";
      if (settings.readerDelay > 0 && !(await pause(settings.readerDelay * 1000, my))) return;
    } else if (isMine(e)) {
      ui.status.textContent = settings.advance === "auto"
        ? "Your line! Say it now."
        : "Your line! Say it, then press Continue (or Space).";
      announce("Your line.");
      if (!(await waitForMe(e, my))) return;
      if (settings.advance === "tap") gradeAfterTap(e, lineIdx);
      ui.status.textContent = "";
      if (settings.readerDelay > 0 && !(await pause(settings.readerDelay * 1000, my))) return;
    } else if (isSpoken(e) && (!settings.cueOnly || isCue(lineIdx))) {
      ui.status.textContent = `${characterName(e.character)} is speaking…`;
      const result = await playClip(e, my);
      if (result === "stopped") return;
      let skipped = false;
      if (result === "missing" && follower.running) {
        ui.status.textContent = `Making this line's voice… (about ${follower.secondsPerLine()} s)`;
        announce(ui.status.textContent);
        const made = await follower.waitFor(e.id, () => my === runId, () => clipExists(e));
        if (made === "stopped") return;
        if (made === "ready") continue; // play it now
        if (made === "failed") {
          ui.status.textContent = "RunThru couldn't make this line's voice, so it's skipped.";
          if (!(await pause(900, my))) return;
          skipped = true;
        }
      }
      if (result === "missing" && !skipped) {
        missing += 1;
        ui.status.textContent = "This line has no voice yet, skipping it. Go to Role & voices and press Generate.";
        ui.missingText.textContent = "Some lines haven't been generated yet, so they're skipped. Press Generate to make them.";
        ui.missing.hidden = false;
        if (!(await pause(900, my))) return;
      } else if (result === "failed") {
        ui.status.textContent = "That line wouldn't play. Skipping it.";
        if (!(await pause(600, my))) return;
      }
      if (missing >= 3 && session.audio && session.audio.ready === 0) {
        stop();
        ui.status.textContent = "The voices haven't been made yet. Go to Role & voices and press Generate.";
        return;
      }
    } else if (e.type === "direction") {
      // Shown, never spoken: a short beat so the highlight is visible.
      if (!(await pause(250, my))) return;
    }
    if (my !== runId) return;
    if (settings.loop === "range" && lineIdx >= to) {
      moveTo(from);
    } else {
      lineIdx += 1;
    }
  }
}

async function start() {
  if (playing) return;
  hideNotice();
  playing = true;
  if (settings.listen && !listener.open) {
    ui.status.textContent = "Asking to use your microphone…";
    try {
      await listener.start();
    } catch (error) {
      playing = false;
      ui.status.textContent = micProblem(error, "press Play");
      announce(ui.status.textContent);
      return;
    }
    if (!playing) return;
  }
  if (lineIdx === elements().length - 1 && !isMine(elements()[lineIdx]) && ui.status.textContent.startsWith("End")) {
    lineIdx = 0;
  }
  fullRun = lineIdx === 0;
  ui.play.textContent = "Pause";
  ui.play.setAttribute("aria-pressed", "true");
  lastTick = performance.now();
  clearInterval(practiceTimer);
  practiceTimer = setInterval(tickPractice, 1000);
  run(++runId);
}

function stop() {
  tickPractice();
  playing = false;
  runId += 1;
  ui.audio.pause();
  ui.cont.disabled = true;
  ui.play.textContent = "▶ Play";
  ui.play.setAttribute("aria-pressed", "false");
  // what was true while playing ("Your line!") is not once paused; an end-of-scene message stays
  if (/^Your line|is speaking…$/.test(ui.status.textContent)) ui.status.textContent = "Paused. Press Play to carry on.";
  listener.stop(); // the browser's "recording" light goes off when we aren't rehearsing
  setListenState(null);
  clearInterval(practiceTimer);
  flushPractice();
}

function restartFrom(index) {
  const wasPlaying = playing;
  if (wasPlaying) {
    runId += 1;
    ui.audio.pause();
    ui.cont.disabled = true;
  }
  fullRun = false;
  moveTo(clamp(index, 0, elements().length - 1));
  if (wasPlaying) run(++runId);
}

// --- listen mode ------------------------------------------------------------------
const listener = new Listener();
const HINT_LETTERS_S = 5; // silent this long at their line: show the first letters
const HINT_WORDS_S = 10; // then say the first few words, softly
const HINT_WORDS = 4;
let progress = { scenes: [], lines: new Map() };

async function loadProgress() {
  try {
    const body = await api(`sessions/${session.id}/progress`);
    progress = { scenes: body.scenes, lines: new Map(body.lines.map((l) => [l.line_id, l])) };
  } catch {
    return; // progress is a nice-to-have: never interrupt the rehearsal for it
  }
  renderProgress();
}

function renderProgress() {
  const here = progress.scenes[sceneIdx];
  ui.sceneProgress.textContent = here && here.total
    ? `${here.learnt} of ${here.total} line${here.total === 1 ? "" : "s"} learnt in this scene` : "";
}

const learnt = (e) => Boolean((progress.lines.get(e.id) || {}).learnt);

// After a tap the teen grades the line themselves; the rung shows next time the scene is drawn.
function gradeAfterTap(e, index) {
  offerGrade($(`line-${index}`), session.id, e.id, (result) => {
    progress.lines.set(e.id, { ...(progress.lines.get(e.id) || { line_id: e.id }), rung: result.rung });
  });
}

/** In drill mode: my lines not yet learnt, and the cue right before each. */
function inDrill(index) {
  const list = elements();
  const e = list[index];
  if (isMine(e)) return !learnt(e);
  if (!isSpoken(e)) return false;
  for (let i = index + 1; i < list.length; i++) {
    if (list[i].type !== "dialogue") continue;
    return isMine(list[i]) && !learnt(list[i]);
  }
  return false;
}

function setListenState(state) {
  ui.listenState.hidden = state === null;
  ui.listenState.classList.toggle("hearing", state === "hearing");
  ui.listenStateText.textContent = state === "hearing" ? "Hearing you…" : "Listening…";
}

async function speakHint(element, my) {
  const words = element.text.split(/\s+/).slice(0, HINT_WORDS).join(" ");
  ui.status.textContent = `Hint: “${words}…”`;
  const voice = Object.values(session.voice_assignments || {})[0];
  if (!voice) return;
  try {
    const response = await api("tts/synthesize", {
      method: "POST", raw: true, json: { text: words, engine: session.tts_engine, voice_id: voice, flat: true },
    });
    if (my !== runId) return;
    const url = URL.createObjectURL(await response.blob());
    const hint = new Audio(url);
    hint.volume = 0.35;
    // Our own voice must not count as the teen starting their line.
    listener.paused = true;
    const done = () => {
      listener.paused = false;
      URL.revokeObjectURL(url);
    };
    hint.onended = hint.onerror = done;
    await hint.play().catch(done);
  } catch {
    listener.paused = false;
  }
}

async function listenForMe(element, my) {
  let skipped = false;
  ui.cont.disabled = false; // Continue (or Space) still moves on, e.g. in a noisy room
  waitingForMe = () => {
    skipped = true;
  };
  setListenState("listening");
  const blob = await listener.recordLine({
    isCurrent: () => my === runId && !skipped,
    onEvent: (kind, seconds) => {
      if (kind === "speaking") {
        setListenState("hearing");
      } else if (seconds === HINT_LETTERS_S) {
        ui.status.textContent = `Hint: ${firstLetters(element.text)}`;
        announce("Here's a hint.");
      } else if (seconds === HINT_WORDS_S) {
        speakHint(element, my);
      }
    },
  });
  waitingForMe = null;
  listener.paused = false;
  ui.cont.disabled = true;
  setListenState(null);
  if (my !== runId) return false;
  if (blob) sendAttempt(element, blob); // not awaited: the next cue plays while the server listens
  return true;
}

async function sendAttempt(element, blob) {
  const form = new FormData();
  form.append("line_id", element.id);
  form.append("audio", blob, recordingName(blob));
  try {
    const result = await api(`sessions/${session.id}/attempts`, { method: "POST", form });
    showAttempt(result);
    loadProgress();
  } catch (error) {
    if (error.status !== 401) ui.status.textContent = `We couldn't check that line: ${error.message}`;
  }
}

function showAttempt(result) {
  const item = ui.view.querySelector(`li[data-line-id="${CSS.escape(result.line_id)}"]`);
  if (!item) return;
  const percent = Math.round(result.score * 100);
  const missed = result.words.filter((w) => w.status === "missed" || w.status === "changed").length;
  const box = el("p", {
    class: `attempt ${result.score >= 0.9 ? "good" : "work"}`,
    "aria-label": missed ? `${percent}%. ${missed} word${missed === 1 ? "" : "s"} to work on.` : `${percent}%. Every word!`,
  }, el("span", { class: "score" }, `${percent}%`));
  for (const w of result.words) {
    const toWorkOn = w.status === "missed" || w.status === "changed";
    box.append(el(toWorkOn ? "mark" : "span", { class: `w ${w.status}`, title: w.status }, w.word), " ");
  }
  if (result.recording_url) {
    const hear = el("button", { type: "button" }, "▶ Hear myself");
    hear.addEventListener("click", () => new Audio(result.recording_url).play().catch(() => {}));
    box.append(hear);
  }
  item.querySelector(".attempt")?.remove();
  item.append(box);
}

// --- controls -----------------------------------------------------------------
ui.play.addEventListener("click", () => (playing ? stop() : start()));
ui.cont.addEventListener("click", () => {
  if (waitingForMe) waitingForMe();
});
ui.skip.addEventListener("click", () => restartFrom(lineIdx + 1));
ui.back.addEventListener("click", () => restartFrom(lineIdx - 1));
ui.view.addEventListener("dblclick", (event) => {
  const item = event.target.closest("li.line");
  if (item) restartFrom(Number(item.dataset.index));
});

for (const type of ["pointerdown", "keydown"]) {
  ui.peek.addEventListener(type, (event) => {
    if (type === "keydown" && event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    setPeek(true);
  });
}
for (const type of ["pointerup", "pointerleave", "pointercancel", "keyup", "blur"]) {
  ui.peek.addEventListener(type, () => setPeek(false));
}

document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  const target = event.target;
  if (target.closest("input, select, textarea, summary, a, dialog, #peek-button")) return;
  if (event.key === " " || event.code === "Space") {
    if (waitingForMe) {
      // Space always means "I've said my line", even with a button focused.
      event.preventDefault();
      waitingForMe();
      return;
    }
    if (target.closest("button")) return; // let the focused button do its job
    event.preventDefault();
    if (!playing) start();
  } else if (event.key === "ArrowRight") {
    restartFrom(lineIdx + 1);
  } else if (event.key === "ArrowLeft") {
    restartFrom(lineIdx - 1);
  }
});

ui.sceneSelect.addEventListener("change", () => {
  const wasPlaying = playing;
  if (playing) stop();
  sceneIdx = Number(ui.sceneSelect.value);
  lineIdx = 0;
  renderScene();
  renderRecord();
  renderProgress();
  savePosition();
  ui.status.textContent = wasPlaying ? "New scene. Press Play to start." : "Press Play to start.";
});

function applySettingsToControls() {
  for (const input of document.querySelectorAll('input[name="advance"]')) input.checked = input.value === settings.advance;
  for (const input of document.querySelectorAll('input[name="display"]')) input.checked = input.value === settings.display;
  for (const input of document.querySelectorAll('input[name="loop"]')) input.checked = input.value === settings.loop;
  ui.gapMult.value = settings.gapMult;
  ui.gapOut.textContent = `${settings.gapMult}×`;
  ui.readerDelay.value = String(settings.readerDelay);
  ui.speed.value = settings.speed;
  ui.speedOut.textContent = `${settings.speed}×`;
  ui.cueOnly.checked = settings.cueOnly;
  ui.listenMode.checked = settings.listen;
  ui.drill.checked = settings.drill;
}

function readSettings(event) {
  if (event && event.target === ui.keepRecordings) return;
  const checked = (name) => document.querySelector(`input[name="${name}"]:checked`).value;
  const display = checked("display");
  const redraw = display !== settings.display;
  settings = {
    advance: checked("advance"), display, loop: checked("loop"),
    gapMult: Number(ui.gapMult.value), readerDelay: Number(ui.readerDelay.value),
    speed: Number(ui.speed.value), cueOnly: ui.cueOnly.checked,
    listen: ui.listenMode.checked, drill: ui.drill.checked,
  };
  ui.gapOut.textContent = `${settings.gapMult}×`;
  ui.speedOut.textContent = `${settings.speed}×`;
  ui.audio.playbackRate = settings.speed;
  localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  if (redraw) {
    const keep = ui.view.scrollTop;
    renderScene();
    ui.view.scrollTop = keep;
  }
}
document.getElementById("settings").addEventListener("input", readSettings);
document.getElementById("settings").addEventListener("change", readSettings);

ui.keepRecordings.addEventListener("change", async () => {
  const keep = ui.keepRecordings.checked;
  try {
    session = { ...session, ...(await api(`sessions/${session.id}`, { method: "PATCH", json: { keep_recordings: keep } })) };
  } catch (error) {
    ui.keepRecordings.checked = !keep;
    if (error.status !== 401) showError(error);
  }
});

window.addEventListener("pagehide", () => {
  tickPractice();
  flushPractice(true);
});

load();
