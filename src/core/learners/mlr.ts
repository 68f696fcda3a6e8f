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
 * SOLVER: a proximal bundle method (Kiwiel 1990; Lemaréchal, Nemirovskii & Nesterov 1995) on the exact objective
 *   f(W) = tr(W)/d + C·ℓ(W), ℓ(W) = the 1-slack loss, i.e. the violation b − ⟨A, W⟩ of the most violated constraint
 *   the oracle returns at W. The bundle holds such cuts (A_k, b_k); the model is m(W) = tr(W)/d + C·max(0, max_k
 *   b_k − ⟨A_k, W⟩) ≤ f(W). Each iteration solves the proximal subproblem at the centre Ŵ,
 *       W⁺ = argmin_{W feasible} m(W) + ‖W − Ŵ‖²/(2t),
 *   calls the oracle at W⁺ (exact f(W⁺), new cut) and moves the centre (serious step) when f(W⁺) ≤ f(Ŵ) − 0.1·δ,
 *   δ = f(Ŵ) − m(W⁺) the predicted decrease; otherwise only the cut is kept (null step). The step t doubles
 *   after a serious step the model predicted well (≥ ½ δ realised) and halves after a null step at a point worse
 *   than the centre, within [10⁻⁶, 10⁶]·t₀ (t₀: the linear model at W = 0 predicts half of f(0)).
 *   STOP when δ ≤ ε·f(Ŵ) with the subproblem solved to tolerance: the model, a lower bound of f, cannot
 *   promise more than a relative ε near Ŵ. The returned W is the centre, whose objective is exact.
 *   Why not the reference code's plain cutting planes (Kelley): on the bundled data (d = 30, 160 queries) they
 *   oscillate — the trace-regularised working-set problem is nearly linear, so its minimiser jumps across
 *   the PSD cone — and were still 0.1–0.8 away from the ε test after 300 iterations (6 s per fit); the
 *   proximal term keeps the iterates near the centre and converges in ≈ 25 iterations (BENCHMARKS.md §7).
 * SUBPROBLEM: ADMM as in the reference code (mlr_admm.m), split W (model + proximal term) / Z (feasible set:
 *   PSD cone via eigendecomposition, `projectPsd`, or the nonnegative orthant for the diagonal variant). The
 *   W-step is the prox of the model, solved exactly through its dual, a QP over {λ ≥ 0, Σλ ≤ C} with Gram
 *   matrix ⟨A_k, A_l⟩, by SMO (maximal violating pair), warm-started. Residual-based stopping (`admmTol`) and
 *   ρ adaptation as in Boyd et al. (2011), ρ kept in [1e-3, 1e3], capped at `admmSteps`; Z, U, ρ and λ are
 *   warm-started across iterations. Cuts whose λ stayed 0 for `evictAfter` solves leave the bundle (never the
 *   centre's own cut).
 * ORACLE COST: distances and the new cut are formed in clip space (see `makeOracle`): O(n d² + K d) per call
 *   for n clips and K candidates instead of O(K d²).
 * The prior is not used (`info.priorIgnored` when one is passed).
 */
import { projectPsd } from '../linalg';
import { asSpd } from '../matrix';
import type { ConstraintSet, FeatureMatrix, FitContext, FitResult, Learner, SpdMatrix } from '../types';

export interface MlrParams {
  /** slack trade-off C (tuned by inner CV) */
  C: number;
  /** relative tolerance ε: stop when the model's predicted decrease is ≤ ε·f(Ŵ) (see the header) */
  epsilon: number;
  /** maximum number of bundle iterations (each calls the oracle once) */
  maxIter: number;
  /** how constraint weights enter: vote balance / query weights ('votes') or not at all ('none') */
  weighting: 'none' | 'votes';
  /** what a query is (see the header) */
  queries: 'anchor' | 'constraint';
  /** ADMM iterations per subproblem (cap) */
  admmSteps: number;
  /** ADMM relative tolerance on the primal and dual residuals */
  admmTol: number;
  /** evict a cut after this many consecutive solves with λ = 0 (reference code: 100) */
  evictAfter: number;
}

export const MLR_DEFAULTS: Readonly<MlrParams> = Object.freeze({
  C: 1,
  epsilon: 1e-3,
  maxIter: 300,
  weighting: 'votes',
  queries: 'anchor',
  admmSteps: 500,
  admmTol: 1e-5,
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

/** The feasible set and the regulariser's gradient for the full (p = d², row-major) and diagonal (p = d) variants. */
interface Variant {
  readonly p: number;
  /** R, the gradient of tr(W)/d, so ⟨R, W⟩ = tr(W)/d */
  readonly reg: Float64Array;
  /** Euclidean projection onto the feasible set (PSD cone / nonnegative orthant), into `out` */
  project(v: Float64Array, out: Float64Array): void;
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
      out.set(projectPsd({ rows: d, cols: d, data: tmp }).data);
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
  };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

/** d_W(x_a, x_c) computed directly from the difference vector (the independent check `mlrSlack` uses it). */
function directDistance(X: FeatureMatrix, a: number, c: number, W: Float64Array, full: boolean): number {
  const d = X.cols;
  const x = X.data;
  let s = 0;
  for (let r = 0; r < d; r++) {
    const er = x[a * d + r] - x[c * d + r];
    if (!full) {
      s += W[r] * er * er;
      continue;
    }
    let t = 0;
    for (let k = 0; k < d; k++) t += W[r * d + k] * (x[a * d + k] - x[c * d + k]);
    s += er * t;
  }
  return s;
}

/**
 * The separation oracle over all queries, in clip space: for the full variant the distances come from
 * Y = X·W and g_i = y_i·x_i (d(a, c) = g_a + g_c − 2 y_a·x_c, O(n d² + K d) instead of O(K d²)), and the new
 * cut A = Σ_k s_k e_k e_kᵀ is formed as Xᵀ (M X) with M the clip-space matrix of the coefficients
 * (O(K d + n d²)). The diagonal variant works on the squared differences directly (O(K d)).
 * Returns `(W, A) ⇒ b`: the most violated 1-slack constraint ⟨W, A⟩ ≥ b − ξ at W.
 */
function makeOracle(X: FeatureMatrix, qs: MlrQueries, full: boolean): (W: Float64Array, A: Float64Array) => number {
  const { rows: n, cols: d, data: x } = X;
  let maxQ = 0;
  for (let q = 0; q < qs.count; q++) maxQ = Math.max(maxQ, qs.start[q + 1] - qs.start[q]);
  const dist = new Float64Array(qs.cand.length);
  const coef = new Float64Array(qs.cand.length); // s_k: A = Σ_k s_k e_k e_kᵀ
  const [dPos, dNeg, cPos, cNeg, sPos, sNeg] = Array.from({ length: 6 }, () => new Float64Array(maxQ));
  const Y = full ? new Float64Array(n * d) : new Float64Array(0);
  const g = full ? new Float64Array(n) : new Float64Array(0);
  const MX = full ? new Float64Array(n * d) : new Float64Array(0);

  const distances = (W: Float64Array): void => {
    if (full) {
      for (let i = 0; i < n; i++) {
        const oi = i * d;
        for (let c = 0; c < d; c++) {
          let t = 0;
          for (let r = 0; r < d; r++) t += x[oi + r] * W[r * d + c];
          Y[oi + c] = t;
        }
        let s = 0;
        for (let c = 0; c < d; c++) s += Y[oi + c] * x[oi + c];
        g[i] = s;
      }
    }
    for (let q = 0; q < qs.count; q++) {
      const a = qs.anchor[q];
      for (let k = qs.start[q]; k < qs.start[q + 1]; k++) {
        const c = qs.cand[k];
        let s = 0;
        if (full) {
          for (let t = 0; t < d; t++) s += Y[a * d + t] * x[c * d + t];
          dist[k] = g[a] + g[c] - 2 * s;
        } else {
          for (let t = 0; t < d; t++) {
            const e = x[a * d + t] - x[c * d + t];
            s += W[t] * e * e;
          }
          dist[k] = s;
        }
      }
    }
  };

  const accumulate = (A: Float64Array): void => {
    A.fill(0);
    if (!full) {
      for (let q = 0; q < qs.count; q++) {
        const a = qs.anchor[q];
        for (let k = qs.start[q]; k < qs.start[q + 1]; k++) {
          const s = coef[k];
          if (s === 0) continue;
          const c = qs.cand[k];
          for (let t = 0; t < d; t++) {
            const e = x[a * d + t] - x[c * d + t];
            A[t] += s * e * e;
          }
        }
      }
      return;
    }
    MX.fill(0);
    for (let q = 0; q < qs.count; q++) {
      const oa = qs.anchor[q] * d;
      for (let k = qs.start[q]; k < qs.start[q + 1]; k++) {
        const s = coef[k];
        if (s === 0) continue;
        const oc = qs.cand[k] * d;
        for (let t = 0; t < d; t++) {
          const se = s * (x[oa + t] - x[oc + t]);
          MX[oa + t] += se;
          MX[oc + t] -= se;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      const oi = i * d;
      for (let r = 0; r < d; r++) {
        const xr = x[oi + r];
        if (xr === 0) continue;
        for (let c = 0; c < d; c++) A[r * d + c] += xr * MX[oi + c];
      }
    }
    for (let r = 0; r < d; r++) {
      for (let c = r + 1; c < d; c++) {
        const v = 0.5 * (A[r * d + c] + A[c * d + r]);
        A[r * d + c] = v;
        A[c * d + r] = v;
      }
    }
  };

  return (W, A) => {
    distances(W);
    let b = 0;
    for (let q = 0; q < qs.count; q++) {
      const s0 = qs.start[q];
      const s1 = qs.start[q + 1];
      let P = 0;
      let N = 0;
      for (let k = s0; k < s1; k++) {
        if (qs.relevant[k]) dPos[P++] = dist[k];
        else dNeg[N++] = dist[k];
      }
      const om = qs.weight[q];
      b += om * aucSeparationOracle(dPos.subarray(0, P), dNeg.subarray(0, N), cPos, cNeg, sPos, sNeg);
      // A = Σ ω (ψ(y*) − ψ(y')) = −Σ ω Σ_k (c*_k − c'_k) e eᵀ, with c*_i = 1/P, c*_j = −1/N
      let ip = 0;
      let ineg = 0;
      for (let k = s0; k < s1; k++) coef[k] = -om * (qs.relevant[k] ? 1 / P - cPos[ip++] : -1 / N - cNeg[ineg++]);
    }
    accumulate(A);
    return b;
  };
}

/**
 * The bundle: cuts ⟨A_k, W⟩ ≥ b_k − ξ with their Gram matrix and the multipliers λ of the last
 * subproblem. `solveQp` maximises cᵀλ − ½ λᵀ (G/σ) λ over {λ ≥ 0, Σλ ≤ C} by SMO (maximal violating pair;
 * the slack index −1 has gradient 0), warm-started from the previous λ.
 */
class Bundle {
  readonly A: Float64Array[] = [];
  readonly b: number[] = [];
  /** ⟨A_k, R⟩ */
  readonly AR: number[] = [];
  /** solves since λ_k was last > 0 */
  private readonly clock: number[] = [];
  private G = new Float64Array(0);
  private cap = 0;
  lambda = new Float64Array(0);
  private grad = new Float64Array(0);
  evicted = 0;

  constructor(private readonly reg: Float64Array) {}

  get size(): number {
    return this.A.length;
  }

  add(A: Float64Array, b: number): number {
    const m = this.A.length;
    if (m + 1 > this.cap) {
      const ncap = Math.max(16, this.cap * 2);
      const nG = new Float64Array(ncap * ncap);
      for (let k = 0; k < m; k++) for (let l = 0; l < m; l++) nG[k * ncap + l] = this.G[k * this.cap + l];
      this.G = nG;
      const nl = new Float64Array(ncap);
      nl.set(this.lambda.subarray(0, m));
      this.lambda = nl;
      this.grad = new Float64Array(ncap);
      this.cap = ncap;
    }
    this.A.push(A);
    this.b.push(b);
    this.AR.push(dot(A, this.reg));
    for (let l = 0; l <= m; l++) {
      const v = dot(A, this.A[l]);
      this.G[m * this.cap + l] = v;
      this.G[l * this.cap + m] = v;
    }
    this.lambda[m] = 0;
    this.clock.push(0);
    return m;
  }

  /** the cutting-plane model's slack at W: max(0, max_k b_k − ⟨A_k, W⟩) */
  slack(W: Float64Array): number {
    let xi = 0;
    for (let k = 0; k < this.A.length; k++) xi = Math.max(xi, this.b[k] - dot(this.A[k], W));
    return xi;
  }

  solveQp(c: Float64Array, C: number, sigma: number): void {
    const { G, cap, lambda, grad } = this;
    const m = this.A.length;
    const ir = 1 / sigma;
    let cmax = 0;
    for (let k = 0; k < m; k++) {
      let s = 0;
      for (let l = 0; l < m; l++) s += G[k * cap + l] * lambda[l];
      grad[k] = c[k] - ir * s;
      cmax = Math.max(cmax, Math.abs(c[k]));
    }
    const tol = 1e-9 * (1 + cmax);
    for (let it = 0; it < 20 * m + 50; it++) {
      let slackLam = C;
      for (let k = 0; k < m; k++) slackLam -= lambda[k];
      if (slackLam < 0) slackLam = 0;
      let iu = -1;
      let gu = 0;
      let id = slackLam > 0 ? -1 : -2;
      let gd = slackLam > 0 ? 0 : Infinity;
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
      if (id >= 0) lambda[id] = Math.max(0, lambda[id] - delta);
      for (let k = 0; k < m; k++) grad[k] -= delta * ir * ((iu >= 0 ? G[k * cap + iu] : 0) - (id >= 0 ? G[k * cap + id] : 0));
    }
  }

  /** Drops cuts whose multiplier stayed 0 for `after` solves (never `keep`); returns keep's new index. */
  evict(after: number, keep: number): number {
    const m = this.A.length;
    const kept: number[] = [];
    for (let k = 0; k < m; k++) {
      this.clock[k] = this.lambda[k] > 0 ? 0 : this.clock[k] + 1;
      if (this.clock[k] < after || k === keep) kept.push(k);
    }
    if (kept.length === m) return keep;
    const { G, cap } = this;
    // compact in place (kept indices increase, so row i < source row k never overwrites unread data)
    kept.forEach((k, i) => {
      this.A[i] = this.A[k];
      this.b[i] = this.b[k];
      this.AR[i] = this.AR[k];
      this.clock[i] = this.clock[k];
      this.lambda[i] = this.lambda[k];
      for (let j = 0; j < kept.length; j++) G[i * cap + j] = G[k * cap + kept[j]];
    });
    this.evicted += m - kept.length;
    for (const arr of [this.A, this.b, this.AR, this.clock]) arr.length = kept.length;
    this.lambda.fill(0, kept.length);
    return kept.indexOf(keep);
  }
}

/**
 * The proximal subproblem min_{W feasible} ⟨R, W⟩ + C·max(0, max_k b_k − ⟨A_k, W⟩) + ‖W − Ŵ‖²/(2t), by
 * ADMM on the split W (model + proximal term; its prox is the dual QP of the bundle) / Z (projection onto
 * the feasible set), warm-started across calls. Residual-based stopping and ρ adaptation as in Boyd et al.
 * (2011); ρ kept in [1e-3, 1e3]. Leaves the feasible iterate in `st.Z`; returns whether the residuals met
 * the tolerance within `steps`.
 */
/** ADMM over-relaxation α ∈ [1.5, 1.8] (Boyd et al. 2011); 1 is plain ADMM */
const OVER_RELAX = 1.6;

interface AdmmState {
  readonly Z: Float64Array;
  readonly U: Float64Array;
  rho: number;
  steps: number;
}

function proxSubproblem(V: Variant, bundle: Bundle, center: Float64Array, t: number, C: number, st: AdmmState, maxSteps: number, tol: number): boolean {
  const p = V.p;
  const m = bundle.size;
  const { Z, U } = st;
  const c = new Float64Array(m);
  const M = new Float64Array(p);
  const Wa = new Float64Array(p);
  const Zold = new Float64Array(p);
  const tmp = new Float64Array(p);
  const sqrtP = Math.sqrt(p);
  for (let step = 0; step < maxSteps; step++) {
    st.steps++;
    const sigma = st.rho + 1 / t;
    // W-step: argmin model(W) + ‖W − Ŵ‖²/(2t) + ρ/2 ‖W − (Z − U)‖² = prox of the model at M with weight σ
    for (let i = 0; i < p; i++) M[i] = (center[i] / t + st.rho * (Z[i] - U[i])) / sigma;
    for (let k = 0; k < m; k++) c[k] = bundle.b[k] - dot(bundle.A[k], M) + bundle.AR[k] / sigma;
    bundle.solveQp(c, C, sigma);
    for (let i = 0; i < p; i++) Wa[i] = V.reg[i];
    for (let k = 0; k < m; k++) {
      const l = bundle.lambda[k];
      if (l === 0) continue;
      const Ak = bundle.A[k];
      for (let i = 0; i < p; i++) Wa[i] -= l * Ak[i];
    }
    for (let i = 0; i < p; i++) Wa[i] = M[i] - Wa[i] / sigma;
    Zold.set(Z);
    // over-relaxation (Boyd et al. 2011, §3.4.3): Ŵa = α·Wa + (1 − α)·Z
    for (let i = 0; i < p; i++) tmp[i] = OVER_RELAX * Wa[i] + (1 - OVER_RELAX) * Zold[i] + U[i];
    V.project(tmp, Z);
    let r2 = 0;
    let s2 = 0;
    let wn = 0;
    let zn = 0;
    let un = 0;
    for (let i = 0; i < p; i++) {
      U[i] = tmp[i] - Z[i];
      r2 += (Wa[i] - Z[i]) ** 2;
      s2 += (Z[i] - Zold[i]) ** 2;
      wn += Wa[i] * Wa[i];
      zn += Z[i] * Z[i];
      un += U[i] * U[i];
    }
    const rn = Math.sqrt(r2);
    const sn = st.rho * Math.sqrt(s2);
    if (rn <= 1e-10 * sqrtP + tol * Math.max(Math.sqrt(wn), Math.sqrt(zn)) && sn <= 1e-10 * sqrtP + tol * st.rho * Math.sqrt(un)) return true;
    if (rn > 10 * sn && st.rho < 1e3) {
      st.rho *= 2;
      for (let i = 0; i < p; i++) U[i] /= 2;
    } else if (sn > 10 * rn && st.rho > 1e-3) {
      st.rho /= 2;
      for (let i = 0; i < p; i++) U[i] *= 2;
    }
  }
  return false;
}

export interface MlrSolution {
  readonly W: Float64Array;
  readonly converged: boolean;
  readonly iterations: number;
  /** per bundle iteration: the predicted decrease relative to the objective at the centre, (f(Ŵ) − m(W⁺)) / f(Ŵ) */
  readonly history: number[];
  /** the exact 1-slack loss at the returned W */
  readonly xi: number;
  /** the exact objective tr(W)/d + C·ξ at the returned W */
  readonly objective: number;
  readonly workingSet: number;
  /** cuts evicted from the bundle */
  readonly evicted: number;
  readonly admmSteps: number;
  /** serious steps (the centre moved) */
  readonly seriousSteps: number;
  /** the predicted decrease of the last iteration relative to the objective (≤ ε at convergence) */
  readonly lastGap: number;
}

/**
 * Proximal bundle MLR on prepared queries (see the header). `full`: W ⪰ 0 (d×d, row-major in the result);
 * otherwise diagonal W ≥ 0 (the result holds the d diagonal entries).
 */
export function solveMlr(X: FeatureMatrix, qs: MlrQueries, full: boolean, params: MlrParams, ctx?: FitContext): MlrSolution {
  const { C, epsilon, maxIter, admmSteps, admmTol } = params;
  if (!(Number.isFinite(C) && C > 0)) throw new Error(`MLR: C must be a positive finite number, got ${C}`);
  if (!(epsilon > 0)) throw new Error(`MLR: epsilon must be positive, got ${epsilon}`);
  if (!(Number.isInteger(maxIter) && maxIter >= 1)) throw new Error(`MLR: maxIter must be a positive integer, got ${maxIter}`);
  if (!(Number.isInteger(admmSteps) && admmSteps >= 1)) throw new Error(`MLR: admmSteps must be a positive integer, got ${admmSteps}`);
  if (!(admmTol > 0)) throw new Error(`MLR: admmTol must be positive, got ${admmTol}`);
  const V = full ? fullVariant(X.cols) : diagVariant(X.cols);
  const p = V.p;
  const oracle = makeOracle(X, qs, full);
  const bundle = new Bundle(V.reg);
  /** exact objective at W, and its cut added to the bundle (returns the cut's index) */
  const evaluate = (W: Float64Array): { f: number; loss: number; cut: number } => {
    const A = new Float64Array(p);
    const b = oracle(W, A);
    const loss = Math.max(0, b - dot(A, W));
    return { f: dot(V.reg, W) + C * loss, loss, cut: bundle.add(A, b) };
  };

  // centre Ŵ = 0: every pair is misordered (loss 1); the first step t₀ makes the linear model predict half of f(0)
  const center = new Float64Array(p);
  let at = evaluate(center);
  let fc = at.f;
  let loss = at.loss;
  let centerCut = at.cut;
  let gn2 = 0;
  for (let i = 0; i < p; i++) gn2 += (V.reg[i] - C * bundle.A[0][i]) ** 2;
  const t0 = gn2 > 0 ? (0.5 * fc) / gn2 : 1;
  let t = t0;
  const st: AdmmState = { Z: new Float64Array(p), U: new Float64Array(p), rho: 1, steps: 0 };
  const history: number[] = [];
  let converged = false;
  let serious = 0;
  let iter = 0;
  let gap = Infinity;
  while (iter < maxIter) {
    iter++;
    // inexact subproblems while far from the optimum (tolerance ∝ the last relative gap), exact near it
    const tol = Math.max(admmTol, Math.min(1e-3, 0.01 * gap));
    const solved = proxSubproblem(V, bundle, center, t, C, st, admmSteps, tol) && tol === admmTol;
    const model = dot(V.reg, st.Z) + C * bundle.slack(st.Z);
    gap = (fc - model) / fc;
    history.push(gap);
    if (solved && gap <= epsilon) {
      converged = true;
      break;
    }
    const W = Float64Array.from(st.Z);
    at = evaluate(W);
    const predicted = fc - model;
    if (at.f <= fc - 0.1 * predicted) {
      // serious step: the centre moves; a step the model predicted well allows a longer one
      if (fc - at.f >= 0.5 * predicted) t = Math.min(2 * t, 1e6 * t0);
      center.set(W);
      fc = at.f;
      loss = at.loss;
      centerCut = at.cut;
      serious++;
    } else if (at.f > fc) t = Math.max(t / 2, 1e-6 * t0); // null step at a worse point: the model misled, shorten
    centerCut = bundle.evict(params.evictAfter, centerCut);
    ctx?.checkCancelled?.();
    if (ctx?.onProgress && iter % 5 === 0)
      ctx.onProgress({ stage: full ? 'mlr' : 'mlr-diag', done: iter, total: maxIter, detail: `relative gap ${gap.toExponential(2)}` });
  }
  return {
    W: center,
    converged,
    iterations: iter,
    history,
    xi: loss,
    objective: fc,
    workingSet: bundle.size,
    evicted: bundle.evicted,
    admmSteps: st.steps,
    seriousSteps: serious,
    lastGap: gap,
  };
}

/**
 * The exact 1-slack loss at W: max over all rankings of Σ_q ω_q [Δ(y_q, y) − ⟨W, ψ(q, y_q) − ψ(q, y)⟩] (≥ 0),
 * i.e. the violation of the most violated 1-slack constraint, found with the AUC oracle. `W` is d×d
 * row-major (full) or the d diagonal entries.
 */
export function mlrSlack(X: FeatureMatrix, qs: MlrQueries, W: Float64Array, full: boolean): number {
  let total = 0;
  for (let q = 0; q < qs.count; q++) {
    const dp: number[] = [];
    const dn: number[] = [];
    for (let k = qs.start[q]; k < qs.start[q + 1]; k++) {
      (qs.relevant[k] ? dp : dn).push(directDistance(X, qs.anchor[q], qs.cand[k], W, full));
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
          lastGap: sol.lastGap,
          seriousSteps: sol.seriousSteps,
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
