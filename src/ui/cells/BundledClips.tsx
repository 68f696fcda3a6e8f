/**
 * The clips of a bundled clip set in its Data cell (issue 13): the clip table with ▶ (fetched from the site)
 * and "Recompute features from the audio", which analyses the set's audio in the audio worker and says how far
 * the result is from the precomputed features.
 */
import { useEffect, useRef, useState } from 'react';
import type { AnalysisProgress } from '../audio-analysis';
import type { ClipEntry } from '../audio-manifest';
import { clipSetUrl, parseClipsCsv, recomputeClipSet, type ClipSetRow, type Recomputed } from '../clip-sets';
import { audioWorker } from '../audio-analysis';
import { ErrorBox, ProgressBar } from '../components/common';
import { BUNDLED } from '../data';
import { cacheForOffline, clipSetPaths } from '../offline';
import type { FeatureSet } from '../../core/types';
import { ClipTable, type ClipSource } from './ClipTable';

const base = (): string => (typeof import.meta !== 'undefined' && import.meta.env?.BASE_URL) || './';

function useClipRows(clips: string): { rows: ClipSetRow[] | null; error: string | null } {
  const [state, setState] = useState<{ rows: ClipSetRow[] | null; error: string | null }>({ rows: null, error: null });
  useEffect(() => {
    let live = true;
    const url = `${base()}data/${clips}`;
    fetch(url)
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((t) => {
        const rows = parseClipsCsv(t, clips.split('/').pop()!);
        // the set is open: keep all of it for offline use (public/sw.js)
        cacheForOffline(
          clipSetPaths(
            { ...BUNDLED.find((b) => b.clips === clips), clips },
            rows.map((r) => r.file),
          ),
        );
        if (live) setState({ rows, error: null });
      })
      .catch((e) => live && setState({ rows: null, error: `could not load the clip list ${url}: ${(e as Error).message}` }));
    return () => {
      live = false;
    };
  }, [clips]);
  return state;
}

function DiffLine({ r }: { r: Recomputed }) {
  if (r.cancelled) return <p className="notice info">Recomputation cancelled.</p>;
  const ok = r.clips.filter((c) => c.id).length;
  const d = r.diff;
  const rel = d ? (d.maxRel === 0 ? '0 (identical)' : d.maxRel.toExponential(2)) : '–';
  return (
    <p className={`notice ${d && d.maxRel <= 1e-6 && !d.missing.length ? 'info' : 'error'}`} data-testid="recompute-result" data-max-rel={d?.maxRel}>
      Recomputed {ok} of {r.clips.length} clips in {(r.ms / 1000).toFixed(1)} s. Largest relative difference from the precomputed features: {rel}
      {d?.at && d.maxRel > 0 ? ` (clip ${d.at.id}, ${d.at.column})` : ''} over {d?.compared ?? 0} values
      {d?.missing.length ? `; missing: ${d.missing.slice(0, 5).join(', ')}${d.missing.length > 5 ? ', …' : ''}` : ''}.
    </p>
  );
}

export function BundledClips({ clips, features }: { clips: string; features: FeatureSet | null }) {
  const { rows, error } = useClipRows(clips);
  const [progress, setProgress] = useState<AnalysisProgress | null>(null);
  const [result, setResult] = useState<Recomputed | null>(null);
  const [runError, setRunError] = useState<string | null>(null);
  const control = useRef<{ cancelled: boolean } | null>(null);
  const urlOf = (file: string) => clipSetUrl(base(), clips, file);
  const source: ClipSource = (c) => async () => {
    const r = await fetch(urlOf(c.file));
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return r.arrayBuffer();
  };
  const recompute = async () => {
    if (!rows || !features) return;
    const c = { cancelled: false };
    control.current = c;
    setRunError(null);
    try {
      setResult(await recomputeClipSet(rows, urlOf, features, setProgress, c));
    } catch (e) {
      setRunError((e as Error).message);
    } finally {
      control.current = null;
      setProgress(null);
    }
  };
  if (error) return <ErrorBox error={error} />;
  if (!rows) return <p className="muted">Loading the clip list…</p>;
  const entries: ClipEntry[] = result?.clips ?? rows.map((r) => ({ id: r.id, file: r.file }));
  return (
    <div className="audio-intake" data-testid="bundled-clips">
      <ClipTable clips={entries} source={source} caption="Clips of this set" />
      <div className="row">
        <button type="button" disabled={!!progress || !features} onClick={() => void recompute()} data-testid="recompute-features">
          Recompute features from the audio
        </button>
        {progress && (
          <>
            <ProgressBar
              progress={{
                stage: `${progress.done} of ${progress.total} clips`,
                done: progress.done,
                total: progress.total,
                detail: progress.current || undefined,
                etaMs: progress.secondsLeft === null ? undefined : progress.secondsLeft * 1000,
              }}
            />
            <button
              type="button"
              onClick={() => {
                if (control.current) control.current.cancelled = true;
                void audioWorker()
                  .cancel()
                  .catch(() => {});
              }}
            >
              Cancel
            </button>
          </>
        )}
      </div>
      {runError && <ErrorBox error={runError} title="The recomputation failed:" />}
      {result && <DiffLine r={result} />}
    </div>
  );
}
