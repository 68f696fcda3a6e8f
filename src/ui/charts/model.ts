/**
 * View model of the results charts: pure TypeScript, no DOM, no plotly import (the objects returned are
 * plain plotly trace / shape / annotation descriptions, typed loosely here).
 *
 * Conventions (tested in model.test.ts):
 * - Bars: one per (method, group), height = mean held-out fulfilment × 100 (percent), error bar ±1 sd over
 *   folds. Methods in the order of `meta.spec.methods` (then any others in row order); groups in row order.
 * - "Average" cluster (only with ≥ 2 groups and `includeAverage`): the unweighted mean over groups of the
 *   group means of each method, over the groups where that method has a row; no error bar (the sd over
 *   folds is a per-group quantity).
 * - Bars are placed by hand on a numeric x axis: cluster g is centred at x = g, method m of M at
 *   g + (m − (M − 1)/2)·w with w = 0.8 / M, so significance brackets can be drawn exactly between bars.
 * - Significance: from `result.comparisons` of the same group, p from the chosen test (paired t-test `p`
 *   or Wilcoxon `pWilcoxon`); p < 0.01 → '**', p < 0.05 → '*', otherwise no mark. Each significant pair is
 *   a bracket above its two bars; brackets in a cluster are stacked (shorter spans lower) so none overlap.
 * - y axis: from a round number at or below the lowest (mean − sd) minus 5 points (never below 0; the
 *   50 % chance level of a relative constraint drawn as a dashed line when in range) up to room for the
 *   brackets.
 * - Group names come from data: escaped for plotly ('&', '<', '>').
 */
import { allFailed, type Comparison, type ExperimentResult, type MethodId, type ResultRow } from '../../core/experiment-types';
import { methodLabel, methodRow } from '../../core/methods';
import { baselineOf, directedMark, significanceMark } from '../export';
import { escapePlotlyText, fileSlug } from '../heatmap/model';

/** The method's colour from the method table (grey for an unknown id). */
export function methodColor(m: string): string {
  return methodRow(m)?.color ?? '#444444';
}

export type SignificanceTest = 't' | 'wilcoxon';

export const TEST_NAMES: Readonly<Record<SignificanceTest, string>> = {
  t: 'two-sided paired t-test over folds',
  wilcoxon: 'two-sided Wilcoxon signed-rank test over folds',
};

export function comparisonP(c: Comparison, test: SignificanceTest): number {
  return test === 't' ? c.p : c.pWilcoxon;
}

export const AVERAGE_GROUP = 'Average';

/** Methods in spec order (then any others in row order), groups in row order. */
export function methodsAndGroups(result: ExperimentResult): { methods: MethodId[]; groups: string[] } {
  const methods: MethodId[] = [];
  const present = new Set(result.rows.map((r) => r.method));
  for (const m of result.meta?.spec?.methods ?? []) if (present.has(m) && !methods.includes(m)) methods.push(m);
  for (const r of result.rows) if (!methods.includes(r.method)) methods.push(r.method);
  const groups: string[] = [];
  for (const r of result.rows) if (!groups.includes(r.group)) groups.push(r.group);
  return { methods, groups };
}

export interface BarCell {
  readonly method: MethodId;
  readonly group: string;
  /** cluster index */
  readonly g: number;
  /** bar centre on the numeric x axis */
  readonly x: number;
  /** percent */
  readonly mean: number;
  /** percent; null for the average cluster */
  readonly sd: number | null;
  readonly folds: number;
}

export interface Bracket {
  readonly group: string;
  readonly a: MethodId;
  readonly b: MethodId;
  readonly x0: number;
  readonly x1: number;
  /** y of the bracket's top (percent) */
  readonly y: number;
  /** y where its legs end */
  readonly yLeg: number;
  readonly level: number;
  readonly p: number;
  /** '*' / '**'; on a bracket with the baseline (Euclidean) '▲' or '▼' first: the other method is better / worse */
  readonly mark: string;
  readonly meanDiff: number;
}

export interface ResultsBarsModel {
  readonly methods: MethodId[];
  /** cluster labels in x order (raw; `tickText` is escaped) */
  readonly clusters: string[];
  readonly tickText: string[];
  readonly barWidth: number;
  readonly cells: BarCell[];
  readonly brackets: Bracket[];
  /** significant comparisons not drawn (over `maxBracketLevels`) */
  readonly hiddenBrackets: number;
  readonly yRange: [number, number];
  /** y tick values: round steps from the axis start, never above 100 % (the range may go higher to fit brackets) */
  readonly yTicks: number[];
  readonly traces: Record<string, unknown>[];
  readonly shapes: Record<string, unknown>[];
  readonly annotations: Record<string, unknown>[];
  readonly caption: string;
}

export interface ResultsBarsOptions {
  readonly test?: SignificanceTest;
  readonly includeAverage?: boolean;
  /**
   * at most this many stacked bracket levels per cluster (default 4); brackets above are not drawn but
   * counted in `hiddenBrackets` and named in the caption (they stay in `significanceList`)
   */
  readonly maxBracketLevels?: number;
}

function findRow(rows: readonly ResultRow[], method: MethodId, group: string): ResultRow | undefined {
  return rows.find((r) => r.method === method && r.group === group);
}

/** Assign stacking levels to intervals [lo, hi] (inclusive; touching counts as overlap), shortest first. */
export function stackIntervals(intervals: readonly (readonly [number, number])[]): number[] {
  const order = intervals.map((_, q) => q);
  order.sort((x, y) => {
    const sx = intervals[x][1] - intervals[x][0];
    const sy = intervals[y][1] - intervals[y][0];
    return sx - sy || intervals[x][0] - intervals[y][0] || x - y;
  });
  const levels = new Array<number>(intervals.length).fill(0);
  const placed: { lo: number; hi: number; level: number }[] = [];
  for (const q of order) {
    const [lo, hi] = intervals[q];
    let level = 0;
    while (placed.some((p) => p.level === level && p.lo <= hi && lo <= p.hi)) level++;
    levels[q] = level;
    placed.push({ lo, hi, level });
  }
  return levels;
}

/** One bar per (method, group) with a row, then the average cluster's bars (no sd). */
function barCells(
  result: ExperimentResult,
  methods: readonly MethodId[],
  groups: readonly string[],
  withAverage: boolean,
  xOf: (g: number, m: number) => number,
): BarCell[] {
  const cells: BarCell[] = [];
  groups.forEach((group, g) => {
    methods.forEach((method, m) => {
      const r = findRow(result.rows, method, group);
      // a failed solve (every fit the zero metric) has no bar: the table says "failed"
      if (!r || allFailed(r)) return;
      cells.push({ method, group, g, x: xOf(g, m), mean: r.mean * 100, sd: r.sd * 100, folds: r.folds.length });
    });
  });
  if (withAverage) {
    const g = groups.length;
    methods.forEach((method, m) => {
      const rs = result.rows.filter((r) => r.method === method && groups.includes(r.group));
      if (rs.length === 0 || rs.some(allFailed)) return;
      const mean = (rs.reduce((s, r) => s + r.mean, 0) / rs.length) * 100;
      cells.push({ method, group: AVERAGE_GROUP, g, x: xOf(g, m), mean, sd: null, folds: 0 });
    });
  }
  return cells;
}

/** Lowest and highest bar ends (±sd), the y axis' round start and the bracket step. */
function yScale(cells: readonly BarCell[]): { highest: number; yLo: number; step: number } {
  let lowest = Infinity;
  let highest = -Infinity;
  for (const c of cells) {
    lowest = Math.min(lowest, c.mean - (c.sd ?? 0));
    highest = Math.max(highest, c.mean + (c.sd ?? 0));
  }
  if (!Number.isFinite(lowest)) {
    lowest = 0;
    highest = 100;
  }
  const yLo = Math.max(0, Math.floor((lowest - 5) / 5) * 5);
  return { highest, yLo, step: Math.max(1, (highest - yLo) * 0.07) };
}

interface BracketFrame {
  readonly methods: readonly MethodId[];
  readonly clusters: readonly string[];
  readonly cells: readonly BarCell[];
  readonly test: SignificanceTest;
  readonly step: number;
  readonly maxLevels: number;
  readonly xOf: (g: number, m: number) => number;
}

/**
 * The mark of a comparison: '*' / '**', with '▲' / '▼' first when one side is the baseline (the other method
 * significantly better / worse than it); '' when not significant.
 */
export function pairMark(c: Comparison, p: number, methods: readonly MethodId[]): string {
  const base = baselineOf(methods);
  if (c.a === base) return directedMark(p, -c.meanDiff);
  if (c.b === base) return directedMark(p, c.meanDiff);
  return significanceMark(p);
}

/** The significant comparisons of cluster g whose two bars are drawn. */
function significantIn(result: ExperimentResult, f: BracketFrame, group: string, g: number) {
  const found: { c: Comparison; ma: number; mb: number; p: number; mark: string }[] = [];
  for (const c of result.comparisons) {
    if (c.group !== group) continue;
    const ma = f.methods.indexOf(c.a);
    const mb = f.methods.indexOf(c.b);
    if (ma < 0 || mb < 0 || ma === mb) continue;
    if (!f.cells.some((x) => x.g === g && x.method === c.a) || !f.cells.some((x) => x.g === g && x.method === c.b)) continue;
    const p = comparisonP(c, f.test);
    const mark = pairMark(c, p, f.methods);
    if (mark === '') continue;
    found.push({ c, ma, mb, p, mark });
  }
  return found;
}

/** Significance brackets per cluster, stacked so none overlap; those above `maxLevels` are counted, not drawn. */
function buildBrackets(result: ExperimentResult, f: BracketFrame): { brackets: Bracket[]; hidden: number } {
  const brackets: Bracket[] = [];
  let hidden = 0;
  f.clusters.forEach((group, g) => {
    const found = significantIn(result, f, group, g);
    if (found.length === 0) return;
    const levels = stackIntervals(found.map((x) => [Math.min(x.ma, x.mb), Math.max(x.ma, x.mb)] as const));
    const top = Math.max(...f.cells.filter((x) => x.g === g).map((x) => x.mean + (x.sd ?? 0)));
    found.forEach((x, q) => {
      if (levels[q] >= f.maxLevels) {
        hidden++;
        return;
      }
      const y = top + f.step * (levels[q] + 1);
      const [lo, hi] = [Math.min(x.ma, x.mb), Math.max(x.ma, x.mb)];
      brackets.push({
        group,
        a: x.c.a,
        b: x.c.b,
        x0: f.xOf(g, lo),
        x1: f.xOf(g, hi),
        y,
        yLeg: y - f.step * 0.35,
        level: levels[q],
        p: x.p,
        mark: x.mark,
        meanDiff: x.c.meanDiff,
      });
    });
  });
  return { brackets, hidden };
}

/** One bar trace of a method: its group clusters with ±sd error bars, or its average bar (lighter, no error bar). */
function barTrace(method: MethodId, mine: readonly BarCell[], average: boolean, w: number): Record<string, unknown> {
  return {
    type: 'bar',
    name: methodLabel(method),
    legendgroup: method,
    showlegend: !average,
    x: mine.map((c) => c.x),
    y: mine.map((c) => c.mean),
    width: mine.map(() => w * 0.95),
    marker: { color: methodColor(method), opacity: average ? 0.7 : 1 },
    ...(average ? {} : { error_y: { type: 'data', array: mine.map((c) => c.sd ?? 0), visible: true, color: '#222', thickness: 1.2, width: 3 } }),
    customdata: mine.map((c) => [escapePlotlyText(c.group), c.sd === null ? '(mean of group means)' : `± ${c.sd.toFixed(2)} sd over ${c.folds} folds`]),
    hovertemplate: `${methodLabel(method)} · %{customdata[0]}<br>%{y:.2f}% %{customdata[1]}<extra></extra>`,
  };
}

/** Bracket paths and, when 50 % is in range, the dashed chance line. */
function bracketShapes(brackets: readonly Bracket[], chanceLine: boolean): Record<string, unknown>[] {
  const shapes: Record<string, unknown>[] = brackets.map((b) => ({
    type: 'path',
    xref: 'x',
    yref: 'y',
    path: `M ${b.x0},${b.yLeg} L ${b.x0},${b.y} L ${b.x1},${b.y} L ${b.x1},${b.yLeg}`,
    line: { color: '#222', width: 1 },
  }));
  if (chanceLine) shapes.push({ type: 'line', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: 50, y1: 50, line: { color: '#666', width: 1, dash: 'dash' } });
  return shapes;
}

function bracketAnnotations(brackets: readonly Bracket[]): Record<string, unknown>[] {
  return brackets.map((b) => ({
    x: (b.x0 + b.x1) / 2,
    y: b.y,
    xref: 'x',
    yref: 'y',
    text: b.mark,
    showarrow: false,
    yanchor: 'bottom',
    font: { size: 13, color: '#222' },
    hovertext: `${methodLabel(b.a)} vs ${methodLabel(b.b)} (${escapePlotlyText(b.group)}): Δ = ${(b.meanDiff * 100).toFixed(2)} points, p = ${formatP(b.p)}`,
  }));
}

export function buildResultsBars(result: ExperimentResult, opts: ResultsBarsOptions = {}): ResultsBarsModel {
  const test = opts.test ?? 't';
  const { methods, groups } = methodsAndGroups(result);
  const withAverage = (opts.includeAverage ?? true) && groups.length >= 2;
  const clusters = withAverage ? [...groups, AVERAGE_GROUP] : [...groups];
  const M = Math.max(1, methods.length);
  const w = 0.8 / M;
  const xOf = (g: number, m: number) => g + (m - (M - 1) / 2) * w;
  const cells = barCells(result, methods, groups, withAverage, xOf);
  const { highest, yLo, step } = yScale(cells);
  const maxLevels = Math.max(0, Math.floor(opts.maxBracketLevels ?? 4));
  const { brackets, hidden: hiddenBrackets } = buildBrackets(result, { methods, clusters, cells, test, step, maxLevels, xOf });
  const yHi = Math.max(highest, ...brackets.map((b) => b.y)) + step * 1.2;
  const yRange: [number, number] = [yLo, Math.max(yHi, yLo + 1)];
  const yTicks = percentTicks(yRange);
  // one trace per method for the group clusters and, with an average cluster, one more per method for it
  const traces = methods.map((method) =>
    barTrace(
      method,
      cells.filter((c) => c.method === method && c.sd !== null),
      false,
      w,
    ),
  );
  if (withAverage) {
    for (const method of methods) {
      const mine = cells.filter((c) => c.method === method && c.sd === null);
      if (mine.length) traces.push(barTrace(method, mine, true, w));
    }
  }
  const chanceLine = yRange[0] < 50 && yRange[1] > 50;
  return {
    methods,
    clusters,
    tickText: clusters.map(escapePlotlyText),
    barWidth: w,
    cells,
    brackets,
    hiddenBrackets,
    yRange,
    yTicks,
    traces,
    shapes: bracketShapes(brackets, chanceLine),
    annotations: bracketAnnotations(brackets),
    caption:
      resultsCaption(result, test, withAverage) +
      (hiddenBrackets > 0
        ? ` ${hiddenBrackets} further significant difference${hiddenBrackets === 1 ? ' is' : 's are'} not drawn (too many to stack): see the list.`
        : '') +
      (chanceLine ? ' Dashed line: 50 % (chance).' : '') +
      (yLo > 0 ? ` The y axis starts at ${yLo} %.` : ''),
  };
}

/**
 * The results chart's export name without extension: "results-<groups>-<k>fold-seed<seed>-<test>", e.g.
 * "results-age_group-10fold-seed1-ttest" (groups: the group-by attribute, or "all").
 */
export function resultsFileName(result: ExperimentResult, test: SignificanceTest): string {
  const s = result.meta?.spec;
  const by = s?.groupBy ? fileSlug(s.groupBy) : 'all';
  return `results-${by}-${s?.folds ?? 0}fold-seed${s?.seed ?? 0}-${test === 't' ? 'ttest' : 'wilcoxon'}`;
}

/** Tick values of a percent axis: steps of 1, 2, 5, 10 or 20 points (about 4–10 ticks), from the range start up to min(end, 100). */
export function percentTicks([lo, hi]: readonly [number, number]): number[] {
  const top = Math.min(hi, 100);
  const span = Math.max(1e-9, top - lo);
  const step = [1, 2, 5, 10, 20].find((s) => span / s <= 10) ?? 25;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= top + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

export function formatP(p: number): string {
  if (!Number.isFinite(p)) return String(p);
  if (p < 1e-4) return p.toExponential(1);
  return p.toFixed(4);
}

/** Plain-text caption: what bars, error bars and marks mean, with the test named. */
export function resultsCaption(result: ExperimentResult, test: SignificanceTest, withAverage: boolean): string {
  const spec = result.meta?.spec;
  const folds = spec?.folds ?? Math.max(0, ...result.rows.map((r) => r.folds.length));
  const split = spec ? (spec.split === 'item' ? 'item-disjoint folds' : 'folds by triplet') : 'folds';
  const b = baselineOf(methodsAndGroups(result).methods);
  const base = b ? methodLabel(b) : 'the baseline';
  const parts = [
    `Bars: mean share of held-out relative constraints fulfilled over ${folds} ${split}; error bars: ±1 sd over folds.`,
    `Brackets join significantly different bars: * p < 0.05, ** p < 0.01 (${TEST_NAMES[test]}); on a bracket with ${base}, ▲ marks a method significantly better and ▼ one significantly worse than ${base}.`,
  ];
  if (withAverage) parts.push(`${AVERAGE_GROUP}: unweighted mean of the group means (no error bar).`);
  return parts.join(' ');
}

/** Significant comparisons as text lines (for a list under the chart), in comparison order. */
export function significanceList(result: ExperimentResult, test: SignificanceTest): string[] {
  const out: string[] = [];
  const { methods } = methodsAndGroups(result);
  for (const c of result.comparisons) {
    const p = comparisonP(c, test);
    const mark = pairMark(c, p, methods);
    if (!mark) continue;
    const higher = methodLabel(c.meanDiff >= 0 ? c.a : c.b);
    out.push(
      `${c.group}: ${methodLabel(c.a)} vs ${methodLabel(c.b)} ${mark}, ${higher} higher (Δ ${c.meanDiff >= 0 ? '+' : '\u2212'}${Math.abs(c.meanDiff * 100).toFixed(2)} points, p = ${formatP(p)})`,
    );
  }
  return out;
}

export interface FoldTracesModel {
  readonly traces: Record<string, unknown>[];
  readonly folds: number;
  readonly yRange: [number, number];
  readonly methods: MethodId[];
}

/**
 * Per-fold held-out scores of one group: one lines+markers trace per method (x = fold 1..k, y percent).
 * With a single `method`, its mean (dashed) and training score (dotted) are added as horizontal lines.
 * Throws when the group or method has no rows.
 */
export function buildFoldTraces(result: ExperimentResult, group: string, method?: MethodId | 'all'): FoldTracesModel {
  const { methods: all, groups } = methodsAndGroups(result);
  if (!groups.includes(group)) {
    throw new Error(`fold drill-down: no results for group "${group}" (groups: ${groups.join(', ') || 'none'})`);
  }
  const methods = method && method !== 'all' ? [method] : all;
  const rows = methods.map((m) => findRow(result.rows, m, group)).filter((r): r is ResultRow => r !== undefined);
  if (rows.length === 0) {
    throw new Error(`fold drill-down: no results for method "${String(method)}" in group "${group}"`);
  }
  const traces: Record<string, unknown>[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  let k = 0;
  for (const r of rows) {
    const y = r.folds.map((v) => v * 100);
    k = Math.max(k, y.length);
    for (const v of y) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    traces.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: methodLabel(r.method),
      x: y.map((_, q) => q + 1),
      y,
      line: { color: methodColor(r.method), width: 1.5 },
      marker: { color: methodColor(r.method), size: 7 },
      hovertemplate: `${methodLabel(r.method)} · fold %{x}: %{y:.2f}%<extra></extra>`,
    });
  }
  if (rows.length === 1) {
    const r = rows[0];
    const n = Math.max(1, r.folds.length);
    for (const [label, v, dash] of [
      ['mean', r.mean * 100, 'dash'],
      ['training', r.train * 100, 'dot'],
    ] as const) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      traces.push({
        type: 'scatter',
        mode: 'lines',
        name: `${methodLabel(r.method)} ${label} (${v.toFixed(2)}%)`,
        x: [0.75, n + 0.25],
        y: [v, v],
        line: { color: methodColor(r.method), width: 1, dash },
        hoverinfo: 'skip',
      });
    }
  }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 100;
  }
  const pad = Math.max(1, (hi - lo) * 0.1);
  return { traces, folds: k, yRange: [Math.max(0, lo - pad), Math.min(100, hi + pad)], methods: rows.map((r) => r.method) };
}
