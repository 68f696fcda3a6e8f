/**
 * The command line as users run it: the esbuild bundle (scripts/build-cli.mjs, built once here into a private
 * folder so the test never runs a stale dist-cli/), plus one run of the TypeScript sources through tsx.
 * Exit status: 1 for an input file or a failed run, 2 for a bad command line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtCli } from './built-cli';

const root = join(__dirname, '..');
const fx = join(root, 'test', 'fixtures', 'itml-identity');
const SYN = ['--features', 'public/data/synthetic/features.csv', '--judgments', 'public/data/synthetic/votes.csv'];
const cli = builtCli();

function readMatrix(path: string): number[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split(/\r?\n/)
    .map((l) => l.split(',').map(Number));
}

function run(args: string[]) {
  return spawnSync(process.execPath, [cli.bin(), ...args], { cwd: root, encoding: 'utf8' });
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'simlab-'));
}

function relError(A: number[][], ref: number[][]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < ref.length; i++)
    for (let j = 0; j < ref.length; j++) {
      num += (A[i][j] - ref[i][j]) ** 2;
      den += ref[i][j] ** 2;
    }
  return Math.sqrt(num / den);
}

const itmlArgs = (out: string, ...more: string[]) => ['itml', '--x', join(fx, 'X.csv'), '--constraints', join(fx, 'C.csv'), '--out', out, ...more];

describe('CLI itml', () => {
  it('reproduces the golden Matlab ITML result to relative error ≤ 1e-9, on WebAssembly by default and bit-identical on cpu', () => {
    const dir = tmp();
    const res = run(itmlArgs(join(dir, 'A.csv')));
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/itml: backend wasm \(float64/);
    expect(res.stderr).toMatch(/706 sweeps, 421482 projections, converged, 72\.36% satisfied/);
    expect(relError(readMatrix(join(dir, 'A.csv')), readMatrix(join(fx, 'A_octave.csv')))).toBeLessThanOrEqual(1e-9);
    const cpu = run(itmlArgs(join(dir, 'A-cpu.csv'), '--backend', 'cpu'));
    expect(cpu.status, cpu.stderr).toBe(0);
    expect(cpu.stderr).toMatch(/itml: backend cpu \(float64/);
    expect(readFileSync(join(dir, 'A-cpu.csv'), 'utf8')).toBe(readFileSync(join(dir, 'A.csv'), 'utf8'));
  });
  it('rejects a bad constraints file with file and line (exit 1)', () => {
    const dir = tmp();
    const bad = join(dir, 'C.csv');
    writeFileSync(bad, '1,2,1,3.5\n1,999,1,3.5\n');
    const res = run(['itml', '--x', join(fx, 'X.csv'), '--constraints', bad, '--out', join(dir, 'A.csv')]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/C\.csv, line 2/);
    expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
  it('names the prior file in every prior error (exit 1)', () => {
    const dir = tmp();
    const cases: [string, string | null, RegExp][] = [
      ['missing.csv', null, /cannot read prior file ".*missing\.csv": ENOENT/],
      ['small.csv', '1,0\n0,1\n', /prior file ".*small\.csv" is 2×2, expected 10×10/],
      ['text.csv', 'a,b\n', /text\.csv, line 1/],
      [
        'asym.csv',
        Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? 1 : i === 0 && j === 1 ? 0.5 : 0)).join(',')).join('\n'),
        /prior file ".*asym\.csv": metric is not symmetric/,
      ],
      [
        'indef.csv',
        Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? (i === 3 ? -1 : 1) : 0)).join(',')).join('\n'),
        /prior file ".*indef\.csv": cholesky: .*not positive definite/,
      ],
    ];
    for (const [name, text, msg] of cases) {
      if (text !== null) writeFileSync(join(dir, name), text);
      const res = run(itmlArgs(join(dir, 'A.csv'), '--prior', join(dir, name)));
      expect(res.status, name).toBe(1);
      expect(res.stderr, name).toMatch(msg);
    }
  });
  it('refuses bad flags by name (exit 2)', () => {
    const out = join(tmp(), 'A.csv');
    const cases: [string[], RegExp][] = [
      [['itml'], /itml needs --x, --constraints and --out/],
      [itmlArgs(out, '--max-sweeps', '2.5'), /--max-sweeps must be an integer ≥ 1, got "2\.5"/],
      [itmlArgs(out, '--max-sweeps', '0'), /--max-sweeps must be an integer ≥ 1, got "0"/],
      [itmlArgs(out, '--gamma', 'x'), /--gamma must be a number, got "x"/],
      [itmlArgs(out, '--backend', 'auto'), /--backend must be cpu, wasm or webgpu, got "auto"/],
      [itmlArgs(out, '--nosuch'), /Unknown option '--nosuch'/],
    ];
    for (const [args, msg] of cases) {
      const res = run(args);
      expect(res.status, args.join(' ')).toBe(2);
      expect(res.stderr, args.join(' ')).toMatch(msg);
    }
  });
});

describe('CLI entry', () => {
  it('prints the usage, with the default backend, and explains unknown commands', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/similarity-lab/);
    expect(help.stdout).toMatch(/--backend: wasm \(default/);
    expect(run(['itml', '--help']).status).toBe(0);
    expect(run([]).status).toBe(2);
    const unknown = run(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });
  it('runs from the TypeScript sources too (tsx src/cli/main.ts)', () => {
    const res = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'src', 'cli', 'main.ts'), '--help'], { cwd: root, encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Commands:/);
  });
});

describe('CLI experiment', () => {
  it('writes the JSON layout with fractions and prints the table; wasm (default), cpu and 2 threads agree exactly', () => {
    const dir = tmp();
    expect(run(['generate', '--seed', '3', '--out', dir]).status).toBe(0);
    const base = [
      'experiment',
      '--features',
      join(dir, 'features.csv'),
      '--judgments',
      join(dir, 'votes.csv'),
      '--users',
      join(dir, 'users.csv'),
      '--group-by',
      'age_group',
      '--methods',
      'euclidean,ritml,w0-ritml',
      '--folds',
      '3',
      '--gamma-grid',
      '1',
      '--seed',
      '5',
      '--quiet',
      '--params',
      '{"ritml":{"maxSweeps":10,"outer":3}}',
    ];
    const json = join(dir, 'out.json');
    const res = run([...base, '--json', json]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/experiment: backend wasm \(float64\)/);
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
    expect(out.meta.backend).toMatchObject({ id: 'wasm', precision: 'float64' });
    expect(out.comparisons.length).toBeGreaterThan(0);
    // everything but the wall time of the fits
    const noTime = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'fitMs')));
    for (const extra of [
      ['--backend', 'cpu'],
      ['--threads', '2'],
    ]) {
      const other = join(dir, 'other.json');
      const r2 = run([...base, '--json', other, ...extra]);
      expect(r2.status, r2.stderr).toBe(0);
      const o2 = JSON.parse(readFileSync(other, 'utf8'));
      expect(o2.meta.backend.id).toBe(extra[1] === 'cpu' ? 'cpu-f64' : 'wasm');
      expect(noTime(o2.rows), extra.join(' ')).toEqual(noTime(out.rows));
    }
  }, 180_000);
  it('refuses bad flag values by name before reading any data (exit 2)', () => {
    const cases: [string[], RegExp][] = [
      [['--backend', 'cuda'], /--backend must be cpu, wasm, webgpu or auto, got "cuda"/],
      [['--backend', 'webgpu', '--gpu-accumulation', 'double'], /--gpu-accumulation must be pairs or float32, got "double"/],
      [['--threads', '0'], /--threads must be an integer ≥ 1, got "0"/],
      [['--threads', '2.5'], /--threads must be an integer ≥ 1, got "2\.5"/],
      [['--folds', '2.5'], /--folds must be an integer ≥ 2, got "2\.5"/],
      [['--inner-folds', '1'], /--inner-folds must be an integer ≥ 2, got "1"/],
      [['--pca', '0'], /--pca must be an integer ≥ 1, got "0"/],
      [['--split', 'song'], /--split must be triplet or item, got "song"/],
      [['--params', '{'], /--params is not valid JSON/],
      [['--params', '[]'], /--params must be a JSON object/],
      [['--params', 'null'], /--params must be a JSON object/],
      [['--params', '{"nosuch":{"x":1}}'], /--params: unknown key "nosuch" \(allowed: euclidean, itml, .*protocol\)/],
      [['--params', '{"ritml":3}'], /--params: "ritml" must be an object/],
      [['--params', '{"ritml":{"maxSweep":10}}'], /--params: ritml has no parameter "maxSweep" \(known: .*maxSweeps/],
      [['--params', '{"svm":{"c":1}}'], /--params: svm has no parameter "c" \(known: C,/],
      [
        ['--params', '{"protocol":{"w0gamma":1}}'],
        /--params: protocol has no parameter "w0gamma" \(known: w0Method, w0Gamma, w0C, w0Select, w0Candidates, jointGamma\)/,
      ],
      [['--params', '{"euclidean":{"x":1}}'], /--params: euclidean has no parameter "x" \(it takes no parameters\)/],
    ];
    for (const [args, msg] of cases) {
      const res = run(['experiment', ...SYN, ...args]);
      expect(res.status, args.join(' ')).toBe(2);
      expect(res.stderr, args.join(' ')).toMatch(msg);
    }
  });
  it('accepts known parameters of every kind of key', () => {
    const res = run([
      'experiment',
      ...SYN,
      '--methods',
      'euclidean,svm',
      '--folds',
      '2',
      '--c-grid',
      '1',
      '--quiet',
      '--params',
      '{"svm":{"maxIter":5},"protocol":{"w0Gamma":1},"mlr-diag":{"C":1},"w0-ritml":{"outer":2}}',
    ]);
    expect(res.status, res.stderr).toBe(0);
  }, 60_000);
  it('reports a judgments file naming an unknown clip with its location (exit 1)', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'f.csv'), 'id,x,y\na,1,2\nb,2,1\nc,0,0\n');
    writeFileSync(join(dir, 'j.csv'), 'anchor,near,far\na,b,c\na,b,zz\n');
    const res = run(['experiment', '--features', join(dir, 'f.csv'), '--judgments', join(dir, 'j.csv')]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/j\.csv, line 3, column "far"/);
  });
});

describe('CLI experiment: fits that did not converge (issue 12 item 9)', () => {
  it('marks a failed SVM solve in the table, says so below it and in the JSON', () => {
    const dir = tmp();
    const gen = run(['generate', '--out', dir]);
    expect(gen.status, gen.stderr).toBe(0);
    // raw features × 1e12 without standardising: the SVM returns w = 0 without converging
    const lines = readFileSync(join(dir, 'features.csv'), 'utf8').trim().split('\n');
    const big = [
      lines[0],
      ...lines.slice(1).map((l) =>
        l
          .split(',')
          .map((c, i) => (i === 0 ? c : String(Number(c) * 1e12)))
          .join(','),
      ),
    ];
    writeFileSync(join(dir, 'big.csv'), `${big.join('\n')}\n`);
    const json = join(dir, 'r.json');
    const res = run([
      'experiment',
      '--features',
      join(dir, 'big.csv'),
      '--judgments',
      join(dir, 'votes.csv'),
      '--methods',
      'euclidean,svm',
      '--folds',
      '3',
      '--no-standardise',
      '--c-grid',
      '1',
      '--json',
      json,
    ]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^SVM +failed !$/m);
    expect(res.stdout).toMatch(/^! SVM, all: 3 of 3 fits did not converge \(all gave the zero metric: a failed solve\)/m);
    expect(res.stdout).not.toMatch(/euclidean − svm/);
    const r = JSON.parse(readFileSync(json, 'utf8'));
    expect(r.rows.find((x: { method: string }) => x.method === 'svm').notConverged).toEqual({ fits: 3, of: 3, zeroMetric: 3 });
    expect(r.rows.find((x: { method: string }) => x.method === 'euclidean').notConverged).toBeUndefined();
  });
});

describe('CLI features (issue 13, WAV)', () => {
  it('writes the feature table of a folder of WAV files, equal to the in-process pipeline, ids from the file names', async () => {
    const { encodeWav16, decodeWav } = await import('../src/audio/wav');
    const { analyseClip, DEFAULT_WINDOW } = await import('../src/audio/analyse');
    const { parseFeatures } = await import('../src/core/parse/features');
    const dir = tmp();
    const sr = 32000;
    const tone = (hz: number) => Float32Array.from({ length: sr * 2 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / sr));
    writeFileSync(join(dir, 'b-tone.wav'), encodeWav16([tone(330)], sr));
    writeFileSync(join(dir, 'a-tone.wav'), encodeWav16([tone(440), tone(440)], sr));
    const out = join(dir, 'features.csv');
    const res = run(['features', '--audio', dir, '--out', out]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/a-tone: 2\.00 s, 32000 Hz, 2 ch, PCM 16-bit; analysed 0\.00–2\.00 s/);
    const fs = parseFeatures(readFileSync(out, 'utf8'), out);
    expect(fs.ids).toEqual(['a-tone', 'b-tone']);
    const direct = analyseClip(decodeWav(readFileSync(join(dir, 'a-tone.wav')), 'a'), 'a', DEFAULT_WINDOW).values;
    expect(Array.from(fs.X.data.subarray(0, direct.length))).toEqual(Array.from(direct));
    // bad input: named, exit 1 / 2
    writeFileSync(join(dir, 'not.wav'), 'id,x\n');
    const bad = run(['features', '--audio', join(dir, 'not.wav'), '--out', out]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/not\.wav: not an audio file this decoder reads/);
    expect(run(['features', '--audio', dir, '--out', out, '--length', '0']).status).toBe(2);
  });
});
