/**
 * `similarity-lab features --audio <files|dir> [--offset S] [--length S] --out features.csv`: the lab's feature table
 * from audio files, with the same code the page will run (src/audio). WAV only here (PCM / float): Node has no
 * decoder for compressed formats; convert them first (sox, ffmpeg). Files of a folder are read in name order.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyseClip, clipIds, DEFAULT_WINDOW, featureTable } from '../audio/analyse';
import { decodeWav } from '../audio/wav';
import { featureSetToCsv } from '../core/parse/features';
import { num, UsageError } from './args';

const OPTIONS = {
  audio: { type: 'string', multiple: true },
  offset: { type: 'string' },
  length: { type: 'string' },
  out: { type: 'string' },
} as const;

function audioFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch {
      throw Object.assign(new Error(`cannot read "${p}": no such file or folder`), { name: 'InputError' });
    }
    if (st.isDirectory()) {
      const wavs = readdirSync(p)
        .filter((n) => /\.wave?$/i.test(n))
        .sort()
        .map((n) => join(p, n));
      if (!wavs.length) throw Object.assign(new Error(`the folder "${p}" holds no .wav file`), { name: 'InputError' });
      out.push(...wavs);
    } else out.push(p);
  }
  return out;
}

export async function cmdFeatures(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  const inputs = [...(values.audio ?? []), ...positionals];
  if (!inputs.length) throw new UsageError('features needs --audio <files or folder>');
  if (!values.out) throw new UsageError('features needs --out features.csv');
  const window = { offset: num(values.offset, 'offset', DEFAULT_WINDOW.offset), length: num(values.length, 'length', DEFAULT_WINDOW.length) };
  if (!(window.offset >= 0)) throw new UsageError(`--offset must be ≥ 0 seconds, got ${values.offset}`);
  if (!(window.length > 0)) throw new UsageError(`--length must be > 0 seconds, got ${values.length}`);
  const files = audioFiles(inputs);
  const ids = clipIds(files);
  const rows: Float64Array[] = [];
  const t0 = performance.now();
  files.forEach((f, i) => {
    const { values: row, info } = analyseClip(decodeWav(readFileSync(f), f), f, window);
    rows.push(row);
    process.stderr.write(
      `${ids[i]}: ${info.duration.toFixed(2)} s, ${info.sampleRate} Hz, ${info.channels} ch, ${info.format}; analysed ${info.from.toFixed(2)}–${info.to.toFixed(2)} s\n`,
    );
  });
  writeFileSync(values.out, featureSetToCsv(featureTable(ids, rows, values.out)));
  process.stderr.write(`features: ${files.length} clips × ${rows[0].length} columns in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${values.out}\n`);
}
