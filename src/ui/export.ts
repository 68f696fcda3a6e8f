/** Results as CSV (one row per method × group, folds as columns) and the significance marks of tables and charts (▲ better, ▼ worse than the baseline). */
import { notConvergedText, type Comparison, type ExperimentResult, type MethodId } from '../core/experiment-types';
import { methodRow } from '../core/methods';
import { csvCell } from '../core/parse/features';
import type { LearningCurveResult } from '../core/learning-curve';

const cell = (s: string | number): string => csvCell(String(s));

export function resultsToCsv(r: ExperimentResult): string {
  const k = Math.max(0, ...r.rows.map((x) => x.folds.length));
  const head = ['method', 'group', 'mean', 'sd', 'train', ...Array.from({ length: k }, (_, i) => `fold${i + 1}`), 'chosen', 'fit_ms', 'not_converged'];
  const lines = [head.join(',')];
  for (const x of r.rows) {
    lines.push(
      [
        x.method,
        x.group,
        x.mean,
        x.sd,
        x.train,
        ...Array.from({ length: k }, (_, i) => x.folds[i] ?? ''),
        (x.chosen ?? []).join(' '),
        x.fitMs,
        x.notConverged ? notConvergedText(x.notConverged) : '',
      ]
        .map(cell)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

export function comparisonsToCsv(r: ExperimentResult): string {
  const lines = ['group,a,b,mean_diff,p_ttest,p_wilcoxon'];
  for (const c of r.comparisons) lines.push([c.group, c.a, c.b, c.meanDiff, c.p, c.pWilcoxon].map(cell).join(','));
  return lines.join('\n') + '\n';
}

/** "62.31" — scores are fractions, shown as percent with two decimals (as the poster does). */
export function pct(x: number): string {
  return Number.isFinite(x) ? (100 * x).toFixed(2) : '–';
}

/** '**' for p < 0.01, '*' for p < 0.05, '' otherwise (also for NaN): the one significance mark of tables and charts. */
export function significanceMark(p: number): '' | '*' | '**' {
  if (!(p < 0.05)) return '';
  return p < 0.01 ? '**' : '*';
}

/** ▲ a method significantly better than the baseline, ▼ significantly worse (the arrow says the direction, the stars the level). */
export const BETTER = '\u25B2';
export const WORSE = '\u25BC';

/**
 * The mark of a method against the baseline: '▲*' / '▲**' when significantly better (`diff` = method − baseline > 0),
 * '▼*' / '▼**' when significantly worse, '' when not significant.
 */
export function directedMark(p: number, diff: number): string {
  const m = significanceMark(p);
  if (!m || !(diff !== 0)) return m;
  return `${diff > 0 ? BETTER : WORSE}${m}`;
}

/** What the marks of a table or chart mean, naming the baseline and the test. */
export function marksLegend(base: string, test: string): string {
  return `${BETTER} significantly better, ${WORSE} significantly worse than ${base} (* p < 0.05, ** p < 0.01, ${test})`;
}

/** The method results are compared with: the first baseline of the table (Euclidean) in the spec, else its first method. */
export function baselineOf(methods: readonly MethodId[]): MethodId | undefined {
  return methods.find((m) => methodRow(m)?.family === 'baseline') ?? methods[0];
}

/**
 * A method against the Euclidean baseline (or the first method) in a group: the comparison and its mark
 * (paired t-test over folds); no mark for the baseline itself.
 */
export function baselineComparison(
  r: ExperimentResult,
  method: MethodId,
  group: string,
): { mark: string; vs: MethodId | null; c: Comparison | null; diff: number; direction: 'better' | 'worse' | null } {
  const methods = r.meta.spec.methods;
  const base = baselineOf(methods);
  if (!base || base === method) return { mark: '', vs: null, c: null, diff: 0, direction: null };
  const c = r.comparisons.find((x) => x.group === group && ((x.a === method && x.b === base) || (x.a === base && x.b === method))) ?? null;
  // meanDiff is a − b: the method's difference to the baseline
  const diff = c ? (c.a === method ? c.meanDiff : -c.meanDiff) : 0;
  const mark = c ? directedMark(c.p, diff) : '';
  return { mark, vs: base, c, diff, direction: mark === '' ? null : diff > 0 ? 'better' : 'worse' };
}

/** A learning curve's rows as CSV: one row per method × group × fraction (the CLI's JSON names), scores per repeat and fold. */
export function curveToCsv(r: LearningCurveResult): string {
  const k = Math.max(0, ...r.rows.map((x) => x.folds.length));
  const lines = [
    ['method', 'group', 'fraction', 'trainConstraints', 'mean', 'sd', 'repeats', ...Array.from({ length: k }, (_, i) => `score${i + 1}`)].join(','),
  ];
  for (const x of r.rows) lines.push([x.method, x.group, x.fraction, x.trainConstraints, x.mean, x.sd, x.repeats, ...x.folds].map(cell).join(','));
  return lines.join('\n') + '\n';
}

/** A learning curve's paired differences as CSV (points as fractions, like the scores). */
export function curveDifferencesToCsv(r: LearningCurveResult): string {
  const lines = ['group,a,b,fraction,trainConstraints,mean_diff,lo,hi,level,n,p_ttest'];
  for (const d of r.differences)
    lines.push([d.group, d.a, d.b, d.fraction, d.trainConstraints, d.meanDiff, d.lo ?? '', d.hi ?? '', d.level, d.n, d.p].map(cell).join(','));
  return lines.join('\n') + '\n';
}
