/** Strict fulfilment of relative constraints: d_W(a, n) < d_W(a, f); ties fail (METHOD.md §7). */
import { mahalanobis } from './matrix';
import type { ConstraintSet, Matrix } from './types';

/** d_W(a, n) and d_W(a, f) of every constraint (two Float64Arrays). */
export function constraintDistances(X: Matrix, W: Matrix, c: ConstraintSet): { dn: Float64Array; df: Float64Array } {
  const dn = new Float64Array(c.count);
  const df = new Float64Array(c.count);
  const buf = new Float64Array(X.cols);
  for (let r = 0; r < c.count; r++) {
    dn[r] = mahalanobis(X, W, c.a[r], c.n[r], buf);
    df[r] = mahalanobis(X, W, c.a[r], c.f[r], buf);
  }
  return { dn, df };
}

/** Share (0..1) of constraints strictly fulfilled; NaN never: an empty set throws. */
export function fulfilment(X: Matrix, W: Matrix, c: ConstraintSet): number {
  if (c.count === 0) throw new Error('cannot score an empty constraint set');
  const { dn, df } = constraintDistances(X, W, c);
  let ok = 0;
  for (let r = 0; r < c.count; r++) if (dn[r] < df[r]) ok++;
  return ok / c.count;
}

/** Rows `idx` of a constraint set (order kept). */
export function subsetConstraints(c: ConstraintSet, idx: ArrayLike<number>): ConstraintSet {
  const m = idx.length;
  const a = new Int32Array(m);
  const n = new Int32Array(m);
  const f = new Int32Array(m);
  const weight = new Float64Array(m);
  const triplet = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const r = idx[k];
    a[k] = c.a[r];
    n[k] = c.n[r];
    f[k] = c.f[r];
    weight[k] = c.weight[r];
    triplet[k] = c.triplet[r];
  }
  return { count: m, a, n, f, weight, triplet };
}

/** Concatenation of constraint sets (same clip indexing). */
export function concatConstraints(...sets: ConstraintSet[]): ConstraintSet {
  const m = sets.reduce((s, c) => s + c.count, 0);
  const out = { count: m, a: new Int32Array(m), n: new Int32Array(m), f: new Int32Array(m), weight: new Float64Array(m), triplet: new Int32Array(m) };
  let o = 0;
  for (const c of sets) {
    out.a.set(c.a, o);
    out.n.set(c.n, o);
    out.f.set(c.f, o);
    out.weight.set(c.weight, o);
    out.triplet.set(c.triplet, o);
    o += c.count;
  }
  return out;
}
