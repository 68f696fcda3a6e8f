/**
 * Why W0-RITML equals RITML for a group, read from a result: its template W0 (RITML on the complement, prior I)
 * is the identity when no RITML iterate beat the prior on the complement's training constraints (the best-iterate
 * rule keeps the prior), and W0-RITML from W0 = I is RITML itself. Pure, unit-tested.
 */
import type { ExperimentResult } from '../core/experiment-types';

/** W is the d×d identity (to 1e-12). */
export function isIdentity(W: readonly number[], d: number): boolean {
  if (W.length !== d * d) return false;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (Math.abs(W[i * d + j] - (i === j ? 1 : 0)) > 1e-12) return false;
  return true;
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
