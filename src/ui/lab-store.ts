/**
 * The lab's state and its actions (zustand; actions live in the store, as in xyflow): the notebook's
 * cells (addressed by id), each cell's last run, the loaded data, the backend, autosave. Statuses are
 * derived: a finished run is "fresh" while the inputs it ran on (its own parameters and those of every
 * cell it reads from, plus the data version) are unchanged, "stale" otherwise — so editing a cell marks
 * it and everything downstream stale, and nothing expensive starts without Run.
 *
 * `createLabStore({ runner, persist })` takes the worker runner and the storage, so the store runs (and
 * is tested) without a DOM. Autosave is a subscription: any change of what a snapshot holds is written
 * after a short delay, so no action has to remember to save.
 */
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { estimateUnits, type LabData } from '../core/experiment';
import type { ExperimentResult, ExperimentSpec, PartialResult } from '../core/experiment-types';
import type { CurveSpec, LearningCurveResult } from '../core/learning-curve';
import { own } from '../core/own';
import type { BackendPref, BackendState, Progress } from '../worker/api';
import {
  EMPTY_DATA,
  fetchBundled as fetchBundledFiles,
  loadFiles,
  loadSlot,
  removeSlot,
  type DataFiles,
  type FileText,
  type LoadedData,
  type PresetId,
  type Slot,
} from './data';
import { friendly, type FriendlyError } from './errors';
import { curvesSpec, type DataSource, experimentSpec, holdsFiles, kindOf, transferSpec, type RunContext } from './kinds';
import {
  decodeShare,
  downstreamOf,
  inputKey,
  makeCell,
  nearestAbove,
  presetNotebook,
  upstreamOf,
  type Cell,
  type CellKind,
  type CellStatus,
  type ParamsOf,
  type PresetNotebookId,
} from './model';
import { checkSnapshot, snapshot, type NotebookSnapshot, type PreviousData, type SavedRun } from './notebook-file';

/** What the store needs of the worker (LabRunner in the page, a fake in tests). */
export interface LabRunnerLike {
  run(data: LabData, spec: ExperimentSpec, onProgress: (p: Progress) => void, onPartial?: (p: PartialResult) => void): Promise<ExperimentResult>;
  /** learning curves (the page's runner; test fakes may leave it out) */
  runCurve?(data: LabData, spec: ExperimentSpec, curve: CurveSpec, onProgress: (p: Progress) => void): Promise<LearningCurveResult>;
  pause(): void;
  resume(): void;
  cancel(): Promise<'cooperative' | 'terminated' | 'idle'>;
  setBackend(pref: BackendPref): Promise<BackendState>;
  /** stop the worker at once and start a fresh one */
  terminate(): void;
}

/** Where the notebook is kept between visits (IndexedDB in the page, memory in tests). */
export interface LabPersistence {
  saveNotebook(s: NotebookSnapshot): Promise<void>;
  loadNotebook(): Promise<NotebookSnapshot | null>;
  /** the notebooks links or files replaced (newest first), kept so they can be restored */
  savePrevious(p: readonly PreviousNotebook[]): Promise<void>;
  loadPrevious(): Promise<PreviousNotebook[]>;
  loadBackendPref(): Promise<BackendPref | null>;
  eraseAll(): Promise<void>;
  /**
   * Synchronous stash of the cells (parameters only) when the page goes away with a save still pending — an
   * IndexedDB write begun while a page unloads may never finish; boot applies a stash newer than the saved notebook
   */
  stashCells?(cells: readonly Cell[], at: string): void;
  takeStash?(): { cells: unknown; at: string } | null;
  clearStash?(): void;
}

export interface LabStoreOptions {
  /** creates the runner on first use; `onCrash` reports a worker that stopped between runs */
  runner: (onCrash: (e: Error) => void) => LabRunnerLike;
  persist: LabPersistence;
  /** the files of a bundled data set (default: fetched from ./data/) */
  fetchBundled?: (id: PresetId) => Promise<DataFiles>;
  /** autosave delay after the last change (ms) */
  saveDelayMs?: number;
}

export interface CellRun {
  readonly saved?: SavedRun;
  readonly running?: boolean;
  readonly paused?: boolean;
  /** the whole run's progress (Run all: the notebook's; one cell: that cell and what it needs above it) */
  readonly progress?: Progress;
  /** the rows finished so far while an experiment runs */
  readonly partial?: PartialResult;
  readonly error?: FriendlyError;
}

export interface Notice {
  readonly kind: 'info' | 'error';
  readonly text: string;
  readonly detail?: string;
}

/** A notebook with data or results that a shared link or an opened file replaced: one click brings it back. */
export interface PreviousNotebook {
  readonly snapshot: NotebookSnapshot;
  /** what replaced it ("a shared link", "nb.json") */
  readonly replacedBy: string;
}

/** The damaged parts left out when a notebook was read (null: none). */
export function problemsNotice(s: Pick<NotebookSnapshot, 'problems'>): Notice | null {
  const p = s.problems ?? [];
  return p.length
    ? {
        kind: 'error',
        text: `${p.length === 1 ? 'One result was' : `${p.length} results were`} damaged and left out; the rest is as it was.`,
        detail: p.join('\n'),
      }
    : null;
}

/** How many replaced notebooks this browser keeps. */
export const KEEP_PREVIOUS = 5;

/** A notebook's content without its save time: two kept notebooks with the same content are one. */
const contentOf = (s: NotebookSnapshot) => JSON.stringify([s.cells, s.runs, s.files, s.dataVersion]);

/** Whether a notebook holds an experiment's results (kept longest). */
export function holdsResults(s: Pick<NotebookSnapshot, 'runs'>): boolean {
  return Object.values(s.runs).some((r) => r.result !== undefined || r.curve !== undefined);
}

/**
 * The kept list after keeping `p` (newest first): the same content is kept once (moved to the front), and past
 * KEEP_PREVIOUS the oldest notebook without results goes first, so the one with results is the last to go.
 */
export function keptList(p: PreviousNotebook, list: readonly PreviousNotebook[]): PreviousNotebook[] {
  const key = contentOf(p.snapshot);
  const out = [p, ...list.filter((q) => contentOf(q.snapshot) !== key)];
  while (out.length > KEEP_PREVIOUS) {
    let drop = out.length - 1;
    for (let i = out.length - 1; i > 0; i--) {
      if (!holdsResults(out[i].snapshot)) {
        drop = i;
        break;
      }
    }
    out.splice(drop, 1);
  }
  return out;
}

/**
 * Whether a notebook holds work that a replacement would lose: the user's files or an experiment's results
 * (a Constraints summary is recomputed in a moment and does not count).
 */
export function holdsWork(s: Pick<NotebookSnapshot, 'runs' | 'files'>): boolean {
  return Object.keys(s.files).length > 0 || Object.values(s.runs).some((r) => r.result !== undefined || r.curve !== undefined);
}

export interface LabFields {
  cells: Cell[];
  runs: Record<string, CellRun>;
  data: Record<string, LoadedData>;
  dataVersion: Record<string, number>;
  /** per Data cell, the data set it had before the last replacement (undo: restorePreviousData) */
  previousData: Record<string, PreviousData>;
  /** a Data cell is fetching / parsing */
  loading: Record<string, boolean>;
  backendPref: BackendPref;
  backend: BackendState | null;
  backendError: FriendlyError | null;
  /** when the notebook was restored from this browser's storage */
  restoredAt: string | null;
  notice: Notice | null;
  /** the notebooks links or files replaced, newest first (at most KEEP_PREVIOUS), restorable */
  previous: PreviousNotebook[];
  busy: boolean;
  /** when autosave last wrote the notebook to this browser's storage */
  savedAt: string | null;
}

export interface LabActions {
  setParams<K extends CellKind>(id: string, patch: Partial<ParamsOf[K]>): void;
  setTitle(id: string, title: string): void;
  /** a new cell of `kind` at `atIndex` (default: the end); returns its id */
  addCell(kind: CellKind, atIndex?: number): string;
  deleteCell(id: string): void;
  /** a copy (parameters and, for a Data cell, its files) just below the cell; returns its id */
  duplicateCell(id: string): string | null;
  moveCell(id: string, delta: -1 | 1): void;
  /** one of the user's files into a Data cell: parsed at once, earlier data kept on error */
  loadDataFile(cellId: string, slot: Slot, file: FileText): void;
  /**
   * the user's files into a Data cell, as one change: a file that cannot be read is refused (its slot keeps
   * what it had); the others replace their slots of the cell's own-files set (a bundled set is replaced as
   * a whole), and the set is checked against itself
   */
  loadDataFiles(cellId: string, items: readonly { slot: Slot; file: FileText }[]): void;
  /** drop one file of a Data cell's own-files set */
  removeDataFile(cellId: string, slot: Slot): void;
  /** a bundled set (loaded by Run / Load) or the user's own files (an empty set at first) */
  setDataSource(cellId: string, source: DataSource): void;
  /** undo the last replacement of a Data cell's data: the set before it, with the saved runs of it and the cells below */
  restorePreviousData(cellId: string): Promise<void>;
  clearDataError(cellId: string, slot: Slot): void;
  /** run a cell (and whatever it needs above it that is not fresh) */
  runCell(id: string): Promise<void>;
  /** run every cell in order, stopping at the first error */
  runAll(): Promise<void>;
  pauseRun(): void;
  resumeRun(): void;
  cancelRun(): Promise<void>;
  setBackendPref(pref: BackendPref): Promise<BackendState>;
  /** after a crash or device loss: a fresh worker on another backend, then the cell again */
  retryOn(id: string, pref: BackendPref): Promise<void>;
  currentSnapshot(): NotebookSnapshot;
  /** replace the notebook; bundled data is fetched again and the user's files re-parsed (no computation) */
  applySnapshot(snap: Pick<NotebookSnapshot, 'cells' | 'runs' | 'files' | 'dataVersion' | 'previous'>): Promise<void>;
  newNotebook(preset: PresetNotebookId): Promise<void>;
  /**
   * open a notebook from a link or a file: the current one (or `current`, at boot the autosaved one) is kept
   * as `previous` when it holds files or results, so nothing is lost
   */
  replaceNotebook(
    snap: Pick<NotebookSnapshot, 'cells' | 'runs' | 'files' | 'dataVersion'>,
    replacedBy: string,
    current?: NotebookSnapshot | null,
  ): Promise<void>;
  /** back to a notebook a link or file replaced (index in `previous`, newest first); the one left is kept in turn */
  restorePrevious(index?: number): Promise<void>;
  dismissPrevious(): void;
  /**
   * open a shared link's parameters (`current`: the notebook it replaces, at boot the autosaved one); false
   * with an error notice when the link is damaged, the notebook then unchanged
   */
  openShare(share: string, current?: NotebookSnapshot | null): Promise<boolean>;
  /** first load: a shared link's parameters, else the autosaved notebook, else the default notebook */
  boot(opts: { share?: string | null; backend?: BackendPref | null; game?: GameNotebook | null }): Promise<void>;
  /** resolves when pending autosaves are written */
  flushSave(): Promise<void>;
  eraseAll(): Promise<void>;
  notify(notice: Notice | null): void;
  dismissRestored(): void;
}

export type LabState = LabFields & LabActions;

/** A notebook the listening game hands over ("Analyse in the lab", src/ui/game-handoff.ts): opened at boot, the saved one kept. */
export interface GameNotebook {
  readonly title: string;
  readonly snapshot: Pick<NotebookSnapshot, 'cells' | 'runs' | 'files' | 'dataVersion'>;
}
export type LabStore = UseBoundStore<StoreApi<LabState>>;

type Set = StoreApi<LabState>['setState'];
type Get = StoreApi<LabState>['getState'];

// ---------------------------------------------------------------------------------------------
// derived (pure)

export function keyOf(cells: readonly Cell[], index: number, dataVersion: Record<string, number>): string {
  return inputKey(cells, index, (id) => own(dataVersion, id) ?? 0);
}

export function statusOf(s: Pick<LabFields, 'cells' | 'runs' | 'dataVersion'>, id: string): CellStatus {
  const i = s.cells.findIndex((c) => c.id === id);
  const r = own(s.runs, id);
  if (!r || i < 0) return 'idle';
  if (r.running) return 'running';
  if (r.error) return isCancel(r.error) ? 'cancelled' : 'error';
  if (!r.saved) return 'idle';
  return r.saved.inputKey === keyOf(s.cells, i, s.dataVersion) ? 'fresh' : 'stale';
}

/** group-by attribute that applies to the cell at `index` ('' = none) */
export function groupByFor(cells: readonly Cell[], index: number): string {
  const up = upstreamOf(cells, index);
  const c = cells.find((x) => up.includes(x.id) && x.kind === 'constraints');
  return c && c.kind === 'constraints' ? c.params.groupBy : '';
}

export function dataFor(s: Pick<LabFields, 'cells' | 'data'>, index: number): LoadedData | null {
  const d = nearestAbove(s.cells, index, 'data');
  return d ? (own(s.data, d.id) ?? null) : null;
}

export function isCancel(e: FriendlyError | undefined): boolean {
  return e?.kind === 'cancelled';
}

const INITIAL: LabFields = {
  cells: [],
  runs: {},
  data: {},
  dataVersion: {},
  previousData: {},
  loading: {},
  backendPref: 'auto',
  backend: null,
  backendError: null,
  restoredAt: null,
  notice: null,
  previous: [],
  busy: false,
  savedAt: null,
};

/** State shared by the action groups of one store. */
interface Inner {
  set: Set;
  get: Get;
  opts: LabStoreOptions;
  runner(): LabRunnerLike;
  setRun(id: string, patch: Partial<CellRun> | ((r: CellRun) => CellRun)): void;
  autosave: Autosave;
  cancelRequested: boolean;
  backendPromise: Promise<BackendState> | null;
  /** the running sequence's progress: its cells' expected cost, what is done, what was shown */
  overall: Overall;
}

/** One progress bar over a sequence of cells: each cell's expected cost (units), replaced by the real one as it runs. */
interface Overall {
  units: Map<string, number>;
  /** units of the cells finished */
  before: number;
  shown: number;
}

// ---------------------------------------------------------------------------------------------
// editing

function without<T>(rec: Record<string, T>, id: string): Record<string, T> {
  const out = { ...rec };
  delete out[id];
  return out;
}

function editing({ set, get, setRun }: Inner): Pick<LabActions, 'setParams' | 'setTitle' | 'addCell' | 'deleteCell' | 'duplicateCell' | 'moveCell'> {
  return {
    setParams(id, patch) {
      set((s) => ({ cells: s.cells.map((c) => (c.id === id ? ({ ...c, params: { ...c.params, ...patch } } as Cell) : c)) }));
      // a changed parameter clears an old error message (the status then derives from inputs again)
      if (own(get().runs, id)?.error) setRun(id, { error: undefined });
    },
    setTitle(id, title) {
      set((s) => ({ cells: s.cells.map((c) => (c.id === id ? { ...c, title } : c)) }));
    },
    addCell(kind, atIndex) {
      const cell = makeCell(kind);
      set((s) => {
        const cells = [...s.cells];
        cells.splice(atIndex ?? cells.length, 0, cell);
        return { cells };
      });
      return cell.id;
    },
    deleteCell(id) {
      if (own(get().runs, id)?.running) return;
      set((s) => ({
        cells: s.cells.filter((c) => c.id !== id),
        runs: without(s.runs, id),
        data: without(s.data, id),
        dataVersion: without(s.dataVersion, id),
      }));
    },
    duplicateCell(id) {
      const s = get();
      const i = s.cells.findIndex((c) => c.id === id);
      if (i < 0) return null;
      const src = s.cells[i];
      const copy = { ...makeCell(src.kind), params: structuredClone(src.params), ...(src.title ? { title: `${src.title} (copy)` } : {}) } as Cell;
      const cells = [...s.cells];
      cells.splice(i + 1, 0, copy);
      const d = own(s.data, src.id);
      set(src.kind === 'data' && d ? { cells, data: { ...s.data, [copy.id]: d }, dataVersion: { ...s.dataVersion, [copy.id]: 1 } } : { cells });
      return copy.id;
    },
    moveCell(id, delta) {
      set((s) => {
        const i = s.cells.findIndex((c) => c.id === id);
        const j = i + delta;
        if (i < 0 || j < 0 || j >= s.cells.length) return {};
        const cells = [...s.cells];
        [cells[i], cells[j]] = [cells[j], cells[i]];
        return { cells };
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// data

const bundledFiles = (opts: LabStoreOptions, id: PresetId): Promise<DataFiles> => (opts.fetchBundled ? opts.fetchBundled(id) : fetchBundledFiles(id, './'));

/** Above every version the cell had or its undo entry has, so a result of another data set never matches again. */
function nextVersion(s: LabFields, id: string): number {
  return Math.max(own(s.dataVersion, id) ?? 0, own(s.previousData, id)?.version ?? 0) + 1;
}

function bumpData(set: Set, id: string, d: LoadedData): void {
  set((s) => ({ data: { ...s.data, [id]: d }, dataVersion: { ...s.dataVersion, [id]: nextVersion(s, id) } }));
}

/** The saved runs of a Data cell and of every cell that reads from it. */
function savedRuns(s: LabFields, id: string): Record<string, SavedRun> {
  const out: Record<string, SavedRun> = {};
  for (const cid of [id, ...downstreamOf(s.cells, id)]) {
    const saved = own(s.runs, cid)?.saved;
    if (saved) out[cid] = saved;
  }
  return out;
}

/**
 * The cell's current data set as an undo entry, or null when it is not worth keeping. A loaded bundled set
 * is always kept; the user's files are kept when a cell below ran on them, or (`anyFiles`: switching the
 * source, undo) whenever there are files.
 */
function asPrevious(s: LabFields, id: string, anyFiles: boolean): PreviousData | null {
  const cell = s.cells.find((c) => c.id === id);
  const d = own(s.data, id);
  if (cell?.kind !== 'data' || !d) return null;
  const version = own(s.dataVersion, id) ?? 0;
  const runs = savedRuns(s, id);
  if (!holdsFiles(cell.params.source)) return d.lab ? { source: cell.params.source, version, runs } : null;
  const seg = `data:${id}:${JSON.stringify(cell.params)}@${version}`;
  const used = d.lab && Object.entries(runs).some(([cid, r]) => cid !== id && r.inputKey.split('|').includes(seg));
  return used || (anyFiles && Object.keys(d.files).length > 0) ? { source: cell.params.source, files: d.files, version, runs } : null;
}

/** Own files: the Data cell is up to date while its set is consistent, not run while it is not. */
function markChecked({ get, setRun }: Inner, id: string): void {
  const s = get();
  const i = s.cells.findIndex((c) => c.id === id);
  const cell = s.cells[i];
  if (cell?.kind !== 'data' || !holdsFiles(cell.params.source)) return;
  const ok = own(s.data, id)?.lab;
  setRun(id, { saved: ok ? { inputKey: keyOf(s.cells, i, s.dataVersion), ranAt: new Date().toISOString() } : undefined, error: undefined });
}

/** A new data set for the cell (a new version): what it replaces becomes the undo entry when worth keeping. */
function replaceData(inner: Inner, id: string, source: DataSource, data: LoadedData | undefined, anyFiles: boolean): void {
  const { set, get } = inner;
  const keep = asPrevious(get(), id, anyFiles);
  set((s) => ({
    cells: s.cells.map((c) => (c.id === id && c.kind === 'data' && c.params.source !== source ? ({ ...c, params: { source } } as Cell) : c)),
    data: data ? { ...s.data, [id]: data } : without(s.data, id),
    dataVersion: { ...s.dataVersion, [id]: nextVersion(s, id) },
    ...(keep ? { previousData: { ...s.previousData, [id]: keep } } : {}),
  }));
  markChecked(inner, id);
}

function dataActions(
  inner: Inner,
): Pick<LabActions, 'loadDataFile' | 'loadDataFiles' | 'removeDataFile' | 'setDataSource' | 'restorePreviousData' | 'clearDataError'> {
  const { set, get } = inner;
  return {
    loadDataFile: (cellId, slot, file) => get().loadDataFiles(cellId, [{ slot, file }]),
    loadDataFiles(cellId, items) {
      const s = get();
      const cell = s.cells.find((c) => c.id === cellId);
      if (cell?.kind !== 'data' || !items.length) return;
      const mine = own(s.data, cellId);
      // a bundled set is replaced as a whole: the files make a new set, checked against each other only
      const onFiles = holdsFiles(cell.params.source);
      let next = onFiles ? (mine ?? EMPTY_DATA) : EMPTY_DATA;
      for (const { slot, file } of items) next = loadSlot(next, slot, file);
      if (!items.some(({ slot, file }) => next.files[slot] === file)) {
        // every file was refused: the data stays as it was, with the located messages
        set((st) => ({ data: { ...st.data, [cellId]: { ...(mine ?? EMPTY_DATA), errors: { ...mine?.errors, ...next.errors } } } }));
        return;
      }
      replaceData(inner, cellId, onFiles ? cell.params.source : 'files', next, false);
    },
    removeDataFile(cellId, slot) {
      const cell = get().cells.find((c) => c.id === cellId);
      const d = own(get().data, cellId);
      if (cell?.kind !== 'data' || !holdsFiles(cell.params.source) || !d?.files[slot]) return;
      replaceData(inner, cellId, cell.params.source, removeSlot(d, slot), false);
    },
    setDataSource(cellId, source) {
      const cell = get().cells.find((c) => c.id === cellId);
      if (cell?.kind !== 'data' || cell.params.source === source) return;
      // back to "Your own files" (or the workshop's votes) right after leaving them: the files (and their results) come back, not an empty set
      if (holdsFiles(source) && own(get().previousData, cellId)?.source === source) {
        void get().restorePreviousData(cellId);
        return;
      }
      replaceData(inner, cellId, source, holdsFiles(source) ? EMPTY_DATA : undefined, true);
    },
    async restorePreviousData(cellId) {
      const prev = own(get().previousData, cellId);
      if (!prev || get().busy) return;
      let data: LoadedData;
      if (holdsFiles(prev.source)) data = loadFiles(prev.files ?? {});
      else {
        set((st) => ({ loading: { ...st.loading, [cellId]: true } }));
        try {
          data = loadFiles(await bundledFiles(inner.opts, prev.source));
        } catch (e) {
          inner.setRun(cellId, { error: friendly(e) });
          return;
        } finally {
          set((st) => ({ loading: { ...st.loading, [cellId]: false } }));
        }
      }
      const s = get();
      const cur = asPrevious(s, cellId, true);
      const runs: Record<string, CellRun> = {};
      for (const cid of [cellId, ...downstreamOf(s.cells, cellId)]) {
        const saved = own(prev.runs, cid);
        runs[cid] = saved ? { saved } : {};
      }
      set((st) => ({
        cells: st.cells.map((c) => (c.id === cellId ? ({ ...c, params: { source: prev.source } } as Cell) : c)),
        data: { ...st.data, [cellId]: data },
        dataVersion: { ...st.dataVersion, [cellId]: prev.version },
        previousData: cur ? { ...st.previousData, [cellId]: cur } : without(st.previousData, cellId),
        runs: { ...st.runs, ...runs },
      }));
    },
    clearDataError(cellId, slot) {
      const d = own(get().data, cellId);
      if (!d) return;
      const errors = { ...d.errors };
      delete errors[slot];
      set((s) => ({ data: { ...s.data, [cellId]: { ...d, errors } } }));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// running

/** What a cell's run may use of the store (see RunContext in kinds.ts). */
function runContext(inner: Inner, id: string): RunContext {
  const { set, get, opts } = inner;
  const s = get();
  const index = s.cells.findIndex((c) => c.id === id);
  return {
    cells: s.cells,
    index,
    groupBy: groupByFor(s.cells, index),
    data: () => dataFor(get(), index),
    ownData: () => own(get().data, id),
    result: (cellId) => own(get().runs, cellId)?.saved?.result,
    async loadBundled(source) {
      set((st) => ({ loading: { ...st.loading, [id]: true } }));
      try {
        const d = loadFiles(await bundledFiles(opts, source));
        const err = Object.values(d.errors)[0];
        if (err) throw new Error(err);
        bumpData(set, id, d);
      } finally {
        set((st) => ({ loading: { ...st.loading, [id]: false } }));
      }
    },
    async runCurve(spec, curve) {
      const d = dataFor(get(), index);
      if (!d?.lab) throw new Error('No data: run the Data cell above first.');
      await ensureBackend(inner);
      if (inner.cancelRequested) throw Object.assign(new Error('Run cancelled before it started.'), { name: 'RunCancelled' });
      const runner = inner.runner();
      if (!runner.runCurve) throw new Error('This runner cannot run learning curves.');
      return runner.runCurve(d.lab, spec, curve, (p) => inner.setRun(id, { progress: overallProgress(inner, id, p) }));
    },
    async runExperiment(spec) {
      const d = dataFor(get(), index);
      if (!d?.lab) throw new Error('No data: run the Data cell above first.');
      await ensureBackend(inner);
      // Cancel pressed while the backend was starting: the worker had nothing to stop yet
      if (inner.cancelRequested) throw Object.assign(new Error('Run cancelled before it started.'), { name: 'RunCancelled' });
      return inner.runner().run(
        d.lab,
        spec,
        (p) => inner.setRun(id, { progress: overallProgress(inner, id, p) }),
        (partial) => inner.setRun(id, { partial }),
      );
    },
  };
}

async function runOne(inner: Inner, id: string): Promise<void> {
  const { get, setRun } = inner;
  const cell = get().cells.find((c) => c.id === id);
  const run = cell && kindOf(cell).run;
  if (!cell || !run) return;
  setRun(id, (r) => ({ saved: r.saved, running: true, progress: overallProgress(inner, id, null), error: undefined }));
  // the inputs are taken when the run starts: an edit made while it runs leaves its result stale
  const start = get();
  try {
    const extra = await run(cell, runContext(inner, id));
    // only the data version of the cell itself may change by running it (a Data cell loading its files)
    const mine = own(get().dataVersion, id);
    const versions = mine === undefined ? start.dataVersion : { ...start.dataVersion, [id]: mine };
    const key = keyOf(
      start.cells,
      start.cells.findIndex((c) => c.id === id),
      versions,
    );
    setRun(id, {
      saved: { inputKey: key, ranAt: new Date().toISOString(), ...extra },
      running: false,
      paused: false,
      progress: undefined,
      partial: undefined,
      error: undefined,
    });
  } catch (e) {
    setRun(id, (r) => ({ saved: r.saved, running: false, paused: false, progress: undefined, partial: undefined, error: friendly(e) }));
    throw e;
  } finally {
    inner.overall.before += inner.overall.units.get(id) ?? 0;
  }
}

/** A cell's expected cost: an experiment's fits (core's estimate), 1 for any other cell that runs (loading, counting). */
function unitsOf(s: LabFields, id: string): number {
  const i = s.cells.findIndex((c) => c.id === id);
  const cell = s.cells[i];
  if (!cell || !kindOf(cell).run) return 0;
  const groupBy = groupByFor(s.cells, i);
  const lab = dataFor(s, i)?.lab ?? null;
  if (cell.kind === 'experiment') return 1 + estimateUnits(lab, experimentSpec(cell.params, groupBy));
  if (cell.kind === 'transfer') return 1 + estimateUnits(lab, transferSpec(cell.params, groupBy));
  if (cell.kind === 'curves') {
    // every fraction × repeat × fold is one experiment's fold (fraction 1 once); the template once per group
    const { spec, curve } = curvesSpec(cell.params, groupBy);
    const splits = new Set(curve.fractions).size * curve.repeats - (curve.fractions.includes(1) ? curve.repeats - 1 : 0);
    return 1 + estimateUnits(lab, spec) * Math.max(1, splits);
  }
  return 1;
}

/**
 * The sequence's progress with cell `id` at `p` (null: the cell starts): the cells finished, plus this one's
 * done units, of the expected total (this cell's real total once it reports one). Never goes back.
 */
function overallProgress(inner: Inner, id: string, p: Progress | null): Progress {
  const o = inner.overall;
  if (p) o.units.set(id, p.total + 1);
  const total = [...o.units.values()].reduce((a, b) => a + b, 0);
  const mine = p ? 1 + p.done : 0;
  o.shown = Math.min(total, Math.max(o.shown, o.before + mine));
  // cells still to come at the speed measured in this one
  let later = 0;
  let after = false;
  for (const [cid, u] of o.units) {
    if (after) later += u;
    if (cid === id) after = true;
  }
  const etaMs = p?.etaMs !== undefined && p.done > 0 ? p.etaMs + (later * p.etaMs) / Math.max(1, p.total - p.done) : undefined;
  return { stage: p?.stage ?? 'starting', done: o.shown, total, ...(p?.detail ? { detail: p.detail } : {}), ...(etaMs !== undefined ? { etaMs } : {}) };
}

/** Cells that must run (not fresh) before `id`, in order, then `id` itself. */
function plan(s: LabFields, id: string): string[] {
  const need = new Set<string>();
  const visit = (cid: string) => {
    const i = s.cells.findIndex((c) => c.id === cid);
    for (const u of upstreamOf(s.cells, i)) visit(u);
    if (cid === id || statusOf(s, cid) !== 'fresh') need.add(cid);
  };
  visit(id);
  return s.cells.filter((c) => need.has(c.id)).map((c) => c.id);
}

async function sequence(inner: Inner, ids: string[]): Promise<void> {
  const { set, get } = inner;
  if (get().busy) return;
  inner.cancelRequested = false;
  const s = get();
  inner.overall = { units: new Map(ids.map((cid) => [cid, unitsOf(s, cid)])), before: 0, shown: 0 };
  set({ busy: true, notice: null });
  try {
    for (const cid of ids) {
      if (inner.cancelRequested) break;
      await runOne(inner, cid);
      // edited while it ran: its result is stale, so nothing below runs on it
      if (statusOf(get(), cid) === 'stale') break;
    }
  } catch {
    // the cell shows its error; later cells do not run
  } finally {
    set({ busy: false });
  }
}

const runningId = (s: LabFields): string | undefined => s.cells.find((c) => own(s.runs, c.id)?.running)?.id;

function running(inner: Inner): Pick<LabActions, 'runCell' | 'runAll' | 'pauseRun' | 'resumeRun' | 'cancelRun'> {
  const { set, get } = inner;
  return {
    runCell: (id) => sequence(inner, plan(get(), id)),
    runAll: () =>
      sequence(
        inner,
        get().cells.map((c) => c.id),
      ),
    pauseRun() {
      const id = runningId(get());
      if (!id) return;
      inner.runner().pause();
      inner.setRun(id, { paused: true });
    },
    resumeRun() {
      const id = runningId(get());
      if (!id) return;
      inner.runner().resume();
      inner.setRun(id, { paused: false });
    },
    async cancelRun() {
      inner.cancelRequested = true;
      const how = await inner.runner().cancel();
      if (how === 'terminated') set({ notice: { kind: 'info', text: 'The run did not stop in time, so its worker was stopped and a fresh one started.' } });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// backend

function ensureBackend(inner: Inner): Promise<BackendState> {
  return inner.backendPromise ?? inner.get().setBackendPref(inner.get().backendPref);
}

function backend(inner: Inner): Pick<LabActions, 'setBackendPref' | 'retryOn'> {
  const { set, get } = inner;
  return {
    async setBackendPref(pref) {
      set({ backendPref: pref, backend: null, backendError: null });
      const p = inner.runner().setBackend(pref);
      inner.backendPromise = p;
      try {
        const st = await p;
        if (inner.backendPromise === p) set({ backend: st });
        return st;
      } catch (e) {
        set({ backendError: friendly(e) });
        inner.backendPromise = null;
        throw e;
      }
    },
    async retryOn(id, pref) {
      inner.runner().terminate();
      await get().setBackendPref(pref);
      await get().runCell(id);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// autosave: a subscription writes the snapshot after any change of what it holds

interface Autosave {
  /** write pending changes now */
  flush(): Promise<void>;
  /** a change waits for the autosave's delay */
  pending(): boolean;
  /** drop pending changes and ignore changes while `f` runs */
  muted<T>(f: () => Promise<T>): Promise<T>;
}

function snapshotChanged(s: LabFields, prev: LabFields): boolean {
  if (s.cells !== prev.cells || s.dataVersion !== prev.dataVersion || s.data !== prev.data || s.previousData !== prev.previousData) return true;
  if (s.runs === prev.runs) return false;
  const ids = new Set([...Object.keys(s.runs), ...Object.keys(prev.runs)]);
  for (const id of ids) if (own(s.runs, id)?.saved !== own(prev.runs, id)?.saved) return true;
  return false;
}

function startAutosave(api: StoreApi<LabState>, opts: LabStoreOptions): Autosave {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let chain: Promise<void> = Promise.resolve();
  let mute = 0;
  const write = async () => {
    const snap = api.getState().currentSnapshot();
    await opts.persist.saveNotebook(snap);
    opts.persist.clearStash?.();
    api.setState({ savedAt: snap.savedAt });
  };
  const enqueue = () => {
    chain = chain.then(write).catch((e: unknown) => {
      api.setState({ notice: { kind: 'error', text: 'Autosave failed: this browser refused to store the notebook.', detail: (e as Error).message } });
    });
  };
  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  api.subscribe((s, prev) => {
    if (mute > 0) return;
    // the end of a run writes at once (what it computed is kept even if the page closes right after)
    if (prev.busy && !s.busy && timer) {
      cancel();
      enqueue();
      return;
    }
    if (!snapshotChanged(s, prev)) return;
    cancel();
    timer = setTimeout(() => {
      timer = null;
      enqueue();
    }, opts.saveDelayMs ?? 400);
  });
  return {
    pending: () => timer !== null,
    async flush() {
      if (timer) {
        cancel();
        enqueue();
      }
      await chain;
    },
    async muted(f) {
      cancel();
      mute++;
      try {
        await chain.catch(() => {});
        return await f();
      } finally {
        mute--;
        cancel();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// notebooks: snapshots, presets, restore, erase

function allSavedRuns(runs: Record<string, CellRun>): Record<string, SavedRun> {
  const out: Record<string, SavedRun> = {};
  for (const [id, r] of Object.entries(runs)) if (r.saved) out[id] = r.saved;
  return out;
}

/** Data of a restored Data cell: the user's files re-parsed, a bundled set fetched again if it had been loaded. */
async function restoreData(inner: Inner, c: Cell, snap: Pick<NotebookSnapshot, 'runs' | 'files'>): Promise<void> {
  const { set, opts } = inner;
  if (c.kind !== 'data') return;
  try {
    if (holdsFiles(c.params.source)) {
      const f = own(snap.files, c.id);
      if (f) set((s) => ({ data: { ...s.data, [c.id]: loadFiles(f) } }));
    } else if (own(snap.runs, c.id)) {
      set((s) => ({ loading: { ...s.loading, [c.id]: true } }));
      const d = loadFiles(await bundledFiles(opts, c.params.source));
      set((s) => ({ data: { ...s.data, [c.id]: d } }));
    }
  } catch (e) {
    inner.setRun(c.id, { error: friendly(e) });
  } finally {
    set((s) => ({ loading: { ...s.loading, [c.id]: false } }));
  }
}

function notebooks(
  inner: Inner,
): Pick<
  LabActions,
  | 'currentSnapshot'
  | 'applySnapshot'
  | 'newNotebook'
  | 'replaceNotebook'
  | 'restorePrevious'
  | 'dismissPrevious'
  | 'flushSave'
  | 'eraseAll'
  | 'notify'
  | 'dismissRestored'
> {
  const { set, get, opts, autosave } = inner;
  const keepPrevious = async (p: PreviousNotebook) => {
    set((s) => ({ previous: keptList(p, s.previous) }));
    await opts.persist.savePrevious(get().previous).catch(() => {});
  };
  return {
    currentSnapshot() {
      const s = get();
      const files: Record<string, DataFiles> = {};
      for (const c of s.cells) {
        const d = own(s.data, c.id);
        if (c.kind === 'data' && holdsFiles(c.params.source) && d) files[c.id] = d.files;
      }
      const previous: Record<string, PreviousData> = {};
      for (const c of s.cells) {
        const p = own(s.previousData, c.id);
        if (p) previous[c.id] = p;
      }
      return snapshot({ cells: s.cells, runs: allSavedRuns(s.runs), files, dataVersion: s.dataVersion, previous });
    },
    async applySnapshot(snap) {
      if (get().busy) await get().cancelRun();
      const runs: Record<string, CellRun> = {};
      for (const [id, r] of Object.entries(snap.runs)) runs[id] = { saved: r };
      set({ cells: [...snap.cells], runs, data: {}, dataVersion: { ...snap.dataVersion }, previousData: { ...(snap.previous ?? {}) }, loading: {} });
      await Promise.all(snap.cells.map((c) => restoreData(inner, c, snap)));
    },
    async newNotebook(preset) {
      await get().applySnapshot({ cells: presetNotebook(preset).cells as Cell[], runs: {}, files: {}, dataVersion: {} });
      set({ restoredAt: null });
    },
    async replaceNotebook(snap, replacedBy, current) {
      const before = current === undefined ? get().currentSnapshot() : current;
      if (before && holdsWork(before)) await keepPrevious({ snapshot: before, replacedBy });
      await get().applySnapshot(snap);
      set({ restoredAt: null });
    },
    async restorePrevious(index = 0) {
      const p = get().previous[index];
      if (!p) return;
      const now = get().currentSnapshot();
      await get().applySnapshot(p.snapshot);
      set((s) => ({
        previous: s.previous.filter((_, i) => i !== index),
        notice: { kind: 'info', text: 'Restored the previous notebook with its data and results.' },
      }));
      // the notebook just left is kept in turn when it holds anything worth keeping
      if (holdsWork(now)) await keepPrevious({ snapshot: now, replacedBy: 'restoring an earlier notebook' });
      else await opts.persist.savePrevious(get().previous).catch(() => {});
    },
    dismissPrevious() {
      set({ previous: [] });
      void opts.persist.savePrevious([]).catch(() => {});
    },
    flushSave: () => {
      // the page may be going away: what the delayed save would write is stashed synchronously first
      if (autosave.pending()) opts.persist.stashCells?.(get().cells, new Date().toISOString());
      return autosave.flush();
    },
    async eraseAll() {
      await autosave.muted(async () => {
        await opts.persist.eraseAll();
        await get().newNotebook('poster');
      });
      set({ restoredAt: null, savedAt: null, previous: [], notice: { kind: 'info', text: 'All data this app stored in your browser was erased.' } });
    },
    notify: (notice) => set({ notice }),
    dismissRestored: () => set({ restoredAt: null }),
  };
}

function booting(inner: Inner): Pick<LabActions, 'boot' | 'openShare'> {
  const { set, get, opts } = inner;
  return {
    async openShare(share, current) {
      try {
        const nb = decodeShare(share);
        const before = current === undefined ? get().currentSnapshot() : current;
        // a link never silently replaces a notebook with data or results: that one stays restorable
        await get().replaceNotebook({ cells: nb.cells as Cell[], runs: {}, files: {}, dataVersion: {} }, 'a shared link', before);
        const kept = before !== null && holdsWork(before);
        set({
          notice: {
            kind: 'info',
            text:
              'Opened the parameters from a shared link. Data is never part of a link: cells that used your own files need them loaded again.' +
              (kept ? ' Your notebook is kept (see above).' : ''),
          },
        });
        return true;
      } catch (e) {
        set({ notice: { kind: 'error', text: 'The shared link could not be opened; showing your saved notebook instead.', detail: (e as Error).message } });
        return false;
      }
    },
    async boot({ share, backend: pref, game }) {
      if (pref) set({ backendPref: pref });
      else {
        const saved = await opts.persist.loadBackendPref().catch(() => null);
        if (saved) set({ backendPref: saved });
      }
      void get()
        .setBackendPref(get().backendPref)
        .catch(() => {});
      set({ previous: await opts.persist.loadPrevious().catch(() => []) });
      let saved: NotebookSnapshot | null = null;
      let savedError: Error | null = null;
      try {
        saved = await opts.persist.loadNotebook();
      } catch (e) {
        savedError = e as Error;
      }
      // cells stashed when the page went away before the autosave wrote them (newer than the saved notebook)
      const stash = opts.persist.takeStash?.() ?? null;
      if (stash && saved && stash.at >= saved.savedAt) {
        try {
          saved = checkSnapshot({ ...saved, cells: stash.cells }, 'saved notebook');
        } catch {
          // a damaged stash: the saved notebook as it was
        }
      }
      if (game) {
        await get().replaceNotebook(game.snapshot, 'the listening game', saved);
        const kept = saved !== null && holdsWork(saved);
        set({
          notice: { kind: 'info', text: `Opened the votes of "${game.title}" from the listening game.${kept ? ' Your notebook is kept (see above).' : ''}` },
        });
        return;
      }
      if (share && (await get().openShare(share, saved))) return;
      if (saved) {
        await get().applySnapshot(saved);
        set({ restoredAt: saved.savedAt || new Date().toISOString(), notice: problemsNotice(saved) });
        return;
      }
      if (savedError) {
        set({
          notice: {
            kind: 'error',
            text: 'The notebook saved in this browser could not be restored; starting from the default notebook.',
            detail: savedError.message,
          },
        });
      }
      await get().newNotebook('poster');
    },
  };
}

// ---------------------------------------------------------------------------------------------
// the factory

export function createLabStore(opts: LabStoreOptions): LabStore {
  const store = create<LabState>()((set, get, api) => {
    let runner: LabRunnerLike | null = null;
    const inner: Inner = {
      set,
      get,
      opts,
      runner: () => (runner ??= opts.runner((e) => set({ notice: { kind: 'error', text: e.message } }))),
      setRun: (id, patch) =>
        set((s) => {
          const prev = own(s.runs, id) ?? {};
          return { runs: { ...s.runs, [id]: typeof patch === 'function' ? patch(prev) : { ...prev, ...patch } } };
        }),
      autosave: null as unknown as Autosave,
      cancelRequested: false,
      overall: { units: new Map(), before: 0, shown: 0 },
      backendPromise: null,
    };
    inner.autosave = startAutosave(api, opts);
    return { ...INITIAL, ...editing(inner), ...dataActions(inner), ...running(inner), ...backend(inner), ...notebooks(inner), ...booting(inner) };
  });
  return store;
}
