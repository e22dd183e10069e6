// Voice notes (MediaRecorder): Opus in WebM or Ogg where the browser has it, else what it offers
// (AAC in MP4 on Safari), mono at a bitrate made for speech and 2G: about 120 KB a minute.
export const MAX_RECORDING_MS = 5 * 60_000;
const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4', 'audio/webm', 'audio/ogg'];

export interface Recording {
  /** Stops and gives the note (null if nothing was recorded). */
  stop(): Promise<Blob | null>;
  cancel(): void;
}

export function canRecord(): boolean {
  return typeof MediaRecorder !== 'undefined' && Boolean(navigator.mediaDevices?.getUserMedia);
}

export async function startRecording(onAutoStop: () => void): Promise<Recording> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
  const mimeType = TYPES.find((t) => MediaRecorder.isTypeSupported(t));
  const recorder = new MediaRecorder(stream, { ...(mimeType ? { mimeType } : {}), audioBitsPerSecond: 16_000 });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => { if (e.data.size) chunks.push(e.data); };
  const stopped = new Promise<void>((resolve) => { recorder.onstop = () => resolve(); });
  const release = () => stream.getTracks().forEach((track) => track.stop());
  const limit = setTimeout(onAutoStop, MAX_RECORDING_MS);
  recorder.start(1000);
  return {
    async stop() {
      clearTimeout(limit);
      if (recorder.state !== 'inactive') recorder.stop();
      await stopped;
      release();
      return chunks.length ? new Blob(chunks, { type: (recorder.mimeType || mimeType || 'audio/webm').split(';')[0] }) : null;
    },
    cancel() {
      clearTimeout(limit);
      if (recorder.state !== 'inactive') recorder.stop();
      release();
    },
  };
}
