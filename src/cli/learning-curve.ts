/**
 * `similarity-lab experiment … --train-fractions 0.05,0.1,0.25,0.5,1 [--repeats R]`: learning curves
 * (core/learning-curve.ts) from the command line — a table per group (fraction, training constraints,
 * each method's mean ± sd, the W0-RITML − RITML difference with its interval) and, with `--json`, the rows
 * `{method, group, fraction, trainConstraints, mean, sd, folds, repeats}`.
 */
import type { LearningCurveResult } from '../core/learning-curve';
import { METHOD_LABELS } from '../core/methods';
import { int, numList, UsageError } from './args';
import { formatTemplates } from './templates';

export const DEFAULT_REPEATS = 3;

/** `--train-fractions` / `--repeats` checked (exit 2 on a bad value); null when no curve was asked for. */
export function curveFlags(fractions: string | undefined, repeats: string | undefined, test: unknown): { fractions: number[]; repeats: number } | null {
  if (fractions === undefined) {
    if (repeats !== undefined) throw new UsageError('--repeats needs --train-fractions (it counts the subsamples of each training fraction)');
    return null;
  }
  const fs = numList(fractions, 'train-fractions') ?? [];
  if (!fs.length) throw new UsageError('--train-fractions needs at least one fraction, e.g. 0.05,0.1,0.25,0.5,1');
  for (const f of fs) if (!(f > 0 && f <= 1)) throw new UsageError(`--train-fractions must be fractions in (0, 1], got ${f}`);
  if (test) throw new UsageError('--train-fractions runs cross-validation: it cannot be combined with --test');
  return { fractions: fs, repeats: int(repeats, 'repeats', DEFAULT_REPEATS, 1) };
}

const pct = (x: number) => (100 * x).toFixed(2);
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(2)}`;

/** One table per group: rows are fractions. */
export function formatCurveTable(result: LearningCurveResult): string {
  const groups = Array.from(new Set(result.rows.map((r) => r.group)));
  const methods = Array.from(new Set(result.rows.map((r) => r.method)));
  const pairs = Array.from(new Set(result.differences.map((d) => `${d.a}|${d.b}`))).map((k) => k.split('|'));
  const level = result.differences[0]?.level ?? 0.95;
  const out: string[] = [];
  for (const g of groups) {
    const header = [
      'fraction',
      'train',
      ...methods.map((m) => METHOD_LABELS[m] ?? m),
      ...pairs.map(
        ([a, b]) =>
          `${METHOD_LABELS[a as keyof typeof METHOD_LABELS] ?? a} − ${METHOD_LABELS[b as keyof typeof METHOD_LABELS] ?? b} [${Math.round(level * 100)}% CI]`,
      ),
    ];
    const body = result.curve.fractions.map((f) => {
      const rs = result.rows.filter((r) => r.group === g && r.fraction === f);
      const cell = (m: string) => {
        const r = rs.find((x) => x.method === m);
        return r ? `${pct(r.mean)} ± ${pct(r.sd)}` : '';
      };
      const diff = ([a, b]: string[]) => {
        const d = result.differences.find((x) => x.group === g && x.fraction === f && x.a === a && x.b === b);
        if (!d) return '';
        return d.lo === null || d.hi === null ? `${signed(d.meanDiff)} (n = 1)` : `${signed(d.meanDiff)} [${signed(d.lo)}, ${signed(d.hi)}]`;
      };
      return [String(f), String(rs[0]?.trainConstraints ?? ''), ...methods.map(cell), ...pairs.map(diff)];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
    const line = (row: string[]) => row.map((c, i) => c.padStart(widths[i])).join('  ');
    out.push(`group ${g}`, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), '');
  }
  return out.join('\n');
}

export function reportCurve(result: LearningCurveResult, folds: number, seed: number): void {
  const out = process.stdout;
  out.write(`${formatCurveTable(result)}\n`);
  const templates = formatTemplates(result, false);
  if (templates) out.write(`${templates}\n`);
  out.write(
    `learning curves: % of held-out relative constraints fulfilled (strict), mean ± sd over ${folds} folds × ${result.curve.repeats} repeats ` +
      `(fraction 1: the folds once); train: training constraints per fit (mean over folds); differences in points, ${result.curve.interval}; ` +
      `backend ${result.meta.backend.id} (${result.meta.backend.precision}); seed ${seed}; data ${result.meta.dataFingerprint}; ${(result.meta.elapsedMs / 1000).toFixed(1)} s\n`,
  );
  for (const n of result.meta.notes) out.write(`note: ${n}\n`);
}
