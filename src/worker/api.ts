/** What the lab worker offers the page (through comlink). */
import type { BackendInfo } from '../core/compute';
import type { LabData } from '../core/experiment';
import type { ExperimentResult, ExperimentSpec, PartialResult } from '../core/experiment-types';
import type { CurveSpec, LearningCurveResult } from '../core/learning-curve';

export type BackendPref = 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_PREFS: readonly BackendPref[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];
export const PICKABLE_BACKENDS: readonly BackendPref[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];
export const BACKEND_LABELS: Readonly<Record<BackendPref, string>> = {
  auto: 'Automatic (best available)',
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM float64 (same numbers as CPU, faster)',
  cpu: 'CPU float64 (reference)',
};

/** A run's progress: `done` of `total` cost units over the whole run (one bar, not one per stage), the stage now, the time left. */
export interface Progress {
  readonly stage: string;
  readonly done: number;
  readonly total: number;
  readonly detail?: string;
  /** ms still to go, as measured so far (absent before the first fit is timed) */
  readonly etaMs?: number;
}

export type { PartialResult };

export interface BackendState {
  readonly info: BackendInfo;
  /** set when the preferred backend could not be started and another one runs instead */
  readonly fallbackReason?: string;
  /**
   * 'auto' only, when it runs on WASM / CPU: why no GPU backend was taken — 'software' when the GPU
   * adapters found are software ones (named in `adapter`), 'none' when no GPU backend started; `detail`
   * lists what was tried. The normal case on a machine without a hardware GPU, not a failure.
   */
  readonly noGpu?: { readonly kind: 'software' | 'none'; readonly adapter?: string; readonly detail: string };
  /** a GPU backend chosen by hand that runs on a software adapter (named here): it works, slowly */
  readonly softwareAdapter?: string;
}

export interface LabWorkerApi {
  /** (re)start the compute backend; resolves with the one that really runs */
  setBackend(pref: BackendPref): Promise<BackendState>;
  /**
   * run an experiment; progress (the whole run's) and the partial results (each method's rows as soon as they
   * are done) arrive through the callbacks (comlink proxies)
   */
  run(data: LabData, spec: ExperimentSpec, onProgress: (p: Progress) => void, onPartial?: (p: PartialResult) => void): Promise<ExperimentResult>;
  /** learning curves (core/learning-curve.ts) of `spec` at `curve`'s training fractions; progress as for run */
  runCurve(data: LabData, spec: ExperimentSpec, curve: CurveSpec, onProgress: (p: Progress) => void): Promise<LearningCurveResult>;
  pause(): void;
  resume(): void;
  /** cooperative: the run throws a CancelledError at its next checkpoint */
  cancel(): void;
}

export const CANCELLED = 'CancelledError';
