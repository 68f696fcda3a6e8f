import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const cli = join(root, 'src', 'cli', 'main.ts');
const fx = join(root, 'test', 'fixtures', 'itml-identity');

function readMatrix(path: string): number[][] {
  return readFileSync(path, 'utf8').trim().split(/\r?\n/).map((l) => l.split(',').map(Number));
}

function run(args: string[]) {
  return spawnSync(tsx, [cli, ...args], { cwd: root, encoding: 'utf8' });
}

describe('CLI itml', () => {
  it('reproduces the golden Matlab ITML result to relative error ≤ 1e-9', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simlab-'));
    const out = join(dir, 'A.csv');
    const res = run(['itml', '--x', join(fx, 'X.csv'), '--constraints', join(fx, 'C.csv'), '--out', out]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/706 sweeps, 421482 projections, converged, 72\.36% satisfied/);
    const A = readMatrix(out);
    const ref = readMatrix(join(fx, 'A_octave.csv'));
    let num = 0, den = 0;
    for (let i = 0; i < ref.length; i++) for (let j = 0; j < ref.length; j++) {
      num += (A[i][j] - ref[i][j]) ** 2;
      den += ref[i][j] ** 2;
    }
    expect(Math.sqrt(num / den)).toBeLessThanOrEqual(1e-9);
  });
  it('rejects a bad constraints file with file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simlab-'));
    const bad = join(dir, 'C.csv');
    writeFileSync(bad, '1,2,1,3.5\n1,999,1,3.5\n');
    const res = run(['itml', '--x', join(fx, 'X.csv'), '--constraints', bad, '--out', join(dir, 'A.csv')]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/C\.csv, line 2/);
    expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
  it('explains missing arguments and unknown commands', () => {
    expect(run(['itml']).stderr).toMatch(/itml needs --x, --constraints and --out/);
    expect(run(['frobnicate']).stderr).toMatch(/unknown command "frobnicate"/);
  });
});

describe('CLI experiment', () => {
  it('writes the JSON layout with fractions and prints the table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simlab-'));
    execFileSync(tsx, [cli, 'generate', '--seed', '3', '--out', dir], { cwd: root });
    const json = join(dir, 'out.json');
    const res = run([
      'experiment', '--features', join(dir, 'features.csv'), '--judgments', join(dir, 'votes.csv'), '--users', join(dir, 'users.csv'),
      '--group-by', 'age_group', '--methods', 'euclidean,ritml,w0-ritml', '--folds', '3', '--gamma-grid', '1', '--seed', '5', '--json', json, '--quiet',
      '--params', '{"ritml":{"maxSweeps":10,"outer":3}}',
    ]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/method\s+<=25\s+>25\s+average/);
    expect(res.stdout).toMatch(/W0-RITML/);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.rows.length).toBe(9);
    for (const r of out.rows) {
      expect(r.mean).toBeGreaterThan(0);
      expect(r.mean).toBeLessThanOrEqual(1);
      expect(r.folds.length).toBe(3);
      expect(typeof r.train).toBe('number');
    }
    expect(out.meta.spec.seed).toBe(5);
    expect(out.meta.backend.id).toBe('cpu-f64');
    expect(out.comparisons.length).toBeGreaterThan(0);
    // the WebAssembly engine on two worker threads: the very same numbers
    const jsonW = join(dir, 'out-wasm.json');
    const resW = run([
      'experiment', '--features', join(dir, 'features.csv'), '--judgments', join(dir, 'votes.csv'), '--users', join(dir, 'users.csv'),
      '--group-by', 'age_group', '--methods', 'euclidean,ritml,w0-ritml', '--folds', '3', '--gamma-grid', '1', '--seed', '5', '--json', jsonW, '--quiet',
      '--params', '{"ritml":{"maxSweeps":10,"outer":3}}', '--backend', 'wasm', '--threads', '2',
    ]);
    expect(resW.status, resW.stderr).toBe(0);
    const outW = JSON.parse(readFileSync(jsonW, 'utf8'));
    expect(outW.meta.backend.id).toBe('wasm');
    expect(outW.meta.backend.precision).toBe('float64');
    // everything but the wall time of the fits
    const noTime = (rows: Record<string, unknown>[]) => rows.map(({ fitMs, ...r }) => (void fitMs, r));
    expect(noTime(outW.rows)).toEqual(noTime(out.rows));
  }, 120_000);
  it('rejects an unknown backend or accumulation by name instead of falling back silently', () => {
    const base = ['experiment', '--features', 'public/data/synthetic/features.csv', '--judgments', 'public/data/synthetic/votes.csv'];
    const a = run([...base, '--backend', 'cuda']);
    expect(a.status).toBe(1);
    expect(a.stderr).toMatch(/--backend must be cpu, wasm, webgpu or auto, got "cuda"/);
    const b = run([...base, '--backend', 'webgpu', '--gpu-accumulation', 'double']);
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/--gpu-accumulation must be pairs or float32, got "double"/);
  });
  it('reports a judgments file naming an unknown clip with its location', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simlab-'));
    writeFileSync(join(dir, 'f.csv'), 'id,x,y\na,1,2\nb,2,1\nc,0,0\n');
    writeFileSync(join(dir, 'j.csv'), 'anchor,near,far\na,b,c\na,b,zz\n');
    const res = run(['experiment', '--features', join(dir, 'f.csv'), '--judgments', join(dir, 'j.csv')]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/j\.csv, line 3, column "far"/);
  });
});
