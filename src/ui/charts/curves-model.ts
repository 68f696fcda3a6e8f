/**
 * The numbers of a learning-curve chart (core/learning-curve.ts), kept apart from plotly so they are
 * unit-tested: per group one line per method (held-out fulfilment in %, mean ± sd as a band) against the
 * training constraints on a log axis, and the paired differences with their intervals.
 */
import type { CurveDifference, CurveRow, LearningCurveResult } from '../../core/learning-curve';
import { methodLabel } from '../../core/methods';
import { methodColor } from './model';

/** The groups of a curve result, in the order of its rows. */
export const curveGroups = (r: LearningCurveResult): string[] => [...new Set(r.rows.map((x) => x.group))];

/** One method's line in one group: points in ascending training size. */
export interface CurveLine {
  readonly method: string;
  readonly label: string;
  readonly color: string;
  /** training constraints per fit */
  readonly x: number[];
  /** mean held-out fulfilment, % */
  readonly y: number[];
  /** mean − sd and mean + sd, % (the band) */
  readonly lo: number[];
  readonly hi: number[];
}

export function curveLines(r: LearningCurveResult, group: string): CurveLine[] {
  const rows = r.rows.filter((x) => x.group === group);
  return [...new Set(rows.map((x) => x.method))].map((method) => {
    const mine: CurveRow[] = rows.filter((x) => x.method === method).sort((a, b) => a.fraction - b.fraction);
    const sd = (x: CurveRow) => (Number.isFinite(x.sd) ? x.sd : 0);
    return {
      method,
      label: methodLabel(method),
      color: methodColor(method),
      x: mine.map((x) => x.trainConstraints),
      y: mine.map((x) => 100 * x.mean),
      lo: mine.map((x) => 100 * (x.mean - sd(x))),
      hi: mine.map((x) => 100 * (x.mean + sd(x))),
    };
  });
}

/** The paired differences of one group (points, ascending size), with their interval ends (null: one pair only). */
export function curveDifferences(r: LearningCurveResult, group: string): CurveDifference[] {
  return r.differences.filter((d) => d.group === group).sort((a, b) => a.fraction - b.fraction);
}

/** "W0-RITML − RITML" */
export const differenceLabel = (d: Pick<CurveDifference, 'a' | 'b'>): string => `${methodLabel(d.a)} − ${methodLabel(d.b)}`;
