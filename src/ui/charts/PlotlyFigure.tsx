/**
 * A thin React 19 wrapper around plotly.js (`Plotly.react` on every change of data / layout / config,
 * `Plotly.purge` on unmount) plus the export helpers shared by the heatmaps and the results charts.
 */
import Plotly from 'plotly.js-dist-min';
import type { Config, Data, Layout, PlotHoverEvent, PlotlyHTMLElement } from 'plotly.js-dist-min';
import { useEffect, useRef, useState, type CSSProperties, type RefObject } from 'react';

export type { Config, Data, Layout, PlotHoverEvent };

/** Plotly's Fx (hover programmatically): in the bundle at runtime, not in its type declarations. */
interface Fx {
  hover(gd: HTMLElement, evt: { xval: number; yval: number }, subplot?: string, noHoverEvent?: boolean): void;
  unhover(gd: HTMLElement): void;
}
const fx = (): Fx | undefined => (Plotly as unknown as { Fx?: Fx }).Fx;

/** Show the hover label of the point at data coordinates (x, y) without emitting a hover event. */
export function hoverAt(el: HTMLElement | null, x: number, y: number): void {
  const gd = el as PlotlyHTMLElement | null;
  if (!gd?.data) return;
  fx()?.hover(gd, { xval: x, yval: y }, 'xy', true);
}

export function unhoverPlot(el: HTMLElement | null): void {
  if (el && (el as PlotlyHTMLElement).data) fx()?.unhover(el);
}

const BASE_CONFIG: Partial<Config> = { displaylogo: false, responsive: true };

export interface PlotlyFigureProps {
  readonly data: Data[];
  readonly layout: Partial<Layout>;
  readonly config?: Partial<Config>;
  /** receives the plot's div (for exports) */
  readonly graphRef?: RefObject<HTMLDivElement | null>;
  readonly style?: CSSProperties;
  readonly onHover?: (e: PlotHoverEvent) => void;
  readonly onUnhover?: () => void;
}

export function PlotlyFigure({ data, layout, config, graphRef, style, onHover, onUnhover }: PlotlyFigureProps) {
  const own = useRef<HTMLDivElement | null>(null);
  const ref = graphRef ?? own;
  const [error, setError] = useState<string | null>(null);
  const hoverRef = useRef(onHover);
  const unhoverRef = useRef(onUnhover);
  useEffect(() => {
    hoverRef.current = onHover;
    unhoverRef.current = onUnhover;
  }, [onHover, onUnhover]);
  const listening = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let live = true;
    Plotly.react(el, data, layout, { ...BASE_CONFIG, ...config }).then(
      (gd) => {
        if (listening.current !== gd) {
          listening.current = gd;
          gd.on('plotly_hover', (e) => hoverRef.current?.(e));
          gd.on('plotly_unhover', () => unhoverRef.current?.());
        }
        if (live) setError(null);
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [ref, data, layout, config]);

  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) Plotly.purge(el);
    };
  }, [ref]);

  return (
    <>
      <div ref={ref} style={style} />
      {error && (
        <p role="alert" style={{ color: '#a00' }}>
          Plot could not be drawn: {error}
        </p>
      )}
    </>
  );
}

export type ImageFormat = 'png' | 'svg';

/**
 * Download a drawn plot as PNG (2× scale) or SVG; `filename` without extension. On screen the plots carry
 * no plotly title (the figure's <figcaption> names them); `title` (plotly text: escape data first) is
 * added to the exported image so the file is self-describing.
 */
export async function downloadPlot(el: HTMLElement | null, format: ImageFormat, filename: string, title?: string): Promise<void> {
  if (!el) throw new Error(`export ${filename}.${format}: the plot is not drawn yet`);
  const gd = el as PlotlyHTMLElement;
  if (!gd.data || !gd.layout) throw new Error(`export ${filename}.${format}: the plot is not drawn yet`);
  // the title goes into a band of its own above everything plotly put in the top margin (a legend above the
  // plot included), and the image grows by that band, so the title overlaps nothing and the plot keeps its size
  const TITLE_PX = 34;
  const usedTop = (gd as unknown as { _fullLayout?: { _size?: { t?: number } } })._fullLayout?._size?.t ?? gd.layout.margin?.t ?? 0;
  // a plot with a size of its own (the heatmaps) is exported at that size, even where the screen shows it scrolled
  const width = gd.layout.width ?? (el.clientWidth || 700);
  const height = (gd.layout.height ?? (el.clientHeight || 450)) + (title ? TITLE_PX : 0);
  const target = title
    ? {
        data: gd.data,
        layout: {
          ...gd.layout,
          title: {
            text: title,
            font: { size: 13 },
            x: 0.01,
            xanchor: 'left' as const,
            y: 1,
            yref: 'container' as const,
            yanchor: 'top' as const,
            pad: { t: 8 },
          },
          margin: { ...(gd.layout.margin ?? {}), t: usedTop + TITLE_PX },
          height,
        },
      }
    : el;
  await Plotly.downloadImage(target, {
    format,
    filename,
    width,
    height,
    scale: format === 'png' ? 2 : 1,
  });
}

/** Download text (e.g. CSV) as a file via a Blob URL. */
export function downloadText(text: string, filename: string, mime = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const buttonStyle: CSSProperties = {
  font: 'inherit',
  fontSize: '0.85em',
  padding: '2px 8px',
  marginRight: 4,
  border: '1px solid #888',
  borderRadius: 4,
  background: '#f6f6f6',
  color: '#111',
  cursor: 'pointer',
};

export interface ExportButtonsProps {
  readonly graphRef: RefObject<HTMLDivElement | null>;
  readonly filename: string;
  /** what is exported, for the accessible names ("W0 heatmap") */
  readonly what: string;
  /** title added to exported images (plotly text: escape data first) */
  readonly title?: string;
  /** optional CSV of the data behind the plot */
  readonly csv?: () => string;
}

/** PNG / SVG (/ CSV) buttons for one plot; export errors are shown next to them. */
export function ExportButtons({ graphRef, filename, what, title, csv }: ExportButtonsProps) {
  const [error, setError] = useState<string | null>(null);
  const image = (format: ImageFormat) => {
    downloadPlot(graphRef.current, format, filename, title).then(
      () => setError(null),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  };
  return (
    <span>
      <button type="button" style={buttonStyle} aria-label={`Download ${what} as PNG`} onClick={() => image('png')}>
        PNG
      </button>
      <button type="button" style={buttonStyle} aria-label={`Download ${what} as SVG`} onClick={() => image('svg')}>
        SVG
      </button>
      {csv && (
        <button
          type="button"
          style={buttonStyle}
          aria-label={`Download ${what} as CSV`}
          onClick={() => {
            try {
              downloadText(csv(), `${filename}.csv`);
              setError(null);
            } catch (e) {
              setError(e instanceof Error ? e.message : String(e));
            }
          }}
        >
          CSV
        </button>
      )}
      {error && (
        <span role="alert" style={{ color: '#a00', marginLeft: 6 }}>
          {error}
        </span>
      )}
    </span>
  );
}
