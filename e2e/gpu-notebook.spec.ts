/**
 * One small notebook per GPU project (webgpu, webgl) that passes through every phase of an experiment on the
 * GPU engine: templates W0 on the complements, inner CV of γ over a two-value grid for RITML and W0-RITML,
 * the outer cross-validation fits, SVM and MLR with inner CV of C, the table and the three heatmaps. The data
 * are tiny (30 clips, 500 votes from src/core/synthetic.ts, loaded as the user's own files; PCA to 8 dimensions) so that it runs in
 * a minute or two on SwiftShader; the numbers are compared with the float64 reference computed here in Node.
 */
import { expect, test } from '@playwright/test';
import { makeCell } from '../src/ui/model';
import { cliExperiment, expectResultsAndHeatmaps, openLab, projectBackend, runAllAndWait, tableMeans, tinySyntheticFiles } from './helpers';

test('a small notebook passes through every phase of an experiment on the GPU engine', async ({ page }, info) => {
  test.setTimeout(600_000);
  const backend = projectBackend(info);
  const files = tinySyntheticFiles();
  const exp = makeCell('experiment', {
    methods: ['euclidean', 'svm', 'mlr', 'ritml', 'w0-ritml'],
    folds: 2,
    innerFolds: 2,
    seed: 3,
    pca: 8,
    gammaGrid: [0.1, 1],
    cGrid: [0.1, 1],
  });
  await openLab(page, info, [makeCell('data', { source: 'files' }), makeCell('constraints', { groupBy: 'age_group' }), exp, makeCell('heatmaps')]);
  const data = page.getByTestId('cell-data');
  for (const f of files) await data.getByTestId(`file-${f.name === 'votes.csv' ? 'judgments' : f.name.replace('.csv', '')}`).setInputFiles(f);
  await expect(data.getByTestId('n-clips')).toHaveText('30');
  const t0 = Date.now();
  await runAllAndWait(page, 540_000, backend);
  console.log(`[${backend}] small notebook Run all: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await expectResultsAndHeatmaps(page, backend, 5, ['<=25', '>25']);
  const ui = await tableMeans(page);

  // the CLI's float64 reference on the same files and spec
  const p = exp.params;
  const ref = cliExperiment(files, [
    '--features',
    'features.csv',
    '--judgments',
    'votes.csv',
    '--users',
    'users.csv',
    '--group-by',
    'age_group',
    '--methods',
    p.methods.join(','),
    '--folds',
    String(p.folds),
    '--inner-folds',
    String(p.innerFolds),
    '--seed',
    String(p.seed),
    '--gamma-grid',
    p.gammaGrid.join(','),
    '--c-grid',
    p.cGrid.join(','),
    '--pca',
    String(p.pca),
    '--backend',
    'wasm',
  ]);
  expect(Object.keys(ui).sort()).toEqual(ref.rows.map((r) => `${r.method}|${r.group}`).sort());
  for (const r of ref.rows) {
    const v = ui[`${r.method}|${r.group}`];
    // Euclidean, SVM and MLR are computed on the CPU in every backend: identical. The RITML family runs in
    // float32 on the GPU (W̃ as float32 pairs): a held-out decision near a tie may flip (≈ 1/80 per fold here).
    if (r.method === 'euclidean' || r.method === 'svm' || r.method === 'mlr') expect(v, `${r.method} ${r.group}`).toBe(r.mean);
    else expect(Math.abs(v - r.mean), `${r.method} ${r.group}: ${v} vs float64 ${r.mean}`).toBeLessThan(0.03);
  }
});
