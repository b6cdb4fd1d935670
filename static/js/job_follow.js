// Following a running generation job from the rehearse page: which lines have a voice now,
// and waiting at a cue until its voice is made (the job turns to where the teen is).
import { readEventStream } from "./sse.js";

const ACTIVE = ["queued", "running"];
const MAX_RECONNECTS = 30; // in a row, a second apart: then the page stops waiting and skips
const WAIT_LIMIT_MS = 180_000; // one line: longer than any engine takes, with its fallbacks
const CHECK_EVERY_MS = 3000; // also ask for the clip itself, in case an event was missed

export class JobFollower {
  constructor({ onChange }) {
    this.onChange = onChange;
    this.running = false;
    this.ready = new Set();
    this.failed = new Set();
    this.done = 0;
    this.total = 0;
    this.waiters = new Set();
    this.gaps = []; // seconds between line events, for "about 2 s"
    this.lastAt = 0;
    this.controller = null;
  }

  /** Start following `job` (the session's newest) when it is still being made. */
  follow(job) {
    this.stop();
    if (!job || !ACTIVE.includes(job.state)) return;
    this.running = true;
    this.done = job.done;
    this.total = job.total;
    this.listen(job.id);
  }

  stop() {
    if (this.controller) this.controller.abort();
    this.controller = null;
  }

  async listen(jobId) {
    const controller = new AbortController();
    this.controller = controller;
    let lastId = "0";
    let failures = 0;
    while (this.running && this.controller === controller && failures < MAX_RECONNECTS) {
      try {
        const response = await fetch(`/api/jobs/${encodeURIComponent(jobId)}`, {
          headers: { Accept: "text/event-stream", "Last-Event-ID": lastId },
          credentials: "same-origin", signal: controller.signal,
        });
        if (response.status === 401 || response.status === 404) break;
        if (!response.ok) throw new Error(String(response.status));
        failures = 0;
        await readEventStream(response, ({ event, data, id }) => {
          if (id) lastId = id;
          return this.heard(event, data);
        });
      } catch (error) {
        if (error.name === "AbortError") return;
        failures += 1;
      }
      if (this.running) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    if (this.controller === controller) this.ended();
  }

  heard(event, data) {
    if (event === "line") {
      (data.status === "failed" ? this.failed : this.ready).add(data.line_id);
      this.done = data.done;
      this.total = data.total;
      const now = performance.now();
      if (this.lastAt) this.gaps = [...this.gaps.slice(-9), (now - this.lastAt) / 1000];
      this.lastAt = now;
      this.wake();
      this.onChange();
      return false;
    }
    if (["complete", "error", "cancelled"].includes(event)) {
      this.ended();
      return true;
    }
    return false;
  }

  ended() {
    this.running = false;
    this.controller = null;
    this.wake();
    this.onChange();
  }

  wake() {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Seconds one line usually takes to be made, rounded: "about 2 s" until it is measured. */
  secondsPerLine() {
    if (this.gaps.length < 3) return 2;
    const sorted = [...this.gaps].sort((a, b) => a - b);
    return Math.min(30, Math.max(1, Math.round(sorted[Math.floor(sorted.length / 2)])));
  }

  /** Wait for a line's voice. Resolves "ready", "failed" (it couldn't be made), "ended" (the job
   *  stopped without it, or it took far too long) or "stopped" (`wanted()` turned false). */
  waitFor(lineId, wanted, exists) {
    return new Promise((resolve) => {
      const started = performance.now();
      let checking = false;
      const finish = (result) => {
        this.waiters.delete(look);
        clearInterval(timer);
        resolve(result);
        return true;
      };
      const look = () => {
        if (!wanted()) return finish("stopped");
        if (this.ready.has(lineId)) return finish("ready");
        if (this.failed.has(lineId)) return finish("failed");
        if (!this.running || performance.now() - started > WAIT_LIMIT_MS) return finish("ended");
        return false;
      };
      const timer = setInterval(async () => {
        if (look() || checking) return;
        checking = true;
        try {
          if (await exists()) finish("ready");
        } finally {
          checking = false;
        }
      }, CHECK_EVERY_MS);
      this.waiters.add(look);
      look();
    });
  }
}
