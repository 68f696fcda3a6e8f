/**
 * The organiser's page (play.html#organise): set up the session, let players join (link + QR code), take
 * their votes back (files, QR codes, pasted codes), watch the dashboard, analyse in the lab and export.
 * Everything is kept in this browser (db.ts): the session marked current, this device's own votes, and the
 * batches imported from other devices; the dashboard merges them all.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createSession, DEFAULT_QUESTIONNAIRE, type Player, type SessionSettings, type VoteBatch, type VoteRecord } from '../../../game';
import { cacheBundledSetForOffline } from '../clip-source';
import { addImported, loadCurrent, loadImported, loadPlayers, loadSession, loadVotes, saveCurrent, saveSession } from '../db';
import { AnalysePanel } from './AnalysePanel';
import { BUNDLED_CLIP_SETS } from './clip-sets';
import { type BatchReport, judgeBatch, mergeAll } from './collect';
import { CollectVotes } from './CollectVotes';
import { dashboardOf } from './dashboard';
import { DashboardView } from './DashboardView';
import { JoinPanel } from './JoinPanel';
import { workshopInfo } from './live-host';
import { LivePanel } from './LivePanel';
import { SessionSetup } from './SessionSetup';
import { SimulatePanel } from './SimulatePanel';
import { newSeed } from './setup-form';
import './organiser.css';

interface Loaded {
  readonly session: SessionSettings | null;
  readonly votes: readonly VoteRecord[];
  readonly players: readonly Player[];
  readonly imported: readonly VoteBatch[];
}

const EMPTY: Loaded = { session: null, votes: [], players: [], imported: [] };

/** A new session's starting point: the first bundled clip set (its clip ids are read when the form shows). */
function starter(): SessionSettings {
  return createSession({
    name: 'Spot the odd song out',
    clipSetId: BUNDLED_CLIP_SETS[0]?.id ?? 'instruments',
    clipIds: ['a', 'b', 'c'],
    seed: newSeed(),
    questionnaire: DEFAULT_QUESTIONNAIRE,
  });
}

async function loadAll(): Promise<Loaded> {
  const cur = await loadCurrent();
  const session = cur ? await loadSession(cur.session) : null;
  if (!session) return EMPTY;
  const [votes, players, imported] = await Promise.all([loadVotes(session.id), loadPlayers(session.id), loadImported(session.id)]);
  return { session, votes, players, imported };
}

/** Whether a workshop server serves this page (?workshop= in the address, or GET /api/info answers). */
function useWorkshopServer(): boolean {
  const [live, setLive] = useState(() => new URLSearchParams(location.search).has('workshop'));
  useEffect(() => {
    if (!live) void workshopInfo().then((i) => i && setLive(true));
  }, [live]);
  return live;
}

export function OrganiserView() {
  const live = useWorkshopServer();
  const [state, setState] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const initial = useMemo(starter, []);
  const refresh = useCallback(
    () =>
      loadAll().then(setState, (e: Error) => {
        setError(`This browser's game storage could not be read: ${e.message}`);
        setState(EMPTY);
      }),
    [],
  );
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const s = state?.session ?? null;
  const batches = useMemo<VoteBatch[]>(
    () => (s && state ? [{ source: 'this device', session: s.id, votes: state.votes, players: state.players }, ...state.imported] : []),
    [s, state],
  );
  // what imports are judged against: the batches as stored, ahead of the next render while sources are read one after another
  const current = useRef<VoteBatch[]>([]);
  current.current = batches;
  const merged = useMemo(() => (s ? mergeAll(s.id, batches) : null), [s, batches]);
  const dash = useMemo(() => (s && merged ? dashboardOf(s, merged) : null), [s, merged]);
  const onSave = async (next: SessionSettings) => {
    await saveSession(next);
    cacheBundledSetForOffline(next.clipSetId);
    const cur = await loadCurrent();
    await saveCurrent({ session: next.id, player: cur?.session === next.id ? cur.player : null });
    await refresh();
  };
  const importBatches = useCallback(
    async (incoming: VoteBatch[]): Promise<BatchReport[]> => {
      if (!s) throw new Error('save the session first');
      const have = [...current.current];
      const reports: BatchReport[] = [];
      for (const b of incoming) {
        const r = judgeBatch(s.id, have, b);
        reports.push(r);
        if (r.keep && b.session === s.id) {
          await addImported(s.id, b);
          have.push(b);
        }
      }
      current.current = have;
      await refresh();
      return reports;
    },
    [s, refresh],
  );
  if (!state) return <p role="status">Reading this browser's sessions…</p>;
  return (
    <div className="organiser" data-testid="organiser">
      <h2 className="org-title">Organise a session</h2>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {live && <LivePanel />}
      {live && <h2 className="org-title">Sessions on this device (without the server)</h2>}
      <SessionSetup session={s} initial={initial} votes={merged?.votes.length ?? 0} onSave={onSave} />
      {s && merged && dash ? (
        <>
          <JoinPanel session={s} />
          <CollectVotes importBatches={importBatches} />
          <SimulatePanel session={s} merged={merged} batches={batches} onChange={refresh} />
          <DashboardView session={s} d={dash} />
          <AnalysePanel session={s} merged={merged} />
        </>
      ) : (
        <p className="hint">Save the session to get its join link and QR code.</p>
      )}
    </div>
  );
}
