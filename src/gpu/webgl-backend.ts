/**
 * WebGL2 fallback (tfjs-backend-webgl, our own GPGPU fragment programs run by `compileAndRun`).
 *
 * WebGL has no workgroup memory and no barriers, so the sequential projections of one problem cannot
 * share a draw. The batch is processed in lock step instead: projection step k of a sweep handles
 * constraint k of EVERY problem at once with two draws —
 *   1. `Scalars` ([B, 4]): p = ṽᵀW̃ṽ per problem, then α, β, the new λ and ξ, |α|;
 *   2. `RankOne` ([B, d²]): W̃ ← W̃ + β (W̃ṽ)(W̃ṽ)ᵀ for all problems.
 * The (λ, ξ) of constraint k live in the [B, 4] output of step k (one small tensor per step). After a
 * sweep a handful of tfjs ops compute each problem's convergence measure and update the active mask on
 * the GPU; the mask is read back every `checkEvery` sweeps. Problems are in prior-whitened coordinates
 * (pack.ts); shorter problems are padded with void steps (δ = 0).
 *
 * RITML: the ITML calls run batched as above; between them the W̃ blocks (B·d² floats) are read back and
 * the outer step (distances, fulfilment, best-W selection, stretch / bias bounds) runs in float64 on the
 * CPU with the core's own `estimatePairConstraints`, exactly as the reference.
 */
import type * as tfcore from '@tensorflow/tfjs-core';
import type { MathBackendWebGL, GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import type { BackendInfo, ComputeBackend, ItmlProblem, RitmlProblem } from '../core/compute';
import type { ConstraintSet, FeatureMatrix, FitContext, FitResult, SpdMatrix } from '../core/types';
import { estimatePairConstraints, medianOf2 } from '../core/ritml';
import { META, M_COFF, M_CCOUNT, M_MAXSWEEPS, M_ROFF, M_RCOUNT, PROBF, packItml, packRitml, unpackMetric, type PackedBatch } from './pack';
import {
  describeAccumulation, fitPerDimension, NOT_PROBED, pairAddProductSrc, PROBE_PAIRS, probeErrorsExact, twoProductSrc, type EngineStats, type GpuTuning,
  DEFAULT_TUNING,
} from './common';

type TF = typeof tfcore;

/** W̃ element e of problem b: hi (+ lo when W̃ is kept as float32 pairs in a [B, 2·d²] texture). */
function wGet(comp: boolean, DD: number, e: string): string {
  return comp ? `(getW(b, ${e}) + getW(b, ${DD} + ${e}))` : `getW(b, ${e})`;
}

/** ITML's projection of one constraint, in GLSL: reads `p`, `delta`, `gam`, `lam`, `xi`; sets `beta`, `lnew`, `xnew`, `aabs`. */
const PROJECT_GLSL = `
          if (p > 0.0) {
            bool hard = gam > 3.0e38;
            float gp = hard ? 1.0 : gam / (gam + 1.0);
            float ig = hard ? 0.0 : 1.0 / gam;
            float alpha = min(lam, delta * gp * (1.0 / p - 1.0 / xi));
            beta = delta * alpha / (1.0 - delta * alpha * p);
            lnew = lam - alpha;
            xnew = 1.0 / (1.0 / xi + delta * alpha * ig);
            aabs = abs(alpha);
          }`;

/**
 * Step draw 1 ([B, d + 4]): columns 0..d−1 hold u = W̃ṽ, columns d..d+3 hold β, the new λ, the new ξ
 * and |α| (these texels form p = ṽᵀW̃ṽ themselves). The rank-one draw then only reads u and β.
 */
function scalarsProgram(B: number, d: number, comp: boolean): GPGPUProgram {
  return {
    variableNames: ['W', 'V', 'P', 'S', 'A'],
    outputShape: [B, d + 4],
    customUniforms: [{ name: 'kB', type: 'int' }],
    userCode: `
      const int D = ${d};
      void main() {
        ivec2 c = getOutputCoords();
        int b = c.x;
        int col = c.y;
        int row = kB + b;
        if (col < D) {
          float acc = 0.0;
          for (int q = 0; q < D; q++) acc += ${wGet(comp, d * d, 'col * D + q')} * getV(row, q);
          setOutput(acc);
          return;
        }
        float delta = getP(row, 0);
        float gam = getP(row, 1);
        float lam = getS(b, D + 1);
        float xi = getS(b, D + 2);
        float beta = 0.0;
        float lnew = lam;
        float xnew = xi;
        float aabs = 0.0;
        if (getA(b, 0) > 0.5 && delta != 0.0) {
          float p = 0.0;
          for (int r = 0; r < D; r++) {
            float acc = 0.0;
            for (int q = 0; q < D; q++) acc += ${wGet(comp, d * d, 'r * D + q')} * getV(row, q);
            p += getV(row, r) * acc;
          }
          ${PROJECT_GLSL}
        }
        int k = col - D;
        setOutput(k == 0 ? beta : k == 1 ? lnew : k == 2 ? xnew : aabs);
      }`,
  };
}

/**
 * GLSL pieces shared by the programs that update W̃ texel by texel (`rankOneProgram`, `chunkRankKProgram`):
 * `head` reads this texel's element e of problem b into w (and lo, the low half when W̃ is a float32 pair in a
 * [B, 2·d²] texture), `add` adds beta·ur·uq to it (error-free product and TwoSum for pairs), `out` is the value
 * the texel writes (its half of the pair).
 */
function wUpdateSrc(comp: boolean): { head: string; add: string; out: string } {
  return {
    head: `int e = ${comp ? 'c.y >= DD ? c.y - DD : c.y' : 'c.y'};
        float w = getW(b, e);
        float lo = ${comp ? 'getW(b, DD + e)' : '0.0'};`,
    add: comp
      ? `${pairAddProductSrc('glsl', { beta: 'beta', ur: 'ur', uq: 'uq', hi: 'w', lo: 'lo' })}
          w = nh;
          lo = nl;`
      : 'w += beta * (ur * uq);',
    out: comp ? 'c.y >= DD ? lo : w' : 'w',
  };
}

/**
 * W̃ ← W̃ + β (W̃ṽ)(W̃ṽ)ᵀ. With `comp` W̃ is a float32 pair (hi in columns 0..d²−1, lo in d²..2d²−1):
 * the product β·u_r·u_q is formed error-free (Veltkamp/Dekker splitting) and added with TwoSum; each
 * texel computes the pair and writes its half.
 */
function rankOneProgram(B: number, d: number, comp: boolean): GPGPUProgram {
  const DD = d * d;
  const src = wUpdateSrc(comp);
  return {
    variableNames: ['W', 'S'],
    outputShape: [B, comp ? 2 * DD : DD],
    userCode: `
      const int D = ${d};
      const int DD = ${DD};
      ${twoProductSrc('glsl', 'split')}
      void main() {
        ivec2 c = getOutputCoords();
        int b = c.x;
        ${src.head}
        float beta = getS(b, D);
        if (beta != 0.0) {
          int r = e / D;
          int q = e - r * D;
          float ur = getS(b, r);
          float uq = getS(b, q);
          ${src.add}
        }
        setOutput(${src.out});
      }`,
  };
}

/*
 * Chunked engine (tuning.webglChunk = K > 1): K consecutive projection steps in five draws.
 * With u_t = W̃⁽ᵗ⁻¹⁾ṽ_t (W̃ after the chunk's first t updates) and H_rs = u_r·ṽ_s, exact algebra gives
 *   H_rs = G_rs + Σ_{q<r} β_q H_qr H_qs,  G_rs = ṽ_r·(W̃⁽⁰⁾ṽ_s),  p_t = H_tt,
 *   u_t  = W̃⁽⁰⁾ṽ_t + Σ_{r<t} β_r H_rt u_r,   W̃⁽ᴷ⁾ = W̃⁽⁰⁾ + Σ_t β_t u_t u_tᵀ,
 * so the sequential part of the chunk is a K×K recurrence on scalars. The draws: Y = W̃⁽⁰⁾ṽ_t (all t),
 * G, the recurrence (β, λ, ξ, |α| and H per problem), u_t, and the K rank-one updates of W̃ — added to
 * the float32 pair one after another with the same error-free product and TwoSum as the per-step engine.
 */

/** Chunk draw 1 ([B, K·d]): column t·d + i holds (W̃ṽ_t)_i for constraint t of the chunk (V rows cRow + t·B + b). */
function chunkYProgram(B: number, d: number, K: number, comp: boolean): GPGPUProgram {
  return {
    variableNames: ['W', 'V'],
    outputShape: [B, K * d],
    customUniforms: [{ name: 'cRow', type: 'int' }],
    userCode: `
      const int D = ${d};
      void main() {
        ivec2 c = getOutputCoords();
        int b = c.x;
        int t = c.y / D;
        int i = c.y - t * D;
        int row = cRow + t * ${B} + b;
        float acc = 0.0;
        for (int q = 0; q < D; q++) acc += ${wGet(comp, d * d, 'i * D + q')} * getV(row, q);
        setOutput(acc);
      }`,
  };
}

/** Chunk draw 2 ([B, K·K]): G_rs = ṽ_r·Y_s for r ≤ s (0 below the diagonal, never read). */
function chunkGramProgram(B: number, d: number, K: number): GPGPUProgram {
  return {
    variableNames: ['V', 'Y'],
    outputShape: [B, K * K],
    customUniforms: [{ name: 'cRow', type: 'int' }],
    userCode: `
      const int D = ${d};
      const int K = ${K};
      void main() {
        ivec2 c = getOutputCoords();
        int b = c.x;
        int r = c.y / K;
        int s = c.y - r * K;
        if (r > s) {
          setOutput(0.0);
          return;
        }
        int row = cRow + r * ${B} + b;
        float acc = 0.0;
        for (int q = 0; q < D; q++) acc += getV(row, q) * getY(b, s * D + q);
        setOutput(acc);
      }`,
  };
}

/**
 * Chunk draw 3 ([B, 4K + K²]): columns t, K + t, 2K + t, 3K + t hold β, the new λ, the new ξ and |α| of
 * the chunk's constraint t; column 4K + r·K + s holds H_rs (r < s). Each texel runs the recurrence as far
 * as its own value needs (the same operations in the same order in every texel, so all agree).
 */
function chunkRecurrenceProgram(B: number, K: number): GPGPUProgram {
  return {
    variableNames: ['G', 'P', 'S', 'A'],
    outputShape: [B, 4 * K + K * K],
    customUniforms: [{ name: 'cRow', type: 'int' }],
    userCode: `
      const int K = ${K};
      void main() {
        ivec2 c = getOutputCoords();
        int b = c.x;
        int col = c.y;
        int kind;
        int last;
        int hr = -1;
        int hs = -1;
        if (col < 4 * K) {
          kind = col / K;
          last = col - kind * K;
        } else {
          int e = col - 4 * K;
          hr = e / K;
          hs = e - hr * K;
          if (hr >= hs) {
            setOutput(0.0);
            return;
          }
          kind = 4;
          last = hs;
        }
        bool act = getA(b) > 0.5;
        float H[${K * K}];
        float bet[${K}];
        // columns of H this texel needs: 0..lim (and hs)
        int lim = kind == 4 ? hr : last;
        for (int q = 0; q < K; q++) {
          if (q > lim) break;
          for (int s = q; s < K; s++) {
            if (s > last) break;
            if (s > lim && s != hs) continue;
            float h = getG(b, q * K + s);
            for (int r = 0; r < q; r++) {
              if (bet[r] != 0.0) h += bet[r] * H[r * K + q] * H[r * K + s];
            }
            H[q * K + s] = h;
          }
          if (q == hr) {
            setOutput(H[hr * K + hs]);
            return;
          }
          int row = cRow + q * ${B} + b;
          float delta = getP(row, 0);
          float gam = getP(row, 1);
          float lam = getS(b, K + q);
          float xi = getS(b, 2 * K + q);
          float beta = 0.0;
          float lnew = lam;
          float xnew = xi;
          float aabs = 0.0;
          if (act && delta != 0.0) {
            float p = H[q * K + q];
            ${PROJECT_GLSL}
          }
          bet[q] = beta;
          if (q == last) {
            setOutput(kind == 0 ? beta : kind == 1 ? lnew : kind == 2 ? xnew : aabs);
            return;
          }
        }
        setOutput(0.0);
      }`,
  };
}

/** Chunk draw 4 ([B, K·d]): u_t = Y_t + Σ_{r<t} β_r H_rt u_r, column t·d + i. */
function chunkUProgram(B: number, d: number, K: number): GPGPUProgram {
  return {
    variableNames: ['Y', 'R'],
    outputShape: [B, K * d],
    userCode: `
      const int D = ${d};
      const int K = ${K};
      void main() {
        ivec2 c = getOutputCoords();
        int b = c.x;
        int t = c.y / D;
        int i = c.y - t * D;
        float u[${K}];
        for (int q = 0; q < K; q++) {
          if (q > t) break;
          float x = getY(b, q * D + i);
          for (int r = 0; r < q; r++) {
            float br = getR(b, r);
            if (br != 0.0) x += br * getR(b, 4 * K + r * K + q) * u[r];
          }
          u[q] = x;
        }
        setOutput(u[t]);
      }`,
  };
}

/** Chunk draw 5: W̃ ← W̃ + Σ_t β_t u_t u_tᵀ, term by term (float32 pairs as in `rankOneProgram`). */
function chunkRankKProgram(B: number, d: number, K: number, comp: boolean): GPGPUProgram {
  const DD = d * d;
  const src = wUpdateSrc(comp);
  return {
    variableNames: ['W', 'U', 'R'],
    outputShape: [B, comp ? 2 * DD : DD],
    userCode: `
      const int D = ${d};
      const int DD = ${DD};
      const int K = ${K};
      ${twoProductSrc('glsl', 'split')}
      void main() {
        ivec2 c = getOutputCoords();
        int b = c.x;
        ${src.head}
        int r = e / D;
        int q = e - r * D;
        for (int t = 0; t < K; t++) {
          float beta = getR(b, t);
          if (beta != 0.0) {
            float ur = getU(b, t * D + r);
            float uq = getU(b, t * D + q);
            ${src.add}
          }
        }
        setOutput(${src.out});
      }`,
  };
}

/** A [1, 2n] program: the split product errors of n pairs (a, b) given as a [1, 2n] tensor. */
function splitProbeProgram(n: number): GPGPUProgram {
  return {
    variableNames: ['A'],
    outputShape: [1, n],
    userCode: `
      ${twoProductSrc('glsl', 'split')}
      void main() {
        int k = getOutputCoords().y;
        setOutput(twoProd(getA(0, 2 * k), getA(0, 2 * k + 1)).y);
      }`,
  };
}

function fulfilProgram(R: number, d: number): GPGPUProgram {
  return {
    variableNames: ['X', 'Wi', 'C'],
    outputShape: [R],
    userCode: `
      const int D = ${d};
      float quad(int item, int i, int j) {
        float s = 0.0;
        for (int r = 0; r < D; r++) {
          float acc = 0.0;
          for (int k = 0; k < D; k++) acc += getWi(item, r * D + k) * (getX(i, k) - getX(j, k));
          s += (getX(i, r) - getX(j, r)) * acc;
        }
        return s;
      }
      void main() {
        int g = getOutputCoords();
        int item = int(getC(g, 3));
        int a = int(getC(g, 0));
        setOutput(quad(item, a, int(getC(g, 1))) < quad(item, a, int(getC(g, 2))) ? 1.0 : 0.0);
      }`,
  };
}

interface ItmlRun {
  /** W̃ blocks (hi + lo summed in float64 when W̃ is kept as float32 pairs) */
  Wt: Float64Array;
  sweeps: Float32Array;
  converged: Float32Array;
  projections: Float64Array;
  conv: Float32Array;
}

export class WebGlComputeBackend implements ComputeBackend {
  private baseInfo: BackendInfo;
  /** id, precision, renderer; after `ready()` the description also says how W̃ is accumulated */
  get info(): BackendInfo {
    return describeAccumulation(this.baseInfo, this.accumulation);
  }
  readonly stats: EngineStats = { dispatches: 0, readbacks: 0, sweeps: 0, fits: 0 };
  private readonly be: MathBackendWebGL;
  private splitOk: Promise<boolean> | null = null;
  /** how W̃ is accumulated, known after the first fit (the device is probed once) */
  accumulation = NOT_PROBED;
  constructor(
    private readonly tf: TF,
    readonly tuning: GpuTuning = DEFAULT_TUNING,
  ) {
    if (tf.getBackend() !== 'webgl') throw new Error(`WebGlComputeBackend: tfjs backend is '${tf.getBackend()}', not 'webgl'`);
    this.be = tf.backend() as unknown as MathBackendWebGL;
    this.baseInfo = Object.freeze({ id: 'webgl', precision: 'float32', description: webglDescription(this.be) });
  }

  /** Probe the device once (how W̃ will be accumulated), so that `info` states it from the start. */
  async ready(): Promise<this> {
    await this.compensated();
    return this;
  }

  /** Whether this device computes the split product error exactly (else: plain float32 W̃). */
  private async compensated(): Promise<boolean> {
    if (!this.tuning.compensated) {
      this.accumulation = 'float32';
      return false;
    }
    this.splitOk ??= (async () => {
      const pairs = Float32Array.from(PROBE_PAIRS);
      const n = pairs.length / 2;
      const t = this.tf.tensor2d(pairs, [1, 2 * n]);
      const out = this.run(splitProbeProgram(n), [t]);
      try {
        this.stats.readbacks++;
        return probeErrorsExact((await out.data()) as Float32Array);
      } finally {
        t.dispose();
        out.dispose();
      }
    })();
    const ok = await this.splitOk;
    this.accumulation = ok ? 'float32 pairs (split products)' : 'float32 (this device does not split products exactly: no float32 pairs)';
    return ok;
  }

  private run(prog: GPGPUProgram, inputs: tfcore.Tensor[], uniforms?: number[][]): tfcore.Tensor {
    const info = this.be.compileAndRun(prog, inputs, 'float32', uniforms);
    this.stats.dispatches++;
    return this.tf.engine().makeTensorFromTensorInfo(info) as tfcore.Tensor;
  }

  /**
   * Batched ITML on the problems of `p` with the given bounds (length M, aligned with p's pairs),
   * starting from W̃ = I (or `W0`, B·d² floats). Returns the final W̃ blocks and per-problem status.
   */
  private async itml(p: PackedBatch, bounds: Float32Array, ctx: FitContext | undefined, stage: string): Promise<ItmlRun> {
    const tf = this.tf;
    const { B, d } = p;
    let mMax = 0;
    for (let b = 0; b < B; b++) mMax = Math.max(mMax, p.meta[b * META + M_CCOUNT]);
    // K steps per group of draws (chunked engine) or 1 (two draws per step); the state of a group of
    // steps is one [B, SW] tensor with λ in columns lamCol.., |α| in absCol.. (K columns each)
    const K = Math.max(1, Math.floor(this.tuning.webglChunk));
    const chunked = K > 1;
    const nG = Math.ceil(mMax / K);
    const SW = chunked ? 4 * K + K * K : d + 4;
    const lamCol = chunked ? K : d + 1;
    const xiCol = chunked ? 2 * K : d + 2;
    const absCol = chunked ? 3 * K : d + 3;
    const span = chunked ? K : 1; // λ / |α| columns per group
    const rows = Math.max(1, nG * K * B);
    // step-major data: row k·B + b holds constraint k of problem b (void when beyond its count)
    const V = new Float32Array(rows * d);
    const P = new Float32Array(rows * 2);
    const steps0: Float32Array[] = [];
    for (let k = 0; k < nG; k++) steps0.push(new Float32Array(B * SW));
    const maxSweeps = new Float32Array(B);
    const tol = new Float32Array(B);
    for (let b = 0; b < B; b++) {
      const off = p.meta[b * META + M_COFF];
      const cnt = p.meta[b * META + M_CCOUNT];
      maxSweeps[b] = p.meta[b * META + M_MAXSWEEPS];
      tol[b] = p.probF[b * PROBF];
      for (let k = 0; k < cnt; k++) {
        const g = off + k;
        const row = k * B + b;
        const i = p.pidx[3 * g] * d;
        const j = p.pidx[3 * g + 1] * d;
        for (let q = 0; q < d; q++) V[row * d + q] = p.xt[i + q] - p.xt[j + q];
        P[2 * row] = p.pf[2 * g];
        P[2 * row + 1] = p.pf[2 * g + 1];
        steps0[Math.floor(k / K)][SW * b + xiCol + (k % K)] = bounds[g];
      }
    }
    const comp = await this.compensated();
    const DD = d * d;
    const wCols = comp ? 2 * DD : DD;
    const Winit = new Float32Array(B * wCols);
    for (let b = 0; b < B; b++) for (let q = 0; q < d; q++) Winit[b * wCols + q * d + q] = 1;
    const tV = tf.tensor2d(V, [rows, d]);
    const tP = tf.tensor2d(P, [rows, 2]);
    let W: tfcore.Tensor = tf.tensor2d(Winit, [B, wCols]);
    const steps: tfcore.Tensor[] = steps0.map((s) => tf.tensor2d(s, [B, SW]));
    // status: active (1/0), sweeps, converged, last conv — as separate [B] tensors
    let active = tf.ones([B]) as tfcore.Tensor;
    let sweeps = tf.zeros([B]) as tfcore.Tensor;
    let converged = tf.zeros([B]) as tfcore.Tensor;
    let convT = tf.zeros([B]) as tfcore.Tensor;
    let projections = tf.zeros([B]) as tfcore.Tensor;
    let n2old = tf.zeros([B]) as tfcore.Tensor;
    const tMax = tf.tensor1d(maxSweeps);
    const tTol = tf.tensor1d(tol);
    // projections per sweep of each problem (void pairs are never projected)
    const nv = new Float32Array(B);
    for (let row = 0; row < rows; row++) if (P[2 * row] !== 0) nv[row % B]++;
    const nonVoid = tf.tensor1d(nv);
    const progs = chunked
      ? { y: chunkYProgram(B, d, K, comp), g: chunkGramProgram(B, d, K), r: chunkRecurrenceProgram(B, K), u: chunkUProgram(B, d, K), w: chunkRankKProgram(B, d, K, comp) }
      : null;
    const step = chunked ? null : { s: scalarsProgram(B, d, comp), w: rankOneProgram(B, d, comp) };
    const swap = <T extends tfcore.Tensor>(old: T, next: T): T => {
      old.dispose();
      return next;
    };
    try {
      let capSweeps = 0;
      for (let b = 0; b < B; b++) capSweeps = Math.max(capSweeps, maxSweeps[b]);
      for (let s = 0; s < capSweeps; s++) {
        if (progs) {
          for (let c = 0; c < nG; c++) {
            const cRow = [[c * K * B]];
            const Y = this.run(progs.y, [W, tV], cRow);
            const G = this.run(progs.g, [tV, Y], cRow);
            const R = this.run(progs.r, [G, tP, steps[c], active], cRow);
            steps[c].dispose();
            steps[c] = R;
            const U = this.run(progs.u, [Y, R]);
            W = swap(W, this.run(progs.w, [W, U, R]));
            [Y, G, U].forEach((t) => t.dispose());
          }
        } else if (step) {
          const A2 = tf.tidy(() => tf.stack([active, active, active, active], 1));
          for (let k = 0; k < mMax; k++) {
            const st = this.run(step.s, [W, tV, tP, steps[k], A2], [[k * B]]);
            steps[k].dispose();
            steps[k] = st;
            W = swap(W, this.run(step.w, [W, st]));
          }
          A2.dispose();
        }
        // convergence of this sweep, on the GPU
        const next = tf.tidy(() => {
          const all = nG > 0 ? tf.stack(steps, 0) : tf.zeros([1, B, SW]); // [groups, B, SW]
          const l1 = nG > 0 ? tf.sum(tf.slice(all, [0, 0, absCol], [-1, -1, span]), [0, 2]) : tf.zeros([B]);
          const lam = tf.slice(all, [0, 0, lamCol], [-1, -1, span]);
          const n2 = nG > 0 ? tf.sum(tf.square(lam), [0, 2]) : tf.zeros([B]);
          const den = tf.add(tf.sqrt(n2), tf.sqrt(n2old));
          const conv = tf.where(tf.greater(den, 0), tf.div(l1, tf.maximum(den, 1e-38)), tf.zerosLike(den));
          const ok = tf.logicalOr(tf.lessEqual(den, 0), tf.less(conv, tTol));
          const act = tf.greater(active, 0.5);
          const sw = tf.add(sweeps, active);
          const stop = tf.logicalOr(ok, tf.greaterEqual(sw, tMax));
          const proj = tf.add(projections, tf.mul(active, nonVoid));
          return {
            active: tf.cast(tf.logicalAnd(act, tf.logicalNot(stop)), 'float32'),
            sweeps: sw,
            converged: tf.where(act, tf.cast(ok, 'float32'), converged),
            conv: tf.where(act, conv, convT),
            n2old: tf.where(act, n2, n2old),
            projections: proj,
          };
        });
        this.stats.dispatches += 8;
        active = swap(active, next.active);
        sweeps = swap(sweeps, next.sweeps);
        converged = swap(converged, next.converged);
        convT = swap(convT, next.conv);
        n2old = swap(n2old, next.n2old);
        projections = swap(projections, next.projections);
        if ((s + 1) % this.tuning.checkEvery === 0 || s + 1 === capSweeps) {
          this.stats.readbacks++;
          const a = (await active.data()) as Float32Array;
          const live = a.reduce((x, y) => x + y, 0);
          ctx?.onProgress?.({ stage, done: B - live, total: B, detail: `sweep ${s + 1}` });
          if (live === 0) break;
          if (ctx?.checkpoint) await ctx.checkpoint();
          ctx?.checkCancelled?.();
        }
      }
      this.stats.readbacks += 5;
      const Wraw = (await W.data()) as Float32Array;
      const Wt = new Float64Array(B * DD);
      for (let b = 0; b < B; b++) for (let e = 0; e < DD; e++) Wt[b * DD + e] = Wraw[b * wCols + e] + (comp ? Wraw[b * wCols + DD + e] : 0);
      return {
        Wt,
        sweeps: (await sweeps.data()) as Float32Array,
        converged: (await converged.data()) as Float32Array,
        conv: (await convT.data()) as Float32Array,
        projections: Float64Array.from((await projections.data()) as Float32Array),
      };
    } finally {
      [tV, tP, W, active, sweeps, converged, convT, projections, n2old, tMax, tTol, nonVoid, ...steps].forEach((t) => t.dispose());
    }
  }

  fitItmlBatch(problems: readonly ItmlProblem[], ctx?: FitContext): Promise<FitResult[]> {
    return fitPerDimension(problems, async (items) => {
      const p = packItml(items);
      const r = await this.itml(p, p.bound, ctx, 'itml');
      this.stats.fits += p.B;
      return items.map((_, b): FitResult => {
        const m = unpackMetric(r.Wt, b * p.d * p.d, p.d, p.L[b]);
        this.stats.sweeps += r.sweeps[b];
        return {
          W: m.W,
          converged: r.converged[b] !== 0,
          iterations: r.sweeps[b],
          history: [r.conv[b]],
          info: { backend: 'webgl', precision: 'float32', accumulation: this.accumulation, projections: r.projections[b], positiveDefinite: m.pd, finite: m.finite, whitened: p.L[b] !== null, batchSize: p.B },
        };
      });
    });
  }

  fitRitmlBatch(problems: readonly RitmlProblem[], ctx?: FitContext): Promise<FitResult[]> {
    return fitPerDimension(problems, (items) => this.ritmlGroup(items, ctx));
  }

  private async ritmlGroup(problems: readonly RitmlProblem[], ctx?: FitContext): Promise<FitResult[]> {
    const p = packRitml(problems);
    const { B, d } = p;
    const DD = d * d;
    // per-problem outer state (float64, CPU)
    const Wt: Float64Array[] = problems.map(() => {
      const w = new Float64Array(DD);
      for (let q = 0; q < d; q++) w[q * d + q] = 1;
      return w;
    });
    const best = Wt.map((w) => Float64Array.from(w));
    const bestScore = new Float64Array(B);
    const bestIter = new Int32Array(B);
    const history: number[][] = problems.map(() => []);
    const done = new Uint8Array(B);
    const stopped = new Uint8Array(B);
    const outerDone = new Int32Array(B);
    const sweeps = new Float64Array(B);
    const projections = new Float64Array(B);
    const bounds = Float32Array.from(p.bound);
    const rel = (b: number) => ({ off: p.meta[b * META + M_ROFF], cnt: p.meta[b * META + M_RCOUNT] });
    // distances (whitened coordinates, float64) of problem b's relative constraints under W̃
    const distances = (b: number, w: Float64Array) => {
      const { off, cnt } = rel(b);
      const dn = new Float64Array(cnt);
      const df = new Float64Array(cnt);
      const v = new Float64Array(d);
      const quad = (i: number, j: number) => {
        for (let q = 0; q < d; q++) v[q] = p.xt[i * d + q] - p.xt[j * d + q];
        let s = 0;
        for (let r = 0; r < d; r++) {
          let acc = 0;
          for (let q = 0; q < d; q++) acc += w[r * d + q] * v[q];
          s += v[r] * acc;
        }
        return s;
      };
      for (let r = 0; r < cnt; r++) {
        const g = off + r;
        dn[r] = quad(p.rel[3 * g], p.rel[3 * g + 1]);
        df[r] = quad(p.rel[3 * g], p.rel[3 * g + 2]);
      }
      return { dn, df };
    };
    const setBounds = (b: number, dn: Float64Array, df: Float64Array) => {
      const P = p.params[b]!;
      const problem = problems[b];
      const est = estimatePairConstraints(problem.train, dn, df, P);
      const off = p.meta[b * META + M_COFF];
      bounds.set(Float32Array.from(est.pairs.bound), off);
      void medianOf2;
    };
    for (let b = 0; b < B; b++) {
      const { dn, df } = distances(b, Wt[b]);
      let ok = 0;
      for (let r = 0; r < dn.length; r++) if (dn[r] < df[r]) ok++;
      bestScore[b] = ok / dn.length;
      history[b].push(bestScore[b]);
      if (!(p.meta[b * 8 + 7] & 4)) setBounds(b, dn, df);
    }
    for (let t = 1; ; t++) {
      const liveIdx: number[] = [];
      for (let b = 0; b < B; b++) if (!done[b]) liveIdx.push(b);
      if (liveIdx.length === 0) break;
      // ITML for the live problems (all of them start from W̃ = I unless warmStart)
      const sub = packRitml(liveIdx.map((b) => problems[b]));
      const subBounds = new Float32Array(sub.M);
      liveIdx.forEach((b, q) => {
        const src = p.meta[b * META + M_COFF];
        const dst = sub.meta[q * META + M_COFF];
        subBounds.set(bounds.subarray(src, src + p.meta[b * META + M_CCOUNT]), dst);
      });
      const warm = liveIdx.some((b) => p.params[b]!.warmStart);
      if (warm) throw new Error('webgl RITML: warmStart is not supported by the WebGL engine (use webgpu or cpu)');
      // progress: RITML problems finished so far, and where the live ones are
      const finished = B - liveIdx.length;
      const subCtx: FitContext | undefined = ctx && {
        ...ctx,
        onProgress: (q) => ctx.onProgress?.({ stage: 'ritml', done: finished, total: B, detail: `outer ${t}, ${q.detail ?? ''}`.trim() }),
      };
      const r = await this.itml(sub, subBounds, subCtx, 'ritml');
      liveIdx.forEach((b, q) => {
        const P = p.params[b]!;
        const w = Wt[b];
        for (let e = 0; e < DD; e++) w[e] = r.Wt[q * DD + e];
        for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) w[i * d + j] = w[j * d + i] = 0.5 * (w[i * d + j] + w[j * d + i]);
        sweeps[b] += r.sweeps[q];
        projections[b] += r.projections[q];
        const { dn, df } = distances(b, w);
        let ok = 0;
        for (let k = 0; k < dn.length; k++) if (dn[k] < df[k]) ok++;
        const score = ok / dn.length;
        history[b].push(score);
        outerDone[b] = t;
        if (!P.selectBest || score > bestScore[b]) {
          bestScore[b] = score;
          best[b].set(w);
          bestIter[b] = t;
        } else {
          stopped[b] = 1;
          done[b] = 1;
        }
        if (t >= P.outer) done[b] = 1;
        if (!done[b]) setBounds(b, dn, df);
      });
      let lastSweeps = 0;
      for (let q = 0; q < liveIdx.length; q++) lastSweeps = Math.max(lastSweeps, r.sweeps[q]);
      ctx?.onProgress?.({ stage: 'ritml', done: done.reduce((a, x) => a + x, 0), total: B, detail: `outer ${t}, sweep ${lastSweeps}` });
    }
    this.stats.fits += B;
    return problems.map((_, b) => {
      const params = p.params[b]!;
      const m = unpackMetric(best[b], 0, d, p.L[b]);
      this.stats.sweeps += sweeps[b];
      return {
        W: m.W,
        converged: stopped[b] === 1,
        iterations: stopped[b] ? outerDone[b] : params.outer,
        history: history[b],
        info: {
          trainFulfilment: bestScore[b], bestIteration: bestIter[b], sweeps: sweeps[b], projections: projections[b], params,
          backend: 'webgl', precision: 'float32', accumulation: this.accumulation, positiveDefinite: m.pd, finite: m.finite, whitened: p.L[b] !== null, batchSize: B,
        },
      };
    });
  }

  async scoreBatch(X: FeatureMatrix, items: readonly { W: SpdMatrix; constraints: ConstraintSet }[]): Promise<number[]> {
    if (items.length === 0) return [];
    const tf = this.tf;
    const d = X.cols;
    let R = 0;
    items.forEach((it, k) => {
      if (it.W.rows !== d) throw new Error(`scoreBatch item ${k}: W is ${it.W.rows}×${it.W.cols}, X has d = ${d}`);
      if (it.constraints.count === 0) throw new Error(`scoreBatch item ${k}: cannot score an empty constraint set`);
      R += it.constraints.count;
    });
    const C = new Float32Array(4 * R);
    const Wi = new Float32Array(items.length * d * d);
    let o = 0;
    items.forEach((it, b) => {
      Wi.set(it.W.data, b * d * d);
      const c = it.constraints;
      for (let r = 0; r < c.count; r++, o++) {
        C[4 * o] = c.a[r];
        C[4 * o + 1] = c.n[r];
        C[4 * o + 2] = c.f[r];
        C[4 * o + 3] = b;
      }
    });
    const tX = tf.tensor2d(Float32Array.from(X.data), [X.rows, d]);
    const tW = tf.tensor2d(Wi, [items.length, d * d]);
    const tC = tf.tensor2d(C, [R, 4]);
    const ok = this.run(fulfilProgram(R, d), [tX, tW, tC]);
    try {
      this.stats.readbacks++;
      const v = (await ok.data()) as Float32Array;
      const counts = new Float64Array(items.length);
      for (let g = 0; g < R; g++) counts[C[4 * g + 3]] += v[g];
      return items.map((it, b) => counts[b] / it.constraints.count);
    } finally {
      [tX, tW, tC, ok].forEach((t) => t.dispose());
    }
  }

  dispose(): void {}
}

export function webglDescription(be: MathBackendWebGL): string {
  try {
    const gl = (be as unknown as { gpgpu: { gl: WebGL2RenderingContext } }).gpgpu.gl;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const r = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    return `WebGL2: ${String(r)}`;
  } catch {
    return 'WebGL2';
  }
}
