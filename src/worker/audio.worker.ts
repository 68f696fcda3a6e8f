/**
 * The audio worker (issue 13): audio files → feature rows with the same code as the CLI (decodeAudio +
 * analyseClip), one file at a time, with progress and cancel, so the page stays responsive. A file that fails
 * gets its message (file name and what was wrong) and the others go on. Files none of our decoders reads come
 * back `unsupported`: the page decodes them with the browser's decoder (this worker has no AudioContext) and
 * sends the samples.
 */
import * as Comlink from 'comlink';
import { analyseClip, type AnalysisWindow } from '../audio/analyse';
import { decodeAudio, UnsupportedAudio } from '../audio/decode';
import type { DecodedAudio } from '../audio/wav';
import { AUDIO_CANCELLED, MAX_CLIP_SECONDS, type AudioJob, type AudioOutcome, type AudioProgress, type AudioWorkerApi } from './audio-api';
import { contentHash } from './content-hash';

let cancelled = false;

class AudioCancelled extends Error {
  constructor() {
    super('the analysis was cancelled');
    this.name = AUDIO_CANCELLED;
  }
}

/** Let a pending cancel message arrive, then stop if it did. */
async function checkpoint(): Promise<void> {
  await new Promise<void>((r) => setTimeout(r, 0));
  if (cancelled) throw new AudioCancelled();
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The message with the file name in front (once). */
function named(file: string, e: unknown): string {
  const m = message(e);
  return m.startsWith(file) ? m : `${file}: ${m}`;
}

/** What decodeAudio may say besides the samples (the windowed decoder: the file's length when it stopped early). */
type Decoded = DecodedAudio & { readonly fileSeconds?: number; readonly partial?: boolean };
/** decodeAudio with the window's end, exactly as the CLI calls it (so both decode the same samples). */
const decodeUpTo = decodeAudio as (bytes: Uint8Array, file: string, options?: { endSeconds?: number }) => Promise<Decoded>;

async function decode(job: AudioJob, window: AnalysisWindow): Promise<Decoded> {
  if (job.pcm) return job.pcm;
  return decodeUpTo(new Uint8Array(job.bytes ?? new ArrayBuffer(0)), job.file, { endSeconds: window.offset + window.length });
}

/** One file; only a cancel is thrown, every other problem is the file's outcome. */
async function analyseOne(job: AudioJob, window: AnalysisWindow): Promise<AudioOutcome> {
  const t0 = performance.now();
  const { file } = job;
  const hash = job.bytes ? contentHash(new Uint8Array(job.bytes)) : undefined;
  let audio: Decoded;
  try {
    audio = await decode(job, window);
  } catch (e) {
    if (e instanceof UnsupportedAudio) return { file, ok: false, unsupported: true, error: named(file, e), hash };
    return { file, ok: false, error: named(file, e), hash };
  }
  await checkpoint();
  const seconds = audio.fileSeconds ?? audio.channels[0].length / audio.sampleRate;
  // a file decoded whole (not only its window) that long would take the tab's memory
  if (!audio.partial && seconds > MAX_CLIP_SECONDS) {
    const min = (seconds / 60).toFixed(1);
    return { file, ok: false, error: `${file}: too long (${min} min); the lab analyses clips up to ${MAX_CLIP_SECONDS / 60} min: cut an excerpt`, hash };
  }
  try {
    const { values, info } = analyseClip(audio, file, window);
    return { file, ok: true, values, info: { ...info, duration: seconds }, hash, ms: performance.now() - t0 };
  } catch (e) {
    return { file, ok: false, error: named(file, e), hash };
  }
}

const api: AudioWorkerApi = {
  async analyse(jobs, window, onProgress) {
    cancelled = false;
    const out: AudioOutcome[] = [];
    for (let i = 0; i < jobs.length; i++) {
      const p: AudioProgress = { done: i, total: jobs.length, current: jobs[i].file };
      onProgress(p);
      await checkpoint();
      out.push(await analyseOne(jobs[i], window));
    }
    onProgress({ done: jobs.length, total: jobs.length, current: '' });
    return out;
  },
  cancel() {
    cancelled = true;
  },
};

Comlink.expose(api);
