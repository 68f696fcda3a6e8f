/** Experiment cell: methods, folds, split, seed, γ / C grids → table, bar chart, per-fold drill-down. */
import { useId } from 'react';
import type { ExperimentResult, PartialResult, Provenance } from '../../core/experiment-types';
import { experimentSpec, templateChoice, validateParams, type CellOf, type ExperimentParams } from '../kinds';
import { groupByFor, setParams, statusOf, useLab } from '../store';
import { GroupsAndProblems, ListField, NumberField } from '../components/common';
import { ProvenanceView, ResultExports, ResultsTable, TemplateNote } from '../components/Results';
import { FoldDrilldownMount, ResultsBarChartMount } from '../mounts';
import { CellFrame } from './CellFrame';
import { MethodPicker } from './MethodPicker';
import { SmallDataWarning, smallestGroup } from './SmallDataWarning';
import { nearestAbove } from '../model';
import { METHODS } from '../../core/methods';

/** What a hyper-parameter grid means for the run: one value is used as it is, several are chosen by inner CV. */
const gridHint = (grid: readonly number[], innerFolds: number) =>
  grid.length > 1 ? `${grid.length} values: chosen by ${innerFolds}-fold inner CV` : 'one value: no inner CV';

export function ExperimentCell({ cell, index, count }: { cell: CellOf<'experiment'>; index: number; count: number }) {
  const p = cell.params;
  const ids = { split: useId(), std: useId(), rm: useId(), tl: useId(), tt: useId(), ti: useId() };
  const groupBy = useLab((s) => groupByFor(s.cells, index));
  const saved = useLab((s) => s.runs[cell.id]?.saved?.result);
  const status = useLab((s) => statusOf(s, cell.id));
  const partial = useLab((s) => (s.runs[cell.id]?.running ? s.runs[cell.id]?.partial : undefined));
  const problems = validateParams(cell, groupBy);
  // only an up-to-date summary: one of earlier data would warn about the wrong data
  const summary = useLab((s) => {
    const c = nearestAbove(s.cells, index, 'constraints');
    return c && statusOf(s, c.id) === 'fresh' ? s.runs[c.id]?.saved?.summary : undefined;
  });
  const smallest = summary ? smallestGroup(summary.groups, { constraints: summary.overall.constraintsAfter, clips: summary.overall.clips }) : null;
  const set = (patch: Partial<typeof p>) => setParams<'experiment'>(cell.id, patch);
  return (
    <CellFrame cell={cell} index={index} count={count}>
      {smallest && <SmallDataWarning {...smallest} folds={p.folds} where="this cell" />}
      <MethodPicker methods={p.methods} onChange={(methods) => set({ methods })} />
      <div className="row">
        <NumberField label="Folds" value={p.folds} integer min={2} max={50} onChange={(v) => set({ folds: v })} testId="folds" />
        <div className="field">
          <label htmlFor={ids.split}>Split</label>
          <select id={ids.split} value={p.split} onChange={(e) => set({ split: e.target.value as 'triplet' | 'item' })}>
            <option value="triplet">by triplet</option>
            <option value="item">item-disjoint (test clips unseen)</option>
          </select>
        </div>
        <NumberField label="Seed" value={p.seed} integer onChange={(v) => set({ seed: v })} testId="seed" />
        <NumberField label="PCA dimensions" value={p.pca} integer min={0} onChange={(v) => set({ pca: v })} hint="0 = off" testId="pca" />
      </div>
      <div className="row">
        <ListField
          label="γ grid (RITML family)"
          value={p.gammaGrid}
          onChange={(v) => set({ gammaGrid: v })}
          hint={gridHint(p.gammaGrid, p.innerFolds)}
          testId="gamma-grid"
        />
        <ListField label="C grid (SVM, MLR)" value={p.cGrid} onChange={(v) => set({ cGrid: v })} hint={gridHint(p.cGrid, p.innerFolds)} testId="c-grid" />
        <NumberField label="Inner folds" value={p.innerFolds} integer min={2} max={20} onChange={(v) => set({ innerFolds: v })} />
      </div>
      <div className="row">
        <label className="check" htmlFor={ids.std}>
          <input id={ids.std} type="checkbox" checked={p.standardise} onChange={(e) => set({ standardise: e.target.checked })} /> Standardise features (z-score)
        </label>
        <label className="check" htmlFor={ids.rm}>
          <input id={ids.rm} type="checkbox" checked={p.removeGroupTripletsFromW0} onChange={(e) => set({ removeGroupTripletsFromW0: e.target.checked })} />{' '}
          Remove the group's triplets from W0's complement data
        </label>
      </div>
      {p.methods.some((m) => METHODS[m].prior === 'template') && (
        <div className="row" data-testid="template-settings">
          <div className="field">
            <label htmlFor={ids.tl}>Template W0 learner</label>
            <select id={ids.tl} value={p.template} onChange={(e) => set(templateChoice(e.target.value as ExperimentParams['template']))}>
              <option value="cv">chosen per group by inner CV on the complement (I, RITML, SVM)</option>
              <option value="ritml">RITML (prior I): the poster's template</option>
              <option value="svm">SVM (diagonal)</option>
              <option value="mlr">MLR (full)</option>
            </select>
          </div>
          {p.template !== 'cv' && (
            <div className="field">
              <label htmlFor={ids.tt}>Template {p.template === 'ritml' ? 'γ' : 'C'}</label>
              <select id={ids.tt} value={p.templateTuning} onChange={(e) => set({ templateTuning: e.target.value as 'fixed' | 'cv' })}>
                <option value="fixed">1 (fixed)</option>
                <option value="cv">inner CV on the complement ({p.template === 'ritml' ? 'γ' : 'C'} grid)</option>
              </select>
            </div>
          )}
          {(p.template === 'ritml' || p.template === 'cv') && (
            <div className="field">
              <label htmlFor={ids.ti}>Template iterate</label>
              <select id={ids.ti} value={p.templateIterate} onChange={(e) => set({ templateIterate: e.target.value as 'best' | 'learned' })}>
                <option value="best">best on the complement (I may win)</option>
                <option value="learned">best learned iterate (never I)</option>
              </select>
            </div>
          )}
        </div>
      )}
      <GroupsAndProblems groupBy={groupBy} problems={problems} />
      {partial && <PartialOutput partial={partial} params={p} groupBy={groupBy} />}
      {saved && !partial && (
        <div className={status === 'stale' || status === 'cancelled' ? 'output dim' : 'output'} data-testid="experiment-output">
          {status === 'cancelled' && (
            <p className="hint" data-testid="cancelled-earlier">
              The run was cancelled: these are the results of the earlier run, kept as they were.
            </p>
          )}
          {status === 'stale' && <p className="hint">These results are from earlier parameters: run again to update.</p>}
          <ResultsTable result={saved} />
          <TemplateNote result={saved} />
          <ResultsBarChartMount result={saved} />
          <details>
            <summary>Per-fold scores</summary>
            <FoldDrilldownMount result={saved} />
          </details>
          <ResultExports result={saved} name="experiment" />
          <ProvenanceView result={saved} />
        </div>
      )}
    </CellFrame>
  );
}

/** While the run goes on: the rows done so far (table and chart), the others marked running… / queued. */
function PartialOutput({ partial, params, groupBy }: { partial: PartialResult; params: ExperimentParams; groupBy: string }) {
  const left = Object.keys(partial.pending).length;
  if (!partial.rows.length) return null;
  // the table and chart read only rows, comparisons and the spec's methods of a result
  const result = {
    rows: partial.rows,
    comparisons: partial.comparisons,
    metrics: [],
    meta: { spec: experimentSpec(params, groupBy) } as Provenance,
  } as ExperimentResult;
  return (
    <div className="output partial" data-testid="experiment-partial" aria-busy="true">
      <p className="hint">
        First results: {left} of {params.methods.length} methods still running or queued; rows appear as each finishes.
      </p>
      <ResultsTable result={result} pending={partial.pending} />
      <ResultsBarChartMount result={result} />
    </div>
  );
}
