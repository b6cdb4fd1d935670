// The cast page's "Record the lines yourself": a parent reads one character's lines, one at a
// time, and the rehearsal plays their voice for those lines (the chosen voice reads the rest).

import { announce, api, el } from "./api.js";
import { micProblem, newRecorder, openMicrophone, recordingName } from "./microphone.js";

const WORD = /\w/u;
// The server says how long a recording may be (the listing's max_seconds); the page stops a
// little before, so a take always fits.
const LIMIT_MARGIN_MS = 5_000;

function inWords(seconds) {
  return seconds <= 90 ? `${Math.round(seconds)} seconds` : `${Math.round((seconds / 60) * 10) / 10} minutes`;
}

export class CueRecorders {
  constructor({ section, list, note, mic }) {
    this.section = section;
    this.list = list;
    this.note = note; // "only a parent can record", for the teen
    this.mic = mic; // the microphone explained, for a parent
    this.session = null;
    this.script = null;
    this.recorded = new Map(); // line id -> recording
    this.canRecord = false;
    this.maxSeconds = 60;
    this.stream = null;
    this.recorder = null; // the MediaRecorder running now, in whichever box
    this.player = new Audio();
    addEventListener("pagehide", () => this.closeMicrophone());
  }

  characterName(id) {
    return (this.script.parsed.characters.find((c) => c.id === id) || {}).name || id;
  }

  /** Every line RunThru speaks to this rehearsal, grouped by character, with the line before it. */
  linesByCharacter() {
    const role = this.session.user_role;
    const groups = new Map();
    for (const scene of this.script.parsed.scenes) {
      let before = null;
      for (const element of scene.elements) {
        if (element.type !== "dialogue") continue;
        const mine = element.character === role || (element.characters || []).includes(role);
        if (!mine && WORD.test(element.text)) {
          if (!groups.has(element.character)) groups.set(element.character, []);
          groups.get(element.character).push({ element, before, scene: scene.title });
        }
        before = element;
      }
    }
    return groups;
  }

  async show(script, session) {
    this.stopRecording(true);
    this.script = script;
    this.session = session;
    let listing;
    try {
      listing = await api(`sessions/${encodeURIComponent(session.id)}/recordings`);
    } catch (error) {
      this.section.hidden = true;
      return;
    }
    this.canRecord = listing.can_record;
    this.maxSeconds = listing.max_seconds;
    this.recorded = new Map(listing.recordings.map((r) => [r.line_id, r]));
    this.note.hidden = this.canRecord;
    this.mic.hidden = !this.canRecord;
    const groups = this.linesByCharacter();
    const order = [...script.parsed.characters].sort((a, b) => b.line_count - a.line_count)
      .filter((c) => groups.has(c.id));
    this.list.replaceChildren(...order.map((c) => this.box(c.id, groups.get(c.id))));
    this.section.hidden = order.length === 0;
  }

  count(lines) {
    const done = lines.filter((l) => this.recorded.has(l.element.id)).length;
    return `${done} of ${lines.length} line${lines.length === 1 ? "" : "s"} recorded`;
  }

  box(characterId, lines) {
    const name = this.characterName(characterId);
    const count = el("span", { class: "cue-count muted small" }, this.count(lines));
    const details = el("details", { class: "cue-box", id: `cues-${characterId}`, dataset: { character: characterId } },
      el("summary", {}, el("span", { class: "cue-name" }, `Record ${name}'s lines yourself`), " ", count));
    let built = false;
    details.addEventListener("toggle", () => {
      if (details.open && !built) {
        built = true;
        details.append(this.stepper(characterId, name, lines, () => { count.textContent = this.count(lines); }));
      }
      if (!details.open) this.stopRecording(true);
    });
    return details;
  }

  stepper(characterId, name, lines, onCount) {
    let index = Math.max(0, lines.findIndex((l) => !this.recorded.has(l.element.id)));
    const where = el("p", { class: "cue-where", "aria-live": "polite" });
    const before = el("p", { class: "cue-before muted small" });
    const text = el("blockquote", { class: "cue-text" });
    const record = el("button", { type: "button", class: "primary cue-record" });
    const stop = el("button", { type: "button", class: "cue-stop", hidden: true,
      "aria-label": `Stop recording ${name}'s line` }, "■ Stop");
    const play = el("button", { type: "button", class: "cue-play", "aria-label": `Play back your recording of this line` },
      "▶ Play back");
    const remove = el("button", { type: "button", class: "danger small-button cue-delete",
      "aria-label": "Delete this recording (the chosen voice reads the line again)" }, "Delete");
    const prev = el("button", { type: "button", class: "cue-prev", "aria-label": `${name}'s previous line` }, "← Previous");
    const next = el("button", { type: "button", class: "cue-next", "aria-label": `${name}'s next line` }, "Next →");
    const status = el("p", { class: "cue-status small", role: "status" });

    const current = () => lines[index];
    const render = () => {
      const { element, before: prior, scene } = current();
      const recording = this.recorded.get(element.id);
      where.textContent = `Line ${index + 1} of ${lines.length}${scene ? ` · ${scene}` : ""} · `
        + (recording ? "recorded ✓" : "not recorded yet");
      before.textContent = prior ? `After ${this.characterName(prior.character)}: “${prior.text}”` : "The first line of the scene.";
      text.replaceChildren(...(element.direction ? [el("em", {}, `(${element.direction}) `)] : []), element.text);
      record.textContent = recording ? "● Record again" : "● Record";
      record.setAttribute("aria-label", `${recording ? "Record again" : "Record"}: line ${index + 1} of ${name}`);
      record.disabled = !this.canRecord;
      play.disabled = !recording;
      remove.hidden = !recording || !this.canRecord;
      prev.disabled = index === 0;
      next.disabled = index >= lines.length - 1;
      onCount();
    };
    const move = (step) => {
      if (this.recorder) return;
      index = Math.min(Math.max(index + step, 0), lines.length - 1);
      status.textContent = "";
      render();
    };
    prev.addEventListener("click", () => move(-1));
    next.addEventListener("click", () => move(1));
    play.addEventListener("click", () => {
      const recording = this.recorded.get(current().element.id);
      if (!recording) return;
      this.player.src = recording.audio_url;
      this.player.play().catch(() => { status.textContent = "Your browser wouldn't play the sound. Press Play back again."; });
    });
    remove.addEventListener("click", async () => {
      const { element } = current();
      try {
        await api(`sessions/${encodeURIComponent(this.session.id)}/lines/${encodeURIComponent(element.id)}/recording`,
          { method: "DELETE" });
        this.recorded.delete(element.id);
        status.textContent = "Deleted. The chosen voice reads this line again.";
      } catch (error) {
        status.textContent = error.message;
      }
      render();
      announce(status.textContent);
    });
    record.addEventListener("click", async () => {
      const line = current().element;
      this.player.pause();
      status.textContent = "Starting the microphone…";
      let taken;
      try {
        await this.openMicrophone();
        record.hidden = true;
        stop.hidden = false;
        prev.disabled = next.disabled = play.disabled = true;
        stop.focus();
        const started = performance.now();
        const tick = setInterval(() => {
          const elapsed = performance.now() - started;
          status.textContent = `Recording… ${Math.round(elapsed / 1000)} s. `
            + (elapsed > this.recordLimitMs() - 20_000 ? `It stops by itself at ${inWords(this.maxSeconds)}.`
              : "Read the line, then press Stop.");
        }, 500);
        status.textContent = "Recording… Read the line, then press Stop.";
        status.classList.add("recording");
        announce("Recording. Read the line, then press Stop.");
        try {
          taken = await this.recordOnce();
        } finally {
          clearInterval(tick);
          status.classList.remove("recording");
          stop.hidden = true;
          record.hidden = false;
        }
      } catch (error) {
        status.textContent = micProblem(error, "press Record again");
        render();
        announce(status.textContent);
        return;
      }
      if (!taken) {
        render();
        return;
      }
      const { blob, cutShort } = taken;
      status.textContent = "Saving…";
      try {
        const form = new FormData();
        form.append("audio", blob, recordingName(blob));
        const saved = await api(`sessions/${encodeURIComponent(this.session.id)}/lines/${encodeURIComponent(line.id)}/recording`,
          { method: "PUT", form });
        this.recorded.set(line.id, saved);
        status.textContent = cutShort
          ? `Saved, but recordings stop after ${inWords(this.maxSeconds)}, so the end of this line is missing. `
            + "Record it again a little faster, or press Delete and the chosen voice reads it."
          : "Saved. Press Play back to hear it"
            + (index < lines.length - 1 ? ", or Next for the next line." : ". That was the last line.");
        render();
        play.focus();
      } catch (error) {
        status.textContent = error.message;
        render();
      }
      announce(status.textContent);
    });
    stop.addEventListener("click", () => this.stopRecording(false));

    render();
    return el("div", { class: "cue-body" }, where, before, text,
      el("div", { class: "row" }, record, stop, play, remove),
      el("div", { class: "row cue-nav" }, prev, next), status);
  }

  async openMicrophone() {
    if (this.stream && this.stream.active) return;
    // Noise suppression helps a voice recorded in a living room; the loudness is matched on the server.
    this.stream = await openMicrophone(
      { echoCancellation: true, noiseSuppression: true, autoGainControl: false },
      "This browser can only use the microphone on RunThru's https:// address, or on the computer RunThru "
        + "runs on. Open that address and record there.",
    );
  }

  closeMicrophone() {
    this.stopRecording(true);
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = null;
  }

  /** Record until stopRecording() or the time limit; resolves { blob, cutShort }, or null when cancelled. */
  recordOnce() {
    return new Promise((resolve, reject) => {
      const recorder = newRecorder(this.stream);
      const chunks = [];
      recorder.ondataavailable = (event) => event.data.size && chunks.push(event.data);
      recorder.onerror = (event) => reject(event.error || new Error("recording failed"));
      recorder.onstop = () => {
        clearTimeout(limit);
        this.recorder = null;
        resolve(recorder.cancelled || !chunks.length ? null
          : { blob: new Blob(chunks, { type: recorder.mimeType }), cutShort: Boolean(recorder.cutShort) });
      };
      const limit = setTimeout(() => {
        recorder.cutShort = true;
        this.stopRecording(false);
      }, this.recordLimitMs());
      this.recorder = recorder;
      recorder.start();
    });
  }

  recordLimitMs() {
    return Math.max(1_000, this.maxSeconds * 1000 - LIMIT_MARGIN_MS);
  }

  stopRecording(cancel) {
    const recorder = this.recorder;
    if (!recorder || recorder.state === "inactive") return;
    recorder.cancelled = cancel;
    recorder.stop();
  }
}
