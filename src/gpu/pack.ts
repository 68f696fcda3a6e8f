/**
 * Packing many ITML / RITML problems into flat float32 / int32 arrays for the batched GPU engines
 * (pure TypeScript, no tfjs). All float64 preparation happens here: each problem is moved into
 * prior-whitened coordinates (METHOD.md §3: Wp = L Lᵀ, x ↦ Lᵀx, prior I), so the GPU always starts
 * from W̃ = I and the learned W̃ maps back as W = L W̃ Lᵀ in float64 (`unpackMetric`).
 *
 * Problems that share the same X object and the same prior object share one whitened block of rows.
 */
import type { ItmlProblem, RitmlProblem } from '../core/compute';
import { identity } from '../core/matrix';
import { identicalPairs } from '../core/itml';
import { unwhitenMetric, whiteningFromPrior, isPositiveDefinite } from '../core/linalg';
import { estimatePairConstraints, firstBounds, percentilePairs, ritmlParams, type RitmlParams } from '../core/ritml';
import type { FeatureMatrix, Matrix, SpdMatrix } from '../core/types';

/** ints per problem in `meta` */
export const META = 8;
/** meta fields */
export const M_XROW = 0;
export const M_COFF = 1;
export const M_CCOUNT = 2;
export const M_MAXSWEEPS = 3;
export const M_ROFF = 4;
export const M_RCOUNT = 5;
export const M_OUTER = 6;
/** bit flags (F_*) */
export const M_FLAGS = 7;
export const F_WARM_START = 1;
export const F_SELECT_BEST = 2;
/** the first bounds are ITML's percentile bounds (packed in `bound`), not estimated from W̃ = I */
export const F_PERCENTILE = 4;
/** the prior (iteration 0) is no candidate of the best-iterate selection (RitmlParams.priorCompetes = false) */
export const F_NO_PRIOR = 8;
/** floats per problem in `probF`: tol, stretch, bias, epsilon */
export const PROBF = 4;
export const P_TOL = 0;
export const P_STRETCH = 1;
export const P_BIAS = 2;
export const P_EPS = 3;
/** ints per pair constraint in `pidx`: i, j (absolute rows of xt), the relative constraint (or −1) */
export const PIDX = 3;
export const PI_I = 0;
export const PI_J = 1;
export const PI_REL = 2;
/** floats per pair constraint in `pf`: delta (±1, 0 = void pair), gamma */
export const PF = 2;
export const PF_DELTA = 0;
export const PF_GAMMA = 1;
/** ints per relative constraint in `rel`: anchor, nearer, farther (absolute rows of xt) */
export const REL = 3;
export const R_A = 0;
export const R_N = 1;
export const R_F = 2;
/** floats per problem in the status block of the state buffer */
export const S = 16;
export const ST_ITML_DONE = 0;
export const ST_SWEEPS = 1;
export const ST_CONV = 2;
export const ST_CONVERGED = 3;
export const ST_TOTAL_SWEEPS = 4;
export const ST_PROJ = 5;
export const ST_RITML_DONE = 6;
export const ST_OUTER = 7;
export const ST_BEST = 8;
export const ST_BEST_ITER = 9;
export const ST_STOPPED = 10;
export const ST_TOTAL_PROJ = 11;

/** The integer layout constants above, by name: shader sources declare them from here (`wgslLayout`). */
export const LAYOUT: Readonly<Record<string, number>> = Object.freeze({
  META,
  M_XROW,
  M_COFF,
  M_CCOUNT,
  M_MAXSWEEPS,
  M_ROFF,
  M_RCOUNT,
  M_OUTER,
  M_FLAGS,
  F_WARM_START,
  F_SELECT_BEST,
  F_PERCENTILE,
  F_NO_PRIOR,
  PROBF,
  P_TOL,
  P_STRETCH,
  P_BIAS,
  P_EPS,
  PIDX,
  PI_I,
  PI_J,
  PI_REL,
  PF,
  PF_DELTA,
  PF_GAMMA,
  REL,
  R_A,
  R_N,
  R_F,
  S,
  ST_ITML_DONE,
  ST_SWEEPS,
  ST_CONV,
  ST_CONVERGED,
  ST_TOTAL_SWEEPS,
  ST_PROJ,
  ST_RITML_DONE,
  ST_OUTER,
  ST_BEST,
  ST_BEST_ITER,
  ST_STOPPED,
  ST_TOTAL_PROJ,
});

/** WGSL declarations of every layout constant (`const M_COFF : i32 = 1;` ...), generated from `LAYOUT`. */
export function wgslLayout(): string {
  return Object.entries(LAYOUT)
    .map(([k, v]) => `const ${k} : i32 = ${v};`)
    .join('\n');
}

/**
 * Pairs of coinciding points (`identicalPairs` of the float64 core: ‖x_i − x_j‖ = 0 or below 1e-9 × the
 * largest pair distance of the problem, in the original coordinates) are void: packed with delta = 0,
 * never projected, λ stays 0. On the GPU a projection whose float32 p = ṽᵀW̃ṽ is not above P_SKIP is
 * skipped as well (cannot happen for W̃ ≻ 0 and ṽ ≠ 0 except by underflow).
 */
export const P_SKIP = 0;

/** Number of void pairs (delta = 0: identical points) of problem b in a packed batch. */
export function voidPairsOf(p: PackedBatch, b: number): number {
  const off = p.meta[b * META + M_COFF];
  const count = p.meta[b * META + M_CCOUNT];
  let k = 0;
  for (let g = off; g < off + count; g++) if (p.pf[PF * g + PF_DELTA] === 0) k++;
  return k;
}

export interface PackedBatch {
  readonly kind: 'itml' | 'ritml';
  readonly B: number;
  readonly d: number;
  /** whitened rows of all distinct (X, prior) blocks, row-major n_total × d */
  readonly xt: Float32Array;
  readonly meta: Int32Array;
  readonly probF: Float32Array;
  /** per pair constraint: i, j (absolute rows of xt), rel (absolute relative-constraint index or −1) */
  readonly pidx: Int32Array;
  /** per pair constraint: delta (±1), gamma */
  readonly pf: Float32Array;
  /** initial bounds (ITML: given; RITML: percentile bounds if asked, else filled by the estimate kernel) */
  readonly bound: Float32Array;
  /** RITML: relative constraints a, n, f (absolute rows), 3 per constraint */
  readonly rel: Int32Array;
  readonly M: number;
  readonly R: number;
  /** largest outer T in the batch (history length T+1) */
  readonly outerMax: number;
  /** whitening factor L of each problem (Wp = L Lᵀ), null for the identity prior */
  readonly L: readonly (Matrix | null)[];
  /**
   * Per problem: the factor σ² its bounds are multiplied by, where σ is the power of two its block's rows are
   * multiplied by (`blockScale`; 1 for rows of ordinary size). Whatever bounds are uploaded later (WebGL's
   * RITML) must be multiplied by it too. W̃ does not change under this scaling, so nothing maps back.
   */
  readonly boundScale: Float64Array;
  readonly params: readonly (RitmlParams | null)[];
}

/** State buffer layout shared by the WebGPU kernels and the host. */
export interface StateLayout {
  readonly offBW: number;
  readonly offL: number;
  readonly offXi: number;
  readonly offBd: number;
  readonly offS: number;
  readonly offDn: number;
  readonly offDf: number;
  readonly offH: number;
  /** low parts of W̃ (the float32-pair accumulation; zero when it is off) */
  readonly offLo: number;
  readonly length: number;
}

export function stateLayout(p: PackedBatch): StateLayout {
  const DD = p.d * p.d;
  const offBW = p.B * DD;
  const offL = offBW + (p.kind === 'ritml' ? p.B * DD : 0);
  const offXi = offL + p.M;
  const offBd = offXi + p.M;
  const offS = offBd + p.M;
  const offDn = offS + p.B * S;
  const offDf = offDn + p.R;
  const offH = offDf + p.R;
  const offLo = offH + (p.kind === 'ritml' ? p.B * (p.outerMax + 1) : 0);
  const length = offLo + p.B * DD;
  return { offBW, offL, offXi, offBd, offS, offDn, offDf, offH, offLo, length };
}

/** Initial state: W̃ = I, λ = 0, ξ = bound, status zero (RITML: the estimate kernel resets it anyway). */
export function initialState(p: PackedBatch, lay: StateLayout): Float32Array {
  const s = new Float32Array(lay.length);
  const d = p.d;
  for (let b = 0; b < p.B; b++) for (let k = 0; k < d; k++) s[b * d * d + k * d + k] = 1;
  s.set(p.bound, lay.offXi);
  s.set(p.bound, lay.offBd);
  return s;
}

interface Block {
  row0: number;
  /** σ: the power of two the rows were multiplied by */
  scale: number;
  rows: Float64Array;
  n: number;
  L: Matrix | null;
}

class BlockTable {
  private readonly byX = new Map<FeatureMatrix, Map<SpdMatrix | null, Block>>();
  readonly blocks: Block[] = [];
  rows = 0;
  constructor(readonly d: number) {}
  get(X: FeatureMatrix, prior: SpdMatrix | null, where: string): Block {
    if (X.cols !== this.d) throw new Error(`${where}: X has ${X.cols} columns, the batch has d = ${this.d}`);
    let m = this.byX.get(X);
    if (!m) {
      m = new Map();
      this.byX.set(X, m);
    }
    let blk = m.get(prior);
    if (blk) return blk;
    let rows: Float64Array = X.data;
    let L: Matrix | null = null;
    if (prior) {
      if (prior.rows !== this.d || prior.cols !== this.d) throw new Error(`${where}: prior is ${prior.rows}×${prior.cols}, expected ${this.d}×${this.d}`);
      ({ L } = whiteningFromPrior(prior));
      rows = whitenRows(X, L);
    }
    const scale = blockScale(rows);
    if (scale !== 1) rows = rows.map((v) => v * scale);
    blk = { row0: this.rows, rows, n: X.rows, L, scale };
    this.rows += X.rows;
    m.set(prior, blk);
    this.blocks.push(blk);
    return blk;
  }
  pack(): Float32Array {
    const out = new Float32Array(this.rows * this.d);
    for (const b of this.blocks) out.set(b.rows, b.row0 * this.d);
    return out;
  }
}

/** Rows whose largest |value| lies in [2^-16, 2^16] are packed as they are. */
const PLAIN_RANGE = 16;

/**
 * The power of two σ that brings a block's largest |value| near 1 when it lies outside [2^-16, 2^16] (else 1).
 * ITML and RITML on X̃·σ with bounds·σ² learn the same W̃ (p, ξ scale by σ², λ by σ⁻², W̃ not at all), and a
 * power of two scales every float32 operation exactly — but λ² and p no longer under/overflow float32, so the
 * GPU engines do not depend on the features' scale (issue 12 item 8).
 */
function blockScale(rows: Float64Array): number {
  let big = 0;
  for (let k = 0; k < rows.length; k++) big = Math.max(big, Math.abs(rows[k]));
  if (!(big > 0) || big === Infinity) return 1;
  const e = Math.floor(Math.log2(big));
  return Math.abs(e) <= PLAIN_RANGE ? 1 : 2 ** Math.max(-1000, Math.min(1000, -e));
}

/** X̃ = X L (rows x ↦ Lᵀx), float64. */
function whitenRows(X: Matrix, L: Matrix): Float64Array {
  const n = X.rows;
  const d = X.cols;
  const out = new Float64Array(n * d);
  const x = X.data;
  const l = L.data;
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let c = 0; c < d; c++) {
      let s = 0;
      // L lower: column c has entries rows k ≥ c
      for (let k = c; k < d; k++) s += x[o + k] * l[k * d + c];
      out[o + c] = s;
    }
  }
  return out;
}

function commonD(problems: readonly { X: FeatureMatrix }[], what: string): number {
  if (problems.length === 0) throw new Error(`${what}: empty batch`);
  const d = problems[0].X.cols;
  problems.forEach((p, k) => {
    if (p.X.cols !== d) throw new Error(`${what}: problem ${k} has d = ${p.X.cols}, problem 0 has d = ${d} (group problems by d)`);
  });
  return d;
}

export function packItml(problems: readonly ItmlProblem[]): PackedBatch {
  const d = commonD(problems, 'packItml');
  const B = problems.length;
  const table = new BlockTable(d);
  let M = 0;
  for (const p of problems) M += p.constraints.count;
  const meta = new Int32Array(B * META);
  const probF = new Float32Array(B * PROBF);
  const pidx = new Int32Array(M * PIDX);
  const pf = new Float32Array(M * PF);
  const bound = new Float32Array(M);
  const Ls: (Matrix | null)[] = [];
  const boundScale = new Float64Array(B);
  let off = 0;
  problems.forEach((p, b) => {
    const where = `itml problem ${b}`;
    const blk = table.get(p.X, p.prior, where);
    Ls.push(blk.L);
    boundScale[b] = blk.scale * blk.scale;
    const c = p.constraints;
    const o = p.options as { gamma?: number; tol?: number; maxSweeps?: number; gammas?: ArrayLike<number> };
    const gamma = o.gamma ?? 1;
    const tol = o.tol ?? 1e-3;
    const maxSweeps = o.maxSweeps ?? 100000;
    if (!(gamma > 0)) throw new Error(`${where}: gamma must be > 0, got ${gamma}`);
    if (o.gammas && o.gammas.length !== c.count) throw new Error(`${where}: gammas has ${o.gammas.length} values for ${c.count} constraints`);
    meta[b * META + M_XROW] = blk.row0;
    meta[b * META + M_COFF] = off;
    meta[b * META + M_CCOUNT] = c.count;
    meta[b * META + M_MAXSWEEPS] = maxSweeps;
    probF[b * PROBF + P_TOL] = tol;
    for (let k = 0; k < c.count; k++) {
      const i = c.i[k];
      const j = c.j[k];
      if (i < 0 || i >= blk.n || j < 0 || j >= blk.n)
        throw new Error(`${where}: constraint ${k} refers to row ${i < 0 || i >= blk.n ? i : j}, X has ${blk.n} rows`);
      if (!(c.bound[k] > 0)) throw new Error(`${where}: constraint ${k} has bound ${c.bound[k]} (must be > 0)`);
    }
    const identical = identicalPairs(p.X, c);
    for (let k = 0; k < c.count; k++) {
      const g = off + k;
      pidx[PIDX * g + PI_I] = blk.row0 + c.i[k];
      pidx[PIDX * g + PI_J] = blk.row0 + c.j[k];
      pidx[PIDX * g + PI_REL] = -1;
      pf[PF * g + PF_DELTA] = identical[k] ? 0 : c.delta[k] > 0 ? 1 : -1;
      pf[PF * g + PF_GAMMA] = o.gammas ? o.gammas[k] : gamma;
      bound[g] = c.bound[k] * boundScale[b];
    }
    off += c.count;
  });
  return {
    kind: 'itml',
    B,
    d,
    xt: table.pack(),
    meta,
    probF,
    pidx,
    pf,
    bound,
    rel: new Int32Array(0),
    M,
    R: 0,
    outerMax: 0,
    L: Ls,
    boundScale,
    params: problems.map(() => null),
  };
}

export function packRitml(problems: readonly RitmlProblem[]): PackedBatch {
  const d = commonD(problems, 'packRitml');
  const B = problems.length;
  const table = new BlockTable(d);
  const params = problems.map((p, b) => {
    try {
      return ritmlParams(p.params);
    } catch (e) {
      throw new Error(`ritml problem ${b}: ${(e as Error).message}`);
    }
  });
  let M = 0;
  let R = 0;
  problems.forEach((p, b) => {
    if (p.train.count === 0) throw new Error(`ritml problem ${b}: no training constraints`);
    R += p.train.count;
    for (let r = 0; r < p.train.count; r++) M += 2 * (params[b].weighting === 'replicate' ? Math.max(1, Math.round(p.train.weight[r])) : 1);
  });
  const meta = new Int32Array(B * META);
  const probF = new Float32Array(B * PROBF);
  const pidx = new Int32Array(M * PIDX);
  const pf = new Float32Array(M * PF);
  const bound = new Float32Array(M);
  const rel = new Int32Array(R * REL);
  const Ls: (Matrix | null)[] = [];
  const boundScale = new Float64Array(B);
  let outerMax = 0;
  let cOff = 0;
  let rOff = 0;
  problems.forEach((p, b) => {
    const where = `ritml problem ${b}`;
    const P = params[b];
    const blk = table.get(p.X, p.prior, where);
    Ls.push(blk.L);
    boundScale[b] = blk.scale * blk.scale;
    const c = p.train;
    for (let r = 0; r < c.count; r++) {
      for (const v of [c.a[r], c.n[r], c.f[r]]) if (v < 0 || v >= blk.n) throw new Error(`${where}: constraint ${r} refers to row ${v}, X has ${blk.n} rows`);
      rel[REL * (rOff + r) + R_A] = blk.row0 + c.a[r];
      rel[REL * (rOff + r) + R_N] = blk.row0 + c.n[r];
      rel[REL * (rOff + r) + R_F] = blk.row0 + c.f[r];
    }
    // the pair list exactly as estimatePairConstraints builds it (interleaved, replicated)
    const dn = new Float64Array(c.count).fill(1);
    const df = new Float64Array(c.count).fill(2);
    let est = estimatePairConstraints(c, dn, df, P);
    let percentile = false;
    if (firstBounds(P, p.prior) === 'percentile') {
      est = percentilePairs(p.X, c, p.prior, P);
      percentile = true;
    }
    const pairs = est.pairs;
    const identical = identicalPairs(p.X, pairs);
    // relative index of each pair: pairs come in (similar, dissimilar) couples, reps per constraint
    let g = cOff;
    for (let r = 0; r < c.count; r++) {
      const reps = P.weighting === 'replicate' ? Math.max(1, Math.round(c.weight[r])) : 1;
      for (let k = 0; k < 2 * reps; k++, g++) {
        const q = g - cOff;
        pidx[PIDX * g + PI_I] = blk.row0 + pairs.i[q];
        pidx[PIDX * g + PI_J] = blk.row0 + pairs.j[q];
        pidx[PIDX * g + PI_REL] = rOff + r;
        pf[PF * g + PF_DELTA] = identical[q] ? 0 : pairs.delta[q] > 0 ? 1 : -1;
        pf[PF * g + PF_GAMMA] = est.gammaScale ? est.gammaScale[q] * P.gamma : P.gamma;
        bound[g] = percentile ? pairs.bound[q] * boundScale[b] : 1;
      }
    }
    meta[b * META + M_XROW] = blk.row0;
    meta[b * META + M_COFF] = cOff;
    meta[b * META + M_CCOUNT] = pairs.count;
    meta[b * META + M_MAXSWEEPS] = P.maxSweeps;
    meta[b * META + M_ROFF] = rOff;
    meta[b * META + M_RCOUNT] = c.count;
    meta[b * META + M_OUTER] = P.outer;
    meta[b * META + M_FLAGS] =
      (P.warmStart ? F_WARM_START : 0) | (P.selectBest ? F_SELECT_BEST : 0) | (percentile ? F_PERCENTILE : 0) | (P.priorCompetes ? 0 : F_NO_PRIOR);
    probF[b * PROBF + P_TOL] = P.tol;
    probF[b * PROBF + P_STRETCH] = P.stretch;
    probF[b * PROBF + P_BIAS] = P.bias;
    probF[b * PROBF + P_EPS] = P.epsilon;
    outerMax = Math.max(outerMax, P.outer);
    cOff += pairs.count;
    rOff += c.count;
  });
  return { kind: 'ritml', B, d, xt: table.pack(), meta, probF, pidx, pf, bound, rel, M, R, outerMax, L: Ls, boundScale, params };
}

/**
 * Map a learned whitened metric back: W = L W̃ Lᵀ in float64 (W̃ symmetrised), and check positive
 * definiteness in float64. Returns the metric and whether it is positive definite.
 */
export function unpackMetric(Wt32: Float32Array | Float64Array, offset: number, d: number, L: Matrix | null): { W: SpdMatrix; pd: boolean; finite: boolean } {
  const Wt = new Float64Array(d * d);
  let finite = true;
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      const v = 0.5 * (Wt32[offset + r * d + c] + Wt32[offset + c * d + r]);
      if (!Number.isFinite(v)) finite = false;
      Wt[r * d + c] = v;
    }
  }
  if (!finite) return { W: identity(d), pd: false, finite };
  const M: Matrix = { rows: d, cols: d, data: Wt };
  const W = L ? unwhitenMetric(M, L) : (M as SpdMatrix);
  return { W, pd: isPositiveDefinite(W), finite };
}
