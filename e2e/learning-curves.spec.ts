/**
 * The Learning curves cell (issue 16): added from the "add a cell" menu to a small notebook of the user's own
 * files (a tiny synthetic set), run with small settings in the lab worker, its charts and table shown, its
 * exported numbers equal to the CLI's (`experiment --train-fractions … --repeats … --json`) for the same data,
 * parameters and seed, and its result restored after a reload.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Locator } from '@playwright/test';
import type { LearningCurveResult } from '../src/core/learning-curve';
import { makeCell } from '../src/ui/model';
import { cliExperiment, openLab, pauseResumeCancel, projectBackend, runAllAndWait, smallNotebook, tinySyntheticFiles } from './helpers';

/** mean per method × group × fraction from the cells' tables (data attributes hold the exact numbers) */
async function curveMeans(cell: Locator): Promise<Record<string, number>> {
  const tds = cell.locator('[data-testid="curve-table"] td[data-mean]');
  const out: Record<string, number> = {};
  for (let i = 0; i < (await tds.count()); i++) {
    const td = tds.nth(i);
    const group = await td.locator('xpath=ancestor::table').getAttribute('data-group');
    const fraction = await td.locator('xpath=..').getAttribute('data-fraction');
    out[`${await td.getAttribute('data-method')}|${group}|${fraction}`] = Number(await td.getAttribute('data-mean'));
  }
  return out;
}

test('a Learning curves cell runs in the worker, equals the CLI, and comes back after a reload', async ({ page }, info) => {
  test.setTimeout(120_000);
  const files = tinySyntheticFiles();
  await openLab(page, info, [makeCell('data', { source: 'files' }), makeCell('constraints', { groupBy: 'age_group' })]);
  const data = page.getByTestId('cell-data');
  for (const f of files) await data.getByTestId(`file-${f.name === 'votes.csv' ? 'judgments' : f.name.replace('.csv', '')}`).setInputFiles(f);
  await expect(data.getByTestId('n-clips')).toHaveText('30');

  // from the menu, with its defaults, then small settings
  await page.getByTestId('add-kind').selectOption({ label: 'Learning curves' });
  await page.getByTestId('add-cell').click();
  const cell = page.getByTestId('cell-curves');
  await expect(cell.getByTestId('fractions')).toHaveValue('0.05, 0.1, 0.25, 0.5, 1');
  await cell.getByTestId('method-euclidean').uncheck();
  await cell.getByTestId('fractions').fill('0.1, 1');
  await cell.getByTestId('repeats').fill('1');
  await cell.getByTestId('folds').fill('3');
  await cell.getByTestId('seed').fill('5');
  // a bad value is said plainly and blocks nothing else
  await cell.getByTestId('fractions').fill('0.1, 2');
  await expect(cell.getByRole('status')).toContainText('Training fractions must be between 0 and 1');
  await cell.getByTestId('fractions').fill('0.1, 1');
  await expect(cell.getByRole('status')).toHaveCount(0);

  const t0 = Date.now();
  await runAllAndWait(page, 90_000);
  console.log(`learning curves (2 methods, 2 fractions, 1 repeat, 3 folds, 2 groups) Run all: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const out = cell.getByTestId('curves-output');
  await expect(out.getByTestId('curve-group')).toHaveCount(2);
  await expect(out.getByTestId('curve-chart').first().locator('.js-plotly-plot')).toHaveCount(1);
  await expect(out.getByTestId('curve-difference-chart').first().locator('.js-plotly-plot')).toHaveCount(1);
  await expect(out.getByTestId('curve-table').first().locator('tbody tr')).toHaveCount(2);
  await expect(out.getByTestId('result-backend')).toContainText(projectBackend(info));
  if (process.env.CURVE_SHOTS) await cell.screenshot({ path: `${process.env.CURVE_SHOTS}/curves-cell.png` });

  // the page's JSON export = the CLI's JSON on the same files, parameters and seed (both float64)
  const [download] = await Promise.all([page.waitForEvent('download'), out.getByTestId('export-json').click()]);
  const ui = JSON.parse(readFileSync(await download.path(), 'utf8')) as LearningCurveResult;
  const cli = cliExperiment(files, [
    '--features',
    'features.csv',
    '--judgments',
    'votes.csv',
    '--users',
    'users.csv',
    '--group-by',
    'age_group',
    '--methods',
    'ritml,w0-ritml',
    '--folds',
    '3',
    '--seed',
    '5',
    '--gamma-grid',
    '1',
    '--c-grid',
    '1',
    '--train-fractions',
    '0.1,1',
    '--repeats',
    '1',
    '--backend',
    'wasm',
  ]) as unknown as LearningCurveResult;
  const pick = (r: LearningCurveResult) =>
    r.rows.map(({ method, group, fraction, trainConstraints, mean, sd, folds }) => ({ method, group, fraction, trainConstraints, mean, sd, folds }));
  expect(pick(ui).length).toBe(2 * 2 * 2);
  expect(pick(ui)).toEqual(pick(cli));
  // the paired t-test's p goes through Math.pow / exp / log, which Chromium's V8 may round in the last bit
  // differently from Node's (as in default-notebook.spec.ts): p equal to 1e-12 relative, everything else exactly
  const noP = (ds: LearningCurveResult['differences']) => ds.map((d) => ({ ...d, p: 0 }));
  expect(noP(ui.differences)).toEqual(noP(cli.differences));
  cli.differences.forEach((d, i) => {
    if (Number.isNaN(d.p)) expect(ui.differences[i].p).toBeNaN();
    else expect(Math.abs(ui.differences[i].p - d.p), `p of difference ${i}`).toBeLessThanOrEqual(1e-12 * Math.abs(d.p));
  });

  // reload: the stored result is read back (field by field) and shown as it was
  const before = await curveMeans(cell);
  expect(Object.keys(before).length).toBe(8);
  await expect(page.getByTestId('saved-at')).toContainText('Saved in this browser');
  await page.goto(`./?backend=${projectBackend(info)}`);
  await expect(page.getByTestId('restored')).toBeVisible();
  await expect(page.getByTestId('cell-curves').getByTestId('curve-chart').first().locator('.js-plotly-plot')).toHaveCount(1);
  expect(await curveMeans(page.getByTestId('cell-curves'))).toEqual(before);
  await expect(page.getByTestId('cell-curves').getByTestId('cell-status')).toHaveAttribute('data-status', 'fresh');
});

test('a learning-curve run can be paused, resumed and cancelled like an experiment', async ({ page }, info) => {
  const curves = makeCell('curves', { methods: ['ritml', 'w0-ritml'], repeats: 5, folds: 10 });
  await openLab(page, info, [...smallNotebook().slice(0, 2), curves]);
  await page.getByTestId('run-all').click();
  const cell = page.getByTestId('cell-curves');
  await expect(cell.getByTestId('progress')).toBeVisible({ timeout: 60_000 });
  await pauseResumeCancel(cell);
  await expect(cell.getByTestId('progress')).toHaveCount(0);
  await expect(cell.getByTestId('cell-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByTestId('run-all')).toBeEnabled();
});
