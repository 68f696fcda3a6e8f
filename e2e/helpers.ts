/** Shared helpers of the lab's browser tests. */
import { expect, type Page, type TestInfo } from '@playwright/test';
import { encodeShare, makeCell, type Cell } from '../src/ui/model';

/** the backend this Playwright project must run on ('webgpu' / 'webgl') */
export function projectBackend(info: TestInfo): 'webgpu' | 'webgl' {
  const b = info.project.metadata?.backend;
  if (b !== 'webgpu' && b !== 'webgl') throw new Error(`playwright project ${info.project.name} has no metadata.backend`);
  return b;
}

/** Open the lab with the backend forced by URL, optionally with a notebook given as a share link. */
export async function openLab(page: Page, info: TestInfo, cells?: Cell[]): Promise<void> {
  const backend = projectBackend(info);
  const hash = cells ? `#nb=${encodeShare({ cells })}` : '';
  await page.goto(`./?backend=${backend}${hash}`);
  await expectBackend(page, backend);
}

export async function expectBackend(page: Page, backend: string): Promise<void> {
  await expect(page.getByTestId('active-backend')).toHaveAttribute('data-backend', backend, { timeout: 60_000 });
}

/** A small experiment on the bundled synthetic data (fast enough for a browser test on SwiftShader). */
export function smallNotebook(over: Partial<Extract<Cell, { kind: 'experiment' }>['params']> = {}): Cell[] {
  return [
    makeCell('data', { source: 'synthetic' }),
    makeCell('constraints', { groupBy: 'age_group' }),
    makeCell('experiment', { methods: ['euclidean', 'ritml', 'w0-ritml'], folds: 3, seed: 7, gammaGrid: [1], cGrid: [1], ...over }),
    makeCell('heatmaps'),
  ];
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
  while (!(await expect(runAll).toBeEnabled({ timeout: Math.max(1, Math.min(60_000, left())) }).then(() => true, () => false))) {
    if (left() <= 0) throw new Error(`Run all did not finish within ${(timeout / 60_000).toFixed(1)} min`);
    const p = await page.getByTestId('progress').first().textContent({ timeout: 2_000 }).catch(() => '');
    console.log(`[${log}] ${((Date.now() - t0) / 60_000).toFixed(0)} min: ${p?.replace(/\s+/g, ' ').trim()}`);
  }
}

/**
 * Methods for the tests that need finished results. On WebGL (ANGLE on SwiftShader) one RITML fit takes
 * about a minute, so there the tests run learners that the worker computes on the CPU (Euclidean, SVM);
 * on WebGPU they run RITML on the GPU.
 */
export function quickMethods(info: TestInfo): ('euclidean' | 'ritml' | 'w0-ritml' | 'svm')[] {
  return projectBackend(info) === 'webgpu' ? ['euclidean', 'ritml', 'w0-ritml'] : ['euclidean', 'svm'];
}
