/**
 * The lab's UI behaviour in a real browser, once, on the `cpu` project: the WebAssembly float64 backend, forced
 * through ?backend=wasm (the GPU engines have their own specs: gpu.spec.ts, gpu-notebook.spec.ts). Every test
 * checks that the page shows that backend as the active one.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { makeCell } from '../src/ui/model';
import { cliExperiment, expectBackend, openLab, pauseResumeCancel, projectBackend, runAllAndWait, smallNotebook, tableMeans } from './helpers';

const SYN = 'public/data/synthetic';
const QUICK = ['euclidean', 'svm', 'ritml', 'w0-ritml'] as const;

test('the results equal the CLI for the same data, spec and seed, on both float64 backends', async ({ page }, info) => {
  test.setTimeout(400_000);
  const methods = [...QUICK];
  const cells = smallNotebook({ methods, folds: 3, seed: 7, gammaGrid: [1], cGrid: [1] });
  await openLab(page, info, cells);
  await runAllAndWait(page, 300_000);
  await expect(page.getByTestId('result-backend')).toContainText('wasm');
  const wasm = await tableMeans(page);
  const cli = cliExperiment(null, [
    '--features',
    `${SYN}/features.csv`,
    '--judgments',
    `${SYN}/votes.csv`,
    '--users',
    `${SYN}/users.csv`,
    '--group-by',
    'age_group',
    '--methods',
    methods.join(','),
    '--folds',
    '3',
    '--seed',
    '7',
    '--gamma-grid',
    '1',
    '--c-grid',
    '1',
    '--backend',
    'wasm',
  ]);
  expect(Object.keys(wasm).sort()).toEqual(cli.rows.map((r) => `${r.method}|${r.group}`).sort());
  // the page on the WebAssembly float64 engine gives the CLI's numbers exactly (the CLI runs the same engine: bit-identical to the JavaScript reference, 4× faster)
  for (const r of cli.rows) expect(wasm[`${r.method}|${r.group}`]).toBe(r.mean);
  // and so does the JavaScript float64 reference, chosen in the page
  await page.getByTestId('backend-select').selectOption('cpu');
  await expectBackend(page, 'cpu-f64');
  await page.getByTestId('cell-experiment').getByTestId('run-cell').click();
  await expect(page.getByTestId('result-backend')).toContainText('cpu-f64', { timeout: 300_000 });
  const exact = await tableMeans(page);
  for (const r of cli.rows) expect(exact[`${r.method}|${r.group}`]).toBe(r.mean);
});

test('a malformed file shows the located error and keeps the data loaded before', async ({ page }, info) => {
  await openLab(page, info, smallNotebook());
  const data = page.getByTestId('cell-data');
  await data.getByTestId('run-cell').click();
  await expect(data.getByTestId('cell-status')).toHaveAttribute('data-status', 'fresh');
  const clips = (await data.getByTestId('n-clips').textContent())!;
  const nFeatures = (await data.getByTestId('n-features').textContent())!;
  const nJudgments = (await data.getByTestId('n-judgments').textContent())!;
  expect(Number(clips)).toBeGreaterThan(0);
  await data.getByTestId('file-features').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('id,x,y\na,1,2\nb,2,oops\n') });
  const err = data.getByTestId('data-error');
  await expect(err).toContainText('bad.csv, line 3');
  await expect(err).toContainText('column "y"');
  await expect(data.getByTestId('n-clips')).toHaveText(clips);
  await expect(data.getByTestId('n-features')).toHaveText(nFeatures);
  // an unreadable judgments file (a clip twice in one vote) is refused the same way (a readable one would start a new
  // set of own files, checked against its own features: e2e/own-files.spec.ts)
  await data
    .getByTestId('file-judgments')
    .setInputFiles({ name: 'votes2.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,c,odd\nclip001,clip002,clip002,clip001\n') });
  await expect(data.getByTestId('data-error').last()).toContainText('votes2.csv, line 2');
  await expect(data.getByTestId('n-judgments')).toHaveText(nJudgments);
  // the experiment can still use the data loaded before
  await expect(data.getByTestId('cell-status')).toHaveAttribute('data-status', 'fresh');
  await expectBackend(page, projectBackend(info));
});

test('a long run can be paused, resumed and cancelled', async ({ page }, info) => {
  await openLab(page, info, smallNotebook({ methods: ['ritml', 'w0-ritml'], folds: 10, gammaGrid: [0.1, 1, 10] }));
  await page.getByTestId('run-all').click();
  const exp = page.getByTestId('cell-experiment');
  await expect(exp.getByTestId('progress')).toBeVisible({ timeout: 60_000 });
  await pauseResumeCancel(exp);
  await expect(exp.getByTestId('progress')).toHaveCount(0);
  // cancelled is not an error (issue 12 item 4), and the keyboard focus stays on a control of the cell
  await expect(exp.getByTestId('cell-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(exp.getByTestId('run-cell')).toBeFocused();
  await expect(page.getByTestId('run-all')).toBeEnabled();
  // the worker is usable again
  await expectBackend(page, projectBackend(info));
});

test('reload restores the notebook; a saved notebook file opens again', async ({ page }, info) => {
  test.setTimeout(400_000);
  await openLab(page, info, smallNotebook({ methods: [...QUICK], folds: 2, gammaGrid: [1] }));
  // page clock (saved-at is stamped in the page), taken when the run starts: the test itself may notice
  // the end of the run only seconds later on a loaded machine, so "now" after the run is no lower bound
  const started = await page.evaluate(() => Date.now());
  await runAllAndWait(page, 300_000);
  const before = await tableMeans(page);
  expect(Object.keys(before).length).toBeGreaterThan(0);
  // autosave writes the finished run: a save stamped after the run started (its results are checked after reload)
  await expect(page.getByTestId('saved-at')).toContainText('Saved in this browser');
  await expect.poll(async () => Date.parse((await page.getByTestId('saved-at').getAttribute('data-saved-at')) || '0')).toBeGreaterThanOrEqual(started);
  // reload (without the share link): autosave brings everything back
  await page.goto(`./?backend=${projectBackend(info)}`);
  await expect(page.getByTestId('restored')).toBeVisible();
  await expectBackend(page, projectBackend(info));
  expect(await tableMeans(page)).toEqual(before);
  await expect(page.getByTestId('cell-experiment').getByTestId('cell-status')).toHaveAttribute('data-status', 'fresh');
  // save as a file, erase everything, open the file again
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-zip').click()]);
  const path = await download.path();
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('erase').click();
  await expect(page.getByText('All data this app stored in your browser was erased.')).toBeVisible();
  await expect(page.getByTestId('results-table')).toHaveCount(0);
  await page.getByTestId('open-notebook-input').setInputFiles(path);
  await expect(page.getByTestId('results-table')).toBeVisible();
  expect(await tableMeans(page)).toEqual(before);
});

test('ids and feature names are shown as text, never as HTML', async ({ page }, info) => {
  const evil = '<img src=x onerror=alert(1)>';
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await openLab(page, info, [makeCell('data', { source: 'files' }), makeCell('note', { text: `note ${evil} <b>bold?</b>` })]);
  const data = page.getByTestId('cell-data');
  const features = `id,"<b>f1</b>",f2\n"${evil}",1,2\nb,2,1\nc,0,3\n`;
  await data.getByTestId('file-features').setInputFiles({ name: 'f.csv', mimeType: 'text/csv', buffer: Buffer.from(features) });
  await data.getByTestId('file-judgments').setInputFiles({ name: 'j.csv', mimeType: 'text/csv', buffer: Buffer.from(`anchor,near,far\n"${evil}",b,c\n`) });
  await expect(data.getByTestId('n-clips')).toHaveText('3');
  await data.getByText('Feature names and clip ids').click();
  await expect(data.getByTestId('clip-ids')).toContainText(evil);
  await expect(data.getByTestId('feature-names')).toContainText('<b>f1</b>');
  await expect(page.getByTestId('cell-note')).toContainText(evil);
  expect(await page.locator('img[src="x"], #root b').count()).toBe(0);
  expect(dialogs).toBe(0);
  await expectBackend(page, projectBackend(info));
});

test('no serious or critical accessibility violations', async ({ page }, info) => {
  test.setTimeout(400_000);
  // every cell kind on one page: data, constraints, experiment, heatmaps, transfer, learning curves, note
  const cells = [
    ...smallNotebook({ methods: [...QUICK], folds: 2, gammaGrid: [1] }),
    makeCell('transfer', { folds: 2 }),
    makeCell('curves', { methods: ['ritml', 'w0-ritml'], fractions: [0.5, 1], repeats: 1, folds: 2 }),
    makeCell('note', { text: '### Notes\nA *note*.' }),
  ];
  await openLab(page, info, cells);
  await runAllAndWait(page, 300_000);
  await expect(page.getByTestId('experiment-output').getByTestId('results-table')).toBeVisible();
  await expect(page.getByTestId('heatmaps').getByTestId('heatmap-dW')).toBeVisible();
  // its own table (one row per group), then the results table of its RITML / W0-RITML run
  await expect(page.getByTestId('transfer-output').locator('table').first().locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('curves-output').getByTestId('curve-chart').first().locator('.js-plotly-plot')).toHaveCount(1);
  await expect(page.getByTestId('cell-note').getByRole('heading', { name: 'Notes' })).toBeVisible();
  const res = await new AxeBuilder({ page }).analyze();
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${v.id}: ${v.help} (${v.nodes.length} nodes: ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')})`,
    ),
  ).toEqual([]);
});
