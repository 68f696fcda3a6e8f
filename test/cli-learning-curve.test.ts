/** `similarity-lab experiment --train-fractions … --repeats R` (learning curves) as users run it: the built CLI. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtCli } from './built-cli';

const root = join(__dirname, '..');
const SYN = [
  'experiment',
  '--features',
  'public/data/synthetic/features.csv',
  '--judgments',
  'public/data/synthetic/votes.csv',
  '--users',
  'public/data/synthetic/users.csv',
  '--group-by',
  'age_group',
];
const cli = builtCli();
const run = (args: string[]) => spawnSync(process.execPath, [cli.bin(), ...args], { cwd: root, encoding: 'utf8' });

describe('CLI experiment --train-fractions', () => {
  it('prints a table per group and writes rows with fraction and trainConstraints beside method, group, mean, sd, folds', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'simlab-curve-')), 'curve.json');
    const args = ['--groups', '>25', '--methods', 'euclidean,ritml,w0-ritml', '--folds', '3', '--gamma-grid', '1', '--quiet'];
    const res = run([...SYN, ...args, '--train-fractions', '0.1,1', '--repeats', '2', '--json', out]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/group >25\n\s*fraction\s+train\s+Euclidean\s+RITML\s+W0-RITML\s+W0-RITML − RITML \[95% CI\]/);
    expect(res.stdout).toMatch(/\n\s+0\.1\s+\d+\s+\d+\.\d\d ± \d+\.\d\d .* [+−]\d+\.\d\d \[[+−]\d+\.\d\d, [+−]\d+\.\d\d\]\n/);
    expect(res.stdout).toMatch(/mean ± sd over 3 folds × 2 repeats/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.rows).toHaveLength(6);
    for (const r of json.rows) {
      expect(Object.keys(r).sort()).toEqual(['folds', 'fraction', 'group', 'mean', 'method', 'repeats', 'sd', 'trainConstraints']);
      expect(r.group).toBe('>25');
      expect(r.folds).toHaveLength(r.fraction === 1 ? 3 : 6);
      expect(Number.isInteger(r.trainConstraints)).toBe(true);
    }
    const tc = (f: number) => json.rows.find((r: { fraction: number }) => r.fraction === f).trainConstraints;
    expect(Math.abs(tc(0.1) - 0.1 * tc(1))).toBeLessThanOrEqual(1);
    expect(json.differences.map((d: { fraction: number; a: string; b: string }) => [d.fraction, d.a, d.b])).toEqual([
      [0.1, 'w0-ritml', 'ritml'],
      [1, 'w0-ritml', 'ritml'],
    ]);
    expect(json.meta.spec.folds).toBe(3);
  }, 60_000);

  it.each([
    [['--train-fractions', '0,0.5'], /--train-fractions must be fractions in \(0, 1\], got 0/],
    [['--train-fractions', '0.5,1.5'], /--train-fractions must be fractions in \(0, 1\], got 1\.5/],
    [['--train-fractions', '0.5,x'], /--train-fractions must be a number, got "x"/],
    [['--train-fractions', '0.5', '--repeats', '0'], /--repeats must be an integer ≥ 1, got "0"/],
    [['--repeats', '3'], /--repeats needs --train-fractions/],
    [['--train-fractions', '0.5', '--test', 'public/data/synthetic/votes.csv'], /cannot be combined with --test/],
  ])('refuses %j with exit status 2', (args, msg) => {
    const res = run([...SYN, ...args]);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(msg);
  });
});
