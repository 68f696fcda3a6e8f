/** Worker thread of the float64 CPU pool: fits one problem per message with the reference code (JavaScript or WebAssembly sweeps). */
import { parentPort } from 'node:worker_threads';
import { itml, JS_ENGINE } from '../core/itml';
import { WASM_ENGINE } from '../core/itml-wasm';
import { ritml } from '../core/ritml';
import { fitLearnerJob } from '../core/compute';
import type { PoolJob } from './cpu-pool';

const port = parentPort;
if (!port) throw new Error('cpu-pool-worker runs as a worker thread only');

port.on('message', (job: PoolJob) => {
  try {
    const engine = job.engine === 'wasm' ? WASM_ENGINE : JS_ENGINE;
    const r =
      job.kind === 'ritml'
        ? ritml(job.problem.X, job.problem.train, job.problem.prior, job.problem.params, undefined, engine)
        : job.kind === 'itml'
          ? itml(job.problem.X, job.problem.constraints, job.problem.prior, job.problem.options, undefined, engine)
          : fitLearnerJob(job.problem);
    const { W, ...rest } = r;
    port.postMessage({ ok: true, W: W.data, rest });
  } catch (e) {
    port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
