/**
 * The GPU engine in headless Chromium: WebGPU (SwiftShader) in the 'webgpu' project, WebGL2 (ANGLE on
 * SwiftShader) in the 'webgl' project. Each check runs in e2e/gpu-harness.html against the float64 core.
 */
import { test, expect, type Page } from '@playwright/test';

async function runCheck(page: Page, backend: string, check: string, extra = ''): Promise<Record<string, any>> {
  const logs: string[] = [];
  page.on('console', (m) => logs.push(m.text()));
  await page.goto(`/e2e/gpu-harness.html?backend=${backend}&check=${check}${extra}`);
  await page.waitForFunction(() => window.__gpu !== undefined || window.__gpuError !== undefined, undefined, { timeout: SLOW_MS - 10_000, polling: 500 });
  const err = await page.evaluate(() => window.__gpuError);
  expect(err, `harness error (console: ${logs.slice(-5).join(' | ')})`).toBeUndefined();
  const r = (await page.evaluate(() => window.__gpu)) as Record<string, any>;
  console.log(`[${backend}/${check}]`, JSON.stringify({ ...r, info: undefined }));
  return r;
}

// WebGL has no workgroup memory: two draws per projection step (421,482 steps for the golden problem),
// which on SwiftShader takes minutes — more than the config's 180 s default.
const SLOW_MS = 540_000;

test.describe('GPU engine', () => {
  test.beforeEach(() => test.setTimeout(SLOW_MS));

  test('golden ITML problem to 1e-3 (identity prior)', async ({ page }, info) => {
    const backend = info.project.name;
    const r = await runCheck(page, backend, 'golden');
    expect(r.backend).toBe(backend);
    expect(r.precision).toBe('float32');
    expect(r.relErr).toBeLessThanOrEqual(1e-3);
    expect(Math.abs(r.satisfiedGpu - r.satisfiedRef) * 100).toBeLessThanOrEqual(0.5);
    expect(r.converged).toBe(true);
  });

  test('ill-conditioned prior (condition 1e6) stays positive definite', async ({ page }, info) => {
    const backend = info.project.name;
    const r = await runCheck(page, backend, 'ill');
    expect(r.backend).toBe(backend);
    expect(r.priorCondition).toBeGreaterThan(9e5);
    expect(r.positiveDefinite).toBe(true);
    expect(r.infoPd).toBe(true);
    expect(r.relErr).toBeLessThanOrEqual(1e-2);
    expect(Math.abs(r.satisfiedGpu - r.satisfiedRef) * 100).toBeLessThanOrEqual(0.5);
  });

  test('≥ 100 RITML problems (timbre studies × folds × γ) within 0.5 pt of float64 per fold', async ({ page }, info) => {
    const backend = info.project.name;
    // WebGL (two draws per projection step) gets shorter RITML runs: same problems, same parameters on both sides
    const r = await runCheck(page, backend, 'ritml', backend === 'webgl' ? '&outer=2&maxSweeps=4' : '');
    expect(r.backend).toBe(backend);
    expect(r.problems).toBeGreaterThanOrEqual(100);
    expect(r.allPd).toBe(true);
    expect(r.worstPt).toBeLessThanOrEqual(0.5);
  });
});
