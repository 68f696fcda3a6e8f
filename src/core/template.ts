/**
 * The template W0 of the transfer methods (W0-RITML), trained once per group on the group's complement:
 * which learner, which hyper-parameter, which iterate (METHOD.md "Templates"; issue 16). Pure helpers; the
 * experiment driver (experiment.ts, `fitTemplates`) runs the fits in its batches.
 *
 * Named protocol parameters (spec.params.protocol):
 * - w0Method: 'ritml' | 'mlr' | 'svm' — the template's learner — or 'cv' (default): the template chosen by
 *   inner CV on the complement among I (no template) and the learners of w0Candidates (default RITML and SVM),
 *   each with its γ / C as below;
 * - w0Gamma: γ of a RITML template, a number (default 1) or 'cv' (inner CV on the complement over the γ grid);
 * - w0C: C of an MLR / SVM template, a number or 'cv' (default: inner CV over the C grid);
 * - w0Select: 'best' (default: the best-iterate rule with the prior I among the candidates, so W0 = I when no
 *   iterate beats Euclidean on the complement) | 'learned' (the best of RITML's learned iterates t ≥ 1).
 * Inner CV on the complement: `innerFolds` folds by triplet, seeded `${seed}/template-inner/${group}`; the
 * candidate (learner and γ / C) with the best summed held-out fulfilment wins; ties go to the earlier candidate
 * in the order I, RITML, SVM, MLR, grid order within a learner (so I wins unless a template does better).
 */
import { isPositiveDefinite } from './linalg';
import { asSpd, isIdentityData } from './matrix';
import type { TemplateInfo } from './experiment-types';
import type { SpdMatrix } from './types';

export type TemplateLearner = 'ritml' | 'mlr' | 'svm';

export interface TemplateProtocol {
  w0Method: TemplateLearner | 'cv';
  w0Gamma: number | 'cv';
  w0C: number | 'cv';
  w0Select: 'best' | 'learned';
  /** the learners w0Method 'cv' chooses among (besides I) */
  w0Candidates: readonly TemplateLearner[];
}

/**
 * Defaults chosen by measurement (bench/template-study.ts; docs/METHOD.md "Templates that carry something"):
 * on the synthetic, poster-like and timbre sets, choosing the template per group by inner CV among I, RITML and
 * SVM was as good as or better than every fixed choice for W0-RITML (synthetic +3.29 pt over RITML against +0.90
 * with the earlier RITML-only template, poster-like +2.89 against +0.11, timbre −0.37 against −0.41); MLR as a
 * candidate changed no choice on the synthetic set at 3.6× the time, and an MLR template fine-tuned worse than
 * any other (−5.7 pt synthetic, −11.4 pt timbre), so it is not a default candidate. With W0-RITML's first bounds
 * from the template's own distances when it is not I (methods.ts: initialBounds 'auto') the chosen templates gain
 * more: synthetic +5.24, poster-like +5.76 (SVM templates), timbre −0.37 (unchanged: its two templates that are
 * not I are RITML ones, fine-tuned from percentile bounds: `autoBounds`).
 */
export const TEMPLATE_DEFAULTS: Readonly<TemplateProtocol> = Object.freeze({
  w0Method: 'cv',
  w0Gamma: 1,
  w0C: 'cv',
  w0Select: 'best',
  w0Candidates: Object.freeze(['ritml', 'svm'] as TemplateLearner[]),
});

/**
 * Share of the identity mixed into an MLR / SVM template, W0 = (1 − ε)·W·d / tr W + ε·I: those learners return
 * positive SEMI-definite metrics (an SVM weight or an MLR eigenvalue can be 0), and ITML fine-tuning can never
 * grow a direction its prior gives no weight. The trace scaling gives W0 the identity's trace (the learners'
 * scales are arbitrary; fulfilment and ITML's relative bounds do not depend on it).
 */
export const TEMPLATE_RIDGE = 1e-3;

/** Every problem of the template parameters (empty: fine). */
export function validateTemplateProtocol(p: Partial<TemplateProtocol>): string[] {
  const errs: string[] = [];
  const num = (v: unknown) => v === 'cv' || (typeof v === 'number' && v > 0 && Number.isFinite(v));
  if (p.w0Method !== undefined && !['ritml', 'mlr', 'svm', 'cv'].includes(p.w0Method))
    errs.push(`protocol.w0Method must be ritml, mlr, svm or cv, got ${JSON.stringify(p.w0Method)}`);
  if (p.w0Gamma !== undefined && !num(p.w0Gamma)) errs.push(`protocol.w0Gamma must be a positive number or "cv", got ${JSON.stringify(p.w0Gamma)}`);
  if (p.w0C !== undefined && !num(p.w0C)) errs.push(`protocol.w0C must be a positive number or "cv", got ${JSON.stringify(p.w0C)}`);
  if (p.w0Select !== undefined && p.w0Select !== 'best' && p.w0Select !== 'learned')
    errs.push(`protocol.w0Select must be "best" or "learned", got ${JSON.stringify(p.w0Select)}`);
  const c = p.w0Candidates as unknown;
  if (c !== undefined && (!Array.isArray(c) || !c.length || c.some((x) => !['ritml', 'mlr', 'svm'].includes(x))))
    errs.push(`protocol.w0Candidates must be a non-empty list of ritml, svm, mlr, got ${JSON.stringify(c)}`);
  return errs;
}

/** One template the protocol may fit: I (no template: Euclidean), or a learner with its γ (RITML) or C (SVM, MLR). */
export type TemplateCandidate = { readonly learner: 'euclidean' } | { readonly learner: TemplateLearner; readonly value: number };

/** The candidates of the protocol, in tie-break order; one candidate means no inner CV. */
export function templateCandidates(p: TemplateProtocol, gammaGrid: readonly number[], cGrid: readonly number[]): TemplateCandidate[] {
  const values = (setting: number | 'cv', grid: readonly number[]) => (setting === 'cv' ? grid : [setting]);
  const of = (learner: TemplateLearner): TemplateCandidate[] =>
    values(learner === 'ritml' ? p.w0Gamma : p.w0C, learner === 'ritml' ? gammaGrid : cGrid).map((value) => ({ learner, value }));
  if (p.w0Method !== 'cv') return of(p.w0Method);
  const order: TemplateLearner[] = ['ritml', 'svm', 'mlr'];
  return [{ learner: 'euclidean' }, ...order.filter((l) => p.w0Candidates.includes(l)).flatMap(of)];
}

/** "I", "RITML γ = 1", "SVM C = 0.1" */
export function candidateLabel(c: TemplateCandidate): string {
  if (c.learner === 'euclidean') return 'I';
  return `${c.learner === 'ritml' ? 'RITML' : c.learner.toUpperCase()} ${c.learner === 'ritml' ? 'γ' : 'C'} = ${c.value}`;
}

/**
 * An MLR / SVM metric as a template (see TEMPLATE_RIDGE), or null when the fit gave no usable metric (zero
 * or non-finite trace, not symmetric PSD): the driver then uses I and says so.
 */
export function templateFromLearner(W: SpdMatrix): SpdMatrix | null {
  const d = W.rows;
  let tr = 0;
  for (let i = 0; i < d; i++) tr += W.data[i * d + i];
  if (!(tr > 0) || !Number.isFinite(tr) || W.data.some((x) => !Number.isFinite(x))) return null;
  const s = ((1 - TEMPLATE_RIDGE) * d) / tr;
  const out = new Float64Array(d * d);
  for (let k = 0; k < d * d; k++) out[k] = W.data[k] * s;
  for (let i = 0; i < d; i++) out[i * d + i] += TEMPLATE_RIDGE;
  try {
    const W0 = asSpd({ rows: d, cols: d, data: out });
    return isPositiveDefinite(W0) ? W0 : null;
  } catch {
    return null;
  }
}

/** True when W is the d×d identity (to 1e-12). */
export function isIdentityMetric(W: SpdMatrix): boolean {
  return isIdentityData(W.data, W.rows, 1e-12);
}

/** A group's template in words: "RITML γ = 1", "SVM C = 0.1 (inner CV)", "RITML γ = 1 → I", "I (inner CV: no template beat it)". */
export function templateInfoLabel(t: TemplateInfo): string {
  if (t.method === 'euclidean') return t.chosenBy === 'inner CV' ? 'I (inner CV: no template beat it)' : 'I';
  const c = `${candidateLabel({ learner: t.method, value: t.value ?? Number.NaN })}${t.identity ? (t.failed ? ' failed → I' : ' → I') : ''}`;
  return t.chosenBy === 'inner CV' ? `${c} (inner CV)` : c;
}

/**
 * W0-RITML's first bounds for `initialBounds: 'auto'` by the template's learner (chosen by measurement, docs/METHOD.md
 * "Templates that carry something"): the template's own distances ('current') for an SVM or MLR template, ITML's
 * percentile bounds for a RITML template (itself fitted from percentile bounds; 'current' measured worse) and for I
 * (so W0-RITML from I is RITML exactly).
 */
export function autoBounds(learner: TemplateInfo['method'], identityTemplate: boolean): 'current' | 'percentile' {
  return !identityTemplate && (learner === 'svm' || learner === 'mlr') ? 'current' : 'percentile';
}
