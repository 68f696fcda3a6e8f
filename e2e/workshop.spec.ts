/**
 * A live workshop (issue 15) in real browsers: the site built into a temp folder, the workshop server started
 * here (startWorkshop: a temp SQLite file, the bundled tones, two seats, two rounds), two browser contexts
 * playing one match through /ws (consent, questionnaire, sound, waiting, rounds, results, match end) — the
 * first round both pick the same clip (10 points each), the second different ones (0); player B reloads its
 * page between the rounds and resumes with the same anonymous id; in round 2 the server is closed, A votes into
 * its outbox, the server starts again on the same file and port, and the vote is resent and acked after the
 * reconnect — while the organiser's page (a third context with the host token) shows both players and their votes.
 * Then the lab's Workshop data source (src/ui/workshop-source.ts) reads the votes live, before and after a second
 * match, survives a reload, asks another tab for the token, auto-refreshes, and keeps its votes without a server.
 */
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveClips } from '../src/server/clips';
import { startWorkshop, type Workshop, type WorkshopOptions } from '../src/server/server';

const TOKEN = 'e2e-host-token-5400';
let dir = '';
let w: Workshop;
let base = '';
let opts: WorkshopOptions;

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'],
  },
});

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'simlab-workshop-e2e-'));
  const dist = join(dir, 'dist');
  execFileSync(join(process.cwd(), 'node_modules/.bin/vite'), ['build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'error'], { stdio: 'inherit' });
  opts = {
    db: join(dir, 'workshop.sqlite'),
    clips: resolveClips('tones', [join(process.cwd(), 'public', 'data')]),
    port: 0,
    staticDir: dist,
    hostToken: TOKEN,
    log: () => undefined,
    timing: { waitMs: 60_000, resultMs: 1500 },
    session: { name: 'E2E workshop', seats: 2, roundsPerMatch: 2, voteSeconds: 30, catchRate: 0, seed: 'e2e' },
  };
  w = await startWorkshop(opts);
  base = `http://127.0.0.1:${w.port}`;
});

test.afterAll(async () => {
  await w?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A player opens the join link (or, `plain`, play.html without ?workshop=: the page asks GET /api/info). */
async function joinAs(browser: Browser, plain = false, ageBand = 1): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(plain ? `${base}/play.html` : `${base}/play.html?workshop=${encodeURIComponent(w.session().id)}`);
  await page.getByTestId('consent-yes').click();
  // different age bands: the lab's Workshop source has two groups to show
  await page.getByRole('combobox', { name: /^Age/ }).selectOption({ index: ageBand });
  await page.getByTestId('answers-save').click();
  await page.getByTestId('enable-sound').click();
  return { ctx, page, errors };
}

/** The round's clips as this player sees them, once its tiles can be picked. */
async function roundClips(page: Page, round: number): Promise<string[]> {
  const r = page.locator(`[data-testid="round"][data-round="${round}"]`);
  await expect(r).toBeVisible();
  await expect(page.getByTestId('tile-3').getByRole('button', { name: /odd one out/ })).toBeEnabled();
  return ((await r.getAttribute('data-clips')) ?? '').split(' ');
}

const pick = (page: Page, index: number) =>
  page
    .getByTestId(`tile-${index + 1}`)
    .getByRole('button', { name: /odd one out/ })
    .click();

async function expectResult(page: Page, round: number, points: number) {
  const r = page.getByTestId('live-result');
  await expect(r).toHaveAttribute('data-round', String(round));
  await expect(r).toHaveAttribute('data-points', String(points));
  await expect(r.locator('tr[data-you="true"]')).toHaveCount(1);
}

/** Votes in the page's outbox (IndexedDB similarity-lab-game / game / live-outbox). */
const outbox = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('similarity-lab-game');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('game').objectStore('game').get('live-outbox');
          get.onsuccess = () => resolve((get.result as unknown[] | undefined)?.length ?? 0);
          get.onerror = () => reject(get.error);
        };
      }),
  );

test('two players play a match through the workshop server; the organiser sees both', async ({ browser }) => {
  const t0 = Date.now();
  // the organiser first: the panel fills in as the players arrive
  const org = await browser.newContext();
  const op = await org.newPage();
  await op.goto(`${base}/play.html?workshop=${encodeURIComponent(w.session().id)}&backend=wasm#organise`);
  await expect(op.getByTestId('live-panel')).toBeVisible();
  await op.getByTestId('host-token').fill(TOKEN);
  await op.getByRole('button', { name: 'Connect' }).click();
  await expect(op.getByTestId('live-numbers')).toHaveAttribute('data-players', '0');
  await expect(op.getByTestId('live-join-links')).toContainText(`${base}/play.html?workshop=${encodeURIComponent(w.session().id)}`);

  const a = await joinAs(browser, true);
  await expect(a.page.getByTestId('live-waiting')).toHaveAttribute('data-waiting', '1');
  const b = await joinAs(browser, false, 3);

  // round 1: B picks the clip A picked (each sees its own order) → 10 points each
  const [ca, cb] = [await roundClips(a.page, 0), await roundClips(b.page, 0)];
  expect([...ca].sort()).toEqual([...cb].sort());
  await pick(a.page, 0);
  await expect(a.page.getByTestId('live-voted')).toBeVisible();
  await pick(b.page, cb.indexOf(ca[0]));
  await expectResult(a.page, 0, 10);
  await expectResult(b.page, 0, 10);
  await expect(a.page.locator('tr[data-you="false"]')).toHaveAttribute('data-pick', ca[0]);
  await expect(op.getByTestId('live-numbers')).toHaveAttribute('data-votes', '2');

  // B reloads between the rounds: same anonymous id (localStorage), no questions again, the match resumes
  const idBefore = await b.page.evaluate(() => localStorage.getItem('similarity-lab-live-player'));
  await b.page.reload();
  await b.page.getByTestId('enable-sound').click();
  expect(await b.page.evaluate(() => localStorage.getItem('similarity-lab-live-player'))).toBe(idBefore);

  // round 2: the server goes down; A picks meanwhile (kept in the outbox), the server comes back on the same
  // file and port, both reconnect, the round is served again, A's vote is sent and acked; different picks → 0 each
  const [da] = [await roundClips(a.page, 1), await roundClips(b.page, 1)];
  await w.close();
  await expect(a.page.getByTestId('live-conn')).toHaveAttribute('data-conn', 'retrying');
  await pick(a.page, 0);
  await expect(a.page.getByTestId('live-voted')).toBeVisible();
  await expect.poll(() => outbox(a.page)).toBe(1);
  w = await startWorkshop({ ...opts, port: Number(new URL(base).port) });
  await expect.poll(() => outbox(a.page), { timeout: 20_000 }).toBe(0);
  await expect(b.page.getByTestId('live-conn')).toHaveCount(0);
  const db = await roundClips(b.page, 1);
  await pick(
    b.page,
    db.findIndex((c) => c !== da[0]),
  );
  await expectResult(a.page, 1, 0);
  await expectResult(b.page, 1, 0);

  for (const p of [a.page, b.page]) {
    await expect(p.getByTestId('live-end-points')).toHaveText('10');
    await expect(p.getByTestId('live-leaderboard').locator('tbody tr')).toHaveCount(2);
  }
  // the organiser's page: both players, both rounds each, 4 votes
  await expect(op.getByTestId('live-numbers')).toHaveAttribute('data-votes', '4');
  await expect(op.getByTestId('live-numbers')).toHaveAttribute('data-players', '2');
  await expect(op.locator('[data-testid="live-org-leaderboard"] tbody tr[data-rounds="2"]')).toHaveCount(2);
  await expect(op.locator('[data-testid="live-org-leaderboard"]')).toContainText('10');
  // every vote acknowledged: the outboxes (IndexedDB) are empty
  for (const p of [a.page, b.page]) await expect.poll(() => outbox(p)).toBe(0);
  expect(w.db.players(w.session().id).map((p) => p.id)).toContain(idBefore);
  expect([...a.errors, ...b.errors]).toEqual([]);
  // Analyse in the lab: the server's votes (export votes-json) handed to the lab page, as the devices' votes are
  await op.getByTestId('live-analyse').click();
  await op.waitForURL(/index\.html\?(?!.*from=game)/);
  await expect(op.getByText('Opened the votes of "E2E workshop" from the listening game.')).toBeVisible();
  await expect(op.getByTestId('n-judgments')).toHaveText('4');
  test.info().annotations.push({ type: 'timing', description: `match through the server: ${Date.now() - t0} ms` });

  // the lab's Workshop data source, in this tab (same origin: the organiser's host token is in its sessionStorage)
  const t1 = Date.now();
  const cell = op.getByTestId('cell-data');
  await expect(cell.getByTestId('data-source').locator('option[value="workshop"]')).toHaveText(`Workshop: live votes (session ${w.session().id})`);
  await cell.getByTestId('data-source').selectOption('workshop');
  await expect(cell.getByTestId('workshop-fetched')).toHaveAttribute('data-votes', '4');
  await expect(cell.getByTestId('workshop-fetched')).toContainText('4 votes of 2 players. Left out: 0 catch trials, 0 timeouts');
  await expect(cell.getByTestId('n-judgments')).toHaveText('4');
  const cons = op.getByTestId('cell-constraints');
  await cons.getByTestId('run-cell').click();
  await expect(cons.getByTestId('constraints-overall')).toContainText('4 votes');
  await expect(cons.getByTestId('groups-table')).toBeVisible();
  // a second match: both players vote once more; "Fetch new votes and run all" reads the 2 new votes
  for (const p of [a.page, b.page]) await p.getByTestId('live-again').click();
  const [ea, eb] = [await roundClips(a.page, 0), await roundClips(b.page, 0)];
  await pick(a.page, 0);
  await pick(b.page, eb.indexOf(ea[0]));
  await expectResult(a.page, 0, 10);
  await cell.getByTestId('workshop-fetch-run').click();
  await expect(cell.getByTestId('workshop-fetched')).toHaveAttribute('data-votes', '6');
  await expect(cell.getByTestId('n-judgments')).toHaveText('6');
  await expect(op.getByTestId('run-all')).toBeEnabled({ timeout: 30_000 });
  await expect(cons.getByTestId('constraints-overall')).toContainText('6 votes');
  await expect(cons).toHaveClass(/is-fresh/);
  if (process.env.WORKSHOP_SHOTS) await cell.screenshot({ path: join(process.env.WORKSHOP_SHOTS, 'data-cell.png') });
  // the notebook remembers the source (autosaved: the token is not part of it); a reload keeps the votes
  await op.reload();
  await expect(cell.getByTestId('data-source')).toHaveValue('workshop');
  await expect(cell.getByTestId('n-judgments')).toHaveText('6');
  expect(await op.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(location.href))).not.toContain(TOKEN);
  // another tab without the token: the cell asks for it
  // (service workers blocked: page.route must see /api/info below)
  const lab2 = await browser.newContext({ serviceWorkers: 'block' });
  const lp = await lab2.newPage();
  await lp.goto(`${base}/index.html?backend=wasm`);
  await lp.getByTestId('cell-data').first().getByTestId('data-source').selectOption('workshop');
  if (process.env.WORKSHOP_SHOTS) await lp.getByTestId('workshop-token-form').screenshot({ path: join(process.env.WORKSHOP_SHOTS, 'token.png') });
  await lp.getByTestId('workshop-token').fill(TOKEN);
  await lp.getByRole('button', { name: 'Use the token' }).click();
  await expect(lp.getByTestId('workshop-fetched').first()).toHaveAttribute('data-votes', '6');
  const fetchedAt = Date.now();
  await expect.poll(async () => Date.parse((await lp.getByTestId('saved-at').getAttribute('data-saved-at')) || '0')).toBeGreaterThanOrEqual(fetchedAt - 50);
  // auto-refresh (off by default): after 10 s it fetches again; no new votes, so nothing is reloaded or run
  await expect(lp.getByTestId('workshop-auto').first()).toHaveValue('0');
  await lp.getByTestId('workshop-auto').first().selectOption('10');
  await expect(lp.getByTestId('workshop-fetched').first()).toContainText('no new votes since the last fetch', { timeout: 15_000 });
  await lp.getByTestId('workshop-auto').first().selectOption('0');
  // the notebook where no workshop server answers (simulated: /api/info refused): the cell says so, the votes stay
  await lp.route('**/api/info', (r) => r.fulfill({ status: 404, body: '' }));
  await lp.reload();
  await expect(lp.getByTestId('workshop-absent')).toContainText('no workshop server answers at this address');
  if (process.env.WORKSHOP_SHOTS)
    await lp
      .getByTestId('cell-data')
      .first()
      .screenshot({ path: join(process.env.WORKSHOP_SHOTS, 'absent.png') });
  await expect(lp.getByTestId('cell-data').first().getByTestId('n-judgments')).toHaveText('6');
  // the server goes away while the lab is open: a clear message, the data already loaded stays
  await w.close();
  await cell.getByTestId('workshop-fetch').click();
  await expect(cell.getByTestId('workshop-error')).toContainText('The workshop server does not answer');
  if (process.env.WORKSHOP_SHOTS) await cell.screenshot({ path: join(process.env.WORKSHOP_SHOTS, 'gone.png') });
  await expect(cell.getByTestId('n-judgments')).toHaveText('6');
  test.info().annotations.push({ type: 'timing', description: `lab workshop source: ${Date.now() - t1} ms` });
  await Promise.all([a.ctx.close(), b.ctx.close(), org.close(), lab2.close()]);
});
