import { describe, expect, it } from 'vitest';
import { asFeatureMatrix } from '../core/matrix';
import type { FeatureSet } from '../core/types';
import { clipSetUrl, compareFeatures, parseClipsCsv } from './clip-sets';

const fs = (ids: string[], names: string[], rows: number[][]): FeatureSet => ({
  ids,
  names,
  X: asFeatureMatrix({ rows: ids.length, cols: names.length, data: Float64Array.from(rows.flat()) }),
  source: 't',
});

describe('bundled clip sets', () => {
  it('reads clips.csv (id,file,… any order) and refuses duplicates with the line', () => {
    expect(parseClipsCsv('file,id,family\na.opus,A,piano\nb.opus,B,brass\n', 'clips.csv')).toEqual([
      { id: 'A', file: 'a.opus' },
      { id: 'B', file: 'b.opus' },
    ]);
    expect(() => parseClipsCsv('id,name\nA,x\n', 'clips.csv')).toThrow(/"file" column/);
    expect(() => parseClipsCsv('id,file\nA,a.wav\nA,b.wav\n', 'clips.csv')).toThrow(/line 3.*appears twice|appears twice/);
  });

  it('finds a clip next to its clips.csv', () => {
    expect(clipSetUrl('./', 'instruments/clips.csv', '001 piano.opus')).toBe('./data/instruments/001%20piano.opus');
    expect(clipSetUrl('/lab/', 'clips.csv', 'a.wav')).toBe('/lab/data/a.wav');
  });

  it('compares recomputed with shipped features by id and column name', () => {
    const want = fs(
      ['a', 'b'],
      ['x', 'y'],
      [
        [1, 2],
        [3, 0],
      ],
    );
    const got = fs(
      ['b', 'a'],
      ['y', 'x'],
      [
        [0, 3 * (1 + 1e-7)],
        [2, 1],
      ],
    );
    const d = compareFeatures(got, want);
    expect(d.compared).toBe(4);
    expect(d.maxRel).toBeCloseTo(1e-7, 12);
    expect(d.at).toEqual({ id: 'b', column: 'x' });
    expect(d.missing).toEqual([]);
    const short = compareFeatures(fs(['a'], ['x'], [[1]]), want);
    expect(short.missing).toEqual(['b', 'column y']);
  });
});
