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
}

export const DEFAULT_TUNING: GpuTuning = Object.freeze({ sweepsPerDispatch: 1, checkEvery: 8, sharedW: 'auto' as const });

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
