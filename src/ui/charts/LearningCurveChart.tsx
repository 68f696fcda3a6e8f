/**
 * Learning curves of one group: held-out fulfilment (mean ± sd as bands) against training constraints on a
 * log x axis, one line per method, and beside it the paired difference (default W0-RITML − RITML) with its
 * confidence interval per size. Numbers from ./curves-model (unit-tested).
 */
import { useMemo, useRef, type CSSProperties } from 'react';
import type { LearningCurveResult } from '../../core/learning-curve';
import { escapePlotlyText, fileSlug } from '../heatmap/model';
import { curveDifferences, curveLines, differenceLabel } from './curves-model';
import { ExportButtons, PlotlyFigure, type Data, type Layout } from './PlotlyFigure';

const box: CSSProperties = { fontFamily: 'system-ui, sans-serif', color: '#111', margin: 0 };
const captionStyle: CSSProperties = { fontSize: '0.85em', color: '#333', marginTop: 4 };

/** hex colour → rgba with alpha (the bands) */
function fill(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** the log x axis, ticked at the sizes of the curve */
const xAxis = (sizes: readonly number[]): Partial<Layout['xaxis']> => ({
  type: 'log',
  title: { text: 'training constraints (log scale)' },
  tickvals: [...sizes],
  ticktext: sizes.map(String),
  automargin: true,
});

function curveFigure(result: LearningCurveResult, group: string): { data: Data[]; layout: Partial<Layout> } {
  const data: Data[] = [];
  const lines = curveLines(result, group);
  for (const l of lines) {
    const name = escapePlotlyText(l.label);
    // the band: upper edge, then the lower edge filled up to it
    data.push({
      type: 'scatter',
      mode: 'lines',
      x: l.x,
      y: l.hi,
      line: { width: 0, color: l.color },
      hoverinfo: 'skip',
      showlegend: false,
      legendgroup: l.method,
    });
    data.push({
      type: 'scatter',
      mode: 'lines',
      x: l.x,
      y: l.lo,
      fill: 'tonexty',
      fillcolor: fill(l.color, 0.15),
      line: { width: 0, color: l.color },
      hoverinfo: 'skip',
      showlegend: false,
      legendgroup: l.method,
    });
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name,
      x: l.x,
      y: l.y,
      line: { color: l.color, width: 2 },
      marker: { color: l.color, size: 7 },
      legendgroup: l.method,
      hovertemplate: `${name}: %{y:.2f} % at %{x} constraints<extra></extra>`,
    });
  }
  return {
    data,
    layout: {
      xaxis: xAxis(lines[0]?.x ?? []),
      yaxis: { title: { text: 'held-out constraints fulfilled (%)' }, ticksuffix: ' %', automargin: true },
      legend: { orientation: 'h', y: 1.02, yanchor: 'bottom', x: 0 },
      margin: { l: 60, r: 10, t: 30, b: 50 },
      height: 340,
      font: { size: 13, color: '#222' },
    },
  };
}

function differenceFigure(result: LearningCurveResult, group: string): { data: Data[]; layout: Partial<Layout> } | null {
  const ds = curveDifferences(result, group);
  if (!ds.length) return null;
  const pt = (x: number | null) => (x === null ? null : 100 * x);
  const data: Data[] = [
    {
      type: 'scatter',
      mode: 'lines+markers',
      name: escapePlotlyText(differenceLabel(ds[0])),
      x: ds.map((d) => d.trainConstraints),
      y: ds.map((d) => 100 * d.meanDiff),
      error_y: {
        type: 'data',
        symmetric: false,
        array: ds.map((d) => (d.hi === null ? 0 : (pt(d.hi) ?? 0) - 100 * d.meanDiff)),
        arrayminus: ds.map((d) => (d.lo === null ? 0 : 100 * d.meanDiff - (pt(d.lo) ?? 0))),
        visible: true,
        color: '#222',
      },
      line: { color: '#222', width: 1.5 },
      marker: { color: '#222', size: 7 },
      hovertemplate: '%{y:+.2f} pt at %{x} constraints<extra></extra>',
    },
  ];
  return {
    data,
    layout: {
      xaxis: xAxis(ds.map((d) => d.trainConstraints)),
      yaxis: { title: { text: 'difference (points)' }, zeroline: true, automargin: true },
      shapes: [{ type: 'line', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: 0, y1: 0, line: { color: '#666', width: 1, dash: 'dash' } }],
      margin: { l: 60, r: 10, t: 10, b: 50 },
      height: 240,
      showlegend: false,
      font: { size: 13, color: '#222' },
    },
  };
}

export function LearningCurveChart({ result, group }: { result: LearningCurveResult; group: string }) {
  const curveRef = useRef<HTMLDivElement | null>(null);
  const diffRef = useRef<HTMLDivElement | null>(null);
  const curve = useMemo(() => curveFigure(result, group), [result, group]);
  const diff = useMemo(() => differenceFigure(result, group), [result, group]);
  const level = Math.round(100 * (result.differences[0]?.level ?? 0.95));
  const stem = `learning-curve-${fileSlug(group)}-seed${result.meta.spec.seed}`;
  return (
    <div data-testid="curve-charts" data-group={group}>
      <figure style={box} data-testid="curve-chart">
        <PlotlyFigure data={curve.data} layout={curve.layout} graphRef={curveRef} />
        <figcaption style={captionStyle}>
          Group {group}: held-out fulfilment against training constraints per fit (log scale); bands: mean ± sd over folds × repeats.
        </figcaption>
        <ExportButtons graphRef={curveRef} filename={stem} what="learning curve" title={escapePlotlyText(`Learning curves, group ${group}`)} />
      </figure>
      {diff && (
        <figure style={box} data-testid="curve-difference-chart">
          <PlotlyFigure data={diff.data} layout={diff.layout} graphRef={diffRef} />
          <figcaption style={captionStyle}>
            {differenceLabel(result.differences.find((d) => d.group === group) ?? result.differences[0])}: paired difference per size with its {level} %
            interval ({result.curve.interval}); above the dashed line the first method is better.
          </figcaption>
          <ExportButtons
            graphRef={diffRef}
            filename={`${stem}-difference`}
            what="difference chart"
            title={escapePlotlyText(`Paired difference, group ${group}`)}
          />
        </figure>
      )}
    </div>
  );
}
