/**
 * "Analyse in the lab" and the exports: the lab files from the merged votes (catch trials and timeouts never,
 * players flagged by catch trials left out unless asked; counts shown), the clip set's features, the handoff
 * to the lab page; the votes + users CSV, the jsPsych long table (CSV, JSON), per-triplet counts and every
 * merged vote as one votes file.
 */
import { useId, useMemo, useState } from 'react';
import { type LabExport, type MergeResult, type SessionSettings, toCountsCsv, toJsPsychCsv, toJsPsychJson, toLabCsv, votesToJson } from '../../../game';
import { download } from '../../components/common';
import { saveHandoff } from '../db';
import { featuresOf, listClipSets } from './clip-sets';
import { defaultGroupBy, exclusionNote, groupingAttributes, labHandoff } from './lab-files';
import { exportName } from './setup-form';

/** The lab page's address, keeping a forced backend (?backend=) of this page. */
export function labAddress(href: string): string {
  const u = new URL(href);
  const b = u.searchParams.get('backend');
  return `./index.html?from=game${b ? `&backend=${encodeURIComponent(b)}` : ''}`;
}

export function AnalysePanel({ session, merged }: { session: SessionSettings; merged: MergeResult }) {
  const uid = useId();
  const attrs = useMemo(() => groupingAttributes(session, merged.players), [session, merged.players]);
  const [includeFlagged, setIncludeFlagged] = useState(false);
  const [ratherNotSayAsEmpty, setRns] = useState(false);
  const [groupBy, setGroupBy] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const group = groupBy ?? defaultGroupBy(attrs);
  const lab = useMemo(
    () => toLabCsv(session, merged.votes, merged.players, { includeFlagged, ratherNotSayAsEmpty }),
    [session, merged, includeFlagged, ratherNotSayAsEmpty],
  );
  const analyse = async () => {
    setBusy(true);
    setError(null);
    try {
      const set = (await listClipSets()).find((s) => s.id === session.clipSetId);
      if (!set) throw new Error(`the clip set "${session.clipSetId}" is not in this browser`);
      const h = labHandoff(session, merged, await featuresOf(set), { includeFlagged, ratherNotSayAsEmpty, groupBy: group }, new Date());
      await saveHandoff(h);
      location.assign(labAddress(location.href));
    } catch (e) {
      setError(`Could not hand the votes to the lab: ${(e as Error).message}`);
      setBusy(false);
    }
  };
  return (
    <section className="org-section" aria-labelledby="analyse-h" data-testid="analyse">
      <h2 id="analyse-h">5. Analyse and export</h2>
      <p data-testid="lab-counts">{exclusionNote(lab.excluded, lab.exported, includeFlagged).replace(/\*\*/g, '').replace(/`/g, '')}</p>
      <div className="row">
        <label className="check">
          <input type="checkbox" checked={includeFlagged} onChange={(e) => setIncludeFlagged(e.target.checked)} data-testid="include-flagged" />
          include players who failed a catch trial
        </label>
        <label className="check">
          <input type="checkbox" checked={ratherNotSayAsEmpty} onChange={(e) => setRns(e.target.checked)} data-testid="rns-empty" />
          "rather not say" counts as not answered (no group of its own)
        </label>
        <div className="field">
          <label htmlFor={`${uid}-g`}>Compare groups by</label>
          <select id={`${uid}-g`} value={group} onChange={(e) => setGroupBy(e.target.value)} data-testid="lab-group-by">
            <option value="">no groups (everyone together)</option>
            {attrs.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label} ({a.groups} group{a.groups === 1 ? '' : 's'} so far)
              </option>
            ))}
          </select>
        </div>
      </div>
      <button type="button" className="primary" disabled={busy || lab.exported === 0} onClick={() => void analyse()} data-testid="analyse-in-lab">
        {busy ? 'Opening the lab…' : 'Analyse in the lab'}
      </button>
      {lab.exported === 0 && <span className="hint"> — no votes to analyse yet.</span>}
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      <ExportButtons session={session} merged={merged} lab={lab} includeFlagged={includeFlagged} />
    </section>
  );
}

/** The downloads: lab votes + users, jsPsych CSV / JSON, per-triplet counts, all merged votes as one votes file. */
function ExportButtons({ session, merged, lab, includeFlagged }: { session: SessionSettings; merged: MergeResult; lab: LabExport; includeFlagged: boolean }) {
  const name = (what: string) => exportName(session.name, new Date(), what);
  return (
    <>
      <h3>Exports</h3>
      <div className="row exports">
        <button
          type="button"
          disabled={lab.exported === 0}
          onClick={() => {
            download(name('votes.csv'), lab.votesCsv, 'text/csv');
            if (lab.usersCsv) download(name('users.csv'), lab.usersCsv, 'text/csv');
          }}
          data-testid="export-lab"
        >
          Lab votes + users CSV
        </button>
        <button
          type="button"
          disabled={merged.votes.length === 0}
          onClick={() => download(name('jspsych.csv'), toJsPsychCsv(merged.votes), 'text/csv')}
          data-testid="export-jspsych-csv"
        >
          jsPsych table (CSV)
        </button>
        <button
          type="button"
          disabled={merged.votes.length === 0}
          onClick={() => download(name('jspsych.json'), toJsPsychJson(merged.votes), 'application/json')}
          data-testid="export-jspsych-json"
        >
          jsPsych table (JSON)
        </button>
        <button
          type="button"
          disabled={lab.exported === 0}
          onClick={() => download(name('counts.csv'), toCountsCsv(merged.votes, { includeFlagged }).csv, 'text/csv')}
          data-testid="export-counts"
        >
          Per-triplet counts (MagnaTagATune style)
        </button>
        <button
          type="button"
          disabled={merged.votes.length === 0 && merged.players.length === 0}
          onClick={() => download(name('all-votes.json'), votesToJson(session.id, merged.votes, merged.players), 'application/json')}
          data-testid="export-all-votes"
        >
          All votes as one votes file
        </button>
      </div>
      <p className="hint">
        The jsPsych table has every trial (catch trials and timeouts included, one row each); the lab and counts files only the votes the analysis uses.
      </p>
    </>
  );
}
