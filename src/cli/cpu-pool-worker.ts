/** Worker thread of the float64 CPU pool: fits one problem per message with the reference code. */
import { parentPort } from 'node:worker_threads';
import { itml } from '../core/itml';
import { ritml } from '../core/ritml';
import { fitLearnerJob } from '../core/compute';
import type { PoolJob } from './cpu-pool';

parentPort!.on('message', (job: PoolJob) => {
  try {
    const r =
      job.kind === 'ritml'
        ? ritml(job.problem.X, job.problem.train, job.problem.prior, job.problem.params)
        : job.kind === 'itml'
          ? itml(job.problem.X, job.problem.constraints, job.problem.prior, job.problem.options)
          : fitLearnerJob(job.problem);
    const { W, ...rest } = r;
    parentPort!.postMessage({ ok: true, W: W.data, rest });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
