/** Constraints & groups: votes → relative constraints (contradictions removed), grouped by an attribute. */
import { useId } from 'react';
import type { CellOf } from '../model';
import type { ConstraintsSummary } from '../notebook-file';
import { dataFor, setParams, statusOf, useLab } from '../store';
import { CellFrame } from './CellFrame';

export function ConstraintsCell({ cell, index, count }: { cell: CellOf<'constraints'>; index: number; count: number }) {
  const id = useId();
  const data = useLab((s) => dataFor(s, index));
  const saved = useLab((s) => s.runs[cell.id]?.saved?.summary);
  const status = useLab((s) => statusOf(s, cell.id));
  const columns = data?.lab?.judgments.attributeColumns ?? [];
  // relative judgments (A closer to B than to C) are constraints, not odd-one-out votes
  const relative = data?.lab?.judgments.layout === 'relative';
  const options = cell.params.groupBy && !columns.includes(cell.params.groupBy) ? [...columns, cell.params.groupBy] : columns;
  return (
    <CellFrame cell={cell} index={index} count={count}>
      <div className="row">
        <div className="field">
          <label htmlFor={id}>Group by</label>
          <select id={id} value={cell.params.groupBy} onChange={(e) => setParams<'constraints'>(cell.id, { groupBy: e.target.value })} data-testid="group-by">
            <option value="">(no groups: all data)</option>
            {options.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
        <p className="hint">
          A vote (A, B, C → odd one out) gives two relative constraints. Repeated votes add weight; contradicting constraints are decided by majority and ties
          dropped. A group is the votes whose user has the attribute value; its complement is all other votes.
        </p>
      </div>
      {saved && (
        <div className={status === 'stale' ? 'output dim' : 'output'}>
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
