/**
 * The lab's state (zustand): the notebook's cells, each cell's last run, the loaded data, the worker
 * and its backend, autosave. Statuses are derived: a finished run is "fresh" while the inputs it ran on
 * (its own parameters and those of every cell it reads from, plus the data version) are unchanged,
 * "stale" otherwise — so editing a cell marks it and everything downstream stale, and nothing expensive
 * starts without Run.
 */
import { create } from 'zustand';
import { groupSummary, toConstraints, TripletRegistry } from '../core/constraints';
import type { ExperimentResult } from '../core/experiment-types';
import { EMPTY_DATA, fetchBundled, loadFiles, loadSlot, type DataFiles, type FileText, type LoadedData, type Slot } from './data';
import {
  decodeShare,
  experimentSpec,
  inputKey,
  makeCell,
  nearestAbove,
  presetNotebook,
  transferSpec,
  upstreamOf,
  validateParams,
  type Cell,
  type CellKind,
  type CellStatus,
  type Notebook,
  type ParamsOf,
  type PresetNotebookId,
} from './model';
import { snapshot, type ConstraintsSummary, type NotebookSnapshot, type SavedRun } from './notebook-file';
import { friendly, type FriendlyError } from './errors';
import { LabRunner, RunCancelled, WorkerCrash } from './runner';
import type { BackendPref, BackendState, Progress } from '../worker/api';
import * as persist from './persist';

export interface CellRun {
  readonly saved?: SavedRun;
  readonly running?: boolean;
  readonly paused?: boolean;
  readonly progress?: Progress;
  readonly error?: FriendlyError;
}

export interface LabState {
  cells: Cell[];
  runs: Record<string, CellRun>;
  data: Record<string, LoadedData>;
  dataVersion: Record<string, number>;
  /** a Data cell is fetching / parsing */
  loading: Record<string, boolean>;
  backendPref: BackendPref;
  backend: BackendState | null;
  backendError: FriendlyError | null;
  /** when the notebook was restored from this browser's storage */
  restoredAt: string | null;
  notice: { kind: 'info' | 'error'; text: string; detail?: string } | null;
  busy: boolean;
  /** when autosave last wrote the notebook to this browser's storage */
  savedAt: string | null;
}

let runner: LabRunner | null = null;
const getRunner = (): LabRunner => {
  if (!runner) {
    runner = new LabRunner((e) => useLab.setState({ notice: { kind: 'error', text: e.message } }));
  }
  return runner;
};

export const useLab = create<LabState>(() => ({
  cells: [],
  runs: {},
  data: {},
  dataVersion: {},
  loading: {},
  backendPref: 'auto',
  backend: null,
  backendError: null,
  restoredAt: null,
  notice: null,
  busy: false,
  savedAt: null,
}));

const get = () => useLab.getState();
const set = useLab.setState;

const base = (): string => (typeof import.meta !== 'undefined' && import.meta.env?.BASE_URL) || './';

// ---------------------------------------------------------------------------------------------
// derived

export function keyOf(cells: readonly Cell[], index: number, dataVersion: Record<string, number>): string {
  return inputKey(cells, index, (id) => dataVersion[id] ?? 0);
}

export function statusOf(s: Pick<LabState, 'cells' | 'runs' | 'dataVersion'>, id: string): CellStatus {
  const i = s.cells.findIndex((c) => c.id === id);
  const r = s.runs[id];
  if (!r || i < 0) return 'idle';
  if (r.running) return 'running';
  if (r.error) return 'error';
  if (!r.saved) return 'idle';
  return r.saved.inputKey === keyOf(s.cells, i, s.dataVersion) ? 'fresh' : 'stale';
}

/** group-by attribute that applies to the cell at `index` ('' = none) */
export function groupByFor(cells: readonly Cell[], index: number): string {
  const up = upstreamOf(cells, index);
  const c = cells.find((x) => up.includes(x.id) && x.kind === 'constraints');
  return c && c.kind === 'constraints' ? c.params.groupBy : '';
}

export function dataFor(s: Pick<LabState, 'cells' | 'data'>, index: number): LoadedData | null {
  const d = nearestAbove(s.cells, index, 'data');
  return d ? (s.data[d.id] ?? null) : null;
}

// ---------------------------------------------------------------------------------------------
// editing

function setRun(id: string, patch: Partial<CellRun> | ((r: CellRun) => CellRun)): void {
  set((s) => ({ runs: { ...s.runs, [id]: typeof patch === 'function' ? patch(s.runs[id] ?? {}) : { ...(s.runs[id] ?? {}), ...patch } } }));
}

export function setParams<K extends CellKind>(id: string, patch: Partial<ParamsOf[K]>): void {
  set((s) => ({ cells: s.cells.map((c) => (c.id === id ? ({ ...c, params: { ...c.params, ...patch } } as Cell) : c)) }));
  // a changed parameter clears an old error message (the status then derives from inputs again)
  const r = get().runs[id];
  if (r?.error) setRun(id, { error: undefined });
  scheduleSave();
}

export function setTitle(id: string, title: string): void {
  set((s) => ({ cells: s.cells.map((c) => (c.id === id ? { ...c, title } : c)) }));
  scheduleSave();
}

export function addCell(kind: CellKind, atIndex?: number): string {
  const cell = makeCell(kind);
  set((s) => {
    const cells = [...s.cells];
    cells.splice(atIndex ?? cells.length, 0, cell);
    return { cells };
  });
  scheduleSave();
  return cell.id;
}

export function deleteCell(id: string): void {
  if (get().runs[id]?.running) return;
  set((s) => {
    const runs = { ...s.runs };
    delete runs[id];
    const data = { ...s.data };
    delete data[id];
    return { cells: s.cells.filter((c) => c.id !== id), runs, data };
  });
  scheduleSave();
}

/** Copy a cell (parameters and, for a Data cell, its files) just below it, to compare side by side. */
export function duplicateCell(id: string): string | null {
  const s = get();
  const i = s.cells.findIndex((c) => c.id === id);
  if (i < 0) return null;
  const src = s.cells[i];
  const copy = { ...makeCell(src.kind), params: structuredClone(src.params), title: src.title ? `${src.title} (copy)` : undefined } as Cell;
  const cells = [...s.cells];
  cells.splice(i + 1, 0, copy);
  const patch: Partial<LabState> = { cells };
  if (src.kind === 'data' && s.data[src.id]) {
    patch.data = { ...s.data, [copy.id]: s.data[src.id] };
    patch.dataVersion = { ...s.dataVersion, [copy.id]: 1 };
  }
  set(patch);
  scheduleSave();
  return copy.id;
}

export function moveCell(id: string, delta: -1 | 1): void {
  set((s) => {
    const i = s.cells.findIndex((c) => c.id === id);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= s.cells.length) return {};
    const cells = [...s.cells];
    [cells[i], cells[j]] = [cells[j], cells[i]];
    return { cells };
  });
  scheduleSave();
}

// ---------------------------------------------------------------------------------------------
// data

function bumpData(id: string, d: LoadedData): void {
  set((s) => ({ data: { ...s.data, [id]: d }, dataVersion: { ...s.dataVersion, [id]: (s.dataVersion[id] ?? 0) + 1 } }));
}

/** Load one of the user's files into a Data cell: parsed at once, earlier data kept on error. */
export function loadDataFile(cellId: string, slot: Slot, file: FileText): void {
  const s = get();
  const prev = s.data[cellId] ?? EMPTY_DATA;
  // switching from a bundled set to own files starts from what is loaded (so a users file can be added)
  const next = loadSlot(prev, slot, file);
  if (next.errors[slot]) {
    set((st) => ({ data: { ...st.data, [cellId]: next } }));
    return;
  }
  const cell = s.cells.find((c) => c.id === cellId);
  if (cell?.kind === 'data' && cell.params.source !== 'files') {
    set((st) => ({ cells: st.cells.map((c) => (c.id === cellId ? ({ ...c, params: { source: 'files' } } as Cell) : c)) }));
  }
  bumpData(cellId, next);
  const i = get().cells.findIndex((c) => c.id === cellId);
  setRun(cellId, { saved: { inputKey: keyOf(get().cells, i, get().dataVersion), ranAt: new Date().toISOString() }, error: undefined });
  scheduleSave();
}

export function clearDataError(cellId: string, slot: Slot | 'data'): void {
  const d = get().data[cellId];
  if (!d) return;
  const errors = { ...d.errors };
  delete errors[slot];
  set((s) => ({ data: { ...s.data, [cellId]: { ...d, errors } } }));
}

async function runData(cell: Extract<Cell, { kind: 'data' }>): Promise<void> {
  const id = cell.id;
  if (cell.params.source === 'files') {
    const d = get().data[id];
    if (!d?.lab) throw new Error('Load a features file and a judgments file first (file picker, drag-and-drop or URL).');
  } else {
    set((s) => ({ loading: { ...s.loading, [id]: true } }));
    try {
      const files = await fetchBundled(cell.params.source, base());
      const d = loadFiles(files);
      const err = Object.values(d.errors)[0];
      if (err) throw new Error(err);
      bumpData(id, d);
    } finally {
      set((s) => ({ loading: { ...s.loading, [id]: false } }));
    }
  }
}

function summarise(cellIndex: number): ConstraintsSummary {
  const s = get();
  const cell = s.cells[cellIndex];
  if (cell.kind !== 'constraints') throw new Error('not a constraints cell');
  const d = dataFor(s, cellIndex);
  if (!d?.lab) throw new Error('No data: run the Data cell above first.');
  const js = d.lab.judgments;
  const ids = d.lab.features.ids;
  const overall = toConstraints(js.judgments, ids, new TripletRegistry(), { file: js.source }).report;
  const groupBy = cell.params.groupBy;
  if (groupBy && !js.attributeColumns.includes(groupBy)) {
    throw new Error(`"${groupBy}" is not an attribute of ${js.source} (attributes: ${js.attributeColumns.join(', ') || 'none'}).`);
  }
  return { groupBy, overall, groups: groupBy ? groupSummary(js, ids, groupBy) : [] };
}

// ---------------------------------------------------------------------------------------------
// running

let cancelRequested = false;

async function runOne(id: string): Promise<void> {
  const s = get();
  const i = s.cells.findIndex((c) => c.id === id);
  if (i < 0) return;
  const cell = s.cells[i];
  setRun(id, (r) => ({ saved: r.saved, running: true, progress: undefined, error: undefined }));
  try {
    let extra: Partial<SavedRun> = {};
    if (cell.kind === 'data') await runData(cell);
    else if (cell.kind === 'constraints') extra = { summary: summarise(i) };
    else if (cell.kind === 'experiment' || cell.kind === 'transfer') extra = { result: await runExperimentCell(i) };
    else if (cell.kind === 'heatmaps') {
      const up = upstreamOf(s.cells, i)[0];
      if (!up) throw new Error('Put this cell below an Experiment or Transfer cell: it shows that cell\'s metrics.');
      if (!get().runs[up]?.saved?.result) throw new Error('The Experiment / Transfer cell above has no results yet: run it first.');
    }
    const st = get();
    const key = keyOf(st.cells, st.cells.findIndex((c) => c.id === id), st.dataVersion);
    setRun(id, { saved: { inputKey: key, ranAt: new Date().toISOString(), ...extra }, running: false, paused: false, progress: undefined, error: undefined });
  } catch (e) {
    setRun(id, (r) => ({ saved: r.saved, running: false, paused: false, progress: undefined, error: friendly(e) }));
    throw e;
  } finally {
    scheduleSave();
  }
}

async function runExperimentCell(i: number): Promise<ExperimentResult> {
  const s = get();
  const cell = s.cells[i];
  const groupBy = groupByFor(s.cells, i);
  const problems = validateParams(cell, groupBy);
  if (problems.length) throw new Error(problems.join(' '));
  const d = dataFor(s, i);
  if (!d?.lab) throw new Error('No data: run the Data cell above first.');
  const spec =
    cell.kind === 'experiment' ? experimentSpec(cell.params, groupBy) : cell.kind === 'transfer' ? transferSpec(cell.params, groupBy) : null;
  if (!spec) throw new Error('not an experiment cell');
  const r = getRunner();
  await ensureBackend();
  return r.run(d.lab, spec, (p) => setRun(cell.id, { progress: p }));
}

/** Cells that must run (not fresh) before `id`, in order, then `id` itself. */
function plan(id: string): string[] {
  const s = get();
  const need = new Set<string>();
  const visit = (cid: string) => {
    const i = s.cells.findIndex((c) => c.id === cid);
    for (const u of upstreamOf(s.cells, i)) visit(u);
    if (cid === id || statusOf(s, cid) !== 'fresh') need.add(cid);
  };
  visit(id);
  return s.cells.filter((c) => need.has(c.id)).map((c) => c.id);
}

async function sequence(ids: string[]): Promise<void> {
  if (get().busy) return;
  cancelRequested = false;
  set({ busy: true, notice: null });
  try {
    for (const cid of ids) {
      if (cancelRequested) break;
      const c = get().cells.find((x) => x.id === cid);
      if (!c || c.kind === 'note') continue;
      await runOne(cid);
    }
  } catch {
    // the cell shows its error; later cells do not run
  } finally {
    set({ busy: false });
    scheduleSave(0);
  }
}

/** Run a cell (and whatever it needs above it that is not fresh). */
export function runCell(id: string): Promise<void> {
  return sequence(plan(id));
}

/** Run every cell in order, stopping at the first error. */
export function runAll(): Promise<void> {
  return sequence(get().cells.map((c) => c.id));
}

export function pauseRun(): void {
  const id = Object.keys(get().runs).find((k) => get().runs[k].running);
  if (!id) return;
  getRunner().pause();
  setRun(id, { paused: true });
}
export function resumeRun(): void {
  const id = Object.keys(get().runs).find((k) => get().runs[k].running);
  if (!id) return;
  getRunner().resume();
  setRun(id, { paused: false });
}
export async function cancelRun(): Promise<void> {
  cancelRequested = true;
  const how = await getRunner().cancel();
  if (how === 'terminated') set({ notice: { kind: 'info', text: 'The run did not stop in time, so its worker was stopped and a fresh one started.' } });
}

export function isCancel(e: FriendlyError | undefined): boolean {
  return e?.kind === 'cancelled';
}

// ---------------------------------------------------------------------------------------------
// backend

let backendPromise: Promise<BackendState> | null = null;
async function ensureBackend(): Promise<BackendState> {
  if (!backendPromise) return setBackendPref(get().backendPref);
  return backendPromise;
}

export async function setBackendPref(pref: BackendPref): Promise<BackendState> {
  set({ backendPref: pref, backend: null, backendError: null });
  const p = getRunner().setBackend(pref);
  backendPromise = p;
  try {
    const st = await p;
    if (backendPromise === p) set({ backend: st });
    return st;
  } catch (e) {
    set({ backendError: friendly(e) });
    backendPromise = null;
    throw e;
  }
}

/** After a crash or device loss: start a fresh worker on another backend, then run the cell again. */
export async function retryOn(id: string, pref: BackendPref): Promise<void> {
  getRunner().terminate();
  await setBackendPref(pref);
  await runCell(id);
}

export { RunCancelled, WorkerCrash };

// ---------------------------------------------------------------------------------------------
// notebooks: presets, restore, files, share links, autosave

function savedRuns(): Record<string, SavedRun> {
  const out: Record<string, SavedRun> = {};
  for (const [id, r] of Object.entries(get().runs)) if (r.saved) out[id] = r.saved;
  return out;
}

export function currentSnapshot(): NotebookSnapshot {
  const s = get();
  const files: Record<string, DataFiles> = {};
  for (const c of s.cells) if (c.kind === 'data' && c.params.source === 'files' && s.data[c.id]) files[c.id] = s.data[c.id].files;
  return snapshot({ cells: s.cells, runs: savedRuns(), files, dataVersion: s.dataVersion });
}

/** Replace the notebook; data of bundled sets is fetched again and the user's files re-parsed (cheap, no computation). */
export async function applySnapshot(snap: Pick<NotebookSnapshot, 'cells' | 'runs' | 'files' | 'dataVersion'>): Promise<void> {
  if (get().busy) await cancelRun();
  const runs: Record<string, CellRun> = {};
  for (const [id, r] of Object.entries(snap.runs)) runs[id] = { saved: r };
  set({ cells: [...snap.cells], runs, data: {}, dataVersion: { ...snap.dataVersion }, loading: {} });
  await Promise.all(
    snap.cells.map(async (c) => {
      if (c.kind !== 'data') return;
      try {
        if (c.params.source === 'files') {
          const f = snap.files[c.id];
          if (f) set((s) => ({ data: { ...s.data, [c.id]: loadFiles(f) } }));
        } else if (runs[c.id]?.saved) {
          set((s) => ({ loading: { ...s.loading, [c.id]: true } }));
          const d = loadFiles(await fetchBundled(c.params.source, base()));
          set((s) => ({ data: { ...s.data, [c.id]: d } }));
        }
      } catch (e) {
        setRun(c.id, { error: friendly(e) });
      } finally {
        set((s) => ({ loading: { ...s.loading, [c.id]: false } }));
      }
    }),
  );
}

export async function newNotebook(preset: PresetNotebookId): Promise<void> {
  const nb: Notebook = presetNotebook(preset);
  await applySnapshot({ cells: nb.cells as Cell[], runs: {}, files: {}, dataVersion: {} });
  set({ restoredAt: null });
  scheduleSave();
}

/** First load: a shared link's parameters, else the autosaved notebook, else the default notebook. */
export async function boot(opts: { share?: string | null; backend?: BackendPref | null }): Promise<void> {
  if (opts.backend) set({ backendPref: opts.backend });
  else {
    const pref = await persist.loadBackendPref();
    if (pref) set({ backendPref: pref });
  }
  void setBackendPref(get().backendPref).catch(() => {});
  if (opts.share) {
    try {
      const nb = decodeShare(opts.share);
      await applySnapshot({ cells: nb.cells as Cell[], runs: {}, files: {}, dataVersion: {} });
      set({ notice: { kind: 'info', text: 'Opened the parameters from a shared link. Data is never part of a link: cells that used your own files need them loaded again.' } });
      scheduleSave();
      return;
    } catch (e) {
      set({ notice: { kind: 'error', text: 'The shared link could not be opened; showing your saved notebook instead.', detail: (e as Error).message } });
    }
  }
  try {
    const saved = await persist.loadNotebook();
    if (saved) {
      await applySnapshot(saved);
      set({ restoredAt: saved.savedAt || new Date().toISOString() });
      return;
    }
  } catch (e) {
    set({ notice: { kind: 'error', text: 'The notebook saved in this browser could not be restored; starting from the default notebook.', detail: (e as Error).message } });
  }
  await newNotebook('poster');
}

async function writeSnapshot(): Promise<void> {
  const snap = currentSnapshot();
  await persist.saveNotebook(snap);
  set({ savedAt: snap.savedAt });
}

let saveTimer: ReturnType<typeof setTimeout> | null = null;
let saveChain: Promise<void> = Promise.resolve();
export function scheduleSave(delay = 400): void {
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    saveTimer = null;
    saveChain = saveChain.then(() => writeSnapshot()).catch((e) => {
      set({ notice: { kind: 'error', text: 'Autosave failed: this browser refused to store the notebook.', detail: (e as Error).message } });
    });
  }, delay);
}
/** resolves when pending autosaves are written (tests, before unload) */
export async function flushSave(): Promise<void> {
  if (saveTimer) {
    clearTimeout(saveTimer);
    saveTimer = null;
    saveChain = saveChain.then(() => writeSnapshot());
  }
  await saveChain;
}

export async function eraseAll(): Promise<void> {
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = null;
  await saveChain.catch(() => {});
  await persist.eraseAll();
  await newNotebook('poster');
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = null;
  set({ restoredAt: null, savedAt: null, notice: { kind: 'info', text: 'All data this app stored in your browser was erased.' } });
}

export function dismissNotice(): void {
  set({ notice: null });
}
export function dismissRestored(): void {
  set({ restoredAt: null });
}
