/** The lab store's own-files path: a new set replaces the old as a set, blocks runs while inconsistent, and undo brings the old one back (also after reload). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExperimentResult, ExperimentSpec } from '../core/experiment-types';
import type { BackendState } from '../worker/api';
import type { DataFiles } from './data';
import { createLabStore, statusOf, type LabPersistence, type LabRunnerLike, type LabStore } from './lab-store';
import { checkSnapshot, type NotebookSnapshot } from './notebook-file';
import { fakeResult } from './testing';

const text = (f: string) => ({ name: f, text: readFileSync(new URL(`../../public/data/synthetic/${f}`, import.meta.url), 'utf8') });
const SYNTHETIC: DataFiles = { features: text('features.csv'), judgments: text('votes.csv'), users: text('users.csv') };

// six clips, judgments with users, a users file with occupation (no age_group)
const OWN = {
  features: { name: 'my-features.csv', text: `id,x,y\n${['k1', 'k2', 'k3', 'k4', 'k5', 'k6'].map((k, i) => `${k},${i},${(i * 7) % 5}`).join('\n')}\n` },
  judgments: { name: 'my-votes.csv', text: 'a,b,c,odd,user\nk1,k2,k3,k1,w1\nk2,k4,k5,k5,w2\nk3,k5,k6,k3,w1\n' },
  users: { name: 'my-users.csv', text: 'user,occupation\nw1,student\nw2,teacher\n' },
};

class FakeRunner implements LabRunnerLike {
  specs: ExperimentSpec[] = [];
  async run(_d: unknown, spec: ExperimentSpec): Promise<ExperimentResult> {
    this.specs.push(spec);
    return fakeResult(spec);
  }
  pause(): void {}
  resume(): void {}
  async cancel(): Promise<'idle'> {
    return 'idle';
  }
  setBackend(): Promise<BackendState> {
    return Promise.resolve({ info: { id: 'cpu', precision: 'float64', description: 'fake' } } as unknown as BackendState);
  }
  terminate(): void {}
}

class MemoryPersist implements LabPersistence {
  stored: NotebookSnapshot | null = null;
  async saveNotebook(s: NotebookSnapshot) {
    this.stored = structuredClone(s);
  }
  async loadNotebook() {
    return this.stored;
  }
  async savePrevious() {}
  async loadPrevious() {
    return [];
  }
  async loadBackendPref() {
    return null;
  }
  async eraseAll() {
    this.stored = null;
  }
}

function setup(persist = new MemoryPersist()) {
  const runner = new FakeRunner();
  const store = createLabStore({ runner: () => runner, persist, fetchBundled: async () => SYNTHETIC, saveDelayMs: 1 });
  return { store, runner, persist };
}
const idOf = (store: LabStore, kind: string) => store.getState().cells.find((c) => c.kind === kind)!.id;
const status = (store: LabStore, kind: string) => statusOf(store.getState(), idOf(store, kind));
const statuses = (store: LabStore) => ['data', 'constraints', 'experiment', 'heatmaps'].map((k) => status(store, k));
const specOf = (store: LabStore) => store.getState().runs[idOf(store, 'experiment')].saved?.result?.meta.spec;

describe('lab store: own files after the demo', () => {
  it('an incomplete or inconsistent set blocks Run all; a complete set replaces the demo; undo brings it back', async () => {
    const { store, runner } = setup();
    const s = () => store.getState();
    await s().newNotebook('poster');
    await s().runAll();
    expect(runner.specs).toHaveLength(1);
    const data = idOf(store, 'data');
    // own files chosen: nothing is loaded yet, and nothing runs on the synthetic set
    s().setDataSource(data, 'files');
    expect(s().data[data].lab).toBeNull();
    expect(s().previousData[data]).toMatchObject({ source: 'synthetic', version: 1 });
    expect(statuses(store)).toEqual(['idle', 'stale', 'stale', 'stale']);
    await s().runAll();
    expect(runner.specs).toHaveLength(1);
    expect(s().runs[data].error?.message).toMatch(/^No files yet/);
    // one file at a time: checked against each other, not against the synthetic files
    s().loadDataFile(data, 'judgments', OWN.judgments);
    expect(s().data[data].problem).toMatch(/^Missing a features file .*loaded so far: judgments: my-votes\.csv/);
    s().loadDataFile(data, 'features', SYNTHETIC.features!);
    expect(s().data[data].problem).toMatch(/^my-votes\.csv and features\.csv do not belong together: my-votes\.csv, line 2, column "a": clip "k1"/);
    await s().runAll();
    expect(runner.specs).toHaveLength(1);
    expect(status(store, 'data')).toBe('error');
    s().loadDataFile(data, 'features', OWN.features);
    s().loadDataFile(data, 'users', OWN.users);
    expect(s().data[data].lab?.features.ids).toHaveLength(6);
    expect(status(store, 'data')).toBe('fresh');
    // the old group-by is not silently kept: the constraints cell fails until one of the data's columns is chosen
    await s().runAll();
    expect(runner.specs).toHaveLength(1);
    expect(s().runs[idOf(store, 'constraints')].error?.message).toMatch(/"age_group" is not an attribute of my-votes\.csv \(attributes: occupation\)/);
    s().setParams<'constraints'>(idOf(store, 'constraints'), { groupBy: 'occupation' });
    await s().runAll();
    expect(runner.specs.at(-1)).toMatchObject({ groupBy: 'occupation' });
    expect(statuses(store)).toEqual(['fresh', 'fresh', 'fresh', 'fresh']);
    // undo: the synthetic set and its results are back (the group-by is the constraints cell's own parameter: stale)
    await s().restorePreviousData(data);
    expect(s().cells.find((c) => c.id === data)?.params).toEqual({ source: 'synthetic' });
    expect(s().data[data].lab?.features.ids.length).toBeGreaterThan(100);
    expect(specOf(store)).toMatchObject({ groupBy: 'age_group' });
    expect(statuses(store)).toEqual(['fresh', 'stale', 'stale', 'stale']);
    expect(s().previousData[data]).toMatchObject({ source: 'files' });
    s().setParams<'constraints'>(idOf(store, 'constraints'), { groupBy: 'age_group' });
    expect(statuses(store)).toEqual(['fresh', 'fresh', 'fresh', 'fresh']);
    // and undo again: the own files with their results
    await s().restorePreviousData(data);
    expect(s().data[data].files.users?.name).toBe('my-users.csv');
    expect(specOf(store)).toMatchObject({ groupBy: 'occupation' });
  });

  it('dropping all three files at once replaces the demo set; the undo entry survives a reload; versions never repeat', async () => {
    const a = setup();
    const s = () => a.store.getState();
    await s().newNotebook('poster');
    await s().runAll();
    const data = idOf(a.store, 'data');
    s().loadDataFiles(data, [
      { slot: 'users', file: OWN.users },
      { slot: 'judgments', file: OWN.judgments },
      { slot: 'features', file: OWN.features },
    ]);
    expect(s().cells.find((c) => c.id === data)?.params).toEqual({ source: 'files' });
    expect(s().data[data].problem).toBeNull();
    expect(status(a.store, 'data')).toBe('fresh');
    expect(s().previousData[data]).toMatchObject({ source: 'synthetic' });
    // a refused file changes nothing but the message
    const before = s().data[data];
    s().loadDataFile(data, 'features', { name: 'bad.csv', text: 'id,x\nk1,1\nk2,oops\n' });
    expect(s().data[data].errors.features).toMatch(/bad\.csv, line 3, column "x"/);
    expect(s().data[data].lab).toBe(before.lab);
    await s().flushSave();
    // what the page's IndexedDB gives back is checked like a file: the undo entry passes the check
    a.persist.stored = checkSnapshot(JSON.parse(JSON.stringify(a.persist.stored)), 'saved notebook');
    expect(a.persist.stored.previous?.[data]).toMatchObject({ source: 'synthetic', version: 1 });
    const b = setup(a.persist);
    await b.store.getState().boot({ backend: 'cpu' });
    expect(b.store.getState().previousData[data]).toMatchObject({ source: 'synthetic' });
    expect(status(b.store, 'data')).toBe('fresh');
    await b.store.getState().restorePreviousData(data);
    expect(statuses(b.store)).toEqual(['fresh', 'fresh', 'fresh', 'fresh']);
    expect(b.store.getState().previousData[data]).toMatchObject({ source: 'files', files: { features: OWN.features } });
    // a new file: a version above every earlier one, so no earlier result matches it
    const high = Math.max(b.store.getState().dataVersion[data], b.store.getState().previousData[data].version);
    b.store.getState().loadDataFile(data, 'features', OWN.features);
    expect(b.store.getState().dataVersion[data]).toBe(high + 1);
  });

  it('a workshop source holds the fetched files: re-fetched votes replace them as a set, keep the source, survive a reload', async () => {
    const a = setup();
    const s = () => a.store.getState();
    await s().newNotebook('poster');
    const data = idOf(a.store, 'data');
    s().setDataSource(data, 'workshop');
    expect(s().data[data].lab).toBeNull();
    const fetched = (votes: string) => [
      { slot: 'features' as const, file: OWN.features },
      { slot: 'judgments' as const, file: { name: 'workshop-s1-votes.csv', text: votes } },
      { slot: 'users' as const, file: OWN.users },
    ];
    s().loadDataFiles(data, fetched(OWN.judgments.text));
    expect(s().cells.find((c) => c.id === data)?.params).toEqual({ source: 'workshop' });
    expect(status(a.store, 'data')).toBe('fresh');
    s().setParams<'constraints'>(idOf(a.store, 'constraints'), { groupBy: 'occupation' });
    await s().runAll();
    expect(statuses(a.store)).toEqual(['fresh', 'fresh', 'fresh', 'fresh']);
    // newer votes: a new version (the cells below are stale), the old set is the undo entry, still a workshop set
    s().loadDataFiles(data, fetched(`${OWN.judgments.text}k4,k5,k6,k6,w2\n`));
    expect(s().data[data].lab?.judgments.judgments).toHaveLength(4);
    expect(statuses(a.store)).toEqual(['fresh', 'stale', 'stale', 'stale']);
    expect(s().previousData[data]).toMatchObject({ source: 'workshop' });
    await s().flushSave();
    a.persist.stored = checkSnapshot(JSON.parse(JSON.stringify(a.persist.stored)), 'saved notebook');
    expect(a.persist.stored.files[data]?.judgments?.name).toBe('workshop-s1-votes.csv');
    const b = setup(a.persist);
    await b.store.getState().boot({ backend: 'cpu' });
    expect(b.store.getState().cells.find((c) => c.id === data)?.params).toEqual({ source: 'workshop' });
    expect(b.store.getState().data[data].lab?.judgments.judgments).toHaveLength(4);
    await b.store.getState().restorePreviousData(data);
    expect(b.store.getState().data[data].lab?.judgments.judgments).toHaveLength(3);
    expect(statuses(b.store)).toEqual(['fresh', 'fresh', 'fresh', 'fresh']);
  });
});
