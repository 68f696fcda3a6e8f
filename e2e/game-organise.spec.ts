/**
 * The organiser's walk on play.html#organise (issue 14), one browser session: a session on the bundled tones
 * with small settings; its join link and QR code (the canvas decoded in the page with jsQR equals the link);
 * the session file; two devices' votes made here with simulated players (files, and part as a PNG of a votes
 * QR code read with jsQR), plus a duplicate file and a file of another session (each reported by name); the dashboard's counts and leaderboard against the same
 * computation in Node; the lab CSV download; the simulated players demo added (marked in the dashboard) and removed;
 * "Analyse in the lab" → the lab opens a notebook on the votes and the features, its Constraints cell shows the
 * age groups, its Experiment (the handoff's light settings: 5 folds, γ = C = 1, PCA to 6) gives rows for both
 * groups, and its Heatmaps cell draws each group's template W0, fine-tuned W and ΔW.
 */
import { readFileSync } from 'node:fs';
import { type Download, expect, type Page, test } from '@playwright/test';
import QRCode from 'qrcode';
import {
  createSession,
  encodeVotes,
  mergeBatches,
  parseSessionJson,
  playerId,
  type SessionSettings,
  type SimPlayer,
  simFeatures,
  simPlayerRecord,
  simSession,
  toLabCsv,
  votesToJson,
} from '../src/game';
import { dashboardOf } from '../src/ui/game/organiser/dashboard';
import { expectBackend, tableMeans } from './helpers';

const AGES = ['18–25', '36–45'];
const bots: SimPlayer[] = Array.from({ length: 6 }, (_, i) => ({
  id: playerId(`e2e-p${i}`),
  weights: i < 3 ? [4, 1, 0.1] : [0.1, 1, 4],
  noise: 0.05,
  timeoutRate: 0.05,
  randomRate: i === 5 ? 1 : 0,
  answers: { age: AGES[i < 3 ? 0 : 1], gender: 'rather not say' },
}));

/** the votes of two devices (bots 0–2 and 3–5; the second's first 5 votes as a photo of its QR code) of session `s`, and one device of another session */
async function deviceFiles(s: SessionSettings) {
  const votes = simSession(s, bots, 2, simFeatures(s.clipIds, 3, 'e2e'));
  const players = bots.map((b) => simPlayerRecord(s, b));
  const part = (k: number) => {
    const ids = new Set(bots.slice(3 * k, 3 * k + 3).map((b) => b.id as string));
    return { votes: votes.filter((v) => ids.has(v.player)), players: players.filter((p) => ids.has(p.id)) };
  };
  const a = part(0);
  const b = part(1);
  const other = createSession({ clipSetId: s.clipSetId, clipIds: s.clipIds, seed: 'other' });
  const ov = simSession(other, bots.slice(0, 2), 1, simFeatures(s.clipIds, 3, 'e2e'));
  const file = (name: string, text: string) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  return {
    votes,
    players,
    files: [
      file('device-A.json', votesToJson(s.id, a.votes, a.players)),
      file('device-B.json', votesToJson(s.id, b.votes.slice(5), b.players)),
      {
        name: 'device-B code.png',
        mimeType: 'image/png',
        buffer: await QRCode.toBuffer(encodeVotes(s.id, b.votes.slice(0, 5), b.players), { errorCorrectionLevel: 'L', width: 700 }),
      },
      file('device-A again.json', votesToJson(s.id, a.votes, a.players)),
      file('last-week.json', votesToJson(other.id, ov, [])),
    ],
    a,
    otherVotes: ov.length,
  };
}

async function downloadText(d: Download): Promise<string> {
  return readFileSync((await d.path()) as string, 'utf8');
}

async function setUp(page: Page): Promise<SessionSettings> {
  await page.goto('./play.html?backend=wasm#organise');
  await expect(page.getByTestId('session-setup')).toBeVisible();
  await page.getByTestId('clip-set').selectOption('tones');
  await expect(page.getByTestId('clip-count')).toContainText('27 clips');
  await page.getByTestId('session-name').fill('E2E workshop');
  await page.getByTestId('seed').fill('e2e-seed');
  await page.getByTestId('rounds').fill('0');
  await expect(page.getByTestId('rounds-error')).toContainText('Rounds per match: must be a whole number');
  await expect(page.getByTestId('save-session')).toBeDisabled();
  await page.getByTestId('rounds').fill('5');
  await page.getByTestId('vote-seconds').fill('20');
  await page.getByTestId('excerpt-seconds').fill('5');
  await page.getByTestId('catch-rate').fill('20');
  await page.getByTestId('save-session').click();
  await expect(page.getByTestId('join-qr')).toBeVisible();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-session-file').click()]);
  expect(dl.suggestedFilename()).toMatch(/^e2e-workshop-\d{4}-\d{2}-\d{2}-session\.json$/);
  return parseSessionJson(await downloadText(dl));
}

test('organiser: session, join QR, votes from files merged and reported, dashboard, lab CSV, Analyse in the lab', async ({ page }) => {
  test.setTimeout(90_000);
  const s = await setUp(page);
  expect(s).toMatchObject({
    name: 'E2E workshop',
    clipSetId: 'tones',
    seed: 'e2e-seed',
    roundsPerMatch: 5,
    voteSeconds: 20,
    excerptSeconds: 5,
    catchRate: 0.2,
  });
  expect(s.clipIds).toHaveLength(27);

  // the join link, and the QR code's canvas read back in the page
  const link = (await page.getByTestId('join-link').textContent())?.trim() ?? '';
  expect(link).toMatch(/\/play\.html#join=SLS1\.[A-Za-z0-9_-]+$/);
  const read = await page.evaluate(async () => {
    const path = '/src/ui/game/organiser/qr-read.ts'; // served by vite: jsQR as the page has it
    const { qrReader } = (await import(/* @vite-ignore */ path)) as typeof import('../src/ui/game/organiser/qr-read');
    const readQr = await qrReader();
    const c = document.querySelector('[data-testid="join-qr"]') as HTMLCanvasElement;
    const px = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height);
    return { text: readQr(px.data, px.width, px.height), width: c.getBoundingClientRect().width };
  });
  expect(read.text).toBe(link);
  expect(read.width).toBeGreaterThanOrEqual(300);
  await expect(page.getByTestId('address-warning')).toContainText('phones cannot open it');

  // five files at once: two devices (one partly as a QR code image), a duplicate, another session
  const dev = await deviceFiles(s);
  await page.getByTestId('votes-file-input').setInputFiles(dev.files);
  const log = page.getByTestId('import-log');
  await expect(page.getByTestId('import-result')).toHaveCount(5);
  await expect(log).toContainText('device-B code.png: 5 new votes.');
  await expect(log).toContainText(`device-A.json: ${dev.a.votes.length} new votes, 3 new players.`);
  await expect(log).toContainText(`device-A again.json: 0 new votes, ${dev.a.votes.length} already here (ignored).`);
  await expect(log).toContainText(`last-week.json: belongs to another session`);
  await expect(log).toContainText(`${dev.otherVotes} votes left out`);

  // the dashboard, against the same computation here
  const m = mergeBatches(s.id, [{ source: 'x', session: s.id, votes: dev.votes, players: dev.players }]);
  const d = dashboardOf(s, m);
  await expect(page.getByTestId('dash-votes')).toHaveText(String(dev.votes.length));
  await expect(page.getByTestId('dash-players')).toHaveText('6');
  await expect(page.getByTestId('dash-agreement')).toHaveText(String(d.agreementPoints));
  await expect(page.getByTestId('flagged-count')).toHaveText(String(d.flagged.length));
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(6);
  await expect(page.getByTestId('leaderboard-row').first().getByTestId('points')).toHaveText(String(d.leaderboard[0].points));
  await expect(page.getByTestId('dash-coverage')).toContainText(`Triplets in play: ${d.active};`);

  // the lab CSV: votes + users, named after the session and the date
  const lab = toLabCsv(s, m.votes, m.players);
  const downloads: Download[] = [];
  page.on('download', (x) => downloads.push(x));
  await page.getByTestId('export-lab').click();
  await expect.poll(() => downloads.length).toBe(2);
  const votesDl = downloads.find((x) => x.suggestedFilename().endsWith('-votes.csv')) as Download;
  expect(votesDl.suggestedFilename()).toMatch(/^e2e-workshop-\d{4}-\d{2}-\d{2}-votes\.csv$/);
  expect(await downloadText(votesDl)).toBe(lab.votesCsv);
  await expect(page.getByTestId('lab-counts')).toContainText(`${lab.exported} votes go into the analysis`);
  await expect(page.getByTestId('lab-group-by')).toHaveValue('age');

  // the simulated players demo: 2 × 3 bots play 3 matches each, marked in the dashboard, then removed again
  const demo = page.getByTestId('simulate-panel');
  await expect(demo.getByTestId('simulate-plan')).toContainText('PC1–PC2');
  await expect(demo.getByTestId('simulate-plan')).toContainText('first 6 principal components');
  await demo.getByTestId('simulate-count').fill('3');
  await demo.getByTestId('simulate-add').click();
  await expect(demo.getByTestId('simulate-message')).toHaveText(`Added 6 simulated players with ${6 * 3 * s.roundsPerMatch} votes.`);
  await expect(demo.getByTestId('simulated-count')).toHaveText('6');
  await expect(page.getByTestId('dash-votes')).toHaveText(String(dev.votes.length + 6 * 3 * s.roundsPerMatch));
  await expect(page.getByTestId('dash-players')).toHaveText('12');
  await expect(page.getByTestId('simulated-badge')).toHaveCount(12); // the device files' bots are simulated players too
  await demo.getByTestId('simulate-remove').click();
  await expect(demo.getByTestId('simulated-count')).toHaveCount(0);
  await expect(page.getByTestId('dash-votes')).toHaveText(String(dev.votes.length));
  await expect(page.getByTestId('lab-counts')).toContainText(`${lab.exported} votes go into the analysis`);

  // Analyse in the lab: a new notebook on the votes and the tones' features, grouped by age
  await page.getByTestId('analyse-in-lab').click();
  await page.waitForURL(/index\.html\?(?!.*from=game)/);
  await expectBackend(page, 'wasm');
  await expect(page.getByText('Opened the votes of "E2E workshop" from the listening game.')).toBeVisible();
  await expect(page.getByTestId('cell-note')).toContainText(`${lab.exported} votes`);
  await expect(page.getByTestId('cell-note')).toContainText('catch trial');
  await expect(page.getByTestId('n-clips')).toHaveText('27');
  await expect(page.getByTestId('n-judgments')).toHaveText(String(lab.exported));
  const cons = page.getByTestId('cell-constraints');
  await expect(cons.getByTestId('group-by')).toHaveValue('age');
  await cons.getByTestId('run-cell').click();
  const groups = cons.getByTestId('groups-table');
  await expect(groups).toContainText(AGES[0]);
  await expect(groups).toContainText(AGES[1]);

  // the experiment: every method has a finite score for both age groups
  const exp = page.getByTestId('cell-experiment');
  await expect(exp.getByTestId('pca')).toHaveValue('6');
  const t0 = Date.now();
  await exp.getByTestId('run-cell').click();
  await expect(exp.getByTestId('results-table')).toBeVisible({ timeout: 60_000 });
  await expect(exp.getByTestId('cell-status')).toHaveAttribute('data-status', 'fresh', { timeout: 60_000 });
  const means = await tableMeans(page);
  console.log(`game-organise: experiment ${Date.now() - t0} ms`);
  for (const m of ['euclidean', 'ritml', 'w0-ritml', 'svm', 'mlr']) for (const g of AGES) expect(Number.isFinite(means[`${m}|${g}`]), `${m}|${g}`).toBe(true);

  // the heatmaps: each group's template W0, fine-tuned W and their change, on the 6 components
  const heat = page.getByTestId('cell-heatmaps');
  for (const g of AGES) {
    await heat.getByTestId('heatmap-group').selectOption(g);
    for (const id of ['W0', 'W']) await expect(heat.getByTestId(`heatmap-${id}`)).toContainText(`group ${g}`);
    await expect(heat.getByTestId('heatmap-dW')).toContainText('ΔW = W − W0');
    await expect(heat.getByTestId('heatmap-W0').locator('.main-svg').first()).toBeVisible();
    await expect(heat.getByTestId('top-changes')).toContainText('PC');
  }
});
