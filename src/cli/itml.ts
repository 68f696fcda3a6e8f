/** `similarity-lab itml`: plain ITML on the reference (headerless) layout, on the CPU, WebAssembly or WebGPU engine. */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { itml, ITML_DEFAULTS, JS_ENGINE, satisfiedShare, type ItmlOptions } from '../core/itml';
import { WASM_ENGINE } from '../core/itml-wasm';
import { cholesky } from '../core/linalg';
import { asFeatureMatrix, asSpd } from '../core/matrix';
import { formatMatrixCsv, parseNumericMatrix, parsePairConstraints } from '../core/parse';
import type { FeatureMatrix, FitResult, PairConstraints, SpdMatrix } from '../core/types';
import { backendFlag, InputError, int, num, readText, UsageError, type Backend } from './args';

/** The prior A0: any problem with the file (unreadable, not numeric, wrong shape, not SPD) names it. */
function loadPrior(path: string, d: number): SpdMatrix {
  const P = parseNumericMatrix(readText(path, 'prior'), basename(path));
  if (P.rows !== d || P.cols !== d) throw new InputError(`prior file "${path}" is ${P.rows}×${P.cols}, expected ${d}×${d} (the number of features)`);
  try {
    const A = asSpd(P);
    cholesky(A); // throws unless positive definite
    return A;
  } catch (e) {
    throw new InputError(`prior file "${path}": ${(e as Error).message}`);
  }
}

async function fitOn(backend: Backend, accumulation: string | undefined, X: FeatureMatrix, C: PairConstraints, prior: SpdMatrix | null, opts: ItmlOptions) {
  if (backend === 'cpu') return { res: itml(X, C, prior, opts, undefined, JS_ENGINE), label: 'cpu (float64, JavaScript reference)' };
  if (backend === 'wasm') return { res: itml(X, C, prior, opts, undefined, WASM_ENGINE), label: 'wasm (float64, WebAssembly)' };
  if (accumulation !== undefined && accumulation !== 'pairs' && accumulation !== 'float32') {
    throw new UsageError(`--gpu-accumulation must be pairs or float32, got "${accumulation}"`);
  }
  const { createNodeBackend } = await import('../gpu/node');
  const gpu = await createNodeBackend('webgpu', { compensated: accumulation !== 'float32' });
  try {
    const [res] = await gpu.fitItmlBatch([{ X, constraints: C, prior, options: opts }]);
    return { res, label: `webgpu (${gpu.info.precision}, ${gpu.info.description})` };
  } finally {
    gpu.dispose();
  }
}

function summary(X: FeatureMatrix, C: PairConstraints, res: FitResult, ms: number, out: string): string {
  const info = res.info ?? {};
  const satisfied = typeof info.satisfied === 'number' ? info.satisfied : satisfiedShare(X, C, res.W);
  const skipped = Number(info.skipped ?? 0);
  return (
    `itml: ${X.rows} points × ${X.cols} features, ${C.count} constraints; ${res.iterations} sweeps, ${info.projections} projections, ` +
    `${res.converged ? 'converged' : 'NOT converged (sweep cap)'}, ${(100 * satisfied).toFixed(2)}% satisfied, ${ms.toFixed(1)} ms → ${out}\n` +
    (skipped ? `warning: ${skipped} of ${C.count} constraints join identical points and were skipped (never projected)\n` : '')
  );
}

export async function cmdItml(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      x: { type: 'string' },
      constraints: { type: 'string' },
      prior: { type: 'string' },
      gamma: { type: 'string' },
      tol: { type: 'string' },
      'max-sweeps': { type: 'string' },
      out: { type: 'string' },
      backend: { type: 'string' },
      'gpu-accumulation': { type: 'string' },
    },
    strict: true,
  });
  if (!values.x || !values.constraints || !values.out) throw new UsageError('itml needs --x, --constraints and --out');
  const backend = backendFlag(values.backend, ['cpu', 'wasm', 'webgpu']);
  const opts: ItmlOptions = {
    gamma: num(values.gamma, 'gamma', ITML_DEFAULTS.gamma),
    tol: num(values.tol, 'tol', ITML_DEFAULTS.tol),
    maxSweeps: int(values['max-sweeps'], 'max-sweeps', ITML_DEFAULTS.maxSweeps, 1),
  };
  if (!(opts.gamma > 0)) throw new UsageError(`--gamma must be > 0, got "${values.gamma}"`);
  const X = asFeatureMatrix(parseNumericMatrix(readText(values.x, 'X'), basename(values.x)));
  const C = parsePairConstraints(readText(values.constraints, 'constraints'), basename(values.constraints), X.rows);
  const prior = values.prior ? loadPrior(values.prior, X.cols) : null;
  const t0 = performance.now();
  const { res, label } = await fitOn(backend, values['gpu-accumulation'], X, C, prior, opts).catch((e: unknown) => {
    // a bound error names the constraint (0-based); say which file and row it is
    const m = e instanceof Error ? /^ITML: (?:the bound of )?constraint (\d+) /.exec(e.message) : null;
    if (!m) throw e;
    throw new InputError(`${(e as Error).message}; constraint ${m[1]} is row ${Number(m[1]) + 1} of the constraints file "${values.constraints}"`);
  });
  const ms = performance.now() - t0;
  writeFileSync(values.out, formatMatrixCsv(res.W));
  process.stderr.write(`itml: backend ${label}\n${summary(X, C, res, ms, values.out)}`);
}
