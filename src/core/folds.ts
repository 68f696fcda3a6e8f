/**
 * Seeded k-fold assignment of relative constraints (METHOD.md §7).
 * - 'triplet': all constraints of one unordered clip set {a, n, f} share a fold.
 * - 'item': test clips are never seen in training. Whole connected components of the clip graph
 *   (clips linked by shared constraints) go to folds when there are at least k components; otherwise
 *   clips are partitioned into k folds and constraints whose clips straddle folds are dropped (counted
 *   in `dropped`; they are in no fold's training or test set).
 */
import type { Rng } from './rng';
import type { ConstraintSet } from './types';

export interface FoldAssignment {
  readonly k: number;
  /** fold of each constraint, −1 for a dropped one */
  readonly fold: Int32Array;
  readonly split: 'triplet' | 'item';
  readonly dropped: number;
  readonly note?: string;
}

export class FoldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FoldError';
  }
}

export function assignFolds(c: ConstraintSet, k: number, split: 'triplet' | 'item', rng: Rng, what = 'data'): FoldAssignment {
  if (!Number.isInteger(k) || k < 2) throw new FoldError(`${what}: folds must be an integer ≥ 2, got ${k}`);
  if (c.count === 0) throw new FoldError(`${what}: no constraints to split into folds`);
  return split === 'triplet' ? byTriplet(c, k, rng, what) : byItem(c, k, rng, what);
}

function byTriplet(c: ConstraintSet, k: number, rng: Rng, what: string): FoldAssignment {
  const ids = Array.from(new Set(c.triplet)).sort((x, y) => x - y);
  if (ids.length < k) {
    throw new FoldError(`${what}: ${ids.length} triplets (${c.count} constraints) are too few for ${k} folds; use fewer folds`);
  }
  rng.shuffle(ids);
  const foldOf = new Map<number, number>();
  ids.forEach((t, idx) => foldOf.set(t, idx % k));
  const fold = new Int32Array(c.count);
  for (let r = 0; r < c.count; r++) fold[r] = foldOf.get(c.triplet[r])!;
  return { k, fold, split: 'triplet', dropped: 0 };
}

function byItem(c: ConstraintSet, k: number, rng: Rng, what: string): FoldAssignment {
  // union-find over clips
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r)! !== r) r = parent.get(r)!;
    let y = x;
    while (parent.get(y)! !== r) {
      const nx = parent.get(y)!;
      parent.set(y, r);
      y = nx;
    }
    return r;
  };
  const add = (x: number) => {
    if (!parent.has(x)) parent.set(x, x);
  };
  const union = (x: number, y: number) => {
    const rx = find(x);
    const ry = find(y);
    if (rx !== ry) parent.set(Math.max(rx, ry), Math.min(rx, ry));
  };
  for (let r = 0; r < c.count; r++) {
    add(c.a[r]);
    add(c.n[r]);
    add(c.f[r]);
    union(c.a[r], c.n[r]);
    union(c.a[r], c.f[r]);
  }
  const compSize = new Map<number, number>();
  for (let r = 0; r < c.count; r++) {
    const root = find(c.a[r]);
    compSize.set(root, (compSize.get(root) ?? 0) + 1);
  }
  const fold = new Int32Array(c.count);
  if (compSize.size >= k) {
    // largest components first, each to the currently smallest fold (seeded order among equals)
    const comps = rng.shuffle(Array.from(compSize.entries())).sort((x, y) => y[1] - x[1]);
    const load = new Array<number>(k).fill(0);
    const foldOf = new Map<number, number>();
    for (const [root, size] of comps) {
      let best = 0;
      for (let f = 1; f < k; f++) if (load[f] < load[best]) best = f;
      foldOf.set(root, best);
      load[best] += size;
    }
    for (let r = 0; r < c.count; r++) fold[r] = foldOf.get(find(c.a[r]))!;
    return { k, fold, split: 'item', dropped: 0, note: `${compSize.size} connected components assigned whole to ${k} folds` };
  }
  const clips = rng.shuffle(Array.from(parent.keys()).sort((x, y) => x - y));
  if (clips.length < k) throw new FoldError(`${what}: ${clips.length} clips are too few for ${k} item-disjoint folds`);
  const clipFold = new Map<number, number>();
  clips.forEach((clip, idx) => clipFold.set(clip, idx % k));
  let dropped = 0;
  const used = new Set<number>();
  for (let r = 0; r < c.count; r++) {
    const fa = clipFold.get(c.a[r])!;
    if (clipFold.get(c.n[r]) === fa && clipFold.get(c.f[r]) === fa) {
      fold[r] = fa;
      used.add(fa);
    } else {
      fold[r] = -1;
      dropped++;
    }
  }
  if (used.size < k) {
    throw new FoldError(
      `${what}: item-disjoint split leaves ${k - used.size} of ${k} folds without constraints (${compSize.size} connected component(s), ${clips.length} clips); use fewer folds or the 'triplet' split`,
    );
  }
  return {
    k,
    fold,
    split: 'item',
    dropped,
    note: `${compSize.size} connected component(s) < ${k} folds: clips partitioned into ${k} sets, ${dropped} of ${c.count} constraints straddling sets dropped`,
  };
}

/** Indices of training and test constraints of fold f (dropped constraints in neither). */
export function foldIndices(fa: FoldAssignment, f: number): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  for (let r = 0; r < fa.fold.length; r++) {
    const g = fa.fold[r];
    if (g < 0) continue;
    (g === f ? test : train).push(r);
  }
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
