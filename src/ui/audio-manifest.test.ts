import { describe, expect, it } from 'vitest';
import { contentHash } from '../worker/content-hash';
import { checkManifest, manifestHashes } from './audio-manifest';
import { checkSnapshot, snapshot } from './notebook-file';
import { makeCell } from './model';

describe('the audio manifest of a features file', () => {
  const m = {
    window: { offset: 1, length: 10 },
    clips: [
      { id: 'a', file: 'a.wav', hash: 'h1', duration: 2, sampleRate: 44100, channels: 2, from: 1, to: 2, decoder: 'lab: WAV PCM 16-bit' },
      { file: 'bad.wav', error: 'bad.wav: not audio' },
    ],
  };

  it('is kept through a notebook snapshot (autosave, notebook files); a damaged one is dropped, the file kept', () => {
    const cell = makeCell('data', { source: 'files' });
    const snap = snapshot({ cells: [cell], runs: {}, files: { [cell.id]: { features: { name: 'f.csv', text: 'id,x\na,1\n', audio: m } } }, dataVersion: {} });
    const back = checkSnapshot(JSON.parse(JSON.stringify(snap)), 'test');
    expect(back.files[cell.id].features?.audio).toEqual(m);
    const damaged = JSON.parse(JSON.stringify(snap));
    damaged.files[cell.id].features.audio = { clips: 'nope' };
    const back2 = checkSnapshot(damaged, 'test');
    expect(back2.files[cell.id].features).toEqual({ name: 'f.csv', text: 'id,x\na,1\n' });
  });

  it('keeps only well-typed fields and refers to the hashes of analysed clips', () => {
    const odd = checkManifest({ window: { offset: 0, length: 30 }, clips: [{ file: 'x.wav', id: 3, hash: 'h', duration: 'long' }, { nofile: true }] });
    expect(odd).toEqual({ window: { offset: 0, length: 30 }, clips: [{ file: 'x.wav', hash: 'h' }] });
    expect(manifestHashes(m)).toEqual(['h1']);
    expect(checkManifest(null)).toBeNull();
  });

  it('content hashes tell files apart and name the same bytes alike', () => {
    const a = new Uint8Array(1000).map((_, i) => i & 255);
    const b = a.slice();
    b[500] ^= 1;
    expect(contentHash(a)).toBe(contentHash(a.slice()));
    expect(contentHash(a)).not.toBe(contentHash(b));
    expect(contentHash(a)).toMatch(/^[0-9a-f]{16}-1000$/);
    expect(contentHash(new Uint8Array(0))).toMatch(/-0$/);
  });
});
