/**
 * Rewrites the golden experiment results (test/golden/*.json) from the float64 JavaScript reference.
 * Run it only on purpose, when a change of numbers is intended and explained in the commit:
 *   npm run golden:update [-- name …]
 */
import { writeFileSync } from 'node:fs';
import { cpuBackend } from '../src/core/compute-cpu';
import { runExperiment } from '../src/core/experiment';
import { canonical, GOLDEN_CASES, goldenPath } from '../test/golden/cases';

const only = process.argv.slice(2);
for (const c of GOLDEN_CASES) {
  if (only.length && !only.includes(c.name)) continue;
  const t0 = performance.now();
  const r = await runExperiment(c.data(), c.spec, cpuBackend);
  writeFileSync(goldenPath(c.name), `${JSON.stringify({ case: c.name, what: c.what, result: canonical(r) }, null, 1)}\n`);
  process.stderr.write(`${c.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s → ${goldenPath(c.name)}\n`);
}
