/**
 * One progress bar for a whole experiment: every fit is counted in cost units (its method's expected cost,
 * `COST`), so the bar moves at about the speed of time and never restarts per stage; the time left is the
 * remaining fits of each cost class times that class's measured time per fit (before a class has run, its
 * weight times the measured time per unit). Only timing and counting: no number of the result depends on it.
 */
import type { MethodId, RunProgress } from './experiment-types';
import { METHODS } from './methods';

/** cost classes: every RITML-family fit (templates, inner CV, folds, the heatmaps' fits), SVM, MLR */
export type CostClass = 'ritml' | 'svm' | 'mlr';

/**
 * expected cost of one fit per class, relative to a RITML fit (refined as it runs). Measured on the default notebook
 * (dev, WASM): RITML ≈ 0.4 s, SVM ≈ 0.25 s, MLR ≈ 0.3 s a fit since the bundle solver (BENCHMARKS.md §7; it was 6–13 s)
 */
export const COST: Readonly<Record<CostClass, number>> = { ritml: 1, svm: 0.6, mlr: 0.8 };

export function costClass(m: MethodId): CostClass {
  const f = METHODS[m].family;
  return f === 'svm' || f === 'mlr' ? f : 'ritml';
}

export class RunMeter {
  private readonly planned = new Map<CostClass, number>();
  private readonly fitted = new Map<CostClass, { n: number; ms: number }>();
  private total = 0;
  private done = 0;
  /** fractional progress of running batches that hand back no result before their end (GPU), by batch */
  private readonly partial = new Map<number, number>();
  private shown = 0;
  private nextBatch = 0;
  /** the stage of each running batch (two at once when the learners run concurrently) */
  private readonly stages = new Map<number, string>();

  /** `concurrent`: the RITML family and the learners run at the same time, so the time left is the longer of the two */
  constructor(
    private readonly emit: (p: RunProgress) => void,
    private readonly concurrent = false,
  ) {}

  /** count `n` planned fits of class `c` (before the run starts) */
  plan(c: CostClass, n: number): void {
    this.planned.set(c, (this.planned.get(c) ?? 0) + n);
    this.total += n * COST[c];
  }

  /** a batch starts: returns its id for `fitted` and `batchProgress` */
  startBatch(stage: string): number {
    const id = this.nextBatch++;
    this.stages.set(id, stage);
    this.report();
    return id;
  }

  endBatch(batch: number): void {
    this.stages.delete(batch);
  }

  /** one fit of class `c` done, taking `ms` */
  fittedOne(batch: number, c: CostClass, ms: number): void {
    const f = this.fitted.get(c) ?? { n: 0, ms: 0 };
    this.fitted.set(c, { n: f.n + 1, ms: f.ms + ms });
    this.done += COST[c];
    this.partial.delete(batch);
    this.report();
  }

  /** a batch's own progress (fraction 0..1 of `units`), for backends that report results only at the end */
  batchProgress(batch: number, frac: number, units: number, detail?: string): void {
    this.partial.set(batch, Math.max(this.partial.get(batch) ?? 0, frac * units));
    this.report(detail);
  }

  /** ms still to go: the remaining fits of each class at its measured speed */
  private eta(): number | undefined {
    let unitMs = 0;
    let units = 0;
    for (const [c, f] of this.fitted) {
      unitMs += f.ms;
      units += f.n * COST[c];
    }
    if (!units) return undefined;
    let family = 0;
    let learners = 0;
    for (const [c, n] of this.planned) {
      const f = this.fitted.get(c);
      const perFit = f?.n ? f.ms / f.n : (COST[c] * unitMs) / units;
      const left = Math.max(0, n - (f?.n ?? 0)) * perFit;
      if (c === 'ritml') family += left;
      else learners += left;
    }
    return this.concurrent ? Math.max(family, learners) : family + learners;
  }

  private report(detail?: string): void {
    let d = this.done;
    for (const u of this.partial.values()) d += u;
    // never backwards (a batch's fractional progress is replaced by its fits when they are handed back)
    this.shown = Math.min(this.total, Math.max(this.shown, d));
    const eta = this.eta();
    this.emit({
      stage: [...new Set(this.stages.values())].join(' + ') || 'finishing',
      done: this.shown,
      total: this.total,
      ...(detail ? { detail } : {}),
      ...(eta !== undefined ? { etaMs: Math.round(eta) } : {}),
    });
  }
}
