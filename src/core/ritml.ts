/**
 * RITML: ITML on relative constraints, iterated (METHOD.md §4). The iterative scheme is a
 * RECONSTRUCTION (Wolff's thesis gives the idea, not every constant): every choice below is a named
 * parameter in `RitmlParams` with the documented default.
 *
 *   W ← W_p
 *   for t = 1..outer:
 *     1. for each relative (a, n, f): dn = d_W(a, n), df = d_W(a, f)  →  ITML constraints
 *        (a, n) similar with bound u and (a, f) dissimilar with bound l
 *     2. violated (dn ≥ df): m = (dn+df)/2, h = |df−dn|/2, τ = bias · median(all dn, df),
 *        u = max(ε·median, m − stretch·h − τ), l = m + stretch·h + τ;   satisfied: u = dn, l = df
 *     3. W ← ITML(constraints, prior W_p (or the current W when warmStart), γ)
 *   return the W with the best training fulfilment (the prior itself counts as iteration 0);
 *   stop early when an iteration does not improve on the best.
 *
 * The pair constraints of a relative constraint are visited interleaved (similar, dissimilar, next
 * constraint ...) in the order of the constraint set.
 */
import { itml, itmlPercentileBounds, JS_ENGINE, type ItmlEngine, type ItmlOptions } from './itml';
import { identity } from './matrix';
import { constraintDistances } from './score';
import type { ConstraintSet, FeatureMatrix, FitContext, FitResult, PairConstraints, SpdMatrix } from './types';

export interface RitmlParams {
  /** ITML slack trade-off γ (tuned by inner CV) */
  gamma: number;
  /** outer iterations T */
  outer: number;
  /** stretch of violated pairs' bounds around their midpoint */
  stretch: number;
  /** margin τ = bias · median of all current distances */
  bias: number;
  /** smallest similarity bound, relative: u ≥ epsilon · median of all current distances (keeps u > 0) */
  epsilon: number;
  /** true: each ITML call starts from (and regularises towards) the current W instead of W_p */
  warmStart: boolean;
  /** ITML convergence tolerance per call */
  tol: number;
  /** ITML sweep cap per call */
  maxSweeps: number;
  /** how constraint weights enter: ignored, replicated round(w) times (≥ 1), or scaling per-constraint γ */
  weighting: 'none' | 'replicate' | 'slack';
  /** bounds of the first iteration: from the current W (= prior) or ITML's 5th/95th percentiles */
  initialBounds: 'current' | 'percentile';
  /** true: return the iterate (prior included) with the best training fulfilment; false: the last one */
  selectBest: boolean;
}

export const RITML_DEFAULTS: Readonly<RitmlParams> = Object.freeze({
  gamma: 1,
  outer: 10,
  stretch: 1,
  bias: 0.05,
  epsilon: 1e-3,
  warmStart: false,
  tol: 1e-3,
  maxSweeps: 50,
  weighting: 'none',
  initialBounds: 'percentile',
  selectBest: true,
});

export function ritmlParams(p?: Partial<RitmlParams>): RitmlParams {
  const out = { ...RITML_DEFAULTS, ...(p ?? {}) } as RitmlParams;
  if (!(out.gamma > 0)) throw new Error(`RITML: gamma must be > 0, got ${out.gamma}`);
  if (!(out.outer >= 1)) throw new Error(`RITML: outer must be ≥ 1, got ${out.outer}`);
  if (!(out.stretch >= 0)) throw new Error(`RITML: stretch must be ≥ 0, got ${out.stretch}`);
  if (!(out.bias >= 0)) throw new Error(`RITML: bias must be ≥ 0, got ${out.bias}`);
  if (!(out.maxSweeps >= 1)) throw new Error(`RITML: maxSweeps must be ≥ 1, got ${out.maxSweeps}`);
  return out;
}

/** Median of the concatenation of two arrays (by sorting a copy). */
export function medianOf2(a: Float64Array, b: Float64Array): number {
  const all = new Float64Array(a.length + b.length);
  all.set(a);
  all.set(b, a.length);
  all.sort();
  const m = all.length;
  if (m === 0) return 0;
  return m % 2 ? all[(m - 1) >> 1] : 0.5 * (all[m / 2 - 1] + all[m / 2]);
}

/**
 * Step 1–2 of an outer iteration: the ITML pair constraints estimated from the current distances,
 * with violated constraints corrected by stretch and bias. Exported so batched backends reuse it.
 */
export function estimatePairConstraints(
  c: ConstraintSet,
  dn: Float64Array,
  df: Float64Array,
  params: Pick<RitmlParams, 'stretch' | 'bias' | 'epsilon' | 'weighting'>,
): { pairs: PairConstraints; gammaScale: Float64Array | null; violated: number } {
  const med = medianOf2(dn, df);
  const tau = params.bias * med;
  const uMin = params.epsilon * med > 0 ? params.epsilon * med : Number.MIN_VALUE;
  const reps = new Int32Array(c.count);
  let total = 0;
  for (let r = 0; r < c.count; r++) {
    reps[r] = params.weighting === 'replicate' ? Math.max(1, Math.round(c.weight[r])) : 1;
    total += 2 * reps[r];
  }
  const i = new Int32Array(total);
  const j = new Int32Array(total);
  const delta = new Int8Array(total);
  const bound = new Float64Array(total);
  let gammaScale: Float64Array | null = null;
  let meanW = 1;
  if (params.weighting === 'slack') {
    gammaScale = new Float64Array(total);
    let s = 0;
    for (let r = 0; r < c.count; r++) s += c.weight[r];
    meanW = s / Math.max(1, c.count) || 1;
  }
  let violated = 0;
  let o = 0;
  for (let r = 0; r < c.count; r++) {
    let u = dn[r];
    let l = df[r];
    if (dn[r] >= df[r]) {
      violated++;
      const m = 0.5 * (dn[r] + df[r]);
      const h = 0.5 * Math.abs(df[r] - dn[r]);
      u = Math.max(uMin, m - params.stretch * h - tau);
      l = m + params.stretch * h + tau;
    }
    for (let k = 0; k < reps[r]; k++) {
      i[o] = c.a[r];
      j[o] = c.n[r];
      delta[o] = 1;
      bound[o] = u;
      if (gammaScale) gammaScale[o] = c.weight[r] / meanW;
      o++;
      i[o] = c.a[r];
      j[o] = c.f[r];
      delta[o] = -1;
      bound[o] = l;
      if (gammaScale) gammaScale[o] = c.weight[r] / meanW;
      o++;
    }
  }
  return { pairs: { count: total, i, j, delta, bound }, gammaScale, violated };
}

/** Pair constraints of the first iteration with ITML's percentile bounds (also used by the GPU packer). */
export function percentilePairs(
  X: FeatureMatrix,
  c: ConstraintSet,
  prior: SpdMatrix | null,
  params: Pick<RitmlParams, 'stretch' | 'bias' | 'epsilon' | 'weighting'>,
): ReturnType<typeof estimatePairConstraints> {
  const ii = new Int32Array(2 * c.count);
  const jj = new Int32Array(2 * c.count);
  for (let r = 0; r < c.count; r++) {
    ii[2 * r] = c.a[r];
    jj[2 * r] = c.n[r];
    ii[2 * r + 1] = c.a[r];
    jj[2 * r + 1] = c.f[r];
  }
  const { lower, upper } = itmlPercentileBounds(X, ii, jj, prior);
  // similar pairs get the low bound, dissimilar the high one (as ITML does)
  const dn = new Float64Array(c.count).fill(lower);
  const df = new Float64Array(c.count).fill(upper);
  return estimatePairConstraints(c, dn, df, { ...params, bias: 0 });
}

function countFulfilled(dn: Float64Array, df: Float64Array): number {
  let ok = 0;
  for (let r = 0; r < dn.length; r++) if (dn[r] < df[r]) ok++;
  return ok;
}

export function ritml(
  X: FeatureMatrix,
  train: ConstraintSet,
  prior: SpdMatrix | null,
  p: Partial<RitmlParams>,
  ctx?: FitContext,
  engine: ItmlEngine = JS_ENGINE,
): FitResult {
  const params = ritmlParams(p);
  if (train.count === 0) throw new Error('RITML: no training constraints');
  const Wp = prior ?? identity(X.cols);
  let W: SpdMatrix = Wp;
  let { dn, df } = constraintDistances(X, W, train);
  let best = W;
  let bestScore = countFulfilled(dn, df) / train.count;
  const history: number[] = [bestScore];
  let sweeps = 0;
  let projections = 0;
  let bestIter = 0;
  let t = 1;
  let stoppedEarly = false;
  for (; t <= params.outer; t++) {
    ctx?.checkCancelled?.();
    const est =
      t === 1 && params.initialBounds === 'percentile'
        ? percentilePairs(X, train, prior, params)
        : estimatePairConstraints(train, dn, df, params);
    const opts: ItmlOptions = { gamma: params.gamma, tol: params.tol, maxSweeps: params.maxSweeps };
    if (est.gammaScale) opts.gammas = est.gammaScale.map((s) => s * params.gamma);
    const res = itml(X, est.pairs, params.warmStart ? W : Wp, opts, { checkCancelled: ctx?.checkCancelled }, engine);
    sweeps += res.iterations;
    projections += Number(res.info?.projections ?? 0);
    W = res.W;
    ({ dn, df } = constraintDistances(X, W, train));
    const score = countFulfilled(dn, df) / train.count;
    history.push(score);
    ctx?.onProgress?.({ stage: 'ritml', done: t, total: params.outer, detail: `outer ${t}: train ${(100 * score).toFixed(2)}%` });
    if (!params.selectBest) {
      best = W;
      bestScore = score;
      bestIter = t;
      if (t === params.outer) break;
      continue;
    }
    if (score > bestScore) {
      bestScore = score;
      best = W;
      bestIter = t;
    } else {
      stoppedEarly = true;
      break;
    }
  }
  return {
    W: best,
    // converged: an iteration stopped improving the training fulfilment before the cap T
    converged: stoppedEarly,
    iterations: stoppedEarly ? t : params.outer,
    history,
    info: { trainFulfilment: bestScore, bestIteration: bestIter, sweeps, projections, params },
  };
}
