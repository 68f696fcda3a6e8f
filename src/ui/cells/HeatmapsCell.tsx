/** Metric heatmaps of the Experiment / Transfer cell above: template W0, fine-tuned W, change, per group. */
import { useId } from 'react';
import type { CellOf } from '../model';
import { setParams, useLab } from '../store';
import { upstreamOf } from '../model';
import { uniqueSlugs } from '../heatmap/model';
import { MetricHeatmapsMount } from '../mounts';
import { CellFrame } from './CellFrame';

export function HeatmapsCell({ cell, index, count }: { cell: CellOf<'heatmaps'>; index: number; count: number }) {
  const id = useId();
  const up = useLab((s) => upstreamOf(s.cells, index)[0]);
  const result = useLab((s) => (up ? s.runs[up]?.saved?.result : undefined));
  const metrics = result?.metrics ?? [];
  const group = metrics.find((m) => m.group === cell.params.group) ?? metrics[0];
  return (
    <CellFrame cell={cell} index={index} count={count} runLabel="Show">
      {!up && <p className="hint">Put this cell below an Experiment or Transfer cell: it shows that cell's learned metrics.</p>}
      {up && !result && <p className="hint">The cell above has no results yet. Run it (or Run all) to see the metrics.</p>}
      {result && metrics.length === 0 && <p className="hint">The experiment above learned no full metric to show: include RITML or W0-RITML in its methods.</p>}
      {group && (
        <>
          <div className="row">
            <div className="field">
              <label htmlFor={id}>Group</label>
              <select id={id} value={group.group} onChange={(e) => setParams<'heatmaps'>(cell.id, { group: e.target.value })} data-testid="heatmap-group">
                {metrics.map((m) => (
                  <option key={m.group} value={m.group}>
                    {m.group}
                  </option>
                ))}
              </select>
            </div>
            <p className="hint">
              {group.W0
                ? 'Template W0 (learned on the complement), fine-tuned W (W0-RITML on the whole group) and their difference.'
                : 'RITML metric learned on the whole group.'}
            </p>
          </div>
          <div data-testid="heatmaps">
            <MetricHeatmapsMount
              names={result!.meta.featureNames}
              W0={group.W0}
              W={group.W ?? group.W0!}
              group={group.group}
              fileKey={uniqueSlugs(metrics.map((m) => m.group))[metrics.indexOf(group)]}
            />
          </div>
        </>
      )}
    </CellFrame>
  );
}
