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
 *        u = max(ε·median, m − stretch·h − τ), l = m + stretch·h + τ;   satisfied: u = max(ε·median, dn), l = df
 *        (the floor ε·median keeps u > 0 also when a and n have identical features, dn = 0)
 *     3. W ← ITML(constraints, prior W_p (or the current W when warmStart), γ)
 *   return the W with the best training fulfilment (the prior itself counts as iteration 0, unless
 *   priorCompetes is false: then the best of the learned iterates t ≥ 1);
 *   stop early when an iteration does not improve on the best.
 *
 * The pair constraints of a relative constraint are visited interleaved (similar, dissimilar, next
 * constraint ...) in the order of the constraint set.
 */
import { identicalPairs, itml, itmlPercentileBounds, JS_ENGINE, type ItmlEngine, type ItmlOptions } from './itml';
import { identity, isIdentityData } from './matrix';
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
  /**
   * bounds of the first iteration: from the current W (= prior), ITML's 5th/95th percentiles, or 'auto': the
   * current W's when a prior other than I is given (a learned template's distances are informative), else the
   * percentiles (`firstBounds`); the experiment resolves W0-RITML's 'auto' by its template's learner instead
   * (template.ts, `autoBounds`: 'current' for SVM / MLR templates only)
   */
  initialBounds: 'current' | 'percentile' | 'auto';
  /** true: return the iterate (prior included) with the best training fulfilment; false: the last one */
  selectBest: boolean;
  /**
   * true: the prior (iteration 0) is a candidate of the best-iterate selection, so a run whose iterates all
   * fulfil fewer training constraints than the prior returns the prior; false: the best LEARNED iterate
   * (t ≥ 1) is returned even when the prior fulfils more (a template that always carries what ITML learned)
   */
  priorCompetes: boolean;
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
  priorCompetes: true,
});

/** The first iteration's bounds for a prior (null: I): initialBounds with 'auto' resolved. */
export function firstBounds(params: Pick<RitmlParams, 'initialBounds'>, prior: SpdMatrix | null): 'current' | 'percentile' {
  if (params.initialBounds !== 'auto') return params.initialBounds;
  return !prior || isIdentityData(prior.data, prior.rows) ? 'percentile' : 'current';
}

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
    let u = dn[r] < uMin ? uMin : dn[r];
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

function countOnes(a: Uint8Array): number {
  let k = 0;
  for (let c = 0; c < a.length; c++) k += a[c];
  return k;
}

/**
 * The run's note when RITML fits skipped pair constraints on identical points (clips with the same
 * features: their distance is 0 under every metric, so ITML cannot project them), or null.
 * `info.skipped` (RitmlRun, the GPU engines) counts them per fit.
 */
export function skippedPairsNote(results: readonly FitResult[]): string | null {
  const most = Math.max(0, ...results.map((r) => Number(r.info?.skipped ?? 0)));
  return most > 0 ? SKIPPED_PAIRS_NOTE : null;
}

export const SKIPPED_PAIRS_NOTE =
  'ITML skipped the pair constraints between clips with identical features in RITML fits (they cannot be projected; info.skipped counts them per fit)';

function countFulfilled(dn: Float64Array, df: Float64Array): number {
  let ok = 0;
  for (let r = 0; r < dn.length; r++) if (dn[r] < df[r]) ok++;
  return ok;
}

/** One ITML call of an outer iteration: the pair constraints with absolute bounds, the options and the prior. */
export interface ItmlCall {
  readonly pairs: PairConstraints;
  readonly options: ItmlOptions;
  /** W_p, or the current W when warmStart */
  readonly prior: SpdMatrix;
}

/**
 * The state of one RITML problem's outer loop, advanced one outer iteration at a time: `next()` gives
 * the ITML call of iteration t (steps 1–2), `accept(result)` takes its W (step 3, distances, fulfilment,
 * best-W selection, early stop). `ritml` (one problem, synchronous) and `ritmlBatch` (many problems,
 * any batched ITML engine) drive the same steps, so their results are identical.
 */
export class RitmlRun {
  readonly params: RitmlParams;
  private readonly Wp: SpdMatrix;
  private W: SpdMatrix;
  private dn: Float64Array;
  private df: Float64Array;
  private best: SpdMatrix;
  private bestScore: number;
  private bestIter = 0;
  private readonly history: number[];
  private sweeps = 0;
  private projections = 0;
  private stoppedEarly = false;
  /** pair constraints on identical points (the same in every outer iteration: only the bounds change) */
  private skipped = 0;
  private pairs = 0;
  /** the next outer iteration (1-based) */
  t = 1;
  done = false;

  constructor(
    private readonly X: FeatureMatrix,
    private readonly train: ConstraintSet,
    private readonly prior: SpdMatrix | null,
    p: Partial<RitmlParams>,
  ) {
    this.params = ritmlParams(p);
    if (train.count === 0) throw new Error('RITML: no training constraints');
    this.Wp = prior ?? identity(X.cols);
    this.W = this.Wp;
    ({ dn: this.dn, df: this.df } = constraintDistances(X, this.W, train));
    this.best = this.W;
    const score0 = countFulfilled(this.dn, this.df) / train.count;
    // without the prior among the candidates, iteration 1 is always taken
    this.bestScore = this.params.priorCompetes ? score0 : Number.NEGATIVE_INFINITY;
    this.history = [score0];
  }

  /** Steps 1–2 of iteration t: the ITML call with the estimated (or, first, percentile) bounds. */
  next(): ItmlCall {
    const { params } = this;
    const est =
      this.t === 1 && firstBounds(params, this.prior) === 'percentile'
        ? percentilePairs(this.X, this.train, this.prior, params)
        : estimatePairConstraints(this.train, this.dn, this.df, params);
    if (this.t === 1) {
      this.skipped = countOnes(identicalPairs(this.X, est.pairs));
      this.pairs = est.pairs.count;
    }
    const options: ItmlOptions = { gamma: params.gamma, tol: params.tol, maxSweeps: params.maxSweeps };
    if (est.gammaScale) options.gammas = est.gammaScale.map((s) => s * params.gamma);
    return { pairs: est.pairs, options, prior: params.warmStart ? this.W : this.Wp };
  }

  /** Step 3's outcome: the ITML fit of iteration t. Returns the training fulfilment of its W. */
  accept(res: Pick<FitResult, 'W' | 'iterations' | 'info'>): number {
    const { params, t } = this;
    this.sweeps += res.iterations;
    this.projections += Number(res.info?.projections ?? 0);
    this.W = res.W;
    ({ dn: this.dn, df: this.df } = constraintDistances(this.X, this.W, this.train));
    const score = countFulfilled(this.dn, this.df) / this.train.count;
    this.history.push(score);
    if (!params.selectBest || score > this.bestScore) {
      this.bestScore = score;
      this.best = this.W;
      this.bestIter = t;
    } else {
      this.stoppedEarly = true;
      this.done = true;
      return score;
    }
    this.t++;
    if (this.t > params.outer) this.done = true;
    return score;
  }

  result(): FitResult {
    const { params } = this;
    return {
      W: this.best,
      // converged: an iteration stopped improving the training fulfilment before the cap T
      converged: this.stoppedEarly,
      iterations: this.stoppedEarly ? this.t : params.outer,
      history: this.history,
      info: {
        trainFulfilment: this.bestScore,
        bestIteration: this.bestIter,
        sweeps: this.sweeps,
        projections: this.projections,
        skipped: this.skipped,
        pairs: this.pairs,
        params,
      },
    };
  }
}

/** RITML for one problem, synchronously, with its ITML calls on the float64 `engine` (JavaScript by default). */
export function ritml(
  X: FeatureMatrix,
  train: ConstraintSet,
  prior: SpdMatrix | null,
  p: Partial<RitmlParams>,
  ctx?: FitContext,
  engine: ItmlEngine = JS_ENGINE,
): FitResult {
  const run = new RitmlRun(X, train, prior, p);
  while (!run.done) {
    ctx?.checkCancelled?.();
    const call = run.next();
    const t = run.t;
    const score = run.accept(itml(X, call.pairs, call.prior, call.options, { checkCancelled: ctx?.checkCancelled }, engine));
    ctx?.onProgress?.({ stage: 'ritml', done: t, total: run.params.outer, detail: `outer ${t}: train ${(100 * score).toFixed(2)}%` });
  }
  return run.result();
}
