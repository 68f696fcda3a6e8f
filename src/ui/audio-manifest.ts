/**
 * What the lab keeps of audio the user analysed (issue 13), next to the features file it made: the analysis
 * window and, per file, its clip id, the key of its bytes in the clip store (clip-store.ts), what the clip table
 * shows, or why it failed. It travels with the features FileText (undo, autosave, notebook files); the bytes
 * themselves stay in this browser's clip store.
 */
import type { AnalysisWindow } from '../audio/analyse';

export interface ClipEntry {
  /** clip id in the features (unique, from the file name); absent for a file that failed */
  readonly id?: string;
  /** file name (path inside a dropped folder) */
  readonly file: string;
  /** content hash: the key of the file's bytes in the clip store */
  readonly hash?: string;
  readonly duration?: number;
  readonly sampleRate?: number;
  readonly channels?: number;
  /** the window analysed, seconds */
  readonly from?: number;
  readonly to?: number;
  /** which decoder read the file and its format, e.g. "lab: WAV PCM 16-bit", "browser: decodeAudioData" */
  readonly decoder?: string;
  /** why the file has no features */
  readonly error?: string;
}

export interface AudioManifest {
  readonly window: AnalysisWindow;
  readonly clips: readonly ClipEntry[];
}

/** The name of the features file made from audio. */
export const AUDIO_FEATURES_NAME = 'features-from-audio.csv';

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

/** A manifest read from storage or a notebook file; null when it is not one (the features file is kept without it). */
export function checkManifest(raw: unknown): AudioManifest | null {
  const o = raw as { window?: { offset?: unknown; length?: unknown }; clips?: unknown } | null;
  if (!o || typeof o !== 'object' || !Array.isArray(o.clips)) return null;
  const offset = num(o.window?.offset);
  const length = num(o.window?.length);
  if (offset === undefined || length === undefined) return null;
  const clips: ClipEntry[] = [];
  for (const c of o.clips as Record<string, unknown>[]) {
    const file = str(c?.file);
    if (!file) continue;
    const e: Record<string, unknown> = { file };
    for (const k of ['id', 'hash', 'decoder', 'error'] as const) if (str(c[k]) !== undefined) e[k] = c[k];
    for (const k of ['duration', 'sampleRate', 'channels', 'from', 'to'] as const) if (num(c[k]) !== undefined) e[k] = c[k];
    clips.push(e as unknown as ClipEntry);
  }
  return { window: { offset, length }, clips };
}

/** The content hashes a manifest refers to. */
export function manifestHashes(m: AudioManifest | null | undefined): string[] {
  return m ? m.clips.flatMap((c) => (c.hash && c.id ? [c.hash] : [])) : [];
}
