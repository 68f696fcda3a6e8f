/**
 * The template W0 of the transfer methods (W0-RITML), trained once per group on the group's complement:
 * which learner, which hyper-parameter, which iterate (METHOD.md "Templates"; issue 16). Pure helpers; the
 * experiment driver (experiment.ts, `fitTemplates`) runs the fits in its batches.
 *
 * Named protocol parameters (spec.params.protocol):
 * - w0Method: 'ritml' (default) | 'mlr' | 'svm' — the template's learner;
 * - w0Gamma: γ of a RITML template, a number (default 1) or 'cv' (inner CV on the complement over the γ grid);
 * - w0C: C of an MLR / SVM template, a number or 'cv' (default: inner CV over the C grid);
 * - w0Select: 'best' (default: the best-iterate rule with the prior I among the candidates, so W0 = I when no
 *   iterate beats Euclidean on the complement) | 'learned' (the best of RITML's learned iterates t ≥ 1).
 * Inner CV on the complement: `innerFolds` folds by triplet, seeded `${seed}/template-inner/${group}`; the grid
 * value with the best summed held-out fulfilment wins (ties: the earlier value).
 */
import { isPositiveDefinite } from './linalg';
import { asSpd, identity } from './matrix';
import type { SpdMatrix } from './types';

export type TemplateLearner = 'ritml' | 'mlr' | 'svm';

export interface TemplateProtocol {
  w0Method: TemplateLearner;
  w0Gamma: number | 'cv';
  w0C: number | 'cv';
  w0Select: 'best' | 'learned';
}

export const TEMPLATE_DEFAULTS: Readonly<TemplateProtocol> = Object.freeze({ w0Method: 'ritml', w0Gamma: 1, w0C: 'cv', w0Select: 'best' });

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
  if (p.w0Method !== undefined && !['ritml', 'mlr', 'svm'].includes(p.w0Method))
    errs.push(`protocol.w0Method must be ritml, mlr or svm, got ${JSON.stringify(p.w0Method)}`);
  if (p.w0Gamma !== undefined && !num(p.w0Gamma)) errs.push(`protocol.w0Gamma must be a positive number or "cv", got ${JSON.stringify(p.w0Gamma)}`);
  if (p.w0C !== undefined && !num(p.w0C)) errs.push(`protocol.w0C must be a positive number or "cv", got ${JSON.stringify(p.w0C)}`);
  if (p.w0Select !== undefined && p.w0Select !== 'best' && p.w0Select !== 'learned')
    errs.push(`protocol.w0Select must be "best" or "learned", got ${JSON.stringify(p.w0Select)}`);
  return errs;
}

/** The template's tuned parameter: its name, fixed value (null: inner CV), and grid. */
export function templateParam(p: TemplateProtocol, gammaGrid: readonly number[], cGrid: readonly number[]) {
  const param = p.w0Method === 'ritml' ? ('gamma' as const) : ('C' as const);
  const setting = param === 'gamma' ? p.w0Gamma : p.w0C;
  const grid = param === 'gamma' ? gammaGrid : cGrid;
  // 'cv' over a one-value grid is that value
  const fixed = setting === 'cv' ? (grid.length === 1 ? grid[0] : null) : setting;
  return { param, fixed, grid };
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
  const I = identity(W.rows);
  return W.data.every((x, k) => Math.abs(x - I.data[k]) <= 1e-12);
}
