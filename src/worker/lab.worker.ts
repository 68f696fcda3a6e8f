/**
 * The lab's Web Worker: all computation runs here. It owns the compute backend (WebGPU / WebGL / WASM /
 * CPU float64) and runs `runExperiment` with a checkpoint that yields to the message loop (so pause,
 * resume and cancel arrive), waits while paused and throws a CancelledError when cancelled.
 */
import * as Comlink from 'comlink';
import { cpuBackend } from '../core/compute-cpu';
import type { ComputeBackend, LearnerJob } from '../core/compute';
import type { FitContext, FitResult } from '../core/types';
import type { LearnerWorkerApi } from './learner.worker';
import { runExperiment, type LabData, type RunContext } from '../core/experiment';
import { runLearningCurve, type CurveSpec } from '../core/learning-curve';
import type { ExperimentSpec, PartialResult } from '../core/experiment-types';
import { CANCELLED, type BackendPref, type BackendState, type LabWorkerApi, type Progress } from './api';
import { startBackend } from './backend';

class CancelledError extends Error {
  constructor() {
    super('the run was cancelled');
    this.name = CANCELLED;
  }
}

let backend: ComputeBackend = cpuBackend;
let state: BackendState = { info: cpuBackend.info };
let paused = false;
let cancelled = false;
let resumeWaiters: (() => void)[] = [];
let lastYield = 0;

const yieldToLoop = () => new Promise<void>((r) => setTimeout(r, 0));

async function checkpoint(): Promise<void> {
  const now = performance.now();
  if (now - lastYield > 25 || paused) {
    lastYield = now;
    await yieldToLoop();
  }
  while (paused && !cancelled) await new Promise<void>((r) => resumeWaiters.push(r));
  if (cancelled) throw new CancelledError();
}

/** the second worker (started on first use) and a way to stop the fit it runs now */
let learners: { worker: Worker; api: Comlink.Remote<LearnerWorkerApi> } | null = null;
let stopFit: ((e: Error) => void) | null = null;

/** Cancel: the fit running in the second worker cannot be interrupted there, so that worker is stopped (a fresh one next time). */
function stopLearners(): void {
  learners?.worker.terminate();
  learners = null;
  stopFit?.(new CancelledError());
  stopFit = null;
}

/** SVM / MLR fits in the second worker, one job at a time, each after the run's checkpoint (pause, cancel). */
async function fitInLearnerWorker(jobs: readonly LearnerJob[], ctx?: FitContext): Promise<FitResult[]> {
  const out: FitResult[] = [];
  for (let k = 0; k < jobs.length; k++) {
    await ctx?.checkpoint?.();
    if (!learners) {
      const worker = new Worker(new URL('./learner.worker.ts', import.meta.url), { type: 'module', name: 'similarity-lab-learners' });
      learners = { worker, api: Comlink.wrap<LearnerWorkerApi>(worker) };
    }
    const fit = learners.api.fit(jobs[k]);
    out.push(
      await new Promise<FitResult>((resolve, reject) => {
        stopFit = reject;
        fit.then(resolve, reject);
      }),
    );
    stopFit = null;
    ctx?.onResult?.(k, out[k]);
    ctx?.onProgress?.({ stage: 'fits', done: k + 1, total: jobs.length });
  }
  return out;
}

/** `backend` with its SVM / MLR fits in the second worker (delegating: GPU backends are class instances) */
function withLearnerWorker(backend: ComputeBackend): ComputeBackend {
  return {
    info: backend.info,
    fitItmlBatch: (problems, ctx) => backend.fitItmlBatch(problems, ctx),
    fitRitmlBatch: (problems, ctx) => backend.fitRitmlBatch(problems, ctx),
    fitLearnerBatch: fitInLearnerWorker,
    dispose: () => backend.dispose(),
  };
}

/** whether a second worker may run the learners (a nested worker needs Worker inside this one) */
const canNest = typeof Worker !== 'undefined';

/** A run starts: pause / cancel reset, the backend (SVM / MLR in the second worker where it can) and the run's context (progress throttled, checkpoints). */
function startRun(onProgress: (p: Progress) => void): { backend: ComputeBackend; ctx: RunContext } {
  paused = false;
  cancelled = false;
  lastYield = performance.now();
  let lastSent = 0;
  let lastStage = '';
  const report = (p: Progress) => {
    const now = performance.now();
    if (p.stage !== lastStage || p.done === p.total || now - lastSent > 80) {
      lastStage = p.stage;
      lastSent = now;
      void onProgress({
        stage: p.stage,
        done: p.done,
        total: p.total,
        ...(p.detail ? { detail: p.detail } : {}),
        ...(p.etaMs !== undefined ? { etaMs: p.etaMs } : {}),
      });
    }
  };
  const concurrent = canNest && !backend.fitLearnerBatch;
  return {
    backend: concurrent ? withLearnerWorker(backend) : backend,
    ctx: {
      concurrentLearners: concurrent,
      onRunProgress: report,
      checkCancelled: () => {
        if (cancelled) throw new CancelledError();
      },
      checkpoint,
    },
  };
}

const api: LabWorkerApi = {
  async setBackend(pref: BackendPref): Promise<BackendState> {
    if (backend !== cpuBackend) {
      try {
        backend.dispose();
      } catch {
        /* a lost device cannot be disposed twice */
      }
    }
    const { backend: started, ...why } = await startBackend(pref);
    backend = started;
    state = { info: backend.info, ...why };
    return state;
  },
  async run(data: LabData, spec: ExperimentSpec, onProgress: (p: Progress) => void, onPartial?: (p: PartialResult) => void) {
    const { backend: b, ctx } = startRun(onProgress);
    // never throttled: each one adds rows
    return runExperiment(data, spec, b, { ...ctx, ...(onPartial ? { onPartial: (p: PartialResult) => void onPartial(p) } : {}) });
  },
  async runCurve(data: LabData, spec: ExperimentSpec, curve: CurveSpec, onProgress: (p: Progress) => void) {
    const { backend: b, ctx } = startRun(onProgress);
    return runLearningCurve(data, spec, curve, b, ctx);
  },
  pause() {
    paused = true;
  },
  resume() {
    paused = false;
    const w = resumeWaiters;
    resumeWaiters = [];
    w.forEach((r) => r());
  },
  cancel() {
    cancelled = true;
    stopLearners();
    api.resume();
  },
};

Comlink.expose(api);
