// Today's practice: the lines due (weakest first, then a few new ones), each after its cue and
// shown at its rung; the teen says it, taps to see it, and grades it. Then the progress picture.
import { api, el, formatDuration, hideNotice, showError, showRehearsalError } from "./api.js";
import { gradeButtons, RUNG_WORDS, sendGrade } from "./ladder.js";

const sessionId = location.pathname.split("/")[2];
const $ = (id) => document.getElementById(id);
const ui = {
  summary: $("practice-summary"), start: $("practice-start"), card: $("practice-card"), done: $("practice-done"),
  chart: $("progress-chart"), strictness: $("strictness"), minutes: $("practice-minutes"), back: $("back-link"),
};
let plan = null;
let index = 0;
let shownAt = 0;

function when(iso) {
  const due = new Date(iso);
  const tomorrow = new Date();
  tomorrow.setDate(tomorrow.getDate() + 1);
  const time = due.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (due <= new Date()) return "now";
  if (due.toDateString() === new Date().toDateString()) return `today at ${time}`;
  if (due.toDateString() === tomorrow.toDateString()) return `tomorrow at ${time}`;
  return `on ${due.toLocaleDateString([], { weekday: "long", day: "numeric", month: "long" })}`;
}

function refreshChart() {
  ui.chart.src = `/api/sessions/${encodeURIComponent(sessionId)}/progress/chart.svg?t=${Date.now()}`;
}

async function loadPlan() {
  plan = await api(`sessions/${encodeURIComponent(sessionId)}/practice`);
  index = 0;
  ui.card.hidden = true;
  if (!plan.lines.length) {
    ui.start.hidden = true;
    ui.summary.textContent = "";
    ui.done.hidden = false;
    ui.done.textContent = plan.next_due
      ? `All done for today! Your next review is ${when(plan.next_due)}.`
      : "All done! There are no lines to practise.";
    return;
  }
  ui.done.hidden = true;
  const fresh = plan.lines.filter((l) => l.new).length;
  ui.summary.textContent = `${plan.lines.length} line${plan.lines.length === 1 ? "" : "s"} today`
    + (fresh ? ` (${fresh} new)` : "") + `, about ${formatDuration(plan.seconds)}.`;
  ui.start.hidden = false;
  ui.start.textContent = "Start today's practice";
}

function showLine() {
  const line = plan.lines[index];
  shownAt = performance.now();
  const cue = line.cue_text
    ? el("p", { class: "practice-cue" }, el("strong", {}, `${line.cue_character}: `), line.cue_text)
    : el("p", { class: "practice-cue muted" }, "You start the scene.");
  const text = el("p", { class: `practice-line rung-${line.rung}`, dataset: { rung: String(line.rung) } },
    line.shown || "…");
  const reveal = el("button", { type: "button", class: "primary", id: "practice-reveal" }, "Show the line");
  const grades = gradeButtons((grade) => graded(line, grade));
  grades.hidden = true;
  reveal.addEventListener("click", () => {
    text.textContent = line.text;
    text.classList.add("revealed");
    reveal.hidden = true;
    grades.hidden = false;
    grades.querySelector("button").focus();
  });
  ui.card.replaceChildren(
    el("p", { class: "small muted" }, `Line ${index + 1} of ${plan.lines.length} · ${line.scene_title} · `
      + `${line.new ? "new · " : ""}${RUNG_WORDS[line.rung]}`),
    cue, text, reveal, grades,
  );
  ui.card.hidden = false;
  reveal.focus();
}

async function graded(line, grade) {
  try {
    await sendGrade(sessionId, line.line_id, grade, (performance.now() - shownAt) / 1000);
  } catch (error) {
    if (error.status !== 401) showError(error);
    return;
  }
  index += 1;
  if (index < plan.lines.length) {
    showLine();
    return;
  }
  ui.card.hidden = true;
  refreshChart();
  await loadPlan().catch((error) => showError(error));
}

async function saveSetting(changes) {
  try {
    await api(`sessions/${encodeURIComponent(sessionId)}`, { method: "PATCH", json: changes });
    await loadPlan();
    refreshChart();
  } catch (error) {
    if (error.status !== 401) showError(error);
  }
}

async function load() {
  try {
    const session = await api(`sessions/${encodeURIComponent(sessionId)}`);
    ui.strictness.value = session.strictness;
    ui.minutes.value = String(session.practice_minutes);
    ui.back.href = `/rehearse/${session.id}`;
    await loadPlan();
    hideNotice();
  } catch (error) {
    showRehearsalError(error, load);
    return;
  }
  refreshChart();
}

ui.start.addEventListener("click", () => {
  ui.start.hidden = true;
  showLine();
});
ui.strictness.addEventListener("change", () => saveSetting({ strictness: ui.strictness.value }));
ui.minutes.addEventListener("change", () => saveSetting({ practice_minutes: Number(ui.minutes.value) }));
load();
