/**
 * The notebook model: cells, their dependencies and staleness, the default notebook and presets, share
 * links, and the checks of untrusted cells (files, links, storage). What each kind of cell is (label,
 * parameter schema, upstream, checks, run) is the registry in kinds.ts. Pure TypeScript (no DOM, no
 * React) so it is unit tested on its own.
 */
import { DEFAULT_SPEC } from '../core/experiment-types';
import { own } from '../core/own';
import { METHODS } from '../core/methods';
import { cellKind, CELL_KINDS, upstreamOf, type Cell, type CellKind, type CellOf, type ParamsOf } from './kinds';
import { defaultsOf, sanitiseParams } from './schema';

export type { Cell, CellKind, CellOf, ParamsOf, DataParams, ConstraintsParams, ExperimentParams, TransferParams, HeatmapsParams, NoteParams } from './kinds';
export { experimentSpec, templateChoice, transferSpec, upstreamOf, validateParams } from './kinds';
export { BUNDLED, type BundledSet, type PresetId } from './data';

export interface Notebook {
  readonly cells: readonly Cell[];
}

/** The CLI's defaults (`DEFAULT_SPEC`, src/core/experiment-types.ts) so equal inputs give equal numbers. */
export const SPEC_DEFAULTS = DEFAULT_SPEC;

let counter = 0;
export function newCellId(): string {
  counter = (counter + 1) % 1e6;
  return `c${Date.now().toString(36)}${counter.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** A fresh copy of a kind's default parameters (from its schema). */
export function defaultParams<K extends CellKind>(kind: K): ParamsOf[K] {
  return defaultsOf(CELL_KINDS[kind].schema) as unknown as ParamsOf[K];
}

export function makeCell<K extends CellKind>(kind: K, params?: Partial<ParamsOf[K]>, title?: string): CellOf<K> {
  return { id: newCellId(), kind, ...(title ? { title } : {}), params: { ...defaultParams(kind), ...(params ?? {}) } } as unknown as CellOf<K>;
}

export type PresetNotebookId = 'poster' | 'timbre';

/** The poster's experiment on the bundled synthetic CASimIR-like data, or the timbre studies. */
export function presetNotebook(id: PresetNotebookId): Notebook {
  if (id === 'timbre') {
    return {
      cells: [
        makeCell('note', {
          text:
            '## Timbre studies\nReal human timbre-dissimilarity ratings from 17 published studies. Each study is its own listener panel, ' +
            'so a **group** is a study: W0 is learned from the other 16 studies and fine-tuned on one. Spectrum features, reduced by PCA to 16 dimensions.\n\n' +
            'The judgments are relative constraints (A is closer to B than to C), not odd-one-out votes. The template W0 is chosen per study ' +
            'by inner cross-validation on the other studies among I (no template), RITML and a diagonal SVM; where no template beats ' +
            'Euclidean there, W0 is the identity and W0-RITML gives the same scores as RITML: the notes under the results say for which studies, ' +
            'and what each template carries.',
        }),
        makeCell('data', { source: 'timbre-spectrum' }),
        makeCell('constraints', { groupBy: 'group' }),
        makeCell('experiment', { methods: ['euclidean', 'ritml', 'w0-ritml'], folds: 5, pca: 16, gammaGrid: [1], cGrid: [1] }),
        makeCell('heatmaps', { group: '' }),
      ],
    };
  }
  return {
    cells: [
      makeCell('note', {
        text:
          '## Comparative music similarity across user groups\nThe experiment of Wolff, MacFarlane & Weyde (ISMIR 2015) on bundled ' +
          '*synthetic* CASimIR-like odd-one-out votes: metrics are learned per age group, and **W0-RITML** fine-tunes a template learned ' +
          'from the other group. Press **Run all** (or Shift+Enter in a cell).\n\nThe first run uses γ = 1 and C = 1; enter several values in the γ and C grids to choose them by inner cross-validation (slower). ' +
          "The template is chosen per group by inner cross-validation on the other group's votes among I, RITML and a diagonal SVM (the lab's " +
          "default, chosen by measurement); the poster's own RITML template is one setting in the Experiment cell.",
      }),
      makeCell('data', { source: 'synthetic' }),
      makeCell('constraints', { groupBy: 'age_group' }),
      // γ = 1 (ITML's reference default) and C = 1 without inner CV keep the first run short; widen the grids to tune
      makeCell('experiment', { methods: ['euclidean', 'svm', 'mlr', 'ritml', 'w0-ritml'], folds: 10, gammaGrid: [1], cGrid: [1] }),
      makeCell('heatmaps', { group: '' }),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// dependencies and staleness

/** The cell ids that depend (transitively) on `id`, in notebook order. */
export function downstreamOf(cells: readonly Cell[], id: string): string[] {
  const dirty = new Set<string>([id]);
  const out: string[] = [];
  cells.forEach((c, i) => {
    if (c.id === id) return;
    if (upstreamOf(cells, i).some((u) => dirty.has(u))) {
      dirty.add(c.id);
      out.push(c.id);
    }
  });
  return out;
}

/** Nearest cell of a kind above `index`. */
export function nearestAbove<K extends CellKind>(cells: readonly Cell[], index: number, kind: K): CellOf<K> | undefined {
  for (let i = index - 1; i >= 0; i--) if (cells[i].kind === kind) return cells[i] as CellOf<K>;
  return undefined;
}

/** 'cancelled': the last run was cancelled by the user — not an error; the earlier result (if any) stays, marked as such */
export type CellStatus = 'idle' | 'fresh' | 'stale' | 'running' | 'error' | 'cancelled';

/** The parameters that decide a cell's output: an Experiment cell's template settings only when a method uses a template. */
function keyParams(c: Cell): unknown {
  if (c.kind !== 'experiment' || c.params.methods.some((m) => METHODS[m].prior === 'template')) return c.params;
  const { template: _t, templateTuning: _u, templateIterate: _i, ...rest } = c.params;
  return rest;
}

/**
 * Upstream fingerprint: a cell's output is fresh only while the parameters of it and everything it reads
 * from are those it ran with. The key joins those parameters (JSON) in dependency order.
 */
export function inputKey(cells: readonly Cell[], index: number, dataVersion: (cellId: string) => number): string {
  const parts: string[] = [];
  const visit = (i: number) => {
    for (const u of upstreamOf(cells, i)) visit(cells.findIndex((c) => c.id === u));
    const c = cells[i];
    parts.push(`${c.kind}:${c.id}:${JSON.stringify(keyParams(c))}${c.kind === 'data' ? `@${dataVersion(c.id)}` : ''}`);
  };
  visit(index);
  return parts.join('|');
}

// ---------------------------------------------------------------------------------------------
// share parameters through the URL (never data)

function b64urlEncode(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function b64urlDecode(s: string): string {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

/** Parameters only (those of the kind's schema): a cell reading the user's own files keeps `source: 'files'` and no content. */
export function encodeShare(nb: Notebook): string {
  const cells = nb.cells.map((c) => ({
    kind: c.kind,
    ...(c.title ? { title: c.title } : {}),
    params: sanitiseParams(CELL_KINDS[c.kind].schema, c.params, 'cell'),
  }));
  return b64urlEncode(JSON.stringify({ v: 1, cells }));
}

export function decodeShare(s: string): Notebook {
  let obj: unknown;
  try {
    obj = JSON.parse(b64urlDecode(s));
  } catch {
    throw new Error('the shared link is damaged (not valid notebook parameters)');
  }
  const cells = obj !== null && typeof obj === 'object' && Object.hasOwn(obj, 'cells') ? (obj as { cells: unknown }).cells : undefined;
  return { cells: sanitiseCells(cells, 'shared link') };
}

/** A saved cell id, or a new one: word characters only, and never a name objects inherit ("__proto__", "constructor"). */
function cellId(id: unknown): string {
  return typeof id === 'string' && /^[\w-]{1,40}$/.test(id) && !Object.hasOwn(Object.prototype, id) ? id : newCellId();
}

/** Checks untrusted cells (from a link, a file or storage) against the registry: known kinds, parameters by their schema. */
export function sanitiseCells(raw: unknown, where: string): Cell[] {
  if (!Array.isArray(raw)) throw new Error(`${where}: no list of cells`);
  const seen = new Set<string>();
  return raw.map((r, i) => {
    const o = (r !== null && typeof r === 'object' ? r : {}) as Record<string, unknown>;
    const kind = own(o, 'kind');
    const def = cellKind(kind);
    if (!def)
      throw new Error(`${where}: cell ${i + 1} has unknown kind ${JSON.stringify(kind) ?? 'undefined'} (known kinds: ${Object.keys(CELL_KINDS).join(', ')})`);
    const params = sanitiseParams(def.schema, own(o, 'params'), `${where}: cell ${i + 1} (${kind as string})`);
    let id = cellId(own(o, 'id'));
    if (seen.has(id)) id = newCellId();
    seen.add(id);
    const t = own(o, 'title');
    const title = typeof t === 'string' ? { title: t.slice(0, 200) } : {};
    return { id, kind, ...title, params } as unknown as Cell;
  });
}
