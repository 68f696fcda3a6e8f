/**
 * Mount points for the result charts (src/ui/charts) and metric heatmaps (src/ui/heatmap). They are
 * loaded lazily so plotly (a large library) is fetched only when there is something to plot.
 */
import { Component, lazy, Suspense, type ReactNode } from 'react';
import type { ExperimentResult } from '../core/experiment-types';
import type { LearningCurveResult } from '../core/learning-curve';
import type { MetricHeatmapsProps } from './heatmap/MetricHeatmaps';

const Heatmaps = lazy(() => import('./heatmap/MetricHeatmaps').then((m) => ({ default: m.MetricHeatmaps })));
const Bars = lazy(() => import('./charts/ResultsBarChart').then((m) => ({ default: m.ResultsBarChart })));
const Drill = lazy(() => import('./charts/ResultsBarChart').then((m) => ({ default: m.FoldDrilldown })));

/** A chart that fails shows a short message instead of taking the notebook down. */
class ChartBoundary extends Component<{ children: ReactNode; what: string }, { error: string | null }> {
  override state = { error: null as string | null };
  static getDerivedStateFromError(e: unknown) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  override render() {
    if (this.state.error) {
      return (
        <div className="notice error" role="alert">
          The {this.props.what} could not be drawn.
          <details>
            <summary>Details</summary>
            <pre className="error-detail">{this.state.error}</pre>
          </details>
        </div>
      );
    }
    return this.props.children;
  }
}

function Mount({ children, what }: { children: ReactNode; what: string }) {
  return (
    <ChartBoundary what={what}>
      <Suspense fallback={<p className="muted">Loading {what}…</p>}>{children}</Suspense>
    </ChartBoundary>
  );
}

export function MetricHeatmapsMount(p: MetricHeatmapsProps) {
  return (
    <Mount what="heatmaps">
      <Heatmaps {...p} />
    </Mount>
  );
}
export function ResultsBarChartMount({ result }: { result: ExperimentResult }) {
  return (
    <Mount what="bar chart">
      <Bars result={result} includeAverage={!result.rows.some((r) => r.group === 'average')} />
    </Mount>
  );
}
export function FoldDrilldownMount({ result }: { result: ExperimentResult }) {
  return (
    <Mount what="per-fold chart">
      <Drill result={result} />
    </Mount>
  );
}

const Curves = lazy(() => import('./charts/LearningCurveChart').then((m) => ({ default: m.LearningCurveChart })));
export function LearningCurveChartMount({ result, group }: { result: LearningCurveResult; group: string }) {
  return (
    <Mount what="learning curve">
      <Curves result={result} group={group} />
    </Mount>
  );
}
