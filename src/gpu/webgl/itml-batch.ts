/**
 * The WebGL engine's batched ITML (float32, prior-whitened coordinates, W̃ = I at the start): all
 * problems of a packed batch in lock step. WebGL has no workgroup memory and no barriers, so the
 * sequential projections of one problem cannot share a draw; projection step k of a sweep handles
 * constraint k of EVERY problem at once (shorter problems are padded with void steps, δ = 0):
 *   per-step engine (tuning.webglChunk = 1): two draws per step — `scalarsProgram` (W̃ṽ, p = ṽᵀW̃ṽ, α, β,
 *     the new λ and ξ, |α|) and `rankOneProgram` (W̃ ← W̃ + β (W̃ṽ)(W̃ṽ)ᵀ);
 *   chunked engine (K = webglChunk > 1): K consecutive steps in five draws. With u_t = W̃⁽ᵗ⁻¹⁾ṽ_t (W̃ after
 *     the chunk's first t updates) and H_rs = u_r·ṽ_s, exact algebra gives
 *       H_rs = G_rs + Σ_{q<r} β_q H_qr H_qs,  G_rs = ṽ_r·(W̃⁽⁰⁾ṽ_s),  p_t = H_tt,
 *       u_t  = W̃⁽⁰⁾ṽ_t + Σ_{r<t} β_r H_rt u_r,   W̃⁽ᴷ⁾ = W̃⁽⁰⁾ + Σ_t β_t u_t u_tᵀ,
 *     so the sequential part of a chunk is a K×K recurrence on scalars. The draws: Y = W̃⁽⁰⁾ṽ_t (all t),
 *     G, the recurrence (β, λ, ξ, |α| and H per problem), u_t, and the K rank-one updates of W̃ — added to
 *     the float32 pair one after another with the same error-free product and TwoSum as the per-step engine.
 * The (λ, ξ) of a group of steps live in that group's [B, SW] output. After a sweep a handful of tfjs ops
 * compute each problem's convergence measure and update the active mask on the GPU; the mask is read
 * back every `checkEvery` sweeps.
 *
 * `WebGlItmlBatch` uploads the step-major differences ṽ, δ, γ, the caps and W̃ = I ONCE; each `run`
 * uploads only the bounds (and which problems take part), so RITML's outer iterations re-use it.
 */
import type * as tfcore from '@tensorflow/tfjs-core';
import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import type { FitContext } from '../../core/types';
import type { EngineStats, GpuTuning } from '../common';
import { META, M_CCOUNT, M_COFF, M_MAXSWEEPS, PF, PF_DELTA, PF_GAMMA, PI_I, PI_J, PIDX, PROBF, P_TOL, type PackedBatch } from '../pack';
import { chunkGramProgram } from './chunk-gram';
import { chunkRankKProgram } from './chunk-rank-k';
import { chunkRecurrenceProgram } from './chunk-recurrence';
import { chunkUProgram } from './chunk-u';
import { chunkYProgram } from './chunk-y';
import { rankOneProgram } from './rank-one';
import { scalarsProgram } from './scalars';

type TF = typeof tfcore;

/** What the batch needs of its backend: tfjs, a program runner (counted), the counters and the tuning. */
export interface WebGlRunner {
  readonly tf: TF;
  readonly stats: EngineStats;
  readonly tuning: GpuTuning;
  draw(prog: GPGPUProgram, inputs: tfcore.Tensor[], uniforms?: number[][]): tfcore.Tensor;
}

export interface ItmlRun {
  /** W̃ blocks (hi + lo summed in float64 when W̃ is kept as float32 pairs) */
  Wt: Float64Array;
  sweeps: Float32Array;
  converged: Float32Array;
  projections: Float64Array;
  conv: Float32Array;
}

/** Columns of a group's [B, SW] state: λ from lamCol, ξ from xiCol, |α| from absCol (span columns each). */
interface StepLayout {
  K: number;
  nG: number;
  SW: number;
  lamCol: number;
  xiCol: number;
  absCol: number;
  span: number;
}

function stepLayout(p: PackedBatch, tuning: GpuTuning): StepLayout {
  let mMax = 0;
  for (let b = 0; b < p.B; b++) mMax = Math.max(mMax, p.meta[b * META + M_CCOUNT]);
  const K = Math.max(1, Math.floor(tuning.webglChunk));
  const chunked = K > 1;
  const d = p.d;
  return {
    K,
    nG: Math.ceil(mMax / K),
    SW: chunked ? 4 * K + K * K : d + 4,
    lamCol: chunked ? K : d + 1,
    xiCol: chunked ? 2 * K : d + 2,
    absCol: chunked ? 3 * K : d + 3,
    span: chunked ? K : 1,
  };
}

export class WebGlItmlBatch {
  private readonly lay: StepLayout;
  private readonly wCols: number;
  private readonly capSweeps: number;
  /** V: step-major ṽ (row k·B + b: constraint k of problem b), P: (δ, γ) per row */
  private readonly fixed: { tV: tfcore.Tensor; tP: tfcore.Tensor; tMax: tfcore.Tensor; tTol: tfcore.Tensor; nonVoid: tfcore.Tensor; W0: tfcore.Tensor };
  private readonly progs: { y: GPGPUProgram; g: GPGPUProgram; r: GPGPUProgram; u: GPGPUProgram; w: GPGPUProgram } | null;
  private readonly step: { s: GPGPUProgram; w: GPGPUProgram } | null;

  constructor(
    private readonly gl: WebGlRunner,
    private readonly p: PackedBatch,
    /** W̃ as float32 pairs (the device splits products exactly) */
    private readonly comp: boolean,
  ) {
    const { B, d } = p;
    this.lay = stepLayout(p, gl.tuning);
    const { K, nG } = this.lay;
    const rows = Math.max(1, nG * K * B);
    const V = new Float32Array(rows * d);
    const P = new Float32Array(rows * 2);
    const maxSweeps = new Float32Array(B);
    const tol = new Float32Array(B);
    const nv = new Float32Array(B);
    for (let b = 0; b < B; b++) {
      const off = p.meta[b * META + M_COFF];
      const cnt = p.meta[b * META + M_CCOUNT];
      maxSweeps[b] = p.meta[b * META + M_MAXSWEEPS];
      tol[b] = p.probF[b * PROBF + P_TOL];
      for (let k = 0; k < cnt; k++) {
        const g = off + k;
        const row = k * B + b;
        const i = p.pidx[PIDX * g + PI_I] * d;
        const j = p.pidx[PIDX * g + PI_J] * d;
        for (let q = 0; q < d; q++) V[row * d + q] = p.xt[i + q] - p.xt[j + q];
        P[2 * row] = p.pf[PF * g + PF_DELTA];
        P[2 * row + 1] = p.pf[PF * g + PF_GAMMA];
        // projections per sweep of each problem (void pairs are never projected)
        if (P[2 * row] !== 0) nv[b]++;
      }
    }
    this.capSweeps = maxSweeps.reduce((a, x) => Math.max(a, x), 0);
    const DD = d * d;
    this.wCols = comp ? 2 * DD : DD;
    const Winit = new Float32Array(B * this.wCols);
    for (let b = 0; b < B; b++) for (let q = 0; q < d; q++) Winit[b * this.wCols + q * d + q] = 1;
    const tf = gl.tf;
    this.fixed = {
      tV: tf.tensor2d(V, [rows, d]),
      tP: tf.tensor2d(P, [rows, 2]),
      tMax: tf.tensor1d(maxSweeps),
      tTol: tf.tensor1d(tol),
      nonVoid: tf.tensor1d(nv),
      W0: tf.tensor2d(Winit, [B, this.wCols]),
    };
    this.progs =
      K > 1
        ? {
            y: chunkYProgram(B, d, K, comp),
            g: chunkGramProgram(B, d, K),
            r: chunkRecurrenceProgram(B, K),
            u: chunkUProgram(B, d, K),
            w: chunkRankKProgram(B, d, K, comp),
          }
        : null;
    this.step = K > 1 ? null : { s: scalarsProgram(B, d, comp), w: rankOneProgram(B, d, comp) };
  }

  /** The initial [B, SW] state of every group of steps: λ = 0, ξ = the bounds (length M, aligned with the packed pairs). */
  private initialSteps(bounds: Float32Array): tfcore.Tensor[] {
    const { p } = this;
    const { K, nG, SW, xiCol } = this.lay;
    const steps0: Float32Array[] = [];
    for (let k = 0; k < nG; k++) steps0.push(new Float32Array(p.B * SW));
    for (let b = 0; b < p.B; b++) {
      const off = p.meta[b * META + M_COFF];
      const cnt = p.meta[b * META + M_CCOUNT];
      for (let k = 0; k < cnt; k++) steps0[Math.floor(k / K)][SW * b + xiCol + (k % K)] = bounds[off + k];
    }
    return steps0.map((s) => this.gl.tf.tensor2d(s, [p.B, SW]));
  }

  /** One sweep's draws over every group of steps (W̃ and the group states replaced). */
  private sweep(W: tfcore.Tensor, steps: tfcore.Tensor[], active: tfcore.Tensor): tfcore.Tensor {
    const { gl, progs, step } = this;
    const { tV, tP } = this.fixed;
    const { K, nG } = this.lay;
    const B = this.p.B;
    const swapW = (next: tfcore.Tensor) => {
      W.dispose();
      W = next;
    };
    if (progs) {
      for (let c = 0; c < nG; c++) {
        const cRow = [[c * K * B]];
        const Y = gl.draw(progs.y, [W, tV], cRow);
        const G = gl.draw(progs.g, [tV, Y], cRow);
        const R = gl.draw(progs.r, [G, tP, steps[c], active], cRow);
        steps[c].dispose();
        steps[c] = R;
        const U = gl.draw(progs.u, [Y, R]);
        swapW(gl.draw(progs.w, [W, U, R]));
        [Y, G, U].forEach((t) => t.dispose());
      }
    } else if (step) {
      const A4 = gl.tf.tidy(() => gl.tf.stack([active, active, active, active], 1));
      for (let k = 0; k < nG; k++) {
        const st = gl.draw(step.s, [W, tV, tP, steps[k], A4], [[k * B]]);
        steps[k].dispose();
        steps[k] = st;
        swapW(gl.draw(step.w, [W, st]));
      }
      A4.dispose();
    }
    return W;
  }

  /**
   * ITML from W̃ = I with the given bounds (length M, aligned with the packed pairs) for the problems
   * with live[b] = 1 (all when null); the others are left alone. Returns the final W̃ blocks and status.
   */
  async run(bounds: Float32Array, live: Float32Array | null, ctx: FitContext | undefined, stage: string): Promise<ItmlRun> {
    const { gl, p } = this;
    const tf = gl.tf;
    const B = p.B;
    const { nG, lamCol, absCol, span } = this.lay;
    const { tMax, tTol, nonVoid } = this.fixed;
    const steps = this.initialSteps(bounds);
    let W = tf.clone(this.fixed.W0);
    // status: active (1/0), sweeps, converged, last conv — as separate [B] tensors
    let active = live ? tf.tensor1d(live) : (tf.ones([B]) as tfcore.Tensor);
    let sweeps = tf.zeros([B]) as tfcore.Tensor;
    let converged = tf.zeros([B]) as tfcore.Tensor;
    let convT = tf.zeros([B]) as tfcore.Tensor;
    let projections = tf.zeros([B]) as tfcore.Tensor;
    let n2old = tf.zeros([B]) as tfcore.Tensor;
    const swap = <T extends tfcore.Tensor>(old: T, next: T): T => {
      old.dispose();
      return next;
    };
    try {
      for (let s = 0; s < this.capSweeps; s++) {
        W = this.sweep(W, steps, active);
        // convergence of this sweep, on the GPU
        const next = tf.tidy(() => {
          const all = nG > 0 ? tf.stack(steps, 0) : tf.zeros([1, B, this.lay.SW]); // [groups, B, SW]
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
        gl.stats.dispatches += 8;
        active = swap(active, next.active);
        sweeps = swap(sweeps, next.sweeps);
        converged = swap(converged, next.converged);
        convT = swap(convT, next.conv);
        n2old = swap(n2old, next.n2old);
        projections = swap(projections, next.projections);
        if ((s + 1) % gl.tuning.checkEvery === 0 || s + 1 === this.capSweeps) {
          gl.stats.readbacks++;
          const a = (await active.data()) as Float32Array;
          const running = a.reduce((x, y) => x + y, 0);
          ctx?.onProgress?.({ stage, done: B - running, total: B, detail: `sweep ${s + 1}` });
          if (running === 0) break;
          if (ctx?.checkpoint) await ctx.checkpoint();
          ctx?.checkCancelled?.();
        }
      }
      gl.stats.readbacks += 5;
      const DD = p.d * p.d;
      const Wraw = (await W.data()) as Float32Array;
      const Wt = new Float64Array(B * DD);
      for (let b = 0; b < B; b++) for (let e = 0; e < DD; e++) Wt[b * DD + e] = Wraw[b * this.wCols + e] + (this.comp ? Wraw[b * this.wCols + DD + e] : 0);
      return {
        Wt,
        sweeps: (await sweeps.data()) as Float32Array,
        converged: (await converged.data()) as Float32Array,
        conv: (await convT.data()) as Float32Array,
        projections: Float64Array.from((await projections.data()) as Float32Array),
      };
    } finally {
      [W, active, sweeps, converged, convT, projections, n2old, ...steps].forEach((t) => t.dispose());
    }
  }

  dispose(): void {
    Object.values(this.fixed).forEach((t) => t.dispose());
  }
}
