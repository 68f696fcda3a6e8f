/** The lab store with a fake runner, in-memory persistence and the bundled synthetic files read from disk. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExperimentResult, ExperimentSpec } from '../core/experiment-types';
import type { BackendState } from '../worker/api';
import type { DataFiles } from './data';
import { createLabStore, KEEP_PREVIOUS, keptList, statusOf, type LabPersistence, type LabRunnerLike, type LabStore, type PreviousNotebook } from './lab-store';
import type { NotebookSnapshot } from './notebook-file';
import { RunCancelled } from './runner';
import { fakeResult } from './testing';
import { encodeShare, makeCell } from './model';

const text = (f: string) => ({ name: f, text: readFileSync(new URL(`../../public/data/synthetic/${f}`, import.meta.url), 'utf8') });
const SYNTHETIC: DataFiles = { features: text('features.csv'), judgments: text('votes.csv'), users: text('users.csv') };

/** A runner that answers at once with a result naming the spec, or holds the run until cancelled (`hold`). */
class FakeRunner implements LabRunnerLike {
  specs: ExperimentSpec[] = [];
  hold = false;
  /** when set, a run answers only after this promise resolves */
  gate: Promise<void> | null = null;
  private pending: ((e: Error) => void) | null = null;
  run(_data: unknown, spec: ExperimentSpec, onProgress: (p: { stage: string; done: number; total: number }) => void): Promise<ExperimentResult> {
    this.specs.push(spec);
    onProgress({ stage: 'fit', done: 0, total: 1 });
    if (this.hold) return new Promise((_res, rej) => (this.pending = rej));
    const result = fakeResult(spec);
    return this.gate ? this.gate.then(() => result) : Promise.resolve(result);
  }
  pause(): void {}
  resume(): void {}
  async cancel(): Promise<'cooperative' | 'idle'> {
    if (!this.pending) return 'idle';
    this.pending(new RunCancelled(''));
    this.pending = null;
    return 'cooperative';
  }
  setBackend(): Promise<BackendState> {
    return Promise.resolve({ info: { id: 'cpu', precision: 'float64', description: 'fake' } } as unknown as BackendState);
  }
  terminate(): void {}
}

class MemoryPersist implements LabPersistence {
  saves: NotebookSnapshot[] = [];
  stored: NotebookSnapshot | null = null;
  async saveNotebook(s: NotebookSnapshot) {
    this.saves.push(s);
    this.stored = structuredClone(s);
  }
  async loadNotebook() {
    return this.stored;
  }
  previous: PreviousNotebook[] = [];
  async savePrevious(p: readonly PreviousNotebook[]) {
    this.previous = structuredClone([...p]);
  }
  async loadPrevious() {
    return this.previous;
  }
  async loadBackendPref() {
    return null;
  }
  async eraseAll() {
    this.stored = null;
  }
  stash: { cells: unknown; at: string } | null = null;
  stashCells(cells: readonly unknown[], at: string) {
    this.stash = structuredClone({ cells: [...cells], at });
  }
  takeStash() {
    const s = this.stash;
    this.stash = null;
    return s;
  }
  clearStash() {
    this.stash = null;
  }
}

function setup(persist = new MemoryPersist()): { store: LabStore; runner: FakeRunner; persist: MemoryPersist } {
  const runner = new FakeRunner();
  const store = createLabStore({ runner: () => runner, persist, fetchBundled: async () => SYNTHETIC, saveDelayMs: 1 });
  return { store, runner, persist };
}

const idOf = (store: LabStore, kind: string) => store.getState().cells.find((c) => c.kind === kind)!.id;
const status = (store: LabStore, kind: string) => statusOf(store.getState(), idOf(store, kind));
const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

describe('lab store: editing cells by id', () => {
  it('adds, duplicates, moves and deletes cells', () => {
    const { store } = setup();
    const s = store.getState();
    const a = s.addCell('data');
    const b = s.addCell('experiment');
    const n = s.addCell('note', 0);
    expect(store.getState().cells.map((c) => c.id)).toEqual([n, a, b]);
    store.getState().setParams<'experiment'>(b, { folds: 4 });
    const copy = store.getState().duplicateCell(b)!;
    const cells = store.getState().cells;
    expect(cells.map((c) => c.id)).toEqual([n, a, b, copy]);
    expect(cells[3].params).toEqual(cells[2].params);
    expect(cells[3].params).not.toBe(cells[2].params);
    store.getState().moveCell(copy, -1);
    expect(store.getState().cells.map((c) => c.id)).toEqual([n, a, copy, b]);
    store.getState().moveCell(n, -1); // already first: nothing moves
    expect(store.getState().cells[0].id).toBe(n);
    store.getState().deleteCell(a);
    expect(store.getState().cells.map((c) => c.id)).toEqual([n, copy, b]);
  });
});

describe('lab store: a change the page left before the autosave wrote it', () => {
  it('is stashed at once when the page goes away and comes back at the next boot; a completed save clears the stash', async () => {
    const persist = new MemoryPersist();
    const runner = new FakeRunner();
    const a = createLabStore({ runner: () => runner, persist, fetchBundled: async () => SYNTHETIC, saveDelayMs: 60_000 });
    await a.getState().newNotebook('poster');
    await a.getState().flushSave();
    const exp = idOf(a, 'experiment');
    const before = structuredClone(persist.stored);
    a.getState().setParams(exp, { folds: 7 });
    // the page goes away now: the IndexedDB write may never finish, the stash is written synchronously
    const flushing = a.getState().flushSave();
    expect(persist.stash).not.toBeNull();
    const stash = structuredClone(persist.stash);
    await flushing;
    // a completed write clears the stash
    expect(persist.stash).toBeNull();
    // a reload that lost the write: the stored notebook is the one before the change, the stash is there
    persist.stored = before;
    persist.stash = stash;
    const b = createLabStore({ runner: () => runner, persist, fetchBundled: async () => SYNTHETIC, saveDelayMs: 1 });
    await b.getState().boot({ backend: 'cpu' });
    expect((b.getState().cells.find((c) => c.id === exp)!.params as { folds: number }).folds).toBe(7);
    expect(persist.stash).toBeNull();
  });
});

describe('lab store: running', () => {
  it('runs the notebook (fresh), and an edit marks the cell and everything downstream stale', async () => {
    const { store, runner } = setup();
    await store.getState().newNotebook('poster');
    await store.getState().runAll();
    for (const k of ['data', 'constraints', 'experiment', 'heatmaps']) expect(status(store, k)).toBe('fresh');
    expect(status(store, 'note')).toBe('idle');
    expect(runner.specs[0]).toMatchObject({ groupBy: 'age_group', folds: 10, methods: ['euclidean', 'svm', 'mlr', 'ritml', 'w0-ritml'] });
    expect(store.getState().runs[idOf(store, 'constraints')].saved?.summary?.groups.length).toBeGreaterThan(1);
    store.getState().setParams<'experiment'>(idOf(store, 'experiment'), { folds: 5, methods: ['euclidean', 'ritml'] });
    expect([status(store, 'data'), status(store, 'constraints'), status(store, 'experiment'), status(store, 'heatmaps')]).toEqual([
      'fresh',
      'fresh',
      'stale',
      'stale',
    ]);
    store.getState().setParams<'constraints'>(idOf(store, 'constraints'), { groupBy: '' });
    expect(status(store, 'constraints')).toBe('stale');
    // running the heatmaps cell runs what it needs above it first
    await store.getState().runCell(idOf(store, 'heatmaps'));
    expect(runner.specs.at(-1)).toMatchObject({ groupBy: undefined, folds: 5 });
    for (const k of ['data', 'constraints', 'experiment', 'heatmaps']) expect(status(store, k)).toBe('fresh');
  });

  it('an edit made while a cell runs leaves its result stale (the inputs are taken when the run starts)', async () => {
    const { store, runner } = setup();
    await store.getState().newNotebook('poster');
    let open = () => {};
    runner.gate = new Promise<void>((r) => (open = r));
    const done = store.getState().runAll();
    const exp = idOf(store, 'experiment');
    while (!store.getState().runs[exp]?.running) await tick(5);
    store.getState().setParams<'experiment'>(exp, { folds: 4, seed: 99 });
    open();
    await done;
    expect(runner.specs[0]).toMatchObject({ folds: 10, seed: 1 });
    expect(store.getState().runs[exp].saved?.result?.meta.spec.folds).toBe(10);
    expect(status(store, 'data')).toBe('fresh');
    expect(status(store, 'experiment')).toBe('stale');
    // nothing downstream ran on the stale result
    expect(status(store, 'heatmaps')).toBe('idle');
  });

  it('a cell whose parameters are invalid shows the problem and does not run', async () => {
    const { store, runner } = setup();
    await store.getState().newNotebook('poster');
    store.getState().setParams<'constraints'>(idOf(store, 'constraints'), { groupBy: '' });
    await store.getState().runAll();
    expect(status(store, 'experiment')).toBe('error');
    expect(store.getState().runs[idOf(store, 'experiment')].error?.message).toMatch(/W0-RITML and JOINT need groups/);
    expect(runner.specs).toHaveLength(0);
  });

  it('cancel stops the run: the cell shows it was cancelled and the store is free again', async () => {
    const { store, runner } = setup();
    await store.getState().newNotebook('poster');
    runner.hold = true;
    const done = store.getState().runAll();
    const exp = idOf(store, 'experiment');
    while (!store.getState().runs[exp]?.running) await tick(5);
    expect(store.getState().busy).toBe(true);
    expect(store.getState().runs[exp].progress).toMatchObject({ stage: 'fit' });
    await store.getState().cancelRun();
    await done;
    expect(store.getState().busy).toBe(false);
    expect(store.getState().runs[exp].error?.kind).toBe('cancelled');
    expect(status(store, 'experiment')).toBe('cancelled');
    expect(status(store, 'heatmaps')).toBe('idle');
  });

  it('a cancelled re-run is "cancelled", not an error, and keeps the earlier result as it was (issue 12 item 4)', async () => {
    const { store, runner } = setup();
    await store.getState().newNotebook('poster');
    await store.getState().runAll();
    const exp = idOf(store, 'experiment');
    const earlier = store.getState().runs[exp].saved;
    expect(earlier?.result).toBeDefined();
    runner.hold = true;
    const done = store.getState().runCell(exp);
    // cancel at once, before the backend answered and the worker run started: it must still stop
    while (!store.getState().runs[exp]?.running) await tick(1);
    await store.getState().cancelRun();
    await done;
    expect(status(store, 'experiment')).toBe('cancelled');
    expect(store.getState().runs[exp].error?.message).toMatch(/^Run cancelled/);
    expect(store.getState().runs[exp].saved).toBe(earlier);
    expect(store.getState().busy).toBe(false);
  });
});

describe('lab store: autosave and restore', () => {
  it('autosaves after a change, without being asked', async () => {
    const { store, persist } = setup();
    const id = store.getState().addCell('note');
    await tick();
    expect(persist.saves.length).toBeGreaterThan(0);
    store.getState().setParams<'note'>(id, { text: 'changed' });
    await store.getState().flushSave();
    await tick();
    const last = persist.saves.at(-1)!;
    expect(last.cells.find((c) => c.id === id)?.params).toEqual({ text: 'changed' });
    expect(store.getState().savedAt).toBe(last.savedAt);
    // the end of a run writes at once, without waiting for the delay
    const slow = createLabStore({ runner: () => new FakeRunner(), persist: new MemoryPersist(), fetchBundled: async () => SYNTHETIC, saveDelayMs: 60_000 });
    await slow.getState().newNotebook('poster');
    await slow.getState().runAll();
    await tick();
    expect(slow.getState().savedAt).not.toBeNull();
    // progress and other state outside the snapshot do not save
    const n = persist.saves.length;
    store.setState({ busy: true, notice: { kind: 'info', text: 'x' } });
    await tick();
    expect(persist.saves.length).toBe(n);
  });

  it('a shared link never silently replaces a notebook with results: the old one is kept and comes back with one click (issue 12 item 2)', async () => {
    const a = setup();
    await a.store.getState().newNotebook('poster');
    await a.store.getState().runAll();
    await a.store.getState().flushSave();
    await tick();
    const before = a.store.getState().cells;
    const b = setup(a.persist);
    const link = encodeShare({ cells: [makeCell('note', { text: 'from a link' })] });
    await b.store.getState().boot({ backend: 'cpu', share: link });
    expect(b.store.getState().notice?.detail ?? '').toBe('');
    expect(b.store.getState().cells.map((c) => c.kind)).toEqual(['note']);
    expect(b.store.getState().previous[0]?.replacedBy).toBe('a shared link');
    expect(b.store.getState().notice?.text).toMatch(/Your notebook is kept/);
    await b.store.getState().flushSave();
    await tick();
    // the kept notebook survives a reload (it is in the browser's storage), and one click restores it with its results
    const c = setup(a.persist);
    await c.store.getState().boot({ backend: 'cpu' });
    expect(c.store.getState().previous[0]?.snapshot.cells).toEqual(before);
    await c.store.getState().restorePrevious();
    expect(c.store.getState().cells).toEqual(before);
    for (const k of ['data', 'constraints', 'experiment', 'heatmaps']) expect(status(c.store, k)).toBe('fresh');
    // the link's notebook held no work: nothing else to keep
    expect(c.store.getState().previous).toEqual([]);
    // a notebook without data or results is simply replaced, nothing to keep
    const d = setup();
    await d.store.getState().boot({ backend: 'cpu', share: link });
    expect(d.store.getState().previous).toEqual([]);
  });

  it('restores the notebook and its results from persistence; erase saves nothing afterwards', async () => {
    const a = setup();
    await a.store.getState().newNotebook('poster');
    await a.store.getState().runAll();
    await a.store.getState().flushSave();
    await tick();
    const b = setup(a.persist);
    await b.store.getState().boot({ backend: 'cpu' });
    expect(b.store.getState().restoredAt).not.toBeNull();
    expect(b.store.getState().cells).toEqual(a.store.getState().cells);
    for (const k of ['data', 'constraints', 'experiment', 'heatmaps']) expect(status(b.store, k)).toBe('fresh');
    expect(b.store.getState().backend?.info.id).toBe('cpu');
    await b.store.getState().eraseAll();
    await tick();
    expect(a.persist.stored).toBeNull();
    expect(b.store.getState().savedAt).toBeNull();
  });
});

describe('kept notebooks', () => {
  const cells = new Map<string, ReturnType<typeof makeCell>>();
  const cellFor = (text: string) => {
    if (!cells.has(text)) cells.set(text, makeCell('note', { text }));
    return cells.get(text)!;
  };
  const kept = (name: string, results: boolean, text = name): PreviousNotebook => ({
    replacedBy: name,
    snapshot: {
      format: 'similarity-lab-notebook',
      version: 1,
      savedAt: `2026-01-01T00:00:0${name.length % 10}Z`,
      cells: [cellFor(text)],
      runs: results ? { x: { inputKey: 'k', ranAt: '', result: fakeResult({ methods: ['euclidean'] } as unknown as ExperimentSpec) } } : {},
      files: results ? {} : { x: { features: { name: 'f.csv', text } } },
      dataVersion: {},
    },
  });
  it('keep the same content once, and drop notebooks without results before the one with results', () => {
    let list: PreviousNotebook[] = [];
    list = keptList(kept('with results', true), list);
    for (let i = 0; i < 7; i++) list = keptList(kept(`damaged ${i}`, false), list);
    expect(list).toHaveLength(KEEP_PREVIOUS);
    expect(list.map((p) => p.replacedBy)).toContain('with results');
    expect(list[0].replacedBy).toBe('damaged 6');
    // the same content again (a later save time) is not a second entry: it moves to the front
    list = keptList({ ...kept('damaged 6', false), replacedBy: 'again' }, list);
    expect(list.filter((p) => p.replacedBy === 'again' || p.replacedBy === 'damaged 6')).toHaveLength(1);
    expect(list[0].replacedBy).toBe('again');
  });
});
