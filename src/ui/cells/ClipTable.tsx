/** The clip table of audio in a Data cell (issue 13): what each file became (or why it failed), with ▶/■ per clip. */
import { useState } from 'react';
import type { ClipEntry } from '../audio-manifest';
import { playClip, stopClip, usePlayState } from '../playback';

/** How to get a clip's bytes (null: not in this browser). */
export type ClipSource = (c: ClipEntry) => (() => Promise<ArrayBuffer>) | null;

function sec(x: number | undefined): string {
  if (x === undefined) return '–';
  if (x < 60) return `${x < 10 ? x.toFixed(2) : x.toFixed(1)} s`;
  const m = Math.floor(x / 60);
  return m < 60 ? `${m} min ${String(Math.round(x - 60 * m)).padStart(2, '0')} s` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

function PlayButton({ clip, source, onError }: { clip: ClipEntry; source: ClipSource; onError: (m: string | null) => void }) {
  const key = `${clip.hash ?? clip.file}#${clip.from ?? 0}`;
  const state = usePlayState(key);
  const bytes = source(clip);
  const label = state === 'playing' ? `Stop ${clip.id}` : `Play ${clip.id}`;
  return (
    <button
      type="button"
      className="play"
      aria-label={label}
      title={bytes ? `${label} (the analysed window)` : 'The audio of this clip is not stored in this browser'}
      disabled={!bytes}
      data-state={state}
      data-testid="play-clip"
      onClick={() => {
        if (state !== 'idle') return stopClip();
        onError(null);
        if (bytes) playClip(key, bytes, clip.from, clip.to).catch((e) => onError(`${clip.file}: could not be played (${(e as Error).message})`));
      }}
    >
      {state === 'playing' ? '■' : state === 'loading' ? '…' : '▶'}
    </button>
  );
}

export function ClipTable({ clips, source, caption }: { clips: readonly ClipEntry[]; source: ClipSource; caption: string }) {
  const [error, setError] = useState<string | null>(null);
  const failed = clips.filter((c) => c.error).length;
  return (
    <div className="clip-table" data-testid="clip-table">
      <p className="table-caption">
        {caption}: {clips.length - failed} clip{clips.length - failed === 1 ? '' : 's'}
        {failed ? `, ${failed} file${failed === 1 ? '' : 's'} not analysed` : ''}.
      </p>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      <div className="table-wrap">
        <table className="clips">
          <thead>
            <tr>
              <th scope="col">Play</th>
              <th scope="col">Clip id</th>
              <th scope="col">File</th>
              <th scope="col">Duration</th>
              <th scope="col">Sample rate</th>
              <th scope="col">Channels</th>
              <th scope="col">Window analysed</th>
              <th scope="col">Decoder</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {clips.map((c) => (
              <tr key={`${c.file}|${c.id ?? c.error}`} className={c.error ? 'failed' : undefined} data-testid="clip-row">
                <td>{c.id ? <PlayButton clip={c} source={source} onError={setError} /> : null}</td>
                <td className="id">{c.id ?? '–'}</td>
                <td className="file">{c.file}</td>
                {c.error ? (
                  <td className="status" colSpan={6} data-testid="clip-status">
                    <span className="clip-error">{c.error}</span>
                  </td>
                ) : (
                  <>
                    <td>{sec(c.duration)}</td>
                    <td>{c.sampleRate ? `${c.sampleRate} Hz` : '–'}</td>
                    <td>{c.channels ?? '–'}</td>
                    <td>{c.from !== undefined && c.to !== undefined ? `${c.from.toFixed(2)}–${c.to.toFixed(2)} s` : '–'}</td>
                    <td className="decoder">{c.decoder ?? '–'}</td>
                    <td className="status" data-testid="clip-status">
                      {c.duration === undefined ? '' : 'analysed'}
                    </td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
