/**
 * Merges template-study runs of one data set (several `--out` JSONs, e.g. from runs split across processes) into
 * one, variants in the study's order (a later file's variant replaces an earlier one's), and prints its table.
 *   npx tsx bench/template-study-merge.ts --out bench/results/template-study-timbre.json a.json b.json …
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { markdown, VARIANTS, type VariantSummary } from './template-study';

const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
const runs = positionals.map((f) => JSON.parse(readFileSync(f, 'utf8')));
const byId = new Map<string, VariantSummary>();
for (const r of runs) for (const v of r.variants as VariantSummary[]) byId.set(v.id, v);
const variants = VARIANTS.flatMap((v) => (byId.has(v.id) ? [byId.get(v.id)!] : []));
const merged = { ...runs[0], sources: runs.map((r) => ({ machine: r.machine, node: r.node, backend: r.backend })), variants };
if (values.out) writeFileSync(values.out, `${JSON.stringify(merged, null, 1)}\n`);
process.stdout.write(`${markdown(variants)}\n`);
