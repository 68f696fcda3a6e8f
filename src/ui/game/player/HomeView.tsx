/** Home: play on this device with a bundled clip set or your audio from the lab (default settings, seed shown), or continue the device's session. */
import { useEffect, useId, useState } from 'react';
import { createSession, DEFAULTS, type SessionSettings } from '../../../game';
import { cacheBundledSetForOffline } from '../clip-source';
import { loadCurrent, loadSession, loadVotes, saveCurrent, saveSession } from '../db';
import { BUNDLED_CLIP_SETS, clipIdsOf, type GameClipSet, listClipSets } from '../organiser/clip-sets';
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

/** The clip set radios: bundled sets, then "Your audio from the lab" (the lab's saved notebook's audio sets, or how to get some). */
function ClipSetChoice({ sets, value, onChange }: { sets: readonly GameClipSet[]; value: string; onChange: (id: string) => void }) {
  const id = useId();
  const own = sets.filter((s) => s.kind === 'own');
  const radio = (s: GameClipSet) => (
    <label key={s.id} className="choice-row">
      <input type="radio" name={`${id}-set`} value={s.id} checked={value === s.id} onChange={() => onChange(s.id)} />
      <span>{s.label}</span>
    </label>
  );
  return (
    <>
      <fieldset className="clip-sets">
        <legend>Clip set</legend>
        {sets.filter((s) => s.kind === 'bundled').map(radio)}
      </fieldset>
      <fieldset className="clip-sets" data-testid="own-sets">
        <legend>Your audio from the lab</legend>
        {own.map(radio)}
        {own.length === 0 && (
          <p className="muted small">
            None in this browser yet: drop audio files on a Data cell in <a href="./">the lab</a> (they stay in this browser), then come back here.
          </p>
        )}
      </fieldset>
    </>
  );
}

export function HomeView() {
  const [sets, setSets] = useState<readonly GameClipSet[]>(BUNDLED_CLIP_SETS);
  const [setId, setSetId] = useState(BUNDLED_CLIP_SETS[0]?.id ?? '');
  const [seed, setSeed] = useState(randomSeed);
  const [rounds, setRounds] = useState(String(DEFAULTS.roundsPerMatch));
  const [seconds, setSeconds] = useState(String(DEFAULTS.voteSeconds));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  useEffect(() => {
    let live = true;
    listClipSets().then(
      (all) => live && setSets(all),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  const chosen = sets.find((s) => s.id === setId);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      if (!chosen) throw new Error(`the clip set "${setId}" is not in this browser`);
      const clipIds = await clipIdsOf(chosen);
      cacheBundledSetForOffline(setId);
      const s = createSession({
        clipSetId: setId,
        clipIds,
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
        <ClipSetChoice
          sets={sets}
          value={setId}
          onChange={(v) => {
            setSetId(v);
            setError(sets.find((s) => s.id === v)?.problem ?? null);
          }}
        />
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
        <button type="button" className="primary big" onClick={start} disabled={busy || !chosen || !!chosen.problem} data-testid="play-here">
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
