/**
 * Node: the float64 reference backend run on a pool of worker threads. A batch of independent RITML /
 * ITML problems (folds × γ × groups) is spread over the workers; every problem runs the very same
 * float64 code as `cpuBackend` (or `wasmBackend`), so results are bit-identical — only wall time changes.
 */
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BackendInfo, ComputeBackend, ItmlProblem, LearnerJob, RitmlProblem } from '../core/compute';
import { cpuBackend, wasmBackend } from '../core/compute-cpu';
import type { FitContext, FitResult, SpdMatrix } from '../core/types';

/** Which float64 ITML engine the workers use: the JavaScript reference or the (bit-identical) WebAssembly sweep. */
export type PoolEngine = 'js' | 'wasm';
export type PoolJob = ({ kind: 'ritml'; problem: RitmlProblem } | { kind: 'itml'; problem: ItmlProblem } | { kind: 'learner'; problem: LearnerJob }) & {
  engine: PoolEngine;
};
type Job = PoolJob;

export function createCpuPoolBackend(threads = Math.max(1, cpus().length), engine: PoolEngine = 'js'): ComputeBackend {
  const single = engine === 'wasm' ? wasmBackend : cpuBackend;
  if (threads <= 1) return single;
  const info: BackendInfo = { ...single.info, description: `${single.info.description}, ${threads} worker threads` };
  const workers: Worker[] = [];
  const spawn = () => {
    // kept referenced while the pool lives: dispose() terminates the workers. Built (dist-cli/, see
    // scripts/build-cli.mjs) this code sits in a chunk next to cpu-pool-worker.js; under tsx (TypeScript
    // sources) the worker registers tsx's loader itself: loader hooks given by --import do not reach
    // worker threads in Node 20.
    const url = new URL(`./cpu-pool-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
    const code = url.endsWith('.ts')
      ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(url)}); });`
      : `import(${JSON.stringify(url)});`;
    return new Worker(code, { eval: true });
  };
  async function runAll(jobs: Job[], stage: string, ctx?: FitContext): Promise<FitResult[]> {
    while (workers.length < Math.min(threads, jobs.length)) workers.push(spawn());
    const out = new Array<FitResult>(jobs.length);
    let next = 0;
    let done = 0;
    let failed: Error | null = null;
    await Promise.all(
      workers.slice(0, Math.min(threads, jobs.length)).map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const feed = async () => {
              if (failed) return resolve();
              if (ctx?.checkpoint) await ctx.checkpoint();
              try {
                ctx?.checkCancelled?.();
              } catch (e) {
                failed = e as Error;
                return reject(e);
              }
              if (next >= jobs.length) return resolve();
              const k = next++;
              const onMsg = (msg: { ok: true; W: Float64Array; rest: Omit<FitResult, 'W'> } | { ok: false; error: string }) => {
                w.off('message', onMsg);
                w.off('error', onErr);
                if (!msg.ok) {
                  failed = new Error(msg.error);
                  return reject(failed);
                }
                const d = Math.round(Math.sqrt(msg.W.length));
                out[k] = { ...msg.rest, W: { rows: d, cols: d, data: msg.W } as SpdMatrix };
                done++;
                ctx?.onProgress?.({ stage, done, total: jobs.length });
                void feed();
              };
              const onErr = (e: Error) => {
                failed = e;
                reject(e);
              };
              w.on('message', onMsg);
              w.once('error', onErr);
              w.postMessage(jobs[k]);
            };
            void feed();
          }),
      ),
    );
    return out;
  }
  return {
    info,
    fitRitmlBatch: (problems, ctx) =>
      runAll(
        problems.map((problem) => ({ kind: 'ritml' as const, problem, engine })),
        'ritml',
        ctx,
      ),
    fitItmlBatch: (problems, ctx) =>
      runAll(
        problems.map((problem) => ({ kind: 'itml' as const, problem, engine })),
        'itml',
        ctx,
      ),
    fitLearnerBatch: (jobs, ctx) =>
      runAll(
        jobs.map((problem) => ({ kind: 'learner' as const, problem, engine })),
        'fits',
        ctx,
      ),
    dispose: () => {
      for (const w of workers.splice(0)) void w.terminate();
    },
  };
}
