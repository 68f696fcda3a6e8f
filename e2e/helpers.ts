/** Shared helpers of the lab's browser tests. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { generateSynthetic, syntheticToFiles, type SyntheticOptions } from '../src/core/synthetic';
import type { ExperimentResult } from '../src/core/experiment-types';
import { encodeShare, makeCell, type Cell } from '../src/ui/model';

/** The backends a Playwright project runs on (playwright.config.ts: cpu → 'wasm', webgpu, webgl). */
export type ProjectBackend = 'wasm' | 'webgpu' | 'webgl';

/** `TEST_LONG=1` (npm run test:long) turns on the full-size runs that `npm test` leaves out. */
export const LONG = process.env.TEST_LONG === '1';

/** the backend this Playwright project must run on (its metadata.backend) */
export function projectBackend(info: TestInfo): ProjectBackend {
  const b = info.project.metadata?.backend;
  if (b !== 'webgpu' && b !== 'webgl' && b !== 'wasm') throw new Error(`playwright project ${info.project.name} has no metadata.backend`);
  return b;
}

/** Open the lab with the backend forced by URL, optionally with a notebook given as a share link. */
export async function openLab(page: Page, info: TestInfo, cells?: Cell[]): Promise<void> {
  const backend = projectBackend(info);
  const hash = cells ? `#nb=${encodeShare({ cells })}` : '';
  await page.goto(`./?backend=${backend}${hash}`);
  await expectBackend(page, backend);
  // the shared notebook replaces the page's cells once it is applied: files loaded before would be dropped
  if (cells) await expect(page.getByText('Opened the parameters from a shared link')).toBeVisible();
}

export async function expectBackend(page: Page, backend: string): Promise<void> {
  await expect(page.getByTestId('active-backend')).toHaveAttribute('data-backend', backend, { timeout: 60_000 });
}

/** A small experiment on the bundled synthetic data (seconds on the WASM float64 backend). */
export function smallNotebook(over: Partial<Extract<Cell, { kind: 'experiment' }>['params']> = {}): Cell[] {
  return [
    makeCell('data', { source: 'synthetic' }),
    makeCell('constraints', { groupBy: 'age_group' }),
    makeCell('experiment', { methods: ['euclidean', 'ritml', 'w0-ritml'], folds: 3, seed: 7, gammaGrid: [1], cGrid: [1], ...over }),
    makeCell('heatmaps'),
  ];
}

/** A small synthetic CASimIR-like data set (src/core/synthetic.ts) as the files a Data cell loads. */
export function tinySyntheticFiles(over: Partial<SyntheticOptions> = {}): { name: string; mimeType: string; buffer: Buffer }[] {
  const ds = generateSynthetic({ seed: 11, clips: 30, users: 12, votes: 500, triplets: 200, ...over });
  return syntheticToFiles(ds)
    .filter((f) => f.name.endsWith('.csv'))
    .map((f) => ({ name: f.name, mimeType: 'text/csv', buffer: Buffer.from(f.text) }));
}

/** mean per method × group read from the results table (data attributes hold the exact numbers) */
export async function tableMeans(page: Page, cell = page.getByTestId('cell-experiment').first()): Promise<Record<string, number>> {
  const cells = cell.locator('[data-testid="results-table"] td[data-mean]');
  const n = await cells.count();
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const td = cells.nth(i);
    const method = await td.locator('xpath=..').getAttribute('data-method');
    out[`${method}|${await td.getAttribute('data-group')}`] = Number(await td.getAttribute('data-mean'));
  }
  return out;
}

/** Clicks Run all and waits until it is enabled again; with `log`, prints the progress bar once a minute meanwhile. */
export async function runAllAndWait(page: Page, timeout = 170_000, log?: string): Promise<void> {
  const runAll = page.getByTestId('run-all');
  await runAll.click();
  await expect(runAll).toBeDisabled();
  if (!log) {
    await expect(runAll).toBeEnabled({ timeout });
    return;
  }
  const t0 = Date.now();
  const left = () => t0 + timeout - Date.now();
  while (
    !(await expect(runAll)
      .toBeEnabled({ timeout: Math.max(1, Math.min(60_000, left())) })
      .then(
        () => true,
        () => false,
      ))
  ) {
    if (left() <= 0) throw new Error(`Run all did not finish within ${(timeout / 60_000).toFixed(1)} min`);
    const p = await page
      .getByTestId('progress')
      .first()
      .textContent({ timeout: 2_000 })
      .catch(() => '');
    console.log(`[${log}] ${((Date.now() - t0) / 60_000).toFixed(0)} min: ${p?.replace(/\s+/g, ' ').trim()}`);
  }
}

/** The experiment cell's results as the page exports them (Export JSON: every number in full precision). */
export async function exportedResult<T = unknown>(page: Page, cell = page.getByTestId('cell-experiment').first()): Promise<T> {
  const [download] = await Promise.all([page.waitForEvent('download'), cell.getByTestId('export-json').click()]);
  return JSON.parse(readFileSync(await download.path(), 'utf8')) as T;
}

/** The table, its backend line and the three heatmap panels of a finished experiment. */
export async function expectResultsAndHeatmaps(page: Page, backend: string, methods: number, groups: string[]): Promise<void> {
  const table = page.getByTestId('results-table').first();
  await expect(table).toBeVisible();
  await expect(table.locator('tbody tr')).toHaveCount(methods);
  await expect(table.locator('thead th')).toHaveText(['Method', ...groups, 'average']);
  await expect(page.getByTestId('result-backend').first()).toContainText(backend);
  const heat = page.getByTestId('heatmaps');
  for (const panel of ['W0', 'W', 'dW']) {
    await expect(heat.getByTestId(`heatmap-${panel}`)).toBeVisible();
    await expect(heat.getByTestId(`heatmap-${panel}`).locator('.js-plotly-plot')).toHaveCount(1);
  }
}

/** The CLI's experiment (float64) on the given files: `--features`, `--judgments`, `--users` name files of `files`. */
export function cliExperiment(files: { name: string; buffer: Buffer }[] | null, args: string[]): ExperimentResult {
  const dir = mkdtempSync(join(tmpdir(), 'lab-e2e-'));
  for (const f of files ?? []) writeFileSync(join(dir, f.name), f.buffer);
  const paths = args.map((a) => (files?.some((f) => f.name === a) ? join(dir, a) : a));
  const out = join(dir, 'result.json');
  // the built command line (rebuilt first when a source is newer), as a user runs it
  execFileSync('npm', ['run', '-s', 'cli', '--', 'experiment', ...paths, '--quiet', '--json', out], { stdio: 'pipe', timeout: 170_000 });
  return JSON.parse(readFileSync(out, 'utf8')) as ExperimentResult;
}

/** Pause, resume and cancel the run of an Experiment cell through its controls; the cell then says it was cancelled. */
export async function pauseResumeCancel(exp: Locator): Promise<void> {
  await exp.getByTestId('pause').click();
  await expect(exp.getByTestId('progress')).toContainText('Paused');
  await exp.getByTestId('resume').click();
  await expect(exp.getByTestId('progress')).not.toContainText('Paused');
  await exp.getByTestId('cancel').click();
  await expect(exp.getByText(/Run cancelled/)).toBeVisible({ timeout: 15_000 });
}
