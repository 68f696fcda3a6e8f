/**
 * Child process of node-webgpu.test.ts (needs the SwiftShader env at process start): runs conformance
 * cases (test/gpu/conformance.ts) on the WebGPU engine in Node (Dawn),
 *   npx tsx test/gpu/node-webgpu-check.ts golden precision ...
 * and prints one line `RESULT {json}` per case (a CaseResult, or { name, error }).
 */
import { readFileSync } from 'node:fs';
import { createNodeWebGpu } from '../../src/gpu/node';
import { caseNamed, type ConformanceEnv } from './conformance';

const backend = await createNodeWebGpu();
const env: ConformanceEnv = {
  backend,
  make: (tuning) => createNodeWebGpu(tuning),
  text: async (path) => readFileSync(path, 'utf8'),
};
for (const name of process.argv.slice(2)) {
  try {
    console.log('RESULT ' + JSON.stringify(await caseNamed(name).run(env)));
  } catch (e) {
    console.log('RESULT ' + JSON.stringify({ name, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) }));
  }
}
process.exit(0);
