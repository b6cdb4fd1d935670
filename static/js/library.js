import { announce, api, el, hideNotice, showError, timeAgo } from "./api.js";

const list = document.getElementById("script-list");
const loading = document.getElementById("scripts-loading");
const empty = document.getElementById("scripts-empty");
const form = document.getElementById("upload-form");
const fileInput = document.getElementById("script-file");
const textInput = document.getElementById("script-text");
const titleInput = document.getElementById("script-title");
const uploadButton = document.getElementById("upload-button");
const uploadMessage = document.getElementById("upload-message");
const warningsBox = document.getElementById("upload-warnings");
const warningList = document.getElementById("warning-list");
const dialog = document.getElementById("delete-dialog");
const foundBox = document.getElementById("upload-found");
const foundList = document.getElementById("found-list");
let isParent = false; // only a parent may delete a script, so the teen's sign-in is not offered Delete
let undoDays = 30;

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function scriptItem(script) {
  const castHref = `/scripts/${encodeURIComponent(script.id)}/cast`;
  const deleteButton = el("button", {
    type: "button", class: "danger small-button", "aria-label": `Delete ${script.title}`, hidden: !isParent,
    onclick: () => confirmDelete(script),
  }, "Delete");
  return el("li", { class: "script-item", dataset: { scriptId: String(script.id) } },
    el("div", { class: "script-main" },
      el("h3", {}, el("a", { href: castHref, class: "script-link" }, script.title || "Untitled")),
      el("p", { class: "muted small" },
        `${plural(script.character_count, "character")} · ${plural(script.line_count, "line")} · `
        + `last rehearsed ${timeAgo(script.last_rehearsed_at)}`)),
    el("div", { class: "script-actions" },
      // Straight into the rehearsal when its voices are ready; the Cast page when something needs choosing.
      el("a", { href: script.rehearse_url || castHref, class: "button primary" }, "Rehearse"), deleteButton));
}

async function load() {
  loading.hidden = false;
  try {
    const [scripts, health] = await Promise.all([api("scripts"), api("health")]);
    isParent = Boolean(health.parent);
    undoDays = health.undo_days || undoDays;
    hideNotice();
    list.replaceChildren(...scripts.map(scriptItem));
    empty.hidden = scripts.length > 0;
  } catch (error) {
    if (error.status !== 401) showError(error, load);
  } finally {
    loading.hidden = true;
  }
}

function foundSentence(script) {
  if (script.found) return script.found.sentence;
  const parsed = script.parsed || {};
  return `${plural((parsed.scenes || []).length, "scene")}, ${plural((parsed.characters || []).length, "character")}`;
}

// What was read, biggest parts first, so a wrong reading shows before the teen starts.
function showFound(script) {
  const biggest = (script.found && script.found.biggest) || [];
  foundList.replaceChildren(...biggest.map((c) => el("li", {},
    el("strong", {}, c.name), ` — ${plural(c.line_count, "line")}`)));
  foundBox.hidden = biggest.length === 0;
}

function showWarnings(warnings) {
  warningList.replaceChildren(...warnings.map((w) => el("li", {},
    el("strong", {}, w.lines && w.lines.length === 1 && w.lines[0] ? `Line ${w.lines[0]}: ` : ""), w.message)));
  warningsBox.hidden = warnings.length === 0;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = fileInput.files[0];
  const text = textInput.value;
  uploadMessage.className = "form-message";
  if (!file && !text.trim()) {
    uploadMessage.textContent = "Choose a file or paste your script first.";
    uploadMessage.className = "form-message error";
    return;
  }
  uploadButton.disabled = true;
  uploadMessage.textContent = "Reading your script…";
  foundBox.hidden = true;
  try {
    let script;
    if (file) {
      const data = new FormData();
      data.append("file", file);
      if (titleInput.value.trim()) data.append("title", titleInput.value.trim());
      script = await api("scripts", { method: "POST", form: data });
    } else {
      const body = { markdown_source: text };
      if (titleInput.value.trim()) body.title = titleInput.value.trim();
      script = await api("scripts", { method: "POST", json: body });
    }
    uploadMessage.textContent = `Added “${script.title}”: ${foundSentence(script)}.`;
    uploadMessage.className = "form-message ok";
    announce(uploadMessage.textContent);
    showFound(script);
    showWarnings(script.parent_warnings || []);
    form.reset();
    await load();
  } catch (error) {
    uploadMessage.textContent = error.message;
    uploadMessage.className = "form-message error";
  } finally {
    uploadButton.disabled = false;
  }
});

function confirmDelete(script) {
  document.getElementById("delete-text").textContent =
    `“${script.title}” and its rehearsals will be deleted. You can bring it back for ${undoDays} days in the parents' area.`;
  dialog.returnValue = "";
  dialog.onclose = async () => {
    if (dialog.returnValue !== "delete") return;
    try {
      await api(`scripts/${encodeURIComponent(script.id)}`, { method: "DELETE" });
      announce(`Deleted ${script.title}.`);
      await load();
    } catch (error) {
      showError(error, () => confirmDelete(script));
    }
  };
  dialog.showModal();
}

load();
