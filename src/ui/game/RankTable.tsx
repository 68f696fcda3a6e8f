/** The game's leaderboard table (rank, player, points, rounds): a device's players at match end, the organiser's live panel. */
import type { HTMLAttributes, ReactNode } from 'react';

export interface RankRow {
  readonly player: string;
  readonly rank: number;
  readonly points: number;
  readonly rounds: number;
}

export function RankTable<R extends RankRow>({
  rows,
  testId,
  playerCell,
  rowProps,
}: {
  rows: readonly R[];
  testId: string;
  /** the Player column's cell (a <td>) */
  playerCell: (r: R) => ReactNode;
  rowProps?: (r: R) => HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string | number>;
}) {
  return (
    <table className="leaderboard" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Player</th>
          <th scope="col">Points</th>
          <th scope="col">Rounds</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.player} {...rowProps?.(r)}>
            <td>{r.rank}</td>
            {playerCell(r)}
            <td>{r.points}</td>
            <td>{r.rounds}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
