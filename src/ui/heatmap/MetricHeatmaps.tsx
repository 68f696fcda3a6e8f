/**
 * Template W0, fine-tuned W and change ΔW of one group as three heatmaps (the poster's analysis).
 * All numbers come from the pure view model in ./model (unit-tested); this file only lays them out.
 */
import { csvCell } from '../../core/parse/features';
import { useCallback, useId, useMemo, useRef, useState, type CSSProperties, type RefObject } from 'react';
import {
  ExportButtons,
  PlotlyFigure,
  buttonStyle,
  downloadText,
  hoverAt,
  unhoverPlot,
  type Data,
  type Layout,
  type PlotHoverEvent,
} from '../charts/PlotlyFigure';
import {
  DIVERGING_COLORSCALE,
  HEATMAP_VIEWS,
  MAX_HEATMAP_D,
  buildHeatmapModel,
  checkMetricInput,
  difference,
  escapePlotlyText,
  blankDiagonal,
  fileSlug,
  heatmapSize,
  matrixToCsv,
  topChanges,
  type HeatmapModel,
  type HeatmapView,
} from './model';

export interface MetricHeatmapsProps {
  /** feature names, d of them (shown on the axes) */
  readonly names: readonly string[];
  /**
   * template metric (W0-RITML's general model, trained on the complement), d×d row-major. Optional: without
   * it (W0-RITML not run) only W is shown, with its diagonal, and no change / top-k / share.
   */
  readonly W0?: readonly number[];
  /** fine-tuned group metric, d×d row-major */
  readonly W: readonly number[];
  /** group name (captions, file names) */
  readonly group: string;
  readonly title?: string;
  /** initial view (default 'offdiag', the poster's view) */
  readonly initialView?: HeatmapView;
  /** initial number of outlined changes (default 5) */
  readonly initialK?: number;
  /** the group's part of export file names (default fileSlug(group)); unique among the groups shown (uniqueSlugs) */
  readonly fileKey?: string;
  /** level of the section heading (default 3), to fit the page's outline */
  readonly headingLevel?: 2 | 3 | 4 | 5;
}

const K_CHOICES = [0, 3, 5, 10, 20];

type PanelId = 'W0' | 'W' | 'dW';

const PANEL_TEXT: Record<PanelId, { short: string; caption: (group: string) => string }> = {
  W0: { short: 'W0', caption: (g) => `Template W0 for group ${g} (learned on the complement)` },
  W: { short: 'W', caption: (g) => `Fine-tuned W (group ${g})` },
  dW: { short: 'ΔW', caption: () => 'Change ΔW = W − W0' },
};

const box: CSSProperties = { fontFamily: 'system-ui, sans-serif', color: '#111' };
// a panel is as wide as its plot (sized by feature count) and never wider than the screen: on a narrow screen the
// panels stack and a plot wider than the screen scrolls inside its panel
const panelStyle: CSSProperties = { margin: 0, flex: '0 0 auto', maxWidth: '100%', minWidth: 0 };
const plotBox: CSSProperties = { maxWidth: '100%', overflowX: 'auto' };
// captions take two lines' height whether they wrap or not, so the panels of a row stay top-aligned
const captionStyle: CSSProperties = { fontSize: '0.9em', fontWeight: 600, marginBottom: 4, lineHeight: 1.3, minHeight: '2.6em' };

/** Evenly thinned tick positions (at most ~40 labels). */
function ticks(m: HeatmapModel): { tickvals: number[]; ticktext: string[] } {
  const step = Math.max(1, Math.ceil(m.d / 40));
  const tickvals: number[] = [];
  for (let i = 0; i < m.d; i += step) tickvals.push(i);
  return { tickvals, ticktext: tickvals.map((i) => m.tickLabels[i]) };
}

function heatmapFigure(m: HeatmapModel, panel: PanelId): { data: Data[]; layout: Partial<Layout> } {
  const z = panel === 'W0' ? m.zW0 : panel === 'W' ? m.zW : m.zdW;
  const [zmin, zmax] = panel === 'dW' ? m.dRange : m.range;
  const idx = Array.from({ length: m.d }, (_, i) => i);
  const gap = m.d <= 40 ? 1 : 0;
  const { tickvals, ticktext } = ticks(m);
  const size = heatmapSize(m.d, m.tickLabels);
  const shapes: Partial<Layout>['shapes'] = [];
  if (panel === 'dW') {
    for (const t of m.top) {
      for (const [r, c] of [
        [t.i, t.j],
        [t.j, t.i],
      ]) {
        shapes.push({
          type: 'rect',
          xref: 'x',
          yref: 'y',
          x0: c - 0.5,
          x1: c + 0.5,
          y0: r - 0.5,
          y1: r + 0.5,
          line: { color: '#000', width: 2 },
          fillcolor: 'rgba(0,0,0,0)',
        });
      }
    }
  }
  const axis = {
    tickmode: 'array' as const,
    tickvals,
    ticktext,
    showgrid: false,
    zeroline: false,
    automargin: false,
    constrain: 'domain' as const,
    tickfont: { size: size.font },
  };
  return {
    data: [
      {
        type: 'heatmap',
        z,
        x: idx,
        y: idx,
        zmin,
        zmax,
        zmid: 0,
        colorscale: DIVERGING_COLORSCALE.map(([t, c]) => [t, c]) as [number, string][],
        text: m.hover as unknown as string[],
        hovertemplate: '%{text}<extra></extra>',
        hoverongaps: false,
        xgap: gap,
        ygap: gap,
        colorbar: { thickness: 12, len: 0.85, outlinewidth: 0, x: 1, xanchor: 'left', xpad: 6 },
      } as Data,
    ],
    layout: {
      xaxis: { ...axis, tickangle: size.tickAngle, range: [-0.5, m.d - 0.5] },
      // a fixed range (row 0 on top): autorange would grow to fit an outline drawn on an edge row and shrink the grid
      yaxis: { ...axis, range: [m.d - 0.5, -0.5], scaleanchor: 'x', scaleratio: 1 },
      shapes,
      margin: { ...size.margin, pad: 0 },
      width: size.width,
      height: size.height,
      autosize: false,
      paper_bgcolor: '#fff',
      plot_bgcolor: '#fff',
    },
  };
}

function diagonalFigure(m: HeatmapModel, group: string, hasTemplate: boolean): { data: Data[]; layout: Partial<Layout> } {
  const idx = Array.from({ length: m.d }, (_, i) => i);
  const hover = m.names.map(escapePlotlyText);
  const { tickvals, ticktext } = ticks(m);
  const traces: Data[] = [
    {
      type: 'bar',
      name: 'W0 (template)',
      x: idx,
      y: m.diagW0,
      customdata: hover,
      hovertemplate: '%{customdata}<br>W0 diagonal: %{y:.3f}<extra></extra>',
      marker: { color: '#7f7f7f' },
    },
    {
      type: 'bar',
      name: `W (${escapePlotlyText(group)})`,
      x: idx,
      y: m.diagW,
      customdata: hover,
      hovertemplate: '%{customdata}<br>W diagonal: %{y:.3f}<extra></extra>',
      marker: { color: '#b2182b' },
    },
  ];
  return {
    data: hasTemplate ? traces : traces.slice(1),
    layout: {
      barmode: 'group',
      xaxis: { tickmode: 'array', tickvals, ticktext, tickangle: m.d > 16 ? -90 : -45, automargin: true, tickfont: { size: m.d > 40 ? 9 : 11 } },
      yaxis: { title: { text: 'W_ii' }, automargin: true, zeroline: true },
      legend: { orientation: 'h', y: 1.12 },
      margin: { l: 10, r: 10, t: 30, b: 10 },
      height: 300,
    },
  };
}

interface PanelProps {
  readonly id: PanelId;
  readonly model: HeatmapModel;
  readonly group: string;
  readonly fileBase: string;
  readonly csv: () => string;
  readonly graphRef: RefObject<HTMLDivElement | null>;
  readonly onHover: (id: PanelId, e: PlotHoverEvent) => void;
  readonly onUnhover: (id: PanelId) => void;
  readonly hasTemplate: boolean;
}

function HeatmapPanel({ id, model, group, fileBase, csv, graphRef: ref, onHover, onUnhover, hasTemplate }: PanelProps) {
  const captionId = useId();
  const text = PANEL_TEXT[id];
  const caption =
    (id === 'W' && !hasTemplate ? `Learnt W (group ${group})` : text.caption(group)) +
    (model.view === 'correlation' ? ' — correlation' : model.view === 'offdiag' ? ' — off-diagonal' : '');
  const fig = useMemo(() => heatmapFigure(model, id), [model, id]);
  return (
    <figure style={panelStyle} data-testid={`heatmap-${id}`} aria-labelledby={captionId}>
      <figcaption id={captionId} style={captionStyle}>
        {caption}
      </figcaption>
      <div style={plotBox}>
        <PlotlyFigure data={fig.data} layout={fig.layout} graphRef={ref} onHover={(e) => onHover(id, e)} onUnhover={() => onUnhover(id)} />
      </div>
      <ExportButtons graphRef={ref} filename={`${fileBase}-${id}-${model.view}`} what={`${text.short} heatmap`} title={escapePlotlyText(caption)} csv={csv} />
    </figure>
  );
}

function DiagonalBars({ model, group, fileBase, hasTemplate }: { model: HeatmapModel; group: string; fileBase: string; hasTemplate: boolean }) {
  const ref = useRef<HTMLDivElement | null>(null);
  const captionId = useId();
  const fig = useMemo(() => diagonalFigure(model, group, hasTemplate), [model, group, hasTemplate]);
  const csv = () => {
    const lines = [hasTemplate ? 'feature,W0,W' : 'feature,W'];
    model.names.forEach((n, i) => lines.push(hasTemplate ? `${csvCell(n)},${model.diagW0[i]},${model.diagW[i]}` : `${csvCell(n)},${model.diagW[i]}`));
    return lines.join('\n') + '\n';
  };
  return (
    <figure style={{ margin: '12px 0 0' }} data-testid="heatmap-diag" aria-labelledby={captionId}>
      <figcaption id={captionId} style={captionStyle}>
        {hasTemplate ? 'Diagonals of W0 and W' : 'Diagonal of W'} (blanked in the heatmaps above)
      </figcaption>
      <PlotlyFigure data={fig.data} layout={fig.layout} graphRef={ref} />
      <ExportButtons
        graphRef={ref}
        filename={`${fileBase}-diagonal`}
        what="diagonal bar chart"
        title={escapePlotlyText(`Diagonal (feature weights) of ${hasTemplate ? 'W0 and W' : 'W'} (group ${group})`)}
        csv={csv}
      />
    </figure>
  );
}

/** Shown instead of the heatmaps above MAX_HEATMAP_D features: a message and raw CSV downloads. */
function TooLarge({ names, W0, W, group, fileBase }: MetricHeatmapsProps & { fileBase: string }) {
  const d = names.length;
  const csv = (which: PanelId) => () => {
    const T = W0 ?? W;
    const M = which === 'W0' ? T : which === 'W' ? W : difference(W, T);
    downloadText(matrixToCsv(names, M, d), `${fileBase}-${which}-raw.csv`);
  };
  return (
    <div role="status" data-testid="heatmap-too-large" style={{ padding: 12, border: '1px solid #c90', background: '#fff8e6' }}>
      <p style={{ margin: '0 0 8px' }}>
        This metric has d = {d} features; heatmaps are drawn for at most {MAX_HEATMAP_D} (a {d}×{d} grid has {(d * d).toLocaleString('en')} cells, too many to
        read). Re-run the experiment with PCA (e.g. 16–64 components) to inspect the metric here. The full matrices can still be downloaded:
      </p>
      {(W0 ? (['W0', 'W', 'dW'] as const) : (['W'] as const)).map((w) => (
        <button key={w} type="button" style={buttonStyle} onClick={csv(w)} aria-label={`Download ${PANEL_TEXT[w].short} of group ${group} as CSV`}>
          {PANEL_TEXT[w].short} CSV
        </button>
      ))}
    </div>
  );
}

/** The view radio buttons, the number of changes to outline and the off-diagonal share of the change. */
function HeatmapControls(p: {
  view: HeatmapView;
  onView: (v: HeatmapView) => void;
  k: number;
  onK: (k: number) => void;
  model: HeatmapModel;
  hasTemplate: boolean;
}) {
  const { view, k, model, hasTemplate } = p;
  const radioName = useId();
  const kId = useId();
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, alignItems: 'center', marginBottom: 8 }}>
      <fieldset style={{ border: 'none', padding: 0, margin: 0, display: 'flex', flexWrap: 'wrap', gap: 10, alignItems: 'center' }}>
        <legend style={{ float: 'left', marginRight: 8, padding: 0, fontWeight: 600 }}>Show</legend>
        {HEATMAP_VIEWS.map((v) => (
          <label key={v.id} style={{ whiteSpace: 'nowrap' }}>
            <input type="radio" name={radioName} value={v.id} checked={view === v.id} onChange={() => p.onView(v.id)} /> {v.label}
          </label>
        ))}
      </fieldset>
      {hasTemplate && (
        <>
          <label htmlFor={kId} style={{ fontWeight: 600 }}>
            Outline largest changes:{' '}
            <select id={kId} value={k} onChange={(e) => p.onK(Number(e.target.value))} style={{ font: 'inherit' }}>
              {K_CHOICES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <span data-testid="offdiag-share" title="‖offdiag(ΔW)‖_F / ‖ΔW‖_F of the raw change">
            Off-diagonal share of the change: <strong>{(model.offDiagonalShare * 100).toFixed(1)} %</strong>
          </span>
        </>
      )}
    </div>
  );
}

/** The largest off-diagonal changes (outlined in ΔW), or why there are none. */
function TopChanges({ model, k }: { model: HeatmapModel; k: number }) {
  return (
    <div data-testid="top-changes" style={{ marginTop: 8 }}>
      {model.top.length === 0 ? (
        <p style={{ margin: 0 }}>
          {model.d < 2
            ? 'One feature: there are no off-diagonal pairs.'
            : k === 0
              ? 'No changes outlined (k = 0).'
              : 'ΔW is zero off the diagonal: nothing to outline.'}
        </p>
      ) : (
        <>
          <p style={{ margin: '0 0 4px', fontWeight: 600 }}>
            Largest off-diagonal changes{model.view === 'correlation' ? ' of the correlation' : ''} (outlined in ΔW):
          </p>
          <ol style={{ margin: 0, paddingLeft: 24, columns: model.top.length > 10 ? 2 : 1 }}>
            {model.top.map((t) => (
              <li key={`${t.i}-${t.j}`} style={{ fontVariantNumeric: 'tabular-nums' }}>
                {t.label}
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

/** Refs of the three panels and hover handlers that show the hovered cell's label in the other two. */
function useLinkedHover() {
  const refW0 = useRef<HTMLDivElement | null>(null);
  const refW = useRef<HTMLDivElement | null>(null);
  const refdW = useRef<HTMLDivElement | null>(null);
  const panelRefs: Record<PanelId, RefObject<HTMLDivElement | null>> = { W0: refW0, W: refW, dW: refdW };
  const onHover = useCallback((from: PanelId, e: PlotHoverEvent) => {
    const p = e.points?.[0];
    if (!p || typeof p.x !== 'number' || typeof p.y !== 'number') return;
    const refs = { W0: refW0, W: refW, dW: refdW };
    for (const id of ['W0', 'W', 'dW'] as const) if (id !== from) hoverAt(refs[id].current, p.x, p.y);
  }, []);
  const onUnhover = useCallback((from: PanelId) => {
    const refs = { W0: refW0, W: refW, dW: refdW };
    for (const id of ['W0', 'W', 'dW'] as const) if (id !== from) unhoverPlot(refs[id].current);
  }, []);
  return { panelRefs, onHover, onUnhover };
}

export function MetricHeatmaps(props: MetricHeatmapsProps) {
  const { names, W0: template, W, group, title } = props;
  const hasTemplate = template !== undefined;
  // without a template the model takes W0 = W (ΔW = 0) and only the W panel is shown
  const W0 = template ?? W;
  const panels: readonly PanelId[] = hasTemplate ? ['W0', 'W', 'dW'] : ['W'];
  const [view, setView] = useState<HeatmapView>(props.initialView ?? 'offdiag');
  const [k, setK] = useState<number>(props.initialK ?? 5);
  const fileBase = `metric-${props.fileKey ?? fileSlug(group)}`;
  const { panelRefs, onHover, onUnhover } = useLinkedHover();

  const checked = useMemo(() => {
    try {
      return { d: checkMetricInput(names, W0, W, `metric heatmaps of group "${group}"`), error: null };
    } catch (e) {
      return { d: 0, error: e instanceof Error ? e.message : String(e) };
    }
  }, [names, W0, W, group]);

  // the view's matrices and hover text are rebuilt only when the view or data change; k only re-ranks
  const base = useMemo(
    () => (checked.error || checked.d > MAX_HEATMAP_D ? null : buildHeatmapModel({ names, W0: template, W }, view, 0)),
    [checked, names, template, W, view],
  );
  const model = useMemo<HeatmapModel | null>(() => (base ? { ...base, top: topChanges(base.dW, base.d, base.names, k) } : null), [base, k]);

  const heading = title ?? (hasTemplate ? `Metric of group ${group}: template vs fine-tuned` : `Metric of group ${group}`);
  const H = `h${props.headingLevel ?? 3}` as 'h3';
  if (checked.error) {
    return (
      <section style={box} aria-label={heading}>
        <H style={{ margin: '0 0 8px', fontSize: '1.05em' }}>{heading}</H>
        <p role="alert" style={{ color: '#a00' }}>
          {checked.error}
        </p>
      </section>
    );
  }

  // CSV of what a panel shows: raw values for 'raw', the correlation matrices in 'correlation', and in
  // 'offdiag' the raw values with the diagonal left empty (it is in the diagonal chart's CSV)
  const csvOf = (m: HeatmapModel, which: PanelId) => () => {
    const M = which === 'W0' ? m.W0 : which === 'W' ? m.W : m.dW;
    return matrixToCsv(m.names, m.view === 'offdiag' ? blankDiagonal(M, m.d) : M, m.d);
  };

  return (
    <section style={box} aria-label={heading} data-testid="metric-heatmaps">
      <H style={{ margin: '0 0 8px', fontSize: '1.05em' }}>{heading}</H>
      {!model ? (
        <TooLarge {...props} fileBase={fileBase} />
      ) : (
        <>
          <HeatmapControls view={view} onView={setView} k={k} onK={setK} model={model} hasTemplate={hasTemplate} />
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12 }}>
            {panels.map((id) => (
              <HeatmapPanel
                key={id}
                id={id}
                model={model}
                group={group}
                fileBase={fileBase}
                csv={csvOf(model, id)}
                graphRef={panelRefs[id]}
                onHover={onHover}
                onUnhover={onUnhover}
                hasTemplate={hasTemplate}
              />
            ))}
          </div>
          {!hasTemplate && (
            <p data-testid="no-template" style={{ margin: '8px 0 0' }}>
              No template W0 for this group (W0-RITML was not among the methods), so there is no change to show: this is the learnt metric W only.
            </p>
          )}
          {hasTemplate && <TopChanges model={model} k={k} />}
          {model.view === 'offdiag' && <DiagonalBars model={model} group={group} fileBase={fileBase} hasTemplate={hasTemplate} />}
        </>
      )}
    </section>
  );
}

export default MetricHeatmaps;
