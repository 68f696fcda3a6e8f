/**
 * Learning curves (issue 16: when does transfer pay off?): the experiment's k-fold cross-validation with each
 * fold's TRAINING part subsampled to given fractions, R times each, the test folds untouched. It is
 * `runWithSplits` of experiment.ts — the same templates (W0 trained once per group on the complement, which is
 * not subsampled), inner CV, batches (every fraction × repeat × fold of the RITML family goes into the same
 * ComputeBackend batches, so GPU engines get them at once) and progress bar (RunMeter, `ctx.onRunProgress`).
 *
 * Subsampling (seeded, nested, unstratified): for group g, fold f and repeat r one permutation of the fold's
 * training constraints is drawn from `${seed}/curve/${g}/${f}/${r}`; fraction p keeps its first
 * max(1, round(p·n)) entries (in their original order). So for the same repeat a smaller subsample is
 * contained in every larger one, and a curve changes smoothly with p. Constraints are drawn one by one
 * (not by triplet, not by user). Fraction 1 is the fold's whole training part — the same split, and the same
 * inner-CV folds, as runExperiment's, so its numbers are the experiment's exactly — and has one repeat only
 * (every repeat would be the same fit).
 *
 * The paired difference of two methods (default W0-RITML − RITML) at each fraction is taken over the
 * folds × repeats, with a Student t-interval (level 95 %) over those paired differences. The pairs are not
 * independent (CV folds share training data, repeats share folds), so the interval is optimistic: read it as a
 * guide to the spread, not as an exact coverage statement.
 */
import type { ComputeBackend } from './compute';
import { runWithSplits, type LabData, type RunContext, type Split } from './experiment';
import type { ExperimentSpec, MethodId, Provenance, TemplateInfo } from './experiment-types';
import { createRng } from './rng';
import { subsetConstraints } from './score';
import { mean, pairedTTest, sd, studentTQuantileTwoSided } from './stats';

export interface CurveSpec {
  /** fractions of each fold's training constraints, each in (0, 1] */
  readonly fractions: readonly number[];
  /** subsamples per fraction and fold (fraction 1: always one) */
  readonly repeats: number;
  /** the paired differences reported per fraction, [a, b] meaning a − b; default W0-RITML − RITML */
  readonly pairs?: readonly (readonly [MethodId, MethodId])[];
  /** confidence level of the differences' t-intervals; default 0.95 */
  readonly level?: number;
}

/** One point of a learning curve: a method in a group at one training fraction. */
export interface CurveRow {
  readonly method: MethodId;
  readonly group: string;
  readonly fraction: number;
  /** training constraints per fit at this fraction, mean over the folds (rounded) */
  readonly trainConstraints: number;
  /** held-out fulfilment (0..1), mean over folds × repeats */
  readonly mean: number;
  readonly sd: number;
  /** one score per repeat and fold, repeat by repeat (index r · folds + f) */
  readonly folds: readonly number[];
  readonly repeats: number;
}

/** The paired difference a − b at one fraction, over folds × repeats, with its t-interval. */
export interface CurveDifference {
  readonly group: string;
  readonly fraction: number;
  readonly trainConstraints: number;
  readonly a: MethodId;
  readonly b: MethodId;
  readonly meanDiff: number;
  /** the t-interval's ends; null with a single pair (no spread to estimate) */
  readonly lo: number | null;
  readonly hi: number | null;
  readonly level: number;
  /** paired differences used (folds × repeats) */
  readonly n: number;
  /** paired t-test p (two-sided) */
  readonly p: number;
}

export interface LearningCurveResult {
  readonly rows: readonly CurveRow[];
  readonly differences: readonly CurveDifference[];
  readonly curve: { readonly fractions: readonly number[]; readonly repeats: number; readonly interval: string };
  /** each group's template W0 (trained once on the complement; `heldOut`: W0 alone on every subsampled split's test fold, in the run's layout) */
  readonly templates?: readonly TemplateInfo[];
  readonly meta: Provenance;
}

export const DEFAULT_FRACTIONS: readonly number[] = Object.freeze([0.05, 0.1, 0.25, 0.5, 1]);
const DEFAULT_PAIRS: readonly (readonly [MethodId, MethodId])[] = [['w0-ritml', 'ritml']];

/** Every problem of a curve spec (empty: fine). */
export function validateCurve(c: CurveSpec): string[] {
  const errs: string[] = [];
  if (!c.fractions.length) errs.push('give at least one training fraction');
  for (const p of c.fractions) if (!(p > 0 && p <= 1)) errs.push(`training fractions must be in (0, 1], got ${p}`);
  if (!Number.isInteger(c.repeats) || c.repeats < 1) errs.push(`repeats must be an integer ≥ 1, got ${c.repeats}`);
  if (c.level !== undefined && !(c.level > 0 && c.level < 1)) errs.push(`confidence level must be in (0, 1), got ${c.level}`);
  return errs;
}

/** Where each planned split sits on the curve (the same layout for every group). */
interface Slot {
  readonly fraction: number;
  readonly repeat: number;
  readonly fold: number;
}

/** Fractions ascending without repeats; the layout: fraction by fraction, repeat by repeat, fold by fold. */
function layout(fractions: readonly number[], repeats: number, folds: number): Slot[] {
  const out: Slot[] = [];
  for (const fraction of [...new Set(fractions)].sort((a, b) => a - b)) {
    for (let repeat = 0; repeat < (fraction === 1 ? 1 : repeats); repeat++) for (let fold = 0; fold < folds; fold++) out.push({ fraction, repeat, fold });
  }
  return out;
}

/**
 * The subsampled splits of one group (see the header): one per slot, test folds untouched, fraction 1 the
 * fold's own split. Exported for the tests.
 */
export function subsampleSplits(seed: number, group: string, folds: readonly Split[], slots: readonly Slot[]): Split[] {
  const perms = new Map<string, number[]>();
  const permOf = (f: number, r: number) => {
    const k = `${f}/${r}`;
    let p = perms.get(k);
    if (!p) {
      p = createRng(`${seed}/curve/${group}/${f}/${r}`).shuffle(Array.from({ length: folds[f].train.count }, (_, i) => i));
      perms.set(k, p);
    }
    return p;
  };
  return slots.map(({ fraction, repeat, fold }) => {
    const base = folds[fold];
    // the fold's own split, its inner CV seeded by the fold's index as in runExperiment
    if (fraction === 1) return { ...base, key: base.key ?? String(fold) };
    const n = base.train.count;
    const keep = permOf(fold, repeat)
      .slice(0, Math.max(1, Math.round(fraction * n)))
      .sort((a, b) => a - b);
    return { train: subsetConstraints(base.train, keep), test: base.test, key: `${fold}/curve-${repeat}/${fraction}` };
  });
}

/** The learning curves of `spec`'s methods in its groups (k-fold CV; see the header). */
export async function runLearningCurve(
  data: LabData,
  spec: ExperimentSpec,
  curve: CurveSpec,
  backend: ComputeBackend,
  ctx: RunContext = {},
): Promise<LearningCurveResult> {
  const errs = validateCurve(curve);
  if (errs.length) throw new Error(errs.join('; '));
  const slots = layout(curve.fractions, curve.repeats, spec.folds);
  const sizes = new Map<string, number[]>();
  const groups: string[] = [];
  const plan = {
    heatmaps: false,
    expand: (g: string, folds: readonly Split[]) => {
      const splits = subsampleSplits(spec.seed, g, folds, slots);
      groups.push(g);
      sizes.set(
        g,
        splits.map((s) => s.train.count),
      );
      return splits;
    },
  };
  // rows come at the end (the driver's partial rows would be per split)
  const res = await runWithSplits(data, spec, backend, { ...ctx, onPartial: undefined }, plan);
  const fractions = [...new Set(slots.map((s) => s.fraction))];
  const level = curve.level ?? 0.95;
  const rows: CurveRow[] = [];
  const differences: CurveDifference[] = [];
  for (const g of groups) {
    const scoresOf = (m: MethodId) => res.rows.find((r) => r.method === m && r.group === g)?.folds;
    for (const fraction of fractions) {
      const at = slots.flatMap((s, k) => (s.fraction === fraction ? [k] : []));
      const trainConstraints = Math.round(mean(at.map((k) => sizes.get(g)![k])));
      const repeats = fraction === 1 ? 1 : curve.repeats;
      for (const m of spec.methods) {
        const all = scoresOf(m);
        if (!all) continue;
        const folds = at.map((k) => all[k]);
        rows.push({ method: m, group: g, fraction, trainConstraints, mean: mean(folds), sd: sd(folds), folds, repeats });
      }
      for (const [a, b] of curve.pairs ?? DEFAULT_PAIRS) {
        const sa = scoresOf(a);
        const sb = scoresOf(b);
        if (sa && sb)
          differences.push(
            difference(
              g,
              fraction,
              trainConstraints,
              a,
              b,
              at.map((k) => sa[k]),
              at.map((k) => sb[k]),
              level,
            ),
          );
      }
    }
  }
  const interval = `Student t-interval (${Math.round(level * 100)} %) over the paired differences of folds × repeats (optimistic: the pairs share training data)`;
  const notes = [
    ...res.meta.notes,
    `learning curve: each fold's training constraints subsampled to ${fractions.join(', ')} (${curve.repeats} repeat${curve.repeats === 1 ? '' : 's'}; fraction 1 once), nested per repeat, test folds untouched; templates W0 on the complement (not subsampled)`,
  ];
  return {
    rows,
    differences,
    curve: { fractions, repeats: curve.repeats, interval },
    ...(res.templates ? { templates: res.templates } : {}),
    meta: { ...res.meta, notes },
  };
}

function difference(
  group: string,
  fraction: number,
  trainConstraints: number,
  a: MethodId,
  b: MethodId,
  xa: number[],
  xb: number[],
  level: number,
): CurveDifference {
  const d = xa.map((x, k) => x - xb[k]);
  const t = pairedTTest(xa, xb);
  const n = d.length;
  const half = n > 1 ? (studentTQuantileTwoSided(1 - level, n - 1) * sd(d)) / Math.sqrt(n) : NaN;
  const m = mean(d);
  return { group, fraction, trainConstraints, a, b, meanDiff: m, lo: n > 1 ? m - half : null, hi: n > 1 ? m + half : null, level, n, p: t.p };
}
