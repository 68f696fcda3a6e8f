/**
 * Bundled clip sets (issue 13): a data set whose `clips` names a clips.csv (id,file,… with the audio files in
 * its folder). Their clips play from the site, and their precomputed features can be recomputed in the page
 * from the audio and compared with the shipped ones.
 */
import { DEFAULT_WINDOW } from '../audio/analyse';
import { headerIndex, readTable } from '../core/parse/csv';
import { parseFeatures } from '../core/parse';
import { DataError, type FeatureSet } from '../core/types';
import { analyseFiles, type AnalysisControl, type AnalysisProgress } from './audio-analysis';
import type { ClipEntry } from './audio-manifest';
import { memoryClips } from './clip-store';

export interface ClipSetRow {
  readonly id: string;
  readonly file: string;
}

/** The rows of a clips.csv: `id` and `file` columns (others are kept by the set, not needed here); ids unique. */
export function parseClipsCsv(text: string, name: string): ClipSetRow[] {
  const t = readTable(text, name);
  const h = headerIndex(t);
  const id = h.get('id');
  const file = h.get('file');
  if (id === undefined || file === undefined)
    throw new DataError({ file: name, line: t.headerLine, message: `the header has no ${id === undefined ? '"id"' : '"file"'} column`, expected: 'id,file,…' });
  const seen = new Set<string>();
  return t.rows.map((r, k) => {
    const row = { id: r[id] ?? '', file: r[file] ?? '' };
    if (!row.id || !row.file) throw new DataError({ file: name, line: t.lines[k], message: 'a clip without id or file', expected: 'both' });
    if (seen.has(row.id)) throw new DataError({ file: name, line: t.lines[k], message: `clip id "${row.id}" appears twice`, expected: 'unique ids' });
    seen.add(row.id);
    return row;
  });
}

/** URL of a clip of the set: its file in the folder of clips.csv (`clips` is relative to data/). */
export function clipSetUrl(base: string, clips: string, file: string): string {
  const folder = clips.includes('/') ? clips.slice(0, clips.lastIndexOf('/') + 1) : '';
  return `${base}data/${folder}${file.split('/').map(encodeURIComponent).join('/')}`;
}

export interface FeatureDiff {
  /** largest |recomputed − shipped| / max(|shipped|, 1e-9) over every clip and column both have */
  readonly maxRel: number;
  readonly at: { readonly id: string; readonly column: string } | null;
  readonly compared: number;
  /** clips of the shipped features the recomputation lacks (or the other way round), columns likewise */
  readonly missing: readonly string[];
}

/** Compare recomputed features with shipped ones, by clip id and column name. */
export function compareFeatures(got: FeatureSet, want: FeatureSet): FeatureDiff {
  const gi = new Map(got.ids.map((id, i) => [id, i]));
  const gc = new Map(got.names.map((n, k) => [n, k]));
  const missing = [...want.ids.filter((id) => !gi.has(id)), ...want.names.filter((n) => !gc.has(n)).map((n) => `column ${n}`)];
  let maxRel = 0;
  let at: FeatureDiff['at'] = null;
  let compared = 0;
  want.ids.forEach((id, i) => {
    const r = gi.get(id);
    if (r === undefined) return;
    want.names.forEach((column, k) => {
      const c = gc.get(column);
      if (c === undefined) return;
      const b = want.X.data[i * want.X.cols + k];
      const a = got.X.data[r * got.X.cols + c];
      const rel = Math.abs(a - b) / Math.max(Math.abs(b), 1e-9);
      compared++;
      if (!(rel <= maxRel)) {
        maxRel = Number.isNaN(rel) ? Number.POSITIVE_INFINITY : rel;
        at = { id, column };
      }
    });
  });
  return { maxRel, at, compared, missing };
}

export interface Recomputed {
  readonly clips: ClipEntry[];
  readonly diff: FeatureDiff | null;
  readonly cancelled: boolean;
  readonly ms: number;
}

/** Fetch a set's clips, analyse them in the audio worker (default window) and compare with the shipped features. */
export async function recomputeClipSet(
  rows: readonly ClipSetRow[],
  urlOf: (file: string) => string,
  shipped: FeatureSet,
  onProgress: (p: AnalysisProgress) => void,
  control: AnalysisControl,
): Promise<Recomputed> {
  const files = await Promise.all(
    rows.map(async (r) => {
      const res = await fetch(urlOf(r.file));
      if (!res.ok) throw new Error(`could not fetch ${r.file}: HTTP ${res.status}`);
      return { file: new File([await res.blob()], r.file), path: r.file };
    }),
  );
  const rep = await analyseFiles(files, DEFAULT_WINDOW, onProgress, control, memoryClips());
  // the set's own ids, not those made from file names
  const idOf = new Map(rows.map((r) => [r.file, r.id]));
  const clips = rep.clips.map((c) => (c.id ? { ...c, id: idOf.get(c.file) ?? c.id } : c));
  if (!rep.features || rep.cancelled) return { clips, diff: null, cancelled: rep.cancelled, ms: rep.ms };
  const fs = parseFeatures(rep.features.text, rep.features.name);
  const rename = new Map(rep.clips.flatMap((c, i) => (c.id ? [[c.id, clips[i].id as string] as const] : [])));
  const renamed: FeatureSet = { ...fs, ids: fs.ids.map((id) => rename.get(id) ?? id) };
  return { clips, diff: compareFeatures(renamed, shipped), cancelled: false, ms: rep.ms };
}
