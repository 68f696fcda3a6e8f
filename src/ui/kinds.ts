/**
 * The cell-kind registry: one entry per kind of notebook cell — its label, parameter schema (defaults,
 * allowed values, ranges: also the schema of notebook files and share links), the cells it reads from,
 * its checks before Run and what Run computes. Read by the notebook model (sanitising, dependencies),
 * the store (running), the App's "add a cell" menu and CellFrame; the views are in cells/index.ts.
 * Pure TypeScript (no DOM, no React): what Run needs from the page comes in a RunContext.
 */
import { groupSummary, toConstraints, TripletRegistry, type ConversionReport, type GroupSummaryRow } from '../core/constraints';
import { DEFAULT_SPEC, type ExperimentResult, type ExperimentSpec, type MethodId } from '../core/experiment-types';
// types only: the model (and through it the e2e helpers) must not load the experiment driver
import type { CurveSpec, LearningCurveResult } from '../core/learning-curve';
import { ALL_METHODS, METHODS, needsComplement } from '../core/methods';
import { TEMPLATE_DEFAULTS, type TemplateProtocol } from '../core/template';
import { BUNDLED, type LoadedData, type PresetId } from './data';
import { schemaProblems, type ParamSchema } from './schema';

// ---------------------------------------------------------------------------------------------
// parameters of each kind (their schema is in the kind's entry below)

/** A bundled set, 'files' for the user's own files (kept in the browser), or 'workshop': files fetched from a workshop server (src/ui/workshop-source.ts). */
export type DataSource = PresetId | 'files' | 'workshop';
/** Whether a Data cell's source is a set of files the cell holds (own files, or the votes last fetched from a workshop server). */
export const holdsFiles = (source: string): source is 'files' | 'workshop' => source === 'files' || source === 'workshop';

export interface DataParams {
  source: DataSource;
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
  /** the template W0's learner (protocol.w0Method) */
  template: TemplateProtocol['w0Method'];
  /** its γ (RITML) or C (SVM, MLR): 1, or by inner CV on the complement over the grid */
  templateTuning: 'fixed' | 'cv';
  /** RITML template: best iterate with I a candidate, or the best learned iterate (protocol.w0Select) */
  templateIterate: TemplateProtocol['w0Select'];
}
export interface TransferParams {
  folds: number;
  seed: number;
  gamma: number;
  pca: number;
  standardise: boolean;
  removeGroupTripletsFromW0: boolean;
}
/** A Learning curves cell: each fold's training part subsampled to `fractions`, `repeats` times (core/learning-curve.ts). */
export interface CurvesParams {
  methods: MethodId[];
  fractions: number[];
  repeats: number;
  folds: number;
  /** one γ for the RITML family and W0 (no inner CV), one C for SVM / MLR */
  gamma: number;
  c: number;
  seed: number;
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
  curves: CurvesParams;
  heatmaps: HeatmapsParams;
  note: NoteParams;
}
export type CellKind = keyof ParamsOf;

export type Cell = { [K in CellKind]: { id: string; kind: K; title?: string; params: ParamsOf[K] } }[CellKind];
export type CellOf<K extends CellKind> = Extract<Cell, { kind: K }>;

/** What a Constraints cell's run keeps: the conversion report overall and per group. */
export interface ConstraintsSummary {
  readonly groupBy: string;
  readonly overall: ConversionReport;
  readonly groups: readonly GroupSummaryRow[];
}

/** The output of a finished cell run, with the inputs it ran on. */
export interface SavedRun {
  readonly inputKey: string;
  readonly ranAt: string;
  readonly result?: ExperimentResult;
  readonly summary?: ConstraintsSummary;
  /** a Learning curves cell's result */
  readonly curve?: LearningCurveResult;
}

// ---------------------------------------------------------------------------------------------
// the entry of a kind

/** The nearest cell above of one of `kinds` (not looking past a cell of kind `stopAt`). */
export type Above = (kinds: readonly CellKind[], stopAt?: CellKind) => Cell | undefined;

/** What running a cell may use of the page (given by the store). */
export interface RunContext {
  readonly cells: readonly Cell[];
  readonly index: number;
  /** group-by attribute that applies to the cell ('' = none) */
  readonly groupBy: string;
  /** the data of the nearest Data cell above (null: none, or not loaded) */
  data(): LoadedData | null;
  /** what this cell itself has loaded (Data cells) */
  ownData(): LoadedData | undefined;
  /** the saved result of another cell */
  result(cellId: string): ExperimentResult | undefined;
  /** fetch and parse a bundled data set into this (Data) cell */
  loadBundled(source: PresetId): Promise<void>;
  /** run an experiment on the data above (worker, progress, cancel) */
  runExperiment(spec: ExperimentSpec): Promise<ExperimentResult>;
  /** run learning curves on the data above (worker, progress, cancel) */
  runCurve(spec: ExperimentSpec, curve: CurveSpec): Promise<LearningCurveResult>;
}

export interface CellKindDef<K extends CellKind> {
  /** heading of the cell and its entry in the "add a cell" menu */
  readonly label: string;
  /** the parameters: type, allowed values or range, default (also the file / share-link schema) */
  readonly schema: ParamSchema;
  /** ids of the cells it reads from (nearest matching cells above) */
  readonly upstream: (above: Above) => (Cell | undefined)[];
  /** problems beyond the schema's ranges (empty: fine) */
  readonly validate?: (p: ParamsOf[K], groupBy: string) => string[];
  /** what Run computes (stored as the cell's saved run); no run: the cell has no Run button */
  readonly run?: (cell: CellOf<K>, ctx: RunContext) => Promise<Partial<SavedRun>>;
  /** shows progress with pause / resume / cancel while running */
  readonly progress?: boolean;
  /** ask before deleting (cells that hold work) */
  readonly confirmDelete: boolean;
}

// ---------------------------------------------------------------------------------------------
// what a cell computes

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
    ...templateProtocol(p),
  };
}

/**
 * The protocol parameters of an Experiment cell's template settings: only those that differ from the core's
 * defaults (so a default cell's spec is the CLI's default spec), none when no method uses a template.
 */
export function templateProtocol(p: Pick<ExperimentParams, 'methods' | 'template' | 'templateTuning' | 'templateIterate'>): Pick<ExperimentSpec, 'params'> {
  if (!p.methods.some((m) => METHODS[m].prior === 'template')) return {};
  const want: Omit<TemplateProtocol, 'w0Candidates'> = {
    w0Method: p.template,
    // 'cv' (the learner by inner CV): each learner's γ / C as the core's defaults
    w0Gamma: p.template === 'ritml' ? (p.templateTuning === 'cv' ? 'cv' : TEMPLATE_FIXED) : TEMPLATE_DEFAULTS.w0Gamma,
    w0C: p.template === 'svm' || p.template === 'mlr' ? (p.templateTuning === 'cv' ? 'cv' : TEMPLATE_FIXED) : TEMPLATE_DEFAULTS.w0C,
    w0Select: p.templateIterate,
  };
  const protocol = Object.fromEntries(Object.entries(want).filter(([k, v]) => v !== TEMPLATE_DEFAULTS[k as keyof typeof want]));
  return Object.keys(protocol).length ? { params: { protocol } } : {};
}
/**
 * A template learner chosen in the cell, with the core's default tuning for it (as the CLI's `w0Method` alone
 * gives): γ = 1 for RITML, C by inner CV for SVM and MLR.
 */
export function templateChoice(template: ExperimentParams['template']): Pick<ExperimentParams, 'template' | 'templateTuning'> {
  const d = template === 'ritml' ? TEMPLATE_DEFAULTS.w0Gamma : TEMPLATE_DEFAULTS.w0C;
  return { template, templateTuning: d === 'cv' ? 'cv' : 'fixed' };
}

/** the template's γ or C when it is not tuned */
const TEMPLATE_FIXED = 1;
/** the cell's template tuning that gives the core's default for a learner */
const defaultTuning = (v: number | 'cv'): 'fixed' | 'cv' => (v === 'cv' ? 'cv' : 'fixed');

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
    innerFolds: DEFAULT_SPEC.innerFolds,
    removeGroupTripletsFromW0: p.removeGroupTripletsFromW0,
    // the cell's own protocol: a RITML template with its γ (the template settings live in the Experiment cell)
    params: { protocol: { w0Method: 'ritml', w0Gamma: p.gamma } },
  };
}

/**
 * A Learning curves cell: the experiment the CLI runs for `experiment --methods … --folds k --seed s
 * --gamma-grid γ --c-grid C --train-fractions … --repeats R` (triplet split, z-scored features, no PCA,
 * W0 without the group's triplets, W0's γ = γ).
 */
export function curvesSpec(p: CurvesParams, groupBy: string): { spec: ExperimentSpec; curve: CurveSpec } {
  return {
    spec: {
      ...DEFAULT_SPEC,
      methods: [...p.methods],
      groupBy: groupBy || undefined,
      groups: undefined,
      folds: p.folds,
      seed: p.seed,
      gammaGrid: [p.gamma],
      cGrid: [p.c],
      ...(p.gamma === 1 ? {} : { params: { protocol: { w0Gamma: p.gamma } } }),
    },
    curve: { fractions: [...p.fractions], repeats: p.repeats },
  };
}

const NEED_DATA = 'No data: run the Data cell above first.';

async function runData(cell: CellOf<'data'>, ctx: RunContext): Promise<Partial<SavedRun>> {
  if (!holdsFiles(cell.params.source)) await ctx.loadBundled(cell.params.source);
  else {
    const d = ctx.ownData();
    // the set's own problem (a file missing, files that disagree), so nothing below runs on other data
    if (!d?.lab) throw new Error(d?.problem ?? 'Load a features file and a judgments file first (file picker, drag-and-drop or URL).');
  }
  return {};
}

async function runConstraints(cell: CellOf<'constraints'>, ctx: RunContext): Promise<Partial<SavedRun>> {
  const d = ctx.data();
  if (!d?.lab) throw new Error(NEED_DATA);
  const js = d.lab.judgments;
  const ids = d.lab.features.ids;
  const overall = toConstraints(js.judgments, ids, new TripletRegistry(), { file: js.source }).report;
  const groupBy = cell.params.groupBy;
  if (groupBy && !js.attributeColumns.includes(groupBy)) {
    throw new Error(`"${groupBy}" is not an attribute of ${js.source} (attributes: ${js.attributeColumns.join(', ') || 'none'}).`);
  }
  const summary: ConstraintsSummary = { groupBy, overall, groups: groupBy ? groupSummary(js, ids, groupBy) : [] };
  return { summary };
}

/** Experiment and Transfer cells: check, build the spec, run it on the data above. */
function experimentRun<K extends 'experiment' | 'transfer'>(toSpec: (p: ParamsOf[K], groupBy: string) => ExperimentSpec) {
  return async (cell: CellOf<K>, ctx: RunContext): Promise<Partial<SavedRun>> => {
    const problems = validateParams(cell, ctx.groupBy);
    if (problems.length) throw new Error(problems.join(' '));
    if (!ctx.data()?.lab) throw new Error(NEED_DATA);
    return { result: await ctx.runExperiment(toSpec((cell as unknown as { params: ParamsOf[K] }).params, ctx.groupBy)) };
  };
}

async function runCurves(cell: CellOf<'curves'>, ctx: RunContext): Promise<Partial<SavedRun>> {
  const problems = validateParams(cell, ctx.groupBy);
  if (problems.length) throw new Error(problems.join(' '));
  if (!ctx.data()?.lab) throw new Error(NEED_DATA);
  const { spec, curve } = curvesSpec(cell.params, ctx.groupBy);
  return { curve: await ctx.runCurve(spec, curve) };
}

/** Problems of a Learning curves cell beyond its schema's ranges. */
function curvesProblems(p: CurvesParams, groupBy: string): string[] {
  const out = complementProblems(p.methods, groupBy);
  if (p.fractions.some((f) => !(f > 0 && f <= 1)))
    out.push('Training fractions must be between 0 and 1 (0 excluded, 1 = the whole training part), e.g. 0.05, 0.1, 0.25, 0.5, 1.');
  if (new Set(p.fractions).size !== p.fractions.length) out.push('Each training fraction once, please (a fraction is listed twice).');
  return out;
}

async function runHeatmaps(_cell: CellOf<'heatmaps'>, ctx: RunContext): Promise<Partial<SavedRun>> {
  const up = upstreamOf(ctx.cells, ctx.index)[0];
  if (!up) throw new Error("Put this cell below an Experiment or Transfer cell: it shows that cell's metrics.");
  if (!ctx.result(up)) throw new Error('The Experiment / Transfer cell above has no results yet: run it first.');
  return {};
}

function complementProblems(methods: readonly MethodId[], groupBy: string): string[] {
  const need = methods.filter(needsComplement);
  if (groupBy || !need.length) return [];
  const names = ALL_METHODS.filter(needsComplement).map((m) => METHODS[m].label);
  return [`${names.join(' and ')} need groups: choose a group-by attribute in the Constraints & groups cell above.`];
}

// ---------------------------------------------------------------------------------------------
// the registry

const folds = { type: 'number', integer: true, min: 2, default: DEFAULT_SPEC.folds, problem: 'Folds must be a whole number of at least 2.' } as const;
const seed = { type: 'number', integer: true, default: DEFAULT_SPEC.seed, problem: 'Seed must be a whole number.' } as const;
const pca = { type: 'number', integer: true, min: 0, default: 0, problem: 'PCA dimensions must be 0 (off) or a positive whole number.' } as const;
const standardise = { type: 'boolean', default: true } as const;
const removeGroupTripletsFromW0 = { type: 'boolean', default: true } as const;
/** the core's DEFAULT_FRACTIONS (core/learning-curve.ts; not imported: see the import above) */
const CURVE_FRACTIONS: readonly number[] = [0.05, 0.1, 0.25, 0.5, 1];
const dataAndGrouping: CellKindDef<'experiment'>['upstream'] = (above) => [above(['data']), above(['constraints'], 'data')];

export const CELL_KINDS: { readonly [K in CellKind]: CellKindDef<K> } = {
  data: {
    label: 'Data',
    schema: { source: { type: 'choice', values: [...BUNDLED.map((b) => b.id), 'files', 'workshop'], noun: 'data source', default: 'synthetic' } },
    upstream: () => [],
    run: runData,
    confirmDelete: true,
  },
  constraints: {
    label: 'Constraints & groups',
    schema: { groupBy: { type: 'text', default: '' } },
    upstream: (above) => [above(['data'])],
    run: runConstraints,
    confirmDelete: true,
  },
  experiment: {
    label: 'Experiment',
    schema: {
      methods: { type: 'choices', values: ALL_METHODS, noun: 'method', default: ['euclidean', 'ritml'], problem: 'Choose at least one method.' },
      folds,
      split: { type: 'choice', values: ['triplet', 'item'], noun: 'split', default: DEFAULT_SPEC.split },
      seed,
      gammaGrid: { type: 'numbers', default: DEFAULT_SPEC.gammaGrid, problem: 'γ grid needs at least one positive number.' },
      cGrid: { type: 'numbers', default: DEFAULT_SPEC.cGrid, problem: 'C grid needs at least one positive number.' },
      innerFolds: { ...folds, default: DEFAULT_SPEC.innerFolds, problem: 'Inner folds must be a whole number of at least 2.' },
      pca,
      standardise,
      removeGroupTripletsFromW0,
      template: { type: 'choice', values: ['ritml', 'svm', 'mlr', 'cv'], noun: 'template learner', default: TEMPLATE_DEFAULTS.w0Method },
      templateTuning: { type: 'choice', values: ['fixed', 'cv'], noun: 'template tuning', default: defaultTuning(TEMPLATE_DEFAULTS.w0Gamma) },
      templateIterate: { type: 'choice', values: ['best', 'learned'], noun: 'template iterate rule', default: TEMPLATE_DEFAULTS.w0Select },
    },
    // the data cell above, and the constraints cell (grouping) between that data cell and this one
    upstream: dataAndGrouping,
    validate: (p, groupBy) => complementProblems(p.methods, groupBy),
    run: experimentRun<'experiment'>(experimentSpec),
    progress: true,
    confirmDelete: true,
  },
  transfer: {
    label: 'Transfer',
    schema: {
      folds: { ...folds, default: 5 },
      seed: { ...seed, default: 1 },
      gamma: { type: 'number', positive: true, default: 1, problem: 'γ must be positive.' },
      pca,
      standardise,
      removeGroupTripletsFromW0,
    },
    upstream: dataAndGrouping,
    validate: (_p, groupBy) => (groupBy ? [] : ['Transfer needs groups: choose a group-by attribute in the Constraints & groups cell above.']),
    run: experimentRun<'transfer'>(transferSpec),
    progress: true,
    confirmDelete: true,
  },
  curves: {
    label: 'Learning curves',
    schema: {
      methods: { type: 'choices', values: ALL_METHODS, noun: 'method', default: ['euclidean', 'ritml', 'w0-ritml'], problem: 'Choose at least one method.' },
      fractions: { type: 'numbers', default: CURVE_FRACTIONS, problem: 'Give at least one training fraction, e.g. 0.05, 0.1, 0.25, 0.5, 1.' },
      repeats: { type: 'number', integer: true, min: 1, max: 100, default: 3, problem: 'Repeats must be a whole number from 1 to 100.' },
      folds: { ...folds, default: 5 },
      gamma: { type: 'number', positive: true, default: 1, problem: 'γ must be positive.' },
      c: { type: 'number', positive: true, default: 1, problem: 'C must be positive.' },
      seed: { ...seed, default: 1 },
    },
    upstream: dataAndGrouping,
    validate: curvesProblems,
    run: runCurves,
    progress: true,
    confirmDelete: true,
  },
  heatmaps: {
    label: 'Metric heatmaps',
    schema: { group: { type: 'text', default: '' } },
    upstream: (above) => [above(['experiment', 'transfer'])],
    run: runHeatmaps,
    confirmDelete: true,
  },
  note: {
    label: 'Note',
    schema: { text: { type: 'text', default: 'Write notes in **Markdown**.' } },
    upstream: () => [],
    confirmDelete: false,
  },
};

/** Every kind, in the registry's order (the "add a cell" menu). */
export const CELL_KIND_IDS = Object.keys(CELL_KINDS) as CellKind[];

/** The entry of an untrusted kind name (own properties only: "__proto__" or "toString" are no kinds). */
export function cellKind(kind: unknown): CellKindDef<CellKind> | undefined {
  return typeof kind === 'string' && Object.hasOwn(CELL_KINDS, kind) ? (CELL_KINDS[kind as CellKind] as CellKindDef<CellKind>) : undefined;
}

/** The kind's entry of a cell (typed loosely, for code that handles every kind alike). */
export function kindOf(cell: Cell): CellKindDef<CellKind> {
  return CELL_KINDS[cell.kind] as CellKindDef<CellKind>;
}

/** ids of the cells a cell reads from directly (nearest matching cells above it). */
export function upstreamOf(cells: readonly Cell[], index: number): string[] {
  const above: Above = (kinds, stopAt) => {
    for (let i = index - 1; i >= 0; i--) {
      if (kinds.includes(cells[i].kind)) return cells[i];
      if (stopAt && cells[i].kind === stopAt) return undefined;
    }
    return undefined;
  };
  return kindOf(cells[index])
    .upstream(above)
    .flatMap((c) => (c ? [c.id] : []));
}

/** Problems with a cell's parameters that the user must fix before Run (empty: fine). */
export function validateParams(cell: Cell, groupBy: string): string[] {
  const k = kindOf(cell);
  return [...schemaProblems(k.schema, cell.params as unknown as Record<string, unknown>), ...(k.validate?.(cell.params, groupBy) ?? [])];
}
