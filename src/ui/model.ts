/**
 * The notebook model: cells, their parameters, dependencies and staleness, the default notebook and
 * presets, and the ExperimentSpec a cell stands for. Pure TypeScript (no DOM, no React) so it is unit
 * tested on its own.
 */
import { ALL_METHODS, METHOD_LABELS } from '../core/methods';
import { DEFAULT_SPEC, type ExperimentSpec, type MethodId } from '../core/experiment-types';

export type CellKind = 'data' | 'constraints' | 'experiment' | 'transfer' | 'heatmaps' | 'note';

export const CELL_LABELS: Readonly<Record<CellKind, string>> = {
  data: 'Data',
  constraints: 'Constraints & groups',
  experiment: 'Experiment',
  transfer: 'Transfer',
  heatmaps: 'Metric heatmaps',
  note: 'Note',
};

/** Bundled data sets (public/data/...). */
export type PresetId = 'synthetic' | 'timbre-spectrum' | 'timbre-encodec' | 'timbre-mert';
export interface BundledSet {
  readonly id: PresetId;
  readonly label: string;
  readonly features: string;
  readonly judgments: string;
  readonly users?: string;
  readonly credit?: string;
}
export const BUNDLED: readonly BundledSet[] = [
  {
    id: 'synthetic',
    label: 'Synthetic CASimIR-like votes (age groups)',
    features: 'synthetic/features.csv',
    judgments: 'synthetic/votes.csv',
    users: 'synthetic/users.csv',
  },
  ...(['spectrum', 'encodec', 'mert'] as const).map((f) => ({
    id: `timbre-${f}` as PresetId,
    label: `Timbre studies: ${f} features`,
    features: `timbre/features_${f}.csv`,
    judgments: 'timbre/constraints.csv',
    credit:
      'Human timbre-dissimilarity ratings from Grey 1977; Grey & Gordon 1978; Iverson & Krumhansl 1993; McAdams et al. 1995; ' +
      'Lakatos 2000; Barthet et al. 2010; Patil et al. 2012; Siedenburg et al. 2016, gathered by Thoret, Caramiaux, Depalle & ' +
      'McAdams (Nature Human Behaviour 5, 2021); features by Pascal & Lagrange (HAL hal-04501973). Licence CeCILL-B.',
  })),
];

export interface DataParams {
  /** a bundled set, or 'files' for the user's own files (kept in the browser) */
  source: PresetId | 'files';
}
export interface ConstraintsParams {
  /** attribute defining groups; '' = no grouping */
  groupBy: string;
}
export interface ExperimentParams {
  methods: MethodId[];
  folds: number;
  split: 'triplet' | 'item';
  seed: number;
  gammaGrid: number[];
  cGrid: number[];
  innerFolds: number;
  /** 0 = no PCA */
  pca: number;
  standardise: boolean;
  removeGroupTripletsFromW0: boolean;
}
export interface TransferParams {
  folds: number;
  seed: number;
  gamma: number;
  pca: number;
  standardise: boolean;
  removeGroupTripletsFromW0: boolean;
}
export interface HeatmapsParams {
  /** '' = first group */
  group: string;
}
export interface NoteParams {
  text: string;
}

export interface ParamsOf {
  data: DataParams;
  constraints: ConstraintsParams;
  experiment: ExperimentParams;
  transfer: TransferParams;
  heatmaps: HeatmapsParams;
  note: NoteParams;
}

export type Cell = { [K in CellKind]: { id: string; kind: K; title?: string; params: ParamsOf[K] } }[CellKind];
export type CellOf<K extends CellKind> = Extract<Cell, { kind: K }>;

export interface Notebook {
  readonly cells: readonly Cell[];
}

export { METHOD_LABELS };
export const ALL_UI_METHODS: readonly MethodId[] = ALL_METHODS;

/** The CLI's defaults (`DEFAULT_SPEC`, src/core/methods.ts) so equal inputs give equal numbers. */
export const SPEC_DEFAULTS = DEFAULT_SPEC;

let counter = 0;
export function newCellId(): string {
  counter = (counter + 1) % 1e6;
  return `c${Date.now().toString(36)}${counter.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

export function defaultParams<K extends CellKind>(kind: K): ParamsOf[K] {
  const p: ParamsOf = {
    data: { source: 'synthetic' },
    constraints: { groupBy: '' },
    experiment: {
      methods: ['euclidean', 'ritml'],
      folds: SPEC_DEFAULTS.folds,
      split: SPEC_DEFAULTS.split,
      seed: SPEC_DEFAULTS.seed,
      gammaGrid: [...SPEC_DEFAULTS.gammaGrid],
      cGrid: [...SPEC_DEFAULTS.cGrid],
      innerFolds: SPEC_DEFAULTS.innerFolds,
      pca: 0,
      standardise: true,
      removeGroupTripletsFromW0: true,
    },
    transfer: { folds: 5, seed: 1, gamma: 1, pca: 0, standardise: true, removeGroupTripletsFromW0: true },
    heatmaps: { group: '' },
    note: { text: 'Write notes in **Markdown**.' },
  };
  return structuredClone(p[kind]);
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
            'so a **group** is a study: W0 is learned from the other 16 studies and fine-tuned on one. Spectrum features, reduced by PCA to 16 dimensions.',
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
          '## Comparative music similarity across user groups\nReplicates the experiment of Wolff, MacFarlane & Weyde (ISMIR 2015) on bundled ' +
          '*synthetic* CASimIR-like odd-one-out votes: metrics are learned per age group, and **W0-RITML** fine-tunes a template learned ' +
          'from the other group. Press **Run all** (or Shift+Enter in a cell).\n\nThe first run uses γ = 1 and C = 1; enter several values in the γ and C grids to choose them by inner cross-validation (slower).',
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

/** ids of the cells a cell reads from directly (nearest matching cells above it). */
export function upstreamOf(cells: readonly Cell[], index: number): string[] {
  const cell = cells[index];
  const above = (kinds: readonly CellKind[], stopAt?: CellKind): Cell | undefined => {
    for (let i = index - 1; i >= 0; i--) {
      if (kinds.includes(cells[i].kind)) return cells[i];
      if (stopAt && cells[i].kind === stopAt) return undefined;
    }
    return undefined;
  };
  switch (cell.kind) {
    case 'constraints':
      return ids(above(['data']));
    case 'experiment':
    case 'transfer':
      // the data cell above, and the constraints cell (grouping) between that data cell and this one
      return [...ids(above(['data'])), ...ids(above(['constraints'], 'data'))];
    case 'heatmaps':
      return ids(above(['experiment', 'transfer']));
    default:
      return [];
  }
}
function ids(c: Cell | undefined): string[] {
  return c ? [c.id] : [];
}

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

export type CellStatus = 'idle' | 'fresh' | 'stale' | 'running' | 'error';

/**
 * Upstream fingerprint: a cell's output is fresh only while the parameters of it and everything it reads
 * from are those it ran with. The key joins those parameters (JSON) in dependency order.
 */
export function inputKey(cells: readonly Cell[], index: number, dataVersion: (cellId: string) => number): string {
  const parts: string[] = [];
  const visit = (i: number) => {
    for (const u of upstreamOf(cells, i)) visit(cells.findIndex((c) => c.id === u));
    const c = cells[i];
    parts.push(`${c.kind}:${c.id}:${JSON.stringify(c.params)}${c.kind === 'data' ? `@${dataVersion(c.id)}` : ''}`);
  };
  visit(index);
  return parts.join('|');
}

// ---------------------------------------------------------------------------------------------
// what a cell computes

export function parseNumberList(text: string): number[] | null {
  const parts = text
    .split(/[,\s;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.length) return null;
  const xs = parts.map(Number);
  return xs.every((x) => Number.isFinite(x) && x > 0) ? xs : null;
}

/** The ExperimentSpec an Experiment cell stands for (same shape the CLI builds from its flags). */
export function experimentSpec(p: ExperimentParams, groupBy: string): ExperimentSpec {
  return {
    methods: [...p.methods],
    groupBy: groupBy || undefined,
    groups: undefined,
    folds: p.folds,
    split: p.split,
    seed: p.seed,
    pca: p.pca > 0 ? p.pca : undefined,
    standardise: p.standardise,
    gammaGrid: [...p.gammaGrid],
    cGrid: [...p.cGrid],
    innerFolds: p.innerFolds,
    removeGroupTripletsFromW0: p.removeGroupTripletsFromW0,
  };
}

/** A Transfer cell: RITML vs W0-RITML per group with one γ (no inner CV), giving W0 and fine-tuned W. */
export function transferSpec(p: TransferParams, groupBy: string): ExperimentSpec {
  return {
    methods: ['euclidean', 'ritml', 'w0-ritml'],
    groupBy: groupBy || undefined,
    groups: undefined,
    folds: p.folds,
    split: 'triplet',
    seed: p.seed,
    pca: p.pca > 0 ? p.pca : undefined,
    standardise: p.standardise,
    gammaGrid: [p.gamma],
    cGrid: [1],
    innerFolds: SPEC_DEFAULTS.innerFolds,
    removeGroupTripletsFromW0: p.removeGroupTripletsFromW0,
    params: { protocol: { w0Gamma: p.gamma } },
  };
}

/** Problems with a cell's parameters that the user must fix before Run (empty: fine). */
export function validateParams(cell: Cell, groupBy: string): string[] {
  const errs: string[] = [];
  if (cell.kind === 'experiment') {
    const p = cell.params;
    if (!p.methods.length) errs.push('Choose at least one method.');
    if (!Number.isInteger(p.folds) || p.folds < 2) errs.push('Folds must be a whole number of at least 2.');
    if (!Number.isInteger(p.innerFolds) || p.innerFolds < 2) errs.push('Inner folds must be a whole number of at least 2.');
    if (!Number.isInteger(p.seed)) errs.push('Seed must be a whole number.');
    if (!p.gammaGrid.length) errs.push('γ grid needs at least one positive number.');
    if (!p.cGrid.length) errs.push('C grid needs at least one positive number.');
    if (!Number.isInteger(p.pca) || p.pca < 0) errs.push('PCA dimensions must be 0 (off) or a positive whole number.');
    if (!groupBy && p.methods.some((m) => m === 'w0-ritml' || m === 'joint')) {
      errs.push('W0-RITML and JOINT need groups: choose a group-by attribute in the Constraints & groups cell above.');
    }
  } else if (cell.kind === 'transfer') {
    const p = cell.params;
    if (!groupBy) errs.push('Transfer needs groups: choose a group-by attribute in the Constraints & groups cell above.');
    if (!Number.isInteger(p.folds) || p.folds < 2) errs.push('Folds must be a whole number of at least 2.');
    if (!(p.gamma > 0)) errs.push('γ must be positive.');
    if (!Number.isInteger(p.pca) || p.pca < 0) errs.push('PCA dimensions must be 0 (off) or a positive whole number.');
  }
  return errs;
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

/** Parameters only: a cell reading the user's own files keeps `source: 'files'` and no content. */
export function encodeShare(nb: Notebook): string {
  return b64urlEncode(JSON.stringify({ v: 1, cells: nb.cells.map((c) => ({ kind: c.kind, ...(c.title ? { title: c.title } : {}), params: c.params })) }));
}

export function decodeShare(s: string): Notebook {
  let obj: unknown;
  try {
    obj = JSON.parse(b64urlDecode(s));
  } catch {
    throw new Error('the shared link is damaged (not valid notebook parameters)');
  }
  return { cells: sanitiseCells((obj as { cells?: unknown })?.cells, 'shared link') };
}

/** Checks untrusted cells (from a link, a file or storage): known kinds, parameters merged over defaults. */
export function sanitiseCells(raw: unknown, where: string): Cell[] {
  if (!Array.isArray(raw)) throw new Error(`${where}: no list of cells`);
  return raw.map((r, i) => {
    const o = r as { id?: unknown; kind?: unknown; title?: unknown; params?: unknown };
    if (typeof o?.kind !== 'string' || !(o.kind in CELL_LABELS)) throw new Error(`${where}: cell ${i + 1} has unknown kind ${JSON.stringify(o?.kind)}`);
    const kind = o.kind as CellKind;
    const def = defaultParams(kind) as unknown as Record<string, unknown>;
    const given = (o.params && typeof o.params === 'object' ? o.params : {}) as Record<string, unknown>;
    const params: Record<string, unknown> = { ...def };
    for (const k of Object.keys(def)) {
      if (!(k in given)) continue;
      const dv = def[k];
      const gv = given[k];
      const ok = Array.isArray(dv) ? Array.isArray(gv) : typeof gv === typeof dv;
      if (!ok) throw new Error(`${where}: cell ${i + 1} (${kind}) parameter "${k}" has the wrong type`);
      params[k] = gv;
    }
    if (kind === 'experiment') {
      const ms = params.methods as unknown[];
      if (!ms.every((m) => typeof m === 'string' && (ALL_UI_METHODS as readonly string[]).includes(m))) {
        throw new Error(`${where}: cell ${i + 1} lists an unknown method`);
      }
    }
    if (kind === 'data' && !['files', ...BUNDLED.map((b) => b.id)].includes(params.source as string)) {
      throw new Error(`${where}: cell ${i + 1} has an unknown data source`);
    }
    return {
      id: typeof o.id === 'string' && /^[\w-]{1,40}$/.test(o.id) ? o.id : newCellId(),
      kind,
      ...(typeof o.title === 'string' ? { title: o.title.slice(0, 200) } : {}),
      params,
    } as unknown as Cell;
  });
}
