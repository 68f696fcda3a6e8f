/** The bundled poster-like demo set (public/data/poster): chosen in the Data cell, it loads and shows its note. */
import { expect, test } from '@playwright/test';
import { makeCell } from '../src/ui/model';
import { openLab } from './helpers';

test('choosing the poster-sized set loads 175 clips in two age groups and shows the note beside the poster', async ({ page }, info) => {
  await openLab(page, info, [makeCell('data', { source: 'synthetic' }), makeCell('constraints', { groupBy: 'age_group' })]);
  const data = page.getByTestId('cell-data');
  await expect(data.getByTestId('poster-note')).toHaveCount(0);
  await data.getByTestId('data-source').selectOption('poster');
  await data.getByTestId('run-cell').click();
  await expect(data.getByTestId('n-clips')).toHaveText('175');
  const clips = Number(await data.getByTestId('n-clips').textContent());
  expect(clips).toBeGreaterThanOrEqual(170);
  expect(clips).toBeLessThanOrEqual(180);
  // two stated age groups; the 644 votes of players who gave no age are in neither
  await expect(data.locator('ul.attrs li', { hasText: 'age_group' })).toHaveText('age_group: <=25 (919), >25 (1183)');
  const note = data.getByTestId('poster-note');
  await expect(note).toContainText('Synthetic, not real listeners');
  await expect(note).toContainText('Not calibrated');
  const table = note.getByTestId('poster-note-table');
  await expect(table.locator('tbody tr')).toHaveCount(6);
  await expect(table.locator('tbody tr', { hasText: 'Euclidean' })).toContainText('59.32');
});
