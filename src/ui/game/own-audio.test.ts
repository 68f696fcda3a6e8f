import { describe, expect, it } from 'vitest';
import type { AudioManifest } from '../audio-manifest';
import { memoryClips } from '../clip-store';
import { clipSetPaths } from '../offline';
import { featuresOf, listClipSets } from './organiser/clip-sets';
import { hash53, type LabNotebookSource, ownClipResolver, ownClipSetId, ownClipSets, registerOwnAudio } from './own-audio';

const manifest = (ids: string[], tag = ''): AudioManifest => ({
  window: { offset: 0, length: 30 },
  clips: [...ids.map((id) => ({ id, file: `${id}.wav`, hash: `h-${id}${tag}` })), { file: 'broken.wav', error: 'broken.wav: not audio' }],
});

const FEATURES = 'id,f1\na,1\nb,2\nc,3\nd,4\n';

function notebook(cells: { id: string; kind: string; title?: string }[], files: Record<string, unknown>) {
  return { format: 'similarity-lab-notebook', version: 1, savedAt: '', cells, runs: {}, files, dataVersion: {} };
}

const dataCell = (id: string, title?: string) => ({ id, kind: 'data', params: { source: 'files' }, ...(title ? { title } : {}) });

function source(nb: unknown, previous: unknown = undefined): LabNotebookSource {
  return { notebook: async () => nb, previous: async () => previous };
}

async function storeWith(hashes: string[]) {
  const clips = memoryClips();
  for (const h of hashes) await clips.put(h, new Blob([new TextEncoder().encode(`bytes of ${h}`)]));
  return clips;
}

const m4 = manifest(['a', 'b', 'c', 'd']);
const nb4 = notebook([{ id: 'n1', kind: 'note' }, dataCell('d1', 'My recordings'), dataCell('d2')], {
  d1: { features: { name: 'features-from-audio.csv', text: FEATURES, audio: m4 } },
  d2: { features: { name: 'features.csv', text: FEATURES } },
});

describe('own audio from the lab (provider)', () => {
  it('lists each Data cell whose features came from audio, labelled with title, file and clip count; id from the manifest', async () => {
    const sets = await ownClipSets(source(nb4), await storeWith(['h-a', 'h-b', 'h-c', 'h-d']));
    expect(sets).toHaveLength(1);
    const [s] = sets;
    expect(s.id).toBe(ownClipSetId(m4));
    expect(s.id).toMatch(/^own:[0-9a-f]{14}$/);
    expect(s.label).toBe('My recordings: features-from-audio.csv, 4 clips');
    expect(s.clipIds).toEqual(['a', 'b', 'c', 'd']);
    expect(s.featuresText).toBe(FEATURES);
    expect(s.problem).toBeUndefined();
    // stable: the same clips and bytes give the same id; other bytes another
    expect(ownClipSetId(manifest(['a', 'b', 'c', 'd']))).toBe(s.id);
    expect(ownClipSetId(manifest(['a', 'b', 'c', 'd'], 'x'))).not.toBe(s.id);
  });

  it('adds the kept earlier notebooks (once per set), skips damaged parts and sets of fewer than 3 clips', async () => {
    const other = manifest(['x', 'y', 'z']);
    const prev = [
      { snapshot: notebook([dataCell('q')], { q: { features: { name: 'old.csv', text: 'id,f\nx,1\n', audio: other } } }), replacedBy: 'a link' },
      { snapshot: nb4, replacedBy: 'a file' },
      { snapshot: { format: 'something else' } },
      null,
      { snapshot: notebook([dataCell('t')], { t: { features: { name: 'two.csv', text: '', audio: manifest(['u', 'v']) } } }) },
    ];
    const sets = await ownClipSets(source(nb4, prev), await storeWith(['h-a', 'h-b', 'h-c', 'h-d', 'h-x', 'h-y', 'h-z']));
    expect(sets.map((s) => s.label)).toEqual(['My recordings: features-from-audio.csv, 4 clips', 'Data cell 1: old.csv, 3 clips (an earlier notebook)']);
    expect(await ownClipSets(source({ nope: 1 }, 'garbage'), memoryClips())).toEqual([]);
    expect(await ownClipSets({ notebook: () => Promise.reject(new Error('blocked')), previous: async () => undefined }, memoryClips())).toEqual([]);
  });

  it('says when the audio was erased from this browser', async () => {
    const [some] = await ownClipSets(source(nb4), await storeWith(['h-a', 'h-b']));
    expect(some.problem).toBe('the audio of 2 of its 4 clips (c, d) is no longer in this browser (erased?): load the audio files in the lab again.');
    const [none] = await ownClipSets(source(nb4), memoryClips());
    expect(none.problem).toMatch(/^the audio of none of its clips is no longer/);
  });
});

describe('own audio from the lab (resolver)', () => {
  it("answers own: sets only, with the clip's stored bytes", async () => {
    const resolve = ownClipResolver(source(nb4), await storeWith(['h-a', 'h-b', 'h-c', 'h-d']));
    expect(resolve('tones', 'a')).toBeUndefined();
    const bytes = await resolve(ownClipSetId(m4), 'b')!;
    expect(new TextDecoder().decode(bytes)).toBe('bytes of h-b');
  });

  it('names what is missing: an unknown set, a clip not in it, erased bytes', async () => {
    const clips = await storeWith(['h-a']);
    const resolve = ownClipResolver(source(nb4), clips);
    const id = ownClipSetId(m4);
    await expect(resolve('own:00000000000000', 'a')!).rejects.toThrow(/not in the lab's notebook in this browser/);
    await expect(resolve(id, 'q')!).rejects.toThrow('clip "q" is not in your audio set "My recordings: features-from-audio.csv, 4 clips"');
    await expect(resolve(id, 'c')!).rejects.toThrow('the audio of clip "c" is no longer in this browser (erased?)');
    await clips.clear();
    await expect(resolve(id, 'a')!).rejects.toThrow(/no longer in this browser/);
  });

  it('reads the notebook again for a set it has not seen (audio analysed after the page opened)', async () => {
    let nb: unknown = notebook([], {});
    const resolve = ownClipResolver({ notebook: async () => nb, previous: async () => undefined }, await storeWith(['h-a', 'h-b', 'h-c', 'h-d']));
    await expect(resolve('own:00000000000000', 'a')!).rejects.toThrow();
    nb = nb4;
    expect(new TextDecoder().decode(await resolve(ownClipSetId(m4), 'a')!)).toBe('bytes of h-a');
  });

  it('registers both hooks: the game lists the set and its features come with the manifest', async () => {
    const off = registerOwnAudio(source(nb4), await storeWith(['h-a', 'h-b', 'h-c', 'h-d']));
    try {
      const own = (await listClipSets()).filter((s) => s.kind === 'own');
      expect(own.map((s) => s.id)).toEqual([ownClipSetId(m4)]);
      const f = await featuresOf(own[0]);
      expect(f.name).toBe(`${ownClipSetId(m4).replace(':', '-')}-features.csv`);
      expect(f.text).toBe(FEATURES);
      expect(f.audio?.clips).toHaveLength(5);
    } finally {
      off();
    }
    expect((await listClipSets()).some((s) => s.kind === 'own')).toBe(false);
  });

  it('hash53 is deterministic and spreads', () => {
    expect(hash53('abc')).toBe(hash53('abc'));
    expect(hash53('abc')).not.toBe(hash53('abd'));
    expect(hash53('')).toMatch(/^[0-9a-f]{14}$/);
  });
});

describe('clipSetPaths (offline)', () => {
  it('lists every file of a bundled clip set under data/', () => {
    expect(clipSetPaths({ clips: 'tones/clips.csv', features: 'tones/features.csv', judgments: 'tones/votes.csv' }, ['t 1.opus', 'sub/t2.opus'])).toEqual([
      'data/tones/clips.csv',
      'data/tones/features.csv',
      'data/tones/votes.csv',
      'data/tones/SOURCE.md',
      'data/tones/t%201.opus',
      'data/tones/sub/t2.opus',
    ]);
  });
});
