/**
 * A newcomer's own data, in one browser session: the demo runs, then "Your own files" replaces it as a set
 * (one file at a time and all three at once), an incomplete or inconsistent set blocks Run all, the previous
 * set comes back with one click (also after a reload), group-by offers only the loaded data's attributes, and
 * small data is warned about before the run. The files are written here: 6 clips, 40 votes, a users file with
 * `occupation` but no `age_group`. Screenshots of each step go to the test's output folder.
 */
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { openLab, runAllAndWait, smallNotebook, tableMeans } from './helpers';

const CLIPS = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
const POS: Record<string, [number, number]> = { k1: [0, 0], k2: [1, 0], k3: [0, 1], k4: [5, 5], k5: [6, 5], k6: [5, 7] };
const dist = (a: string, b: string) => Math.hypot(POS[a][0] - POS[b][0], POS[a][1] - POS[b][1]);

/** every triplet of the six clips voted twice, the first ten by the two students, the other ten by the two teachers: the odd one is farthest from the other two */
function votes(): string {
  const rows = ['a,b,c,odd,user'];
  let k = 0;
  for (let i = 0; i < 6; i++)
    for (let j = i + 1; j < 6; j++)
      for (let l = j + 1; l < 6; l++) {
        const t = [CLIPS[i], CLIPS[j], CLIPS[l]];
        const odd = t.reduce((best, x) => (t.reduce((s, y) => s + dist(x, y), 0) > t.reduce((s, y) => s + dist(best, y), 0) ? x : best));
        const [u, v] = k < 10 ? ['w1', 'w2'] : ['w3', 'w4'];
        rows.push(`${t.join(',')},${odd},${u}`, `${t.join(',')},${odd},${v}`);
        k++;
      }
  return `${rows.join('\n')}\n`;
}

const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
const FEATURES = csv('my-features.csv', `id,x,y,z\n${CLIPS.map((c, i) => `${c},${POS[c][0]},${POS[c][1]},${(i * 3) % 4}`).join('\n')}\n`);
const JUDGMENTS = csv('my-votes.csv', votes());
const USERS = csv('my-users.csv', 'user,occupation\nw1,student\nw2,student\nw3,teacher\nw4,teacher\n');
const OTHER_FEATURES = csv('other-features.csv', 'id,x\nq1,1\nq2,2\nq3,3\n');
const SYNTHETIC = 'Synthetic CASimIR-like votes (age groups)';
const OWN = 'your files (my-features.csv, my-votes.csv, my-users.csv)';

/** all three files dropped on the drop zone at once */
async function dropFiles(page: Page, zone: Locator, files: ReturnType<typeof csv>[]): Promise<void> {
  const plain = files.map((f) => ({ name: f.name, text: f.buffer.toString('utf8') }));
  const dt = await page.evaluateHandle((fs) => {
    const dt = new DataTransfer();
    for (const f of fs) dt.items.add(new File([f.text], f.name, { type: 'text/csv' }));
    return dt;
  }, plain);
  await zone.dispatchEvent('drop', { dataTransfer: dt });
}

async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });
}

test('own files replace the demo as a set, block runs while inconsistent, and the demo comes back with one click', async ({ page }, info) => {
  test.setTimeout(240_000);
  expect(JUDGMENTS.buffer.toString().trim().split('\n')).toHaveLength(41);
  await openLab(page, info, smallNotebook());
  const data = page.getByTestId('cell-data');
  const cons = page.getByTestId('cell-constraints');
  const exp = page.getByTestId('cell-experiment');
  const status = (cell: Locator) => cell.getByTestId('cell-status');

  // 1. the demo runs
  await runAllAndWait(page);
  await expect(page.getByTestId('results-table').locator('thead th')).toHaveText(['Method', '<=25', '>25', 'average']);
  const demo = await tableMeans(page);
  await shot(page, info, '01-demo-ran');

  // 2. "Your own files": nothing loaded yet, nothing downstream is up to date, the demo can come back
  await data.getByTestId('data-source').selectOption('files');
  await expect(data.getByTestId('restore-previous')).toHaveText(`Restore previous data: ${SYNTHETIC}`);
  await expect(data.getByTestId('data-set-problem')).toContainText('No files yet');
  await expect(status(data)).toHaveAttribute('data-status', 'idle');
  await expect(status(exp)).toHaveAttribute('data-status', 'stale');
  await expect(cons.getByTestId('blocked-by-data')).toContainText('Waiting for the Data cell [1]');
  await shot(page, info, '02-own-files-chosen');

  // 3. one file at a time: each is checked against the files of the new set, never against the synthetic ones
  await data.getByTestId('file-judgments').setInputFiles(JUDGMENTS);
  await expect(data.getByTestId('data-set-problem')).toContainText('Missing a features file');
  await expect(data.getByTestId('data-set-problem')).toContainText('loaded so far: judgments: my-votes.csv');
  await data.getByTestId('file-features').setInputFiles(OTHER_FEATURES);
  const problem = data.getByTestId('data-set-problem');
  await expect(problem).toContainText('my-votes.csv and other-features.csv do not belong together: my-votes.csv, line 2, column "a": clip "k1"');
  await expect(problem).toContainText('other-features.csv has the clips "q1", "q2", "q3"');
  await expect(data.getByTestId('data-error')).toHaveCount(0);
  await shot(page, info, '03-inconsistent-set');

  // Run all computes nothing while the set is inconsistent: the Data cell shows why, the results stay those of the demo (stale)
  await page.getByTestId('run-all').click();
  await expect(status(data)).toHaveAttribute('data-status', 'error');
  await expect(data.getByText('This cell could not run:')).toBeVisible();
  await expect(page.getByTestId('run-all')).toBeEnabled();
  await expect(status(exp)).toHaveAttribute('data-status', 'stale');
  await expect(status(cons)).toHaveAttribute('data-status', 'stale');
  expect(await tableMeans(page)).toEqual(demo);
  await shot(page, info, '04-run-all-blocked');

  // the right features, then the users file: a complete set, checked against itself
  await data.getByTestId('file-features').setInputFiles(FEATURES);
  await expect(data.getByTestId('data-set-ready')).toContainText('my-features.csv, my-votes.csv were checked against each other');
  await data.getByTestId('file-users').setInputFiles(USERS);
  await expect(data.getByTestId('data-set-ready')).toContainText('my-features.csv, my-votes.csv, my-users.csv');
  await expect(status(data)).toHaveAttribute('data-status', 'fresh');
  await expect(data.getByTestId('n-clips')).toHaveText('6');
  await expect(data.getByTestId('n-judgments')).toHaveText('40');
  await shot(page, info, '05-own-set-ready');

  // 4. group-by offers only the loaded data's attributes; the saved age_group is a problem, not kept silently
  const groupBy = cons.getByTestId('group-by');
  await expect(groupBy.locator('option')).toHaveText(['(no groups: all data)', 'occupation', 'age_group (not in the loaded data)']);
  await expect(groupBy.locator('option[value="age_group"]')).toBeDisabled();
  await expect(cons.getByTestId('group-by-problem')).toHaveText(
    'Group by: column age_group is not in my-users.csv or my-votes.csv; choose one of occupation, or no groups.',
  );
  await shot(page, info, '06-group-by-problem');
  await groupBy.selectOption('');
  await expect(cons.getByTestId('group-by-problem')).toHaveCount(0);

  // 5. small data, said before the run: 6 clips / 40 constraints in 10 folds → 4 per test fold, sd ≈ 25 points; 2 folds suggested
  await exp.getByTestId('folds').fill('10');
  await exp.getByTestId('folds').blur();
  const warn = cons.getByTestId('small-data-warning');
  await expect(warn).toHaveAttribute('data-sd', '25.0');
  await expect(warn).toHaveAttribute('data-suggested-folds', '2');
  await expect(warn).toContainText('Small data: 40 constraints on 6 clips; with 10 folds (Experiment cell [3]) a test fold holds about 4.0 constraints');
  await expect(warn).toContainText('±25 points');
  await expect(warn).toContainText('Use 2 folds (±11 points).');
  await shot(page, info, '07-small-data-warning');
  // by occupation, the smallest group has 20 constraints: ±35 points
  await groupBy.selectOption('occupation');
  await expect(warn).toHaveAttribute('data-sd', '35.4');
  await expect(warn).toContainText('the smallest group (student) has 20 constraints on 6 clips');
  await exp.getByTestId('folds').fill('2');
  await exp.getByTestId('folds').blur();
  await expect(warn).toHaveAttribute('data-sd', '15.8');

  // the experiment runs on the own files (in about a second: Run all may be enabled again before a check could see it disabled)
  await page.getByTestId('run-all').click();
  await expect(status(exp)).toHaveAttribute('data-status', /fresh|error/, { timeout: 120_000 });
  await expect(exp.getByText('This cell could not run:')).toHaveCount(0);
  await expect(page.getByTestId('results-table').locator('thead th')).toHaveText(['Method', 'student', 'teacher', 'average']);
  // the warning stays next to the folds it is about, from the Constraints cell's fresh counts
  await expect(exp.getByTestId('small-data-warning')).toHaveAttribute('data-sd', '15.8');
  await expect(status(exp)).toHaveAttribute('data-status', 'fresh');
  const own = await tableMeans(page);
  await shot(page, info, '08-own-results');

  // 6. undo: the demo set and its results are back (stale: the group-by is now occupation), and the own files can come back too
  await data.getByTestId('restore-previous').click();
  await expect(data.getByTestId('data-source')).toHaveValue('synthetic');
  await expect(data.getByTestId('restore-previous')).toHaveText(`Restore previous data: ${OWN}`);
  await expect(status(data)).toHaveAttribute('data-status', 'fresh');
  await expect(page.getByTestId('results-table').locator('thead th')).toHaveText(['Method', '<=25', '>25', 'average']);
  expect(await tableMeans(page)).toEqual(demo);
  await expect(status(exp)).toHaveAttribute('data-status', 'stale');
  await shot(page, info, '09-demo-restored');

  // the undo survives a reload like the rest of the notebook
  await expect(page.getByTestId('saved-at')).toContainText('Saved in this browser');
  await page.waitForTimeout(1_000);
  await page.goto('./?backend=wasm');
  await expect(page.getByTestId('restored')).toBeVisible();
  await expect(data.getByTestId('restore-previous')).toHaveText(`Restore previous data: ${OWN}`);
  await data.getByTestId('restore-previous').click();
  await expect(data.getByTestId('data-source')).toHaveValue('files');
  await expect(status(exp)).toHaveAttribute('data-status', 'fresh');
  expect(await tableMeans(page)).toEqual(own);
  await shot(page, info, '10-own-restored-after-reload');

  // 7. all three files dropped at once after the demo: they replace it as a set
  await data.getByTestId('restore-previous').click();
  await expect(data.getByTestId('data-source')).toHaveValue('synthetic');
  await dropFiles(page, data.getByTestId('dropzone'), [USERS, JUDGMENTS, FEATURES]);
  await expect(data.getByTestId('data-source')).toHaveValue('files');
  await expect(data.getByTestId('data-set-ready')).toContainText('my-features.csv, my-votes.csv, my-users.csv');
  await expect(data.getByTestId('n-clips')).toHaveText('6');
  await expect(data.getByTestId('restore-previous')).toHaveText(`Restore previous data: ${SYNTHETIC}`);
  await shot(page, info, '11-dropped-all-three');

  // 8. back to a bundled set by its menu: loaded by Load, the own files stay one click away
  await data.getByTestId('data-source').selectOption('synthetic');
  await expect(data.getByText(`Press Load to use “${SYNTHETIC}”.`)).toBeVisible();
  await expect(data.getByTestId('restore-previous')).toHaveText(`Restore previous data: ${OWN}`);
  await data.getByTestId('run-cell').click();
  await expect(status(data)).toHaveAttribute('data-status', 'fresh');
  expect(Number(await data.getByTestId('n-clips').textContent())).toBeGreaterThan(100);
  await shot(page, info, '12-bundled-again');

  // 9. "Your own files" chosen again right after: the files come back, not an empty set
  await data.getByTestId('data-source').selectOption('files');
  await expect(data.getByTestId('n-clips')).toHaveText('6');
  await expect(data.getByTestId('restore-previous')).toHaveText(`Restore previous data: ${SYNTHETIC}`);

  // 10. the three files chosen at once in the file dialog ("All files at once"): each goes to the slot it fits
  await data.getByTestId('file-all').setInputFiles([USERS, JUDGMENTS, FEATURES]);
  await expect(data.getByTestId('data-source')).toHaveValue('files');
  await expect(data.getByTestId('data-set-ready')).toContainText('my-features.csv, my-votes.csv, my-users.csv');
  await expect(data.getByTestId('n-clips')).toHaveText('6');
});
