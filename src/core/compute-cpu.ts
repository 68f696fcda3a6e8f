/**
 * The float64 CPU implementations of ComputeBackend, one problem at a time: the JavaScript reference
 * (`cpuBackend`) and the same algorithm with the ITML sweeps in WebAssembly (`wasmBackend`,
 * bit-identical, faster).
 */
import type { BackendInfo, ComputeBackend, ItmlProblem, RitmlProblem } from './compute';
import { itml, JS_ENGINE, type ItmlEngine } from './itml';
import { WASM_ENGINE } from './itml-wasm';
import { float64ItmlBatch, ritmlBatch } from './ritml-batch';
import type { FitContext, FitResult } from './types';

export const CPU_INFO: BackendInfo = Object.freeze({ id: 'cpu-f64', precision: 'float64', description: 'JavaScript float64 (reference)' });
export const WASM_INFO: BackendInfo = Object.freeze({
  id: 'wasm',
  precision: 'float64',
  description: 'WebAssembly float64 (ITML sweeps; bit-identical to the JavaScript reference)',
});

async function each<P>(
  problems: readonly P[],
  stage: string,
  ctx: FitContext | undefined,
  fit: (p: P) => FitResult | Promise<FitResult>,
): Promise<FitResult[]> {
  const out: FitResult[] = [];
  for (let k = 0; k < problems.length; k++) {
    if (ctx?.checkpoint) await ctx.checkpoint();
    ctx?.checkCancelled?.();
    out.push(await fit(problems[k]));
    ctx?.onResult?.(k, out[k]);
    ctx?.onProgress?.({ stage, done: k + 1, total: problems.length });
  }
  return out;
}

/** A float64 backend whose ITML sweeps run on `engine`. */
export function float64Backend(info: BackendInfo, engine: ItmlEngine): ComputeBackend {
  return {
    info,
    fitItmlBatch: (problems: readonly ItmlProblem[], ctx?: FitContext) =>
      each(problems, 'itml', ctx, (p) => itml(p.X, p.constraints, p.prior, p.options, { checkCancelled: ctx?.checkCancelled }, engine)),
    fitRitmlBatch: (problems: readonly RitmlProblem[], ctx?: FitContext) =>
      // one problem at a time (progress per problem): ritmlBatch of one on the float64 engine
      each(problems, 'ritml', ctx, async (p) => (await ritmlBatch([p], float64ItmlBatch([p], engine), { checkCancelled: ctx?.checkCancelled }))[0]),
    dispose: () => {},
  };
}

export const cpuBackend: ComputeBackend = float64Backend(CPU_INFO, JS_ENGINE);
export const wasmBackend: ComputeBackend = float64Backend(WASM_INFO, WASM_ENGINE);
