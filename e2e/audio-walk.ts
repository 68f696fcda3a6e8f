/**
 * A newcomer's walk through the audio features (issue 13), with screenshots to look at — not a test:
 *   E2E_PORT=5291 npx vite --port 5291 &  npx tsx e2e/audio-walk.ts [outDir]
 * One browser session: the demo loads, "Your own files", audio dropped (progress), the clip table, ▶, reload;
 * then the same at 390 px wide.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { BROKEN, SHORT, TONES, toneWav } from './audio-fixtures';

const PORT = Number(process.env.E2E_PORT ?? 5291);
const OUT = process.argv[2] ?? 'test-results/audio-walk';

async function drop(page: Page, files: { name: string; buffer: Buffer }[]): Promise<void> {
  const plain = files.map((f) => ({ name: f.name, b64: f.buffer.toString('base64') }));
  const dt = await page.evaluateHandle((fs) => {
    const dt = new DataTransfer();
    for (const f of fs) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: 'audio/wav' }));
    return dt;
  }, plain);
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: dt });
}

async function walk(page: Page, tag: string): Promise<void> {
  const data = page.getByTestId('cell-data').first();
  const shot = async (n: string) => {
    await page.screenshot({ path: `${OUT}/${tag}-${n}.png`, fullPage: true });
    // the Data cell alone, readable at full size
    await data.screenshot({ path: `${OUT}/${tag}-${n}-data-cell.png` });
  };
  await page.goto(`http://127.0.0.1:${PORT}/?backend=wasm`);
  await page.waitForSelector('[data-testid="active-backend"][data-backend="wasm"]', { state: 'attached' });
  await data.getByTestId('run-cell').click();
  await page.getByTestId('n-clips').first().waitFor({ timeout: 60_000 });
  await shot('01-demo');
  await data.getByTestId('data-source').selectOption('files');
  await shot('02-own-files');
  const files = [...TONES.map((t) => ({ name: t.name, buffer: toneWav(t, 30) })), { name: 'broken.wav', buffer: BROKEN }, { name: 'short.wav', buffer: SHORT }];
  await drop(page, files);
  await data.getByTestId('audio-progress').waitFor();
  await page.waitForTimeout(700);
  await shot('03-progress');
  const t0 = Date.now();
  await data.getByTestId('audio-report').waitFor({ timeout: 60_000 });
  console.log(`${tag}: ${files.length} files (6 × 30 s) analysed, report after ${((Date.now() - t0) / 1000).toFixed(1)} s more`);
  console.log(`${tag}: ${await data.getByTestId('audio-report').textContent()}`);
  await shot('04-table');
  await data.getByTestId('play-clip').first().click();
  await page.waitForTimeout(300);
  console.log(`${tag}: play button state ${await data.getByTestId('play-clip').first().getAttribute('data-state')}`);
  await shot('05-playing');
  await page.waitForTimeout(1200);
  await page.reload();
  await data.getByTestId('clip-table').waitFor({ timeout: 30_000 });
  await shot('06-after-reload');
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] });
  const wide = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await walk(await wide.newPage(), 'wide');
  const narrow = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  await walk(await narrow.newPage(), 'narrow');
  await browser.close();
}

void main();
