/**
 * Fast first results (issue 11): while an experiment runs, the rows of finished methods are shown at once —
 * Euclidean first, while the run is still going — and one progress bar counts the whole run without going back
 * when a stage ends. Ordering, not wall time: the page is sampled on every animation frame during one run.
 */
import { expect, test } from '@playwright/test';
import { openLab, pauseResumeCancel, smallNotebook } from './helpers';

interface Sample {
  t: number;
  running: boolean;
  frac: number | null;
  stage: string;
  rows: number;
  euclidean: boolean;
  pending: number;
}

// a string, not a function, so no transpiler helper ends up in the page
const SAMPLER = `(() => {
  const s = (window.__samples = []);
  const runAll = document.querySelector('[data-testid="run-all"]');
  function tick() {
    const exp = document.querySelector('[data-testid="cell-experiment"]');
    const bar = exp && exp.querySelector('[data-testid="progress"]');
    s.push({
      t: performance.now(),
      running: runAll.disabled,
      frac: bar ? Number(bar.getAttribute('data-fraction')) : null,
      stage: bar ? bar.textContent : '',
      rows: exp ? exp.querySelectorAll('[data-testid="results-table"] td[data-mean]').length : 0,
      euclidean: !!(exp && exp.querySelector('[data-testid="results-table"] tr[data-method="euclidean"] td[data-mean]')),
      pending: exp ? exp.querySelectorAll('[data-testid="results-table"] td.pending').length : 0,
    });
    if (s.length < 200000) requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})()`;

test('first rows while the run goes on; one progress bar that never goes back', async ({ page }, info) => {
  test.setTimeout(120_000);
  // five methods on 4 folds: the learners and the RITML family take some seconds on WASM, Euclidean none
  await openLab(page, info, smallNotebook({ methods: ['euclidean', 'svm', 'ritml', 'w0-ritml'], folds: 4 }));
  await page.evaluate(SAMPLER);
  const runAll = page.getByTestId('run-all');
  await runAll.click();
  const exp = page.getByTestId('cell-experiment');
  // the Euclidean row is there while the run still goes: the progress bar is shown and below 100 %
  await expect(exp.locator('tr[data-method="euclidean"] td[data-mean]').first()).toBeVisible({ timeout: 60_000 });
  await expect(exp.locator('td.pending').first()).toBeVisible();
  await expect(runAll).toBeEnabled({ timeout: 100_000 });
  await expect(exp.getByTestId('experiment-output').locator('td[data-mean]')).toHaveCount(4 * 3);

  const samples = (await page.evaluate('window.__samples')) as Sample[];
  const during = samples.filter((s) => s.running && s.frac !== null);
  expect(during.length).toBeGreaterThan(10);
  const firstRow = during.find((s) => s.euclidean);
  expect(firstRow, 'a Euclidean row was visible while the run was going').toBeTruthy();
  expect(firstRow!.frac!).toBeLessThan(1);
  expect(firstRow!.pending, 'the other methods are marked running… / queued').toBeGreaterThan(0);
  // rows arrive one method after another, not all at the end
  const rowCounts = new Set(during.map((s) => s.rows));
  expect(rowCounts.size, `row counts seen while running: ${[...rowCounts].join(', ')}`).toBeGreaterThan(2);
  // one bar for the whole run: never backwards across stages
  for (let i = 1; i < during.length; i++) {
    expect(during[i].frac!, `progress went back at sample ${i} (${during[i - 1].stage} → ${during[i].stage})`).toBeGreaterThanOrEqual(during[i - 1].frac!);
  }
  const stages = new Set(during.map((s) => s.stage.replace(/^.*·\s*/, '').replace(/\s*\(.*$/, '')));
  expect(stages.size, `stages seen: ${[...stages].join(' | ')}`).toBeGreaterThan(1);
  // and it says how long is left once something was timed
  expect(during.some((s) => /left/.test(s.stage))).toBe(true);
});

test('pause, resume and cancel while SVM runs beside the RITML family; the next run completes', async ({ page }, info) => {
  test.setTimeout(150_000);
  await openLab(page, info, smallNotebook({ methods: ['euclidean', 'svm', 'ritml'], folds: 5 }));
  const runAll = page.getByTestId('run-all');
  const exp = page.getByTestId('cell-experiment');
  await runAll.click();
  await expect(exp.locator('td[data-pending="running"]').first()).toBeVisible({ timeout: 60_000 });
  await pauseResumeCancel(exp);
  await expect(exp.getByTestId('experiment-partial')).toHaveCount(0);
  await expect(runAll).toBeEnabled();
  await runAll.click();
  await expect(runAll).toBeEnabled({ timeout: 120_000 });
  await expect(exp.getByTestId('experiment-output').locator('td[data-mean]')).toHaveCount(3 * 3);
});
