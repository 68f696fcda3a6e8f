/**
 * WebGL2 fallback (tfjs-backend-webgl, our own GPGPU fragment programs run by `compileAndRun`, one program
 * per file in this folder). ITML: the problems of a batch (grouped by d) run in lock step in prior-whitened
 * coordinates (`WebGlItmlBatch`, itml-batch.ts). RITML: the core's outer loop (`ritmlBatch`, float64 on the
 * CPU: distances, fulfilment, best-W selection, stretch / bias bounds, exactly as `ritml`) with this
 * engine's batched ITML sweeps — the batch is packed and uploaded once, each outer iteration uploads only
 * the new bounds of the still-running problems.
 */
import type * as tfcore from '@tensorflow/tfjs-core';
import type { MathBackendWebGL, GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import type { BackendInfo, ItmlProblem, RitmlProblem } from '../../core/compute';
import { isPositiveDefinite } from '../../core/linalg';
import { ritmlParams } from '../../core/ritml';
import { ritmlBatch, type ItmlBatchEngine } from '../../core/ritml-batch';
import type { FitContext, FitResult } from '../../core/types';
import {
  describeAccumulation,
  fitPerDimension,
  NOT_PROBED,
  PROBE_PAIRS,
  probeErrorsExact,
  type EngineStats,
  type GpuComputeBackend,
  type GpuFitInfo,
  type GpuRitmlInfo,
  type GpuTuning,
  DEFAULT_TUNING,
} from '../common';
import { META, M_CCOUNT, M_COFF, packItml, packRitml, unpackMetric, voidPairsOf, type PackedBatch } from '../pack';
import { WebGlItmlBatch, type WebGlRunner } from './itml-batch';
import { splitProbeProgram } from './split-probe';

type TF = typeof tfcore;

export class WebGlComputeBackend implements GpuComputeBackend, WebGlRunner {
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
    readonly tf: TF,
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
      const out = this.draw(splitProbeProgram(n), [t]);
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

  /** Runs one of our programs (counted in `stats.dispatches`). */
  draw(prog: GPGPUProgram, inputs: tfcore.Tensor[], uniforms?: number[][]): tfcore.Tensor {
    const info = this.be.compileAndRun(prog, inputs, 'float32', uniforms);
    this.stats.dispatches++;
    return this.tf.engine().makeTensorFromTensorInfo(info) as tfcore.Tensor;
  }

  fitItmlBatch(problems: readonly ItmlProblem[], ctx?: FitContext): Promise<FitResult[]> {
    return fitPerDimension(problems, async (items) => {
      const p = packItml(items);
      const batch = new WebGlItmlBatch(this, p, await this.compensated());
      try {
        const r = await batch.run(p.bound, null, ctx, 'itml');
        this.stats.fits += p.B;
        return items.map((_, b): FitResult => {
          const m = unpackMetric(r.Wt, b * p.d * p.d, p.d, p.L[b]);
          this.stats.sweeps += r.sweeps[b];
          return {
            W: m.W,
            converged: r.converged[b] !== 0,
            iterations: r.sweeps[b],
            history: [r.conv[b]],
            info: this.fitInfo(p, b, r.projections[b], m.pd, m.finite),
          };
        });
      } finally {
        batch.dispose();
      }
    });
  }

  private fitInfo(p: PackedBatch, b: number, projections: number, pd: boolean, finite: boolean): GpuFitInfo {
    return {
      backend: 'webgl',
      precision: 'float32',
      accumulation: this.accumulation,
      projections,
      positiveDefinite: pd,
      finite,
      whitened: p.L[b] !== null,
      batchSize: p.B,
      skipped: voidPairsOf(p, b),
    };
  }

  fitRitmlBatch(problems: readonly RitmlProblem[], ctx?: FitContext): Promise<FitResult[]> {
    return fitPerDimension(problems, (items) => this.ritmlGroup(items, ctx));
  }

  /** The ITML engine of `ritmlBatch` on one packed batch: uploads the bounds of the live problems, runs their sweeps. */
  private ritmlEngine(p: PackedBatch, batch: WebGlItmlBatch): ItmlBatchEngine {
    const DD = p.d * p.d;
    return {
      fit: async (calls, ctx) => {
        const bounds = new Float32Array(p.M);
        const live = new Float32Array(p.B);
        for (const { index, call } of calls) {
          const count = p.meta[index * META + M_CCOUNT];
          if (call.pairs.count !== count) throw new Error(`webgl RITML: problem ${index} has ${call.pairs.count} pair constraints, ${count} packed`);
          live[index] = 1;
          const off = p.meta[index * META + M_COFF];
          for (let k = 0; k < count; k++) bounds[off + k] = call.pairs.bound[k] * p.boundScale[index];
        }
        const r = await batch.run(bounds, live, ctx, 'ritml');
        return calls.map(({ index }): FitResult => {
          const m = unpackMetric(r.Wt, index * DD, p.d, p.L[index]);
          return {
            W: m.W,
            converged: r.converged[index] !== 0,
            iterations: r.sweeps[index],
            history: [r.conv[index]],
            info: { projections: r.projections[index] },
          };
        });
      },
    };
  }

  private async ritmlGroup(problems: readonly RitmlProblem[], ctx?: FitContext): Promise<FitResult[]> {
    const p = packRitml(problems);
    if (p.params.some((q) => q?.warmStart)) throw new Error('webgl RITML: warmStart is not supported by the WebGL engine (use webgpu or cpu)');
    const batch = new WebGlItmlBatch(this, p, await this.compensated());
    try {
      const res = await ritmlBatch(problems, this.ritmlEngine(p, batch), ctx);
      this.stats.fits += p.B;
      return res.map((r, b) => {
        const core = r.info as { trainFulfilment: number; bestIteration: number; sweeps: number; projections: number };
        this.stats.sweeps += core.sweeps;
        const finite = r.W.data.every(Number.isFinite);
        const info: GpuRitmlInfo = {
          ...this.fitInfo(p, b, core.projections, finite && isPositiveDefinite(r.W), finite),
          trainFulfilment: core.trainFulfilment,
          bestIteration: core.bestIteration,
          sweeps: core.sweeps,
          params: ritmlParams(problems[b].params),
        };
        return { ...r, info };
      });
    } finally {
      batch.dispose();
    }
  }

  dispose(): void {}
}

function webglDescription(be: MathBackendWebGL): string {
  try {
    const gl = (be as unknown as { gpgpu: { gl: WebGL2RenderingContext } }).gpgpu.gl;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const r = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    return `WebGL2: ${String(r)}`;
  } catch {
    return 'WebGL2';
  }
}
