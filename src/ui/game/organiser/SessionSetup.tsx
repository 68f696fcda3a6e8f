/**
 * Session setup (#organise): name, clip set, seed, rounds, seconds to vote, excerpt, catch trials, seats and
 * the questionnaire; every problem under its field (sessionErrors); Save keeps it in this browser and marks
 * it current. Once votes exist, a change to what decides the triplets starts a new session (the old votes
 * stay with the old one). Save / load the session as a small JSON file.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { parseSessionJson, type SessionSettings, sessionId, sessionToJson, randomId } from '../../../game';
import { download } from '../../components/common';
import { clipIdsOf, type GameClipSet, listClipSets } from './clip-sets';
import { Field } from './Field';
import { QuestionnaireEditor } from './QuestionnaireEditor';
import { draftOf, draftSettings, exportName, newSeed, scheduleChanged, type SetupDraft } from './setup-form';

export interface SetupProps {
  /** the saved session (null: a new one, not saved yet) */
  readonly session: SessionSettings | null;
  /** the draft a new session starts from */
  readonly initial: SessionSettings;
  /** votes merged for the saved session (this device's and imported) */
  readonly votes: number;
  readonly onSave: (s: SessionSettings) => Promise<void>;
}

function useClipIds(sets: readonly GameClipSet[], id: string): { ids: string[] | null; error: string | null } {
  const [state, setState] = useState<{ id: string; ids: string[] | null; error: string | null }>({ id: '', ids: null, error: null });
  useEffect(() => {
    const set = sets.find((s) => s.id === id);
    if (!set) {
      // the lists are read: a session naming a set this browser lacks (own audio of another browser, or erased)
      if (sets.length) setState({ id, ids: null, error: `The clip set "${id}" is not in this browser (own audio: analyse it in this browser's lab first).` });
      return;
    }
    let live = true;
    clipIdsOf(set).then(
      (ids) => live && setState({ id, ids, error: null }),
      (e: Error) => live && setState({ id, ids: null, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [sets, id]);
  return state.id === id ? state : { ids: null, error: null };
}

export function SessionSetup({ session, initial, votes, onSave }: SetupProps) {
  const [draft, setDraft] = useState<SetupDraft>(() => draftOf(session ?? initial));
  const [sets, setSets] = useState<GameClipSet[]>([]);
  const [confirmNew, setConfirmNew] = useState(false);
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);
  useEffect(() => {
    void listClipSets().then(setSets);
  }, []);
  useEffect(() => setDraft(draftOf(session ?? initial)), [session, initial]);
  const clips = useClipIds(sets, draft.clipSetId);
  const result = useMemo(() => (clips.ids ? draftSettings(draft, clips.ids, session) : null), [draft, clips.ids, session]);
  const e = result?.errors ?? {};
  const put = (k: keyof SetupDraft) => (v: string) => {
    setDraft((d) => ({ ...d, [k]: v }));
    setConfirmNew(false);
    setMessage(null);
  };
  const dirty = !session || !result?.settings || JSON.stringify(result.settings) !== JSON.stringify(session);
  const save = async (asNew: boolean) => {
    if (!result?.settings) return;
    const s = asNew ? { ...result.settings, id: sessionId(`s-${randomId()}`) } : result.settings;
    if (!asNew && session && votes > 0 && scheduleChanged(session, s)) return setConfirmNew(true);
    await onSave(s);
    setConfirmNew(false);
    setMessage({ kind: 'info', text: asNew ? 'Saved as a new session: share its new join link.' : 'Saved in this browser.' });
  };
  return (
    <section className="org-section" aria-labelledby="setup-h" data-testid="session-setup">
      <h2 id="setup-h">1. Session</h2>
      <SetupFields draft={draft} put={put} sets={sets} errors={e} clipCount={clips.ids?.length ?? null} clipError={clips.error} />
      <QuestionnaireEditor value={draft.questionnaire} onChange={(q) => setDraft((d) => ({ ...d, questionnaire: q }))} errors={e.questionnaire} />
      {e.other && (
        <p className="field-error" role="alert">
          {e.other.join(' ')}
        </p>
      )}
      <div className="row">
        <button type="button" className="primary" disabled={!result?.settings || !dirty} onClick={() => void save(false)} data-testid="save-session">
          {session ? 'Save changes' : 'Save the session'}
        </button>
        {session && (
          <button type="button" onClick={() => void save(true)} disabled={!result?.settings} data-testid="save-as-new">
            Save as a new session
          </button>
        )}
        <SessionFileButtons
          session={session}
          onLoad={async (s) => {
            await onSave(s);
            setMessage({ kind: 'info', text: `Loaded "${s.name}" from the file.` });
          }}
          onError={(text) => setMessage({ kind: 'error', text })}
        />
      </div>
      {confirmNew && (
        <div className="notice info" role="alert" data-testid="confirm-new-session">
          This session already has {votes} vote{votes === 1 ? '' : 's'}. The clip set, seed, catch rate, seats or questionnaire decide which triplets are played
          and how votes are read, so these changes start a <strong>new session</strong> with a new join link; the votes stay with the old one.{' '}
          <button type="button" className="primary" onClick={() => void save(true)}>
            Start a new session
          </button>{' '}
          <button type="button" onClick={() => setConfirmNew(false)}>
            Keep editing
          </button>
        </div>
      )}
      {message && (
        <p className={`notice ${message.kind}`} role="status" data-testid="setup-message">
          {message.text}
        </p>
      )}
    </section>
  );
}

function SetupFields(props: {
  draft: SetupDraft;
  put: (k: keyof SetupDraft) => (v: string) => void;
  sets: readonly GameClipSet[];
  errors: ReturnType<typeof draftSettings>['errors'];
  clipCount: number | null;
  clipError: string | null;
}) {
  const { draft: d, put, errors: e } = props;
  const setId = useId();
  const rate = Number(d.catchRate);
  return (
    <>
      <div className="row">
        <Field label="Session name" value={d.name} onChange={put('name')} errors={e.name} testId="session-name" width="18rem" />
        <div className="field">
          <label htmlFor={setId}>Clip set</label>
          <select id={setId} value={d.clipSetId} onChange={(ev) => put('clipSetId')(ev.target.value)} data-testid="clip-set">
            <optgroup label="Bundled clip sets">
              {props.sets
                .filter((s) => s.kind === 'bundled')
                .map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.label}
                  </option>
                ))}
            </optgroup>
            {props.sets.some((s) => s.kind === 'own') && (
              <optgroup label="Your audio from the lab">
                {props.sets
                  .filter((s) => s.kind === 'own')
                  .map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.label}
                      {s.problem ? ' (audio missing)' : ''}
                    </option>
                  ))}
              </optgroup>
            )}
          </select>
          <span className="hint" data-testid="clip-count">
            {props.clipError ?? (props.clipCount === null ? 'reading the clip list…' : `${props.clipCount} clips.`)}{' '}
            {props.sets.some((s) => s.kind === 'own')
              ? 'Your audio from the lab plays on this device only.'
              : 'Your own audio appears here once it is analysed in the lab (in this browser).'}
          </span>
          {e.clipSetId && (
            <span className="field-error" role="alert">
              {e.clipSetId.join(' ')}
            </span>
          )}
        </div>
        <Field
          label="Seed"
          value={d.seed}
          onChange={put('seed')}
          errors={e.seed}
          testId="seed"
          width="8rem"
          hint="Fixes the triplets, their order and the catch trials."
        >
          <button type="button" onClick={() => put('seed')(newSeed())} data-testid="new-seed">
            New seed
          </button>
        </Field>
      </div>
      <div className="row">
        <Field
          label="Rounds per match"
          type="number"
          value={d.roundsPerMatch}
          onChange={put('roundsPerMatch')}
          errors={e.roundsPerMatch}
          testId="rounds"
          width="6rem"
        />
        <Field
          label="Seconds to vote"
          type="number"
          value={d.voteSeconds}
          onChange={put('voteSeconds')}
          errors={e.voteSeconds}
          testId="vote-seconds"
          width="6rem"
        />
        <Field
          label="Excerpt length (s)"
          type="number"
          value={d.excerptSeconds}
          onChange={put('excerptSeconds')}
          errors={e.excerptSeconds}
          testId="excerpt-seconds"
          width="6rem"
        />
        <Field
          label="Excerpt starts at (s)"
          type="number"
          value={d.excerptOffsetSeconds}
          onChange={put('excerptOffsetSeconds')}
          errors={e.excerptOffsetSeconds}
          testId="excerpt-offset"
          width="6rem"
        />
        <Field
          label="Catch trials (% of rounds)"
          type="number"
          value={d.catchRate}
          onChange={put('catchRate')}
          errors={e.catchRate}
          testId="catch-rate"
          width="6rem"
          hint={rate > 0 && Number.isFinite(rate) ? `≈ 1 round in ${Math.round(100 / rate)}` : 'no catch trials'}
        />
        <Field
          label="Seats at a table"
          type="number"
          value={d.seats}
          onChange={put('seats')}
          errors={e.seats}
          testId="seats"
          width="6rem"
          hint="AI players fill the empty seats."
        />
      </div>
    </>
  );
}

function SessionFileButtons({
  session,
  onLoad,
  onError,
}: {
  session: SessionSettings | null;
  onLoad: (s: SessionSettings) => Promise<void>;
  onError: (text: string) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const read = async (f: File) => {
    try {
      const s = parseSessionJson(await f.text(), f.name);
      const sets = await listClipSets();
      if (!sets.some((c) => c.id === s.clipSetId))
        throw new Error(`${f.name}: it uses the clip set "${s.clipSetId}", which this browser does not have (own audio: load it in the lab first)`);
      await onLoad(s);
    } catch (err) {
      onError(`Could not load the session: ${(err as Error).message}`);
    }
  };
  return (
    <>
      <button
        type="button"
        disabled={!session}
        onClick={() => session && download(exportName(session.name, new Date(), 'session.json'), sessionToJson(session), 'application/json')}
        data-testid="save-session-file"
      >
        Save as a file
      </button>
      <button type="button" onClick={() => input.current?.click()} data-testid="load-session-file">
        Load a session file…
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="session-file-input"
        onChange={(ev) => {
          const f = ev.target.files?.[0];
          ev.target.value = '';
          if (f) void read(f);
        }}
      />
    </>
  );
}
