/**
 * Mount points for the result charts (src/ui/charts) and metric heatmaps (src/ui/heatmap), written by
 * another part of the project. They are looked up by export name among those folders' components, so this
 * app builds and runs (with a plain-text fallback) whichever of them are present.
 */
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import type { ExperimentResult } from '../core/experiment-types';

type Mod = Record<string, unknown>;
const modules: Record<string, () => Promise<Mod>> = {
  ...import.meta.glob<Mod>(['./charts/*.tsx', '!./charts/*.test.tsx']),
  ...import.meta.glob<Mod>(['./heatmap/*.tsx', '!./heatmap/*.test.tsx']),
};

function lazyNamed<P extends object>(name: string): ComponentType<P> | null {
  const entries = Object.entries(modules);
  if (!entries.length) return null;
  // prefer the file named after the component
  entries.sort(([a], [b]) => Number(b.endsWith(`/${name}.tsx`)) - Number(a.endsWith(`/${name}.tsx`)));
  return lazy(async () => {
    for (const [, load] of entries) {
      const m = await load();
      const c = m[name];
      if (typeof c === 'function' || (typeof c === 'object' && c !== null)) return { default: c as ComponentType<P> };
    }
    return { default: (() => <p className="muted">({name} is not available in this build.)</p>) as ComponentType<P> };
  });
}

export interface MetricHeatmapsProps {
  names: readonly string[];
  W0?: readonly number[];
  W: readonly number[];
  group: string;
}

const Heatmaps = lazyNamed<MetricHeatmapsProps>('MetricHeatmaps');
const Bars = lazyNamed<{ result: ExperimentResult }>('ResultsBarChart');
const Drill = lazyNamed<{ result: ExperimentResult }>('FoldDrilldown');

function Mount({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p className="muted">Loading chart…</p>}>{children}</Suspense>;
}

export function MetricHeatmapsMount(p: MetricHeatmapsProps) {
  if (!Heatmaps) return <p className="muted">Heatmaps are not available in this build.</p>;
  return (
    <Mount>
      <Heatmaps {...p} />
    </Mount>
  );
}
export function ResultsBarChartMount({ result }: { result: ExperimentResult }) {
  if (!Bars) return null;
  return (
    <Mount>
      <Bars result={result} />
    </Mount>
  );
}
export function FoldDrilldownMount({ result }: { result: ExperimentResult }) {
  if (!Drill) return null;
  return (
    <Mount>
      <Drill result={result} />
    </Mount>
  );
}
