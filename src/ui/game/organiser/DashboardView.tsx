/**
 * The dashboard over every merged vote: players and questionnaires, votes per triplet against the growth rule,
 * catch trials and the players they flag, agreement and the leaderboard.
 */
import type { SessionSettings } from '../../../game';
import type { Dashboard } from './dashboard';

const short = (id: string): string => (id.length > 10 ? `${id.slice(0, 8)}…` : id);
const pct = (x: number): string => `${Math.round(x * 100)} %`;
/** a share against a threshold: one decimal, rounded down, so 69.7 % never reads as the 70 % it has not reached */
const share = (x: number): string => `${Math.floor(x * 1000) / 10} %`;

export function DashboardView({ session, d }: { session: SessionSettings; d: Dashboard }) {
  const g = session.growth;
  return (
    <section className="org-section" aria-labelledby="dash-h" data-testid="dashboard">
      <h2 id="dash-h">4. Dashboard</h2>
      <dl className="stats" data-testid="dash-stats">
        <div>
          <dt>Votes</dt>
          <dd data-testid="dash-votes">{d.votes}</dd>
        </div>
        <div>
          <dt>Players</dt>
          <dd data-testid="dash-players">{d.players.length}</dd>
        </div>
        <div>
          <dt>Timeouts</dt>
          <dd>{d.timeouts}</dd>
        </div>
        <div>
          <dt>Agreement points</dt>
          <dd data-testid="dash-agreement">{d.agreementPoints}</dd>
        </div>
        <div>
          <dt>Rounds with agreement</dt>
          <dd>{d.scoredRounds ? `${d.agreedRounds} of ${d.scoredRounds} (${pct(d.agreedRounds / d.scoredRounds)})` : '–'}</dd>
        </div>
      </dl>
      <p data-testid="dash-coverage">
        Triplets in play: <strong>{d.active}</strong>; {d.covered} have ≥ {g.minVotes} votes ({d.active ? share(d.covered / d.active) : '–'}). The pool grows
        once {pct(g.coverage)} do
        {d.toGrow > 0 ? ` — ${d.toGrow} more triplet${d.toGrow === 1 ? '' : 's'} need${d.toGrow === 1 ? 's' : ''} ${g.minVotes} votes.` : '.'}
      </p>
      <Leaderboard d={d} />
      <CatchTable d={d} />
      <PlayersTable d={d} />
      <TripletsTable d={d} minVotes={g.minVotes} />
    </section>
  );
}

function Leaderboard({ d }: { d: Dashboard }) {
  const simulated = new Set<string>(d.players.filter((p) => p.simulated).map((p) => p.id));
  if (d.leaderboard.length === 0) return <p className="hint">No votes yet: the leaderboard appears with the first votes.</p>;
  return (
    <div className="table-wrap">
      <table data-testid="leaderboard">
        <caption>Leaderboard: 10 points per other player who picked the same clip, 30 per catch trial passed</caption>
        <thead>
          <tr>
            <th scope="col">Rank</th>
            <th scope="col">Player</th>
            <th scope="col">Points</th>
            <th scope="col">Rounds</th>
            <th scope="col">Agreed</th>
            <th scope="col">Catch passed</th>
          </tr>
        </thead>
        <tbody>
          {d.leaderboard.map((r) => (
            <tr key={r.player} data-testid="leaderboard-row" data-player={r.player}>
              <td>{r.rank}</td>
              <td title={r.player}>
                <code>{short(r.player)}</code> {r.flagged && <span className="badge status-error">flagged</span>}
                {simulated.has(r.player) && (
                  <span className="badge" data-testid="simulated-badge">
                    simulated
                  </span>
                )}
              </td>
              <td data-testid="points">{r.points}</td>
              <td title={r.timeouts ? `${r.timeouts} timed out` : undefined}>
                {r.rounds}
                {r.timeouts ? ` (${r.timeouts} timeout${r.timeouts === 1 ? '' : 's'})` : ''}
              </td>
              <td>{r.agreedRounds}</td>
              <td>{r.catchPassed + r.catchFailed ? `${r.catchPassed} of ${r.catchPassed + r.catchFailed}` : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CatchTable({ d }: { d: Dashboard }) {
  const rows = [...d.catches].sort((a, b) => b[1].failed - a[1].failed || (a[0] < b[0] ? -1 : 1));
  const taken = rows.reduce((s, [, c]) => s + c.taken, 0);
  const failed = rows.reduce((s, [, c]) => s + c.failed, 0);
  return (
    <details className="dash-block" data-testid="catch-summary">
      <summary>
        Catch trials: {taken} taken, {failed} failed; <span data-testid="flagged-count">{d.flagged.length}</span> player{d.flagged.length === 1 ? '' : 's'}{' '}
        flagged
      </summary>
      <p className="hint">
        A catch trial plays two identical clips and one different: failing one marks the player, whose votes the analysis leaves out by default.
      </p>
      {rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Player</th>
              <th scope="col">Taken</th>
              <th scope="col">Passed</th>
              <th scope="col">Failed</th>
              <th scope="col">Flagged</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([p, c]) => (
              <tr key={p}>
                <td title={p}>
                  <code>{short(p)}</code>
                </td>
                <td>{c.taken}</td>
                <td>{c.passed}</td>
                <td>{c.failed}</td>
                <td>{c.flagged ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}

function PlayersTable({ d }: { d: Dashboard }) {
  return (
    <details className="dash-block" data-testid="players">
      <summary>
        Players: {d.players.filter((p) => p.answered > 0).length} of {d.players.length} answered the questionnaire
      </summary>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Player (anonymous id)</th>
              <th scope="col">Votes</th>
              <th scope="col">Questionnaire</th>
            </tr>
          </thead>
          <tbody>
            {d.players.map((p) => (
              <tr key={p.id} data-testid="player-row">
                <td title={p.id}>
                  <code>{short(p.id)}</code>
                  {p.flagged ? ' (flagged)' : ''}
                  {p.simulated ? ' (simulated)' : ''}
                </td>
                <td>{p.votes}</td>
                <td>{p.noRecord ? 'not received (votes only)' : p.answered ? `${p.answered} of ${p.questions} answered` : 'skipped'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function TripletsTable({ d, minVotes }: { d: Dashboard; minVotes: number }) {
  return (
    <details className="dash-block" data-testid="triplets">
      <summary>Votes per triplet ({d.triplets.length} in play)</summary>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Triplet</th>
              <th scope="col">Clips (picks as odd one out)</th>
              <th scope="col">Votes</th>
              <th scope="col">Majority</th>
            </tr>
          </thead>
          <tbody>
            {d.triplets.map((t) => (
              <tr key={t.id} data-testid="triplet-row" className={t.votes >= minVotes ? '' : 'muted'}>
                <td>{t.id}</td>
                <td>{t.clips.map((c, i) => `${c} (${t.picks[i]})`).join(' · ')}</td>
                <td data-testid="triplet-votes">{t.votes}</td>
                <td>{t.majority === null ? '–' : pct(t.majority)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
