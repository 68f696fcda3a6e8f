/**
 * Audio features benchmark (issue 13): seconds per minute of audio in Node, decode and features (mono mix,
 * resampling to 22,050 Hz, Meyda frame features, pooling) timed apart, median of --repeats runs.
 *   WAV   one minute of generated stereo 44.1 kHz 16-bit audio (a chord with vibrato and noise), window 0–60 s
 *   Opus  the 36 bundled instrument clips (public/data/instruments, 126 s of 48 kHz mono Ogg Opus), per minute
 *   set   the whole instruments set as `features` runs it (read, decode, analyse every file), in seconds
 * Run: `npx tsx bench/audio.ts [--repeats 5]` (or `npm run bench:audio`). Writes bench/out/audio.json.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyseClip } from '../src/audio/analyse';
import { decodeAudio } from '../src/audio/decode';
import { encodeWav16 } from '../src/audio/wav';
import { createRng } from '../src/core/rng';

const HERE = dirname(fileURLToPath(import.meta.url));
const i = process.argv.indexOf('--repeats');
const repeats = i >= 0 ? Number(process.argv[i + 1]) : 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function minuteOfWav(): Uint8Array {
  const sr = 44100;
  const rng = createRng('bench-audio');
  const noise = () => (rng.next() - 0.5) * 0.02;
  const ch = (detune: number) =>
    Float32Array.from({ length: 60 * sr }, (_, k) => {
      const t = k / sr;
      const v = 1 + 0.003 * Math.sin(2 * Math.PI * 5 * t);
      return 0.15 * (Math.sin(2 * Math.PI * 220 * v * t) + Math.sin(2 * Math.PI * 277.2 * detune * t) + Math.sin(2 * Math.PI * 329.6 * t)) + noise();
    });
  return encodeWav16([ch(1), ch(1.001)], sr);
}

async function timeFiles(files: { bytes: Uint8Array; name: string }[], window: { offset: number; length: number }) {
  let decode = 0;
  let features = 0;
  let seconds = 0;
  for (const f of files) {
    const t0 = performance.now();
    const audio = await decodeAudio(f.bytes, f.name, { endSeconds: window.offset + window.length });
    const t1 = performance.now();
    const { info } = analyseClip(audio, f.name, window);
    features += performance.now() - t1;
    decode += t1 - t0;
    seconds += info.to - info.from;
  }
  return { decode: decode / 1000, features: features / 1000, seconds };
}

async function main(): Promise<void> {
  const wav = [{ bytes: minuteOfWav(), name: 'minute.wav' }];
  const dir = resolve(HERE, '..', 'public', 'data', 'instruments');
  const opusNames = readdirSync(dir).filter((n) => n.endsWith('.opus'));
  const opus = opusNames.map((n) => ({ bytes: readFileSync(join(dir, n)), name: n }));
  await timeFiles(opus.slice(0, 2), { offset: 0, length: 30 }); // load the wasm decoder, warm up the JIT
  const out: Record<string, { decodeSPerMin: number; featuresSPerMin: number; totalSPerMin: number; realTime: number; audioSeconds: number }> = {};
  for (const [name, files] of [
    ['wav', wav],
    ['opus', opus],
  ] as const) {
    const runs: Awaited<ReturnType<typeof timeFiles>>[] = [];
    for (let r = 0; r < repeats; r++) runs.push(await timeFiles(files, { offset: 0, length: 60 }));
    const perMin = (s: number) => (60 * s) / runs[0].seconds;
    const d = median(runs.map((x) => x.decode));
    const f = median(runs.map((x) => x.features));
    const tot = median(runs.map((x) => x.decode + x.features));
    out[name] = {
      decodeSPerMin: perMin(d),
      featuresSPerMin: perMin(f),
      totalSPerMin: perMin(tot),
      realTime: runs[0].seconds / tot,
      audioSeconds: runs[0].seconds,
    };
  }
  const sets: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await timeFiles(
      opusNames.map((n) => ({ bytes: readFileSync(join(dir, n)), name: n })),
      { offset: 0, length: 30 },
    );
    sets.push((performance.now() - t0) / 1000);
  }
  const machine = `${cpus()[0]?.model ?? 'cpu'} (${cpus().length} cores), Node ${process.version}`;
  for (const [k, v] of Object.entries(out))
    console.log(
      `${k.padEnd(5)} ${v.audioSeconds.toFixed(1)} s of audio: decode ${v.decodeSPerMin.toFixed(3)} s/min, features ${v.featuresSPerMin.toFixed(3)} s/min, total ${v.totalSPerMin.toFixed(3)} s/min = ${v.realTime.toFixed(0)}× real time`,
    );
  console.log(`instruments set (${opusNames.length} files, read + decode + features): ${median(sets).toFixed(2)} s (median of ${repeats}); ${machine}`);
  mkdirSync(join(HERE, 'out'), { recursive: true });
  writeFileSync(join(HERE, 'out', 'audio.json'), `${JSON.stringify({ machine, repeats, ...out, instrumentsSetSeconds: median(sets) }, null, 1)}\n`);
}

main();
