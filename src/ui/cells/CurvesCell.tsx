/**
 * Learning curves cell: methods, training fractions, repeats, folds, γ, C, seed → per group a line chart
 * (held-out fulfilment against training constraints, log axis) with the paired difference W0-RITML − RITML
 * and its interval, a table of the numbers, CSV / JSON exports. Runs core/learning-curve.ts in the worker.
 */
import { templateInfoLabel } from '../../core/template';
import type { Provenance } from '../../core/experiment-types';
import type { LearningCurveResult } from '../../core/learning-curve';
import { methodLabel } from '../../core/methods';
import { GroupsAndProblems, ListField, NumberField, download } from '../components/common';
import { ProvenanceView } from '../components/Results';
import { curveDifferencesToCsv, curveToCsv, pct } from '../export';
import { validateParams, type CellOf } from '../kinds';
import { LearningCurveChartMount } from '../mounts';
import { groupByFor, setParams, statusOf, useLab } from '../store';
import { curveDifferences, curveGroups } from '../charts/curves-model';
import { CellFrame } from './CellFrame';
import { MethodPicker } from './MethodPicker';

export function CurvesCell({ cell, index, count }: { cell: CellOf<'curves'>; index: number; count: number }) {
  const p = cell.params;
  const groupBy = useLab((s) => groupByFor(s.cells, index));
  const saved = useLab((s) => s.runs[cell.id]?.saved?.curve);
  const status = useLab((s) => statusOf(s, cell.id));
  const problems = validateParams(cell, groupBy);
  const set = (patch: Partial<typeof p>) => setParams<'curves'>(cell.id, patch);
  return (
    <CellFrame cell={cell} index={index} count={count}>
      <p className="explain">
        When does transfer pay off? Each fold's training constraints are subsampled to each fraction ({p.repeats} {p.repeats === 1 ? 'time' : 'times'}, seeded;
        the test folds untouched; fraction 1 once), and every method is fitted again; the template W0 is learned once per group on everybody else.
      </p>
      <MethodPicker methods={p.methods} onChange={(methods) => set({ methods })} />
      <div className="row">
        <ListField
          label="Training fractions"
          value={p.fractions}
          onChange={(v) => set({ fractions: v })}
          hint="of each fold's training part, in (0, 1]"
          testId="fractions"
        />
        <NumberField
          label="Repeats"
          value={p.repeats}
          integer
          min={1}
          max={100}
          onChange={(v) => set({ repeats: v })}
          hint="subsamples per fraction"
          testId="repeats"
        />
        <NumberField label="Folds" value={p.folds} integer min={2} max={50} onChange={(v) => set({ folds: v })} testId="folds" />
      </div>
      <div className="row">
        <NumberField
          label="γ (RITML family, W0)"
          value={p.gamma}
          min={Number.MIN_VALUE}
          onChange={(v) => set({ gamma: v })}
          hint="fixed: no inner CV"
          testId="gamma"
        />
        <NumberField label="C (SVM, MLR)" value={p.c} min={Number.MIN_VALUE} onChange={(v) => set({ c: v })} hint="fixed: no inner CV" testId="c" />
        <NumberField label="Seed" value={p.seed} integer onChange={(v) => set({ seed: v })} testId="seed" />
      </div>
      <GroupsAndProblems groupBy={groupBy} problems={problems} />
      {saved && (
        <div className={status === 'stale' || status === 'cancelled' ? 'output dim' : 'output'} data-testid="curves-output">
          {status === 'cancelled' && <p className="hint">The run was cancelled: these are the results of the earlier run, kept as they were.</p>}
          {status === 'stale' && <p className="hint">These results are from earlier parameters: run again to update.</p>}
          {curveGroups(saved).map((g) => (
            <section key={g} data-testid="curve-group" data-group={g}>
              <h3>Group {g}</h3>
              <TemplateLine result={saved} group={g} />
              <LearningCurveChartMount result={saved} group={g} />
              <CurveTable result={saved} group={g} />
            </section>
          ))}
          <CurveExports result={saved} />
          {/* the provenance reads the experiment's meta; a curve's is the same shape */}
          <ProvenanceView result={{ rows: [], comparisons: [], metrics: [], meta: saved.meta as Provenance }} />
        </div>
      )}
    </CellFrame>
  );
}

/** Which template W0 the group's W0-RITML fine-tunes (trained once on the complement, not subsampled). */
function TemplateLine({ result, group }: { result: LearningCurveResult; group: string }) {
  const t = result.templates?.find((x) => x.group === group);
  if (!t) return null;
  const pc = (x: number) => `${(100 * x).toFixed(1)} %`;
  return (
    <p className="hint" data-testid="curve-template">
      Template W0 (the complement, never subsampled): {templateInfoLabel(t)}; it fulfils {pc(t.trainFulfilment)} of the complement's {t.complementConstraints}{' '}
      constraints, Euclidean {pc(t.euclideanTrain)}.{t.identity ? ' W0 = I, so W0-RITML is RITML here.' : ''}
    </p>
  );
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(2)}`;

/** Rows: fractions; columns: training constraints, each method's mean ± sd, the paired difference [interval]. */
function CurveTable({ result, group }: { result: LearningCurveResult; group: string }) {
  const rows = result.rows.filter((r) => r.group === group);
  const methods = [...new Set(rows.map((r) => r.method))];
  const diffs = curveDifferences(result, group);
  const pair = diffs[0];
  const level = Math.round(100 * (pair?.level ?? 0.95));
  return (
    <table className="results" data-testid="curve-table" data-group={group}>
      <caption>
        Group {group}: % of held-out constraints fulfilled, mean ± sd over folds × repeats
        {pair ? `; ${methodLabel(pair.a)} − ${methodLabel(pair.b)} in points with its ${level} % interval` : ''}.
      </caption>
      <thead>
        <tr>
          <th scope="col">Fraction</th>
          <th scope="col">Training constraints</th>
          {methods.map((m) => (
            <th key={m} scope="col">
              {methodLabel(m)}
            </th>
          ))}
          {pair && <th scope="col">{`${methodLabel(pair.a)} − ${methodLabel(pair.b)} [${level} % CI]`}</th>}
        </tr>
      </thead>
      <tbody>
        {result.curve.fractions.map((f) => {
          const at = rows.filter((r) => r.fraction === f);
          const d = diffs.find((x) => x.fraction === f);
          return (
            <tr key={f} data-fraction={f}>
              <th scope="row">{f}</th>
              <td>{at[0]?.trainConstraints ?? ''}</td>
              {methods.map((m) => {
                const r = at.find((x) => x.method === m);
                return (
                  <td key={m} data-method={m} data-mean={r?.mean} data-sd={r?.sd}>
                    {r ? `${pct(r.mean)} ± ${pct(r.sd)}` : ''}
                  </td>
                );
              })}
              {pair && (
                <td data-diff={d?.meanDiff}>
                  {d ? (d.lo === null || d.hi === null ? `${signed(d.meanDiff)} (one pair)` : `${signed(d.meanDiff)} [${signed(d.lo)}, ${signed(d.hi)}]`) : ''}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function CurveExports({ result }: { result: LearningCurveResult }) {
  const stem = `learning-curves-seed${result.meta.spec.seed}`;
  return (
    <div className="row exports">
      <button type="button" onClick={() => download(`${stem}.csv`, curveToCsv(result), 'text/csv')} data-testid="export-csv">
        Export curves (CSV)
      </button>
      <button type="button" onClick={() => download(`${stem}-differences.csv`, curveDifferencesToCsv(result), 'text/csv')}>
        Export differences (CSV)
      </button>
      <button type="button" onClick={() => download(`${stem}.json`, JSON.stringify(result, null, 1), 'application/json')} data-testid="export-json">
        Export everything (JSON)
      </button>
    </div>
  );
}
