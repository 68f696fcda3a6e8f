/** End of a match: its total, the leaderboard of this device's players, "Next player" and "Play another match". */
import { useEffect, useMemo, useRef } from 'react';
import { leaderboard, scoreSession } from '../../../game';
import { RankTable } from '../RankTable';
import { playerLabel, plural } from './labels';
import { anotherMatch, matchTotal, nextPlayer, usePlayer } from './player-store';

export function MatchEnd() {
  const { settings, votes, players, player, match } = usePlayer();
  const scores = useMemo(() => (settings ? scoreSession(settings, votes) : []), [settings, votes]);
  const rows = useMemo(() => leaderboard(votes, scores), [votes, scores]);
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => h.current?.focus(), []);
  if (!settings || !match || !player) return null;
  const total = matchTotal(votes, scores, match.match);
  const mine = votes.filter((v) => v.match === match.match);
  return (
    <section className="game-card match-end" aria-labelledby="end-h" data-testid="match-end">
      <h2 id="end-h" ref={h} tabIndex={-1}>
        Match over: <span data-testid="end-total">{total}</span> points
      </h2>
      <p className="muted">
        {plural(mine.length, 'round')} recorded
        {mine.some((v) => v.timeout) ? `, ${plural(mine.filter((v) => v.timeout).length, 'timeout')}` : ''}. Thank you!
      </p>
      <h3>Players on this device</h3>
      <RankTable
        rows={rows}
        testId="leaderboard"
        rowProps={(r) => ({ className: r.player === player.id ? 'me' : undefined })}
        playerCell={(r) => (
          <td>
            {playerLabel(players, r.player)}
            {r.player === player.id ? ' (you)' : ''}
          </td>
        )}
      />
      <div className="actions">
        <button type="button" className="primary big" onClick={() => void nextPlayer()} data-testid="next-player">
          Next player
        </button>
        <button type="button" className="big" onClick={anotherMatch} data-testid="another-match">
          Play another match
        </button>
      </div>
      <p className="muted small">
        Next player: hand the device on; they get their own anonymous id and questionnaire. The organiser collects this device's votes on the{' '}
        <a href="#organise">organiser's page</a>.
      </p>
    </section>
  );
}
