/**
 * Time to the first result row and to the whole default notebook, as a newcomer sees it: headless Chromium
 * (Debian's, CHROMIUM_PATH, default /usr/bin/chromium) opens the lab with the automatic backend on a fresh
 * profile (the default notebook), presses Run all and records, in the page, when the first result cell of an
 * Experiment table is visible and when Run all is enabled again (the whole notebook done).
 *
 *   npx tsx bench/first-results.ts [N] [--runs=N] [--port=5183] [--server=preview|dev] [--no-build] [--backend=auto]
 *
 * `preview` (default) builds the site into bench/out/site and serves it with `vite preview`; `dev` uses the
 * dev server. Prints the backend that ran, the machine (os.cpus) and the medians over N runs (default 3);
 * writes bench/out/first-results.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { chromium, type Page } from 'playwright-core';
import { build, createServer, preview } from 'vite';
import { benchArgs } from './args';
import { median } from './cpu';

const { args } = benchArgs(process.argv.slice(2).filter((a) => a.startsWith('--')));
const positional = process.argv.slice(2).find((a) => /^\d+$/.test(a));
const runs = Number(positional ?? args.get('runs') ?? 3);
const port = Number(args.get('port') ?? process.env.E2E_PORT ?? 5183);
const mode = args.get('server') ?? 'preview';
const backendPref = args.get('backend') ?? 'auto';
const outDir = 'bench/out/site';

async function startServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = { host: '127.0.0.1', port, strictPort: true };
  if (mode === 'dev') {
    const s = await createServer({ server, logLevel: 'error' });
    await s.listen();
    return { url: `http://127.0.0.1:${port}/`, close: () => s.close() };
  }
  if (args.get('no-build') !== 'true') await build({ logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const s = await preview({ preview: server, build: { outDir }, logLevel: 'error' });
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((r) => s.httpServer.close(() => r())) };
}

interface RunTimes {
  backend: string;
  firstRowMs: number;
  /** the first row of a learned metric (not Euclidean) */
  firstLearnedMs: number;
  doneMs: number;
}

/** In the page: t0 at the click on Run all, then the first visible result cell and Run all enabled again. */
async function measure(page: Page): Promise<{ firstRowMs: number; firstLearnedMs: number; doneMs: number }> {
  // a string, not a function: tsx's keepNames would add a __name helper that the page does not have
  await page.evaluate(`(() => {
    const runAll = document.querySelector('[data-testid="run-all"]');
    const b = (window.__bench = { t0: 0 });
    runAll.addEventListener('click', () => (b.t0 = performance.now()), { capture: true, once: true });
    function tick() {
      const now = performance.now();
      if (b.t0 && b.first === undefined) {
        const td = document.querySelector('[data-testid="cell-experiment"] [data-testid="results-table"] td[data-mean]');
        if (td && td.offsetParent !== null) b.first = now - b.t0;
      }
      if (b.t0 && b.learned === undefined) {
        const td = document.querySelector('[data-testid="cell-experiment"] [data-testid="results-table"] tr:not([data-method="euclidean"]) td[data-mean]');
        if (td && td.offsetParent !== null) b.learned = now - b.t0;
      }
      if (b.t0 && b.first !== undefined && now - b.t0 > 300 && !runAll.disabled) {
        b.done = now - b.t0;
        return;
      }
      requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  })()`);
  await page.getByTestId('run-all').click();
  const h = await page.waitForFunction(
    '(window.__bench.done !== undefined ? { firstRowMs: window.__bench.first, firstLearnedMs: window.__bench.learned, doneMs: window.__bench.done } : null)',
    null,
    {
      timeout: 900_000,
      polling: 500,
    },
  );
  return (await h.jsonValue()) as { firstRowMs: number; firstLearnedMs: number; doneMs: number };
}

const srv = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--enable-unsafe-webgpu'],
});
const cpus = os.cpus();
const machine = `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${os.platform()} ${os.release()}, Chromium ${browser.version()}`;
console.log(`machine: ${machine}`);
const times: RunTimes[] = [];
try {
  for (let k = 0; k < runs; k++) {
    // a fresh profile each run: no autosaved notebook, so the page opens the default notebook
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(backendPref === 'auto' ? srv.url : `${srv.url}?backend=${backendPref}`);
    const active = page.getByTestId('active-backend');
    await active.waitFor({ state: 'attached', timeout: 60_000 });
    await page.waitForFunction(`document.querySelector('[data-testid="active-backend"]')?.getAttribute('data-backend')`, null, { timeout: 60_000 });
    const backend = (await active.getAttribute('data-backend')) ?? '?';
    const t = await measure(page);
    times.push({ backend, ...t });
    const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `run ${k + 1}/${runs} [${backend}]: first result row ${sec(t.firstRowMs)}, first learned-metric row ${sec(t.firstLearnedMs)}, whole notebook ${sec(t.doneMs)}`,
    );
    await ctx.close();
  }
} finally {
  await browser.close();
  await srv.close();
}
const summary = {
  date: new Date().toISOString(),
  machine,
  cpus: cpus.length,
  server: mode,
  backend: [...new Set(times.map((t) => t.backend))].join(', '),
  runs,
  medianFirstRowS: median(times.map((t) => t.firstRowMs)) / 1000,
  medianFirstLearnedS: median(times.map((t) => t.firstLearnedMs)) / 1000,
  medianDoneS: median(times.map((t) => t.doneMs)) / 1000,
  times,
};
console.log(
  `backend ${summary.backend}; median over ${runs} runs: first result row ${summary.medianFirstRowS.toFixed(1)} s, first learned-metric row ${summary.medianFirstLearnedS.toFixed(1)} s, whole default notebook ${summary.medianDoneS.toFixed(1)} s`,
);
mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/first-results.json', `${JSON.stringify(summary, null, 2)}\n`);
