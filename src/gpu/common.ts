/** Shared bits of the GPU engines (no tfjs import). */
import type { ComputeBackend } from '../core/compute';
import type { RitmlParams } from '../core/ritml';
import type { FeatureMatrix } from '../core/types';

export interface GpuTuning {
  /** ITML sweeps per dispatch (WebGPU); 1 = one dispatch per sweep for the whole batch */
  readonly sweepsPerDispatch: number;
  /** dispatches between status readbacks */
  readonly checkEvery: number;
  /** threads per workgroup (default by d) */
  readonly workgroupSize?: number;
  /** W̃ in workgroup memory: 'auto' (when it fits the device limit), or forced */
  readonly sharedW: 'auto' | boolean;
  /**
   * Accumulate W̃ as float32 pairs (hi + lo, error-free products and sums) instead of plain float32.
   * Tens of thousands of rank-one updates per fit otherwise leave W̃ ~1e-2 off the float64 result.
   */
  readonly compensated: boolean;
  /**
   * WebGL: projection steps per group of draws. 1 = two draws per step (W̃ṽ, then the rank-one update);
   * K > 1 = five draws per K steps (see webgl/itml-batch.ts: the K steps are chained through their K×K Gram
   * matrix, then W̃ gets the K rank-one updates in one draw).
   */
  readonly webglChunk: number;
}

export const DEFAULT_TUNING: GpuTuning = Object.freeze({ sweepsPerDispatch: 1, checkEvery: 8, sharedW: 'auto' as const, compensated: true, webglChunk: 8 });

/**
 * How a GPU forms the exact error of a float32 product: 'fma' (a fused multiply-add is exact),
 * 'split' (Veltkamp/Dekker splitting, exact where the compiler neither fuses nor reassociates),
 * 'none' (neither is exact on this device: plain float32 accumulation).
 */
export type TwoProductMode = 'fma' | 'split' | 'none';

/** Probe pairs (a, b) for the product-error checks: products with a non-zero float32 rounding error, mixed signs and scales. */
export const PROBE_PAIRS: readonly number[] = [1.0000001, 3.3333333, -0.7071068, 1.4142135, 123.456, -0.001234, 2.7182817, 2.7182817, 1e-3, 7.77e5, 0.1, 0.3];

/** The exact float32 rounding error of each probe product, a·b − fl(a·b) (exact in float64: a 48-bit product). */
function probeProductErrors(): Float32Array {
  const n = PROBE_PAIRS.length / 2;
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const a = Math.fround(PROBE_PAIRS[2 * k]);
    const b = Math.fround(PROBE_PAIRS[2 * k + 1]);
    out[k] = a * b - Math.fround(a * b);
  }
  return out;
}

/** Whether `errors[offset + stride·k]` equals the exact error of probe product k, for every k. */
export function probeErrorsExact(errors: ArrayLike<number>, offset = 0, stride = 1): boolean {
  const want = probeProductErrors();
  for (let k = 0; k < want.length; k++) if (errors[offset + stride * k] !== want[k]) return false;
  return true;
}

/** Shader dialect of the float32-pair snippets: WGSL (WebGPU kernels) or GLSL ES 3 (WebGL programs). */
export type ShaderLang = 'wgsl' | 'glsl';

/**
 * Error-free product of two float32 as a shader function `name(a, b)` returning (p, e), p + e = a·b
 * exactly: 'fma' (exact where the device fuses), 'split' (Veltkamp/Dekker, exact where the compiler
 * neither fuses nor reassociates), 'none' (e = 0). One source for both engines and their probes.
 */
export function twoProductSrc(lang: ShaderLang, mode: TwoProductMode, name = 'twoProd'): string {
  const [head, f, v2] =
    lang === 'wgsl' ? [`fn ${name}(a : f32, b : f32) -> vec2<f32>`, 'let', 'vec2<f32>'] : [`vec2 ${name}(float a, float b)`, 'float', 'vec2'];
  if (mode === 'fma') return `${head} { ${f} p = a * b; return ${v2}(p, fma(a, b, -p)); }`;
  if (mode === 'none') return `${head} { return ${v2}(a * b, 0.0); }`;
  return `${head} {
  ${f} p = a * b;
  ${f} ca = 4097.0 * a;
  ${f} ah = ca - (ca - a);
  ${f} al = a - ah;
  ${f} cb = 4097.0 * b;
  ${f} bh = cb - (cb - b);
  ${f} bl = b - bh;
  return ${v2}(p, ((ah * bh - p) + ah * bl + al * bh) + al * bl);
}`;
}

/**
 * Statements that add β·u_r·u_q to the float32 pair (hi, lo) — error-free product (`twoProd`, see
 * `twoProductSrc`) and TwoSum — and declare the new pair as `nh`, `nl`. The operands are expressions.
 */
export function pairAddProductSrc(lang: ShaderLang, o: { beta: string; ur: string; uq: string; hi: string; lo: string }): string {
  const [f, v2] = lang === 'wgsl' ? ['let', 'let'] : ['float', 'vec2'];
  return `${v2} pr = twoProd(${o.ur}, ${o.uq});
${v2} y = twoProd(${o.beta}, pr.x);
${f} yl = y.y + ${o.beta} * pr.y;
${f} h0 = ${o.hi};
${f} sh = h0 + y.x;
${f} bb = sh - h0;
${f} sl = ((h0 - (sh - bb)) + (y.x - bb)) + (${o.lo} + yl);
${f} nh = sh + sl;
${f} nl = sl - (nh - sh);`;
}

/** A backend's info with the accumulation of W̃ appended to its description (once the device has been probed). */
export function describeAccumulation<I extends { readonly description: string }>(base: I, accumulation: string): I {
  return accumulation === NOT_PROBED ? base : { ...base, description: `${base.description}; W̃ as ${accumulation}` };
}

/** `accumulation` of a GPU backend before its device probe has run. */
export const NOT_PROBED = 'not probed yet';

/** Counters of GPU work (for the benchmark and for tests). */
export interface EngineStats {
  /** GPU programs run (WebGPU dispatches; WebGL draws, the tfjs ops of the convergence test included) */
  dispatches: number;
  /** GPU → CPU reads */
  readbacks: number;
  /** ITML sweeps of all finished fits */
  sweeps: number;
  /** finished fits (ITML or RITML problems) */
  fits: number;
}

/** A GPU ComputeBackend (WebGPU or WebGL): its work counters, tuning and how it accumulates W̃. */
export interface GpuComputeBackend extends ComputeBackend {
  readonly stats: EngineStats;
  readonly tuning: GpuTuning;
  /** how W̃ is accumulated ('float32 pairs (…)' or 'float32 …'), `NOT_PROBED` before the device probe */
  readonly accumulation: string;
}

/** Whether a backend is one of the GPU engines (has work counters). */
export function isGpuBackend(be: ComputeBackend): be is GpuComputeBackend {
  return 'stats' in be && 'accumulation' in be;
}

/** What a GPU engine reports in `FitResult.info` of an ITML fit (a type alias: FitResult.info is a plain record). */
export type GpuFitInfo = {
  readonly backend: 'webgpu' | 'webgl';
  readonly precision: 'float32';
  readonly accumulation: string;
  /** float64 Cholesky of the returned W succeeded */
  readonly positiveDefinite: boolean;
  readonly finite: boolean;
  /** the problem ran in prior-whitened coordinates (a non-identity prior) */
  readonly whitened: boolean;
  readonly batchSize: number;
  readonly projections: number;
  /** pair constraints on identical points, never projected (as the float64 core's `info.skipped`) */
  readonly skipped: number;
  /** WebGPU: programs run and readbacks for the whole batch */
  readonly dispatches?: number;
  readonly readbacks?: number;
  readonly historyNote?: string;
};

/** `FitResult.info` of a GPU RITML fit: the core's RITML info plus the GPU's. */
export type GpuRitmlInfo = GpuFitInfo & {
  readonly trainFulfilment: number;
  readonly bestIteration: number;
  readonly sweeps: number;
  readonly params: RitmlParams;
};

/** Problems grouped by feature dimension d (a GPU batch needs one d), with their original positions. */
function groupByD<P extends { X: FeatureMatrix }>(problems: readonly P[]): { idx: number[]; items: P[] }[] {
  const m = new Map<number, { idx: number[]; items: P[] }>();
  problems.forEach((p, k) => {
    let g = m.get(p.X.cols);
    if (!g) {
      g = { idx: [], items: [] };
      m.set(p.X.cols, g);
    }
    g.idx.push(k);
    g.items.push(p);
  });
  return [...m.values()];
}

/**
 * Fits a batch whose problems may differ in dimension d: one packed batch per d (a kernel is compiled
 * for one d), results returned in the order of `problems`.
 */
export async function fitPerDimension<P extends { X: FeatureMatrix }, R>(problems: readonly P[], fitGroup: (items: P[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = new Array(problems.length);
  for (const { idx, items } of groupByD(problems)) {
    const res = await fitGroup(items);
    idx.forEach((k, q) => (out[k] = res[q]));
  }
  return out;
}
