/**
 * The session's clips for the workshop server: a bundled clip set (its clips.csv under data/<set>/, served
 * from the built site) or a folder of audio files (served under /clips/<file>). Clip URLs are relative to the
 * server's root, as the game page resolves them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import Papa from 'papaparse';

export const AUDIO_EXTENSIONS = ['.wav', '.flac', '.opus', '.ogg', '.oga', '.mp3', '.m4a', '.webm'];

export interface ClipSource {
  readonly clipSetId: string;
  readonly clipIds: readonly string[];
  /** clip id → URL relative to the server root */
  readonly urls: Readonly<Record<string, string>>;
  /** a folder of audio files served under /clips/ (own audio) */
  readonly folder?: string;
  /** file name → absolute path of the files served under /clips/ */
  readonly files?: ReadonlyMap<string, string>;
  /** the data/ folder the bundled set was found in */
  readonly dataDir?: string;
}

/** Audio files of a folder (sorted by name); ids are the names without extension. */
export function folderClips(dir: string): ClipSource {
  const names = readdirSync(dir)
    .filter((n) => AUDIO_EXTENSIONS.includes(extname(n).toLowerCase()) && statSync(join(dir, n)).isFile())
    .sort();
  const urls: Record<string, string> = {};
  const files = new Map<string, string>();
  for (const n of names) {
    const id = basename(n, extname(n));
    if (id in urls) throw new Error(`${dir}: two audio files are called "${id}" (${n}); clip ids must differ`);
    urls[id] = `clips/${encodeURIComponent(n)}`;
    files.set(n, join(dir, n));
  }
  if (names.length < 3) throw new Error(`${dir}: a session needs at least 3 audio files (${AUDIO_EXTENSIONS.join(' ')}), found ${names.length}`);
  return { clipSetId: `folder:${basename(dir)}`, clipIds: Object.keys(urls), urls, folder: dir, files };
}

/** A bundled clip set by id, looked up in the data folders given (the built site's dist/data, then public/data). */
export function bundledClips(setId: string, dataDirs: readonly string[]): ClipSource {
  if (!/^[a-z0-9_-]+$/i.test(setId)) throw new Error(`"${setId}" is neither a folder nor a bundled clip set id`);
  for (const dataDir of dataDirs) {
    const csv = join(dataDir, setId, 'clips.csv');
    if (!existsSync(csv)) continue;
    const { data } = Papa.parse<Record<string, string>>(readFileSync(csv, 'utf8').trim(), { header: true, skipEmptyLines: true });
    const urls: Record<string, string> = {};
    for (const [i, row] of data.entries()) {
      if (!row.id || !row.file) throw new Error(`${csv} row ${i + 2}: id and file must not be empty`);
      urls[row.id] = `data/${setId}/${row.file.split('/').map(encodeURIComponent).join('/')}`;
    }
    return { clipSetId: setId, clipIds: Object.keys(urls), urls, dataDir };
  }
  throw new Error(`"${setId}" is neither a folder nor a bundled clip set (no ${setId}/clips.csv in ${dataDirs.join(', ')})`);
}

/** `--clips`: a folder of audio files or a bundled set id. */
export function resolveClips(spec: string, dataDirs: readonly string[]): ClipSource {
  return existsSync(spec) && statSync(spec).isDirectory() ? folderClips(spec) : bundledClips(spec, dataDirs);
}
