/**
 * Information-Theoretic Metric Learning (Davis et al., ICML 2007), exactly as the reference Matlab code
 * `ItmlAlg.m` (ITML 1.2) does it — METHOD.md §3. Float64, CPU.
 *
 *   W ← W_p;  λ_c ← 0;  ξ_c ← bound_c;  g_c ← γ_c/(γ_c+1)   (g = 1 when γ = ∞)
 *   sweep over the constraints in their given order:
 *     v ← x_i − x_j;  p ← vᵀ W v
 *     α ← min(λ_c, δ g_c (1/p − 1/ξ_c))
 *     β ← δα / (1 − δαp)
 *     ξ_c ← 1 / (1/ξ_c + δα/γ_c)        (= γ ξ / (γ + δ α ξ))
 *     λ_c ← λ_c − α
 *     W ← W + β (W v)(W v)ᵀ
 *   after each full sweep: conv = ‖λ − λ_old‖₁ / (‖λ‖₂ + ‖λ_old‖₂); stop when conv < tol, or when both
 *   norms are 0 (nothing left to do), or after `maxSweeps` sweeps (not converged).
 *
 * Details that follow the reference:
 * - Constraints whose points coincide are removed before the sweeps: they are never projected and keep
 *   λ = 0 (so they do not change the convergence norms). They do count in `satisfied`. The reference's
 *   test is absolute (`norm(v) < 10e-10`); here it is relative to the data's scale, ‖x_i − x_j‖₂ <
 *   1e-9 · the largest ‖x_i − x_j‖₂ of the constraints (or exactly 0), so that ITML on X·s gives the
 *   same W for every scale s (`identicalPairs`). `info.skipped` counts them.
 * - A bound ξ_c that is (or becomes) |ξ_c| < 1e-9 · the largest initial |bound| is an error ("bhat
 *   should never be 0"; the reference's 1e-9 is absolute, relative here for the same reason).
 * - The convergence norms are computed without underflow or overflow of λ² (λ scales as 1/s²), so the
 *   number of sweeps does not depend on the scale either.
 * - The reference caps the total number of PROJECTIONS (`max_iters`, only checked at the end of a
 *   sweep); here the cap is on whole sweeps, `maxSweeps` (default 100000, effectively no cap for the
 *   problems of this lab). The reference's own counter `iter` ends one below the number of projections
 *   performed (it is not incremented after the final one): the golden problem reports 421,481 for
 *   706 × 597 = 421,482 projections; `info.projections` here is the true count.
 *
 * Implementation: W lives in one Float64Array; only its upper triangle is read and written during the
 * sweeps (symmetric mat-vec and rank-one update each touch d(d+1)/2 entries) and it is mirrored at the
 * end. Nothing is allocated inside the sweep loop.
 */
import { cholesky } from './linalg';
import { mahalanobis } from './matrix';
import type { FeatureMatrix, FitContext, FitResult, PairConstraints, SpdMatrix } from './types';

export interface ItmlOptions {
  /** slack trade-off γ > 0 (Infinity: hard constraints) */
  gamma: number;
  /** convergence tolerance on ‖Δλ‖₁ / (‖λ‖₂ + ‖λ_old‖₂) after each sweep */
  tol: number;
  /** cap on full sweeps over the constraints (the reference caps projections instead; see above) */
  maxSweeps: number;
  /** optional per-constraint γ (weighting), length = constraints.count; replaces `gamma` when given */
  gammas?: Float64Array;
}

/** γ = 1 and tol = 1e-3 as the reference; maxSweeps = 100000 (the reference has no sweep cap). */
export const ITML_DEFAULTS: Readonly<ItmlOptions> = Object.freeze({ gamma: 1, tol: 1e-3, maxSweeps: 100000 });

/**
 * Points closer than this share of the largest pair distance of the constraints (Euclidean norm of
 * x_i − x_j) make a constraint void, as ItmlAlg.m's absolute `norm(v) < 10e-10` does at scale 1.
 */
export const IDENTICAL_POINTS_REL = 1e-9;
/** |bound| below this share of the largest initial |bound| is an error, as in ItmlAlg.m ("bhat should never be 0"). */
export const ZERO_BOUND_REL = 1e-9;

/**
 * Which pair constraints join identical points (1) and are therefore never projected: ‖x_i − x_j‖₂ = 0
 * or < IDENTICAL_POINTS_REL · the largest ‖x_i − x_j‖₂ of the constraints. Scale-free: X·s gives the same
 * mask for every s. A squared distance that overflows float64 is an error (the features are too large).
 * The GPU packer (src/gpu/pack.ts) uses the same mask.
 */
export function identicalPairs(X: FeatureMatrix, C: Pick<PairConstraints, 'count' | 'i' | 'j'>): Uint8Array {
  const d = X.cols;
  const x = X.data;
  const m = C.count;
  const norm = new Float64Array(m);
  let largest = 0;
  for (let c = 0; c < m; c++) {
    const oi = C.i[c] * d;
    const oj = C.j[c] * d;
    let s = 0;
    for (let k = 0; k < d; k++) {
      const t = x[oi + k] - x[oj + k];
      s += t * t;
    }
    if (!Number.isFinite(s)) {
      throw new Error(
        `ITML: the squared distance of constraint ${c}'s points (${C.i[c]}, ${C.j[c]}) overflows float64 (features up to ${maxAbs(x).toExponential(3)}); rescale or standardise the features`,
      );
    }
    norm[c] = Math.sqrt(s);
    if (norm[c] > largest) largest = norm[c];
  }
  const cutoff = IDENTICAL_POINTS_REL * largest;
  const out = new Uint8Array(m);
  for (let c = 0; c < m; c++) out[c] = norm[c] === 0 || norm[c] < cutoff ? 1 : 0;
  return out;
}

/** The bound below which |ξ_c| counts as zero: ZERO_BOUND_REL · the largest |bound| (at least the smallest double). */
export function zeroBoundOf(C: Pick<PairConstraints, 'count' | 'bound'>): number {
  let big = 0;
  for (let c = 0; c < C.count; c++) {
    const b = Math.abs(C.bound[c]);
    if (b > big && b !== Infinity) big = b;
  }
  return Math.max(ZERO_BOUND_REL * big, Number.MIN_VALUE);
}

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < x.length; k++) m = Math.max(m, Math.abs(x[k]));
  return m;
}

function validate(X: FeatureMatrix, C: PairConstraints, prior: SpdMatrix | null, opts: ItmlOptions): void {
  const n = X.rows;
  const d = X.cols;
  if (X.data.length !== n * d) throw new Error(`ITML: feature matrix has ${X.data.length} values for ${n}×${d}`);
  if (!(opts.gamma > 0)) throw new Error(`ITML: gamma must be > 0 (or Infinity), got ${opts.gamma}`);
  if (!(opts.tol >= 0)) throw new Error(`ITML: tol must be ≥ 0, got ${opts.tol}`);
  if (!(opts.maxSweeps >= 1)) throw new Error(`ITML: maxSweeps must be ≥ 1, got ${opts.maxSweeps}`);
  const m = C.count;
  if (C.i.length < m || C.j.length < m || C.delta.length < m || C.bound.length < m) {
    throw new Error(`ITML: constraint arrays are shorter than count = ${m}`);
  }
  if (opts.gammas) {
    if (opts.gammas.length !== m) throw new Error(`ITML: gammas has ${opts.gammas.length} entries for ${m} constraints`);
    for (let c = 0; c < m; c++) {
      if (!(opts.gammas[c] > 0)) throw new Error(`ITML: gammas[${c}] must be > 0, got ${opts.gammas[c]}`);
    }
  }
  const zero = zeroBoundOf(C);
  for (let c = 0; c < m; c++) {
    const i = C.i[c];
    const j = C.j[c];
    if (!(i >= 0 && i < n) || !(j >= 0 && j < n)) {
      throw new Error(`ITML: constraint ${c} refers to points (${i}, ${j}) outside 0..${n - 1}`);
    }
    if (C.delta[c] !== 1 && C.delta[c] !== -1) throw new Error(`ITML: constraint ${c} has label ${C.delta[c]} (expected 1 or -1)`);
    const b = C.bound[c];
    if (!Number.isFinite(b) || Math.abs(b) < zero) {
      throw new Error(
        `ITML: constraint ${c} has bound ${b} (expected a finite number, not zero relative to the largest bound ${(zero / ZERO_BOUND_REL).toExponential(3)})`,
      );
    }
  }
  if (prior) {
    if (prior.rows !== d || prior.cols !== d) throw new Error(`ITML: prior is ${prior.rows}×${prior.cols}, features have d = ${d}`);
    try {
      cholesky(prior);
    } catch (e) {
      throw new Error(`ITML: prior is not positive definite (${(e as Error).message})`);
    }
  }
}

/**
 * Where the sweeps of `itml` run. `prepare` hands out the arrays a sweep reads and writes (W, the
 * order of the projected constraints, λ, ξ and the per-constraint γ terms); `sweep` performs one full
 * sweep over `order[0..active)` and returns the number of projections that changed W, or −(c + 1)
 * when constraint c's bound is |ξ_c| < zeroBound (`zeroBoundOf` the initial bounds). Engines must perform exactly the reference operations in
 * the reference order: results are bit-identical across engines (tested).
 */
export interface ItmlEngine {
  readonly name: string;
  prepare(X: FeatureMatrix, C: PairConstraints, perConstraintGamma: boolean): ItmlBuffers;
}

export interface ItmlBuffers {
  readonly W: Float64Array;
  readonly order: Int32Array;
  readonly lambda: Float64Array;
  readonly bhat: Float64Array;
  readonly gProj: Float64Array | null;
  readonly invGamma: Float64Array | null;
  sweep(active: number, gProjConst: number, invGammaConst: number, zeroBound: number): number;
}

/** The JavaScript float64 engine (the reference). Nothing is allocated inside a sweep. */
export const JS_ENGINE: ItmlEngine = {
  name: 'js',
  prepare(X, C, perConstraintGamma) {
    const d = X.cols;
    const m = C.count;
    const x = X.data;
    const ci = C.i;
    const cj = C.j;
    const cdelta = C.delta;
    const W = new Float64Array(d * d);
    const order = new Int32Array(m);
    const lambda = new Float64Array(m);
    const bhat = new Float64Array(m);
    const gProj = perConstraintGamma ? new Float64Array(m) : null;
    const invGamma = perConstraintGamma ? new Float64Array(m) : null;
    const v = new Float64Array(d);
    const u = new Float64Array(d);
    const sweep = (active: number, gProjConst: number, invGammaConst: number, zeroBound: number): number => {
      let updates = 0;
      for (let a = 0; a < active; a++) {
        const c = order[a];
        const oi = ci[c] * d;
        const oj = cj[c] * d;
        for (let k = 0; k < d; k++) {
          v[k] = x[oi + k] - x[oj + k];
          u[k] = 0;
        }
        // u = W v from the upper triangle (row r: W_rr v_r + Σ_{k>r} W_rk v_k into u_r, W_rk v_r into u_k);
        // unrolled by two (two accumulators); p = vᵀ W v
        for (let r = 0; r < d; r++) {
          const row = r * d;
          const vr = v[r];
          let a0 = u[r] + W[row + r] * vr;
          let a1 = 0;
          let k = r + 1;
          for (; k + 1 < d; k += 2) {
            const w0 = W[row + k];
            const w1 = W[row + k + 1];
            a0 += w0 * v[k];
            a1 += w1 * v[k + 1];
            u[k] += w0 * vr;
            u[k + 1] += w1 * vr;
          }
          if (k < d) {
            const w = W[row + k];
            a0 += w * v[k];
            u[k] += w * vr;
          }
          u[r] = a0 + a1;
        }
        let p = 0;
        for (let k = 0; k < d; k++) p += v[k] * u[k];

        const b = bhat[c];
        if (Math.abs(b) < zeroBound) return -(c + 1);
        const gp = gProj ? gProj[c] : gProjConst;
        const ig = invGamma ? invGamma[c] : invGammaConst;
        const lam = lambda[c];
        let alpha: number;
        let beta: number;
        if (cdelta[c] === 1) {
          const t = gp * (1 / p - 1 / b);
          alpha = lam < t ? lam : t;
          lambda[c] = lam - alpha;
          beta = alpha / (1 - alpha * p);
          bhat[c] = 1 / (1 / b + alpha * ig);
        } else {
          const t = gp * (1 / b - 1 / p);
          alpha = lam < t ? lam : t;
          lambda[c] = lam - alpha;
          beta = (-1 * alpha) / (1 + alpha * p);
          bhat[c] = 1 / (1 / b - alpha * ig);
        }
        if (beta !== 0) {
          updates++;
          // W ← W + β u uᵀ on the upper triangle
          for (let r = 0; r < d; r++) {
            const row = r * d;
            const bu = beta * u[r];
            let k = r;
            for (; k + 3 < d; k += 4) {
              W[row + k] += bu * u[k];
              W[row + k + 1] += bu * u[k + 1];
              W[row + k + 2] += bu * u[k + 2];
              W[row + k + 3] += bu * u[k + 3];
            }
            for (; k < d; k++) W[row + k] += bu * u[k];
          }
        }
      }
      return updates;
    };
    return { W, order, lambda, bhat, gProj, invGamma, sweep };
  },
};

/**
 * Exact ITML. Returns W (d × d, symmetric), `converged` (tol reached, not the sweep cap),
 * `iterations` = sweeps, `history` = convergence value after each sweep, and
 * `info = { projections, updates, sweeps, satisfied, skipped }`: `updates` counts the projections
 * that changed W (β ≠ 0; an inactive constraint with λ = 0 that is already met gives α = 0),
 * `satisfied` is the share of the constraints with d_W ≤ bound (similar) or d_W ≥ bound (dissimilar)
 * under the ORIGINAL bounds, `skipped` the number of constraints on identical points.
 */
export function itml(
  X: FeatureMatrix,
  C: PairConstraints,
  prior: SpdMatrix | null,
  opts: ItmlOptions,
  ctx?: FitContext,
  engine: ItmlEngine = JS_ENGINE,
): FitResult {
  validate(X, C, prior, opts);
  const m = C.count;
  const buf = engine.prepare(X, C, opts.gammas !== undefined);
  const active = initBuffers(buf, X, C, prior, opts);
  const lambdaOld = new Float64Array(m);
  const gamma = opts.gamma;
  const gProjConst = gamma === Infinity ? 1 : gamma / (gamma + 1);
  const invGammaConst = 1 / gamma;
  const zeroBound = zeroBoundOf(C);
  const history: number[] = [];
  const { maxSweeps, tol } = opts;
  let sweeps = 0;
  let projections = 0;
  let updates = 0;
  let converged = active === 0;
  while (!converged && sweeps < maxSweeps) {
    ctx?.checkCancelled?.();
    const r = buf.sweep(active, gProjConst, invGammaConst, zeroBound);
    if (r < 0) {
      const c = -r - 1;
      throw new Error(`ITML: the bound of constraint ${c} became ${buf.bhat[c]} in sweep ${sweeps + 1} (bhat should never be 0)`);
    }
    updates += r;
    projections += active;
    sweeps++;
    const { conv, zeroNorms } = lambdaChange(buf.lambda, lambdaOld);
    converged = zeroNorms || conv < tol;
    history.push(conv);
    lambdaOld.set(buf.lambda);
    ctx?.onProgress?.({ stage: 'itml', done: sweeps, total: maxSweeps, detail: `sweep ${sweeps}: conv ${conv.toExponential(3)} (tol ${tol})` });
  }
  const Wm = finishedMetric(buf.W, X.cols, sweeps);
  return {
    W: Wm,
    converged,
    iterations: sweeps,
    history,
    info: { projections, updates, sweeps, satisfied: m === 0 ? 1 : satisfiedShare(X, C, Wm), skipped: m - active },
  };
}

/**
 * The engine's buffers before the first sweep: W = the prior (identity when null; only the upper triangle
 * is used while sweeping), the bounds, per-constraint γ/(γ+1) and 1/γ, and the order of the constraints
 * actually projected (the reference removes pairs of identical points). Returns how many are projected.
 */
function initBuffers(buf: ItmlBuffers, X: FeatureMatrix, C: PairConstraints, prior: SpdMatrix | null, opts: ItmlOptions): number {
  const d = X.cols;
  const m = C.count;
  if (prior) buf.W.set(prior.data);
  else for (let k = 0; k < d; k++) buf.W[k * d + k] = 1;
  let active = 0;
  const identical = identicalPairs(X, C);
  for (let c = 0; c < m; c++) if (!identical[c]) buf.order[active++] = c;
  buf.bhat.set(C.bound.subarray(0, m));
  const gammas = opts.gammas;
  if (gammas && buf.gProj && buf.invGamma) {
    for (let c = 0; c < m; c++) {
      const g = gammas[c];
      buf.gProj[c] = g === Infinity ? 1 : g / (g + 1);
      buf.invGamma[c] = 1 / g;
    }
  }
  return active;
}

/** Sums of squares below this (or non-finite) may have lost λ² to underflow (or overflow): recomputed scaled. */
const TINY_SQUARES = 2 ** -900;

/**
 * The reference's convergence value ‖λ − λ_old‖₁ / (‖λ‖₂ + ‖λ_old‖₂); 0, and converged, when both norms are 0.
 * λ scales as 1/s² with the features' scale s, so λ² can underflow or overflow: only then (a sum of squares
 * tiny, or a sum not finite) are the sums recomputed on λ / max|λ| — the value is the same, and on data of
 * ordinary scale the plain sums are used, unchanged (bit-identical to the reference).
 */
function lambdaChange(lambda: Float64Array, lambdaOld: Float64Array): { conv: number; zeroNorms: boolean } {
  let n1 = 0;
  let n2 = 0;
  let nd = 0;
  let big1 = 0;
  let big2 = 0;
  for (let c = 0; c < lambda.length; c++) {
    const l = lambda[c];
    const lo = lambdaOld[c];
    n1 += l * l;
    n2 += lo * lo;
    nd += Math.abs(lo - l);
    big1 = Math.max(big1, Math.abs(l));
    big2 = Math.max(big2, Math.abs(lo));
  }
  const lost = !Number.isFinite(n1 + n2 + nd) || (n1 < TINY_SQUARES && big1 > 0) || (n2 < TINY_SQUARES && big2 > 0);
  if (lost) {
    const big = Math.max(big1, big2);
    n1 = 0;
    n2 = 0;
    nd = 0;
    for (let c = 0; c < lambda.length; c++) {
      const l = lambda[c] / big;
      const lo = lambdaOld[c] / big;
      n1 += l * l;
      n2 += lo * lo;
      nd += Math.abs(lo - l);
    }
  }
  const normsum = Math.sqrt(n1) + Math.sqrt(n2);
  return normsum === 0 ? { conv: 0, zeroNorms: true } : { conv: nd / normsum, zeroNorms: false };
}

/** A copy of the engine's W (its memory may be reused by the next fit) with the upper triangle mirrored; non-finite W is an error. */
function finishedMetric(W: Float64Array, d: number, sweeps: number): SpdMatrix {
  const Wout = Float64Array.from(W);
  for (let r = 0; r < d; r++) for (let k = r + 1; k < d; k++) Wout[k * d + r] = Wout[r * d + k];
  for (let k = 0; k < Wout.length; k++) {
    if (!Number.isFinite(Wout[k])) throw new Error(`ITML: W became non-finite at (${Math.floor(k / d)}, ${k % d}) after ${sweeps} sweeps`);
  }
  return { rows: d, cols: d, data: Wout } as SpdMatrix;
}

/** Share of pair constraints met by W: d_W(i, j) ≤ bound (similar) or ≥ bound (dissimilar). */
export function satisfiedShare(X: FeatureMatrix, C: PairConstraints, W: SpdMatrix): number {
  if (C.count === 0) throw new Error('satisfiedShare: no constraints');
  const d = X.cols;
  const v = new Float64Array(d);
  let ok = 0;
  for (let c = 0; c < C.count; c++) {
    const dist = mahalanobis(X, W, C.i[c], C.j[c], v);
    if (C.delta[c] === 1 ? dist <= C.bound[c] : dist >= C.bound[c]) ok++;
  }
  return ok / C.count;
}

/**
 * Percentile of a sample by linear interpolation between order statistics (position (n − 1)·p/100,
 * 0-based; numpy's default, R type 7). This is the convention that reproduces the golden bounds.csv
 * (metric-learn's ITML); Matlab's prctile (position n·p/100 + 0.5) gives different values.
 * `sorted` must be sorted ascending.
 */
export function percentileLinear(sorted: Float64Array, pct: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('percentile of an empty sample');
  if (!(pct >= 0 && pct <= 100)) throw new Error(`percentile must be in [0, 100], got ${pct}`);
  const pos = ((n - 1) * pct) / 100;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const f = pos - lo;
  return sorted[lo] + f * (sorted[hi] - sorted[lo]);
}

/**
 * ITML's default bounds: the `lo`-th and `hi`-th percentiles (linear interpolation, see
 * `percentileLinear`) of the squared distances d_prior(x_i, x_j) of the given pairs (prior = I when
 * null). Similar pairs get `lower`, dissimilar pairs `upper`.
 */
export function itmlPercentileBounds(
  X: FeatureMatrix,
  i: Int32Array,
  j: Int32Array,
  prior: SpdMatrix | null,
  lo = 5,
  hi = 95,
): { lower: number; upper: number } {
  const m = i.length;
  if (j.length !== m) throw new Error(`itmlPercentileBounds: ${m} first indices but ${j.length} second indices`);
  if (m === 0) throw new Error('itmlPercentileBounds: no pairs');
  if (!(lo <= hi)) throw new Error(`itmlPercentileBounds: lower percentile ${lo} is above upper ${hi}`);
  const d = X.cols;
  if (prior && (prior.rows !== d || prior.cols !== d)) throw new Error(`itmlPercentileBounds: prior is ${prior.rows}×${prior.cols}, features have d = ${d}`);
  const n = X.rows;
  const dist = new Float64Array(m);
  const v = new Float64Array(d);
  for (let k = 0; k < m; k++) {
    if (!(i[k] >= 0 && i[k] < n) || !(j[k] >= 0 && j[k] < n)) {
      throw new Error(`itmlPercentileBounds: pair ${k} refers to points (${i[k]}, ${j[k]}) outside 0..${n - 1}`);
    }
    dist[k] = mahalanobis(X, prior, i[k], j[k], v);
  }
  dist.sort();
  return { lower: percentileLinear(dist, lo), upper: percentileLinear(dist, hi) };
}
