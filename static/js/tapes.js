// "Download for the car": asks the server for a cue tape, shows its progress while it is
// made (202 with the job), then hands the finished MP3 to the browser as a download.
import { api, ApiError } from "./api.js";

const $ = (id) => document.getElementById(id);
const sessionId = location.pathname.split("/")[2];
const MAX_POLLS = 900; // about half an hour at the server's Retry-After of 2 s

let scenes = null;

async function sceneIds() {
  if (!scenes) {
    const session = await api(`sessions/${encodeURIComponent(sessionId)}`);
    scenes = (await api(`scripts/${encodeURIComponent(session.script_id)}`)).parsed.scenes;
  }
  return scenes;
}

function say(text) {
  $("tape-status").textContent = text;
}

async function tapeUrl() {
  const all = await sceneIds();
  const whole = $("tape-whole").checked;
  const scene = whole ? "all" : all[Number($("scene-select").value) || 0].id;
  const version = $("tape-version").value;
  const gap = $("gap-mult") ? Number($("gap-mult").value) || 1 : 1;
  return `sessions/${encodeURIComponent(sessionId)}/tapes/${encodeURIComponent(scene)}`
    + `?version=${encodeURIComponent(version)}&gap=${gap}`;
}

async function makeTape() {
  const button = $("tape-make");
  const bar = $("tape-progress");
  button.disabled = true;
  try {
    const path = await tapeUrl();
    for (let poll = 0; poll < MAX_POLLS; poll += 1) {
      const controller = new AbortController();
      const response = await api(path, { raw: true, signal: controller.signal });
      if (response.status === 200) {
        controller.abort(); // the download below fetches the file itself
        bar.hidden = true;
        say("Your tape is ready.");
        const link = $("tape-link");
        link.href = `/api/${path}`;
        link.hidden = false;
        link.click();
        return;
      }
      const { job } = await response.json();
      if (job.state === "failed") {
        say(job.error || "The tape couldn't be made. Try again in a minute.");
        return;
      }
      bar.hidden = false;
      bar.max = Math.max(1, job.total);
      bar.value = job.done;
      say(`Making your tape… ${job.done} of ${job.total} lines`);
      const wait = Number(response.headers.get("Retry-After")) || 2;
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
    say("The tape is taking very long. Try again later.");
  } catch (error) {
    if (error.name === "AbortError") return;
    say(error instanceof ApiError ? error.message : "Something went wrong making the tape. Try again.");
  } finally {
    button.disabled = false;
  }
}

$("tape-make").addEventListener("click", makeTape);
