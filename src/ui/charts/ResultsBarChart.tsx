/**
 * Results of an experiment: grouped bars (methods × groups, + average) with ±1 sd error bars and
 * significance brackets, and a per-fold drill-down for one group. Numbers come from ./model (unit-tested).
 */
import { useId, useMemo, useRef, useState, type CSSProperties } from 'react';
import type { ExperimentResult, MethodId } from '../../core/experiment-types';
import { ExportButtons, PlotlyFigure, type Data, type Layout } from './PlotlyFigure';
import {
  TEST_NAMES,
  buildFoldTraces,
  resultsFileName,
  buildResultsBars,
  methodsAndGroups,
  significanceList,
  type ResultsBarsModel,
  type SignificanceTest,
} from './model';
import { escapePlotlyText, fileSlug } from '../heatmap/model';
import { methodLabel } from '../../core/methods';

const box: CSSProperties = { fontFamily: 'system-ui, sans-serif', color: '#111', margin: 0 };
const captionStyle: CSSProperties = { fontSize: '0.85em', color: '#333', marginTop: 4 };

export interface ResultsBarChartProps {
  readonly result: ExperimentResult;
  /** initial significance test (default: paired t-test) */
  readonly test?: SignificanceTest;
  /** add an "Average" cluster when there are ≥ 2 groups (default true) */
  readonly includeAverage?: boolean;
  readonly title?: string;
}

/** The plotly layout of the bar chart: clusters on a numeric x axis, percent y axis, brackets. */
function barsLayout(m: ResultsBarsModel): Partial<Layout> {
  return {
    barmode: 'overlay',
    xaxis: {
      tickmode: 'array',
      tickvals: m.clusters.map((_, g) => g),
      ticktext: m.tickText,
      range: [-0.5, m.clusters.length - 0.5],
      showgrid: false,
      zeroline: false,
      automargin: true,
    },
    yaxis: {
      title: { text: 'held-out constraints fulfilled' },
      ticksuffix: '%',
      range: m.yRange,
      tickmode: 'array',
      tickvals: m.yTicks,
      ticktext: m.yTicks.map((v) => `${v}%`),
      automargin: true,
      gridcolor: '#e5e5e5',
    },
    shapes: m.shapes as Layout['shapes'],
    annotations: m.annotations as Layout['annotations'],
    legend: { orientation: 'h', x: 0, y: 1.02, xanchor: 'left', yanchor: 'bottom' },
    margin: { l: 10, r: 10, t: 10, b: 10 },
    height: 440,
    paper_bgcolor: '#fff',
    plot_bgcolor: '#fff',
  };
}

export function ResultsBarChart({ result, test: initialTest = 't', includeAverage = true, title }: ResultsBarChartProps) {
  const [test, setTest] = useState<SignificanceTest>(initialTest);
  const ref = useRef<HTMLDivElement | null>(null);
  const captionId = useId();
  const testId = useId();
  const heading = title ?? 'Held-out constraints fulfilled';

  const built = useMemo(() => {
    try {
      const m = buildResultsBars(result, { test, includeAverage });
      const layout = barsLayout(m);
      return { model: m, data: m.traces as unknown as Data[], layout, list: significanceList(result, test), error: null };
    } catch (e) {
      return { model: null, data: [], layout: {}, list: [], error: e instanceof Error ? e.message : String(e) };
    }
  }, [result, test, includeAverage]);

  if (built.error || !built.model) {
    return (
      <p role="alert" style={{ color: '#a00' }}>
        Results chart: {built.error ?? 'no results'}
      </p>
    );
  }
  if (built.model.cells.length === 0) {
    return <p data-testid="results-chart">No results to chart yet.</p>;
  }
  return (
    <figure style={box} data-testid="results-chart" aria-labelledby={captionId}>
      <div style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap' }}>
        <label htmlFor={testId}>
          Significance test:{' '}
          <select id={testId} value={test} onChange={(e) => setTest(e.target.value as SignificanceTest)} style={{ font: 'inherit' }}>
            <option value="t">paired t-test</option>
            <option value="wilcoxon">Wilcoxon signed-rank</option>
          </select>
        </label>
        <ExportButtons graphRef={ref} filename={resultsFileName(result, test)} what="results chart" title={escapePlotlyText(heading)} />
      </div>
      <PlotlyFigure data={built.data} layout={built.layout} graphRef={ref} />
      <figcaption id={captionId} style={captionStyle}>
        <strong>{heading}.</strong> {built.model.caption}
      </figcaption>
      <SignificanceList list={built.list} test={test} />
    </figure>
  );
}

/** The significant differences as text (what the brackets show, and those too many to draw). */
function SignificanceList({ list, test }: { list: readonly string[]; test: SignificanceTest }) {
  return (
    <details style={{ fontSize: '0.85em', marginTop: 4 }} data-testid="significance-list">
      <summary>
        Significant differences ({list.length}, {TEST_NAMES[test]})
      </summary>
      {list.length === 0 ? (
        <p style={{ margin: '4px 0' }}>None at p &lt; 0.05.</p>
      ) : (
        <ul style={{ margin: '4px 0', paddingLeft: 20 }}>
          {list.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      )}
    </details>
  );
}

export interface FoldDrilldownProps {
  readonly result: ExperimentResult;
  /** initial method: one method (adds its mean and training lines) or 'all' (default); selectable */
  readonly method?: MethodId | 'all';
  /** initial group (default: the first group of the results); selectable */
  readonly group?: string;
}

export function FoldDrilldown({ result, method: initialMethod = 'all', group: initialGroup }: FoldDrilldownProps) {
  const ref = useRef<HTMLDivElement | null>(null);
  const captionId = useId();
  const groupSel = useId();
  const methodSel = useId();
  const { methods, groups } = useMemo(() => methodsAndGroups(result), [result]);
  const [groupChoice, setGroup] = useState<string | undefined>(initialGroup);
  const [methodChoice, setMethod] = useState<MethodId | 'all'>(initialMethod);
  // a choice that the (new) result does not have falls back to the first group / all methods
  const group = groupChoice !== undefined && groups.includes(groupChoice) ? groupChoice : (groups[0] ?? '');
  const method = methodChoice === 'all' || methods.includes(methodChoice) ? methodChoice : 'all';
  const built = useMemo(() => {
    try {
      const f = buildFoldTraces(result, group, method);
      const title = `Per-fold scores · ${method === 'all' ? 'all methods' : methodLabel(method)} · group ${group}`;
      const layout: Partial<Layout> = {
        xaxis: { title: { text: 'fold' }, dtick: 1, range: [0.5, f.folds + 0.5], zeroline: false },
        yaxis: { title: { text: 'held-out constraints fulfilled' }, ticksuffix: '%', range: f.yRange, automargin: true },
        legend: { orientation: 'h', y: -0.2 },
        margin: { l: 10, r: 10, t: 10, b: 10 },
        height: 320,
      };
      return { f, title, data: f.traces as unknown as Data[], layout, error: null };
    } catch (e) {
      return { f: null, title: '', data: [], layout: {}, error: e instanceof Error ? e.message : String(e) };
    }
  }, [result, group, method]);

  if (built.error || !built.f) {
    return (
      <p role="alert" style={{ color: '#a00' }} data-testid="fold-drilldown">
        {built.error}
      </p>
    );
  }
  const split = result.meta?.spec?.split === 'item' ? 'item-disjoint folds' : 'folds by triplet';
  return (
    <figure style={box} data-testid="fold-drilldown" aria-labelledby={captionId}>
      <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap', alignItems: 'center' }}>
        <label htmlFor={groupSel}>
          Group:{' '}
          <select id={groupSel} value={group} onChange={(e) => setGroup(e.target.value)} style={{ font: 'inherit' }}>
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={methodSel}>
          Method:{' '}
          <select id={methodSel} value={method} onChange={(e) => setMethod(e.target.value as MethodId | 'all')} style={{ font: 'inherit' }}>
            <option value="all">all methods</option>
            {methods.map((m) => (
              <option key={m} value={m}>
                {methodLabel(m)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <PlotlyFigure data={built.data} layout={built.layout} graphRef={ref} />
      <figcaption id={captionId} style={captionStyle}>
        {built.title}: share of held-out relative constraints fulfilled in each of {built.f.folds} {split}
        {method !== 'all' ? '; dashed: mean over folds, dotted: training score.' : '.'}
      </figcaption>
      <ExportButtons
        graphRef={ref}
        filename={`folds-${fileSlug(group)}-${method}`}
        what="per-fold chart"
        title={escapePlotlyText(built.title)}
        csv={() => foldsCsv(result, group, method)}
      />
    </figure>
  );
}

/** The per-fold scores shown (one group; one method or all) as CSV: method, fold, score. */
function foldsCsv(result: ExperimentResult, group: string, method: MethodId | 'all'): string {
  const lines = ['method,fold,score'];
  for (const r of result.rows) {
    if (r.group !== group || (method !== 'all' && r.method !== method)) continue;
    for (const [q, v] of r.folds.entries()) lines.push(`${r.method},${q + 1},${v}`);
  }
  return `${lines.join('\n')}\n`;
}

export default ResultsBarChart;
