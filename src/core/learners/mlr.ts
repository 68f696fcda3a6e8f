/**
 * MLR: Metric Learning to Rank (McFee & Lanckriet, ICML 2010; reference code bmcfee/mlr), AUC loss,
 * trace regulariser, 1-slack cutting planes (METHOD.md §6). Float64, full W ⪰ 0 (`mlrLearner`) or
 * diagonal W ≥ 0 (`mlrDiagLearner`).
 *
 * QUERIES from relative constraints (d(a, n) < d(a, f), weight w):
 *   - `queries: 'anchor'` (default, as in the paper: a query is a point with relevant / irrelevant results):
 *     every anchor clip a is a query. For each clip c seen with anchor a we sum a vote balance
 *     s(a, c) = Σ w over constraints (a, c, ·) − Σ w over constraints (a, ·, c)   (w = 1 with weighting 'none').
 *     c is RELEVANT for a if s > 0, IRRELEVANT if s < 0; s = 0 (a clip both near and far for one anchor from
 *     different triplets with equal weight — a conflict with no majority) is DROPPED. So conflicting pairs are
 *     resolved by majority of weight per anchor–clip, ties dropped. Anchors without at least one relevant
 *     and one irrelevant clip give no query. The AUC then counts ALL relevant × irrelevant pairs of a query,
 *     including pairs never compared in one triplet ("unrated" pairs inherit the binary relevance), and no
 *     relevant–relevant or irrelevant–irrelevant pair. This is the reading the method needs (AUC over a
 *     bipartite relevance); it loses the order among the relevant clips of an anchor. Queries are weighted
 *     equally (1/|Q|), as in the reference code.
 *   - `queries: 'constraint'`: every constraint is its own query with one relevant (near) and one irrelevant
 *     (far) clip; AUC = that one pair; query weights ∝ w ('votes') or equal ('none'); no majority step.
 *
 * STRUCTURAL SVM (1-slack): φ(q, i) = −(x_q − x_i)(x_q − x_i)ᵀ so ⟨W, φ(q, i)⟩ = −d_W(q, i);
 *   ψ(q, y) = Σ_{i ∈ rel} Σ_{j ∈ irr} y_ij (φ(q, i) − φ(q, j)) / (|rel|·|irr|), y_ij = +1 if i is ranked before j;
 *   Δ(y_q, y) = 1 − AUC(y) = share of misordered (i, j) pairs.
 *   min_{W ⪰ 0, ξ ≥ 0}  tr(W)/d + C ξ   s.t.  for all (y'_q)_q:  Σ_q ω_q ⟨W, ψ(q, y_q) − ψ(q, y'_q)⟩ ≥ Σ_q ω_q Δ(y_q, y'_q) − ξ.
 * SEPARATION ORACLE (AUC, as separationOracleAUC.m): the most violated ranking maximises Δ(y) + ⟨W, ψ(q, y)⟩,
 *   which decomposes over pairs: misorder (i, j) iff d_j < d_i + ½. That is the order of the scores
 *   d_i + ½ (relevant) and d_j (irrelevant), so one sort + binary searches give it in O(n log n).
 * CUTTING PLANES: W ← 0; repeat: call the oracle for every query at the current W, form the 1-slack
 *   constraint ⟨W, A⟩ ≥ b − ξ; STOP when its violation b − ⟨W, A⟩ ≤ ξ + ε, where ξ is the slack of the current
 *   W on the working set (so the returned W is ε-feasible for ALL 1-slack constraints); otherwise add it to
 *   the working set and re-solve the working-set problem.
 * WORKING-SET SOLVER: ADMM as in the reference code (mlr_admm.m): split W (objective) and Z (feasible set:
 *   PSD cone via eigendecomposition, `projectPsd`, or the nonnegative orthant for the diagonal variant).
 *   The W-step is the prox of tr(W)/d + C·max_k(b_k − ⟨A_k, W⟩)_+, solved exactly through its dual, a QP over
 *   {λ ≥ 0, Σλ ≤ C} with Gram matrix ⟨A_k, A_l⟩, by SMO (maximal violating pair) with warm starts. Residual
 *   based stopping and ρ adaptation as in Boyd et al. (2011), ρ kept in [1e-3, 1e3]. ADMM is capped at
 *   `admmSteps` per round and warm-started (Z, U, λ) across rounds, like the reference; the working-set
 *   solve is therefore inexact, but the stopping rule is evaluated exactly at the returned (feasible) Z.
 *   Working-set constraints whose λ stayed 0 for `evictAfter` rounds are evicted (reference: 100 rounds).
 *   COST: the trace-regularised 1-slack problem converges slowly in its tail (pure cutting planes, no
 *   proximal term): see `maxIter`; `converged: false` with `info.lastViolation` / `info.xi` tells by how much.
 * The prior is not used (`info.priorIgnored` when one is passed).
 */
import { projectPsd } from '../linalg';
import { asSpd } from '../matrix';
import type { ConstraintSet, FeatureMatrix, FitContext, FitResult, Learner, SpdMatrix } from '../types';

export interface MlrParams {
  /** slack trade-off C (tuned by inner CV) */
  C: number;
  /** cutting-plane tolerance ε: stop when the new constraint is violated by ≤ ξ + ε */
  epsilon: number;
  /** maximum number of cutting-plane iterations */
  maxIter: number;
  /** how constraint weights enter: vote balance / query weights ('votes') or not at all ('none') */
  weighting: 'none' | 'votes';
  /** what a query is (see the header) */
  queries: 'anchor' | 'constraint';
  /** ADMM iterations per working-set solve (cap) */
  admmSteps: number;
  /** ADMM relative tolerance on the primal and dual residuals */
  admmTol: number;
  /** evict a working-set constraint after this many consecutive solves with λ = 0 (reference code: 100) */
  evictAfter: number;
}

export const MLR_DEFAULTS: Readonly<MlrParams> = Object.freeze({
  C: 1,
  epsilon: 1e-3,
  maxIter: 300,
  weighting: 'votes',
  queries: 'anchor',
  admmSteps: 20,
  admmTol: 1e-4,
  evictAfter: 20,
});

/** Queries in struct-of-arrays form. Candidates of query q are cand[start[q] .. start[q+1]). */
export interface MlrQueries {
  readonly count: number;
  readonly anchor: Int32Array;
  readonly start: Int32Array;
  /** clip row of each candidate */
  readonly cand: Int32Array;
  /** 1 relevant, 0 irrelevant */
  readonly relevant: Uint8Array;
  /** query weights ω_q, summing to 1 */
  readonly weight: Float64Array;
  /** anchor–clip pairs dropped for a tie in the vote balance */
  readonly droppedTies: number;
  /** anchor–clip pairs seen both as near and as far (resolved by majority or dropped) */
  readonly conflicting: number;
  /** anchors without both a relevant and an irrelevant clip */
  readonly droppedAnchors: number;
  /** relevant × irrelevant pairs over all queries */
  readonly pairs: number;
}

/** Build the queries (see the header for the rules). Throws if none remain. */
export function buildQueries(c: ConstraintSet, nClips: number, mode: MlrParams['queries'], weighting: MlrParams['weighting']): MlrQueries {
  if (c.count === 0) throw new Error('MLR: no training constraints');
  if (mode !== 'anchor' && mode !== 'constraint') throw new Error(`MLR: unknown queries mode "${mode as string}" (expected 'anchor' or 'constraint')`);
  if (weighting !== 'none' && weighting !== 'votes') throw new Error(`MLR: unknown weighting "${weighting as string}" (expected 'none' or 'votes')`);
  for (let r = 0; r < c.count; r++) {
    for (const idx of [c.a[r], c.n[r], c.f[r]]) {
      if (!(idx >= 0 && idx < nClips)) throw new Error(`MLR: constraint ${r} refers to clip row ${idx} outside the feature matrix (${nClips} rows)`);
    }
    const w = c.weight[r];
    if (weighting === 'votes' && !(Number.isFinite(w) && w >= 0))
      throw new Error(`MLR: constraint ${r} has an invalid weight ${w} (expected a finite number ≥ 0)`);
  }
  if (mode === 'constraint') {
    const keep: number[] = [];
    let total = 0;
    for (let r = 0; r < c.count; r++) {
      const w = weighting === 'votes' ? c.weight[r] : 1;
      if (c.n[r] === c.f[r] || w === 0) continue;
      keep.push(r);
      total += w;
    }
    if (keep.length === 0) throw new Error('MLR: no usable constraints (near = far or zero weight everywhere)');
    const Q = keep.length;
    const anchor = new Int32Array(Q);
    const start = new Int32Array(Q + 1);
    const cand = new Int32Array(2 * Q);
    const relevant = new Uint8Array(2 * Q);
    const weight = new Float64Array(Q);
    keep.forEach((r, q) => {
      anchor[q] = c.a[r];
      start[q] = 2 * q;
      cand[2 * q] = c.n[r];
      relevant[2 * q] = 1;
      cand[2 * q + 1] = c.f[r];
      weight[q] = (weighting === 'votes' ? c.weight[r] : 1) / total;
    });
    start[Q] = 2 * Q;
    return { count: Q, anchor, start, cand, relevant, weight, droppedTies: 0, conflicting: 0, droppedAnchors: 0, pairs: Q };
  }
  // anchor queries: vote balance per (anchor, clip)
  const balance = new Map<number, Map<number, { s: number; near: boolean; far: boolean }>>();
  const entry = (a: number, x: number) => {
    let m = balance.get(a);
    if (!m) {
      m = new Map();
      balance.set(a, m);
    }
    let e = m.get(x);
    if (!e) {
      e = { s: 0, near: false, far: false };
      m.set(x, e);
    }
    return e;
  };
  for (let r = 0; r < c.count; r++) {
    const w = weighting === 'votes' ? c.weight[r] : 1;
    const en = entry(c.a[r], c.n[r]);
    en.s += w;
    en.near = true;
    const ef = entry(c.a[r], c.f[r]);
    ef.s -= w;
    ef.far = true;
  }
  const anchors = [...balance.keys()].sort((x, y) => x - y);
  const qa: number[] = [];
  const qs: number[] = [];
  const cd: number[] = [];
  const rl: number[] = [];
  let droppedTies = 0;
  let conflicting = 0;
  let droppedAnchors = 0;
  let pairs = 0;
  for (const a of anchors) {
    const m = balance.get(a)!;
    const clips = [...m.keys()].sort((x, y) => x - y);
    const rel: number[] = [];
    const irr: number[] = [];
    for (const x of clips) {
      const e = m.get(x)!;
      if (e.near && e.far) conflicting++;
      // a tie within rounding of the summed weights counts as a tie
      if (Math.abs(e.s) <= 1e-12 * (1 + Math.abs(e.s))) droppedTies++;
      else if (e.s > 0) rel.push(x);
      else irr.push(x);
    }
    if (rel.length === 0 || irr.length === 0) {
      droppedAnchors++;
      continue;
    }
    qa.push(a);
    qs.push(cd.length);
    for (const x of rel) {
      cd.push(x);
      rl.push(1);
    }
    for (const x of irr) {
      cd.push(x);
      rl.push(0);
    }
    pairs += rel.length * irr.length;
  }
  if (qa.length === 0) {
    throw new Error(`MLR: no query has both a relevant and an irrelevant clip (${droppedTies} anchor–clip ties dropped, ${anchors.length} anchors)`);
  }
  const Q = qa.length;
  qs.push(cd.length);
  return {
    count: Q,
    anchor: Int32Array.from(qa),
    start: Int32Array.from(qs),
    cand: Int32Array.from(cd),
    relevant: Uint8Array.from(rl),
    weight: new Float64Array(Q).fill(1 / Q),
    droppedTies,
    conflicting,
    droppedAnchors,
    pairs,
  };
}

/** Count of entries of the ascending array s[0..n) that are < x. */
function countLess(s: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * AUC separation oracle for one query. Inputs: distances of the relevant (`dPos`, length P) and
 * irrelevant (`dNeg`, length N) candidates. Writes the coefficients of ψ(q, y') on φ(q, ·) for the most
 * violated ranking y' — ψ(q, y') = Σ_i coefPos[i] φ(q, i) + Σ_j coefNeg[j] φ(q, j) — and returns its loss
 * Δ = 1 − AUC(y'). The pair (i, j) is misordered iff dNeg[j] < dPos[i] + ½. O((P + N) log(P + N)).
 * `sortPos` / `sortNeg` are scratch arrays of length ≥ P / ≥ N.
 */
export function aucSeparationOracle(
  dPos: Float64Array,
  dNeg: Float64Array,
  coefPos: Float64Array,
  coefNeg: Float64Array,
  sortPos: Float64Array = new Float64Array(dPos.length),
  sortNeg: Float64Array = new Float64Array(dNeg.length),
): number {
  const P = dPos.length;
  const N = dNeg.length;
  if (P === 0 || N === 0) throw new Error('MLR oracle: a query needs at least one relevant and one irrelevant candidate');
  const sp = sortPos.subarray(0, P);
  const sn = sortNeg.subarray(0, N);
  sp.set(dPos);
  sp.sort();
  sn.set(dNeg);
  sn.sort();
  const PN = P * N;
  let mis = 0;
  for (let i = 0; i < P; i++) {
    const before = countLess(sn, N, dPos[i] + 0.5); // irrelevant ranked before relevant i
    mis += before;
    coefPos[i] = (N - 2 * before) / PN; // (N_after − N_before) / PN
  }
  for (let j = 0; j < N; j++) {
    // relevant ranked after irrelevant j: d_i + ½ > d_j  ⇔  d_i > d_j − ½
    const after = P - countLessOrEqual(sp, P, dNeg[j] - 0.5);
    coefNeg[j] = -(P - 2 * after) / PN; // −(P_before − P_after) / PN
  }
  return mis / PN;
}

function countLessOrEqual(s: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Geometry shared by the full and diagonal variants: W is a flat vector of length p. */
interface Variant {
  readonly p: number;
  /** ⟨R, W⟩ with R the gradient of tr(W)/d */
  readonly reg: Float64Array;
  /** Euclidean projection onto the feasible set (PSD cone / nonnegative orthant), into `out` */
  project(v: Float64Array, out: Float64Array): void;
  /** d_W(q, k) for the candidate with difference vector e (length d) */
  dist(W: Float64Array, e: Float64Array, eo: number): number;
  /** A += s · φ-part of candidate e: full: s·e eᵀ, diagonal: s·e∘e */
  accumulate(A: Float64Array, e: Float64Array, eo: number, s: number): void;
}

function fullVariant(d: number): Variant {
  const reg = new Float64Array(d * d);
  for (let i = 0; i < d; i++) reg[i * d + i] = 1 / d;
  const tmp = new Float64Array(d * d);
  return {
    p: d * d,
    reg,
    project(v, out) {
      tmp.set(v);
      const P = projectPsd({ rows: d, cols: d, data: tmp });
      out.set(P.data);
    },
    dist(W, e, eo) {
      let s = 0;
      for (let r = 0; r < d; r++) {
        const row = r * d;
        let t = 0;
        for (let c = 0; c < d; c++) t += W[row + c] * e[eo + c];
        s += e[eo + r] * t;
      }
      return s;
    },
    accumulate(A, e, eo, s) {
      for (let r = 0; r < d; r++) {
        const er = s * e[eo + r];
        if (er === 0) continue;
        const row = r * d;
        for (let c = r; c < d; c++) A[row + c] += er * e[eo + c];
      }
    },
  };
}

function diagVariant(d: number): Variant {
  return {
    p: d,
    reg: new Float64Array(d).fill(1 / d),
    project(v, out) {
      for (let k = 0; k < d; k++) out[k] = v[k] > 0 ? v[k] : 0;
    },
    dist(W, e, eo) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const x = e[eo + k];
        s += W[k] * x * x;
      }
      return s;
    },
    accumulate(A, e, eo, s) {
      for (let k = 0; k < d; k++) {
        const x = e[eo + k];
        A[k] += s * x * x;
      }
    },
  };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

export interface MlrSolution {
  readonly W: Float64Array;
  readonly converged: boolean;
  readonly iterations: number;
  /** per cutting-plane iteration: violation of the new constraint minus (ξ + ε) (≤ 0 at convergence) */
  readonly history: number[];
  readonly xi: number;
  readonly objective: number;
  readonly workingSet: number;
  /** constraints evicted from the working set */
  readonly evicted: number;
  readonly admmSteps: number;
  /** violation b − ⟨A, W⟩ of the last oracle constraint at the returned W */
  readonly lastViolation: number;
}

/**
 * Cutting-plane MLR on prepared queries. `full`: W ⪰ 0 (d×d, row-major in the result); otherwise diagonal
 * W ≥ 0 (the result holds the d diagonal entries).
 */
export function solveMlr(X: FeatureMatrix, qs: MlrQueries, full: boolean, params: MlrParams, ctx?: FitContext): MlrSolution {
  const { C, epsilon, maxIter, admmSteps, admmTol } = params;
  if (!(Number.isFinite(C) && C > 0)) throw new Error(`MLR: C must be a positive finite number, got ${C}`);
  if (!(epsilon > 0)) throw new Error(`MLR: epsilon must be positive, got ${epsilon}`);
  if (!(Number.isInteger(maxIter) && maxIter >= 1)) throw new Error(`MLR: maxIter must be a positive integer, got ${maxIter}`);
  if (!(Number.isInteger(admmSteps) && admmSteps >= 1)) throw new Error(`MLR: admmSteps must be a positive integer, got ${admmSteps}`);
  if (!(admmTol > 0)) throw new Error(`MLR: admmTol must be positive, got ${admmTol}`);
  const d = X.cols;
  const x = X.data;
  const V = full ? fullVariant(d) : diagVariant(d);
  const p = V.p;

  // difference vectors e = x_q − x_k of every candidate
  const K = qs.cand.length;
  const E = new Float64Array(K * d);
  for (let q = 0; q < qs.count; q++) {
    const oa = qs.anchor[q] * d;
    for (let k = qs.start[q]; k < qs.start[q + 1]; k++) {
      const oc = qs.cand[k] * d;
      for (let t = 0; t < d; t++) E[k * d + t] = x[oa + t] - x[oc + t];
    }
  }
  let maxQ = 0;
  for (let q = 0; q < qs.count; q++) maxQ = Math.max(maxQ, qs.start[q + 1] - qs.start[q]);
  const dPos = new Float64Array(maxQ);
  const dNeg = new Float64Array(maxQ);
  const cPos = new Float64Array(maxQ);
  const cNeg = new Float64Array(maxQ);
  const sPos = new Float64Array(maxQ);
  const sNeg = new Float64Array(maxQ);

  /** Oracle over all queries at W: the 1-slack constraint ⟨W, A⟩ ≥ b − ξ (A into `A`, returns b). */
  const oracle = (W: Float64Array, A: Float64Array): number => {
    A.fill(0);
    let b = 0;
    for (let q = 0; q < qs.count; q++) {
      const s0 = qs.start[q];
      const s1 = qs.start[q + 1];
      let P = 0;
      let N = 0;
      for (let k = s0; k < s1; k++) {
        const dk = V.dist(W, E, k * d);
        if (qs.relevant[k]) dPos[P++] = dk;
        else dNeg[N++] = dk;
      }
      const loss = aucSeparationOracle(dPos.subarray(0, P), dNeg.subarray(0, N), cPos, cNeg, sPos, sNeg);
      const om = qs.weight[q];
      b += om * loss;
      // A = Σ ω (ψ(y*) − ψ(y')) = −Σ ω Σ_k (c*_k − c'_k) e eᵀ, with c*_i = 1/P, c*_j = −1/N
      let ip = 0;
      let ineg = 0;
      for (let k = s0; k < s1; k++) {
        const beta = qs.relevant[k] ? 1 / P - cPos[ip++] : -1 / N - cNeg[ineg++];
        if (beta !== 0) V.accumulate(A, E, k * d, -om * beta);
      }
    }
    if (full) for (let r = 0; r < d; r++) for (let c = r + 1; c < d; c++) A[c * d + r] = A[r * d + c];
    return b;
  };

  // working set
  const As: Float64Array[] = [];
  const bs: number[] = [];
  const AR: number[] = []; // ⟨A_k, R⟩
  const clock: number[] = []; // solves since λ_k was last > 0
  let G = new Float64Array(0); // Gram ⟨A_k, A_l⟩, m × m with row stride cap
  let cap = 0;
  let lambda = new Float64Array(0);

  // ADMM state (warm-started across cutting-plane iterations)
  const Z = new Float64Array(p); // feasible iterate (returned)
  const U = new Float64Array(p);
  const Wa = new Float64Array(p);
  const Vv = new Float64Array(p);
  const Zold = new Float64Array(p);
  const tmp = new Float64Array(p);
  let rho = 1;
  let totalAdmm = 0;

  const slackAt = (W: Float64Array): number => {
    let xi = 0;
    for (let k = 0; k < As.length; k++) xi = Math.max(xi, bs[k] - dot(As[k], W));
    return xi;
  };

  /** SMO on max cᵀλ − ½ λᵀ (G/ρ) λ over {λ ≥ 0, Σλ ≤ C} (slack index −1 with zero gradient). */
  const qpGrad = new Float64Array(0);
  let grad = qpGrad;
  const solveQp = (c: Float64Array, m: number): void => {
    if (grad.length < m) grad = new Float64Array(cap);
    const ir = 1 / rho;
    let cmax = 0;
    for (let k = 0; k < m; k++) {
      let s = 0;
      for (let l = 0; l < m; l++) s += G[k * cap + l] * lambda[l];
      grad[k] = c[k] - ir * s;
      cmax = Math.max(cmax, Math.abs(c[k]));
    }
    const tol = 1e-7 * (1 + cmax);
    for (let it = 0; it < 5 * m + 50; it++) {
      let slackLam = C;
      for (let k = 0; k < m; k++) slackLam -= lambda[k];
      if (slackLam < 0) slackLam = 0;
      // up: any index (−1 = slack, gradient 0); down: any index with λ > 0
      let iu = -1;
      let gu = 0;
      let id = -2;
      let gd = Infinity;
      if (slackLam > 0) {
        id = -1;
        gd = 0;
      }
      for (let k = 0; k < m; k++) {
        if (grad[k] > gu) {
          gu = grad[k];
          iu = k;
        }
        if (lambda[k] > 0 && grad[k] < gd) {
          gd = grad[k];
          id = k;
        }
      }
      if (id === -2 || gu - gd <= tol || iu === id) break;
      const huu = iu >= 0 ? ir * G[iu * cap + iu] : 0;
      const hdd = id >= 0 ? ir * G[id * cap + id] : 0;
      const hud = iu >= 0 && id >= 0 ? ir * G[iu * cap + id] : 0;
      const kappa = huu + hdd - 2 * hud;
      const avail = id >= 0 ? lambda[id] : slackLam;
      let delta = kappa > 0 ? (gu - gd) / kappa : avail;
      if (delta > avail) delta = avail;
      if (!(delta > 0)) break;
      if (iu >= 0) lambda[iu] += delta;
      if (id >= 0) {
        lambda[id] -= delta;
        if (lambda[id] < 0) lambda[id] = 0;
      }
      for (let k = 0; k < m; k++) {
        const gku = iu >= 0 ? G[k * cap + iu] : 0;
        const gkd = id >= 0 ? G[k * cap + id] : 0;
        grad[k] -= delta * ir * (gku - gkd);
      }
    }
  };

  const admm = (): void => {
    const m = As.length;
    const c = new Float64Array(m);
    const sqrtP = Math.sqrt(p);
    for (let step = 0; step < admmSteps; step++) {
      totalAdmm++;
      for (let t = 0; t < p; t++) Vv[t] = Z[t] - U[t];
      for (let k = 0; k < m; k++) c[k] = bs[k] - dot(As[k], Vv) + AR[k] / rho;
      solveQp(c, m);
      // W = V − (R − Σ λ A)/ρ
      for (let t = 0; t < p; t++) Wa[t] = V.reg[t];
      for (let k = 0; k < m; k++) {
        const l = lambda[k];
        if (l === 0) continue;
        const Ak = As[k];
        for (let t = 0; t < p; t++) Wa[t] -= l * Ak[t];
      }
      for (let t = 0; t < p; t++) Wa[t] = Vv[t] - Wa[t] / rho;
      Zold.set(Z);
      for (let t = 0; t < p; t++) tmp[t] = Wa[t] + U[t];
      V.project(tmp, Z);
      let r2 = 0;
      let s2 = 0;
      let wn = 0;
      let zn = 0;
      let un = 0;
      for (let t = 0; t < p; t++) {
        U[t] += Wa[t] - Z[t];
        const r = Wa[t] - Z[t];
        const s = Z[t] - Zold[t];
        r2 += r * r;
        s2 += s * s;
        wn += Wa[t] * Wa[t];
        zn += Z[t] * Z[t];
        un += U[t] * U[t];
      }
      const rn = Math.sqrt(r2);
      const sn = rho * Math.sqrt(s2);
      const epsPri = 1e-8 * sqrtP + admmTol * Math.max(Math.sqrt(wn), Math.sqrt(zn));
      const epsDual = 1e-8 * sqrtP + admmTol * rho * Math.sqrt(un);
      if (rn <= epsPri && sn <= epsDual) break;
      // ρ adaptation (Boyd et al. 2011, §3.4.1), kept within [1e-3, 1e3]: an unbounded ρ → 0 makes the
      // W-step's QP (Hessian G/ρ) numerically useless and the iterates blow up
      if (rn > 10 * sn && rho < 1e3) {
        rho *= 2;
        for (let t = 0; t < p; t++) U[t] /= 2;
      } else if (sn > 10 * rn && rho > 1e-3) {
        rho /= 2;
        for (let t = 0; t < p; t++) U[t] *= 2;
      }
    }
  };

  /** drop constraints whose multiplier stayed 0 for `evictAfter` solves; compacts G and λ */
  let evicted = 0;
  const keptIdx: number[] = [];
  const evict = (): void => {
    const m = As.length;
    keptIdx.length = 0;
    for (let k = 0; k < m; k++) {
      clock[k] = lambda[k] > 0 ? 0 : clock[k] + 1;
      if (clock[k] < params.evictAfter) keptIdx.push(k);
    }
    const keep = keptIdx.length;
    if (keep === m) return;
    // compact in place (kept indices are increasing, so row i < source row k never overwrites unread data)
    for (let i = 0; i < keep; i++) {
      const k = keptIdx[i];
      As[i] = As[k];
      bs[i] = bs[k];
      AR[i] = AR[k];
      clock[i] = clock[k];
      lambda[i] = lambda[k];
      for (let j = 0; j < keep; j++) G[i * cap + j] = G[k * cap + keptIdx[j]];
    }
    evicted += m - keep;
    As.length = keep;
    bs.length = keep;
    AR.length = keep;
    clock.length = keep;
    for (let k = keep; k < m; k++) lambda[k] = 0;
  };

  const history: number[] = [];
  let converged = false;
  let iter = 0;
  let lastViolation = NaN;
  let xi = 0;
  while (iter < maxIter) {
    iter++;
    const A = new Float64Array(p);
    const b = oracle(Z, A);
    const viol = b - dot(A, Z);
    xi = slackAt(Z);
    lastViolation = viol;
    history.push(viol - (xi + epsilon));
    if (viol <= xi + epsilon) {
      converged = true;
      break;
    }
    // add to the working set, grow the Gram matrix
    const m = As.length;
    if (m + 1 > cap) {
      const ncap = Math.max(16, cap * 2);
      const nG = new Float64Array(ncap * ncap);
      for (let k = 0; k < m; k++) for (let l = 0; l < m; l++) nG[k * ncap + l] = G[k * cap + l];
      G = nG;
      const nl = new Float64Array(ncap);
      nl.set(lambda.subarray(0, m));
      lambda = nl;
      cap = ncap;
    }
    As.push(A);
    bs.push(b);
    AR.push(dot(A, V.reg));
    for (let l = 0; l <= m; l++) {
      const g = dot(A, As[l]);
      G[m * cap + l] = g;
      G[l * cap + m] = g;
    }
    lambda[m] = 0;
    clock.push(0);
    admm();
    evict();
    ctx?.checkCancelled?.();
    if (ctx?.onProgress && iter % 5 === 0)
      ctx.onProgress({ stage: full ? 'mlr' : 'mlr-diag', done: iter, total: maxIter, detail: `violation ${viol.toExponential(2)}, ξ ${xi.toExponential(2)}` });
  }
  xi = slackAt(Z);
  let trace = 0;
  for (let k = 0; k < d; k++) trace += full ? Z[k * d + k] : Z[k];
  return {
    W: Z,
    converged,
    iterations: iter,
    history,
    xi,
    objective: trace / d + C * xi,
    workingSet: As.length,
    evicted,
    admmSteps: totalAdmm,
    lastViolation,
  };
}

/**
 * The exact 1-slack loss at W: max over all rankings of Σ_q ω_q [Δ(y_q, y) − ⟨W, ψ(q, y_q) − ψ(q, y)⟩] (≥ 0),
 * i.e. the violation of the most violated 1-slack constraint, found with the AUC oracle. `W` is d×d
 * row-major (full) or the d diagonal entries.
 */
export function mlrSlack(X: FeatureMatrix, qs: MlrQueries, W: Float64Array, full: boolean): number {
  const d = X.cols;
  let total = 0;
  for (let q = 0; q < qs.count; q++) {
    const dp: number[] = [];
    const dn: number[] = [];
    const oa = qs.anchor[q] * d;
    for (let k = qs.start[q]; k < qs.start[q + 1]; k++) {
      const e = new Float64Array(d);
      const oc = qs.cand[k] * d;
      for (let t = 0; t < d; t++) e[t] = X.data[oa + t] - X.data[oc + t];
      const dist = full ? fullVariant(d).dist(W, e, 0) : diagVariant(d).dist(W, e, 0);
      (qs.relevant[k] ? dp : dn).push(dist);
    }
    const cp = new Float64Array(dp.length);
    const cn = new Float64Array(dn.length);
    const loss = aucSeparationOracle(Float64Array.from(dp), Float64Array.from(dn), cp, cn);
    // Δ − ⟨W, ψ* − ψ'⟩ = Δ + Σ (c*_k − c'_k) d_k
    let s = loss;
    dp.forEach((x, i) => (s += (1 / dp.length - cp[i]) * x));
    dn.forEach((x, j) => (s += (-1 / dn.length - cn[j]) * x));
    total += qs.weight[q] * s;
  }
  return total;
}

function makeLearner(id: 'mlr' | 'mlr-diag', full: boolean): Learner<MlrParams> {
  return {
    id,
    defaults: { ...MLR_DEFAULTS },
    fit(X: FeatureMatrix, train: ConstraintSet, prior: SpdMatrix | null, params: MlrParams, ctx?: FitContext): FitResult {
      const P = { ...MLR_DEFAULTS, ...(params ?? {}) } as MlrParams;
      const qs = buildQueries(train, X.rows, P.queries, P.weighting);
      const sol = solveMlr(X, qs, full, P, ctx);
      const d = X.cols;
      let data: Float64Array;
      if (full) data = sol.W;
      else {
        data = new Float64Array(d * d);
        for (let k = 0; k < d; k++) data[k * d + k] = sol.W[k];
      }
      let trace = 0;
      for (let k = 0; k < d; k++) trace += data[k * d + k];
      return {
        W: asSpd({ rows: d, cols: d, data }),
        converged: sol.converged,
        iterations: sol.iterations,
        history: sol.history,
        info: {
          queries: qs.count,
          pairs: qs.pairs,
          droppedTies: qs.droppedTies,
          conflicting: qs.conflicting,
          droppedAnchors: qs.droppedAnchors,
          xi: sol.xi,
          objective: sol.objective,
          lastViolation: sol.lastViolation,
          workingSet: sol.workingSet,
          evicted: sol.evicted,
          admmSteps: sol.admmSteps,
          zeroMetric: trace === 0,
          ...(prior ? { priorIgnored: true } : {}),
        },
      };
    },
  };
}

/** MLR with a full metric W ⪰ 0. */
export const mlrLearner: Learner<MlrParams> = makeLearner('mlr', true);
/** MLR with a diagonal metric W = diag(w), w ≥ 0. */
export const mlrDiagLearner: Learner<MlrParams> = makeLearner('mlr-diag', false);
