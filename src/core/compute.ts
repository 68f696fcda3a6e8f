/**
 * The one small interface through which core code reaches a compute engine. The float64 CPU
 * implementation (`cpuBackend` in compute-cpu.ts) is the reference; `src/gpu` provides WebGPU /
 * WebGL implementations of the same interface. Nothing outside src/gpu depends on tfjs.
 */
import type { ConstraintSet, FeatureMatrix, FitContext, FitResult, PairConstraints, SpdMatrix } from './types';
import type { ItmlOptions } from './itml';
import type { RitmlParams } from './ritml';

export type BackendId = 'cpu-f64' | 'webgpu' | 'webgl' | 'wasm' | 'cpu-tfjs';

export interface BackendInfo {
  readonly id: BackendId;
  readonly precision: 'float64' | 'float32';
  /** human readable: adapter / renderer name (e.g. "SwiftShader", "NVIDIA H100") */
  readonly description: string;
}

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

export interface ComputeBackend {
  readonly info: BackendInfo;
  /** many independent ITML problems at once (the GPU does them in one dispatch per sweep) */
  fitItmlBatch(problems: readonly ItmlProblem[], ctx?: FitContext): Promise<FitResult[]>;
  /** many independent RITML problems at once */
  fitRitmlBatch(problems: readonly RitmlProblem[], ctx?: FitContext): Promise<FitResult[]>;
  /** strict fulfilment share of each (W, constraints) pair on X */
  scoreBatch(X: FeatureMatrix, items: readonly { W: SpdMatrix; constraints: ConstraintSet }[]): Promise<number[]>;
  dispose(): void;
}
