/**
 * A second worker for SVM / MLR fits, so they run on another core while the lab worker fits the RITML family
 * (the experiment's `concurrentLearners`). One job per call, with the float64 reference code the lab worker
 * would run itself (fitLearnerJob): the same numbers, only elsewhere. Pause and cancel stay with the lab
 * worker, which sends the next job only after its checkpoint.
 */
import * as Comlink from 'comlink';
import { fitLearnerJob, type LearnerJob } from '../core/compute';

const api = {
  fit: (job: LearnerJob) => fitLearnerJob(job),
};
export type LearnerWorkerApi = typeof api;

Comlink.expose(api);
