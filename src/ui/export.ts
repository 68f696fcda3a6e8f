/** Results as CSV (one row per method × group, folds as columns) and the significance marks of the table. */
import type { Comparison, ExperimentResult, MethodId } from '../core/experiment-types';

function cell(s: string | number): string {
  const t = String(s);
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function resultsToCsv(r: ExperimentResult): string {
  const k = Math.max(0, ...r.rows.map((x) => x.folds.length));
  const head = ['method', 'group', 'mean', 'sd', 'train', ...Array.from({ length: k }, (_, i) => `fold${i + 1}`), 'chosen', 'fit_ms'];
  const lines = [head.join(',')];
  for (const x of r.rows) {
    lines.push(
      [x.method, x.group, x.mean, x.sd, x.train, ...Array.from({ length: k }, (_, i) => x.folds[i] ?? ''), (x.chosen ?? []).join(' '), x.fitMs]
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

/**
 * Significance of a method against the Euclidean baseline (or the first method) in a group:
 * '**' p < 0.01, '*' p < 0.05 (paired t-test over folds), '' otherwise or for the baseline itself.
 */
export function significanceMark(r: ExperimentResult, method: MethodId, group: string): { mark: string; vs: MethodId | null; c: Comparison | null } {
  const methods = r.meta.spec.methods;
  const base: MethodId | undefined = methods.includes('euclidean') ? 'euclidean' : methods[0];
  if (!base || base === method) return { mark: '', vs: null, c: null };
  const c = r.comparisons.find((x) => x.group === group && ((x.a === method && x.b === base) || (x.a === base && x.b === method))) ?? null;
  if (!c || !Number.isFinite(c.p)) return { mark: '', vs: base, c };
  return { mark: c.p < 0.01 ? '**' : c.p < 0.05 ? '*' : '', vs: base, c };
}
