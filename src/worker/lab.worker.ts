/**
 * The lab's Web Worker: all computation runs here. It owns the compute backend (WebGPU / WebGL / WASM /
 * CPU float64) and runs `runExperiment` with a checkpoint that yields to the message loop (so pause,
 * resume and cancel arrive), waits while paused and throws a CancelledError when cancelled.
 */
import * as Comlink from 'comlink';
import { cpuBackend } from '../core/compute-cpu';
import type { ComputeBackend } from '../core/compute';
import { runExperiment, type LabData } from '../core/experiment';
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

const api: LabWorkerApi = {
  async setBackend(pref: BackendPref): Promise<BackendState> {
    if (backend !== cpuBackend) {
      try {
        backend.dispose();
      } catch {
        /* a lost device cannot be disposed twice */
      }
    }
    const started = await startBackend(pref);
    backend = started.backend;
    state = { info: backend.info, ...(started.fallbackReason ? { fallbackReason: started.fallbackReason } : {}) };
    return state;
  },
  async run(data: LabData, spec: ExperimentSpec, onProgress: (p: Progress) => void, onPartial?: (p: PartialResult) => void) {
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
    return runExperiment(data, spec, backend, {
      onRunProgress: report,
      // never throttled: each one adds rows
      ...(onPartial ? { onPartial: (p: PartialResult) => void onPartial(p) } : {}),
      checkCancelled: () => {
        if (cancelled) throw new CancelledError();
      },
      checkpoint,
    });
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
    api.resume();
  },
};

Comlink.expose(api);
