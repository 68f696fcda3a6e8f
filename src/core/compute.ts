/**
 * The one small interface through which core code reaches a compute engine. The float64 CPU
 * implementation (`cpuBackend` in compute-cpu.ts) is the reference; `src/gpu` provides WebGPU /
 * WebGL implementations of the same interface. Nothing outside src/gpu depends on tfjs.
 */
import type { BackendId, BackendInfo, MethodId } from './experiment-types';
import { learnerFor } from './learners';
import type { ConstraintSet, FeatureMatrix, FitContext, FitResult, PairConstraints, SpdMatrix } from './types';
import type { ItmlOptions } from './itml';
import type { RitmlParams } from './ritml';

export type { BackendId, BackendInfo };

/** One ITML problem: pairwise constraints on rows of X with a prior (identity when null). */
export interface ItmlProblem {
  readonly X: FeatureMatrix;
  readonly constraints: PairConstraints;
  readonly prior: SpdMatrix | null;
  readonly options: ItmlOptions;
}

/** One RITML problem: relative constraints on rows of X with a prior (identity when null). */
export interface RitmlProblem {
  readonly X: FeatureMatrix;
  readonly train: ConstraintSet;
  readonly prior: SpdMatrix | null;
  readonly params: RitmlParams;
}

/** One fit of a non-RITML learner (SVM, MLR) by method id; `tag` groups timings (e.g. the group name). */
export interface LearnerJob {
  readonly method: MethodId;
  readonly tag: string;
  readonly X: FeatureMatrix;
  readonly train: ConstraintSet;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Runs one learner job with the float64 reference code, timing it into `info.fitMs`. */
export function fitLearnerJob(j: LearnerJob, ctx?: FitContext): FitResult {
  const t0 = performance.now();
  const r = learnerFor(j.method).fit(j.X, j.train, null, j.params as never, { checkCancelled: ctx?.checkCancelled });
  return { ...r, info: { ...(r.info ?? {}), fitMs: performance.now() - t0 } };
}

export async function fitLearnersSequentially(jobs: readonly LearnerJob[], ctx?: FitContext): Promise<FitResult[]> {
  const out: FitResult[] = [];
  for (let k = 0; k < jobs.length; k++) {
    if (ctx?.checkpoint) await ctx.checkpoint();
    ctx?.checkCancelled?.();
    out.push(fitLearnerJob(jobs[k], ctx));
    ctx?.onResult?.(k, out[k]);
    ctx?.onProgress?.({ stage: 'fits', done: k + 1, total: jobs.length });
  }
  return out;
}

export interface ComputeBackend {
  readonly info: BackendInfo;
  /** many independent ITML problems at once (the GPU does them in one dispatch per sweep) */
  fitItmlBatch(problems: readonly ItmlProblem[], ctx?: FitContext): Promise<FitResult[]>;
  /** many independent RITML problems at once */
  fitRitmlBatch(problems: readonly RitmlProblem[], ctx?: FitContext): Promise<FitResult[]>;
  /** optional: many SVM / MLR fits at once (float64); without it the runner fits them one by one */
  fitLearnerBatch?(jobs: readonly LearnerJob[], ctx?: FitContext): Promise<FitResult[]>;
  dispose(): void;
}
