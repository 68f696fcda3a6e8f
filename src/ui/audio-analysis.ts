/**
 * The page's side of the audio worker (issue 13): the user's audio files → one features file. Files are read
 * one at a time (a folder of hundreds never sits in memory at once), their bytes transferred to the worker; a
 * format the worker's decoders do not read (M4A/AAC …) is decoded here by the browser (decodeAudioData on an
 * OfflineAudioContext: the worker has none) and the samples sent instead. Each analysed file's bytes go to the
 * clip store under their content hash. A file that fails is reported and the others go on.
 */
import * as Comlink from 'comlink';
import { clipIds, featureTable, type AnalysisWindow } from '../audio/analyse';
import { ANALYSIS_RATE } from '../audio/resample';
import { featureSetToCsv } from '../core/parse/features';
import { AUDIO_CANCELLED, MAX_FILE_BYTES, type AudioJob, type AudioOutcome, type AudioWorkerApi, type DecodedPcm } from '../worker/audio-api';
import { AUDIO_FEATURES_NAME, type ClipEntry } from './audio-manifest';
import type { PathedFile } from './audio-files';
import type { ClipBackend } from './clip-store';
import type { FileText } from './data';

let worker: { w: Worker; api: Comlink.Remote<AudioWorkerApi>; crashed: Promise<never> } | null = null;

function startWorker(): NonNullable<typeof worker> {
  const w = new Worker(new URL('../worker/audio.worker.ts', import.meta.url), { type: 'module', name: 'similarity-lab-audio' });
  let crash: (e: Error) => void = () => {};
  const crashed = new Promise<never>((_, reject) => {
    crash = reject;
  });
  crashed.catch(() => {});
  w.addEventListener('error', (ev) => {
    ev.preventDefault();
    if (worker?.w === w) worker = null;
    w.terminate();
    crash(new Error(`the audio worker stopped: ${ev.message || 'it could not start, or ran out of memory (a very long file?)'}`));
  });
  return { w, api: Comlink.wrap<AudioWorkerApi>(w), crashed };
}

/** The audio worker, started on first use (a crashed one is replaced by a fresh one on the next call). */
export function audioWorker(): Comlink.Remote<AudioWorkerApi> {
  worker ??= startWorker();
  return worker.api;
}

export interface AnalysisProgress {
  readonly done: number;
  readonly total: number;
  readonly current: string;
  /** seconds left, from the time per file so far (null before the first file is done) */
  readonly secondsLeft: number | null;
}

export interface AnalysisReport {
  /** the features file (with its manifest), null when no file could be analysed or the analysis was cancelled */
  readonly features: FileText | null;
  readonly clips: ClipEntry[];
  readonly cancelled: boolean;
  readonly ms: number;
}

const BROWSER_FORMAT = `decodeAudioData at ${ANALYSIS_RATE} Hz`;

/** The browser's own decoder, for formats ours do not read; samples at the analysis rate. */
export async function browserDecode(bytes: ArrayBuffer): Promise<DecodedPcm> {
  const Ctx = globalThis.OfflineAudioContext ?? (globalThis as unknown as { webkitOfflineAudioContext?: typeof OfflineAudioContext }).webkitOfflineAudioContext;
  if (!Ctx) throw new Error('this browser has no audio decoder');
  const ctx = new Ctx(1, 1, ANALYSIS_RATE);
  const buf = await ctx.decodeAudioData(bytes);
  const channels = Array.from({ length: buf.numberOfChannels }, (_, c) => buf.getChannelData(c).slice());
  return { sampleRate: buf.sampleRate, channels, format: BROWSER_FORMAT };
}

function decoderLabel(format: string, browser: boolean): string {
  if (browser) return `browser: ${format}`;
  return /^(PCM|float)/.test(format) ? `lab: WAV ${format}` : `lab: ${format}`;
}

/** One job in the worker; a worker that dies meanwhile (memory) fails the job, not the page. */
async function run(job: AudioJob, window: AnalysisWindow): Promise<AudioOutcome> {
  audioWorker();
  const { api, crashed } = worker!;
  const transfer = job.bytes ? [job.bytes] : (job.pcm?.channels.map((c) => c.buffer as ArrayBuffer) ?? []);
  try {
    const [out] = await Promise.race([
      api.analyse(
        [Comlink.transfer(job, transfer)],
        window,
        Comlink.proxy(() => {}),
      ),
      crashed,
    ]);
    return out;
  } catch (e) {
    if ((e as Error)?.name === AUDIO_CANCELLED) throw e;
    return { file: job.file, ok: false, error: `${job.file}: ${(e as Error)?.message ?? String(e)}` };
  }
}

/** One file: our decoders, else the browser's; the entry for the clip table and the feature row. */
async function analyseFile(f: PathedFile, window: AnalysisWindow, clips: ClipBackend): Promise<{ entry: ClipEntry; values?: Float64Array }> {
  const file = f.path;
  if (f.file.size > MAX_FILE_BYTES)
    return {
      entry: {
        file,
        error: `${file}: too large (${(f.file.size / 2 ** 20).toFixed(0)} MB); the lab reads files up to ${MAX_FILE_BYTES / 2 ** 20} MB: cut an excerpt`,
      },
    };
  const bytes = await f.file.arrayBuffer();
  const blob = new Blob([bytes], { type: f.file.type });
  let out = await run({ file, bytes }, window);
  let browser = false;
  if (!out.ok && out.unsupported) {
    const { hash, error } = out;
    try {
      const pcm = await browserDecode(await blob.arrayBuffer());
      browser = true;
      out = { ...(await run({ file, pcm }, window)), hash } as AudioOutcome;
    } catch {
      return {
        entry: {
          file,
          // the lab's decoder says what the file seems to be (and what to do); the browser's gave no better answer
          error: `${error}; this browser's decoder could not read it either`,
        },
      };
    }
  }
  if (!out.ok) return { entry: { file, error: out.error } };
  if (out.hash) await clips.put(out.hash, blob).catch(() => {});
  const { info } = out;
  const entry: ClipEntry = {
    file,
    hash: out.hash,
    duration: info.duration,
    sampleRate: info.sampleRate,
    channels: info.channels,
    from: info.from,
    to: info.to,
    decoder: decoderLabel(info.format, browser),
  };
  return { entry, values: out.values };
}

export interface AnalysisControl {
  cancelled: boolean;
  /** protect stored clips from the collector until the set refers to them */
  hold?: (hashes: readonly string[]) => void;
}

/** Analyse the files in order; the features file holds the clips that worked (ids from their names, unique). */
export async function analyseFiles(
  files: readonly PathedFile[],
  window: AnalysisWindow,
  onProgress: (p: AnalysisProgress) => void,
  control: AnalysisControl,
  clips: ClipBackend,
): Promise<AnalysisReport> {
  const t0 = performance.now();
  const entries: ClipEntry[] = [];
  const rows: (Float64Array | undefined)[] = [];
  for (let i = 0; i < files.length; i++) {
    const elapsed = (performance.now() - t0) / 1000;
    onProgress({ done: i, total: files.length, current: files[i].path, secondsLeft: i ? (elapsed / i) * (files.length - i) : null });
    if (control.cancelled) return { features: null, clips: entries, cancelled: true, ms: performance.now() - t0 };
    try {
      const r = await analyseFile(files[i], window, clips);
      if (r.entry.hash) control.hold?.([r.entry.hash]);
      entries.push(r.entry);
      rows.push(r.values);
    } catch (e) {
      if ((e as Error)?.name === AUDIO_CANCELLED) return { features: null, clips: entries, cancelled: true, ms: performance.now() - t0 };
      entries.push({ file: files[i].path, error: `${files[i].path}: ${(e as Error)?.message ?? String(e)}` });
      rows.push(undefined);
    }
  }
  onProgress({ done: files.length, total: files.length, current: '', secondsLeft: 0 });
  return { ...assemble(entries, rows, window), cancelled: false, ms: performance.now() - t0 };
}

/** The features file and the clip entries with their ids. */
function assemble(entries: ClipEntry[], rows: (Float64Array | undefined)[], window: AnalysisWindow): { features: FileText | null; clips: ClipEntry[] } {
  const okIdx = entries.flatMap((_e, i) => (rows[i] ? [i] : []));
  const ids = clipIds(okIdx.map((i) => entries[i].file));
  const clips = entries.map((e) => ({ ...e }) as { -readonly [K in keyof ClipEntry]: ClipEntry[K] });
  okIdx.forEach((i, k) => {
    clips[i].id = ids[k];
  });
  if (!okIdx.length) return { features: null, clips };
  const fs = featureTable(
    ids,
    okIdx.map((i) => rows[i]!),
    AUDIO_FEATURES_NAME,
  );
  return { features: { name: AUDIO_FEATURES_NAME, text: featureSetToCsv(fs), audio: { window, clips } }, clips };
}
