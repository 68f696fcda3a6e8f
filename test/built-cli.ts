/**
 * The CLI as users run it: built once per test file into a temporary folder (removed afterwards).
 * `const cli = builtCli();` at the top of a test file, then `cli.bin()` in the tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export function builtCli(): { bin: () => string } {
  const root = join(__dirname, '..');
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'simlab-build-'));
    execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), '--outdir', dir], { cwd: root });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { bin: () => join(dir, 'similarity-lab.js') };
}
