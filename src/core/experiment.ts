/**
 * A whole experiment (METHOD.md §5–§7) as small steps: prepare the features and the groups (complements,
 * folds), fit the templates W0, choose γ / C by inner cross-validation (one function for both), fit the
 * outer folds, tabulate, compare, and keep the heatmaps' metrics. The method table (methods.ts) says for each
 * method which learner, prior, training data and tuned hyper-parameter it has. The CLI, the worker and the
 * tests all call `runExperiment`, so the same data, spec and seed give the same numbers everywhere.
 *
 * RITML-family fits are collected into batches — one per phase — and handed to the ComputeBackend, so a GPU
 * backend can run many independent problems per dispatch; SVM / MLR fits go to `fitLearnerBatch` (the CLI's
 * worker pool) or run one by one.
 *
 * Results come progressively (`RunContext.onPartial`): Euclidean at once, then each method's row in a group
 * as soon as its folds are done, the cheap stages first (run-meter.ts's cost per fit orders them; MLR last).
 * Every fit is independent, so the order changes no number; one progress bar counts the whole run
 * (`onRunProgress`, with the time left).
 */
import { fitLearnersSequentially, type ComputeBackend, type LearnerJob, type RitmlProblem } from './compute';
import { groupValues, splitGroup, toConstraints, TripletRegistry } from './constraints';
import {
  allFailed,
  type Comparison,
  type ExperimentResult,
  type ExperimentSpec,
  type GroupMetrics,
  type MethodId,
  type PartialResult,
  type ResultRow,
  type RunProgress,
  type TemplateInfo,
} from './experiment-types';
import { assignFolds, FoldError, foldIndices, type FoldAssignment } from './folds';
import { learnerFor } from './learners';
import { identity } from './matrix';
import { ALL_METHODS, isMethodId, isRitmlFamily, METHODS, methodLabel, needsComplement } from './methods';
import { duplicateClipsNote, preprocess } from './preprocess';
import { dataFingerprint, VERSION } from './provenance';
import { createRng } from './rng';
import { ritmlParams, skippedPairsNote } from './ritml';
import {
  autoBounds,
  candidateLabel,
  isIdentityMetric,
  TEMPLATE_DEFAULTS,
  TEMPLATE_RIDGE,
  templateCandidates,
  templateFromLearner,
  validateTemplateProtocol,
  type TemplateCandidate,
  type TemplateProtocol,
} from './template';
import { COST, costClass, RunMeter, type CostClass } from './run-meter';
import { concatConstraints, fulfilment, subsetConstraints } from './score';
import { mean, pairedTTest, sd, wilcoxonSignedRank } from './stats';
import type { ConstraintSet, FeatureMatrix, FeatureSet, FitContext, FitResult, JudgmentSet, SpdMatrix } from './types';

export { DEFAULT_SPEC } from './experiment-types';
export { ALL_METHODS };

export interface LabData {
  readonly features: FeatureSet;
  /** judgments with user attributes already joined */
  readonly judgments: JudgmentSet;
}

export interface RunContext extends FitContext {
  /** the rows finished so far (and which methods run or wait), after each method × group */
  onPartial?: (p: PartialResult) => void;
  /** the whole run's progress in cost units, with the time left */
  onRunProgress?: (p: RunProgress) => void;
  /** run the SVM / MLR fits at the same time as the RITML family's (the backend's fitLearnerBatch runs elsewhere) */
  concurrentLearners?: boolean;
}

/**
 * Named reconstruction parameters of the experiment protocol (spec.params.protocol):
 * - w0Method, w0Gamma, w0C, w0Select: the template W0's learner, γ / C (a number or 'cv': inner CV on the
 *   complement) and iterate rule — template.ts; defaults RITML, γ = 1 (ITML's reference default), best iterate;
 * - jointGamma: 'ritml' uses the γ inner CV chose for RITML in the same fold (JOINT trains on the whole
 *   complement in every fit, so tuning it separately multiplies the cost), 'tune' runs its own inner CV.
 */
export interface ProtocolParams extends TemplateProtocol {
  jointGamma: 'ritml' | 'tune';
}
export const PROTOCOL_DEFAULTS: ProtocolParams = { ...TEMPLATE_DEFAULTS, jointGamma: 'ritml' };

/** The spec's protocol parameters over the defaults. */
export function protocolOf(spec: ExperimentSpec): ProtocolParams {
  return { ...PROTOCOL_DEFAULTS, ...((spec.params?.protocol ?? {}) as Partial<ProtocolParams>) };
}

export class ExperimentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExperimentError';
  }
}

/** Validates a spec against the data; returns every problem found (empty: fine). */
export function validateSpec(data: LabData, spec: ExperimentSpec): string[] {
  const errs: string[] = [];
  if (!spec.methods.length) errs.push('choose at least one method');
  for (const m of spec.methods) if (!isMethodId(m)) errs.push(`unknown method "${m}" (known: ${ALL_METHODS.join(', ')})`);
  if (!Number.isInteger(spec.folds) || spec.folds < 2) errs.push(`folds must be an integer ≥ 2, got ${spec.folds}`);
  if (!Number.isInteger(spec.innerFolds) || spec.innerFolds < 2) errs.push(`inner folds must be an integer ≥ 2, got ${spec.innerFolds}`);
  if (!spec.gammaGrid.length || spec.gammaGrid.some((g) => !(g > 0))) errs.push('γ grid must hold positive numbers');
  if (!spec.cGrid.length || spec.cGrid.some((c) => !(c > 0))) errs.push('C grid must hold positive numbers');
  if (spec.split !== 'triplet' && spec.split !== 'item') errs.push(`split must be 'triplet' or 'item', got ${spec.split}`);
  if (spec.pca !== undefined && (!Number.isInteger(spec.pca) || spec.pca < 1)) errs.push(`PCA dimension must be a positive integer, got ${spec.pca}`);
  const protocol = (spec.params?.protocol ?? {}) as Partial<ProtocolParams>;
  errs.push(...validateTemplateProtocol(protocol));
  if (protocol.jointGamma !== undefined && protocol.jointGamma !== 'ritml' && protocol.jointGamma !== 'tune')
    errs.push(`protocol.jointGamma must be "ritml" or "tune", got ${JSON.stringify(protocol.jointGamma)}`);
  const grouped = spec.methods.filter(needsComplement);
  if (grouped.length && !spec.groupBy) errs.push(`${grouped.map((m) => METHODS[m].label).join(' and ')} need groups: choose a group-by attribute`);
  if (spec.groupBy && !data.judgments.attributeColumns.includes(spec.groupBy)) {
    errs.push(
      `group-by "${spec.groupBy}" is not an attribute of ${data.judgments.source} (attributes: ${data.judgments.attributeColumns.join(', ') || 'none'})`,
    );
  }
  return errs;
}

/** k-fold cross-validation inside each group (METHOD.md §7). */
export function runExperiment(data: LabData, spec: ExperimentSpec, backend: ComputeBackend, ctx: RunContext = {}): Promise<ExperimentResult> {
  return run(data, null, spec, backend, ctx);
}

/**
 * Train on all of `data` (per group; γ / C still by inner CV on the training data) and score on the
 * same groups' constraints from `test` instead of cross-validation. Rows then have one "fold".
 */
export function runHoldout(data: LabData, test: JudgmentSet, spec: ExperimentSpec, backend: ComputeBackend, ctx: RunContext = {}): Promise<ExperimentResult> {
  return run(data, test, spec, backend, ctx);
}

/** One outer split of a group: fit on `train`, score on `test`. */
export interface Split {
  readonly train: ConstraintSet;
  readonly test: ConstraintSet;
  /** seeds the split's inner CV folds (`${seed}/inner/${group}/${key}`); default: the split's index */
  readonly key?: string;
}

/**
 * Other outer splits than the k folds (learning-curve.ts: each fold's training part subsampled): `expand`
 * maps a group's k fold splits to the splits the run fits and scores (the same number for every group);
 * everything else — templates, inner CV, batches, progress — is the experiment's. `heatmaps: false` skips
 * the heatmaps' metrics (result.metrics is then empty).
 */
export interface SplitPlan {
  readonly expand: (group: string, folds: readonly Split[]) => Split[];
  readonly heatmaps: boolean;
}

/** k-fold cross-validation with the splits of `plan`: rows hold one score per planned split, in its order. */
export function runWithSplits(data: LabData, spec: ExperimentSpec, backend: ComputeBackend, ctx: RunContext, plan: SplitPlan): Promise<ExperimentResult> {
  return run(data, null, spec, backend, ctx, plan);
}

// ---------------------------------------------------------------------------------------------
// the experiment's state, passed from step to step

interface GroupData {
  name: string;
  /** all of the group's constraints (training data of the final fine-tuned metric) */
  C: ConstraintSet;
  complement: ConstraintSet;
  /** the complement before removing the group's triplets (for the heatmaps' template, which scores nothing) */
  fullComplement: ConstraintSet;
  /** outer evaluation splits: the k CV folds, or one train/test split for a held-out test set (or a SplitPlan's) */
  splits: Split[];
}

interface Exp {
  readonly spec: ExperimentSpec;
  readonly protocol: ProtocolParams;
  readonly backend: ComputeBackend;
  readonly ctx: RunContext;
  readonly X: FeatureMatrix;
  readonly groups: GroupData[];
  readonly nSplits: number;
  readonly notes: string[];
  /** templates per group: W0 for cross-validation, and the heatmaps' (whole-complement) template */
  readonly W0: Map<string, SpdMatrix>;
  readonly heatW0: Map<string, SpdMatrix>;
  /** what each group's template is and carries (result.templates) */
  readonly templates: TemplateInfo[];
  /** summed fit times of SVM / MLR per `${method}|${group}` */
  readonly learnerMs: Map<string, number>;
  /** scores per `${method}|${group}`, filled fold by fold as fits come back */
  readonly scores: Map<string, Scores>;
  readonly meter: RunMeter;
  /** the method each running batch fits now, by batch */
  readonly active: Map<number, MethodId>;
  /** set when a concurrent chain failed: the other one stops */
  readonly stopped: { failed: boolean };
  /** fit the heatmaps' metrics (and their whole-complement templates) */
  readonly heatmaps: boolean;
}

/** One fit: method m for group g on `train` with its tuned hyper-parameter (γ or C) set to `value`. */
interface Fit {
  readonly m: MethodId;
  readonly g: GroupData;
  readonly train: ConstraintSet;
  readonly value: number | undefined;
}

/** Scores of one method in one group, fold by fold. */
interface Scores {
  folds: number[];
  train: number[];
  chosen: number[];
  /** folds scored so far */
  filled: number;
  /** SVM / MLR fits that stopped without converging, and those of them with the zero metric */
  unconverged: number;
  zeroMetric: number;
}

async function run(
  data: LabData,
  testJudgments: JudgmentSet | null,
  spec: ExperimentSpec,
  backend: ComputeBackend,
  ctx: RunContext,
  plan?: SplitPlan,
): Promise<ExperimentResult> {
  const t0 = Date.now();
  const errs = validateSpec(data, spec);
  if (errs.length) throw new ExperimentError(errs.join('; '));
  const notes: string[] = [];
  const prep = prepareFeatures(data, spec, notes);
  const constraintCounts: Record<string, number> = {};
  const groups = prepareGroups(data, testJudgments, spec, notes, constraintCounts);
  if (plan) for (const g of groups) g.splits = plan.expand(g.name, g.splits);
  const duplicates = duplicateClipsNote(
    prep.features,
    groups.flatMap((g) => [g.C, g.complement]),
  );
  if (duplicates) notes.push(duplicates);
  notes.push(
    spec.removeGroupTripletsFromW0
      ? "complement constraints on the group's triplets were removed from W0's (and JOINT's) training data"
      : "complement constraints on the group's triplets were kept in W0's (and JOINT's) training data",
  );
  const protocol = protocolOf(spec);
  const e: Exp = {
    spec,
    protocol,
    backend,
    ctx,
    X: prep.features.X,
    groups,
    nSplits: groups[0].splits.length,
    notes,
    W0: new Map(),
    heatW0: new Map(),
    templates: [],
    learnerMs: new Map(),
    scores: new Map(),
    meter: new RunMeter((p) => ctx.onRunProgress?.(p), !!ctx.concurrentLearners),
    active: new Map(),
    stopped: { failed: false },
    heatmaps: plan?.heatmaps ?? true,
  };
  const family = spec.methods.filter(isRitmlFamily);
  const retrain = e.heatmaps ? groups.filter((g) => g.fullComplement.count > g.complement.count).length : 0;
  for (const [c, n] of planCounts({ ...spec, folds: e.nSplits }, groups.length, retrain, e.heatmaps)) e.meter.plan(c, n);
  scoreBaselines(e);
  const { familyMs, finals } = await fitAll(e, family);
  const rows = tabulate(e, familyMs / Math.max(1, family.length * groups.length));
  return {
    rows,
    comparisons: compare(e, rows),
    metrics: groups.map((g, k) => ({ group: g.name, d: e.X.cols, ...finals(g, k) })).filter((m) => m.W) as GroupMetrics[],
    ...(e.templates.length ? { templates: e.templates } : {}),
    meta: {
      app: 'Similarity Lab',
      version: VERSION,
      dataFingerprint: dataFingerprint(data.features, data.judgments),
      featuresSource: data.features.source,
      judgmentsSource: data.judgments.source,
      spec,
      backend: backend.info,
      startedAt: new Date(t0).toISOString(),
      elapsedMs: Date.now() - t0,
      constraintCounts,
      featureNames: [...prep.features.names],
      notes,
    },
  };
}

/**
 * Every fit after the baselines: the RITML family and each SVM / MLR method, at the same time where the
 * backend fits the learners elsewhere, else by expected cost (learners cheaper than the whole family stage
 * before it, the others after it; MLR last).
 */
async function fitAll(e: Exp, family: readonly MethodId[]) {
  const { spec } = e;
  const n = e.groups.length;
  // the cheaper learner first (stable: spec order among equals)
  const others = spec.methods.filter((m) => METHODS[m].family === 'svm' || METHODS[m].family === 'mlr').sort((a, b) => COST[costClass(a)] - COST[costClass(b)]);
  const learnerChain = async (ms: readonly MethodId[]) => {
    for (const m of ms) await runLearner(e, m);
  };
  let out: Awaited<ReturnType<typeof runFamily>> = { familyMs: 0, finals: () => ({}) };
  const fam = async () => {
    out = await runFamily(e, family);
  };
  if (e.ctx.concurrentLearners) await concurrently(e, [fam, () => learnerChain(others)]);
  else {
    const familyCost = family.length ? (planCounts({ ...spec, methods: family }, n, n).get('ritml') ?? 0) * COST.ritml : 0;
    const learnerCost = (m: MethodId) => (planCounts({ ...spec, methods: [m] }, n).get(costClass(m)) ?? 0) * COST[costClass(m)];
    await learnerChain(others.filter((m) => learnerCost(m) < familyCost));
    await fam();
    await learnerChain(others.filter((m) => learnerCost(m) >= familyCost));
  }
  return out;
}

/** Runs `chains` at the same time; when one fails, the others stop at their next checkpoint (and the run fails). */
async function concurrently(e: Exp, chains: (() => Promise<unknown>)[]): Promise<void> {
  try {
    await Promise.all(chains.map((c) => c()));
  } catch (err) {
    e.stopped.failed = true;
    throw err;
  }
}

/** The RITML family: templates W0, γ by inner CV, then the cross-validation fits (and the heatmaps' fits). */
async function runFamily(e: Exp, family: readonly MethodId[]) {
  const { spec, protocol, notes } = e;
  const templateNote = await fitTemplates(e, family);
  // a method with `tunedFrom` uses the γ chosen for that method in the same fold (protocol.jointGamma 'ritml')
  const borrows = (m: MethodId): string | undefined => {
    const from = METHODS[m].tunedFrom;
    return from && protocol.jointGamma === 'ritml' && (family as readonly string[]).includes(from) ? from : undefined;
  };
  const gammaTuned = family.filter((m) => !borrows(m));
  const chosenGamma = await chooseByInnerCv(e, gammaTuned, 'gamma', (fits) => fitRitml(e, fits, 'inner CV (γ)'));
  const gammaOf = (m: MethodId, g: GroupData, f: number): number => {
    if (spec.gammaGrid.length === 1) return spec.gammaGrid[0];
    return chosenGamma.get(`${borrows(m) ?? m}|${g.name}|${f}`)!;
  };
  for (const m of family) {
    const from = borrows(m);
    if (from) notes.push(`${METHODS[m].label} uses the γ that inner CV chose for ${methodLabel(from)} in the same fold`);
  }
  if (templateNote) notes.push(templateNote);
  return fitFamilyFolds(e, family, gammaOf);
}

/** One SVM / MLR method: C by inner CV, then its cross-validation fits. */
async function runLearner(e: Exp, m: MethodId): Promise<void> {
  const chosenC = await chooseByInnerCv(e, [m], 'C', (fits) => fitLearners(e, fits, `inner CV (C) of ${methodLabel(m)}`));
  await fitLearnerFolds(e, [m], (key) => chosenC.get(key) ?? e.spec.cGrid[0]);
}

/**
 * How many fits of each cost class a run of `spec` makes on `nGroups` groups (`retrain`: groups whose
 * heatmaps' template is fitted separately). The run's progress bar counts these; a page may call it to
 * estimate a run before it starts.
 */
export function planCounts(spec: ExperimentSpec, nGroups: number, retrain = 0, heatmaps = true): Map<CostClass, number> {
  const out = new Map<CostClass, number>();
  const add = (c: CostClass, n: number) => n > 0 && out.set(c, (out.get(c) ?? 0) + n);
  const protocol = protocolOf(spec);
  const family = spec.methods.filter(isRitmlFamily);
  const outer = nGroups * spec.folds;
  if (family.some((m) => METHODS[m].prior === 'template')) {
    const cands = templateCandidates(protocol, spec.gammaGrid, spec.cGrid);
    const cv = cands.length > 1 ? nGroups * spec.innerFolds : 0;
    for (const c of cands) if (c.learner !== 'euclidean') add(c.learner, cv);
    // the fitted templates: counted as the dearest learned candidate (which one inner CV picks is not known yet; the
    // run re-plans once it is, so the bar's total only shrinks)
    const dear = dearest(cands);
    if (dear) add(dear, nGroups + retrain);
  }
  const tuned = family.filter((m) => !(METHODS[m].tunedFrom && protocol.jointGamma === 'ritml' && (family as string[]).includes(METHODS[m].tunedFrom!)));
  if (spec.gammaGrid.length > 1) add('ritml', tuned.length * outer * spec.innerFolds * spec.gammaGrid.length);
  const heat = heatmaps && (family.some((m) => METHODS[m].prior === 'template') || family.includes('ritml'));
  if (family.length) add('ritml', family.length * outer + (heat ? nGroups : 0));
  for (const m of spec.methods.filter((x) => METHODS[x].family === 'svm' || METHODS[x].family === 'mlr')) {
    add(costClass(m), outer * (1 + (spec.cGrid.length > 1 ? spec.innerFolds * spec.cGrid.length : 0)));
  }
  return out;
}

/** The cost class of the dearest learned template candidate (undefined: only I). */
function dearest(cands: readonly TemplateCandidate[]): CostClass | undefined {
  let best: CostClass | undefined;
  for (const c of cands) if (c.learner !== 'euclidean' && (!best || COST[c.learner] > COST[best])) best = c.learner;
  return best;
}

/** A run's expected cost in the progress bar's units (before it starts: groups from the data, 2 if none is loaded). */
export function estimateUnits(data: LabData | null, spec: ExperimentSpec): number {
  let nGroups = spec.groups?.length ?? (spec.groupBy ? 2 : 1);
  if (data && spec.groupBy && !spec.groups) {
    try {
      nGroups = groupValues(data.judgments, spec.groupBy).length;
    } catch {
      /* not an attribute: the run will say so */
    }
  }
  let units = 0;
  for (const [c, n] of planCounts(spec, nGroups, spec.removeGroupTripletsFromW0 ? nGroups : 0)) units += n * COST[c];
  return units;
}

// ---------------------------------------------------------------------------------------------
// 1. features and groups

function prepareFeatures(data: LabData, spec: ExperimentSpec, notes: string[]) {
  const prep = preprocess(data.features, { standardise: spec.standardise, pca: spec.pca });
  if (prep.report.droppedZeroVariance.length) notes.push(`dropped zero-variance features: ${prep.report.droppedZeroVariance.join(', ')}`);
  if (prep.report.pca) notes.push(`PCA to ${prep.report.pca.k} dimensions explains ${(100 * prep.report.pca.explainedVariance).toFixed(1)}% of the variance`);
  return prep;
}

/** Folds of `set` for `rngLabel`, with the fold error turned into an ExperimentError. */
function foldsOf(set: ConstraintSet, k: number, split: 'triplet' | 'item', rngLabel: string, where: string): FoldAssignment {
  try {
    return assignFolds(set, k, split, createRng(rngLabel), where);
  } catch (e) {
    throw new ExperimentError(e instanceof Error ? e.message : String(e));
  }
}

/** Each group's constraints, complement (optionally without the group's triplets) and outer splits. */
function prepareGroups(data: LabData, testJudgments: JudgmentSet | null, spec: ExperimentSpec, notes: string[], counts: Record<string, number>): GroupData[] {
  const registry = new TripletRegistry();
  const ids = data.features.ids;
  const known = spec.groupBy ? groupValues(data.judgments, spec.groupBy) : [];
  const names = spec.groupBy ? (spec.groups?.length ? [...spec.groups] : known) : ['all'];
  if (!names.length) throw new ExperimentError(`column "${spec.groupBy}" of ${data.judgments.source} has no values: there are no groups to compare`);
  return names.map((g) => {
    let C: ConstraintSet;
    let complement: ConstraintSet;
    if (spec.groupBy) {
      if (!known.includes(g)) throw new ExperimentError(`group "${g}" does not occur in column "${spec.groupBy}" (values: ${known.join(', ')})`);
      const parts = splitGroup(data.judgments, spec.groupBy, g);
      C = toConstraints(parts.group, ids, registry).constraints;
      complement = toConstraints(parts.complement, ids, registry).constraints;
    } else {
      C = toConstraints(data.judgments.judgments, ids, registry).constraints;
      complement = subsetConstraints(C, []);
    }
    if (C.count === 0) throw new ExperimentError(`group "${g}" has no constraints (after removing contradictions)`);
    const fullComplement = complement;
    if (spec.removeGroupTripletsFromW0 && complement.count) {
      const inGroup = new Set(C.triplet);
      const keep: number[] = [];
      for (let r = 0; r < complement.count; r++) if (!inGroup.has(complement.triplet[r])) keep.push(r);
      if (keep.length < complement.count)
        notes.push(`group ${g}: removed ${complement.count - keep.length} complement constraints on the group's triplets from W0/JOINT data`);
      complement = subsetConstraints(complement, keep);
    }
    if (spec.methods.some(needsComplement) && complement.count === 0) {
      throw new ExperimentError(`group "${g}" has an empty complement: W0-RITML and JOINT need data outside the group`);
    }
    const splits = testJudgments ? heldOutSplit(spec, g, C, testJudgments, ids, registry, notes, counts) : foldSplits(spec, g, C, notes);
    counts[g] = C.count;
    counts[`${g} (complement)`] = complement.count;
    return { name: g, C, complement, fullComplement, splits };
  });
}

function heldOutSplit(
  spec: ExperimentSpec,
  g: string,
  C: ConstraintSet,
  test: JudgmentSet,
  ids: readonly string[],
  registry: TripletRegistry,
  notes: string[],
  counts: Record<string, number>,
): Split[] {
  const tj = spec.groupBy ? splitGroup(test, spec.groupBy, g).group : test.judgments;
  const T = toConstraints(tj, ids, registry).constraints;
  if (T.count === 0) throw new ExperimentError(`group "${g}" has no constraints in the test set ${test.source}`);
  const seen = new Set(C.triplet);
  let overlap = 0;
  for (let r = 0; r < T.count; r++) if (seen.has(T.triplet[r])) overlap++;
  if (overlap) notes.push(`group ${g}: ${overlap} of ${T.count} test constraints are on triplets that also occur in training`);
  counts[`${g} (test)`] = T.count;
  return [{ train: C, test: T }];
}

function foldSplits(spec: ExperimentSpec, g: string, C: ConstraintSet, notes: string[]): Split[] {
  const folds = foldsOf(C, spec.folds, spec.split, `${spec.seed}/folds/${g}`, `group "${g}"`);
  if (folds.note) notes.push(`group ${g}: ${folds.note}`);
  return Array.from({ length: spec.folds }, (_, f) => {
    const ix = foldIndices(folds, f);
    return { train: subsetConstraints(C, ix.train), test: subsetConstraints(C, ix.test) };
  });
}

// ---------------------------------------------------------------------------------------------
// fits: parameters and problems from the method table, run in batches

/** Method m's parameters: the table's, then spec.params of the method it takes them from, then its own; the tuned one set to `value`. */
function paramsOf(e: Exp, m: MethodId, value: number | undefined): Record<string, unknown> {
  const row = METHODS[m];
  const user = (k: string) => (e.spec.params?.[k] ?? {}) as Record<string, unknown>;
  const p = { ...row.params, ...user(row.paramsFrom ?? m), ...user(m) };
  if (row.family === 'ritml') return { ...p, gamma: value };
  const base = { ...learnerFor(m).defaults, ...p };
  return row.tuned && value !== undefined ? { ...base, [row.tuned]: value } : base;
}

function ritmlProblem(e: Exp, { m, g, train, value }: Fit): RitmlProblem {
  const row = METHODS[m];
  const params = ritmlParams(paramsOf(e, m, value));
  // 'auto' first bounds of a transfer method: by the group's template learner (template.ts, autoBounds)
  const t = row.prior === 'template' && params.initialBounds === 'auto' ? e.templates.find((x) => x.group === g.name) : undefined;
  return {
    X: e.X,
    train: row.data === 'group+complement' ? concatConstraints(train, g.complement) : train,
    prior: row.prior === 'template' ? e.W0.get(g.name)! : null,
    params: t ? { ...params, initialBounds: autoBounds(t.method, t.identity) } : params,
  };
}

/**
 * One batch of fits (`methods`: the method of each) through `fit`: the backend's progress is reported under
 * `stage`, each result goes to `each` as soon as the backend hands it back (at the end for backends that
 * hand back none earlier), and the run's meter counts the fits and their time.
 */
async function batch(
  e: Exp,
  stage: string,
  methods: readonly MethodId[],
  fit: (ctx: FitContext) => Promise<FitResult[]>,
  each?: (k: number, r: FitResult) => void,
): Promise<FitResult[]> {
  const id = e.meter.startBatch(stage);
  const seen = new Uint8Array(methods.length);
  let delivered = 0;
  let last = performance.now();
  const units = methods.reduce((sum, m) => sum + COST[costClass(m)], 0);
  setActive(e, id, methods[0]);
  const deliver = (k: number, r: FitResult) => {
    if (seen[k]) return;
    seen[k] = 1;
    delivered++;
    const now = performance.now();
    e.meter.fittedOne(id, costClass(methods[k]), now - last);
    last = now;
    each?.(k, r);
    setActive(
      e,
      id,
      methods.find((_, j) => !seen[j]),
    );
  };
  const sub: FitContext = {
    ...e.ctx,
    checkpoint: async () => {
      if (e.stopped.failed) throw new ExperimentError('stopped: another part of the run failed');
      await e.ctx.checkpoint?.();
    },
    onProgress: (p) => {
      e.ctx.onProgress?.({ ...p, stage });
      if (!delivered && p.total > 0) e.meter.batchProgress(id, p.done / p.total, units, p.detail);
    },
    onResult: deliver,
  };
  const out = await fit(sub);
  out.forEach((r, k) => deliver(k, r));
  e.meter.endBatch(id);
  setActive(e, id, undefined);
  return out;
}

async function fitRitml(e: Exp, fits: readonly Fit[], stage: string): Promise<FitResult[]> {
  const out = await batch(
    e,
    stage,
    fits.map((f) => f.m),
    (ctx) =>
      e.backend.fitRitmlBatch(
        fits.map((f) => ritmlProblem(e, f)),
        ctx,
      ),
  );
  noteSkipped(e, out);
  return out;
}

/** The run's note (once) when RITML fits skipped pair constraints on identical points. */
function noteSkipped(e: Exp, fits: readonly FitResult[]): void {
  const note = skippedPairsNote(fits);
  if (note && !e.notes.includes(note)) e.notes.push(note);
}

async function fitLearners(e: Exp, fits: readonly Fit[], stage: string, each?: (k: number, r: FitResult) => void): Promise<FitResult[]> {
  const jobs: LearnerJob[] = fits.map(({ m, g, train, value }) => ({ method: m, tag: g.name, X: e.X, train, params: paramsOf(e, m, value) }));
  const out = await batch(
    e,
    stage,
    jobs.map((j) => j.method),
    (ctx) => (e.backend.fitLearnerBatch ? e.backend.fitLearnerBatch(jobs, ctx) : fitLearnersSequentially(jobs, ctx)),
    each,
  );
  jobs.forEach((j, k) => {
    const key = `${j.method}|${j.tag}`;
    e.learnerMs.set(key, (e.learnerMs.get(key) ?? 0) + Number(out[k].info?.fitMs ?? 0));
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// 2. templates W0 per group (trained once on the complement, prior I)

/**
 * The templates W0, one per group on its complement, from the protocol's candidates (template.ts: a learner with
 * its γ / C, or by inner CV on the complement among several, I included with w0Method 'cv'). The heatmaps score
 * nothing, so their template is trained on the whole complement: where the group's triplets are removed for CV,
 * that second template is fitted here, in the same batch (independent fits: one batch keeps the GPU wide).
 */
async function fitTemplates(e: Exp, family: readonly MethodId[]): Promise<string | null> {
  if (!family.some((m) => METHODS[m].prior === 'template')) return null;
  const candidates = templateCandidates(e.protocol, e.spec.gammaGrid, e.spec.cGrid);
  const retrain = e.heatmaps ? e.groups.filter((g) => g.fullComplement.count > g.complement.count) : [];
  const chosen = candidates.length > 1 ? await chooseTemplate(e, candidates) : null;
  const pick = (g: GroupData) => (chosen ? candidates[chosen.get(g.name)!.best] : candidates[0]);
  const jobs = [...e.groups.map((g) => ({ g, train: g.complement })), ...retrain.map((g) => ({ g, train: g.fullComplement }))];
  // the progress bar planned each template as the dearest learned candidate (planCounts); now the choices are known
  const planned = dearest(candidates);
  if (chosen && planned)
    for (const j of jobs) {
      const c = pick(j.g);
      e.meter.plan(planned, -1);
      if (c.learner !== 'euclidean') e.meter.plan(c.learner, 1);
    }
  const failed = jobs.map(() => false);
  const W = await fitTemplateCandidates(
    e,
    'template W0 (complement)',
    jobs.map((j) => ({ ...j, c: pick(j.g) })),
    failed,
  );
  jobs.forEach((j, k) => {
    if (failed[k])
      e.notes.push(
        `group ${j.g.name}: its ${candidateLabel(pick(j.g))} template gave no usable metric (zero or not positive semi-definite); I stands in for it`,
      );
  });
  const I = identity(e.X.cols);
  e.groups.forEach((g, k) => {
    e.W0.set(g.name, W[k]);
    e.heatW0.set(g.name, W[k]);
    const c = pick(g);
    e.templates.push({
      group: g.name,
      method: c.learner,
      ...(c.learner === 'euclidean' ? {} : { param: c.learner === 'ritml' ? ('gamma' as const) : ('C' as const), value: c.value }),
      chosenBy: chosen ? 'inner CV' : 'fixed',
      ...(chosen ? { innerCv: { candidates: candidates.map(candidateLabel), fulfilment: chosen.get(g.name)!.fulfilment } } : {}),
      complementConstraints: g.complement.count,
      trainFulfilment: fulfilment(e.X, W[k], g.complement),
      euclideanTrain: fulfilment(e.X, I, g.complement),
      identity: isIdentityMetric(W[k]),
      ...(failed[k] ? { failed: true } : {}),
      heldOut: g.splits.map((s) => fulfilment(e.X, W[k], s.test)),
    });
  });
  retrain.forEach((g, k) => e.heatW0.set(g.name, W[e.groups.length + k]));
  if (retrain.length)
    e.notes.push("heatmaps: template W0 trained on the whole complement (the group's triplets kept), then fine-tuned on all of the group's constraints");
  return templateNoteOf(e, candidates, chosen !== null);
}

/** Template fits of any candidates: the RITML ones in one RITML batch, the SVM / MLR ones in one learner batch; I needs none. */
async function fitTemplateCandidates(
  e: Exp,
  stage: string,
  jobs: readonly { g: GroupData; train: ConstraintSet; c: TemplateCandidate }[],
  failed?: boolean[],
): Promise<SpdMatrix[]> {
  const out: SpdMatrix[] = jobs.map(() => identity(e.X.cols));
  const ritml = jobs.flatMap((j, k) => (j.c.learner === 'ritml' ? [{ j, k, value: j.c.value }] : []));
  const learners = jobs.flatMap((j, k) => (j.c.learner === 'svm' || j.c.learner === 'mlr' ? [{ j, k, m: j.c.learner, value: j.c.value }] : []));
  if (ritml.length) {
    const problems: RitmlProblem[] = ritml.map(({ j, value }) => ({
      X: e.X,
      train: j.train,
      prior: null,
      params: ritmlParams({ ...paramsOf(e, 'ritml', value), priorCompetes: e.protocol.w0Select === 'best' }),
    }));
    e.ctx.onProgress?.({ stage, done: 0, total: problems.length });
    const forMethod = e.spec.methods.find((x) => METHODS[x].prior === 'template')!;
    const fits = await batch(
      e,
      stage,
      problems.map(() => forMethod),
      (ctx) => e.backend.fitRitmlBatch(problems, ctx),
    );
    noteSkipped(e, fits);
    ritml.forEach(({ k }, n) => (out[k] = fits[n].W));
  }
  if (learners.length) {
    const lj: LearnerJob[] = learners.map(({ j, m, value }) => ({
      method: m,
      tag: `template ${j.g.name}`,
      X: e.X,
      train: j.train,
      params: paramsOf(e, m, value),
    }));
    // with the SVM / MLR chain running at the same time elsewhere (the page's learner worker), the template fits
    // stay in this chain: one worker serves one chain, and cancelling must reach every fit
    const fits = await batch(
      e,
      stage,
      lj.map((x) => x.method),
      (ctx) => (e.backend.fitLearnerBatch && !e.ctx.concurrentLearners ? e.backend.fitLearnerBatch(lj, ctx) : fitLearnersSequentially(lj, ctx)),
    );
    learners.forEach(({ k }, n) => {
      const W0 = templateFromLearner(fits[n].W);
      if (W0) out[k] = W0;
      else if (failed) failed[k] = true;
    });
  }
  return out;
}

/** Per group, the template candidate by inner CV on the complement (template.ts), with its mean fulfilment per candidate. */
async function chooseTemplate(e: Exp, candidates: readonly TemplateCandidate[]): Promise<Map<string, { best: number; fulfilment: number[] }>> {
  const k = e.spec.innerFolds;
  const jobs: { g: GroupData; ci: number; test: ConstraintSet; train: ConstraintSet; c: TemplateCandidate }[] = [];
  for (const g of e.groups) {
    const inner = foldsOf(g.complement, k, 'triplet', `${e.spec.seed}/template-inner/${g.name}`, `the complement of group "${g.name}" (template inner CV)`);
    for (let i = 0; i < k; i++) {
      const ix = foldIndices(inner, i);
      const train = subsetConstraints(g.complement, ix.train);
      const test = subsetConstraints(g.complement, ix.test);
      candidates.forEach((c, ci) => jobs.push({ g, ci, test, train, c }));
    }
  }
  const W = await fitTemplateCandidates(e, 'template W0: inner CV', jobs);
  const sums = new Map<string, number[]>();
  jobs.forEach((j, n) => {
    const arr = sums.get(j.g.name) ?? new Array<number>(candidates.length).fill(0);
    arr[j.ci] += fulfilment(e.X, W[n], j.test);
    sums.set(j.g.name, arr);
  });
  return new Map([...sums].map(([g, arr]) => [g, { best: argmax(arr), fulfilment: arr.map((x) => x / k) }]));
}

/** The run's note on its templates: learner, γ / C and how chosen, iterate rule. */
function templateNoteOf(e: Exp, candidates: readonly TemplateCandidate[], byCv: boolean): string {
  const p = e.protocol;
  const t = e.templates;
  const picked = [
    ...new Set(t.map((x) => (x.method === 'euclidean' ? 'I' : `${candidateLabel({ learner: x.method, value: x.value! })}${x.identity ? ' → I' : ''}`))),
  ].join(', ');
  const iterate = p.w0Select === 'learned' ? ', RITML templates: the best learned iterate (I is no candidate)' : '';
  const scaled = candidates.some((c) => c.learner === 'svm' || c.learner === 'mlr')
    ? `; SVM / MLR templates normalised to trace d with ${TEMPLATE_RIDGE}·I mixed in`
    : '';
  if (p.w0Method === 'cv')
    return `template W0: chosen per group by ${e.spec.innerFolds}-fold inner CV on the complement among ${candidates.map(candidateLabel).join(', ')} (chosen: ${picked})${iterate}${scaled}`;
  const name = p.w0Method === 'ritml' ? 'γ' : 'C';
  const values = [...new Set(t.map((x) => x.value))].join(', ');
  const how = byCv ? `${name} by ${e.spec.innerFolds}-fold inner CV on the complement (chosen: ${values})` : `${name} = ${values}`;
  if (p.w0Method !== 'ritml') return `template W0: ${methodLabel(p.w0Method)} on the complement with ${how}${scaled}`;
  return `template W0: RITML on the complement with ${how}, prior I${iterate}`;
}

// ---------------------------------------------------------------------------------------------
// 3. inner cross-validation: one function for γ (RITML family) and C (SVM / MLR)

/** first index of the maximum (ties → the earlier grid value) */
function argmax(xs: readonly number[]): number {
  let b = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[b]) b = i;
  return b;
}

/**
 * For every method, group and outer fold, the grid value with the best summed fulfilment over the inner
 * folds of the training split (key `${m}|${group}|${fold}`). γ's inner folds are shared by the RITML family
 * (seeded by group and fold), C's are seeded per method, as they always were.
 */
async function chooseByInnerCv(
  e: Exp,
  methods: readonly MethodId[],
  param: 'gamma' | 'C',
  fit: (fits: Fit[]) => Promise<FitResult[]>,
): Promise<Map<string, number>> {
  const grid = param === 'gamma' ? e.spec.gammaGrid : e.spec.cGrid;
  const chosen = new Map<string, number>();
  if (grid.length < 2 || !methods.length) return chosen;
  const jobs: { key: string; vi: number; test: ConstraintSet; fit: Fit }[] = [];
  for (const m of methods) {
    for (const g of e.groups) {
      for (let f = 0; f < e.nSplits; f++) {
        const train = g.splits[f].train;
        const key = g.splits[f].key ?? f;
        const rngLabel = param === 'gamma' ? `${e.spec.seed}/inner/${g.name}/${key}` : `${e.spec.seed}/inner-${m}/${g.name}/${key}`;
        const inner = foldsOf(train, e.spec.innerFolds, 'triplet', rngLabel, `group "${g.name}", fold ${f + 1} (inner CV)`);
        for (let i = 0; i < e.spec.innerFolds; i++) {
          const ix = foldIndices(inner, i);
          const itrain = subsetConstraints(train, ix.train);
          const test = subsetConstraints(train, ix.test);
          grid.forEach((value, vi) => jobs.push({ key: `${m}|${g.name}|${f}`, vi, test, fit: { m, g, train: itrain, value } }));
        }
      }
    }
  }
  const fits = await fit(jobs.map((j) => j.fit));
  const sums = new Map<string, number[]>();
  jobs.forEach((j, k) => {
    const arr = sums.get(j.key) ?? new Array<number>(grid.length).fill(0);
    arr[j.vi] += fulfilment(e.X, fits[k].W, j.test);
    sums.set(j.key, arr);
  });
  for (const [key, arr] of sums) chosen.set(key, grid[argmax(arr)]);
  return chosen;
}

// ---------------------------------------------------------------------------------------------
// 4. outer fits

/** Scores fold f of method m in group g; when that was the group's last fold, the partial results are reported. */
function record(e: Exp, m: MethodId, g: GroupData, f: number, fit: Pick<FitResult, 'W' | 'converged'>, value: number | undefined): void {
  const key = `${m}|${g.name}`;
  const blank = () => new Array<number>(e.nSplits).fill(NaN);
  const acc = e.scores.get(key) ?? { folds: blank(), train: blank(), chosen: blank(), filled: 0, unconverged: 0, zeroMetric: 0 };
  const W = fit.W;
  // the RITML family's "not converged" means its outer iterations ran to T (the best iterate is kept by design)
  if (!fit.converged && !isRitmlFamily(m)) {
    acc.unconverged++;
    if (W.data.every((x) => x === 0)) acc.zeroMetric++;
  }
  acc.folds[f] = fulfilment(e.X, W, g.splits[f].test);
  acc.train[f] = fulfilment(e.X, W, g.splits[f].train);
  acc.chosen[f] = value ?? NaN;
  acc.filled++;
  e.scores.set(key, acc);
  if (acc.filled === e.nSplits) reportPartial(e);
}

function mode(xs: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best = xs[0];
  for (const [x, c] of counts) if (c > counts.get(best)! || (c === counts.get(best)! && x < best)) best = x;
  return best;
}

/**
 * The RITML family's cross-validation fits, and in the same batch (independent problems) the heatmaps'
 * metrics: each group's model on all of its constraints — W0-RITML from the whole-complement template when
 * W0-RITML runs, else RITML — with the γ chosen most often over the folds.
 */
async function fitFamilyFolds(e: Exp, family: readonly MethodId[], gammaOf: (m: MethodId, g: GroupData, f: number) => number) {
  // method by method (then group by group), so each method's rows are done as early as they can be
  const outer: (Fit & { f: number })[] = [];
  for (const m of family)
    for (const g of e.groups) for (let f = 0; f < e.nSplits; f++) outer.push({ m, g, f, train: g.splits[f].train, value: gammaOf(m, g, f) });
  const transfer = family.find((m) => METHODS[m].prior === 'template');
  const heatMethod: MethodId | null = !e.heatmaps ? null : (transfer ?? (family.includes('ritml') ? 'ritml' : null));
  const finals: RitmlProblem[] = heatMethod
    ? e.groups.map((g) => ({
        ...ritmlProblem(e, { m: heatMethod, g, train: g.C, value: mode(Array.from({ length: e.nSplits }, (_, f) => gammaOf(heatMethod, g, f))) }),
        prior: transfer ? e.heatW0.get(g.name)! : null,
      }))
    : [];
  const t0 = Date.now();
  const problems = [...outer.map((j) => ritmlProblem(e, j)), ...finals];
  const methods = [...outer.map((j) => j.m), ...finals.map(() => heatMethod!)];
  const each = (k: number, r: FitResult) => k < outer.length && record(e, outer[k].m, outer[k].g, outer[k].f, r, outer[k].value);
  const fits = outer.length
    ? await batch(e, `cross-validation fits (${family.map(methodLabel).join(' / ')})`, methods, (ctx) => e.backend.fitRitmlBatch(problems, ctx), each)
    : [];
  noteSkipped(e, fits);
  const familyMs = Date.now() - t0;
  const finalOf = (g: GroupData, k: number): Partial<GroupMetrics> => {
    if (!heatMethod) return {};
    const W = Array.from(fits[outer.length + k].W.data);
    return transfer ? { W0: Array.from(e.heatW0.get(g.name)!.data), W } : { W };
  };
  return { familyMs, finals: finalOf };
}

/** SVM / MLR cross-validation fits with the C chosen for each fold. */
async function fitLearnerFolds(e: Exp, others: readonly MethodId[], cOf: (key: string) => number): Promise<void> {
  const outer: (Fit & { f: number })[] = [];
  // the smallest group first: its row is the first learned one on the page (independent fits: same numbers)
  const bySize = [...e.groups].sort((a, b) => a.C.count - b.C.count);
  for (const m of others) {
    for (const g of bySize) {
      for (let f = 0; f < e.nSplits; f++) outer.push({ m, g, f, train: g.splits[f].train, value: METHODS[m].tuned ? cOf(`${m}|${g.name}|${f}`) : undefined });
    }
  }
  if (!outer.length) return;
  const stage = `cross-validation fits (${others.map(methodLabel).join(' / ')})`;
  await fitLearners(e, outer, stage, (k, r) => record(e, outer[k].m, outer[k].g, outer[k].f, r, outer[k].value));
}

// ---------------------------------------------------------------------------------------------
// 5. table and comparisons

/** The Euclidean (baseline) scores, fold by fold: no fit, so they are the first rows of a run. */
function scoreBaselines(e: Exp): void {
  const I = identity(e.X.cols);
  for (const m of e.spec.methods.filter((x) => METHODS[x].family === 'baseline')) {
    for (const g of e.groups) {
      const folds = g.splits.map((s) => fulfilment(e.X, I, s.test));
      e.scores.set(`${m}|${g.name}`, {
        folds,
        train: g.splits.map((s) => fulfilment(e.X, I, s.train)),
        chosen: [],
        filled: e.nSplits,
        unconverged: 0,
        zeroMetric: 0,
      });
    }
  }
  reportPartial(e);
}

function rowOf(m: MethodId, group: string, acc: Scores, ms: number): ResultRow {
  return {
    method: m,
    group,
    mean: mean(acc.folds),
    sd: sd(acc.folds),
    folds: acc.folds,
    train: mean(acc.train),
    ...(acc.chosen.some((x) => Number.isFinite(x)) ? { chosen: acc.chosen } : {}),
    fitMs: Math.round(ms),
    ...(acc.unconverged ? { notConverged: { fits: acc.unconverged, of: acc.folds.length, zeroMetric: acc.zeroMetric } } : {}),
  };
}

/** average over groups (fold-wise average, so the sd is over folds as for a group) */
function averageRow(e: Exp, m: MethodId, rs: readonly ResultRow[]): ResultRow {
  const folds = Array.from({ length: e.nSplits }, (_, f) => mean(rs.map((r) => r.folds[f])));
  return {
    method: m,
    group: 'average',
    mean: mean(rs.map((r) => r.mean)),
    sd: sd(folds),
    folds,
    train: mean(rs.map((r) => r.train)),
    fitMs: rs.reduce((s, r) => s + r.fitMs, 0),
    ...notConvergedOf(rs),
  };
}

/** the groups' unconverged fits summed (for the average row) */
function notConvergedOf(rs: readonly ResultRow[]): Pick<ResultRow, 'notConverged'> {
  const bad = rs.filter((r) => r.notConverged);
  if (!bad.length) return {};
  const sum = (k: 'fits' | 'zeroMetric') => bad.reduce((s, r) => s + r.notConverged![k], 0);
  return { notConverged: { fits: sum('fits'), of: rs.reduce((s, r) => s + r.folds.length, 0), zeroMetric: sum('zeroMetric') } };
}

/** The rows of every method × group whose folds are all scored (all of them at the end), then the averages. */
function tabulate(e: Exp, familyMsEach: number): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const m of e.spec.methods) {
    for (const g of e.groups) {
      const acc = e.scores.get(`${m}|${g.name}`);
      if (!acc || acc.filled < e.nSplits) continue;
      rows.push(rowOf(m, g.name, acc, isRitmlFamily(m) ? familyMsEach : (e.learnerMs.get(`${m}|${g.name}`) ?? 0)));
    }
  }
  if (e.groups.length > 1) {
    for (const m of e.spec.methods) {
      const rs = rows.filter((r) => r.method === m && r.group !== 'average');
      if (rs.length === e.groups.length) rows.push(averageRow(e, m, rs));
    }
  }
  return rows;
}

/** Paired significance over folds, for every pair of methods in every group (and the average) that both have a row. */
function compare(e: Exp, rows: readonly ResultRow[]): Comparison[] {
  const out: Comparison[] = [];
  if (e.nSplits < 2) return out;
  const names = [...e.groups.map((g) => g.name), ...(e.groups.length > 1 ? ['average'] : [])];
  const ms = e.spec.methods;
  for (const gname of names) {
    for (let i = 0; i < ms.length; i++) {
      for (let j = i + 1; j < ms.length; j++) {
        const ra = rows.find((r) => r.method === ms[i] && r.group === gname);
        const rb = rows.find((r) => r.method === ms[j] && r.group === gname);
        // no test against a row whose every fit failed (zero metric): its score is no result
        if (!ra || !rb || allFailed(ra) || allFailed(rb)) continue;
        const t = pairedTTest(ra.folds, rb.folds);
        const w = wilcoxonSignedRank(ra.folds, rb.folds);
        out.push({ group: gname, a: ra.method, b: rb.method, meanDiff: t.meanDiff, p: t.p, pWilcoxon: w.p });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 6. partial results while the run goes on

/** batch `id` fits method `m` now (undefined: the batch is over); a change is reported */
function setActive(e: Exp, id: number, m: MethodId | undefined): void {
  if (e.active.get(id) === m) return;
  if (m) e.active.set(id, m);
  else e.active.delete(id);
  reportPartial(e);
}

function reportPartial(e: Exp): void {
  if (!e.ctx.onPartial) return;
  const rows = tabulate(e, 0);
  const running = new Set(e.active.values());
  const pending: Partial<Record<MethodId, 'running' | 'queued'>> = {};
  for (const m of e.spec.methods) {
    if (!e.groups.every((g) => e.scores.get(`${m}|${g.name}`)?.filled === e.nSplits)) pending[m] = running.has(m) ? 'running' : 'queued';
  }
  e.ctx.onPartial({ rows, comparisons: compare(e, rows), pending, groups: e.groups.map((g) => g.name) });
}

export { FoldError };
export type { FeatureMatrix };
