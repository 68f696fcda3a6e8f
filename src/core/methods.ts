/**
 * The method table: one row per method, read by the experiment driver, the CLI, the Experiment cell, the
 * charts and the exports. A new method that reuses an existing learner is one row here; a new learner is
 * one file in src/core/learners plus its entry in LEARNERS there. Light on purpose (no learner code), so
 * the page can import it without the solvers.
 */

import { own } from './own';

/** Which code fits the method: the RITML family runs in batches on a ComputeBackend; the others one by one. */
export type MethodFamily = 'baseline' | 'ritml' | 'svm' | 'mlr';
/** The learner implementation behind a method (src/core/learners LEARNERS). */
export type LearnerId = 'euclidean' | 'ritml' | 'svm' | 'mlr' | 'mlr-diag';

export interface MethodRow {
  /** the one label of the method (tables, charts, CLI, exports) */
  readonly label: string;
  /** one short line for tool tips */
  readonly hint: string;
  /** colour-blind-safe (Okabe–Ito) colour, stable across charts */
  readonly color: string;
  readonly family: MethodFamily;
  readonly learner: LearnerId;
  /** the prior of the fit: the identity, or the group's template W0 trained on its complement */
  readonly prior: 'identity' | 'template';
  /** training data of a fold: the group's training constraints, or those plus the whole complement */
  readonly data: 'group' | 'group+complement';
  /** the hyper-parameter inner cross-validation chooses (γ from spec.gammaGrid, C from spec.cGrid) */
  readonly tuned: 'gamma' | 'C' | null;
  /** parameters over the learner's defaults (spec.params[paramsFrom], then spec.params[id] come on top) */
  readonly params: Readonly<Record<string, unknown>>;
  /** another method whose user parameters (spec.params[…]) this one takes first */
  readonly paramsFrom?: string;
  /**
   * another method whose inner-CV choice of the tuned hyper-parameter this one uses in the same fold when both
   * run (protocol.jointGamma = 'ritml', the default: JOINT trains on the whole complement in every fit, so a
   * separate inner CV multiplies the cost); protocol.jointGamma = 'tune' gives it its own inner CV
   */
  readonly tunedFrom?: string;
}

const TABLE = {
  euclidean: {
    label: 'Euclidean',
    hint: 'W = I (baseline)',
    color: '#999999',
    family: 'baseline',
    learner: 'euclidean',
    prior: 'identity',
    data: 'group',
    tuned: null,
    params: {},
  },
  itml: {
    label: 'ITML',
    hint: 'ITML with percentile bounds',
    color: '#56B4E9',
    family: 'ritml',
    learner: 'ritml',
    prior: 'identity',
    data: 'group',
    tuned: 'gamma',
    params: { outer: 1, initialBounds: 'percentile', selectBest: false },
  },
  ritml: {
    label: 'RITML',
    hint: 'ITML iterated on relative constraints',
    color: '#0072B2',
    family: 'ritml',
    learner: 'ritml',
    prior: 'identity',
    data: 'group',
    tuned: 'gamma',
    params: {},
  },
  'w0-ritml': {
    label: 'W0-RITML',
    hint: 'RITML fine-tuning a template W0 from the complement',
    color: '#D55E00',
    family: 'ritml',
    learner: 'ritml',
    prior: 'template',
    data: 'group',
    tuned: 'gamma',
    // first bounds from the template's own distances when it is not I (chosen by measurement: docs/METHOD.md,
    // "Templates that carry something"); from W0 = I the percentile bounds, so W0-RITML is then RITML exactly
    params: { initialBounds: 'auto' },
    paramsFrom: 'ritml',
  },
  joint: {
    label: 'JOINT',
    hint: 'RITML on the group plus the complement',
    color: '#E69F00',
    family: 'ritml',
    learner: 'ritml',
    prior: 'identity',
    data: 'group+complement',
    tuned: 'gamma',
    params: {},
    paramsFrom: 'ritml',
    tunedFrom: 'ritml',
  },
  svm: {
    label: 'SVM',
    hint: 'diagonal W, Schultz & Joachims',
    color: '#009E73',
    family: 'svm',
    learner: 'svm',
    prior: 'identity',
    data: 'group',
    tuned: 'C',
    params: {},
  },
  mlr: {
    label: 'MLR',
    hint: 'metric learning to rank, full W',
    color: '#CC79A7',
    family: 'mlr',
    learner: 'mlr',
    prior: 'identity',
    data: 'group',
    tuned: 'C',
    params: {},
  },
  'mlr-diag': {
    label: 'MLR (diagonal)',
    hint: 'MLR with diagonal W',
    color: '#F0E442',
    family: 'mlr',
    learner: 'mlr-diag',
    prior: 'identity',
    data: 'group',
    tuned: 'C',
    params: {},
  },
} as const satisfies Record<string, MethodRow>;

export type MethodId = keyof typeof TABLE;

export const METHODS: Readonly<Record<MethodId, MethodRow>> = TABLE;

/** Every method id, in the table's order (the order of checkboxes, tables and charts). */
export const ALL_METHODS = Object.freeze(Object.keys(METHODS) as MethodId[]);

/** The method's row; undefined for an unknown id (own properties only: ids come from files and links). */
export function methodRow(id: string): MethodRow | undefined {
  return own(METHODS as Readonly<Record<string, MethodRow>>, id);
}

export function isMethodId(id: unknown): id is MethodId {
  return typeof id === 'string' && methodRow(id) !== undefined;
}

/** The method's label, or the id itself when unknown. */
export function methodLabel(id: string): string {
  return methodRow(id)?.label ?? id;
}

export const METHOD_LABELS = Object.freeze(Object.fromEntries(ALL_METHODS.map((m) => [m, METHODS[m].label]))) as Readonly<Record<MethodId, string>>;

/** Methods whose fits are RITML problems (run in batches on a ComputeBackend). */
export const isRitmlFamily = (id: string): boolean => methodRow(id)?.family === 'ritml';
/** Methods that need groups with a complement (a template prior or the complement's data). */
export const needsComplement = (id: string): boolean => {
  const r = methodRow(id);
  return r !== undefined && (r.prior === 'template' || r.data === 'group+complement');
};
