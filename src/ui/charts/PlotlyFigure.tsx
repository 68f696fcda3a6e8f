/**
 * A thin React 19 wrapper around plotly.js (`Plotly.react` on every change of data / layout / config,
 * `Plotly.purge` on unmount) plus the export helpers shared by the heatmaps and the results charts.
 */
import Plotly from 'plotly.js-dist-min';
import type { Config, Data, Layout } from 'plotly.js-dist-min';
import { useEffect, useRef, useState, type CSSProperties, type RefObject } from 'react';

export type { Config, Data, Layout };

const BASE_CONFIG: Partial<Config> = { displaylogo: false, responsive: true };

export interface PlotlyFigureProps {
  readonly data: Data[];
  readonly layout: Partial<Layout>;
  readonly config?: Partial<Config>;
  /** receives the plot's div (for exports) */
  readonly graphRef?: RefObject<HTMLDivElement | null>;
  readonly style?: CSSProperties;
}

export function PlotlyFigure({ data, layout, config, graphRef, style }: PlotlyFigureProps) {
  const own = useRef<HTMLDivElement | null>(null);
  const ref = graphRef ?? own;
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let live = true;
    Plotly.react(el, data, layout, { ...BASE_CONFIG, ...config }).then(
      () => live && setError(null),
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

/** Download a drawn plot as PNG (2× scale) or SVG; `filename` without extension. */
export async function downloadPlot(el: HTMLElement | null, format: ImageFormat, filename: string): Promise<void> {
  if (!el) throw new Error(`export ${filename}.${format}: the plot is not drawn yet`);
  await Plotly.downloadImage(el, {
    format,
    filename,
    width: el.clientWidth || 700,
    height: el.clientHeight || 450,
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
  /** optional CSV of the data behind the plot */
  readonly csv?: () => string;
}

/** PNG / SVG (/ CSV) buttons for one plot; export errors are shown next to them. */
export function ExportButtons({ graphRef, filename, what, csv }: ExportButtonsProps) {
  const [error, setError] = useState<string | null>(null);
  const image = (format: ImageFormat) => {
    downloadPlot(graphRef.current, format, filename).then(
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
