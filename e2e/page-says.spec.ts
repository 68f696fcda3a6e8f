/**
 * What the page says (issue 11): the backend sentence, significance marks with their direction, readable
 * heatmaps at 30 features (the bundled synthetic set has 30), unique export names, and the notebook at 390 px
 * without horizontal page scroll. One small run (3 folds, γ = 1) serves the result checks.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectBackend, openLab, runAllAndWait, smallNotebook } from './helpers';

test('Automatic without a hardware GPU says so in one plain sentence; WebGL chosen by hand on a software adapter warns that it is slow', async ({ page }) => {
  await page.goto('./');
  const line = page.getByTestId('backend-line');
  await expect(page.getByTestId('active-backend')).not.toHaveAttribute('data-backend', '', { timeout: 60_000 });
  const id = await page.getByTestId('active-backend').getAttribute('data-backend');
  test.skip(id !== 'wasm', `this machine has a hardware GPU (${id})`);
  await expect(page.getByTestId('backend-sentence')).toHaveText(/^Computing with WASM float64 — no (hardware GPU found|GPU backend available here)/);
  await expect(line).toHaveAttribute('data-tone', 'ok');
  await expect(page.getByTestId('backend-sentence')).not.toContainText('CPU');
  await expect(page.locator('.warn')).toHaveCount(0);
  const soft = ((await page.getByTestId('backend-sentence').textContent()) ?? '').includes('software adapter');
  test.skip(!soft, 'no software GPU adapter in this browser to choose by hand');
  await page.getByTestId('backend-select').selectOption('webgl');
  await expectBackend(page, 'webgl');
  await expect(line).toHaveAttribute('data-tone', 'warn');
  await expect(line).toContainText('software GPU adapter');
  await expect(line).toContainText('will be slow');
});

/** Click an export button and return the download's file name and text. */
async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
}

test('results: direction marks, heatmaps readable at 30 features, unique export names, and 390 px without page scroll', async ({ page }, info) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await openLab(page, info, smallNotebook());
  await runAllAndWait(page);
  const table = page.getByTestId('results-table');

  // marks say the direction (▲ better than Euclidean here; ▼ is unit-tested in src/ui/charts/model.test.ts)
  const marks = table.locator('.sig');
  expect(await marks.count()).toBeGreaterThan(0);
  for (const m of await marks.all()) {
    const dir = await m.getAttribute('data-direction');
    await expect(m).toHaveText(dir === 'better' ? /^\s*▲\*{1,2}$/ : /^\s*▼\*{1,2}$/);
    await expect(m).toHaveAttribute('aria-label', new RegExp(`^significantly ${dir} than Euclidean`));
  }
  await expect(page.locator('.table-caption').first()).toContainText('▲ significantly better, ▼ significantly worse than Euclidean');
  await expect(page.getByTestId('results-chart').locator('figcaption')).toContainText('▼ one significantly worse than Euclidean');
  // numbers never wrap: every cell is one line high
  const heights = await table.locator('td').evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().height));
  expect(Math.max(...heights)).toBeLessThan(40);

  // heatmaps: 30 features, cells ≥ 12 px, W0 and W top-aligned side by side, tick labels ≥ 10 px
  const heat = page.getByTestId('heatmaps');
  await expect(heat.getByTestId('heatmap-dW').locator('.js-plotly-plot')).toHaveCount(1);
  const panels = heat.locator('[data-testid=heatmap-W0], [data-testid=heatmap-W], [data-testid=heatmap-dW]');
  const grids = await panels.locator('.nsewdrag').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  expect(grids.length).toBe(3);
  for (const g of grids) expect(g.width / 30).toBeGreaterThanOrEqual(12);
  expect(grids[1].x).toBeGreaterThan(grids[0].x); // side by side
  expect(Math.abs(grids[1].y - grids[0].y)).toBeLessThan(1);
  const fonts = await heat
    .getByTestId('heatmap-W0')
    .locator('.xtick text')
    .evaluateAll((ts) => ts.map((t) => Number.parseFloat(getComputedStyle(t).fontSize)));
  expect(Math.min(...fonts)).toBeGreaterThanOrEqual(10);

  // export names: the groups "<=25" and ">25" get le25 / gt25; the chart is named after its experiment; offdiag CSV without diagonal
  const chart = await download(page, () => page.getByRole('button', { name: 'Download results chart as PNG' }).click());
  expect(chart.name).toBe('results-age_group-3fold-seed7-ttest.png');
  const w0 = await download(page, () => heat.getByRole('button', { name: 'Download W0 heatmap as CSV' }).click());
  expect(w0.name).toBe('metric-le25-W0-offdiag.csv');
  const rows = w0.text
    .trim()
    .split('\n')
    .slice(1)
    .map((r) => r.split(','));
  expect(rows.every((r, i) => r[i + 1] === '')).toBe(true);
  expect(rows[0][2]).not.toBe('');
  await page.getByTestId('heatmap-group').selectOption('>25');
  const png = await download(page, () => heat.getByRole('button', { name: 'Download W0 heatmap as PNG' }).click());
  expect(png.name).toBe('metric-gt25-W0-offdiag.png');

  // 390 px: no horizontal page scroll; the table's average column and the heatmap options are reachable
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const avg = table.locator('thead th', { hasText: 'average' });
  await avg.scrollIntoViewIfNeeded();
  await expect(avg).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const raw = heat.getByRole('radio', { name: 'Raw' });
  await raw.scrollIntoViewIfNeeded();
  await expect(raw).toBeInViewport();
  await raw.check();
  await expect(heat.getByTestId('heatmap-W0')).toContainText('Template W0');
  const stacked = await panels.locator('.nsewdrag').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().y));
  expect(stacked[1]).toBeGreaterThan(stacked[0]); // panels stack
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
