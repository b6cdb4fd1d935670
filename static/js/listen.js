// Listen mode in the page: the microphone, an energy voice detector, and the recorder.
//
// Hand-written on purpose: the detector only has to tell "someone is talking" from
// "quiet room" at the teen's own line, which a short-term energy level against the
// room's measured noise floor does well, and it keeps the page free of a model
// download and a build step. The server does the real listening (recognition).

import { newRecorder, openMicrophone } from "./microphone.js";

const TICK_MS = 20;
const CALIBRATE_MS = 300; // measure the room before each line
const START_MS = 120; // this long above the threshold = speech started
const END_MS = 1200; // this long below it after speech = the line is over
const MAX_LINE_MS = 45_000; // under the server's 60 s limit
const MIN_THRESHOLD = 0.012;

export class Listener {
  constructor() {
    this.stream = null;
    this.context = null;
    this.analyser = null;
    this.buffer = null;
    this.paused = false; // while our own audio plays (a hint), the detector ignores the room
  }

  get open() {
    return this.stream !== null;
  }

  /** Ask for the microphone. Throws the browser's error (NotAllowedError when refused). */
  async start() {
    if (this.stream) return;
    // Echo cancellation keeps cues from the speakers out; noise suppression and gain control
    // would reshape the voice the recogniser hears, so they stay off.
    this.stream = await openMicrophone(
      { echoCancellation: true, noiseSuppression: false, autoGainControl: false },
      "The microphone only works on RunThru's https:// address. Your browser will warn you once, because "
        + "RunThru made its own certificate: choose Advanced, then continue to the site.",
    );
    this.context = new AudioContext();
    const source = this.context.createMediaStreamSource(this.stream);
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 1024;
    this.buffer = new Float32Array(this.analyser.fftSize);
    source.connect(this.analyser);
  }

  stop() {
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    if (this.context) this.context.close().catch(() => {});
    this.stream = this.context = this.analyser = null;
  }

  level() {
    this.analyser.getFloatTimeDomainData(this.buffer);
    let sum = 0;
    for (const x of this.buffer) sum += x * x;
    return Math.sqrt(sum / this.buffer.length);
  }

  /**
   * Record one line: waits for speech to start, then to end.
   * onEvent("speaking") when it starts; onEvent("silence", seconds) every second of waiting.
   * Resolves a Blob of the recording, or null when cancelled (isCurrent() turned false).
   */
  recordLine({ isCurrent, onEvent }) {
    return new Promise((resolve) => {
      if (this.context.state === "suspended") this.context.resume().catch(() => {});
      const recorder = newRecorder(this.stream);
      const chunks = [];
      recorder.ondataavailable = (event) => event.data.size && chunks.push(event.data);
      let finished = false;
      let cancelled = false;
      recorder.onstop = () => resolve(cancelled ? null : new Blob(chunks, { type: recorder.mimeType }));
      recorder.start();

      const started = performance.now();
      const floor = [];
      let threshold = MIN_THRESHOLD;
      let above = 0;
      let below = 0;
      let speaking = false;
      let silentSeconds = 0;
      const finish = (cancel) => {
        if (finished) return;
        finished = true;
        cancelled = cancel;
        clearInterval(timer);
        if (recorder.state !== "inactive") recorder.stop();
      };
      const timer = setInterval(() => {
        if (!isCurrent() || !this.analyser) return finish(true);
        const now = performance.now() - started;
        if (now > MAX_LINE_MS) return finish(false);
        if (this.paused) {
          above = 0;
          return;
        }
        const level = this.level();
        if (now < CALIBRATE_MS) {
          floor.push(level);
          if (floor.length > 3) {
            const sorted = [...floor].sort((a, b) => a - b);
            threshold = Math.max(MIN_THRESHOLD, sorted[Math.floor(sorted.length / 2)] * 3);
          }
          return;
        }
        if (level > threshold) {
          above += TICK_MS;
          below = 0;
          if (!speaking && above >= START_MS) {
            speaking = true;
            onEvent("speaking");
          }
        } else {
          above = 0;
          below += TICK_MS;
          if (speaking && below >= END_MS) return finish(false);
        }
        if (!speaking && Math.floor(now / 1000) > silentSeconds) {
          silentSeconds = Math.floor(now / 1000);
          onEvent("silence", silentSeconds);
        }
      }, TICK_MS);
    });
  }
}
