/**
 * Builds the command line into dist-cli/ (git-ignored) with esbuild: `similarity-lab.js` (the `bin` entry,
 * src/cli/bin.ts) and `cpu-pool-worker.js` (the float64 pool's worker thread, found next to the code that
 * starts it). Every dynamic import() in src/cli (a command, the WebGPU backend) becomes its own self-contained
 * file, loaded when it runs: `--help` loads one small file and `itml` two (fewer files than esbuild's shared
 * chunks: each ESM file costs Node a resolve, a read and a compile at start-up).
 * `webgpu` (Dawn, a native addon) and tfjs stay external: loaded from node_modules, only for --backend webgpu
 * (tfjs is CommonJS: bundled behind a dynamic import it would only expose `default`); so does better-sqlite3
 * (a native addon too; only the `workshop` command loads it).
 *
 *   node scripts/build-cli.mjs               build (npm run build:cli; npm's `prepare`, so `npm ci` runs it)
 *   node scripts/build-cli.mjs --if-stale    build only when a source file changed since the last build (npm run cli)
 *   node scripts/build-cli.mjs --outdir DIR  build elsewhere (the CLI tests build a private copy)
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUTDIR = join(ROOT, 'dist-cli');
const BIN = 'similarity-lab.js';
const META = 'build-meta.json';

/** True when dist-cli holds a build newer than every file it was built from (and this script). */
export function isFresh(outdir = DEFAULT_OUTDIR) {
  const metaPath = join(outdir, META);
  if (!existsSync(metaPath) || !existsSync(join(outdir, BIN))) return false;
  const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
  const inputs = [...meta.inputs, 'scripts/build-cli.mjs', 'package.json'];
  try {
    return inputs.every((f) => statSync(join(ROOT, f)).mtimeMs <= meta.builtAt);
  } catch {
    return false; // an input was removed or renamed
  }
}

/** `import('./itml')` in src/cli → `import('./cmd-itml.js')`, a separate entry (see LAZY). */
const LAZY = {
  './itml': 'cmd-itml',
  './experiment': 'cmd-experiment',
  './generate': 'cmd-generate',
  './features': 'cmd-features',
  './workshop': 'cmd-workshop',
  '../gpu/node': 'gpu-node',
};

const lazyImports = {
  name: 'lazy-imports',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const name = LAZY[args.path];
      if (args.kind !== 'dynamic-import' || !name || !/src[\\/]cli[\\/][^\\/]+\.ts$/.test(args.importer)) return undefined;
      return { path: `./${name}.js`, external: true };
    });
  },
};

export async function buildCli(outdir = DEFAULT_OUTDIR) {
  const { build } = await import('esbuild');
  const sources = {
    itml: 'src/cli/itml.ts',
    experiment: 'src/cli/experiment.ts',
    generate: 'src/cli/generate.ts',
    features: 'src/cli/features.ts',
    workshop: 'src/cli/workshop.ts',
    node: 'src/gpu/node.ts',
  };
  const lazyEntries = Object.fromEntries(Object.entries(LAZY).map(([spec, name]) => [name, sources[spec.split('/').pop()]]));
  const builtAt = Date.now();
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { 'similarity-lab': 'src/cli/bin.ts', 'cpu-pool-worker': 'src/cli/cpu-pool-worker.ts', ...lazyEntries },
    outdir,
    bundle: true,
    plugins: [lazyImports],
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['webgpu', '@tensorflow/*', 'better-sqlite3'],
    // bundled CommonJS packages may call require(); ESM has none
    banner: { js: "import { createRequire as __simlabRequire } from 'node:module'; const require = __simlabRequire(import.meta.url);" },
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  chmodSync(join(outdir, BIN), 0o755);
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
  writeFileSync(join(outdir, META), `${JSON.stringify({ builtAt, inputs }, null, 1)}\n`);
  return { outdir, files: Object.keys(result.metafile.outputs) };
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--outdir');
  const outdir = at >= 0 ? resolve(args[at + 1]) : DEFAULT_OUTDIR;
  if (!(args.includes('--if-stale') && isFresh(outdir))) {
    const t0 = Date.now();
    const { files } = await buildCli(outdir);
    if (!args.includes('--if-stale')) process.stderr.write(`build-cli: ${files.length} files in ${outdir} (${Date.now() - t0} ms)\n`);
  }
}
