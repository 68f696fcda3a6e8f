/**
 * Screenshots for the README: docs/screenshots/notebook.png (the poster notebook with results) and
 * docs/screenshots/heatmaps.png (template vs fine-tuned metric). Starts its own Vite dev server and drives
 * Debian's Chromium with Playwright.
 *
 *   npx tsx scripts/screenshots.ts [--backend cpu|webgpu|webgl] [--folds 10] [--out docs/screenshots]
 */
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { encodeShare, presetNotebook, type Cell } from '../src/ui/model';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'cpu' },
    folds: { type: 'string', default: '10' },
    out: { type: 'string', default: 'docs/screenshots' },
    port: { type: 'string', default: '5288' },
  },
});
const out = values.out!;
mkdirSync(out, { recursive: true });

// the default (poster) notebook, with the number of folds given
const cells: Cell[] = presetNotebook('poster').cells.map((c) => (c.kind === 'experiment' ? { ...c, params: { ...c.params, folds: Number(values.folds) } } : c));

const server = await createServer({ server: { host: '127.0.0.1', port: Number(values.port), strictPort: true }, logLevel: 'warn' });
await server.listen();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--enable-unsafe-webgpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`http://127.0.0.1:${values.port}/?backend=${values.backend}#nb=${encodeShare({ cells })}`);
  await page.getByTestId('active-backend').and(page.locator(`[data-backend]:not([data-backend=""])`)).waitFor({ timeout: 60_000 });
  const t0 = Date.now();
  await page.getByTestId('run-all').click();
  await page.getByTestId('results-table').waitFor({ timeout: 1_800_000 });
  await page.getByTestId('heatmap-dW').locator('.js-plotly-plot').waitFor({ timeout: 120_000 });
  await page.waitForTimeout(1500);
  console.log(`ran the notebook in ${((Date.now() - t0) / 1000).toFixed(1)} s on ${await page.getByTestId('active-backend').textContent()}`);
  // hide the dismissable notice about the shared link: it is not part of the notebook
  await page.evaluate(() => document.querySelectorAll('main > .notice').forEach((n) => ((n as HTMLElement).style.display = 'none')));
  await page.screenshot({ path: `${out}/notebook.png`, fullPage: true });
  const exp = page.getByTestId('cell-experiment');
  await exp.scrollIntoViewIfNeeded();
  await exp.screenshot({ path: `${out}/experiment.png` });
  await page.getByTestId('cell-heatmaps').screenshot({ path: `${out}/heatmaps.png` });
  console.log(`wrote ${out}/notebook.png, ${out}/experiment.png, ${out}/heatmaps.png`);
} finally {
  await browser.close();
  await server.close();
}
