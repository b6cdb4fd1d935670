import { announce, api, csrfToken, el, errorFrom, goToSignIn, hideNotice, showError, showNotice } from "./api.js";
import { CueRecorders } from "./cue_recorder.js";
import { readEventStream } from "./sse.js";

const scriptId = location.pathname.split("/")[2];
const $ = (id) => document.getElementById(id);

const ui = {
  title: $("script-title"), loading: $("cast-loading"),
  roleSection: $("role-section"), roleList: $("role-list"), teenName: $("teen-name"),
  mergeFrom: $("merge-from"), mergeInto: $("merge-into"), mergeButton: $("merge-button"), mergeList: $("merge-list"),
  voiceSection: $("voice-section"), engineSelect: $("engine-select"), engineNotes: $("engine-notes"),
  voiceRows: $("voice-rows"), voiceShares: $("voice-shares"), previewAudio: $("preview-audio"),
  generateSection: $("generate-section"), generateButton: $("generate-button"), cancelButton: $("cancel-button"),
  rehearseLink: $("rehearse-link"), rehearseNote: $("rehearse-early-note"), progressBox: $("progress-box"), progress: $("progress"),
  progressText: $("progress-text"), progressEta: $("progress-eta"), failures: $("failures"),
  failureList: $("failure-list"),
};

let script = null;
let session = null;
let engines = [];
let voices = [];
let jobId = null;
let streaming = null; // AbortController of the running stream
const cues = new CueRecorders({ section: $("cues-section"), list: $("cue-characters"), note: $("cues-parents-note"),
  mic: $("cues-mic") });

const characterName = (id) => (script.parsed.characters.find((c) => c.id === id) || {}).name || id;

async function load() {
  ui.loading.hidden = false;
  try {
    const [s, sessions, health] = await Promise.all([
      api(`scripts/${encodeURIComponent(scriptId)}`),
      api(`sessions?script=${encodeURIComponent(scriptId)}`),
      api("health"),
    ]);
    script = s;
    session = sessions[0] || null; // newest first
    engines = health.engines || [];
    hideNotice();
  } catch (error) {
    if (error.status === 404) {
      showNotice("We couldn't find that script. It may have been deleted.", { link: { href: "/", text: "Back to my scripts" } });
    } else if (error.status !== 401) {
      showError(error, load);
    }
    return;
  } finally {
    ui.loading.hidden = true;
  }
  document.title = `${script.title} · RunThru`;
  ui.title.textContent = script.title;
  renderRoles();
  renderMerges();
  if (session) await showSession();
}

// --- one person, two names ------------------------------------------------------

function renderMerges() {
  const names = script.parsed.characters.map((c) => c.name).sort();
  const options = () => names.map((n) => el("option", { value: n }, n));
  ui.mergeFrom.replaceChildren(...options());
  ui.mergeInto.replaceChildren(...options());
  if (names.length > 1) ui.mergeInto.value = names[1];
  const joined = script.parsed.characters.flatMap((c) => (c.aliases || []).map((alias) => [alias, c.name]));
  ui.mergeList.replaceChildren(...joined.map(([alias, name]) => {
    const undo = el("button", { type: "button", class: "small-button" }, "Undo");
    undo.addEventListener("click", () => saveAliases(separated(alias), `${alias} and ${name} are two people again.`));
    return el("li", {}, `${alias} is read as ${name}. `, undo);
  }));
}

function separated(alias) {
  const aliases = { ...(script.aliases || {}) };
  // A name pointing at itself keeps it apart, also from RunThru's own automatic joins.
  if (aliases[alias] && aliases[alias] !== alias) delete aliases[alias];
  else aliases[alias] = alias;
  return aliases;
}

async function saveAliases(aliases, message) {
  try {
    script = await api(`scripts/${encodeURIComponent(scriptId)}`, { method: "PATCH", json: { aliases } });
    renderRoles();
    renderMerges();
    announce(message);
    if (session) {
      session = await api(`sessions/${session.id}`);
      await showSession();
    }
  } catch (error) {
    showError(error);
  }
}

ui.mergeButton.addEventListener("click", () => {
  const from = ui.mergeFrom.value;
  const into = ui.mergeInto.value;
  if (!from || !into || from === into) {
    showNotice("Pick two different names to join.", { kind: "warn" });
    return;
  }
  const aliases = { ...(script.aliases || {}), [from]: into };
  saveAliases(aliases, `${from} and ${into} are now one person, ${into}.`);
});

function renderRoles() {
  const characters = [...script.parsed.characters].sort((a, b) => b.line_count - a.line_count);
  ui.roleList.replaceChildren(...characters.map((c) => {
    const input = el("input", {
      type: "radio", name: "role", value: c.id, id: `role-${c.id}`,
      checked: session && session.user_role === c.id,
    });
    input.addEventListener("change", () => pickRole(c.id));
    return el("label", { class: "role-option", for: `role-${c.id}` }, input,
      el("span", { class: "role-name" }, c.name),
      el("span", { class: "muted small" }, `${c.line_count} line${c.line_count === 1 ? "" : "s"}`));
  }));
  ui.teenName.value = session ? session.name : "";
  ui.roleSection.hidden = false;
}

ui.teenName.addEventListener("change", async () => {
  if (!session) return; // sent with the role, when the rehearsal starts
  try {
    session = await api(`sessions/${session.id}`, { method: "PATCH", json: { name: ui.teenName.value.trim() } });
    announce("Saved your name.");
  } catch (error) {
    showError(error);
  }
});

async function pickRole(role) {
  stopStream();
  try {
    if (session) {
      session = await api(`sessions/${session.id}`, { method: "PATCH", json: { user_role: role } });
    } else {
      session = await api("sessions", { method: "POST", json: {
        script_id: Number(scriptId), user_role: role, name: ui.teenName.value.trim(),
      } });
    }
    announce(`You're playing ${characterName(role)}.`);
    await showSession();
  } catch (error) {
    showError(error, () => pickRole(role));
  }
}

async function showSession() {
  renderEngines();
  await renderVoices();
  renderShares();
  ui.voiceSection.hidden = false;
  ui.generateSection.hidden = false;
  cues.show(script, session);
  ui.rehearseLink.href = `/rehearse/${session.id}`;
  resetProgress();
  const ready = session.audio && session.audio.total > 0 && session.audio.ready >= session.audio.total;
  if (ready) {
    showProgress(session.audio.total, session.audio.total);
    ui.progressText.textContent = "All the voices are ready.";
    ui.rehearseLink.hidden = false;
    ui.generateButton.textContent = "Generate again";
  } else {
    ui.generateButton.textContent = "Generate";
    ui.rehearseLink.hidden = true;
    // Voices being made already (here, in another tab, or on another device)? Follow them.
    const job = session.job;
    if (job && (job.state === "queued" || job.state === "running")) {
      showProgress(job.done, job.total);
      if (job.done > job.failed) offerRehearsal();
      generate("0"); // from the first event, keeping the progress shown so far
    }
  }
}

function renderEngines() {
  // The engines that can speak first; the others last, greyed, each with one short reason.
  const listed = [...engines.filter((e) => e.available), ...engines.filter((e) => !e.available)];
  ui.engineSelect.replaceChildren(...listed.map((e) => el("option", {
    value: e.name, selected: e.name === session.tts_engine, disabled: !e.available,
  }, e.available ? e.label : `${e.label} (not available)`)));
  const notes = listed.filter((e) => !e.available).map((e) => el("li", {}, `${e.label}: ${e.reason || "not available on this computer."}`));
  ui.engineNotes.replaceChildren(...notes);
  const current = engines.find((e) => e.name === session.tts_engine);
  if (current && !current.available) {
    showNotice(`The ${current.label} voice engine isn't available right now: ${current.reason} Pick another engine below.`,
      { kind: "warn" });
    ui.generateButton.disabled = true;
  } else {
    ui.generateButton.disabled = false;
  }
}

ui.engineSelect.addEventListener("change", async () => {
  const engine = ui.engineSelect.value;
  stopStream();
  try {
    session = await api(`sessions/${session.id}`, { method: "PATCH", json: { tts_engine: engine } });
    hideNotice();
    announce("Voice engine changed. Voices were reset to the defaults.");
    await showSession();
  } catch (error) {
    showError(error);
    ui.engineSelect.value = session.tts_engine;
  }
});

async function renderVoices() {
  try {
    // A cast can mix engines: every voice of every engine that can speak here, the session's engine first.
    const usable = new Set(engines.filter((e) => e.available).map((e) => e.name));
    voices = (await api("tts/voices")).filter((v) => usable.has(v.engine));
  } catch (error) {
    showError(error, renderVoices);
    voices = [];
  }
  const others = [...script.parsed.characters]
    .sort((a, b) => b.line_count - a.line_count)
    .filter((c) => c.id !== session.user_role);
  ui.voiceRows.replaceChildren(...others.map((c) => {
    const selectId = `voice-${c.id}`;
    const select = el("select", { id: selectId, "aria-label": `Voice for ${c.name}` }, ...voiceGroups(c.id));
    select.addEventListener("change", () => changeVoice(c.id, select.value, select));
    const preview = el("button", { type: "button", class: "small-button", "aria-label": `Hear ${c.name}'s voice` },
      "▶", el("span", { class: "btn-label" }, " Hear"));
    preview.addEventListener("click", () => playPreview(select.value, preview));
    // why the default voice fits, so a parent sees a wrong guess at a glance
    const clue = (script.voice_clues || {})[c.id];
    const name = el("label", { for: selectId }, c.name);
    const head = clue ? el("th", { scope: "row" }, name, el("span", { class: "voice-clue" }, clue.reason))
      : el("th", { scope: "row" }, name);
    return el("tr", {}, head, el("td", {}, select), el("td", {}, preview));
  }));
}

// A scene with more speakers than voices: say who sounds alike, so it's no surprise.
function renderShares() {
  const shares = session.shared_voices || [];
  const joined = (names) => (names.length < 3 ? names.join(" and ")
    : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`);
  ui.voiceShares.replaceChildren(...shares.map((s) => el("li", {},
    `${joined(s.characters)} have the same voice in ${joined(s.scenes)}: ${s.voice_name}.`)));
  ui.voiceShares.hidden = shares.length === 0;
}

function voiceGroups(characterId) {
  const order = [session.tts_engine, ...engines.map((e) => e.name).filter((n) => n !== session.tts_engine)];
  return order.filter((name) => voices.some((v) => v.engine === name)).map((name) => {
    const engine = engines.find((e) => e.name === name);
    return el("optgroup", { label: engine ? engine.label : name },
      ...voices.filter((v) => v.engine === name).map((v) => el("option", {
        value: v.id, selected: session.voice_assignments[characterId] === v.id }, v.name)));
  });
}

async function changeVoice(character, voiceId, select) {
  stopStream();
  try {
    session = await api(`sessions/${session.id}`, {
      method: "PATCH", json: { voice_assignments: { [character]: voiceId } },
    });
    renderShares();
    resetProgress();
    const { ready, total } = session.audio;
    const missing = total - ready;
    ui.progressBox.hidden = false;
    ui.progress.max = Math.max(total, 1);
    ui.progress.value = ready;
    ui.progressText.textContent = missing > 0
      ? `${characterName(character)} has a new voice: ${missing} line${missing === 1 ? "" : "s"} need making again.`
      : `${characterName(character)} has a new voice, and all the voices are ready.`;
    ui.rehearseLink.hidden = missing > 0;
    ui.generateButton.textContent = missing > 0 ? `Make ${missing === 1 ? "it" : "them"}` : "Generate again";
    announce(ui.progressText.textContent);
  } catch (error) {
    showError(error);
    select.value = session.voice_assignments[character];
  }
}

async function playPreview(voiceId, button) {
  const voice = voices.find((v) => v.id === voiceId);
  if (!voice) return;
  button.disabled = true;
  button.classList.add("busy");
  try {
    // Check first so a broken engine gives a clear message instead of silence.
    const response = await api(voice.preview_url.replace(/^\/api\//, ""), { raw: true });
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    ui.previewAudio.src = url;
    ui.previewAudio.onended = () => URL.revokeObjectURL(url);
    await ui.previewAudio.play().catch(() => {});
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
    button.classList.remove("busy");
  }
}

// --- generation ---------------------------------------------------------------

function resetProgress() {
  ui.progressBox.hidden = true;
  ui.progress.value = 0;
  ui.progressText.textContent = "";
  ui.progressEta.textContent = "";
  ui.rehearseNote.hidden = true;
  ui.failures.hidden = true;
  ui.failureList.replaceChildren();
}

function showProgress(done, total) {
  ui.progressBox.hidden = false;
  ui.progress.max = Math.max(total, 1);
  ui.progress.value = done;
  const pct = total ? Math.round((100 * done) / total) : 0;
  ui.progress.setAttribute("aria-valuetext", `${pct}%`);
  ui.progressText.textContent = `${done} of ${total} lines ready (${pct}%)`;
}

function stopStream() {
  if (streaming) streaming.abort();
  streaming = null;
}

async function generate(lastEventId = null) {
  stopStream();
  const controller = new AbortController();
  streaming = controller;
  hideNotice();
  ui.progressBox.hidden = false;
  if (!lastEventId) {
    resetProgress();
    ui.progressBox.hidden = false;
    ui.progressText.textContent = "Starting…";
    ui.rehearseLink.hidden = true;
  }
  ui.generateButton.disabled = true;
  const failed = new Set();
  let finished = false;
  let lastId = lastEventId;
  try {
    const headers = { Accept: "text/event-stream", "X-CSRFToken": csrfToken() };
    if (lastEventId) headers["Last-Event-ID"] = lastEventId;
    const response = await fetch(`/api/sessions/${session.id}/generate`, {
      method: "POST", headers, credentials: "same-origin", signal: controller.signal,
    });
    if (!response.ok) {
      const error = await errorFrom(response);
      if (error.status === 401) goToSignIn(true);
      throw error;
    }
    jobId = response.headers.get("X-RunThru-Job");
    ui.cancelButton.hidden = false;
    await readEventStream(response, ({ event, data, id }) => {
      if (id) lastId = id;
      if (event === "line") {
        showProgress(data.done, data.total);
        // The server smooths it (tts_app/eta.py): it never jumps up between two lines.
        ui.progressEta.textContent = data.done < data.total ? data.time_left || "" : "";
        // The job makes the teen's place first, so the first line made is their next cue.
        if (data.status !== "failed") offerRehearsal();
        if (data.status === "failed" && !failed.has(data.line_id)) {
          failed.add(data.line_id);
          addFailure(data.line_id, data.error);
        }
      } else if (event === "complete") {
        finished = true;
        onComplete(data);
        return true;
      } else if (event === "error") {
        finished = true;
        onJobError(data);
        return true;
      }
      return false;
    });
    if (!finished && streaming === controller) {
      // The server ends a long stream now and then: pick it up where it stopped.
      return generate(lastId || "0");
    }
  } catch (error) {
    if (error.name === "AbortError") return;
    if (error.status === 401) return;
    ui.progressText.textContent = "Generation stopped.";
    if (error.status) showError(error, () => generate());
    else showNotice("We lost touch with RunThru while making the voices. Check your connection.", { retry: () => generate() });
  } finally {
    if (streaming === controller) {
      streaming = null;
      ui.generateButton.disabled = false;
      ui.cancelButton.hidden = true;
    }
  }
}

/** The first cue is ready: rehearsing can start while the rest is made. */
function offerRehearsal() {
  if (!ui.rehearseLink.hidden) return;
  ui.rehearseLink.hidden = false;
  ui.rehearseNote.hidden = false;
  announce("You can start rehearsing now. The other voices are made while you rehearse.");
}

function addFailure(lineId, error) {
  const element = findElement(lineId);
  const where = element ? `${characterName(element.character)} (script line ${element.source_line})` : "A line";
  ui.failureList.append(el("li", {}, el("strong", {}, `${where}: `), error || "couldn't be made."));
  ui.failures.hidden = false;
}

function findElement(lineId) {
  for (const scene of script.parsed.scenes) {
    const found = scene.elements.find((e) => e.id === lineId);
    if (found) return found;
  }
  return null;
}

function onComplete(data) {
  ui.cancelButton.hidden = true;
  showProgress(data.total, data.total);
  ui.progressEta.textContent = "";
  if (data.failed) {
    ui.progressText.textContent = `Done, but ${data.failed} line${data.failed === 1 ? "" : "s"} couldn't be made. `
      + "You can still rehearse: those lines will be skipped.";
  } else {
    ui.progressText.textContent = "All the voices are ready!";
  }
  ui.generateButton.textContent = "Generate again";
  ui.rehearseLink.hidden = false;
  ui.rehearseNote.hidden = true;
  announce(ui.progressText.textContent);
  ui.rehearseLink.focus();
}

function onJobError(data) {
  ui.cancelButton.hidden = true;
  ui.progressEta.textContent = "";
  if (data.job_state === "cancelled") {
    ui.progressText.textContent = "Stopped. Press Generate to carry on.";
  } else {
    ui.progressText.textContent = "Making the voices didn't work.";
    showNotice(data.error || "The voice engine stopped. Try again, or pick another engine.", { retry: () => generate() });
  }
  announce(ui.progressText.textContent);
}

ui.generateButton.addEventListener("click", () => generate());
ui.cancelButton.addEventListener("click", async () => {
  if (!jobId) return;
  try {
    await api(`jobs/${encodeURIComponent(jobId)}`, { method: "DELETE" });
    ui.progressText.textContent = "Stopping…";
  } catch (error) {
    showError(error);
  }
});

load();
