/** Shared bits of the GPU engines (no tfjs import). */
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
}

export const DEFAULT_TUNING: GpuTuning = Object.freeze({ sweepsPerDispatch: 1, checkEvery: 8, sharedW: 'auto' as const, compensated: true });

/**
 * How a GPU forms the exact error of a float32 product: 'fma' (a fused multiply-add is exact),
 * 'split' (Veltkamp/Dekker splitting, exact where the compiler neither fuses nor reassociates),
 * 'none' (neither is exact on this device: plain float32 accumulation).
 */
export type TwoProductMode = 'fma' | 'split' | 'none';

/** Probe pairs (a, b) for the product-error checks: products with a non-zero float32 rounding error, mixed signs and scales. */
export const PROBE_PAIRS: readonly number[] = [1.0000001, 3.3333333, -0.7071068, 1.4142135, 123.456, -0.001234, 2.7182817, 2.7182817, 1e-3, 7.77e5, 0.1, 0.3];

/** Counters of GPU work (for the benchmark and for tests). */
export interface EngineStats {
  dispatches: number;
  readbacks: number;
  sweeps: number;
  fits: number;
}

/** Problems grouped by feature dimension d (a GPU batch needs one d), with their original positions. */
export function groupByD<P extends { X: FeatureMatrix }>(problems: readonly P[]): { idx: number[]; items: P[] }[] {
  const m = new Map<number, { idx: number[]; items: P[] }>();
  problems.forEach((p, k) => {
    let g = m.get(p.X.cols);
    if (!g) m.set(p.X.cols, (g = { idx: [], items: [] }));
    g.idx.push(k);
    g.items.push(p);
  });
  return [...m.values()];
}

/**
 * Fits a batch whose problems may differ in dimension d: one packed batch per d (a kernel is compiled
 * for one d), results returned in the order of `problems`.
 */
export async function fitPerDimension<P extends { X: FeatureMatrix }, R>(
  problems: readonly P[],
  fitGroup: (items: P[]) => Promise<R[]>,
): Promise<R[]> {
  const out: R[] = new Array(problems.length);
  for (const { idx, items } of groupByD(problems)) {
    const res = await fitGroup(items);
    idx.forEach((k, q) => (out[k] = res[q]));
  }
  return out;
}
