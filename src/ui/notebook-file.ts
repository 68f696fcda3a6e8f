/**
 * Notebook snapshots: what autosave keeps in IndexedDB and what a notebook file holds — parameters,
 * the user's own data files (bundled sets are referenced by name: they ship with the app) and results.
 * JSON, optionally zipped with fflate. Pure (no DOM) so it is unit tested.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { BUNDLED, type DataFiles, type Slot } from './data';
import { type DataSource, holdsFiles, type SavedRun } from './kinds';
import { sanitiseCells, type Cell } from './model';
import { checkManifest } from './audio-manifest';
import { checkConstraintsSummary, checkCurveResult, checkExperimentResult, ResultSchemaError } from '../core/result-schema';

export type { ConstraintsSummary, SavedRun } from './kinds';

export const NOTEBOOK_FORMAT = 'similarity-lab-notebook';
export const NOTEBOOK_VERSION = 1;

export interface NotebookSnapshot {
  readonly format: typeof NOTEBOOK_FORMAT;
  readonly version: number;
  readonly savedAt: string;
  readonly cells: readonly Cell[];
  readonly runs: Readonly<Record<string, SavedRun>>;
  /** the user's own files per Data cell (never bundled sets) */
  readonly files: Readonly<Record<string, DataFiles>>;
  /** data version per Data cell (part of every dependent cell's input key) */
  readonly dataVersion: Readonly<Record<string, number>>;
  /** set when read back: the damaged parts that were left out, each with where and what */
  readonly problems?: readonly string[];
  /** per Data cell, the data set before its last replacement (undo) */
  readonly previous?: Readonly<Record<string, PreviousData>>;
}

/** A Data cell's earlier data set: a bundled set by name or the user's files, its version and the saved runs of it and the cells below. */
export interface PreviousData {
  readonly source: DataSource;
  readonly files?: DataFiles;
  readonly version: number;
  readonly runs: Readonly<Record<string, SavedRun>>;
}

export function snapshot(parts: Omit<NotebookSnapshot, 'format' | 'version' | 'savedAt'>, now = new Date()): NotebookSnapshot {
  return { format: NOTEBOOK_FORMAT, version: NOTEBOOK_VERSION, savedAt: now.toISOString(), ...parts };
}

export function notebookToJson(s: NotebookSnapshot): string {
  return JSON.stringify(s);
}

export function notebookToZip(s: NotebookSnapshot): Uint8Array {
  return zipSync({ 'notebook.json': strToU8(notebookToJson(s)) }, { level: 6 });
}

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** Read a notebook file (JSON or zip); checks everything, throws an Error naming the file and the problem. */
export function parseNotebookFile(bytes: Uint8Array, name: string): NotebookSnapshot {
  let text: string;
  if (isZip(bytes)) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(bytes);
    } catch (e) {
      throw new Error(`${name}: damaged zip file (${(e as Error).message})`);
    }
    const entry = entries['notebook.json'] ?? Object.entries(entries).find(([k]) => k.endsWith('.json'))?.[1];
    if (!entry) throw new Error(`${name}: the zip holds no notebook.json`);
    text = strFromU8(entry);
  } else {
    text = strFromU8(bytes);
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name}: not a notebook file (invalid JSON: ${(e as Error).message})`);
  }
  return checkSnapshot(obj, name);
}

const SLOT_NAMES: readonly Slot[] = ['features', 'judgments', 'users'];

/** Validate an untrusted snapshot (file or storage). */
export function checkSnapshot(obj: unknown, where: string): NotebookSnapshot {
  const o = obj as Partial<NotebookSnapshot> | null;
  if (!o || typeof o !== 'object' || o.format !== NOTEBOOK_FORMAT) throw new Error(`${where}: not a Similarity Lab notebook (format field missing)`);
  if (typeof o.version !== 'number' || o.version > NOTEBOOK_VERSION)
    throw new Error(`${where}: notebook version ${String(o.version)} is newer than this app understands (${NOTEBOOK_VERSION})`);
  const cells = sanitiseCells(o.cells, where);
  const ids = new Set(cells.map((c) => c.id));
  const problems: string[] = [];
  const runs = checkRuns(o.runs, cells, where, problems);
  const files: Record<string, DataFiles> = {};
  for (const [id, f] of Object.entries(o.files ?? {})) if (ids.has(id) && f) files[id] = checkFiles(f, `${where}: the`, `file of cell ${id}`);
  const dataVersion: Record<string, number> = {};
  for (const [id, v] of Object.entries(o.dataVersion ?? {})) if (ids.has(id) && typeof v === 'number') dataVersion[id] = v;
  const previous = checkPrevious(o.previous, cells, where);
  return {
    format: NOTEBOOK_FORMAT,
    version: o.version,
    savedAt: typeof o.savedAt === 'string' ? o.savedAt : '',
    cells,
    runs,
    files,
    dataVersion,
    ...(Object.keys(previous).length ? { previous } : {}),
    ...(problems.length ? { problems } : {}),
  };
}

/** Saved runs of the notebook's cells; a damaged result is left out (the cell shows it has not run) and said in `problems`. */
function checkRuns(raw: unknown, cells: readonly Cell[], where: string, problems: string[]): Record<string, SavedRun> {
  const runs: Record<string, SavedRun> = {};
  for (const [id, r] of Object.entries((raw ?? {}) as Record<string, SavedRun>)) {
    const cell = cells.findIndex((c) => c.id === id) + 1;
    if (cell === 0 || !r || typeof r !== 'object' || typeof r.inputKey !== 'string') continue;
    try {
      runs[id] = {
        inputKey: r.inputKey,
        ranAt: typeof r.ranAt === 'string' ? r.ranAt : '',
        ...(r.result !== undefined ? { result: checkExperimentResult(r.result, `runs.${id}.result`) } : {}),
        ...(r.summary !== undefined ? { summary: checkConstraintsSummary(r.summary, `runs.${id}.summary`) } : {}),
        ...(r.curve !== undefined ? { curve: checkCurveResult(r.curve, `runs.${id}.curve`) } : {}),
      };
    } catch (e) {
      if (!(e instanceof ResultSchemaError)) throw e;
      problems.push(`${where}: the results of cell ${cell} are damaged and were left out (${e.message}); run the cell again.`);
    }
  }
  return runs;
}

function checkFiles(f: unknown, before: string, after: string): DataFiles {
  const out: DataFiles = {};
  for (const s of SLOT_NAMES) {
    const ft = (f as DataFiles)[s];
    if (!ft) continue;
    if (typeof ft.name !== 'string' || typeof ft.text !== 'string') throw new Error(`${before} ${s} ${after} is damaged`);
    const audio = s === 'features' && ft.audio !== undefined ? checkManifest(ft.audio) : null;
    out[s] = { name: ft.name, text: ft.text, ...(audio ? { audio } : {}) };
  }
  return out;
}

const SOURCES: readonly string[] = [...BUNDLED.map((b) => b.id), 'files', 'workshop'];

/** Undo entries of Data cells; a damaged one is dropped (it only offers an undo). */
function checkPrevious(raw: unknown, cells: readonly Cell[], where: string): Record<string, PreviousData> {
  const ids = new Set(cells.map((c) => c.id));
  const out: Record<string, PreviousData> = {};
  for (const [id, p] of Object.entries((raw ?? {}) as Record<string, PreviousData>)) {
    if (!ids.has(id) || !p || typeof p !== 'object' || !SOURCES.includes(p.source) || typeof p.version !== 'number') continue;
    try {
      const files = holdsFiles(p.source) ? { files: checkFiles(p.files ?? {}, `${where}: the earlier`, `file of cell ${id}`) } : {};
      out[id] = { source: p.source, ...files, version: p.version, runs: checkRuns(p.runs, cells, where, []) };
    } catch {
      // dropped
    }
  }
  return out;
}
