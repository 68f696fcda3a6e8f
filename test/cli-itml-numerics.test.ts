/**
 * `similarity-lab itml` on scaled and degenerate inputs (issue 12 item 8), run from the TypeScript sources:
 * a bound error names the constraints file and row, skipped constraints on identical points are a warning,
 * and the golden problem scaled by 1e-12 (bounds by 1e-24) gives the golden sweeps and satisfied share.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const fx = join(root, 'test', 'fixtures', 'itml-identity');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const run = (args: string[]) => spawnSync(tsx, [join(root, 'src', 'cli', 'main.ts'), 'itml', ...args], { cwd: root, encoding: 'utf8' });
const lines = (path: string) => readFileSync(path, 'utf8').trim().split(/\r?\n/);

describe('CLI itml: scale and degenerate inputs', () => {
  it('X·1e-12 with bounds·1e-24 gives the golden 706 sweeps and 72.36 % satisfied, no warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simlab-scale-'));
    writeFileSync(
      join(dir, 'X.csv'),
      lines(join(fx, 'X.csv'))
        .map((l) =>
          l
            .split(',')
            .map((v) => Number(v) * 1e-12)
            .join(','),
        )
        .join('\n'),
    );
    const C = lines(join(fx, 'C.csv')).map((l) => l.split(','));
    writeFileSync(join(dir, 'C.csv'), C.map((c) => [c[0], c[1], c[2], Number(c[3]) * 1e-24].join(',')).join('\n'));
    const res = run(['--x', join(dir, 'X.csv'), '--constraints', join(dir, 'C.csv'), '--out', join(dir, 'A.csv'), '--backend', 'cpu']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/706 sweeps, 421482 projections, converged, 72\.36% satisfied/);
    expect(res.stderr).not.toMatch(/warning/);
  });

  it('a bound that is zero relative to the others names the constraints file and row (exit 1)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simlab-bound-'));
    const C = lines(join(fx, 'C.csv')).map((l) => l.split(','));
    C[4][3] = '1e-20';
    writeFileSync(join(dir, 'C.csv'), C.map((c) => c.join(',')).join('\n'));
    const res = run(['--x', join(fx, 'X.csv'), '--constraints', join(dir, 'C.csv'), '--out', join(dir, 'A.csv'), '--backend', 'cpu']);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/constraint 4 has bound 1e-20 .*row 5 of the constraints file ".*C\.csv"/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('constraints on identical points are skipped with a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simlab-dup-'));
    const X = lines(join(fx, 'X.csv'));
    writeFileSync(join(dir, 'X.csv'), [...X, X[0]].join('\n'));
    writeFileSync(join(dir, 'C.csv'), `${readFileSync(join(fx, 'C.csv'), 'utf8').trim()}\n1,${X.length + 1},-1,40\n`);
    const res = run(['--x', join(dir, 'X.csv'), '--constraints', join(dir, 'C.csv'), '--out', join(dir, 'A.csv'), '--backend', 'wasm', '--max-sweeps', '3']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/warning: 1 of 598 constraints join identical points and were skipped/);
  });
});
