import { describe, expect, it } from 'vitest';
import { assignFolds, foldIndices, FoldError } from '../src/core/folds';
import { createRng } from '../src/core/rng';
import type { ConstraintSet } from '../src/core/types';

/** constraints from explicit (a, n, f) triples; triplet id = sorted clip set */
function cs(triples: [number, number, number][]): ConstraintSet {
  const keys = new Map<string, number>();
  const t = triples.map(([a, n, f]) => {
    const k = [a, n, f].sort((x, y) => x - y).join(',');
    if (!keys.has(k)) keys.set(k, keys.size);
    return keys.get(k)!;
  });
  return {
    count: triples.length,
    a: Int32Array.from(triples.map((x) => x[0])),
    n: Int32Array.from(triples.map((x) => x[1])),
    f: Int32Array.from(triples.map((x) => x[2])),
    weight: new Float64Array(triples.length).fill(1),
    triplet: Int32Array.from(t),
  };
}

function randomTriples(nClips: number, m: number, seed: number): [number, number, number][] {
  const rng = createRng(seed);
  const out: [number, number, number][] = [];
  while (out.length < m) {
    const a = rng.int(nClips),
      b = rng.int(nClips),
      c = rng.int(nClips);
    if (a === b || b === c || a === c) continue;
    out.push([a, b, c], [c, a, b]); // two constraints per vote, same triplet
  }
  return out;
}

describe('assignFolds by triplet', () => {
  const c = cs(randomTriples(40, 400, 1));
  it('keeps both constraints of a triplet in one fold and is seeded', () => {
    const fa = assignFolds(c, 10, 'triplet', createRng(7));
    const foldOfTriplet = new Map<number, number>();
    for (let r = 0; r < c.count; r++) {
      const prev = foldOfTriplet.get(c.triplet[r]);
      if (prev !== undefined) expect(fa.fold[r]).toBe(prev);
      foldOfTriplet.set(c.triplet[r], fa.fold[r]);
    }
    expect(Array.from(assignFolds(c, 10, 'triplet', createRng(7)).fold)).toEqual(Array.from(fa.fold));
    expect(Array.from(assignFolds(c, 10, 'triplet', createRng(8)).fold)).not.toEqual(Array.from(fa.fold));
  });
  it('partitions: every constraint is tested exactly once, folds balanced by triplets', () => {
    const fa = assignFolds(c, 10, 'triplet', createRng(3));
    const seen = new Int32Array(c.count);
    for (let f = 0; f < 10; f++) {
      const { train, test } = foldIndices(fa, f);
      expect(train.length + test.length).toBe(c.count);
      for (const r of test) seen[r]++;
    }
    expect(Array.from(seen).every((x) => x === 1)).toBe(true);
    const triplets = new Set(c.triplet).size;
    for (let f = 0; f < 10; f++) {
      const ts = new Set(Array.from(foldIndices(fa, f).test, (r) => c.triplet[r]));
      expect(Math.abs(ts.size - triplets / 10)).toBeLessThanOrEqual(1);
    }
  });
  it('rejects too few triplets for the folds with a clear message', () => {
    const small = cs([
      [0, 1, 2],
      [2, 0, 1],
      [3, 4, 5],
    ]);
    expect(() => assignFolds(small, 10, 'triplet', createRng(1), 'group "x"')).toThrow(FoldError);
    expect(() => assignFolds(small, 10, 'triplet', createRng(1), 'group "x"')).toThrow(/group "x": 2 triplets \(3 constraints\) are too few for 10 folds/);
    expect(() => assignFolds(small, 1, 'triplet', createRng(1))).toThrow(/folds must be an integer ≥ 2/);
  });
});

describe('assignFolds item-disjoint', () => {
  it('assigns whole connected components when there are enough', () => {
    // 12 disjoint components of 5 clips each
    const triples: [number, number, number][] = [];
    for (let comp = 0; comp < 12; comp++) {
      const b = comp * 5;
      triples.push([b, b + 1, b + 2], [b + 2, b + 3, b + 4], [b + 4, b, b + 3]);
    }
    const c = cs(triples);
    const fa = assignFolds(c, 4, 'item', createRng(2));
    expect(fa.dropped).toBe(0);
    for (let f = 0; f < 4; f++) {
      const { train, test } = foldIndices(fa, f);
      const testClips = new Set<number>();
      for (const r of test) [c.a[r], c.n[r], c.f[r]].forEach((x) => testClips.add(x));
      for (const r of train) for (const x of [c.a[r], c.n[r], c.f[r]]) expect(testClips.has(x)).toBe(false);
      expect(test.length).toBeGreaterThan(0);
    }
  });
  it('partitions clips of one connected graph and never shares a test clip with training', () => {
    const c = cs(randomTriples(60, 3000, 4));
    const fa = assignFolds(c, 3, 'item', createRng(5));
    expect(fa.dropped).toBeGreaterThan(0);
    expect(fa.note).toMatch(/straddling/);
    for (let f = 0; f < 3; f++) {
      const { train, test } = foldIndices(fa, f);
      const testClips = new Set<number>();
      for (const r of test) [c.a[r], c.n[r], c.f[r]].forEach((x) => testClips.add(x));
      for (const r of train) for (const x of [c.a[r], c.n[r], c.f[r]]) expect(testClips.has(x)).toBe(false);
    }
  });
});
