/**
 * The GPU conformance suite (test/gpu/conformance.ts) in headless Chromium: WebGPU (SwiftShader) in the
 * 'webgpu' project, WebGL2 (ANGLE on SwiftShader) in the 'webgl' project. Each case runs in
 * e2e/gpu-harness.html against the float64 core and must pass all its checks. The default cases take well
 * under 2 minutes per engine; TEST_LONG=1 adds the long ones (the ≥ 100-problem timbre batch;
 * on WebGL also precision, mixed and the per-step engine's ill-conditioned run). See conformance.ts.
 */
import { test, expect, type Page } from '@playwright/test';
import { CASES, casesFor, failures, type CaseResult, type GpuEngine } from '../test/gpu/conformance';
import { LONG } from './helpers';

// the long timbre batch takes minutes on SwiftShader, more than the config's 180 s default
const SLOW_MS = 540_000;

async function runCase(page: Page, backend: string, check: string, extra = ''): Promise<CaseResult> {
  const logs: string[] = [];
  page.on('console', (m) => logs.push(m.text()));
  await page.goto(`/e2e/gpu-harness.html?backend=${backend}&check=${check}${extra}`);
  await page.waitForFunction(() => window.__gpu !== undefined || window.__gpuError !== undefined, undefined, { timeout: SLOW_MS - 10_000, polling: 500 });
  const err = await page.evaluate(() => window.__gpuError);
  expect(err, `harness error (console: ${logs.slice(-5).join(' | ')})`).toBeUndefined();
  const r = (await page.evaluate(() => window.__gpu)) as CaseResult;
  console.log(`[${backend}/${check}${extra}] ${(r.ms / 1000).toFixed(1)} s`, JSON.stringify(r.data));
  return r;
}

test.describe('GPU conformance', () => {
  for (const c of CASES) {
    test(`${c.name}: ${c.doc}`, async ({ page }, info) => {
      const backend = info.project.name as GpuEngine;
      test.skip(!casesFor(backend, LONG).includes(c), `long on ${backend}: TEST_LONG=1 runs it`);
      if (c.longOn.length > 0) test.setTimeout(SLOW_MS);
      // long: WebGL's ill-conditioned case also with the per-step engine (two draws per step) the chunked one replaced
      const variants = backend === 'webgl' && c.name === 'ill' && LONG ? ['', '&chunk=1'] : [''];
      for (const extra of variants) {
        const r = await runCase(page, backend, c.name, extra);
        expect(r.backend).toBe(backend);
        expect(failures(r)).toEqual([]);
      }
    });
  }
});
