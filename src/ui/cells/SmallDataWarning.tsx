/** The warning before a run on small data: the expected chance spread of one fold's score, and fewer folds to use. */
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
