/** `similarity-lab generate`: the synthetic CASimIR-like data set in the interchange formats. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSynthetic, syntheticToFiles } from '../core/synthetic';
import { num, UsageError } from './args';

export function cmdGenerate(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { seed: { type: 'string' }, out: { type: 'string' } }, strict: true });
  if (!values.out) throw new UsageError('generate needs --out DIR');
  const ds = generateSynthetic({ seed: num(values.seed, 'seed', 1) });
  mkdirSync(values.out, { recursive: true });
  const files = syntheticToFiles(ds);
  for (const f of files) writeFileSync(join(values.out, f.name), f.text);
  process.stderr.write(`wrote ${files.map((f) => f.name).join(', ')} to ${values.out}\n`);
}
