/**
 * The GPU conformance suite (test/gpu/conformance.ts) on the WebGPU engine in Node (Dawn on SwiftShader).
 * Dawn finds SwiftShader only when the process STARTS with LD_LIBRARY_PATH / VK_ICD_FILENAMES set, so the
 * cases run in one child `tsx` process (test/gpu/node-webgpu-check.ts) with that environment; skipped
 * with a message when Chromium's SwiftShader is not installed. TEST_LONG=1 adds the long cases.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { swiftshaderEnv } from '../../src/gpu/node';
import { casesFor, failures, type CaseResult } from './conformance';

const haveSwiftShader = existsSync('/usr/lib/chromium/vk_swiftshader_icd.json');
if (!haveSwiftShader) console.warn('test/gpu: /usr/lib/chromium (SwiftShader Vulkan) missing — Node WebGPU checks skipped');

const cases = casesFor('webgpu', process.env.TEST_LONG === '1');
const CHILD_MS = 600_000;

describe.skipIf(!haveSwiftShader)('GPU conformance: WebGPU engine in Node (Dawn / SwiftShader)', () => {
  const results = new Map<string, CaseResult | { name: string; error: string }>();
  beforeAll(() => {
    const r = spawnSync('npx', ['tsx', 'test/gpu/node-webgpu-check.ts', ...cases.map((c) => c.name)], {
      env: swiftshaderEnv(),
      encoding: 'utf8',
      timeout: CHILD_MS,
      maxBuffer: 1 << 26,
    });
    for (const line of (r.stdout ?? '').split('\n')) {
      if (!line.startsWith('RESULT ')) continue;
      const res = JSON.parse(line.slice(7)) as CaseResult | { name: string; error: string };
      results.set(res.name, res);
    }
    if (results.size === 0)
      throw new Error(`the conformance child failed (exit ${r.status}):\n${(r.stderr ?? '').slice(-3000)}\n${(r.stdout ?? '').slice(-2000)}`);
  }, CHILD_MS + 20_000);

  for (const c of cases) {
    it(`${c.name}: ${c.doc}`, () => {
      const r = results.get(c.name);
      expect(r, `no result for case ${c.name}`).toBeDefined();
      if (r && 'error' in r) throw new Error(`case ${c.name} threw: ${r.error}`);
      const res = r as CaseResult;
      console.log(`[node webgpu/${c.name}] ${(res.ms / 1000).toFixed(1)} s`, JSON.stringify(res.data));
      expect(res.backend).toBe('webgpu');
      expect(res.description).toMatch(/swiftshader/i);
      expect(failures(res)).toEqual([]);
    });
  }
});
