/**
 * The audio part of a Data cell on "Your own files" (issue 13): the analysis window, the progress of an
 * analysis with Cancel, what the last one did, the clip table of the features made from audio (playable from
 * this browser's clip store) and the features CSV to download.
 */
import { useEffect, useState } from 'react';
import type { ClipEntry } from '../audio-manifest';
import { cancelAnalysis, clipBackend, dismissAudioReport, setAnalysisWindow, useAudio, windowOf, type AudioReport } from '../audio-store';
import { download, NumberField, ProgressBar } from '../components/common';
import type { LoadedData } from '../data';
import { ClipTable, type ClipSource } from './ClipTable';

/** The hashes of the clip store (to tell which clips can be played here); null while unknown. */
function useStoredHashes(clips: readonly ClipEntry[] | undefined): Set<string> | null {
  const [stored, setStored] = useState<Set<string> | null>(null);
  useEffect(() => {
    let live = true;
    if (!clips?.length) return;
    clipBackend
      .keys()
      .then((k) => live && setStored(new Set(k)))
      .catch(() => live && setStored(new Set()));
    return () => {
      live = false;
    };
  }, [clips]);
  return stored;
}

function Report({ cellId, r }: { cellId: string; r: AudioReport }) {
  const failed = r.files - r.ok;
  const what = r.error
    ? `The analysis stopped: ${r.error}. The data is as it was.`
    : r.cancelled
      ? 'Analysis cancelled: nothing was loaded, the data is as it was.'
      : r.loaded
        ? `Analysed ${r.ok} of ${r.files} audio file${r.files === 1 ? '' : 's'} in ${(r.ms / 1000).toFixed(1)} s${failed ? `; ${failed} could not be analysed:` : '.'}`
        : `None of the ${r.files} audio file${r.files === 1 ? '' : 's'} could be analysed; the data is as it was:`;
  const errors = r.cancelled ? [] : r.clips.flatMap((c) => (c.error ? [c.error] : []));
  return (
    <div className={`notice ${r.loaded && !failed ? 'info' : 'error'}`} role="status" data-testid="audio-report">
      {what}
      {errors.length > 0 && (
        <ul className="audio-errors">
          {errors.slice(0, 8).map((e) => (
            <li key={e}>{e}</li>
          ))}
          {errors.length > 8 && <li>… {errors.length - 8} more in the table below</li>}
        </ul>
      )}{' '}
      <button type="button" onClick={() => dismissAudioReport(cellId)}>
        Dismiss
      </button>
    </div>
  );
}

export function AudioIntake({ cellId, d }: { cellId: string; d: LoadedData | undefined }) {
  const w = useAudio((s) => windowOf(s, cellId));
  const progress = useAudio((s) => s.progress[cellId]);
  const report = useAudio((s) => s.report[cellId]);
  const features = d?.files.features;
  const manifest = features?.audio;
  // a run that loaded nothing shows its files; else the loaded features' clips
  const clips = report && !report.loaded && !report.cancelled && report.clips.length ? report.clips : manifest?.clips;
  const stored = useStoredHashes(clips);
  const source: ClipSource = (c) => (c.hash && stored?.has(c.hash) ? async () => (await clipBackend.get(c.hash!))!.arrayBuffer() : null);
  return (
    <div className="audio-intake" data-testid="audio-intake">
      <div className="row">
        <NumberField label="Analyse from (s)" value={w.offset} min={0} onChange={(offset) => setAnalysisWindow(cellId, { offset })} testId="audio-offset" />
        <NumberField label="Window length (s)" value={w.length} min={0.1} onChange={(length) => setAnalysisWindow(cellId, { length })} testId="audio-length" />
        <p className="hint">
          Audio files (WAV, FLAC, MP3, Ogg; M4A where this browser decodes it) become the features: this window of each, mixed to mono at 22,050 Hz.
        </p>
      </div>
      {progress && (
        <div className="row" data-testid="audio-progress">
          <ProgressBar
            progress={{
              stage: `${progress.done} of ${progress.total} audio files`,
              done: progress.done,
              total: progress.total,
              detail: progress.current || undefined,
              etaMs: progress.secondsLeft === null ? undefined : progress.secondsLeft * 1000,
            }}
          />
          <button type="button" onClick={() => cancelAnalysis(cellId)} data-testid="audio-cancel">
            Cancel
          </button>
        </div>
      )}
      {report && <Report cellId={cellId} r={report} />}
      {clips && clips.length > 0 && (
        <ClipTable
          clips={clips}
          source={source}
          caption={manifest && clips === manifest.clips ? `Clips of ${features!.name}` : 'Audio files of the last analysis'}
        />
      )}
      {manifest && features && (
        <button type="button" onClick={() => download(features.name, features.text, 'text/csv')} data-testid="export-audio-features">
          Download {features.name}
        </button>
      )}
    </div>
  );
}
