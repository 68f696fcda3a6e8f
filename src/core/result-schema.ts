/**
 * One schema for an experiment's result and a Constraints cell's summary read back from untrusted storage
 * (a notebook file, this browser's autosave): every field the lab reads is checked for its type, and the
 * object is rebuilt from the known fields only, so a damaged file is refused with the path of the first
 * bad field (`runs.c3.result.comparisons[0].p: expected a number, got "x"`) instead of crashing a view.
 *
 * JSON has no NaN: a number the lab wrote as NaN (a p-value of identical scores, the sd of one fold) comes
 * back as null, and is read as NaN again (`numOrNaN`). Pure: no DOM.
 */
import type { ConversionReport, GroupSummaryRow } from './constraints';
import type { ExperimentResult } from './experiment-types';
import type { LearningCurveResult } from './learning-curve';
import { isMethodId } from './methods';

type Check<T> = (v: unknown, path: string) => T;

export class ResultSchemaError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'ResultSchemaError';
  }
}

const shown = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
};

const num: Check<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ResultSchemaError(path, `expected a number, got ${shown(v)}`);
  return v;
};
/** a number, or null for a NaN the lab wrote */
const numOrNaN: Check<number> = (v, path) => (v === null ? Number.NaN : num(v, path));
const int: Check<number> = (v, path) => {
  const x = num(v, path);
  if (!Number.isInteger(x) || x < 0) throw new ResultSchemaError(path, `expected a whole number ≥ 0, got ${shown(v)}`);
  return x;
};
const str: Check<string> = (v, path) => {
  if (typeof v !== 'string') throw new ResultSchemaError(path, `expected text, got ${shown(v)}`);
  return v;
};
const bool: Check<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw new ResultSchemaError(path, `expected true or false, got ${shown(v)}`);
  return v;
};
const method: Check<ExperimentResult['rows'][number]['method']> = (v, path) => {
  if (!isMethodId(v)) throw new ResultSchemaError(path, `expected a method id, got ${shown(v)}`);
  return v;
};
const oneOf =
  <T extends string>(values: readonly T[]): Check<T> =>
  (v, path) => {
    if (!values.includes(v as T)) throw new ResultSchemaError(path, `expected one of ${values.join(', ')}, got ${shown(v)}`);
    return v as T;
  };
const arr =
  <T>(item: Check<T>): Check<T[]> =>
  (v, path) => {
    if (!Array.isArray(v)) throw new ResultSchemaError(path, `expected a list, got ${shown(v)}`);
    return v.map((x, i) => item(x, `${path}[${i}]`));
  };
const opt =
  <T>(c: Check<T>): Check<T | undefined> =>
  (v, path) =>
    v === undefined ? undefined : c(v, path);
const record =
  <T>(item: Check<T>): Check<Record<string, T>> =>
  (v, path) => {
    const o = plain(v, path);
    const out: Record<string, T> = {};
    for (const k of Object.keys(o)) out[k] = item(o[k], `${path}.${k}`);
    return out;
  };
function plain(v: unknown, path: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ResultSchemaError(path, `expected an object, got ${shown(v)}`);
  return v as Record<string, unknown>;
}
type Shape = Readonly<Record<string, Check<unknown>>>;
/** an object of exactly the shape's fields (unknown fields are dropped; optional ones left out when absent) */
const obj =
  <T>(shape: Shape): Check<T> =>
  (v, path) => {
    const o = plain(v, path);
    const out: Record<string, unknown> = {};
    for (const [k, c] of Object.entries(shape)) {
      const x = c(Object.hasOwn(o, k) ? o[k] : undefined, `${path}.${k}`);
      if (x !== undefined) out[k] = x;
    }
    return out as T;
  };

const spec = obj({
  methods: arr(method),
  groupBy: opt(str),
  groups: opt(arr(str)),
  folds: int,
  split: oneOf(['triplet', 'item'] as const),
  seed: num,
  pca: opt(int),
  standardise: bool,
  gammaGrid: arr(num),
  cGrid: arr(num),
  innerFolds: int,
  removeGroupTripletsFromW0: bool,
  params: opt(record(record((v) => v))),
});

const row = obj({
  method,
  group: str,
  mean: numOrNaN,
  sd: numOrNaN,
  folds: arr(numOrNaN),
  train: numOrNaN,
  chosen: opt(arr(numOrNaN)),
  fitMs: num,
  notConverged: opt(obj({ fits: int, of: int, zeroMetric: int })),
});

// the lab never writes a NaN difference or p-value (stats.ts): null there is damage
const comparison = obj({ group: str, a: method, b: method, meanDiff: num, p: num, pWilcoxon: num });

const metrics: Check<ExperimentResult['metrics'][number]> = (v, path) => {
  const m = obj<{ group: string; d: number; W0?: number[]; W?: number[] }>({ group: str, d: int, W0: opt(arr(num)), W: opt(arr(num)) })(v, path);
  for (const k of ['W0', 'W'] as const) {
    const w = m[k];
    if (w && w.length !== m.d * m.d) throw new ResultSchemaError(`${path}.${k}`, `expected ${m.d}×${m.d} = ${m.d * m.d} numbers, got ${w.length}`);
  }
  return m;
};

const meta = obj({
  app: str,
  version: str,
  dataFingerprint: str,
  featuresSource: str,
  judgmentsSource: str,
  spec,
  backend: obj({ id: str, precision: oneOf(['float64', 'float32'] as const), description: str }),
  startedAt: str,
  elapsedMs: num,
  constraintCounts: record(num),
  featureNames: arr(str),
  notes: arr(str),
});

const templateInfo = obj({
  group: str,
  method: oneOf(['euclidean', 'ritml', 'mlr', 'svm'] as const),
  param: opt(oneOf(['gamma', 'C'] as const)),
  value: opt(num),
  chosenBy: oneOf(['fixed', 'inner CV'] as const),
  innerCv: opt(obj({ candidates: arr(str), fulfilment: arr(num) })),
  complementConstraints: int,
  trainFulfilment: num,
  euclideanTrain: num,
  identity: bool,
  failed: opt(bool),
  heldOut: arr(numOrNaN),
});

/** An experiment result read from untrusted storage; throws a ResultSchemaError naming the first bad field. */
export const checkExperimentResult: Check<ExperimentResult> = (v, path) => {
  const r = obj<ExperimentResult>({ rows: arr(row), comparisons: arr(comparison), metrics: arr(metrics), templates: opt(arr(templateInfo)), meta })(v, path);
  const groups = new Set(r.rows.map((x) => x.group));
  r.comparisons.forEach((c, i) => {
    if (!groups.has(c.group)) throw new ResultSchemaError(`${path}.comparisons[${i}].group`, `no result row has group ${shown(c.group)}`);
  });
  return r;
};

const curveRow = obj({ method, group: str, fraction: num, trainConstraints: int, mean: numOrNaN, sd: numOrNaN, folds: arr(numOrNaN), repeats: int });
// an interval's ends are null with a single pair; the mean difference and p come from scores (NaN: p of identical pairs)
const curveDifference = obj({
  group: str,
  fraction: num,
  trainConstraints: int,
  a: method,
  b: method,
  meanDiff: num,
  lo: (v: unknown, path: string) => (v === null ? null : num(v, path)),
  hi: (v: unknown, path: string) => (v === null ? null : num(v, path)),
  level: num,
  n: int,
  p: numOrNaN,
});

/** A learning curve's result (core/learning-curve.ts) read from untrusted storage; throws a ResultSchemaError naming the first bad field. */
export const checkCurveResult: Check<LearningCurveResult> = (v, path) => {
  const r = obj<LearningCurveResult>({
    rows: arr(curveRow),
    differences: arr(curveDifference),
    curve: obj({ fractions: arr(num), repeats: int, interval: str }),
    templates: opt(arr(templateInfo)),
    meta,
  })(v, path);
  r.rows.forEach((x, i) => {
    if (!(x.fraction > 0 && x.fraction <= 1))
      throw new ResultSchemaError(`${path}.rows[${i}].fraction`, `expected a fraction in (0, 1], got ${shown(x.fraction)}`);
  });
  return r;
};

const counts = { votes: num, judgments: int, constraintsRaw: int, constraintsBefore: int, constraintsAfter: int, clips: int, triplets: int };
const conversion = obj<ConversionReport>({ ...counts, contradictionsResolved: int, tiesDropped: int });

const groupCounts = { votes: num, constraints: int, clips: int };
const groupRow = obj<GroupSummaryRow>({ group: str, ...groupCounts, complement: obj({ ...groupCounts }) });

/** A Constraints cell's summary read from untrusted storage. */
export const checkConstraintsSummary = obj<{ groupBy: string; overall: ConversionReport; groups: GroupSummaryRow[] }>({
  groupBy: str,
  overall: conversion,
  groups: arr(groupRow),
});
