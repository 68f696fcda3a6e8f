/**
 * "Add simulated players (demo)": bots of two populations with planted feature-pair couplings (sim-demo.ts)
 * play whole matches of this session; their votes and questionnaire answers are stored as one imported batch,
 * their records flagged 'simulated' (the dashboard says so), and "Remove simulated players" deletes them all.
 */
import { useEffect, useId, useState } from 'react';
import type { MergeResult, SessionSettings, VoteBatch } from '../../../game';
import { addImported, removeImported } from '../db';
import { featuresOf, listClipSets } from './clip-sets';
import { DEMO_MATCHES, DEMO_SOURCE, type DemoFeatures, type DemoPlan, demoFeatures, demoPlan, simulateDemo } from './sim-demo';

type Ready = { f: DemoFeatures; plan: DemoPlan } | { problem: string } | null;

async function prepare(s: SessionSettings): Promise<Ready> {
  const set = (await listClipSets()).find((c) => c.id === s.clipSetId);
  if (!set) return { problem: `the clip set "${s.clipSetId}" is not in this browser` };
  const file = await featuresOf(set);
  const f = demoFeatures(file.text, file.name);
  const plan = demoPlan(s, f);
  return typeof plan === 'string' ? { problem: plan } : { f, plan };
}

interface Props {
  readonly session: SessionSettings;
  readonly merged: MergeResult;
  /** the session's batches as stored (the demo's are those named DEMO_SOURCE) */
  readonly batches: readonly VoteBatch[];
  readonly onChange: () => Promise<unknown>;
}

export function SimulatePanel({ session, merged, batches, onChange }: Props) {
  const uid = useId();
  const [ready, setReady] = useState<Ready>(null);
  const [perPop, setPerPop] = useState(12);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    prepare(session).then(
      (r) => live && setReady(r),
      (e: Error) => live && setReady({ problem: e.message }),
    );
    return () => {
      live = false;
    };
  }, [session]);
  const simulated = batches.filter((b) => b.source === DEMO_SOURCE).reduce((n, b) => n + b.players.length, 0);
  const act = async (what: () => Promise<string>) => {
    setBusy(true);
    try {
      const said = await what();
      await onChange();
      setMessage(said);
    } catch (e) {
      setMessage(`Failed: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const add = () =>
    act(async () => {
      if (!ready || 'problem' in ready) throw new Error('the demo is not ready');
      const now = Date.now();
      const batch = simulateDemo(session, ready.plan, ready.f, perPop, merged.votes, now.toString(36), now);
      await addImported(session.id, batch);
      return `Added ${batch.players.length} simulated players with ${batch.votes.length} votes.`;
    });
  const remove = () => act(async () => `Removed ${await removeImported(session.id, DEMO_SOURCE)} batch(es) of simulated players.`);
  const plan = ready && 'plan' in ready ? ready.plan : null;
  return (
    <section className="org-section" aria-labelledby={`${uid}-h`} data-testid="simulate-panel">
      <h2 id={`${uid}-h`}>Add simulated players (demo)</h2>
      {!ready && <p role="status">Reading the clip set's features…</p>}
      {ready && 'problem' in ready && <p className="notice">The demo cannot run on this session: {ready.problem}.</p>}
      {plan && ready && 'f' in ready && (
        <>
          <p className="hint" data-testid="simulate-plan">
            Bots that answer by a known metric, to see the loop game → votes → lab → heatmaps without a room of people. Two populations, answering{' '}
            <b>{plan.attributeLabel}</b> with <b>{plan.spec.populations[0].value}</b> and <b>{plan.spec.populations[1].value}</b>, hear the clips by{' '}
            {ready.f.rule}, each scaled to unit variance and weighted equally, except one coupled pair each (coupling {plan.spec.strength}):{' '}
            <b>{plan.pairs[0]}</b> for {plan.spec.populations[0].value}, <b>{plan.pairs[1]}</b> for {plan.spec.populations[1].value}. Noise{' '}
            {100 * plan.spec.noise} % of the mean distance, {100 * plan.spec.lapse} % random picks, {100 * plan.spec.timeoutRate} % timeouts; each plays{' '}
            {DEMO_MATCHES} matches. In the lab, grouped by {plan.attributeLabel.toLowerCase()}, each group's ΔW heatmap should raise its own pair and lower the
            other's (in the Correlation view: the lab learns on the unscaled features, whose raw entries differ in scale).
          </p>
          <div className="row">
            <div className="field">
              <label htmlFor={`${uid}-n`}>Bots per population</label>
              <input
                id={`${uid}-n`}
                type="number"
                min={1}
                max={50}
                value={perPop}
                onChange={(e) => setPerPop(Math.max(1, Math.min(50, Math.floor(Number(e.target.value) || 1))))}
                data-testid="simulate-count"
              />
            </div>
            <button type="button" disabled={busy} onClick={() => void add()} data-testid="simulate-add">
              {busy ? 'Working…' : 'Add simulated players'}
            </button>
          </div>
        </>
      )}
      {simulated > 0 && (
        <p>
          <span data-testid="simulated-count">{simulated}</span> simulated player{simulated === 1 ? '' : 's'} added here (marked "simulated" in the dashboard).{' '}
          <button type="button" disabled={busy} onClick={() => void remove()} data-testid="simulate-remove">
            Remove simulated players
          </button>
        </p>
      )}
      {message && (
        <p role="status" data-testid="simulate-message">
          {message}
        </p>
      )}
    </section>
  );
}
