// The microphone and the recorder, shared by listen mode (the teen) and "Record the lines
// yourself" (a parent): which formats to ask for, how a recording is named for upload, and
// what to say when the microphone won't open.

// Safari on older iPhones records only MP4 (AAC); the server reads all of these.
const RECORDING_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/ogg", "audio/mp4"];

/** Ask for the microphone. Throws the browser's error (NotAllowedError when refused), or a
 * NotSupportedError carrying `insecureMessage` where the page may not use one at all. */
export async function openMicrophone(audio, insecureMessage) {
  if (!navigator.mediaDevices || !window.MediaRecorder) {
    // Browsers only give the microphone to https:// pages (or this computer's own localhost).
    const error = new Error(insecureMessage);
    error.name = "NotSupportedError";
    throw error;
  }
  return navigator.mediaDevices.getUserMedia({ audio });
}

// Plenty for a voice, and small: three minutes (a parent's longest speech) stay near 1.1 MB,
// inside the server's 1.5 MB per recording. Browsers' defaults are up to 128 kbps.
const BITS_PER_SECOND = 48_000;

export function newRecorder(stream) {
  const type = RECORDING_TYPES.find((t) => MediaRecorder.isTypeSupported(t)) || "";
  return new MediaRecorder(stream, { audioBitsPerSecond: BITS_PER_SECOND, ...(type ? { mimeType: type } : {}) });
}

/** The file name a recording is uploaded under: the server checks its contents, not this. */
export function recordingName(blob) {
  return blob.type.includes("ogg") ? "line.ogg" : blob.type.includes("mp4") ? "line.mp4" : "line.webm";
}

/** What to say when the microphone can't open; `retry` is what to press afterwards. */
export function micProblem(error, retry) {
  if (error && error.name === "NotAllowedError") {
    return `The microphone is blocked for RunThru. Allow it in the address bar (the 🔒 or 🎤 icon), then ${retry}.`;
  }
  if (error && error.name === "NotFoundError") return `We couldn't find a microphone. Plug one in and ${retry}.`;
  if (error && error.name === "NotSupportedError") return error.message;
  return `The microphone wouldn't start. Check no other app is using it, then ${retry}.`;
}
