#!/usr/bin/env node
/**
 * Import rules of src/ (run by `npm run lint`): layers import downwards only —
 *   core ← gpu, audio, game ← worker, server ← cli, ui (src/main.tsx belongs to ui; cli starts the server)
 * — modules of one layer do not import each other (gpu ↛ audio …), ui never imports gpu (tfjs stays in the
 * worker), and there is no import cycle between files (type-only imports count too). Prints every breach
 * with file and line; exits 1 if any.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const SRC = join(ROOT, 'src');
const LAYER = { core: 0, gpu: 1, audio: 1, game: 1, worker: 2, server: 2, cli: 3, ui: 3 };
const FORBIDDEN = [['ui', 'gpu']];

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return files(p);
    return /\.(ts|tsx)$/.test(n) && !/\.as\.ts$/.test(n) ? [p] : [];
  });
}
const moduleOf = (abs) => {
  const rel = relative(SRC, abs).split('/');
  return rel.length === 1 ? 'ui' : rel[0];
};
function resolveImport(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {}
  }
  return null;
}

const all = files(SRC);
const graph = new Map();
const problems = [];
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|new URL\(\s*['"]([^'"]+\.tsx?)['"]/g;
for (const f of all) {
  const text = readFileSync(f, 'utf8');
  const edges = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const to = resolveImport(f, spec);
    if (!to?.startsWith(SRC)) continue;
    const line = text.slice(0, m.index + m[0].indexOf(spec)).split('\n').length;
    edges.push(to);
    if (/\.test\.tsx?$/.test(f)) continue;
    const a = moduleOf(f);
    const b = moduleOf(to);
    const where = `${relative(ROOT, f)}:${line}`;
    if (!(a in LAYER) || !(b in LAYER)) problems.push(`${where}: module "${a === b ? a : `${a} → ${b}`}" has no layer (add it to scripts/check-layers.mjs)`);
    else if (LAYER[b] > LAYER[a]) problems.push(`${where}: ${a} imports ${relative(ROOT, to)} from the higher layer ${b}`);
    else if (a !== b && LAYER[b] === LAYER[a]) problems.push(`${where}: ${a} imports ${relative(ROOT, to)} from ${b}, a module of the same layer`);
    else if (FORBIDDEN.some(([x, y]) => x === a && y === b)) problems.push(`${where}: ${a} must not import ${b} (${relative(ROOT, to)})`);
  }
  graph.set(f, edges);
}

// cycles: Tarjan's strongly connected components
let index = 0;
const idx = new Map();
const low = new Map();
const stack = [];
const on = new Set();
function strong(v) {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  on.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!idx.has(w)) {
      strong(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const comp = [];
    let w;
    do {
      w = stack.pop();
      on.delete(w);
      comp.push(relative(ROOT, w));
    } while (w !== v);
    if (comp.length > 1) problems.push(`import cycle between ${comp.sort().join(', ')}`);
  }
}
for (const v of graph.keys()) if (!idx.has(v)) strong(v);

if (problems.length) {
  process.stderr.write(`${problems.join('\n')}\n${problems.length} import rule breach(es)\n`);
  process.exit(1);
}
process.stdout.write(`imports: ${all.length} files, layers and cycles ok\n`);
