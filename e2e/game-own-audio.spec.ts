/**
 * "Your audio from the lab" in the listening game (issues 13 + 14): four WAV files dropped on the lab's Data
 * cell become a clip set the game page offers (read from the lab's autosaved notebook and clip store, in this
 * browser); one round is played on this device from the stored bytes (a source starts); the organiser's page
 * says that a join link cannot serve own audio without a server and offers one-device play instead; Analyse in
 * the lab opens a notebook on the set's own features, its clip table included.
 */
import { expect, type Page, test } from '@playwright/test';
import { makeCell } from '../src/ui/model';
import { TONES, toneWav } from './audio-fixtures';
import { openLab } from './helpers';

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  },
});

/** Drop files on a drop zone (as from a file manager). */
async function dropFiles(page: Page, testId: string, files: { name: string; buffer: Buffer }[]): Promise<void> {
  const plain = files.map((f) => ({ name: f.name, b64: f.buffer.toString('base64') }));
  const dt = await page.evaluateHandle((fs) => {
    const dt = new DataTransfer();
    for (const f of fs) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: 'audio/wav' }));
    return dt;
  }, plain);
  await page.getByTestId('cell-data').getByTestId(testId).dispatchEvent('drop', { dataTransfer: dt });
}

/** Whether the lab's autosaved notebook (IndexedDB similarity-lab/state 'notebook') holds an audio manifest. */
const savedWithAudio = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<boolean>((resolve) => {
        const open = indexedDB.open('similarity-lab');
        open.onerror = () => resolve(false);
        open.onsuccess = () => {
          try {
            const req = open.result.transaction('state').objectStore('state').get('notebook');
            req.onsuccess = () => {
              const files = Object.values((req.result?.files ?? {}) as Record<string, { features?: { audio?: unknown } }>);
              open.result.close();
              resolve(files.some((f) => !!f.features?.audio));
            };
            req.onerror = () => resolve(false);
          } catch {
            resolve(false);
          }
        };
      }),
  );

test('own audio: analysed in the lab, chosen in the game, a round plays here; no join link without a server', async ({ page }, info) => {
  test.setTimeout(60_000);
  const t0 = Date.now();
  await openLab(page, info, [makeCell('data', { source: 'synthetic' })]);
  const data = page.getByTestId('cell-data');
  await data.getByTestId('data-source').selectOption('files');
  await dropFiles(
    page,
    'dropzone',
    TONES.slice(0, 4).map((t) => ({ name: t.name, buffer: toneWav(t, 1) })),
  );
  await expect(data.getByTestId('audio-report')).toContainText('Analysed 4 of 4 audio files', { timeout: 30_000 });
  await expect.poll(() => savedWithAudio(page), { timeout: 15_000 }).toBe(true);
  await page.screenshot({ path: info.outputPath('lab-header.png'), clip: { x: 0, y: 0, width: 1280, height: 220 } });

  // the game page offers the set under "Your audio from the lab"
  await page.goto('play.html');
  const own = page.getByTestId('own-sets');
  await expect(own).toContainText('Your audio from the lab');
  const choice = own.getByLabel(/features-from-audio\.csv, 4 clips/);
  await choice.check();
  await page.screenshot({ path: info.outputPath('own-audio-home.png'), fullPage: true });
  await page.getByText(/^Settings/).click();
  await page.getByTestId('rounds').fill('2');
  await page.getByTestId('play-here').click();
  await page.getByTestId('consent-yes').click();
  await page.getByTestId('answers-save').click();
  await page.getByTestId('enable-sound').click();
  const round = page.locator('section[data-testid=round]');
  await expect(round).toHaveAttribute('data-stage', 'round');
  await expect(page.getByTestId('seed')).toBeVisible();
  await expect(page.getByText(/your audio from the lab \(own:[0-9a-f]{14}\)/)).toBeVisible();
  await page.getByTestId('tile-1').getByRole('button').first().click();
  await expect(page.getByTestId('tile-1')).toHaveAttribute('data-playing', 'true');
  await page.keyboard.press('2');
  await expect(page.getByTestId('result')).toHaveAttribute('data-timeout', 'false');
  // a round may be a catch trial (about 1 in 15; player and match ids are random), whose vote never reaches the
  // lab: play the match's second round too, so at least one vote is analysed
  await page.getByTestId('next-round').click();
  await expect(round).toHaveAttribute('data-stage', 'round');
  await page.getByTestId('tile-2').getByRole('button').first().click();
  await page.keyboard.press('3');
  await expect(page.getByTestId('result')).toHaveAttribute('data-timeout', 'false');

  // the organiser's page: the session is this device's; no join link / QR, one-device play offered
  await page.goto('play.html#organise');
  await expect(page.getByTestId('clip-set')).toHaveValue(/^own:/);
  const join = page.getByTestId('own-audio-join');
  await expect(join).toContainText('No join link for your own audio without a server');
  await expect(page.getByTestId('join-qr')).toHaveCount(0);
  await expect(page.getByTestId('own-audio-play-here')).toHaveAttribute('href', '#play');
  await page.screenshot({ path: info.outputPath('own-audio-organiser.png'), fullPage: true });

  // Analyse in the lab: the notebook opens on this set's features (4 clips) with its clip table (the manifest came along)
  await page.goto('play.html?backend=wasm#organise');
  await page.getByTestId('analyse-in-lab').click();
  await page.waitForURL(/index\.html\?(?!.*from=game)/);
  await expect(page.getByTestId('n-clips')).toHaveText('4', { timeout: 30_000 });
  // two votes, one fewer if a round was a catch trial
  await expect(page.getByTestId('n-judgments')).toHaveText(/^[12]$/);
  await expect(page.getByTestId('cell-data').getByTestId('clip-row')).toHaveCount(4);
  console.log(`[own audio] lab → game round → organiser → lab in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});
