/**
 * ComputeBackend on tfjs's WebGPU backend with our own WGSL kernels (kernels.ts: one program per file).
 *
 * A batch of problems (grouped by d) is packed once (pack.ts), uploaded as a handful of tensors, and
 * then driven by dispatches of whole-batch kernels: one `SimlabItmlSweeps` dispatch runs
 * `sweepsPerDispatch` sweeps for every unfinished problem; a small status block (16 floats per
 * problem) is read back every `checkEvery` dispatches; RITML adds one `SimlabRitmlEstimate` dispatch
 * per outer iteration. Only the final W̃ blocks (and status / history) come back at the end.
 */
import type * as tfcore from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { BackendInfo, ItmlProblem, RitmlProblem } from '../../core/compute';
import type { FitContext, FitResult } from '../../core/types';
import {
  initialState,
  packItml,
  packRitml,
  stateLayout,
  unpackMetric,
  M_MAXSWEEPS,
  META,
  S,
  ST_BEST,
  ST_BEST_ITER,
  ST_CONV,
  ST_CONVERGED,
  ST_ITML_DONE,
  ST_OUTER,
  ST_PROJ,
  ST_RITML_DONE,
  ST_STOPPED,
  ST_SWEEPS,
  ST_TOTAL_PROJ,
  ST_TOTAL_SWEEPS,
  voidPairsOf,
  type PackedBatch,
  type StateLayout,
} from '../pack';
import { ITML_SWEEPS, RITML_ESTIMATE, registerSimlabWebGpuKernels, type EstimateAttrs, type SweepAttrs } from './kernels';
import { probeTwoProduct } from './two-product-probe';
import {
  describeAccumulation,
  fitPerDimension,
  NOT_PROBED,
  type EngineStats,
  type GpuComputeBackend,
  type GpuFitInfo,
  type GpuRitmlInfo,
  type GpuTuning,
  type TwoProductMode,
  DEFAULT_TUNING,
} from '../common';

type TF = typeof tfcore;

function webgpuDescription(be: WebGPUBackend): string {
  const ai = be.adapterInfo as unknown as { vendor?: string; architecture?: string; description?: string } | undefined;
  const raw = (be as unknown as { device?: { adapterInfo?: { vendor?: string; architecture?: string; description?: string; device?: string } } }).device
    ?.adapterInfo;
  const parts = [raw?.description, raw?.vendor ?? ai?.vendor, raw?.architecture ?? ai?.architecture, raw?.device].filter(
    (x): x is string => typeof x === 'string' && x.length > 0,
  );
  return parts.length ? [...new Set(parts)].join(' / ') : 'unknown WebGPU adapter';
}

export class WebGpuComputeBackend implements GpuComputeBackend {
  private baseInfo: BackendInfo;
  /** id, precision, adapter; after `ready()` the description also says how W̃ is accumulated */
  get info(): BackendInfo {
    return describeAccumulation(this.baseInfo, this.accumulation);
  }
  readonly stats: EngineStats = { dispatches: 0, readbacks: 0, sweeps: 0, fits: 0 };
  private readonly be: WebGPUBackend;
  private readonly maxWgBytes: number;
  private twoProd: Promise<TwoProductMode> | null = null;
  /** how W̃ is accumulated, known after the first fit (the device is probed once) */
  accumulation = NOT_PROBED;
  constructor(
    private readonly tf: TF,
    readonly tuning: GpuTuning = DEFAULT_TUNING,
  ) {
    if (tf.getBackend() !== 'webgpu') throw new Error(`WebGpuComputeBackend: tfjs backend is '${tf.getBackend()}', not 'webgpu'`);
    registerSimlabWebGpuKernels();
    this.be = tf.backend() as unknown as WebGPUBackend;
    this.maxWgBytes = this.be.device.limits.maxComputeWorkgroupStorageSize;
    this.baseInfo = Object.freeze({ id: 'webgpu', precision: 'float32', description: webgpuDescription(this.be) });
  }

  /** Probe the device once (how W̃ will be accumulated), so that `info` states it from the start. */
  async ready(): Promise<this> {
    await this.productMode();
    return this;
  }

  private wgSize(d: number): number {
    if (this.tuning.workgroupSize) return this.tuning.workgroupSize;
    // SwiftShader runs a workgroup as 4-wide SIMD on the CPU: barriers cost, wide groups only add lanes
    if (/swiftshader/i.test(this.info.description)) return 4;
    return d <= 16 ? 32 : d <= 64 ? 64 : 128;
  }

  private sharedW(d: number, comp: boolean): boolean {
    if (this.tuning.sharedW !== 'auto') return this.tuning.sharedW;
    return ((comp ? 2 : 1) * d * d + 2 * d + 16) * 4 <= this.maxWgBytes;
  }

  /** The float32-pair product mode of this device (probed once), or null for plain float32. */
  private async productMode(): Promise<TwoProductMode | null> {
    if (!this.tuning.compensated) {
      this.accumulation = 'float32';
      return null;
    }
    this.twoProd ??= probeTwoProduct(this.be.device);
    const mode = await this.twoProd;
    this.accumulation = mode === 'none' ? 'float32 (this device has no exact product error: no float32 pairs)' : `float32 pairs (${mode} products)`;
    return mode === 'none' ? null : mode;
  }

  private upload(p: PackedBatch, lay: StateLayout) {
    const tf = this.tf;
    const pad = <T extends Float32Array | Int32Array>(a: T, ctor: new (n: number) => T): T => (a.length ? a : new ctor(1));
    return {
      state: tf.tensor1d(initialState(p, lay), 'float32'),
      pmeta: tf.tensor1d(pad(p.meta, Int32Array), 'int32'),
      pidx: tf.tensor1d(pad(p.pidx, Int32Array), 'int32'),
      pf: tf.tensor1d(pad(p.pf, Float32Array), 'float32'),
      xt: tf.tensor1d(pad(p.xt, Float32Array), 'float32'),
      probF: tf.tensor1d(pad(p.probF, Float32Array), 'float32'),
      rel: tf.tensor1d(pad(p.rel, Int32Array), 'int32'),
    };
  }

  /** Run `f` inside a WebGPU validation error scope; a shader or pipeline error becomes an exception. */
  private async validated<T>(what: string, f: () => T): Promise<T> {
    const dev = this.be.device;
    dev.pushErrorScope('validation');
    let out: T;
    try {
      out = f();
    } catch (e) {
      // the validation error, where there is one, says what went wrong (as a `finally` that throws would)
      const err = await dev.popErrorScope();
      throw err ? new Error(`webgpu ${what}: ${err.message}`) : e;
    }
    const err = await dev.popErrorScope();
    if (err) throw new Error(`webgpu ${what}: ${err.message}`);
    return out;
  }

  /** W̃ blocks as hi + lo (one readback). */
  private readMetric(state: tfcore.Tensor, off: number, offLo: number, len: number): Promise<Float32Array> {
    return this.readback(this.tf.tidy(() => this.tf.add(this.tf.slice(state, [off], [len]), this.tf.slice(state, [offLo], [len]))));
  }

  private read(state: tfcore.Tensor, off: number, len: number): Promise<Float32Array> {
    return this.readback(this.tf.slice(state, [off], [len]));
  }

  /** Read a temporary tensor back (counted) and dispose of it. */
  private async readback(t: tfcore.Tensor): Promise<Float32Array> {
    try {
      this.stats.readbacks++;
      return (await t.data()) as Float32Array;
    } finally {
      t.dispose();
    }
  }

  /** Runs sweeps until every problem's ITML call is done; returns the last status block. */
  private async sweepUntilDone(
    st: { state: tfcore.Tensor },
    inputs: Record<string, tfcore.Tensor>,
    p: PackedBatch,
    lay: StateLayout,
    ctx: FitContext | undefined,
    stage: string,
    /** RITML: the outer iteration (0-based); progress then counts finished RITML problems */
    outer?: number,
  ): Promise<Float32Array> {
    const twoProd = await this.productMode();
    const attrs: SweepAttrs = {
      B: p.B,
      d: p.d,
      wg: this.wgSize(p.d),
      shared: this.sharedW(p.d, twoProd !== null),
      nSweeps: this.tuning.sweepsPerDispatch,
      offL: lay.offL,
      offXi: lay.offXi,
      offS: lay.offS,
      offLo: lay.offLo,
      twoProd,
    };
    let maxSweeps = 0;
    for (let b = 0; b < p.B; b++) maxSweeps = Math.max(maxSweeps, p.meta[b * META + M_MAXSWEEPS]);
    let since = 0;
    let dispatched = 0;
    for (;;) {
      const run = () => this.tf.engine().runKernel(ITML_SWEEPS, { state: st.state, ...inputs }, attrs as unknown as tfcore.NamedAttrMap) as tfcore.Tensor;
      const next = dispatched === 0 ? await this.validated('ITML sweep kernel', run) : run();
      st.state.dispose();
      st.state = next;
      this.stats.dispatches++;
      dispatched++;
      since++;
      // read back rarely: every checkEvery dispatches, and when the sweep cap must have been reached
      if (since >= this.tuning.checkEvery || dispatched * attrs.nSweeps >= maxSweeps) {
        since = 0;
        const status = await this.read(st.state, lay.offS, p.B * S);
        let done = 0;
        let finished = 0;
        let sweeps = 0;
        for (let b = 0; b < p.B; b++) {
          if (status[b * S + ST_ITML_DONE] !== 0) done++;
          if (status[b * S + ST_RITML_DONE] !== 0) finished++;
          sweeps = Math.max(sweeps, status[b * S + ST_SWEEPS]);
        }
        if (outer === undefined) ctx?.onProgress?.({ stage, done, total: p.B, detail: `${sweeps} sweeps` });
        else ctx?.onProgress?.({ stage, done: finished, total: p.B, detail: `outer ${outer + 1}, sweep ${sweeps}` });
        if (done === p.B) return status;
        if (ctx?.checkpoint) await ctx.checkpoint();
        ctx?.checkCancelled?.();
        if (dispatched * attrs.nSweeps > maxSweeps + 2 * this.tuning.checkEvery * attrs.nSweeps) {
          throw new Error(`webgpu ITML: ${p.B - done} problems still running after ${dispatched * attrs.nSweeps} sweeps (cap ${maxSweeps})`);
        }
      }
    }
  }

  fitItmlBatch(problems: readonly ItmlProblem[], ctx?: FitContext): Promise<FitResult[]> {
    return fitPerDimension(problems, (items) => this.itmlGroup(items, ctx));
  }

  private async itmlGroup(problems: readonly ItmlProblem[], ctx?: FitContext): Promise<FitResult[]> {
    const p = packItml(problems);
    const lay = stateLayout(p);
    const { state, ...inputs } = this.upload(p, lay);
    const st = { state };
    const d0 = this.stats.dispatches;
    const r0 = this.stats.readbacks;
    try {
      const status = await this.sweepUntilDone(st, inputs, p, lay, ctx, 'itml');
      const W = await this.readMetric(st.state, 0, lay.offLo, p.B * p.d * p.d);
      this.stats.fits += p.B;
      const dispatches = this.stats.dispatches - d0;
      const readbacks = this.stats.readbacks - r0;
      return problems.map((_, b) => {
        const m = unpackMetric(W, b * p.d * p.d, p.d, p.L[b]);
        const sweeps = status[b * S + ST_SWEEPS];
        this.stats.sweeps += sweeps;
        return {
          W: m.W,
          converged: status[b * S + ST_CONVERGED] !== 0,
          iterations: sweeps,
          history: [status[b * S + ST_CONV]],
          info: {
            backend: 'webgpu',
            precision: 'float32',
            accumulation: this.accumulation,
            projections: status[b * S + ST_PROJ],
            positiveDefinite: m.pd,
            finite: m.finite,
            whitened: p.L[b] !== null,
            batchSize: p.B,
            skipped: voidPairsOf(p, b),
            dispatches,
            readbacks,
            historyNote: 'history holds the last sweep’s convergence measure only',
          } satisfies GpuFitInfo,
        };
      });
    } finally {
      st.state.dispose();
      Object.values(inputs).forEach((t) => t.dispose());
    }
  }

  fitRitmlBatch(problems: readonly RitmlProblem[], ctx?: FitContext): Promise<FitResult[]> {
    return fitPerDimension(problems, (items) => this.ritmlGroup(items, ctx));
  }

  private async estimate(st: { state: tfcore.Tensor }, inputs: Record<string, tfcore.Tensor>, p: PackedBatch, lay: StateLayout, first: boolean) {
    const attrs: EstimateAttrs = {
      B: p.B,
      d: p.d,
      wg: this.wgSize(p.d) < 64 ? 64 : this.wgSize(p.d),
      first: first ? 1 : 0,
      offBW: lay.offBW,
      offL: lay.offL,
      offXi: lay.offXi,
      offBd: lay.offBd,
      offS: lay.offS,
      offDn: lay.offDn,
      offDf: lay.offDf,
      offH: lay.offH,
      offLo: lay.offLo,
      outerMax: p.outerMax,
    };
    const run = () => this.tf.engine().runKernel(RITML_ESTIMATE, { state: st.state, ...inputs }, attrs as unknown as tfcore.NamedAttrMap) as tfcore.Tensor;
    const next = first ? await this.validated('RITML estimate kernel', run) : run();
    st.state.dispose();
    st.state = next;
    this.stats.dispatches++;
  }

  private async ritmlGroup(problems: readonly RitmlProblem[], ctx?: FitContext): Promise<FitResult[]> {
    const p = packRitml(problems);
    const lay = stateLayout(p);
    const { state, ...all } = this.upload(p, lay);
    // the sweep kernel does not read the relative constraints
    const { rel: _rel, ...sweepInputs } = all;
    const st = { state };
    const d0 = this.stats.dispatches;
    const r0 = this.stats.readbacks;
    try {
      await this.estimate(st, all, p, lay, true);
      let status: Float32Array;
      for (let outer = 0; ; outer++) {
        status = await this.sweepUntilDone(st, sweepInputs, p, lay, ctx, 'ritml', outer);
        let live = 0;
        for (let b = 0; b < p.B; b++) if (status[b * S + ST_RITML_DONE] === 0) live++;
        if (live === 0) break;
        await this.estimate(st, all, p, lay, false);
        if (outer + 1 >= p.outerMax) {
          // that was the last possible outer step: everything is done, no trailing sweep dispatches
          status = await this.read(st.state, lay.offS, p.B * S);
          break;
        }
        if (outer > p.outerMax + 1) throw new Error(`webgpu RITML: still running after ${outer} outer iterations (T = ${p.outerMax})`);
      }
      let outers = 0;
      let sweeps = 0;
      for (let b = 0; b < p.B; b++) {
        outers = Math.max(outers, status[b * S + ST_OUTER]);
        sweeps = Math.max(sweeps, status[b * S + ST_SWEEPS]);
      }
      ctx?.onProgress?.({ stage: 'ritml', done: p.B, total: p.B, detail: `outer ${outers}, sweep ${sweeps}` });
      const BW = await this.read(st.state, lay.offBW, p.B * p.d * p.d);
      const H = await this.read(st.state, lay.offH, p.B * (p.outerMax + 1));
      this.stats.fits += p.B;
      const dispatches = this.stats.dispatches - d0;
      const readbacks = this.stats.readbacks - r0;
      return problems.map((_, b) => {
        const params = p.params[b]!;
        const m = unpackMetric(BW, b * p.d * p.d, p.d, p.L[b]);
        const s = (k: number) => status[b * S + k];
        const t = s(ST_OUTER);
        const stopped = s(ST_STOPPED) !== 0;
        const history = Array.from(H.subarray(b * (p.outerMax + 1), b * (p.outerMax + 1) + t + 1));
        this.stats.sweeps += s(ST_TOTAL_SWEEPS);
        return {
          W: m.W,
          converged: stopped,
          iterations: stopped ? t : params.outer,
          history,
          info: {
            trainFulfilment: s(ST_BEST),
            bestIteration: s(ST_BEST_ITER),
            sweeps: s(ST_TOTAL_SWEEPS),
            projections: s(ST_TOTAL_PROJ),
            params,
            backend: 'webgpu',
            precision: 'float32',
            accumulation: this.accumulation,
            positiveDefinite: m.pd,
            finite: m.finite,
            whitened: p.L[b] !== null,
            batchSize: p.B,
            skipped: voidPairsOf(p, b),
            dispatches,
            readbacks,
          } satisfies GpuRitmlInfo,
        };
      });
    } finally {
      st.state.dispose();
      Object.values(all).forEach((t) => t.dispose());
    }
  }

  dispose(): void {
    /* the tfjs backend is owned by the caller (select.ts / node.ts) */
  }
}
