/**
 * The whole command-line process (`npm run bench:cli`, after `npm run build:cli`): wall time from spawn to exit of
 *   - `node -e 0` (Node's own start, the floor),
 *   - `similarity-lab --help` (the built bundle's start),
 *   - `similarity-lab itml` on the golden ITML problem (test/fixtures/itml-identity; default backend: wasm),
 *   - the same through `tsx src/cli/main.ts itml --backend cpu`: the command line before it was built.
 * Runs are interleaved (one of each in turn) so that load from other processes spreads over all of them; the
 * children's CPU time (user + system, from /proc) is printed too, as it depends less on that load than wall time.
 * The goal compares the itml process with metric-learn's ITML fit alone on the same problem, 1.6 s: recorded,
 * not measured here (see BENCHMARKS.md §1a). Options: --runs=N (default 20), --tsx-runs=N (default 5).
 * Writes bench/out/cli.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './args';
import { machineInfo, median } from './cpu';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'dist-cli', 'similarity-lab.js');
const FX = join(ROOT, 'test', 'fixtures', 'itml-identity');
/** metric-learn 0.7.0's ITML fit on the golden problem, as recorded in BENCHMARKS.md §1 (not measured here). */
export const METRIC_LEARN_FIT_MS = 1600;

interface Case {
  name: string;
  cmd: string;
  args: string[];
  runs: number;
  ms: number[];
  fitMs: number[];
  /** CPU time (user + system) of the child processes, summed over the runs; NaN where /proc is missing */
  cpuMs: number;
}

/** User + system CPU time of this process's waited-for children (Linux /proc, clock ticks of 10 ms). */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) * 10; // cutime, cstime (fields 16 and 17)
  } catch {
    return NaN;
  }
}

function once(c: Case): void {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(c.cmd, c.args, { cwd: ROOT, encoding: 'utf8' });
  const ms = performance.now() - t0;
  c.cpuMs += childrenCpuMs() - cpu0;
  if (r.status !== 0) throw new Error(`${c.name} failed (${r.status}): ${r.stderr}`);
  c.ms.push(ms);
  const fit = /satisfied, ([\d.]+) ms/.exec(r.stderr);
  if (fit) c.fitMs.push(Number(fit[1]));
}

function row(c: Case): string {
  const fit = c.fitMs.length ? `${median(c.fitMs).toFixed(1)} ms` : '—';
  return `| ${c.name} | ${c.ms.length} | ${median(c.ms).toFixed(1)} ms | ${Math.min(...c.ms).toFixed(1)} ms | ${(c.cpuMs / c.ms.length).toFixed(0)} ms | ${fit} |`;
}

export function main(): void {
  const { args } = benchArgs();
  const runs = Number(args.get('runs') ?? 20);
  const tsxRuns = Number(args.get('tsx-runs') ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
  const itml = ['itml', '--x', join(FX, 'X.csv'), '--constraints', join(FX, 'C.csv'), '--out', join(dir, 'A.csv')];
  const node = process.execPath;
  const cases: Case[] = [
    { name: '`node -e 0`', cmd: node, args: ['-e', '0'], runs },
    { name: '`similarity-lab --help`', cmd: node, args: [BIN, '--help'], runs },
    { name: '`similarity-lab itml …` (wasm, the default)', cmd: node, args: [BIN, ...itml], runs },
    { name: '`similarity-lab itml … --backend cpu`', cmd: node, args: [BIN, ...itml, '--backend', 'cpu'], runs },
    {
      name: 'before: `tsx src/cli/main.ts itml … --backend cpu`',
      cmd: join(ROOT, 'node_modules', '.bin', 'tsx'),
      args: ['src/cli/main.ts', ...itml, '--backend', 'cpu'],
      runs: tsxRuns,
    },
  ].map((c) => ({ ...c, ms: [], fitMs: [], cpuMs: 0 }));
  const load0 = loadavg()[0];
  for (const c of cases) once(c); // warm-up: file cache
  for (const c of cases) {
    c.ms.length = c.fitMs.length = 0;
    c.cpuMs = 0;
  }
  for (let k = 0; k < runs; k++) for (const c of cases) if (k < c.runs) once(c);
  rmSync(dir, { recursive: true, force: true });
  const machine: Record<string, string | number> = { ...machineInfo(), loadavg1: `${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)}` };
  const itmlWasm = median(cases[2].ms);
  const before = median(cases[4].ms);
  const ratio = METRIC_LEARN_FIT_MS / itmlWasm;
  console.log(`# CLI process benchmark\n\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load average (1 min) ${machine.loadavg1}\n`);
  console.log('| process | runs | median wall | min wall | mean CPU (user + sys) | ITML fit inside (median) |\n|---|---:|---:|---:|---:|---:|');
  for (const c of cases) console.log(row(c));
  console.log(
    `\nmetric-learn's ITML fit alone (recorded, not measured here): ${METRIC_LEARN_FIT_MS} ms → whole process ${ratio.toFixed(1)}× faster ` +
      `(goal ≥ 20×; before, through tsx with the JavaScript engine: ${(METRIC_LEARN_FIT_MS / before).toFixed(1)}×)`,
  );
  const outDir = join(ROOT, 'bench', 'out');
  mkdirSync(outDir, { recursive: true });
  const report = {
    machine,
    metricLearnFitMs: METRIC_LEARN_FIT_MS,
    ratio,
    cases: cases.map(({ name, ms, fitMs, cpuMs }) => ({ name, medianMs: median(ms), minMs: Math.min(...ms), meanCpuMs: cpuMs / ms.length, ms, fitMs })),
  };
  writeFileSync(join(outDir, 'cli.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${join(outDir, 'cli.json')}`);
}

main();
