/** Home: play on this device with a bundled clip set (default settings, seed shown), or continue the device's session. */
import { useEffect, useId, useState } from 'react';
import { createSession, DEFAULTS, type SessionSettings } from '../../../game';
import { BUNDLED_CLIP_SETS, loadBundledClips } from '../clip-source';
import { loadCurrent, loadSession, loadVotes, saveCurrent, saveSession } from '../db';
import { clipSetLabel, plural, settingsLine } from './labels';

const randomSeed = (): string => Math.random().toString(36).slice(2, 8);

function ContinueCard() {
  const [found, setFound] = useState<{ s: SessionSettings; votes: number } | null>(null);
  useEffect(() => {
    let live = true;
    (async () => {
      const c = await loadCurrent();
      const s = c ? await loadSession(c.session) : null;
      if (s && live) setFound({ s, votes: (await loadVotes(s.id)).length });
    })().catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  if (!found) return null;
  return (
    <section className="game-card" aria-labelledby="continue-h">
      <h2 id="continue-h">Continue on this device</h2>
      <p>
        <strong>{found.s.name}</strong> — {clipSetLabel(found.s.clipSetId)}
        <br />
        <span className="muted">
          {settingsLine(found.s)} · {plural(found.votes, 'vote')} so far
        </span>
      </p>
      <a className="button primary big" href="#play" data-testid="continue">
        Continue
      </a>
    </section>
  );
}

export function HomeView() {
  const [setId, setSetId] = useState(BUNDLED_CLIP_SETS[0]?.id ?? '');
  const [seed, setSeed] = useState(randomSeed);
  const [rounds, setRounds] = useState(String(DEFAULTS.roundsPerMatch));
  const [seconds, setSeconds] = useState(String(DEFAULTS.voteSeconds));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const clips = await loadBundledClips(setId);
      const s = createSession({
        clipSetId: setId,
        clipIds: clips.map((c) => c.id),
        seed: seed.trim() || randomSeed(),
        name: `Played on this device, ${new Date().toLocaleDateString()}`,
        roundsPerMatch: Number(rounds),
        voteSeconds: Number(seconds),
      });
      await saveSession(s);
      await saveCurrent({ session: s.id, player: null });
      location.hash = '#play';
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <div className="game-home">
      <p className="lead">
        Listen to three clips and pick the one that does not belong. You score when other players pick the same one. Your votes help compare how groups of
        people hear similarity.
      </p>
      <ContinueCard />
      <section className="game-card" aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>Play on this device</h2>
        <fieldset className="clip-sets">
          <legend>Clip set</legend>
          {BUNDLED_CLIP_SETS.map((s) => (
            <label key={s.id} className="choice-row">
              <input type="radio" name={`${id}-set`} value={s.id} checked={setId === s.id} onChange={() => setSetId(s.id)} />
              <span>{s.label}</span>
            </label>
          ))}
        </fieldset>
        <details className="settings">
          <summary>Settings (seed {seed || '—'})</summary>
          <div className="settings-grid">
            <label>
              Seed <input value={seed} onChange={(e) => setSeed(e.target.value)} maxLength={40} data-testid="seed" />
            </label>
            <label>
              Rounds per match <input type="number" min={1} max={100} value={rounds} onChange={(e) => setRounds(e.target.value)} data-testid="rounds" />
            </label>
            <label>
              Seconds to vote <input type="number" min={5} max={600} value={seconds} onChange={(e) => setSeconds(e.target.value)} data-testid="vote-seconds" />
            </label>
          </div>
        </details>
        {error && (
          <p className="game-error" role="alert">
            {error}
          </p>
        )}
        <button type="button" className="primary big" onClick={start} disabled={busy || !setId} data-testid="play-here">
          {busy ? 'Setting up…' : 'Play on this device'}
        </button>
        <p className="muted small">Players take turns on this device; each answers their own short, optional questionnaire.</p>
      </section>
      <section className="game-card" aria-labelledby={`${id}-org`}>
        <h2 id={`${id}-org`}>Run a workshop</h2>
        <p>
          Set up a session with your own settings and questions, let phones join by a link or QR code, collect their votes and analyse them in the lab:{' '}
          <a href="#organise">the organiser's page</a>.
        </p>
      </section>
    </div>
  );
}
