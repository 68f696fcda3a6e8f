/**
 * WebGL engine benchmark in headless Chromium (ANGLE; on this machine ANGLE runs on SwiftShader, a CPU
 * Vulkan, so the times are not GPU times): the cost of one projection step for a batch of B synthetic
 * ITML problems (d features, m constraints, a fixed number of sweeps), for each chunk size K of the
 * chunked engine (K = 1: the per-step engine, two draws per step), and the draws per sweep.
 *
 *   npx tsx bench/webgl.ts [--B=1,40] [--d=8,30] [--m=320] [--sweeps=2] [--chunk=1,4,8,16] [--repeat=3]
 *                          [--backend=webgl] [--check=...]   (also: --check=ritml-large, or any case of test/gpu/conformance.ts, per K)
 *
 * Starts its own Vite server and Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium); each
 * configuration runs --repeat times on a fresh page (programs compiled in a warm-up fit), the median is
 * reported. Writes bench/out/webgl.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { benchArgs } from './args';
import { machineInfo, median } from './cpu';

const { args, list } = benchArgs();
const repeat = Number(args.get('repeat') ?? 3);
const backend = args.get('backend') ?? 'webgl';
const check = args.get('check') ?? 'steps';

const configs: Record<string, number>[] = [];
for (const K of list('chunk', '1,4,8,16')) {
  if (check !== 'steps') {
    configs.push({ chunk: K });
    continue;
  }
  for (const d of list('d', '8,30'))
    for (const B of list('B', '1,40')) configs.push({ B, d, m: Number(args.get('m') ?? 320), sweeps: Number(args.get('sweeps') ?? 2), chunk: K });
}

const server = await createServer({ server: { host: '127.0.0.1', port: 0 }, logLevel: 'error' });
await server.listen();
const addr = server.httpServer?.address();
const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-unsafe-webgpu',
    '--use-angle=swiftshader',
    '--enable-unsafe-swiftshader',
  ],
});
const rows: Record<string, unknown>[] = [];
let adapter = '';
try {
  for (const c of configs) {
    const runs: Record<string, number>[] = [];
    for (let r = 0; r < repeat; r++) {
      const page = await browser.newPage();
      const q = new URLSearchParams({ backend, check, ...Object.fromEntries(Object.entries(c).map(([k, v]) => [k, String(v)])) });
      await page.goto(`${base}/e2e/gpu-harness.html?${q}`);
      await page.waitForFunction(() => window.__gpu !== undefined || window.__gpuError !== undefined, undefined, { timeout: 900_000, polling: 200 });
      const err = await page.evaluate(() => window.__gpuError);
      if (err) throw new Error(`${q}: ${err}`);
      // steps: the probe's numbers; a conformance case: its CaseResult (ms, description, data)
      const raw = (await page.evaluate(() => window.__gpu)) as { description: string; ms: number; data?: Record<string, number> };
      adapter = raw.description;
      runs.push({ ...(raw as unknown as Record<string, number>), ...(raw.data ?? {}), ms: raw.ms });
      await page.close();
    }
    const row =
      check === 'steps'
        ? {
            ...c,
            msPerStep: median(runs.map((x) => x.msPerStep)),
            dispatchesPerSweep: median(runs.map((x) => x.dispatchesPerSweep)),
            runs: runs.map((x) => x.msPerStep),
          }
        : { ...c, ms: median(runs.map((x) => x.ms)), worstPt: Math.max(...runs.map((x) => x.worstPt)), runs: runs.map((x) => x.ms) };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  await browser.close();
  await server.close();
}
const machine = { ...machineInfo(), adapter };
mkdirSync('bench/out', { recursive: true });
writeFileSync('bench/out/webgl.json', JSON.stringify({ machine, backend, check, repeat, rows }, null, 2));
console.log(`\n${adapter}\n`);
if (check === 'steps') {
  console.log('| K | d | B | ms / step (median) | draws / sweep |\n|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(`| ${r.chunk} | ${r.d} | ${r.B} | ${(r.msPerStep as number).toFixed(3)} | ${(r.dispatchesPerSweep as number).toFixed(0)} |`);
} else {
  console.log('| K | ms (median) | worst fold (pt) |\n|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.chunk} | ${(r.ms as number).toFixed(0)} | ${r.worstPt} |`);
}
