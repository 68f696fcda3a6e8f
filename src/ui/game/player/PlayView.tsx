/** #play: the player side — consent, questionnaire, sound, rounds, results — rebuilt from IndexedDB on every load. */
import { useEffect } from 'react';
import { ConsentView } from './ConsentView';
import { clipSetLabel, playerLabel } from './labels';
import { MatchEnd } from './MatchEnd';
import { loadPlayer, stopPlaying, usePlayer } from './player-store';
import { QuestionnaireView } from './QuestionnaireView';
import { RoundResult } from './RoundResult';
import { RoundView } from './RoundView';
import { SoundGate } from './SoundGate';

function Stage() {
  const { stage, settings, draftId, error, match, last } = usePlayer();
  switch (stage) {
    case 'loading':
      return <p aria-live="polite">Loading…</p>;
    case 'no-session':
      return (
        <section className="game-card" data-testid="no-session">
          <h2>No game on this device yet</h2>
          {error && <p className="game-error">{error}</p>}
          <p>
            <a href="#home">Start one here</a>, or open the join link or QR code the organiser shows.
          </p>
        </section>
      );
    case 'consent':
      return settings && <ConsentView settings={settings} />;
    case 'questionnaire':
      return settings && draftId && <QuestionnaireView def={settings.questionnaire} draftId={draftId} error={error} />;
    case 'sound':
      return <SoundGate match={match} error={error} />;
    case 'round-loading':
    case 'round':
      return <RoundView />;
    case 'result':
      return last && <RoundResult result={last} last={match?.phase === 'finished'} />;
    case 'finished':
      return <MatchEnd />;
  }
}

export function PlayView() {
  const { settings, player, players, stage, announcement } = usePlayer();
  useEffect(() => {
    void loadPlayer();
    return stopPlaying;
  }, []);
  return (
    <div className="play" data-testid="play" data-stage={stage}>
      {settings && (
        <p className="session-line muted">
          <span>{settings.name}</span> · <span>{clipSetLabel(settings.clipSetId)}</span> · <span data-testid="seed">seed {settings.seed}</span>
          {player && (
            <>
              {' '}
              · <span data-testid="player-label">{playerLabel(players, player.id)}</span>
            </>
          )}
        </p>
      )}
      <Stage />
      <p className="sr-only" aria-live="polite" data-testid="announcer">
        {announcement}
      </p>
    </div>
  );
}
