/** The player's page in a live workshop (play.html served by the workshop server): one view per step / phase of live-store. */
import { useEffect, useRef } from 'react';
import { AGREEMENT_POINTS } from '../../../game';
import { ConsentView } from '../player/ConsentView';
import { plural } from '../player/labels';
import { QuestionnaireView } from '../player/QuestionnaireView';
import { SoundGate } from '../player/SoundGate';
import { LiveRound } from './LiveRound';
import { agree, enableLiveSound, joinMatch, type LiveResult, startLive, submitLiveAnswers, useLive } from './live-store';

function Connection() {
  const { conn, retryMs, pending } = useLive();
  if (conn === 'open') return null;
  return (
    <p className="live-conn" role="status" data-testid="live-conn" data-conn={conn}>
      {conn === 'connecting' ? 'Connecting to the workshop…' : `Connection lost — trying again in ${Math.ceil(retryMs / 1000)} s.`}
      {pending > 0 ? ` ${plural(pending, 'vote')} waiting to be sent.` : ''}
    </p>
  );
}

function Waiting() {
  const { phase, queued, table } = useLive();
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => h.current?.focus(), []);
  if (phase === 'seated' && table)
    return (
      <section className="game-card" data-testid="live-seated">
        <h2 ref={h} tabIndex={-1}>
          Match starting
        </h2>
        <p>
          You are seat {table.seat}: {plural(table.humans, 'player')}
          {table.ai ? ` and ${plural(table.ai, 'AI player')}` : ''}, {plural(table.rounds, 'round')}.
        </p>
      </section>
    );
  return (
    <section className="game-card" data-testid="live-waiting" data-waiting={queued?.waiting ?? 0}>
      <h2 ref={h} tabIndex={-1}>
        Waiting for other players…
      </h2>
      <p aria-live="polite">
        {queued ? `${queued.waiting} of ${queued.seats} seats taken.` : 'Asking the server for a seat…'}
        {queued && queued.waitMs > 0 ? ` If nobody else comes within ${Math.round(queued.waitMs / 1000)} s, AI players fill the empty seats.` : ''}
      </p>
    </section>
  );
}

const pickName = (r: LiveResult, clip: string | null): string => {
  if (clip === null) return 'no pick';
  const i = r.clips.indexOf(clip);
  return i < 0 ? clip : `clip ${i + 1}`;
};

function Result({ r }: { r: LiveResult }) {
  const others = r.seats.filter((s) => !s.you);
  return (
    <section className="game-card result" data-testid="live-result" data-points={r.you.points} data-round={r.round} aria-labelledby="lr-h">
      <h2 id="lr-h">
        Round {r.round + 1}: <span className={r.you.points > 0 ? 'points' : 'points none'}>+{r.you.points} points</span>
      </h2>
      <p>
        {r.you.catchPassed !== undefined
          ? `A check round (two clips were the same): ${r.you.catchPassed ? 'you found the different one' : 'the different one was another clip'}.`
          : `${r.you.agreeing === 0 ? 'Nobody else' : plural(r.you.agreeing, 'other player')} of ${others.length} picked the same clip as you (${AGREEMENT_POINTS} points each).`}
      </p>
      <table className="leaderboard" data-testid="live-seats">
        <thead>
          <tr>
            <th scope="col">Seat</th>
            <th scope="col">Pick</th>
            <th scope="col">Points</th>
          </tr>
        </thead>
        <tbody>
          {r.seats.map((s) => (
            <tr key={s.seat} className={s.you ? 'me' : undefined} data-seat={s.seat} data-you={s.you} data-pick={s.pick ?? ''}>
              <td>
                Seat {s.seat}
                {s.you ? ' (you)' : s.ai ? ' (AI)' : ''}
              </td>
              <td>{pickName(r, s.pick)}</td>
              <td>{s.points}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="total">
        Total this match: <strong data-testid="live-match-points">{r.matchPoints}</strong> points
      </p>
      <p className="muted">{r.next === null ? 'That was the last round.' : 'The next round starts in a moment…'}</p>
    </section>
  );
}

function End() {
  const { matchEnd, board, notice, result } = useLive();
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => h.current?.focus(), []);
  return (
    <>
      {result && result.next === null && <Result r={result} />}
      <section className="game-card match-end" data-testid="live-end" aria-labelledby="le-h">
        <h2 id="le-h" ref={h} tabIndex={-1}>
          {matchEnd ? (
            <>
              Match over: <span data-testid="live-end-points">{matchEnd.points}</span> points
            </>
          ) : (
            'Match over'
          )}
        </h2>
        {notice && <p>{notice}</p>}
        {board && (
          <>
            <h3>Leaderboard ({plural(board.players, 'player')})</h3>
            <table className="leaderboard" data-testid="live-leaderboard">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Points</th>
                  <th scope="col">Rounds</th>
                </tr>
              </thead>
              <tbody>
                {board.rows.map((r) => (
                  <tr key={`${r.rank}-${r.points}-${r.rounds}-${r.you}`} className={r.you ? 'me' : undefined}>
                    <td>{r.rank}</td>
                    <td>
                      {r.points}
                      {r.you ? ' (you)' : ''}
                    </td>
                    <td>{r.rounds}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {board.you && !board.rows.some((r) => r.you) && (
              <p>
                You: rank {board.you.rank}, {board.you.points} points.
              </p>
            )}
          </>
        )}
        <div className="actions">
          <button type="button" className="primary big" onClick={joinMatch} data-testid="live-again">
            Play another match
          </button>
        </div>
      </section>
    </>
  );
}

function Lobby() {
  const { phase, result } = useLive();
  if (phase === 'round') return <LiveRound />;
  if (phase === 'result' && result) return <Result r={result} />;
  if (phase === 'ended') return <End />;
  if (phase === 'idle')
    return (
      <section className="game-card">
        <button type="button" className="primary big" onClick={joinMatch} data-testid="live-join">
          Join a match
        </button>
      </section>
    );
  return <Waiting />;
}

function Step() {
  const { step, session, player, error } = useLive();
  if (!session) return <p aria-live="polite">Connecting to the workshop…</p>;
  switch (step) {
    case 'connecting':
    case 'consent':
      return <ConsentView settings={session} onAgree={agree} live />;
    case 'questionnaire':
      return <QuestionnaireView def={session.questionnaire} draftId={player} error={error} onSubmit={submitLiveAnswers} />;
    case 'sound':
      return <SoundGate match={null} error={error} onEnable={enableLiveSound} />;
    case 'lobby':
      return <Lobby />;
  }
}

export function LiveView({ workshop }: { workshop: string | null }) {
  const { session, table, step, error, announcement } = useLive();
  useEffect(() => startLive(workshop), [workshop]);
  return (
    <div className="play" data-testid="play" data-live="true" data-step={step}>
      {session && (
        <p className="session-line muted">
          <span>Live workshop: {session.name}</span>
          {table && <span> · seat {table.seat}</span>}
        </p>
      )}
      <Connection />
      <Step />
      {error && step === 'lobby' && (
        <p className="game-error" role="alert" data-testid="live-error">
          {error}
        </p>
      )}
      <p className="sr-only" aria-live="polite" data-testid="announcer">
        {announcement}
      </p>
    </div>
  );
}
