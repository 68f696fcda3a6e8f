/**
 * The listening game's player side (issue 14), on the bundled tones set with small settings (3 rounds, 8 s to
 * vote): home → play on this device → consent → questionnaire → enable sound → a round played by keys →
 * reload mid-match resumes at the next round with the earlier vote kept → a round left to time out is
 * recorded as a timeout → match end → next player. Also: 390 px phone with touch (targets ≥ 44 px, no
 * horizontal scroll), and the game page never loads tfjs or plotly.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { createSession, encodeSession } from '../src/game';

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'],
  },
});

interface Stored {
  votes: { round: number; choice: number | null; timeout: boolean; playOrder: number[]; player: string; match: string }[];
  players: { id: string; answers: Record<string, string | number>; consent: boolean }[];
  current: { session: string; player: string | null } | null;
}

/** The game's IndexedDB (db.ts: database similarity-lab-game, store game), read in the page. */
async function stored(page: Page): Promise<Stored> {
  return page.evaluate(
    () =>
      new Promise<Stored>((resolve, reject) => {
        const open = indexedDB.open('similarity-lab-game');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('game');
          const values = tx.objectStore('game').getAll();
          const keys = tx.objectStore('game').getAllKeys();
          tx.onerror = () => reject(tx.error);
          tx.oncomplete = () => {
            const byKey = new Map(keys.result.map((k, i) => [String(k), values.result[i]]));
            const pick = (prefix: string) => [...byKey].filter(([k]) => k.startsWith(prefix)).flatMap(([, v]) => v);
            open.result.close();
            resolve({ votes: pick('votes:'), players: pick('players:'), current: byKey.get('current') ?? null });
          };
        };
      }),
  );
}

async function startTones(page: Page, rounds: string, seconds: string) {
  await page.goto('play.html');
  await page.getByLabel(/Synthetic tones/).check();
  await page.getByText(/^Settings/).click();
  await page.getByTestId('rounds').fill(rounds);
  await page.getByTestId('vote-seconds').fill(seconds);
  await page.getByTestId('play-here').click();
  await expect(page.getByTestId('consent')).toBeVisible();
  await expect(page.getByTestId('seed')).toContainText('seed ');
}

test('a match on one device: keys, reload resumes, timeout, next player; no tfjs / plotly', async ({ page }) => {
  test.setTimeout(90_000);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await startTones(page, '3', '8');
  await page.getByTestId('consent-yes').click();
  await page.locator('#q-age').selectOption('26–35');
  await page.locator('[data-question=first_language]').getByLabel('rather not say').check();
  await page.getByTestId('answers-save').click();
  const gate = page.getByTestId('enable-sound');
  await expect(gate).toBeFocused();
  let db = await stored(page);
  expect(db.players).toHaveLength(1);
  expect(db.players[0].answers).toEqual({ age: '26–35', first_language: 'rather not say' });
  expect(db.current?.player).toBe(db.players[0].id);

  // round 1 by keys: Enter enables sound, space plays clip 1, 2 picks clip 2, Enter goes on
  await page.keyboard.press('Enter');
  const round = page.locator('section[data-testid=round]');
  await expect(round).toHaveAttribute('data-stage', 'round');
  await expect(round).toHaveAttribute('data-round', '0');
  await expect(page.getByRole('heading', { name: 'Round 1 of 3' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: /^Clip 1, not played yet/ })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('tile-1')).toHaveAttribute('data-playing', 'true');
  await expect(page.getByRole('button', { name: /^Clip 1, playing/ })).toBeVisible();
  await page.keyboard.press('2');
  const result = page.getByTestId('result');
  await expect(result).toHaveAttribute('data-timeout', 'false');
  await expect(result).toContainText(/\+\d+ points/);
  await expect(page.getByTestId('match-total')).toHaveText(/^\d+$/);
  await expect(page.getByTestId('next-round')).toBeFocused();
  db = await stored(page);
  expect(db.votes.map((v) => [v.round, v.choice, v.timeout, v.playOrder])).toEqual([[0, 1, false, [0]]]);

  // reload mid-match: resumes at round 2, the first vote kept
  await page.reload();
  await expect(page.getByTestId('sound-gate')).toContainText('round 2 of 3');
  await page.getByTestId('enable-sound').click();
  await expect(round).toHaveAttribute('data-stage', 'round');
  await expect(round).toHaveAttribute('data-round', '1');
  expect((await stored(page)).votes).toHaveLength(1);

  // round 2 left to time out (8 s)
  await expect(result).toHaveAttribute('data-timeout', 'true', { timeout: 15_000 });
  db = await stored(page);
  expect(db.votes.map((v) => [v.round, v.choice, v.timeout])).toEqual([
    [0, 1, false],
    [1, null, true],
  ]);
  expect(new Set(db.votes.map((v) => v.match)).size).toBe(1);
  await page.keyboard.press('Enter');

  // round 3, then the match's end
  await expect(round).toHaveAttribute('data-round', '2');
  await expect(round).toHaveAttribute('data-stage', 'round');
  await page.keyboard.press('3');
  await expect(page.getByTestId('next-round')).toHaveText('See the results');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('match-end')).toContainText('3 rounds recorded, 1 timeout');
  await expect(page.getByTestId('leaderboard').locator('tbody tr')).toHaveCount(1);

  await page.getByTestId('next-player').click();
  await expect(page.getByTestId('consent')).toBeVisible();
  db = await stored(page);
  expect(db.current?.player).toBeNull();
  expect(db.votes).toHaveLength(3);

  const heavy = requests.filter((u) => /tensorflow|tfjs|plotly/i.test(u));
  expect(heavy).toEqual([]);
});

test('390 px phone with touch: tiles and buttons ≥ 44 px, no horizontal scroll', async ({ browser }) => {
  test.setTimeout(60_000);
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await ctx.newPage();
  await startTones(page, '2', '30');
  await page.getByTestId('consent-yes').tap();
  await page.getByRole('button', { name: 'Skip the questions' }).tap();
  await page.getByTestId('enable-sound').tap();
  const round = page.locator('section[data-testid=round]');
  await expect(round).toHaveAttribute('data-stage', 'round');
  await page.getByRole('button', { name: /^Clip 2, not played yet/ }).tap();
  await expect(page.getByTestId('tile-2')).toHaveAttribute('data-playing', 'true');
  for (const b of await page.locator('main button:visible, main a:visible').all()) {
    const box = await b.boundingBox();
    const name = (await b.getAttribute('aria-label')) ?? (await b.textContent());
    expect.soft(box && Math.min(box.width, box.height), `${name}: ${JSON.stringify(box)}`).toBeGreaterThanOrEqual(44);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.getByRole('button', { name: 'Clip 2 is the odd one out' }).tap();
  await expect(page.getByTestId('result')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await ctx.close();
});

test('join link: the session is shown and stored; a clip that will not load is named and its round skipped without a vote; clips decode without the browser Opus decoder', async ({
  page,
}) => {
  test.setTimeout(60_000);
  // a browser that cannot decode Ogg Opus (older Safari): the game's own decoder takes over
  await page.addInitScript(() => {
    BaseAudioContext.prototype.decodeAudioData = () => Promise.reject(new DOMException('Unable to decode audio data', 'EncodingError'));
  });
  const csv = readFileSync('public/data/tones/clips.csv', 'utf8').trim().split('\n').slice(1);
  const settings = createSession({
    clipSetId: 'tones',
    clipIds: csv.map((l) => l.split(',')[0]),
    name: 'Workshop A',
    seed: 'w1',
    roundsPerMatch: 2,
    voteSeconds: 30,
  });
  const text = encodeSession(settings, { omitClipIds: true });
  await page.goto(`play.html#join=${text}`);
  await expect(page.getByTestId('join')).toContainText('Join “Workshop A”');
  await expect(page.getByTestId('join')).toContainText('Synthetic tones');
  await expect(page.getByTestId('join')).toContainText('27 clips · seed w1');
  await page.getByTestId('join-go').click();
  await page.getByTestId('consent-yes').click();
  await page.getByRole('button', { name: 'Skip the questions' }).click();
  await page.route('**/*.opus', (r) => r.abort());
  await page.getByTestId('enable-sound').click();
  await expect(page.getByTestId('load-problem')).toContainText('could not be loaded');
  await expect(page.locator('section[data-testid=round]')).toHaveAttribute('data-stage', 'round-loading');
  await page.getByTestId('skip-round').click();
  // round 2 loads once the network is back ("Try again")
  await expect(page.locator('section[data-testid=round]')).toHaveAttribute('data-round', '1');
  await page.unroute('**/*.opus');
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.locator('section[data-testid=round]')).toHaveAttribute('data-stage', 'round');
  await expect(page.getByTestId('announcer')).toHaveText('Round 2 of 2: the clips are ready. 30 seconds to vote.');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('tile-1')).toHaveAttribute('data-playing', 'true');
  await page.keyboard.press('1');
  await expect(page.getByTestId('announcer')).toContainText('You picked clip 1.');
  const db = await stored(page);
  expect(db.votes.map((v) => [v.round, v.choice])).toEqual([[1, 0]]);
  expect(db.current?.session).toBe(settings.id);
});
