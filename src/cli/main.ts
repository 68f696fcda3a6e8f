/**
 * Similarity Lab command line: the same core as the app. Built into dist-cli/ by scripts/build-cli.mjs
 * (`similarity-lab …` or `npm run cli -- …`); `npx tsx src/cli/main.ts …` runs the sources.
 * Each command's code is imported when that command runs, so `--help` loads nothing heavy.
 * Exit status: 0 done, 1 an input file or the run failed, 2 a bad command line.
 */
import { ALL_METHODS } from '../core/methods';
import { UsageError } from './args';

const USAGE = `similarity-lab — learn similarity metrics from odd-one-out judgments (npm run cli -- … runs the same)

Commands:
  itml        --x X.csv --constraints C.csv [--prior A0.csv] [--gamma 1] [--tol 1e-3] [--max-sweeps N] --out A.csv
              [--backend cpu|wasm|webgpu] [--gpu-accumulation pairs|float32]
              plain ITML on the reference (headerless) layout; writes the learned matrix in full float64 precision
  experiment  --features F --judgments J [--users U] [--group-by COLUMN] [--groups g1,g2]
              [--methods ${ALL_METHODS.join(',')}] [--folds 10] [--split triplet|item] [--seed S] [--pca K]
              [--gamma-grid 0.1,1,10] [--c-grid 0.1,1,10] [--inner-folds 3] [--no-standardise]
              [--keep-group-triplets] [--params JSON] [--test J2] [--json OUT] [--backend cpu|wasm|webgpu|auto]
              [--threads N]  (cpu / wasm: N worker threads for the float64 fits; results are identical)
              [--gpu-accumulation pairs|float32]  (webgpu: W̃ as float32 pairs, the default, or plain float32)
              table of methods × groups (+ average); --test J2 trains on all of J and scores on J2 instead of CV
              [--train-fractions 0.05,0.1,0.25,0.5,1 [--repeats 3]]  learning curves: each fold's training part
              subsampled (seeded, nested, R times; test folds untouched); a table per group with W0-RITML − RITML
  generate    [--seed S] --out DIR     synthetic CASimIR-like data set in the interchange formats
  features    --audio <files|dir> [--offset 0] [--length 30] --out features.csv
              the feature table (MFCC, chroma, loudness, spectral shape, attack, tempo) from WAV, FLAC, Ogg Opus
              or MP3 files (a folder: its audio files in name order); only the window is decoded, and it
              must end by 600 s; a file that fails is named on stderr, the others go on (exit status 1 if any failed)
  workshop    [--port 8080] [--db workshop.sqlite] [--clips <dir|bundled set id>] [--host ADDR]… [--lan]
              [--seats 4] [--rounds 10] [--vote-seconds 45] [--wait-seconds 10] [--result-seconds 4] [--name N]
              [--new-session]
              [--dist dist] [--host-token T] [--max-per-address 16]
              the live workshop server (docs/SERVER.md): serves the built app, the clips and a WebSocket
              endpoint, stores every vote in SQLite; binds to 127.0.0.1 unless --host/--lan say otherwise

--backend: wasm (default; float64, bit-identical to cpu, the JavaScript reference, and about 4× faster),
           cpu, webgpu (float32 on the GPU through Dawn), auto (webgpu if available, else cpu).
--params:  a JSON object keyed by method id or "protocol", e.g. '{"ritml":{"outer":5,"maxSweeps":20}}';
           the template W0: '{"protocol":{"w0Method":"svm","w0C":"cv","w0Gamma":"cv","w0Select":"learned"}}'.
Exit status: 0 done, 1 an input file or the run failed, 2 a bad command line.
`;

async function run(cmd: string, rest: string[]): Promise<void> {
  switch (cmd) {
    case 'itml':
      return (await import('./itml')).cmdItml(rest);
    case 'experiment':
      return (await import('./experiment')).cmdExperiment(rest);
    case 'generate':
      return (await import('./generate')).cmdGenerate(rest);
    case 'features':
      return (await import('./features')).cmdFeatures(rest);
    case 'workshop':
      return (await import('./workshop')).cmdWorkshop(rest);
    default:
      throw new UsageError(`unknown command "${cmd}" (commands: itml, experiment, generate, features, workshop)`);
  }
}

/** Prints the error; returns the exit status (2: the command line, 1: the input or the run). */
function report(e: unknown): number {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as NodeJS.ErrnoException).code;
  // by name: in the built command each lazily loaded command file carries its own copy of these classes
  if (err.name === 'UsageError' || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
    process.stderr.write(`error: ${err.message}\n(similarity-lab --help shows the usage)\n`);
    return 2;
  }
  if (err.name === 'InputError' || err.name === 'DataError') process.stderr.write(`error in input: ${err.message}\n`);
  else process.stderr.write(`error: ${err.message}\n`);
  if (process.env.SIMLAB_DEBUG && err.stack) process.stderr.write(`${err.stack}\n`);
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || ['-h', '--help', 'help'].includes(cmd) || rest.includes('--help') || rest.includes('-h')) {
    (cmd === undefined ? process.stderr : process.stdout).write(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  try {
    await run(cmd, rest);
    return 0;
  } catch (e) {
    return report(e);
  }
}

// `tsx src/cli/main.ts …` and scripts/device-bundle.sh's cli.mjs; the built command starts in bin.ts
const isMain = process.argv[1] && /(cli[\\/]main\.(ts|js)|cli\.mjs)$/.test(process.argv[1]);
if (isMain) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
