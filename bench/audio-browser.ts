/**
 * Audio features in Chromium (issue 13): the same pipeline as bench/audio.ts (decodeAudio + analyseClip from
 * src/audio), run in a page of the dev server in headless Debian Chromium, and how much the browser's own decoder
 * (decodeAudioData, the page's fallback for formats ours do not read) would change the features of files ours do
 * read: each file decoded both ways (the browser at the file's own rate, so only the decoders differ), the largest
 * relative difference per format over all 48 columns (values below 1e-3 compared absolutely) and of the samples.
 *
 *   npx tsx bench/audio-browser.ts [--repeats 5] [--port 5187]     (npm run bench:audio-browser)
 *
 * Writes bench/out/audio-browser.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const repeats = arg('repeats', 5);
const port = arg('port', 5187);

// runs in the page (a string: tsx would add helpers the page does not have)
const IN_PAGE = `async ({ repeats }) => {
  const { decodeAudio } = await import('/src/audio/decode.ts');
  const { analyseClip } = await import('/src/audio/analyse.ts');
  const { encodeWav16 } = await import('/src/audio/wav.ts');
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const sr = 44100;
  const ch = (d) => Float32Array.from({ length: 60 * sr }, (_, k) => { const t = k / sr; return 0.15 * (Math.sin(2 * Math.PI * 220 * (1 + 0.003 * Math.sin(2 * Math.PI * 5 * t)) * t) + Math.sin(2 * Math.PI * 277.2 * d * t) + Math.sin(2 * Math.PI * 329.6 * t)) + 0.01 * Math.sin(k * 0.7311); });
  const wav = encodeWav16([ch(1), ch(1.001)], sr);
  const clipsCsv = await (await fetch('/data/instruments/clips.csv')).text();
  const files = clipsCsv.trim().split('\\n').slice(1).map((l) => l.split(',')[1]);
  const opus = await Promise.all(files.map(async (f) => ({ name: f, bytes: new Uint8Array(await (await fetch('/data/instruments/' + f)).arrayBuffer()) })));
  const time = async (list) => {
    let dec = 0, feat = 0, secs = 0;
    for (const f of list) {
      const t0 = performance.now();
      const a = await decodeAudio(f.bytes, f.name, { endSeconds: 60 });
      const t1 = performance.now();
      const { info } = analyseClip(a, f.name, { offset: 0, length: 60 });
      feat += performance.now() - t1; dec += t1 - t0; secs += info.to - info.from;
    }
    return { dec: dec / 1000, feat: feat / 1000, secs };
  };
  await time(opus.slice(0, 3));
  const out = {};
  for (const [name, list] of [['wav', [{ name: 'minute.wav', bytes: wav }]], ['opus', opus]]) {
    const runs = [];
    for (let r = 0; r < repeats; r++) runs.push(await time(list));
    const perMin = (k) => median(runs.map((x) => (x[k] / x.secs) * 60));
    out[name] = { decodeSPerMin: perMin('dec'), featuresSPerMin: perMin('feat'), audioSeconds: runs[0].secs };
    out[name].totalSPerMin = out[name].decodeSPerMin + out[name].featuresSPerMin;
    out[name].realTime = 60 / out[name].totalSPerMin;
  }
  // the browser's decoder on files ours read: largest relative difference of the features
  const diff = async (bytes, name) => {
    const ours = await decodeAudio(bytes, name);
    const ctx = new OfflineAudioContext(1, 1, ours.sampleRate);
    const buf = await ctx.decodeAudioData(bytes.slice().buffer);
    const theirs = { sampleRate: buf.sampleRate, channels: Array.from({ length: buf.numberOfChannels }, (_, c) => buf.getChannelData(c)), format: 'browser' };
    const a = analyseClip(ours, name).values, b = analyseClip(theirs, name).values;
    let worst = 0, col = 0, sample = 0;
    // relative to the larger value, floored at 1e-3 (an sd near 0 would make any difference look large)
    for (let i = 0; i < a.length; i++) { const d = Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), Math.abs(b[i]), 1e-3); if (d > worst) { worst = d; col = i; } }
    for (let c = 0; c < Math.min(ours.channels.length, theirs.channels.length); c++) for (let i = 0; i < Math.min(ours.channels[c].length, buf.length); i++) sample = Math.max(sample, Math.abs(ours.channels[c][i] - theirs.channels[c][i]));
    return { worst, col, sample, lengths: [ours.channels[0].length, buf.length], channels: [ours.channels.length, theirs.channels.length] };
  };
  const fx = async (f) => new Uint8Array(await (await fetch('/test/fixtures/audio/' + f)).arrayBuffer());
  const decoders = {};
  const opusDiffs = [];
  for (const f of opus.slice(0, 12)) opusDiffs.push(await diff(f.bytes, f.name));
  decoders.opus = opusDiffs.reduce((m, d) => (d.worst > m.worst ? d : m));
  decoders.mp3 = await diff(await fx('tone.mp3'), 'tone.mp3');
  decoders.flac = await diff(await fx('tone.flac'), 'tone.flac');
  decoders.wav = await diff(wav, 'minute.wav');
  return { out, decoders, ua: navigator.userAgent };
}`;

async function main(): Promise<void> {
  const server = await createServer({ server: { host: '127.0.0.1', port, strictPort: true }, logLevel: 'error' });
  await server.listen();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/play.html`);
    const r = (await page.evaluate(`(${IN_PAGE})({ repeats: ${repeats} })`)) as {
      out: Record<string, { decodeSPerMin: number; featuresSPerMin: number; totalSPerMin: number; realTime: number; audioSeconds: number }>;
      decoders: Record<string, { worst: number; col: number; sample: number; lengths: number[]; channels: number[] }>;
      ua: string;
    };
    const { FEATURE_COLUMNS } = await import('../src/audio/features');
    for (const [k, v] of Object.entries(r.out))
      console.log(
        `${k.padEnd(5)} ${v.audioSeconds.toFixed(1)} s of audio: decode ${v.decodeSPerMin.toFixed(3)} s/min, features ${v.featuresSPerMin.toFixed(3)} s/min, total ${v.totalSPerMin.toFixed(3)} s/min = ${v.realTime.toFixed(0)}× real time`,
      );
    for (const [k, v] of Object.entries(r.decoders))
      console.log(
        `browser decoder vs ours, ${k}: samples differ by ≤ ${v.sample.toExponential(2)}; features by ≤ ${v.worst.toExponential(2)} relative (${FEATURE_COLUMNS[v.col]}); lengths ${v.lengths.join(' vs ')}, channels ${v.channels.join(' vs ')}`,
      );
    const machine = `${os.cpus()[0]?.model} (${os.cpus().length} cores), load ${os.loadavg()[0].toFixed(1)}, ${r.ua.match(/Chrome\/[\d.]+/)?.[0]}`;
    console.log(machine);
    mkdirSync('bench/out', { recursive: true });
    writeFileSync('bench/out/audio-browser.json', JSON.stringify({ ...r, machine, repeats }, null, 2));
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
