import { describe, expect, it } from 'vitest';
import type { AudioManifest } from './audio-manifest';
import { ClipCollector, memoryClips, referencedHashes, type ClipReferrers } from './clip-store';
import type { DataFiles } from './data';

const manifest = (...hashes: string[]): AudioManifest => ({
  window: { offset: 0, length: 30 },
  clips: hashes.map((h, i) => ({ id: `c${i}`, file: `c${i}.wav`, hash: h })),
});
const files = (...hashes: string[]): DataFiles => ({ features: { name: 'features-from-audio.csv', text: 'id\n', audio: manifest(...hashes) } });
const state = (over: Partial<ClipReferrers> = {}): ClipReferrers => ({ data: {}, previousData: {}, previous: [], ...over });

describe('the clip store keeps what a notebook refers to', () => {
  it('collects the hashes of the cells, their undo entries and the replaced notebooks; failed files refer to nothing', () => {
    const failed: DataFiles = {
      features: { name: 'f.csv', text: '', audio: { window: { offset: 0, length: 30 }, clips: [{ file: 'bad.wav', hash: 'hx', error: 'bad' }] } },
    };
    const s = state({
      data: { a: { files: files('h1', 'h2') }, b: { files: failed } },
      previousData: { a: { files: files('h3') } },
      previous: [{ snapshot: { files: { z: files('h4') }, previous: { z: { files: files('h5') } } } }],
    });
    expect([...referencedHashes(s)].sort()).toEqual(['h1', 'h2', 'h3', 'h4', 'h5']);
  });

  it('deletes clips when their set is replaced for good, not while an undo can bring it back', async () => {
    const store = memoryClips();
    const blob = new Blob([new Uint8Array([1, 2, 3])]);
    for (const h of ['h1', 'h2', 'h3']) await store.put(h, blob);
    const gc = new ClipCollector(store);
    expect(await gc.update(state({ data: { a: { files: files('h1', 'h2') } } }))).toEqual([]);
    // replaced, the old set kept as the undo entry: nothing deleted
    expect(await gc.update(state({ data: { a: { files: files('h3') } }, previousData: { a: { files: files('h1', 'h2') } } }))).toEqual([]);
    // the undo entry replaced by another: h1, h2 are gone for good
    expect((await gc.update(state({ data: { a: { files: {} } }, previousData: { a: { files: files('h3') } } }))).sort()).toEqual(['h1', 'h2']);
    expect(await store.keys()).toEqual(['h3']);
  });

  it('holds clips an analysis stored before the set refers to them', async () => {
    const store = memoryClips();
    await store.put('new', new Blob([]));
    const gc = new ClipCollector(store);
    await gc.update(state());
    const release = gc.hold(['new']);
    expect(await gc.update(state())).toEqual([]);
    await gc.update(state({ data: { a: { files: files('new') } } }));
    release();
    expect(await gc.update(state({ data: { a: { files: files('new') } } }))).toEqual([]);
    expect(await store.keys()).toEqual(['new']);
    // a cancelled analysis: released without a set referring to it, then deleted on the next change
    const store2 = memoryClips();
    await store2.put('orphan', new Blob([]));
    const gc2 = new ClipCollector(store2);
    await gc2.update(state());
    const rel2 = gc2.hold(['orphan']);
    await gc2.update(state());
    rel2();
    expect(await gc2.update(state())).toEqual(['orphan']);
  });

  it('leaves alone clips it never saw referred to (another tab, an earlier session)', async () => {
    const store = memoryClips();
    await store.put('other', new Blob([]));
    const gc = new ClipCollector(store);
    await gc.update(state());
    expect(await gc.update(state({ data: { a: { files: files('h1') } } }))).toEqual([]);
    expect(await store.keys()).toEqual(['other']);
  });

  it('sweeps what an analysis stored and no set took (cancelled, or nothing loaded)', async () => {
    const store = memoryClips();
    for (const h of ['kept', 'orphan', 'busy']) await store.put(h, new Blob([]));
    const gc = new ClipCollector(store);
    const other = gc.hold(['busy']);
    expect(await gc.sweep(['kept', 'orphan', 'busy'], state({ data: { a: { files: files('kept') } } }))).toEqual(['orphan']);
    other();
    expect((await store.keys()).sort()).toEqual(['busy', 'kept']);
  });
});
