/**
 * Issue 12's probe kept as a test: damaged notebook files and hostile share links never blank the page,
 * never open a dialog or inject an element, and never lose the notebook the user had — it stays restorable.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { encodeShare, makeCell } from '../src/ui/model';
import { openLab, projectBackend, runAllAndWait, smallNotebook, tableMeans } from './helpers';

/** page errors and dialogs seen since `watch` */
function watch(page: Page): { errors: string[]; dialogs: string[] } {
  const seen = { errors: [] as string[], dialogs: [] as string[] };
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  return seen;
}

async function expectUsable(page: Page): Promise<void> {
  await expect(page.locator('#root')).not.toBeEmpty();
  await expect(page.getByTestId('erase')).toBeEnabled();
  await expect(page.getByTestId('run-all')).toBeVisible();
  expect(await page.locator('img[src="x"], script[data-evil]').count()).toBe(0);
}

test('damaged notebook files and hostile links: the page stays usable and the notebook with results comes back', async ({ page }, info) => {
  test.setTimeout(240_000);
  const seen = watch(page);
  await openLab(page, info, smallNotebook({ methods: ['euclidean', 'ritml'], folds: 2 }));
  await runAllAndWait(page, 200_000);
  const before = await tableMeans(page);
  expect(Object.keys(before).length).toBeGreaterThan(0);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-json').click()]);
  const good = JSON.parse(readFileSync((await dl.path())!, 'utf8'));
  const expId = good.cells.find((c: { kind: string }) => c.kind === 'experiment').id;

  // 1. files whose results are damaged: the result is left out with a message naming the field, the page stays
  const damaged: [string, (nb: typeof good) => void, RegExp][] = [
    ['p-null.json', (nb) => (nb.runs[expId].result.comparisons[0].p = null), /comparisons\[0\]\.p: expected a number, got null/],
    ['meta.json', (nb) => (nb.runs[expId].result.meta = { x: 1 }), /meta\.app: expected text/],
    ['rows.json', (nb) => (nb.runs[expId].result.rows = [1, 'x', null]), /rows\[0\]: expected an object, got 1/],
  ];
  for (const [name, hurt, message] of damaged) {
    const nb = structuredClone(good);
    if (name === 'p-null.json' && nb.runs[expId].result.comparisons.length === 0) continue;
    hurt(nb);
    await page.getByTestId('open-notebook-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(nb)) });
    await expect(page.getByText(/damaged and left out/)).toBeVisible();
    await expect(page.locator('details, .detail, [role="alert"], [role="status"]').filter({ hasText: message }).first()).toBeAttached();
    await expectUsable(page);
    await expect(page.getByTestId('results-table')).toHaveCount(0);
  }
  // 2. files refused as a whole (bad kinds, not a notebook): an error, the notebook on screen untouched
  for (const [name, text] of [
    ['proto.json', JSON.stringify({ ...good, cells: [{ ...good.cells[0], kind: '__proto__' }] })],
    ['tostring.json', JSON.stringify({ ...good, cells: [{ ...good.cells[0], kind: 'toString' }] })],
    ['not-json.json', '{"format": "similarity-lab-notebook", '],
  ] as const) {
    await page.getByTestId('open-notebook-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(page.getByText('That file could not be opened as a notebook.')).toBeVisible();
    await expectUsable(page);
  }
  // the notebook with results that the first damaged file replaced is one click away
  await expect(page.getByTestId('previous-notebook')).toBeVisible();
  await page.getByTestId('restore-previous-notebook').click();
  await expect(page.getByTestId('results-table')).toBeVisible();
  expect(await tableMeans(page)).toEqual(before);

  // 3. links: a hostile one is refused; a valid one opens, leaves the address bar, and keeps the notebook restorable
  const backend = projectBackend(info);
  const raw = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  for (const hash of ['#nb=%%%', `#nb=${raw({ v: 1, cells: [{ kind: '__proto__', params: {} }] })}`, `#nb=${raw({ v: 1, cells: [{ kind: 'toString' }] })}`]) {
    await page.goto(`./?backend=${backend}${hash}`);
    await expect(page.getByText('The shared link could not be opened; showing your saved notebook instead.')).toBeVisible();
    await expect(page.getByTestId('results-table')).toBeVisible();
    expect(page.url()).not.toContain('#nb=');
    await expectUsable(page);
  }
  await page.goto(`./?backend=${backend}#nb=${encodeShare({ cells: [makeCell('note', { text: 'from a link <img src=x onerror=alert(1)>' })] })}`);
  await expect(page.getByText('Opened the parameters from a shared link')).toBeVisible();
  expect(page.url()).not.toContain('#nb=');
  await expect(page.getByTestId('results-table')).toHaveCount(0);
  // a reload does not apply the link again, and the replaced notebook is still kept
  await page.reload();
  await expect(page.getByTestId('previous-notebook')).toBeVisible();
  await page.getByTestId('restore-previous-notebook').click();
  await expect(page.getByTestId('results-table')).toBeVisible();
  expect(await tableMeans(page)).toEqual(before);
  await expectUsable(page);
  expect(seen.dialogs).toEqual([]);
  expect(seen.errors).toEqual([]);
});
