/**
 * `similarity-lab features --audio <files|dir> [--offset S] [--length S] --out features.csv`: the lab's feature table
 * from audio files, with the same code the page runs (src/audio): WAV and FLAC (ours), Ogg Opus and MP3 (wasm decoders),
 * told by the first bytes; Vorbis, M4A … are named as files to convert. Files of a folder (those with audio extensions) are read in name order.
 * Only the analysis window is decoded (decodeAudio's endSeconds), so an hours-long file costs no more than its
 * window; the window must end by MAX_WINDOW_END seconds. A file that fails is named on stderr with what was wrong,
 * the others go on, the CSV holds the good ones; exit status 1 when any failed.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyseClip, clipIds, DEFAULT_WINDOW, featureTable, type AnalysisWindow } from '../audio/analyse';
import { decodeAudio } from '../audio/decode';
import { featureSetToCsv } from '../core/parse/features';
import { InputError, num, UsageError } from './args';

const OPTIONS = {
  audio: { type: 'string', multiple: true },
  offset: { type: 'string' },
  length: { type: 'string' },
  out: { type: 'string' },
} as const;

/** file name endings taken from a folder (a file named on the command line is tried whatever its name) */
export const AUDIO_EXTENSIONS = ['wav', 'wave', 'flac', 'ogg', 'oga', 'opus', 'mp3', 'm4a', 'aac', 'mp4', 'webm', 'aif', 'aiff'];
/** the analysis window must end by this time (seconds): no more than 10 minutes of a file are ever decoded */
export const MAX_WINDOW_END = 600;

const AUDIO_RE = new RegExp(`\\.(${AUDIO_EXTENSIONS.join('|')})$`, 'i');

function audioFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch {
      throw new InputError(`cannot read "${p}": no such file or folder`);
    }
    if (st.isDirectory()) {
      const found = readdirSync(p)
        .filter((n) => AUDIO_RE.test(n))
        .sort()
        .map((n) => join(p, n));
      if (!found.length) throw new InputError(`the folder "${p}" holds no audio file (${AUDIO_EXTENSIONS.map((e) => `.${e}`).join(' ')})`);
      out.push(...found);
    } else out.push(p);
  }
  return out;
}

function windowOf(values: { offset?: string; length?: string }): AnalysisWindow {
  const window = { offset: num(values.offset, 'offset', DEFAULT_WINDOW.offset), length: num(values.length, 'length', DEFAULT_WINDOW.length) };
  if (!(window.offset >= 0)) throw new UsageError(`--offset must be ≥ 0 seconds, got ${values.offset}`);
  if (!(window.length > 0)) throw new UsageError(`--length must be > 0 seconds, got ${values.length}`);
  if (window.offset + window.length > MAX_WINDOW_END)
    throw new UsageError(`--offset + --length must be ≤ ${MAX_WINDOW_END} s (the analysis window ends at ${window.offset + window.length} s)`);
  return window;
}

/** One file → its feature row and the stderr line; throws an Error whose message names the file. */
async function analyseFile(f: string, id: string, window: AnalysisWindow): Promise<{ row: Float64Array; line: string }> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(f);
  } catch (e) {
    throw new Error(`${f}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const audio = await decodeAudio(bytes, f, { endSeconds: window.offset + window.length });
  const { values, info } = analyseClip(audio, f, window);
  const long = audio.partial
    ? `; decoded up to ${info.duration.toFixed(2)} s of ${audio.fileSeconds ? `${audio.fileSeconds.toFixed(1)} s` : 'a longer file'} (the window's end)`
    : '';
  return {
    row: values,
    line: `${id}: ${info.duration.toFixed(2)} s, ${info.sampleRate} Hz, ${info.channels} ch, ${info.format}; analysed ${info.from.toFixed(2)}–${info.to.toFixed(2)} s${long}`,
  };
}

export async function cmdFeatures(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  const inputs = [...(values.audio ?? []), ...positionals];
  if (!inputs.length) throw new UsageError('features needs --audio <files or folder>');
  if (!values.out) throw new UsageError('features needs --out features.csv');
  const window = windowOf(values);
  const files = audioFiles(inputs);
  const ids = clipIds(files);
  const good: { id: string; row: Float64Array }[] = [];
  const failed: string[] = [];
  const t0 = performance.now();
  for (let i = 0; i < files.length; i++) {
    try {
      const { row, line } = await analyseFile(files[i], ids[i], window);
      good.push({ id: ids[i], row });
      process.stderr.write(`${line}\n`);
    } catch (e) {
      const m = (e as Error).message;
      failed.push(files[i]);
      process.stderr.write(`skipped ${m.includes(files[i]) ? m : `${files[i]}: ${m}`}\n`);
    }
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  if (!good.length) throw new InputError(`features: all ${files.length} file${files.length > 1 ? 's' : ''} failed (see above); nothing written`);
  const table = featureTable(
    good.map((g) => g.id),
    good.map((g) => g.row),
    values.out,
  );
  writeFileSync(values.out, featureSetToCsv(table));
  const summary = `features: ${good.length} clips × ${table.names.length} columns in ${secs} s → ${values.out}`;
  if (failed.length) throw new InputError(`${summary}; ${failed.length} of ${files.length} files failed (named above) and are not in it`);
  process.stderr.write(`${summary}\n`);
}
