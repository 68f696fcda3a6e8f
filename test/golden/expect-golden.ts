import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ComputeBackend } from '../../src/core/compute';
import { runExperiment } from '../../src/core/experiment';
import { canonical, GOLDEN_CASES, goldenPath } from './cases';

/** One vitest case per engine: the experiment's canonical result equals the pinned JSON exactly. */
export async function expectGolden(name: string, backend: ComputeBackend): Promise<void> {
  const c = GOLDEN_CASES.find((x) => x.name === name)!;
  const want = JSON.parse(readFileSync(goldenPath(name), 'utf8')).result;
  const got = JSON.parse(JSON.stringify(canonical(await runExperiment(c.data(), c.spec, backend))));
  expect(got).toEqual(want);
}
