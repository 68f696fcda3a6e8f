/** Constraints & groups: votes → relative constraints (contradictions removed), grouped by an attribute. */
import { useId, useMemo } from 'react';
import { attribute, groupSummary, toConstraints, TripletRegistry } from '../../core/constraints';
import { foldSpread } from '../../core/fold-spread';
import type { LabData } from '../../core/experiment';
import { groupByProblem } from '../data';
import { holdsFiles } from '../kinds';
import { downstreamOf, nearestAbove, type Cell, type CellOf } from '../model';
import type { ConstraintsSummary } from '../notebook-file';
import { dataFor, setParams, statusOf, useLab } from '../store';
import { CellFrame } from './CellFrame';
import { SmallDataWarning, smallestGroup, type SmallestGroup } from './SmallDataWarning';

export function ConstraintsCell({ cell, index, count }: { cell: CellOf<'constraints'>; index: number; count: number }) {
  const id = useId();
  const data = useLab((s) => dataFor(s, index));
  const saved = useLab((s) => s.runs[cell.id]?.saved?.summary);
  const status = useLab((s) => statusOf(s, cell.id));
  const groupBy = cell.params.groupBy;
  const columns = data?.lab?.judgments.attributeColumns ?? [];
  // only the loaded data's attributes are offered; before data is loaded the saved choice is shown as it is
  const problem = groupByProblem(data, groupBy);
  const unknown = groupBy && !columns.includes(groupBy);
  // relative judgments (A closer to B than to C) are constraints, not odd-one-out votes
  const relative = data?.lab?.judgments.layout === 'relative';
  return (
    <CellFrame cell={cell} index={index} count={count}>
      <DataBlocked index={index} />
      <div className="row">
        <div className="field">
          <label htmlFor={id}>Group by</label>
          <select id={id} value={groupBy} onChange={(e) => setParams<'constraints'>(cell.id, { groupBy: e.target.value })} data-testid="group-by">
            <option value="">(no groups: all data)</option>
            {columns.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
            {unknown && (
              <option value={groupBy} disabled={!!data?.lab}>
                {data?.lab ? `${groupBy} (not in the loaded data)` : groupBy}
              </option>
            )}
          </select>
        </div>
        <p className="hint">
          A vote (A, B, C → odd one out) gives two relative constraints. Repeated votes add weight; contradicting constraints are decided by majority and ties
          dropped. A group is the votes whose user has the attribute value; its complement is all other votes.
        </p>
      </div>
      {problem && (
        <div className="notice error" role="alert" data-testid="group-by-problem">
          <strong>Group by: </strong>
          {problem}
        </div>
      )}
      {data?.lab && !problem && <SmallDataWarnings cellId={cell.id} lab={data.lab} groupBy={groupBy} />}
      {saved && (
        <div className={status === 'fresh' ? 'output' : 'output dim'}>
          <p data-testid="constraints-overall">
            {relative ? `${saved.overall.votes} relative constraints read` : `${saved.overall.votes} votes → ${saved.overall.constraintsRaw} constraints`} →{' '}
            {saved.overall.constraintsBefore} distinct → <strong>{saved.overall.constraintsAfter}</strong> after resolving{' '}
            {saved.overall.contradictionsResolved} contradictions ({saved.overall.tiesDropped} ties dropped), on {saved.overall.clips} clips and{' '}
            {saved.overall.triplets} triplets.
          </p>
          {saved.groups.length > 0 && <GroupsTable summary={saved} unit={relative ? 'judgments' : 'votes'} />}
        </div>
      )}
    </CellFrame>
  );
}

/** While the Data cell above holds the user's files that do not form a usable set, nothing here runs: say where to fix it. */
function DataBlocked({ index }: { index: number }) {
  const cells = useLab((s) => s.cells);
  const dataCell = nearestAbove(cells, index, 'data');
  const d = useLab((s) => (dataCell ? s.data[dataCell.id] : undefined));
  if (!dataCell || !holdsFiles(dataCell.params.source) || d?.lab) return null;
  const at = cells.findIndex((c) => c.id === dataCell.id) + 1;
  return (
    <p className="notice error" role="status" data-testid="blocked-by-data">
      Waiting for the Data cell [{at}]:{' '}
      {d?.features || d?.judgments ? 'its files do not form a usable data set yet (see the message there)' : 'no files loaded yet'}. This cell and the ones
      below run once it is fixed.
    </p>
  );
}

/** Constraints of the smallest group (or of all data), computed from the loaded data before any run. */
function smallest(lab: LabData, groupBy: string): SmallestGroup {
  const js = lab.judgments;
  const ids = lab.features.ids;
  if (!groupBy) {
    const r = toConstraints(js.judgments, ids, new TripletRegistry(), { file: js.source }).report;
    return smallestGroup([], { constraints: r.constraintsAfter, clips: r.clips });
  }
  return smallestGroup(groupSummary(js, ids, groupBy), { constraints: 0, clips: 0 });
}

/** A quick upper bound of the smallest group's constraints (two per vote record, one per relative record), without converting. */
function smallestBound(lab: LabData, groupBy: string): number {
  const per = new Map<string, number>();
  for (const j of lab.judgments.judgments) {
    const v = groupBy ? attribute(j, groupBy) : '';
    if (v !== undefined) per.set(v, (per.get(v) ?? 0) + (j.kind === 'vote' ? 2 : 1));
  }
  return per.size ? Math.min(...per.values()) : 0;
}

/** One warning per Experiment / Transfer / Learning curves cell below whose folds leave too few constraints per test fold. */
function SmallDataWarnings({ cellId, lab, groupBy }: { cellId: string; lab: LabData; groupBy: string }) {
  const cells = useLab((s) => s.cells);
  const below = downstreamOf(cells, cellId)
    .map((cid) => cells.find((c) => c.id === cid))
    .filter(
      (c): c is Extract<Cell, { kind: 'experiment' | 'transfer' | 'curves' }> => c?.kind === 'experiment' || c?.kind === 'transfer' || c?.kind === 'curves',
    );
  const bound = useMemo(() => smallestBound(lab, groupBy), [lab, groupBy]);
  // the exact counts (constraints after contradictions, per group) only when the bound may be too small: large data costs nothing
  const maxFolds = Math.max(0, ...below.map((c) => c.params.folds));
  const size = useMemo(() => (foldSpread(bound, maxFolds) ? smallest(lab, groupBy) : null), [bound, maxFolds, lab, groupBy]);
  if (!size) return null;
  return (
    <>
      {below.map((c) => (
        <SmallDataWarning
          key={c.id}
          {...size}
          folds={c.params.folds}
          where={`${c.kind === 'experiment' ? 'Experiment' : 'Transfer'} cell [${cells.indexOf(c) + 1}]`}
        />
      ))}
    </>
  );
}

/** Votes, constraints and clips per group and its complement. */
function GroupsTable({ summary, unit }: { summary: ConstraintsSummary; unit: string }) {
  return (
    <div className="table-wrap">
      <table data-testid="groups-table">
        <caption>
          {unit === 'votes' ? 'Votes' : 'Relative judgments'}, constraints and clips per value of <em>{summary.groupBy}</em> and its complement
        </caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              Group
            </th>
            <th scope="colgroup" colSpan={3}>
              Group
            </th>
            <th scope="colgroup" colSpan={3}>
              Complement
            </th>
          </tr>
          <tr>
            <th scope="col">{unit}</th>
            <th scope="col">constraints</th>
            <th scope="col">clips</th>
            <th scope="col">{unit}</th>
            <th scope="col">constraints</th>
            <th scope="col">clips</th>
          </tr>
        </thead>
        <tbody>
          {summary.groups.map((g) => (
            <tr key={g.group}>
              <th scope="row">{g.group}</th>
              <td>{g.votes}</td>
              <td>{g.constraints}</td>
              <td>{g.clips}</td>
              <td>{g.complement.votes}</td>
              <td>{g.complement.constraints}</td>
              <td>{g.complement.clips}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
