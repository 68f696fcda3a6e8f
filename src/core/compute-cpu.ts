/** The float64 reference implementation of ComputeBackend: plain typed-array code, one problem at a time. */
import type { BackendInfo, ComputeBackend, ItmlProblem, RitmlProblem } from './compute';
import { itml } from './itml';
import { ritml } from './ritml';
import { fulfilment } from './score';
import type { FitContext, FitResult } from './types';

export const CPU_INFO: BackendInfo = Object.freeze({ id: 'cpu-f64', precision: 'float64', description: 'JavaScript float64 (reference)' });

async function each<P>(problems: readonly P[], stage: string, ctx: FitContext | undefined, fit: (p: P) => FitResult): Promise<FitResult[]> {
  const out: FitResult[] = [];
  for (let k = 0; k < problems.length; k++) {
    if (ctx?.checkpoint) await ctx.checkpoint();
    ctx?.checkCancelled?.();
    out.push(fit(problems[k]));
    ctx?.onProgress?.({ stage, done: k + 1, total: problems.length });
  }
  return out;
}

export const cpuBackend: ComputeBackend = {
  info: CPU_INFO,
  fitItmlBatch: (problems: readonly ItmlProblem[], ctx?: FitContext) =>
    each(problems, 'itml', ctx, (p) => itml(p.X, p.constraints, p.prior, p.options, { checkCancelled: ctx?.checkCancelled })),
  fitRitmlBatch: (problems: readonly RitmlProblem[], ctx?: FitContext) =>
    each(problems, 'ritml', ctx, (p) => ritml(p.X, p.train, p.prior, p.params, { checkCancelled: ctx?.checkCancelled })),
  scoreBatch: async (X, items) => items.map((it) => fulfilment(X, it.W, it.constraints)),
  dispose: () => {},
};
