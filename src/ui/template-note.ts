/**
 * Why W0-RITML equals RITML for a group, read from a result: its template W0 (RITML on the complement, prior I)
 * is the identity when no RITML iterate beat the prior on the complement's training constraints (the best-iterate
 * rule keeps the prior), and W0-RITML from W0 = I is RITML itself. Pure, unit-tested.
 */
import type { ExperimentResult, TemplateInfo } from '../core/experiment-types';
import { isIdentityData } from '../core/matrix';
import { templateInfoLabel } from '../core/template';

/** W is the d×d identity (to 1e-12). */
export function isIdentity(W: readonly number[], d: number): boolean {
  return isIdentityData(W, d, 1e-12);
}

export interface TemplateSummary {
  /** groups with a template W0 in the result */
  readonly groups: number;
  /** of those, the groups whose W0 is the identity */
  readonly identity: readonly string[];
  /** groups whose W0-RITML fold scores equal RITML's exactly (null when the result has not both methods) */
  readonly sameScores: number | null;
  readonly scoredGroups: number;
}

export function templateSummary(r: ExperimentResult): TemplateSummary | null {
  const withW0 = r.metrics.filter((m) => m.W0 !== undefined);
  if (withW0.length === 0) return null;
  const identity = withW0.filter((m) => isIdentity(m.W0!, m.d)).map((m) => m.group);
  const groups = [...new Set(r.rows.filter((x) => x.group !== 'average').map((x) => x.group))];
  const row = (m: string, g: string) => r.rows.find((x) => x.method === m && x.group === g);
  const pairs = groups.map((g) => [row('ritml', g), row('w0-ritml', g)] as const).filter(([a, b]) => a && b);
  const sameScores = pairs.length ? pairs.filter(([a, b]) => a!.folds.every((v, k) => v === b!.folds[k])).length : null;
  return { groups: withW0.length, identity, sameScores, scoredGroups: pairs.length };
}

/** The sentence shown under the results, or null when no template is the identity. */
export function templateNote(r: ExperimentResult): string | null {
  const s = templateSummary(r);
  if (!s || s.identity.length === 0) return null;
  // results that report their templates say why each is I; older ones came from RITML's best-iterate rule
  if (r.templates?.length) return identityReasons(r.templates, s);
  const all = s.identity.length === s.groups;
  const which = all ? `every group (${s.groups})` : `${s.identity.length} of ${s.groups} groups${s.identity.length <= 4 ? ` (${s.identity.join(', ')})` : ''}`;
  const same =
    s.sameScores === null
      ? ''
      : ` W0-RITML and RITML give identical fold scores for ${s.sameScores} of ${s.scoredGroups} group${s.scoredGroups === 1 ? '' : 's'}.`;
  return (
    `The template W0 is the identity I for ${which}: RITML on the complement did not beat Euclidean on the complement's ` +
    `training constraints, so the best-iterate rule kept its starting point I. Fine-tuning from W0 = I is RITML itself, ` +
    `so for ${all ? 'these groups' : 'those groups'} W0-RITML equals RITML and transfers nothing.${same}`
  );
}

/** One group's template in words and numbers (result.templates with the rows of the same run). */
export interface TemplateRow {
  readonly group: string;
  /** e.g. "RITML, γ = 1" or "SVM, C = 10 (inner CV)" */
  readonly learner: string;
  readonly identity: boolean;
  /** fulfilment of the complement's constraints: the template's and Euclidean's */
  readonly complement: readonly [number, number];
  /** mean held-out fulfilment of W0 alone, and of Euclidean, W0-RITML and RITML where they ran */
  readonly heldOut: number;
  readonly euclidean?: number;
  readonly w0ritml?: number;
  readonly ritml?: number;
}

const meanOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const pts = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)} pt`;

export function templateRows(r: ExperimentResult): TemplateRow[] {
  const mean = (m: string, g: string) => r.rows.find((x) => x.method === m && x.group === g)?.mean;
  return (r.templates ?? []).map((t) => ({
    group: t.group,
    learner: templateInfoLabel(t),
    identity: t.identity,
    complement: [t.trainFulfilment, t.euclideanTrain],
    heldOut: meanOf(t.heldOut),
    euclidean: mean('euclidean', t.group),
    w0ritml: mean('w0-ritml', t.group),
    ritml: mean('ritml', t.group),
  }));
}

/**
 * What the templates carried in this run, said plainly (averages over the groups): whether they beat Euclidean
 * on their own training data, what W0 alone scores held out, and what fine-tuning made of it against RITML.
 * Null without templates (older results, runs without W0-RITML).
 */
export function templateVerdict(r: ExperimentResult): string | null {
  const rows = templateRows(r);
  if (!rows.length) return null;
  const n = rows.length;
  const beat = rows.filter((x) => x.complement[0] > x.complement[1]).length;
  const parts = [`Templates: the template beats Euclidean on its own complement for ${beat} of ${n} group${n === 1 ? '' : 's'}`];
  const withEu = rows.filter((x) => x.euclidean !== undefined);
  const alone = meanOf(rows.map((x) => x.heldOut));
  parts.push(
    withEu.length === n
      ? `alone (no fine-tuning) it fulfils ${pct(alone)} of the groups' held-out constraints, Euclidean ${pct(meanOf(withEu.map((x) => x.euclidean!)))}`
      : `alone (no fine-tuning) it fulfils ${pct(alone)} of the groups' held-out constraints`,
  );
  const both = rows.filter((x) => x.w0ritml !== undefined && x.ritml !== undefined);
  if (both.length === n) {
    const d = meanOf(both.map((x) => x.w0ritml! - x.ritml!));
    const wins = both.filter((x) => x.w0ritml! > x.ritml!).length;
    const losses = both.filter((x) => x.w0ritml! < x.ritml!).length;
    const verdict = Math.abs(d) < 0.005 ? 'transfer makes no real difference here' : d > 0 ? 'transfer pays off here' : 'transfer costs accuracy here';
    parts.push(
      `fine-tuned (W0-RITML) it scores ${pct(meanOf(both.map((x) => x.w0ritml!)))} against RITML's ${pct(meanOf(both.map((x) => x.ritml!)))} (${pts(d)}; better in ${wins}, worse in ${losses} of ${n}): ${verdict}`,
    );
  }
  return `${parts.join('; ')}.`;
}

/** Why each identity template is I, by cause (inner CV chose I, RITML's best-iterate rule kept I, a learner failed). */
function identityReasons(ts: readonly TemplateInfo[], s: TemplateSummary): string {
  const ids = ts.filter((t) => t.identity);
  const list = (xs: readonly TemplateInfo[]) => (xs.length <= 4 ? ` (${xs.map((t) => t.group).join(', ')})` : '');
  const n = (xs: readonly TemplateInfo[]) => `${xs.length} of ${ts.length} group${ts.length === 1 ? '' : 's'}${list(xs)}`;
  const byCv = ids.filter((t) => t.method === 'euclidean');
  const kept = ids.filter((t) => t.method === 'ritml');
  const failed = ids.filter((t) => t.method === 'svm' || t.method === 'mlr');
  const parts: string[] = [];
  if (byCv.length) parts.push(`for ${n(byCv)} inner CV on the complement found no template that fulfils more held-out complement constraints than I`);
  if (kept.length)
    parts.push(`for ${n(kept)} no RITML iterate beat Euclidean on the complement's training constraints, so the best-iterate rule kept its starting point I`);
  if (failed.length) parts.push(`for ${n(failed)} the template's fit gave no usable metric and I stands in`);
  const same =
    s.sameScores === null
      ? ''
      : ` W0-RITML and RITML give identical fold scores for ${s.sameScores} of ${s.scoredGroups} group${s.scoredGroups === 1 ? '' : 's'}.`;
  return `The template W0 is the identity I ${parts.join('; ')}. Fine-tuning from W0 = I is RITML itself, so there W0-RITML equals RITML and transfers nothing.${same}`;
}
