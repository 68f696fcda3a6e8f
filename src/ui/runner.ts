/**
 * The page's side of the lab worker: starts it, keeps its backend, runs experiments with progress,
 * pause / resume, and cancel — cooperative first, terminating the worker if it does not answer in time.
 * A worker that crashes rejects the running job with a WorkerCrash so the page can offer a retry.
 */
import * as Comlink from 'comlink';
import type { LabData } from '../core/experiment';
import type { ExperimentResult, ExperimentSpec, PartialResult } from '../core/experiment-types';
import type { CurveSpec, LearningCurveResult } from '../core/learning-curve';
import { CANCELLED, type BackendPref, type BackendState, type LabWorkerApi, type Progress } from '../worker/api';

export class RunCancelled extends Error {
  constructor(how: string) {
    super(`Run cancelled${how ? ` (${how})` : ''}.`);
    this.name = 'RunCancelled';
  }
}
export class WorkerCrash extends Error {
  constructor(detail: string) {
    super(`The computation worker stopped unexpectedly: ${detail}`);
    this.name = 'WorkerCrash';
  }
}

/** How long a cooperative cancel may take before the worker is terminated. */
export const CANCEL_GRACE_MS = 3000;

export class LabRunner {
  private worker!: Worker;
  private api!: Comlink.Remote<LabWorkerApi>;
  private pending: { reject: (e: Error) => void } | null = null;
  private pref: BackendPref = 'auto';
  private backendReady: Promise<BackendState> | null = null;

  constructor(private readonly onCrash: (e: WorkerCrash) => void = () => {}) {
    this.spawn();
  }

  private spawn(): void {
    this.worker = new Worker(new URL('../worker/lab.worker.ts', import.meta.url), { type: 'module', name: 'similarity-lab' });
    this.api = Comlink.wrap<LabWorkerApi>(this.worker);
    this.backendReady = null;
    const crash = (detail: string) => {
      const e = new WorkerCrash(detail);
      this.pending?.reject(e);
      this.pending = null;
      this.onCrash(e);
    };
    this.worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      crash(ev.message || 'uncaught error in the worker');
    });
    this.worker.addEventListener('messageerror', () => crash('a message could not be read'));
  }

  /** Start (or switch) the backend; resolves with the one that really runs. */
  setBackend(pref: BackendPref): Promise<BackendState> {
    this.pref = pref;
    this.backendReady = this.api.setBackend(pref);
    return this.backendReady;
  }

  backend(): Promise<BackendState> {
    return this.backendReady ?? this.setBackend(this.pref);
  }

  async run(data: LabData, spec: ExperimentSpec, onProgress: (p: Progress) => void, onPartial?: (p: PartialResult) => void): Promise<ExperimentResult> {
    return this.track(() => this.api.run(data, spec, Comlink.proxy(onProgress), onPartial ? Comlink.proxy(onPartial) : undefined));
  }

  /** learning curves (core/learning-curve.ts) in the worker, with the same progress, pause and cancel as run */
  async runCurve(data: LabData, spec: ExperimentSpec, curve: CurveSpec, onProgress: (p: Progress) => void): Promise<LearningCurveResult> {
    return this.track(() => this.api.runCurve(data, spec, curve, Comlink.proxy(onProgress)));
  }

  /** One run at a time: settles once, by the worker's answer, a crash or a cancel. */
  private async track<T>(start: () => Promise<T>): Promise<T> {
    if (this.pending) throw new Error('another run is in progress');
    await this.backend();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        this.pending = null;
        f();
      };
      this.pending = { reject: (e) => settle(() => reject(e)) };
      start().then(
        (r) => settle(() => resolve(r)),
        (e: unknown) => settle(() => reject(e instanceof Error && e.name === CANCELLED ? new RunCancelled('') : e)),
      );
    });
  }

  pause(): void {
    void this.api.pause();
  }
  resume(): void {
    void this.api.resume();
  }

  /**
   * Ask the worker to stop at its next checkpoint; if the run has not ended after `graceMs`, terminate the
   * worker, start a fresh one (same backend preference) and reject the run.
   */
  async cancel(graceMs = CANCEL_GRACE_MS): Promise<'cooperative' | 'terminated' | 'idle'> {
    const pending = this.pending;
    if (!pending) return 'idle';
    void this.api.cancel();
    const t0 = Date.now();
    while (this.pending === pending && Date.now() - t0 < graceMs) await new Promise((r) => setTimeout(r, 30));
    if (this.pending !== pending) return 'cooperative';
    this.terminate();
    pending.reject(new RunCancelled('the worker did not respond and was stopped'));
    return 'terminated';
  }

  /** Stop the worker at once and start a fresh one. */
  terminate(): void {
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
    this.pending = null;
    this.spawn();
    void this.setBackend(this.pref);
  }
}
