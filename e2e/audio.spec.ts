/**
 * Issue 13 in the page: audio files dropped on the Data cell ("Your own files") are analysed in the audio
 * worker with a progress bar; the clip table names the files that failed (a damaged WAV, one shorter than a
 * frame, a text file named .wav) while the others become the features; a judgments file naming the clip ids
 * completes the set and the experiment runs on it. After a reload the clip table is back and ▶ plays the clip
 * from this browser's clip store. The features the page computed equal the Node pipeline's (the CLI's code) to
 * 1e-6 relative on every column.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { analyseClip, clipIds, DEFAULT_WINDOW, featureTable } from '../src/audio/analyse';
import { decodeAudio, UnsupportedAudio } from '../src/audio/decode';
import type { DecodedAudio } from '../src/audio/wav';
import { FEATURE_COLUMNS } from '../src/audio/features';
import { featureSetToCsv, parseFeatures } from '../src/core/parse';
import { BUNDLED } from '../src/ui/data';
import { makeCell } from '../src/ui/model';
import { BROKEN, SHORT, TONES, toneWav, votesCsv } from './audio-fixtures';
import { openLab } from './helpers';

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  },
});

const FILES = [
  ...TONES.map((t) => ({ name: t.name, buffer: toneWav(t) })),
  { name: 'broken.wav', buffer: BROKEN },
  { name: 'short.wav', buffer: SHORT },
  { name: 'notes.wav', buffer: Buffer.from('these are my notes, not audio\n') },
  { name: 'silence.wav', buffer: toneWav({ name: 'silence.wav', f0: 440, harmonics: 0, rate: 22050 }, 1) },
];

/** A short Opus-in-WebM recording made by the browser itself: a format only the browser's decoder reads. */
async function recordWebm(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(async () => {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    osc.frequency.value = 330;
    const dest = ctx.createMediaStreamDestination();
    osc.connect(dest);
    osc.start();
    const rec = new MediaRecorder(dest.stream, { mimeType: 'audio/webm;codecs=opus' });
    const chunks: Blob[] = [];
    rec.ondataavailable = (e) => chunks.push(e.data);
    const stopped = new Promise((r) => {
      rec.onstop = r;
    });
    rec.start();
    await new Promise((r) => setTimeout(r, 800));
    rec.stop();
    await stopped;
    osc.stop();
    await ctx.close();
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  });
  return Buffer.from(b64, 'base64');
}

/** Drop files on the drop zone (as a user drags them from a file manager). */
async function drop(page: Page, zone: Locator, files: { name: string; buffer: Buffer }[]): Promise<void> {
  const plain = files.map((f) => ({ name: f.name, b64: f.buffer.toString('base64') }));
  const dt = await page.evaluateHandle((fs) => {
    const dt = new DataTransfer();
    for (const f of fs) {
      const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name, { type: f.name.endsWith('.wav') ? 'audio/wav' : 'text/csv' }));
    }
    return dt;
  }, plain);
  await zone.dispatchEvent('drop', { dataTransfer: dt });
}

/** Records every text the audio progress bar shows (it may come and go between two polls). */
async function watchProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __progress: string[] };
    w.__progress = [];
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="audio-progress"]');
      const t = el?.textContent ?? '';
      if (t && w.__progress.at(-1) !== t) w.__progress.push(t);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** decodeAudio called as the CLI calls it (up to the window's end; the option is ignored by a decoder without it). */
const decodeUpTo = decodeAudio as (bytes: Uint8Array, file: string, options?: { endSeconds?: number }) => Promise<DecodedAudio>;

/** The Node pipeline (the CLI's code) on the same files, in name order: the feature table of those it analyses, and the others' messages. */
async function nodePipeline() {
  const files = [...FILES].sort((a, b) => (a.name < b.name ? -1 : 1));
  const ok: string[] = [];
  const rows = [];
  const failed = new Map<string, string>();
  for (const f of files) {
    try {
      const audio = await decodeUpTo(new Uint8Array(f.buffer), f.name, { endSeconds: DEFAULT_WINDOW.offset + DEFAULT_WINDOW.length });
      rows.push(analyseClip(audio, f.name).values);
      ok.push(f.name);
    } catch (e) {
      const m = (e as Error).message;
      // a format none of the lab's decoders reads: the page then tries the browser's decoder
      failed.set(f.name, e instanceof UnsupportedAudio ? `${f.name}: not an audio file` : m.startsWith(f.name) ? m : `${f.name}: ${m}`);
    }
  }
  return { table: featureTable(clipIds(ok), rows, 'node'), failed };
}

test('audio files → features in the page: progress, per-file errors, clip table, experiment, playback after reload, = Node pipeline', async ({
  page,
}, info) => {
  test.setTimeout(90_000);
  const cells = [
    makeCell('data', { source: 'synthetic' }),
    makeCell('constraints', { groupBy: '' }),
    makeCell('experiment', { methods: ['euclidean', 'ritml'], folds: 2, seed: 7, gammaGrid: [1], cGrid: [1] }),
  ];
  await openLab(page, info, cells);
  const data = page.getByTestId('cell-data');
  await data.getByTestId('data-source').selectOption('files');
  await watchProgress(page);
  const webm = { name: 'recorded.webm', buffer: await recordWebm(page) };
  const t0 = Date.now();
  await drop(page, data.getByTestId('dropzone'), [...FILES, webm]);

  // the report, the clip table with one row per file: the page analyses the files Node analyses (and the WebM), the others named with Node's message
  const node = await nodePipeline();
  const analysed = FILES.length - node.failed.size + 1;
  await expect(data.getByTestId('audio-report')).toContainText(`Analysed ${analysed} of ${FILES.length + 1} audio files`, { timeout: 30_000 });
  console.log(`[audio] ${FILES.length + 1} files analysed in the page in ${((Date.now() - t0) / 1000).toFixed(1)} s (drop → report)`);
  const seen = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
  expect(seen.some((t) => /of 11 audio files/.test(t))).toBe(true);
  const rows = data.getByTestId('clip-row');
  await expect(rows).toHaveCount(FILES.length + 1);
  const row = (file: string) => rows.filter({ has: page.locator('td.file', { hasText: new RegExp(`^${file}$`) }) });
  for (const [file, message] of node.failed) await expect(row(file).getByTestId('clip-status')).toContainText(message);
  // whatever the decoder and feature code say in detail, these three are refused, each with its reason
  await expect(row('broken.wav').getByTestId('clip-status')).toContainText('broken.wav: byte');
  await expect(row('short.wav').getByTestId('clip-status')).toContainText(/short\.wav: the analysed audio is 0\.01\d s long; at least 0\.093 s are needed/);
  await expect(row('notes.wav').getByTestId('clip-status')).toContainText('notes.wav: not an audio file');
  // silence: refused with a message, or analysed with finite numbers (checked with the others below)
  if (node.failed.has('silence.wav')) await expect(row('silence.wav').getByTestId('clip-status')).toContainText('silence.wav: the analysed audio is silent');
  await expect(row('low-bright.wav')).toContainText('low-bright');
  await expect(row('low-bright.wav')).toContainText('44100 Hz');
  await expect(row('low-bright.wav')).toContainText('lab: WAV PCM 16-bit');
  // the WebM file: none of the lab's decoders reads it, the browser's does (at the analysis rate)
  await expect(row('recorded.webm')).toContainText('browser: decodeAudioData at 22050 Hz');
  await expect(row('recorded.webm').getByTestId('clip-status')).toHaveText('analysed');
  await expect(data.getByTestId('n-clips')).toHaveText(String(analysed));
  await expect(data.getByTestId('n-features')).toHaveText(String(FEATURE_COLUMNS.length));
  await page.screenshot({ path: info.outputPath('01-analysed.png'), fullPage: true });

  // browser = CLI: the exported features CSV equals the Node pipeline to 1e-6 relative on every column
  const [dl] = await Promise.all([page.waitForEvent('download'), data.getByTestId('export-audio-features').click()]);
  const got = parseFeatures(readFileSync(await dl.path(), 'utf8'), 'page.csv');
  const want = node.table;
  expect(got.ids.filter((id) => id !== 'recorded')).toEqual(want.ids);
  expect(got.names).toEqual(want.names);
  let worst = 0;
  const d = want.names.length;
  for (let i = 0; i < want.X.data.length; i++) {
    const a = got.X.data[got.ids.indexOf(want.ids[Math.floor(i / d)]) * d + (i % d)];
    const b = want.X.data[i];
    worst = Math.max(worst, Math.abs(a - b) / Math.max(1e-12, Math.abs(b)));
  }
  console.log(`[audio] page vs Node pipeline: max relative difference ${worst.toExponential(2)}`);
  expect(worst).toBeLessThanOrEqual(1e-6);

  // the votes complete the set; the experiment runs on the audio features
  await data.getByTestId('file-judgments').setInputFiles({ name: 'tone-votes.csv', mimeType: 'text/csv', buffer: Buffer.from(votesCsv()) });
  await expect(data.getByTestId('data-set-ready')).toContainText('features-from-audio.csv, tone-votes.csv');
  await page.getByTestId('run-all').click();
  const exp = page.getByTestId('cell-experiment');
  await expect(exp.getByTestId('cell-status')).toHaveAttribute('data-status', 'fresh', { timeout: 60_000 });
  await expect(exp.getByTestId('results-table').locator('tbody tr')).toHaveCount(2);

  // a second analysis cancelled half-way: nothing changes (the features, the experiment's result)
  const long = Array.from({ length: 6 }, (_, k) => ({ name: `long-${k}.wav`, buffer: toneWav({ ...TONES[k], name: `long-${k}.wav` }, 30) }));
  await drop(page, data.getByTestId('dropzone'), long);
  await expect(data.getByTestId('audio-progress')).toContainText(/of 6 audio files/);
  await page.screenshot({ path: info.outputPath('02-progress.png'), fullPage: true });
  await data.getByTestId('audio-cancel').click();
  await expect(data.getByTestId('audio-report')).toContainText('Analysis cancelled: nothing was loaded');
  await expect(data.getByTestId('audio-progress')).toHaveCount(0);
  await expect(data.getByTestId('n-clips')).toHaveText(String(analysed));
  await expect(exp.getByTestId('cell-status')).toHaveAttribute('data-status', 'fresh');
  await expect(data.getByTestId('clip-row')).toHaveCount(FILES.length + 1);

  // after a reload: the clip table is back and ▶ plays the stored clip
  await expect(page.getByTestId('saved-at')).toContainText('Saved in this browser');
  await page.waitForTimeout(500);
  await page.goto('./?backend=wasm');
  await expect(page.getByTestId('restored')).toBeVisible();
  await expect(data.getByTestId('clip-row')).toHaveCount(FILES.length + 1);
  const play = data.getByTestId('play-clip').first();
  await expect(play).toBeEnabled();
  await play.click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __similarityLabPlayback?: { started: number } }).__similarityLabPlayback?.started ?? 0))
    .toBe(1);
  await expect(play).toHaveAttribute('data-state', /playing|idle/);
  await page.screenshot({ path: info.outputPath('03-after-reload.png'), fullPage: true });

  // the stored clips stay while an undo can bring their set back, and go when it is replaced for good
  const stored = () =>
    page.evaluate(
      () =>
        new Promise<number>((ok, err) => {
          const req = indexedDB.open('similarity-lab-clips');
          req.onerror = () => err(req.error);
          req.onsuccess = () => {
            const count = req.result.transaction('clips').objectStore('clips').count();
            count.onsuccess = () => ok(count.result);
          };
        }),
    );
  expect(await stored()).toBe(analysed);
  const other = {
    name: 'other-1.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`id,x\n${TONES.map((t, i) => `${t.name.replace('.wav', '')},${i}`).join('\n')}\n`),
  };
  await data.getByTestId('file-features').setInputFiles(other);
  await expect(data.getByTestId('restore-previous')).toContainText('features-from-audio.csv');
  await page.waitForTimeout(2_500);
  expect(await stored()).toBe(analysed);
  // back to a bundled set: the undo entry is now the other features' set, the audio set is gone for good
  await data.getByTestId('data-source').selectOption('synthetic');
  await expect(data.getByTestId('restore-previous')).toContainText('other-1.csv');
  await expect.poll(stored, { timeout: 10_000 }).toBe(0);
});

/**
 * A bundled clip set (a data set with `clips`: a clips.csv whose files lie next to it), here a fixture of three
 * tones registered at run time and served by the test: its clip table plays from the site, and "Recompute
 * features from the audio" agrees with the shipped features. (The real sets, data/instruments and data/tones,
 * are registered in src/ui/data.ts by their own change.)
 */
test('a bundled clip set: clip table with ▶ from the site, features recomputed from the audio = the shipped ones', async ({ page }, info) => {
  const set = TONES.slice(0, 3).map((t, k) => ({ id: `tone-${'ABC'[k]}`, file: `clip ${k}.wav`, buffer: toneWav(t, 1) }));
  const rows = [];
  for (const c of set) rows.push(analyseClip(await decodeAudio(new Uint8Array(c.buffer), c.file), c.file).values);
  const shipped = featureSetToCsv(
    featureTable(
      set.map((c) => c.id),
      rows,
      'fixture',
    ),
  );
  const served: Record<string, Buffer> = {
    'clips.csv': Buffer.from(`id,file,family\n${set.map((c) => `${c.id},${c.file},tone`).join('\n')}\n`),
    'features.csv': Buffer.from(shipped),
    'votes.csv': Buffer.from('a,b,c,odd\ntone-A,tone-B,tone-C,tone-C\n'),
    ...Object.fromEntries(set.map((c) => [c.file, c.buffer])),
  };
  await page.route('**/data/fixture-clips/**', (route) => {
    const name = decodeURIComponent(new URL(route.request().url()).pathname.split('/').pop()!);
    const body = served[name];
    return body ? route.fulfill({ body, contentType: name.endsWith('.wav') ? 'audio/wav' : 'text/csv' }) : route.fulfill({ status: 404 });
  });
  await openLab(page, info, [makeCell('data', { source: 'synthetic' })]);
  await page.evaluate(async () => {
    const m = await import('/src/ui/data.ts' as string);
    m.BUNDLED.push({
      id: 'fixture-clips',
      label: 'Fixture clip set',
      features: 'fixture-clips/features.csv',
      judgments: 'fixture-clips/votes.csv',
      clips: 'fixture-clips/clips.csv',
    });
  });
  const data = page.getByTestId('cell-data');
  await data.getByTestId('data-source').selectOption('files');
  await data.getByTestId('data-source').selectOption('fixture-clips');
  await data.getByTestId('run-cell').click();
  await expect(data.getByTestId('n-clips')).toHaveText('3');
  const table = data.getByTestId('bundled-clips');
  await expect(table.getByTestId('clip-row')).toHaveCount(3);
  await expect(table.getByTestId('clip-row').first()).toContainText('tone-A');
  await table.getByTestId('play-clip').nth(1).click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __similarityLabPlayback?: { last: string } }).__similarityLabPlayback?.last))
    .toContain('clip 1.wav');
  await table.getByTestId('recompute-features').click();
  const result = table.getByTestId('recompute-result');
  await expect(result).toContainText('Recomputed 3 of 3 clips');
  expect(Number(await result.getAttribute('data-max-rel'))).toBeLessThanOrEqual(1e-6);
  await expect(table.getByTestId('clip-row').first()).toContainText('lab: WAV PCM 16-bit');
  await page.screenshot({ path: info.outputPath('04-bundled-clips.png'), fullPage: true });
});

/**
 * A folder chosen with the folder picker: its audio (in sub-folders too) is analysed, its votes file goes to the
 * judgments slot with the result (one change: the set is ready at once), the cover image is skipped, and a
 * recording longer than the lab takes is refused with its length.
 */
test('a folder of audio and votes: routed by type, one complete set; a too-long recording refused', async ({ page }, info) => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-audio-folder-'));
  const root = join(dir, 'my-clips');
  mkdirSync(join(root, 'strings'), { recursive: true });
  const three = TONES.slice(0, 3);
  for (const t of three) writeFileSync(join(root, 'strings', t.name), toneWav(t, 1));
  const ids = three.map((t) => t.name.replace('.wav', ''));
  writeFileSync(join(root, 'votes.csv'), `a,b,c,odd\n${ids.join(',')},${ids[2]}\n`);
  writeFileSync(join(root, 'cover.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
  // 25 minutes at 1 kHz (3 MB): longer than the 20 minutes the lab analyses
  writeFileSync(join(root, 'long-recording.wav'), toneWav({ name: 'long-recording.wav', f0: 196, harmonics: 2, rate: 1000 }, 25 * 60));
  // chosen while the cell shows a bundled set: the progress shows there, the result replaces the set
  await openLab(page, info, [makeCell('data', { source: 'synthetic' })]);
  const data = page.getByTestId('cell-data');
  await data.getByTestId('file-folder').setInputFiles(root);
  await expect(data.getByTestId('audio-report')).toContainText(/Analysed \d of 4 audio files/);
  await expect(data.getByTestId('data-source')).toHaveValue('files');
  await expect(data.getByTestId('data-set-ready')).toContainText('features-from-audio.csv, votes.csv');
  const rows = data.getByTestId('clip-row');
  await expect(rows).toHaveCount(4);
  // a decoder that reads the whole file refuses it; one that stops at the window's end (decodeAudio's
  // endSeconds) analyses its first 30 s and the table gives the file's whole length
  const long = rows.first();
  if (await long.locator('.clip-error').count()) {
    await expect(long).toContainText('long-recording.wav: too long (25.0 min); the lab analyses clips up to 20 min');
  } else {
    await expect(long).toContainText('25 min 00 s');
    await expect(long).toContainText('0.00–30.00 s');
  }
  await expect(rows.nth(1)).toContainText('my-clips/strings/low-bright.wav');
  await expect(data.getByTestId('n-judgments')).toHaveText('1');
});

/** Every bundled clip set (data/instruments, data/tones): its features recomputed in the page from its audio equal the shipped ones. */
for (const set of BUNDLED.filter((b) => (b as { clips?: string }).clips)) {
  test(`bundled clip set "${set.id}": recomputed in the page = the shipped features`, async ({ page }, info) => {
    await openLab(page, info, [makeCell('data', { source: set.id })]);
    const data = page.getByTestId('cell-data');
    await data.getByTestId('run-cell').click();
    const clips = data.getByTestId('bundled-clips');
    await expect(clips.getByTestId('clip-row').first()).toBeVisible();
    const n = await clips.getByTestId('clip-row').count();
    const t0 = Date.now();
    await clips.getByTestId('recompute-features').click();
    const result = clips.getByTestId('recompute-result');
    await expect(result).toContainText(`Recomputed ${n} of ${n} clips`, { timeout: 60_000 });
    console.log(`[audio] ${set.id}: ${n} clips recomputed in the page in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${await result.textContent()}`);
    expect(Number(await result.getAttribute('data-max-rel'))).toBeLessThanOrEqual(1e-6);
    await page.screenshot({ path: info.outputPath(`05-${set.id}.png`), fullPage: true });
  });
}
