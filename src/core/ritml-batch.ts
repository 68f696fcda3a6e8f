/**
 * RITML's outer loop for a batch of problems (METHOD.md §4), on any batched ITML engine: every outer
 * iteration hands the ITML calls of all still-running problems to the engine at once, then advances each
 * problem with the same steps as `ritml` (`RitmlRun`). The float64 engine (`float64ItmlBatch`) gives
 * results bit-identical to `ritml`; the WebGL engine (src/gpu/webgl) runs the calls as one lock-step batch.
 */
import type { RitmlProblem } from './compute';
import { itml, type ItmlEngine } from './itml';
import { RitmlRun, type ItmlCall } from './ritml';
import type { FitContext, FitResult } from './types';

/** One ITML call of a still-running problem: `index` is the problem's position in the batch. */
export interface BatchItmlCall {
  readonly index: number;
  readonly call: ItmlCall;
}

/**
 * A batched ITML engine for `ritmlBatch`: given the ITML calls (absolute pair constraints, options, prior)
 * of every still-running problem, fit them and return one result per call (W, sweeps, info.projections).
 */
export interface ItmlBatchEngine {
  fit(calls: readonly BatchItmlCall[], ctx?: FitContext): Promise<readonly FitResult[]>;
}

/** The float64 engine: each call by `itml` on `engine` (JavaScript or WebAssembly sweeps), one after another. */
export function float64ItmlBatch(problems: readonly RitmlProblem[], engine: ItmlEngine): ItmlBatchEngine {
  return {
    async fit(calls, ctx) {
      const out: FitResult[] = [];
      for (const { index, call } of calls) {
        if (ctx?.checkpoint) await ctx.checkpoint();
        out.push(itml(problems[index].X, call.pairs, call.prior, call.options, { checkCancelled: ctx?.checkCancelled }, engine));
      }
      return out;
    },
  };
}

/**
 * RITML for every problem of the batch, all outer iterations in lock step on `engine`. Progress (stage
 * 'ritml') counts finished problems and says `outer t, sweep s` (s: the most sweeps of the iteration).
 */
export async function ritmlBatch(problems: readonly RitmlProblem[], engine: ItmlBatchEngine, ctx?: FitContext): Promise<FitResult[]> {
  const runs = problems.map((p) => new RitmlRun(p.X, p.train, p.prior, p.params));
  for (let t = 1; ; t++) {
    const live: number[] = [];
    runs.forEach((r, b) => r.done || live.push(b));
    if (live.length === 0) break;
    ctx?.checkCancelled?.();
    const finished = runs.length - live.length;
    const inner: FitContext | undefined = ctx && {
      ...ctx,
      onProgress: (q) => ctx.onProgress?.({ stage: 'ritml', done: finished, total: runs.length, detail: `outer ${t}, ${q.detail ?? ''}`.trim() }),
    };
    const res = await engine.fit(
      live.map((b) => ({ index: b, call: runs[b].next() })),
      inner,
    );
    let sweeps = 0;
    live.forEach((b, k) => {
      runs[b].accept(res[k]);
      sweeps = Math.max(sweeps, res[k].iterations);
    });
    ctx?.onProgress?.({ stage: 'ritml', done: runs.filter((r) => r.done).length, total: runs.length, detail: `outer ${t}, sweep ${sweeps}` });
  }
  return runs.map((r) => r.result());
}
