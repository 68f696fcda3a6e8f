/**
 * `npm run build` gives a static site that works from a sub-path of a plain static server, and offline once
 * loaded (service worker). Built once into a temporary folder, served by a minimal Node file server.
 */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { encodeShare } from '../src/ui/model';
import { runAllAndWait, smallNotebook, tableMeans } from './helpers';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.csv': 'text/csv',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.md': 'text/markdown',
  '.txt': 'text/plain',
};
const SUB = '/deep/sub/path/lab/';
let root = '';
let server: Server;
let base = '';

test.beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'simlab-site-'));
  execFileSync(join(process.cwd(), 'node_modules/.bin/vite'), ['build', '--outDir', join(root, SUB), '--emptyOutDir', '--logLevel', 'error'], {
    stdio: 'inherit',
  });
  server = createServer((req, res) => {
    let p = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (p.endsWith('/')) p += 'index.html';
    try {
      const body = readFileSync(join(root, p));
      res.writeHead(200, { 'content-type': TYPES[extname(p)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}${SUB}`;
});

test.afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(root, { recursive: true, force: true });
});

// in the cpu project only (playwright.config.ts): the static build is the same for every backend
test('the built site works from a sub-path and offline once loaded', async ({ page, context }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}?backend=wasm#nb=${encodeShare({ cells: smallNotebook({ methods: ['euclidean', 'ritml'] }) })}`);
  await expect(page.getByTestId('active-backend')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  // rows appear one by one (issue 11): read the table once the run has finished
  await runAllAndWait(page);
  await expect(page.getByTestId('n-clips').first()).toHaveText('160', { timeout: 60_000 });
  await expect(page.locator('[data-testid="results-table"] td[data-mean]').first()).toBeVisible({ timeout: 120_000 });
  const online = await tableMeans(page);
  // the service worker has cached the build and the bundled data
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect.poll(() => page.evaluate(async () => (await caches.keys()).length), { timeout: 30_000 }).toBeGreaterThan(0);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('active-backend')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  // rows appear one by one (issue 11): read the table once the run has finished
  await runAllAndWait(page);
  await expect(page.getByTestId('n-clips').first()).toHaveText('160', { timeout: 60_000 });
  await expect(page.locator('[data-testid="results-table"] td[data-mean]').first()).toBeVisible({ timeout: 120_000 });
  expect(await tableMeans(page)).toEqual(online);
  await context.setOffline(false);
  expect(errors).toEqual([]);
});

// Issue 13: a reader who never opens a clip set or another data set downloads the app and the default data
// only; a set is kept for offline use when the page asks for it (src/ui/offline.ts → public/sw.js).
test('the first visit caches the app and the default data only; a set is cached when asked', async ({ page }) => {
  await page.goto(`${base}?backend=wasm`);
  await expect(page.getByTestId('active-backend')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const cached = async () =>
    page.evaluate(async () => {
      const out: { url: string; bytes: number }[] = [];
      for (const key of await caches.keys()) {
        const c = await caches.open(key);
        for (const req of await c.keys()) out.push({ url: req.url, bytes: (await (await c.match(req))!.arrayBuffer()).byteLength });
      }
      return out;
    });
  await expect.poll(async () => (await cached()).some((e) => e.url.endsWith('data/synthetic/votes.csv')), { timeout: 30_000 }).toBe(true);
  const first = await cached();
  const mb = first.reduce((a, e) => a + e.bytes, 0) / 2 ** 20;
  console.log(`first visit cached ${first.length} files, ${mb.toFixed(1)} MB`);
  expect(first.filter((e) => /data\/(timbre|instruments|tones)\//.test(e.url))).toEqual([]);
  expect(mb).toBeLessThan(8);
  await page.evaluate(() => {
    const url = new URL('data/timbre/items.csv', document.baseURI).href;
    navigator.serviceWorker.controller?.postMessage({ type: 'cache-urls', urls: [url] });
  });
  await expect.poll(async () => (await cached()).some((e) => e.url.endsWith('data/timbre/items.csv')), { timeout: 30_000 }).toBe(true);
});

// Issue 14 offline: play.html works offline once visited, and a bundled clip set chosen there is kept whole
// (src/ui/game/clip-source.ts cacheBundledSetForOffline → public/sw.js), so a round plays with no network.
test('the game page: the chosen clip set is cached, and a round plays offline after a reload', async ({ page, context }) => {
  test.setTimeout(60_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const t0 = Date.now();
  await page.goto(`${base}play.html`);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.getByLabel(/Synthetic tones/).check();
  await page.getByText(/^Settings/).click();
  await page.getByTestId('rounds').fill('2');
  await page.getByTestId('play-here').click();
  await expect(page.getByTestId('consent')).toBeVisible();
  // every file of the set, the page itself and the organiser's lazy chunk end up in the cache
  const tones = readFileSync(join(process.cwd(), 'public/data/tones/clips.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => `data/tones/${l.split(',')[1]}`);
  const want = [...tones, 'data/tones/clips.csv', 'data/tones/features.csv', 'data/tones/SOURCE.md', 'play.html'];
  const cachedUrls = () =>
    page.evaluate(async () => {
      const out: string[] = [];
      for (const key of await caches.keys()) for (const req of await (await caches.open(key)).keys()) out.push(req.url);
      return out;
    });
  await expect
    .poll(
      async () => {
        const have = new Set(await cachedUrls());
        return want.filter((p) => !have.has(base + p));
      },
      { timeout: 30_000 },
    )
    .toEqual([]);
  expect((await cachedUrls()).some((u) => /assets\/OrganiserView-[^/]*\.js$/.test(u))).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('consent-yes').click();
  await page.getByTestId('answers-save').click();
  await page.getByTestId('enable-sound').click();
  await expect(page.locator('section[data-testid=round]')).toHaveAttribute('data-stage', 'round');
  await page.getByTestId('tile-1').getByRole('button').first().click();
  await expect(page.getByTestId('tile-1')).toHaveAttribute('data-playing', 'true');
  // the organiser's page (a lazy chunk) opens offline too
  await page.evaluate(() => {
    location.hash = '#organise';
  });
  await expect(page.getByTestId('organiser')).toBeVisible();
  await context.setOffline(false);
  console.log(`[static site] play.html offline round in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  expect(errors).toEqual([]);
});
