/** The warning before a run on small data: the expected chance spread of one fold's score, and fewer folds to use. */
import { ALL_GROUP, type GroupSummaryRow } from '../../core/constraints';
import { foldSpread } from '../../core/fold-spread';

export interface SmallDataProps {
  /** constraints of the smallest group (or of all data without groups) */
  readonly constraints: number;
  readonly clips: number;
  /** the group they belong to ('' = all data) */
  readonly group: string;
  readonly folds: number;
  /** the cell that splits into the folds, e.g. "Experiment [4]" */
  readonly where: string;
}

export type SmallestGroup = Pick<SmallDataProps, 'constraints' | 'clips' | 'group'>;

/** The smallest group of a group summary (its row over all data left out); `overall` when there are no groups. */
export function smallestGroup(rows: readonly GroupSummaryRow[], overall: { constraints: number; clips: number }): SmallestGroup {
  // the row over all data is the summary's last (a group may itself be called "all")
  const groups = rows.length && rows[rows.length - 1].group === ALL_GROUP ? rows.slice(0, -1) : rows;
  if (!groups.length) return { ...overall, group: '' };
  const min = groups.reduce((a, b) => (b.constraints < a.constraints ? b : a));
  return { constraints: min.constraints, clips: min.clips, group: min.group };
}

const pt = (x: number) => `±${x.toFixed(0)} points`;

export function SmallDataWarning({ constraints, clips, group, folds, where }: SmallDataProps) {
  const w = foldSpread(constraints, folds);
  if (!w) return null;
  const of = group ? `the smallest group (${group}) has ${constraints} constraints on ${clips} clips` : `${constraints} constraints on ${clips} clips`;
  return (
    <div className="notice error" role="status" data-testid="small-data-warning" data-sd={w.sd.toFixed(1)} data-suggested-folds={w.suggestedFolds}>
      <strong>Small data: </strong>
      {of}; with {folds} folds ({where}) a test fold holds about {w.perTestFold.toFixed(1)} constraints, so one fold's score varies by about {pt(w.sd)} by
      chance alone (sd ≈ 100·√(p(1−p)/n) with n constraints per test fold, p = 0.5).{' '}
      {w.suggestedFolds < folds ? `Use ${w.suggestedFolds} folds (${pt(w.suggestedSd)}).` : ''}
      {w.tooSmall ? ' Even then differences between methods of less than about twice that are noise: more judgments are needed.' : ''}
    </div>
  );
}
