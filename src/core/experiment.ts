/**
 * A whole experiment (METHOD.md §5–§7): preprocessing, groups and complements, seeded k-fold CV with
 * inner-CV selection of γ / C on the training folds only, the transfer protocol (W0 trained once per
 * group on the complement, then fine-tuned inside the group's CV), fulfilment scores, paired
 * significance tests and provenance. The CLI, the worker and the tests all call `runExperiment`, so
 * the same data, spec and seed give the same numbers everywhere.
 *
 * RITML-family fits (itml, ritml, w0-ritml, joint) are collected into batches — one per phase — and
 * handed to the ComputeBackend, so a GPU backend can run many independent problems per dispatch.
 */
import { fitLearnersSequentially, type ComputeBackend, type LearnerJob, type RitmlProblem } from './compute';
import type { Comparison, ExperimentResult, ExperimentSpec, GroupMetrics, MethodId, ResultRow } from './experiment-types';
import { assignFolds, FoldError, foldIndices, type FoldAssignment } from './folds';
import { learnerFor, RITML_FAMILY, type RitmlFamilyId } from './learners';
import { identity } from './matrix';
import { ALL_METHODS, DEFAULT_SPEC } from './methods';
import { preprocess } from './preprocess';
import { createRng } from './rng';
import { ritmlParams, type RitmlParams } from './ritml';
import { concatConstraints, fulfilment, subsetConstraints } from './score';
import { pairedTTest, wilcoxonSignedRank } from './stats';
import { groupValues, splitGroup, toConstraints, TripletRegistry } from './constraints';
import { dataFingerprint, VERSION } from './provenance';
import type { ConstraintSet, FeatureMatrix, FeatureSet, FitContext, FitResult, JudgmentSet, SpdMatrix } from './types';

export interface LabData {
  readonly features: FeatureSet;
  /** judgments with user attributes already joined */
  readonly judgments: JudgmentSet;
}

export type RunContext = FitContext;

export { ALL_METHODS, DEFAULT_SPEC };

/**
 * Named reconstruction parameters of the experiment protocol (spec.params.protocol):
 * - w0Gamma: γ of the template W0 on the complement (no inner CV there: the complement is large and
 *   W0 is trained once per group) — default 1 (ITML's reference default);
 * - jointGamma: 'ritml' uses the γ inner CV chose for RITML in the same fold (JOINT trains on the whole
 *   complement in every fit, so tuning it separately multiplies the cost), 'tune' runs its own inner CV.
 */
export interface ProtocolParams {
  w0Gamma: number;
  jointGamma: 'ritml' | 'tune';
}
export const PROTOCOL_DEFAULTS: ProtocolParams = { w0Gamma: 1, jointGamma: 'ritml' };

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
  for (const m of spec.methods) if (!ALL_METHODS.includes(m)) errs.push(`unknown method "${m}" (known: ${ALL_METHODS.join(', ')})`);
  if (!Number.isInteger(spec.folds) || spec.folds < 2) errs.push(`folds must be an integer ≥ 2, got ${spec.folds}`);
  if (!Number.isInteger(spec.innerFolds) || spec.innerFolds < 2) errs.push(`inner folds must be an integer ≥ 2, got ${spec.innerFolds}`);
  if (!spec.gammaGrid.length || spec.gammaGrid.some((g) => !(g > 0))) errs.push('γ grid must hold positive numbers');
  if (!spec.cGrid.length || spec.cGrid.some((c) => !(c > 0))) errs.push('C grid must hold positive numbers');
  if (spec.split !== 'triplet' && spec.split !== 'item') errs.push(`split must be 'triplet' or 'item', got ${spec.split}`);
  if (spec.pca !== undefined && (!Number.isInteger(spec.pca) || spec.pca < 1)) errs.push(`PCA dimension must be a positive integer, got ${spec.pca}`);
  const needsGroups = spec.methods.some((m) => m === 'w0-ritml' || m === 'joint');
  if (needsGroups && !spec.groupBy) errs.push('w0-ritml and joint need groups: choose a group-by attribute');
  if (spec.groupBy && !data.judgments.attributeColumns.includes(spec.groupBy)) {
    errs.push(`group-by "${spec.groupBy}" is not an attribute of ${data.judgments.source} (attributes: ${data.judgments.attributeColumns.join(', ') || 'none'})`);
  }
  return errs;
}

interface GroupData {
  name: string;
  /** all of the group's constraints (training data of the final fine-tuned metric) */
  C: ConstraintSet;
  complement: ConstraintSet;
  /** the complement before removing the group's triplets (for the heatmaps' template, which scores nothing) */
  fullComplement: ConstraintSet;
  /** outer evaluation splits: the k CV folds, or one train/test split for a held-out test set */
  splits: { train: ConstraintSet; test: ConstraintSet }[];
}

interface Tally {
  done: number;
  total: number;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
function sdOf(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** first index of the maximum (ties → the earlier grid value) */
function argmax(xs: readonly number[]): number {
  let b = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[b]) b = i;
  return b;
}

function mode(xs: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best = xs[0];
  for (const [x, c] of counts) if (c > counts.get(best)! || (c === counts.get(best)! && x < best)) best = x;
  return best;
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

async function run(
  data: LabData,
  testJudgments: JudgmentSet | null,
  spec: ExperimentSpec,
  backend: ComputeBackend,
  ctx: RunContext,
): Promise<ExperimentResult> {
  const t0 = Date.now();
  const startedAt = new Date(t0).toISOString();
  const errs = validateSpec(data, spec);
  if (errs.length) throw new ExperimentError(errs.join('; '));
  const notes: string[] = [];
  const protocol: ProtocolParams = { ...PROTOCOL_DEFAULTS, ...((spec.params?.protocol ?? {}) as Partial<ProtocolParams>) };
  const progress = (stage: string, t: Tally, detail?: string) => ctx.onProgress?.({ stage, done: t.done, total: t.total, detail });
  /** the run's context with a batch's progress reported under `stage` (counts and detail as the backend gives them) */
  const staged = (stage: string): FitContext => ({ ...ctx, onProgress: (p) => ctx.onProgress?.({ ...p, stage }) });

  // 1. features
  const prep = preprocess(data.features, { standardise: spec.standardise, pca: spec.pca });
  const X = prep.features.X;
  const d = X.cols;
  if (prep.report.droppedZeroVariance.length) notes.push(`dropped zero-variance features: ${prep.report.droppedZeroVariance.join(', ')}`);
  if (prep.report.pca) notes.push(`PCA to ${prep.report.pca.k} dimensions explains ${(100 * prep.report.pca.explainedVariance).toFixed(1)}% of the variance`);

  // 2. groups, complements, folds
  const registry = new TripletRegistry();
  const ids = data.features.ids;
  const known = spec.groupBy ? groupValues(data.judgments, spec.groupBy) : [];
  const groupNames = spec.groupBy ? (spec.groups?.length ? [...spec.groups] : known) : ['all'];
  const groups: GroupData[] = [];
  const constraintCounts: Record<string, number> = {};
  for (const g of groupNames) {
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
      if (keep.length < complement.count) notes.push(`group ${g}: removed ${complement.count - keep.length} complement constraints on the group's triplets from W0/JOINT data`);
      complement = subsetConstraints(complement, keep);
    }
    if (spec.methods.some((m) => m === 'w0-ritml' || m === 'joint') && complement.count === 0) {
      throw new ExperimentError(`group "${g}" has an empty complement: W0-RITML and JOINT need data outside the group`);
    }
    let splits: GroupData['splits'];
    if (testJudgments) {
      const tj = spec.groupBy ? splitGroup(testJudgments, spec.groupBy, g).group : testJudgments.judgments;
      const T = toConstraints(tj, ids, registry).constraints;
      if (T.count === 0) throw new ExperimentError(`group "${g}" has no constraints in the test set ${testJudgments.source}`);
      const seen = new Set(C.triplet);
      let overlap = 0;
      for (let r = 0; r < T.count; r++) if (seen.has(T.triplet[r])) overlap++;
      if (overlap) notes.push(`group ${g}: ${overlap} of ${T.count} test constraints are on triplets that also occur in training`);
      splits = [{ train: C, test: T }];
      constraintCounts[`${g} (test)`] = T.count;
    } else {
      let folds: FoldAssignment;
      try {
        folds = assignFolds(C, spec.folds, spec.split, createRng(`${spec.seed}/folds/${g}`), `group "${g}"`);
      } catch (e) {
        throw new ExperimentError(e instanceof Error ? e.message : String(e));
      }
      if (folds.note) notes.push(`group ${g}: ${folds.note}`);
      splits = Array.from({ length: spec.folds }, (_, f) => {
        const ix = foldIndices(folds, f);
        return { train: subsetConstraints(C, ix.train), test: subsetConstraints(C, ix.test) };
      });
    }
    constraintCounts[g] = C.count;
    constraintCounts[`${g} (complement)`] = complement.count;
    groups.push({ name: g, C, complement, fullComplement, splits });
  }
  const nSplits = groups[0].splits.length;
  notes.push(
    spec.removeGroupTripletsFromW0
      ? 'complement constraints on the group\'s triplets were removed from W0\'s (and JOINT\'s) training data'
      : 'complement constraints on the group\'s triplets were kept in W0\'s (and JOINT\'s) training data',
  );

  const methodParams = (m: string): Record<string, unknown> => ({ ...((spec.params?.[m] ?? {}) as Record<string, unknown>) });
  const family = spec.methods.filter((m): m is RitmlFamilyId => (RITML_FAMILY as readonly string[]).includes(m));
  const familyParams = (m: RitmlFamilyId, gamma: number): RitmlParams => {
    const base = m === 'itml' ? { outer: 1, initialBounds: 'percentile' as const, selectBest: false } : {};
    return ritmlParams({ ...base, ...methodParams(m === 'w0-ritml' || m === 'joint' ? 'ritml' : m), ...methodParams(m), gamma });
  };
  const I = identity(d);

  // 3. templates W0 per group (trained once on the complement, prior I)
  // The heatmaps (step 8) score nothing, so their template is trained on the whole complement: where the
  // group's triplets are removed for CV, that second template is fitted here, in the same batch (the fits
  // are independent; one batch keeps the GPU wide and saves a sequential phase).
  const W0 = new Map<string, SpdMatrix>();
  const heatW0 = new Map<string, SpdMatrix>();
  const retrain = family.includes('w0-ritml') ? groups.filter((g) => g.fullComplement.count > g.complement.count) : [];
  if (family.includes('w0-ritml')) {
    const problems: RitmlProblem[] = [...groups.map((g) => g.complement), ...retrain.map((g) => g.fullComplement)].map((train) => ({
      X, train, prior: null, params: familyParams('ritml', protocol.w0Gamma),
    }));
    const t: Tally = { done: 0, total: problems.length };
    progress('template W0 (complement)', t);
    const fits = await backend.fitRitmlBatch(problems, staged('template W0 (complement)'));
    groups.forEach((g, k) => {
      W0.set(g.name, fits[k].W);
      heatW0.set(g.name, fits[k].W);
    });
    retrain.forEach((g, k) => heatW0.set(g.name, fits[groups.length + k].W));
    if (retrain.length) notes.push('heatmaps: template W0 trained on the whole complement (the group\'s triplets kept), then fine-tuned on all of the group\'s constraints');
  }
  const priorFor = (m: RitmlFamilyId, g: GroupData): SpdMatrix | null => (m === 'w0-ritml' ? W0.get(g.name)! : null);
  const trainFor = (m: RitmlFamilyId, g: GroupData, train: ConstraintSet): ConstraintSet =>
    m === 'joint' ? concatConstraints(train, g.complement) : train;

  // 4. inner CV for γ (RITML family), batched over groups × folds × inner folds × γ
  const tuneFamily = family.filter((m) => !(m === 'joint' && protocol.jointGamma === 'ritml' && family.includes('ritml')));
  const chosenGamma = new Map<string, number>(); // `${m}|${g}|${f}`
  const innerJobs: { m: RitmlFamilyId; g: GroupData; f: number; gi: number; test: ConstraintSet; problem: RitmlProblem }[] = [];
  for (const g of groups) {
    for (let f = 0; f < nSplits; f++) {
      const trainSet = g.splits[f].train;
      if (spec.gammaGrid.length === 1) continue;
      let inner: FoldAssignment;
      try {
        inner = assignFolds(trainSet, spec.innerFolds, 'triplet', createRng(`${spec.seed}/inner/${g.name}/${f}`), `group "${g.name}", fold ${f + 1} (inner CV)`);
      } catch (e) {
        throw new ExperimentError(e instanceof Error ? e.message : String(e));
      }
      for (let i = 0; i < spec.innerFolds; i++) {
        const ix = foldIndices(inner, i);
        const itrain = subsetConstraints(trainSet, ix.train);
        const itest = subsetConstraints(trainSet, ix.test);
        for (const m of tuneFamily) {
          spec.gammaGrid.forEach((gamma, gi) => {
            innerJobs.push({ m, g, f, gi, test: itest, problem: { X, train: trainFor(m, g, itrain), prior: priorFor(m, g), params: familyParams(m, gamma) } });
          });
        }
      }
    }
  }
  if (innerJobs.length) {
    const fits = await backend.fitRitmlBatch(
      innerJobs.map((j) => j.problem),
      staged('inner CV (γ)'),
    );
    const sums = new Map<string, number[]>();
    innerJobs.forEach((j, k) => {
      const key = `${j.m}|${j.g.name}|${j.f}`;
      const arr = sums.get(key) ?? new Array<number>(spec.gammaGrid.length).fill(0);
      arr[j.gi] += fulfilment(X, fits[k].W, j.test);
      sums.set(key, arr);
    });
    for (const [key, arr] of sums) chosenGamma.set(key, spec.gammaGrid[argmax(arr)]);
  }
  const gammaOf = (m: RitmlFamilyId, g: GroupData, f: number): number => {
    if (spec.gammaGrid.length === 1) return spec.gammaGrid[0];
    const own = chosenGamma.get(`${m}|${g.name}|${f}`);
    if (own !== undefined) return own;
    return chosenGamma.get(`ritml|${g.name}|${f}`)!; // joint borrowing RITML's γ
  };
  if (family.includes('joint') && !tuneFamily.includes('joint')) notes.push('JOINT uses the γ that inner CV chose for RITML in the same fold');
  if (family.includes('w0-ritml')) notes.push(`template W0: RITML on the complement with γ = ${protocol.w0Gamma}, prior I`);

  // 5. outer fits (RITML family) batched
  const rows: ResultRow[] = [];
  const outerJobs: { m: RitmlFamilyId; g: GroupData; f: number; gamma: number; test: ConstraintSet; trainOwn: ConstraintSet; problem: RitmlProblem }[] = [];
  for (const g of groups) {
    for (let f = 0; f < nSplits; f++) {
      const { train: trainSet, test: testSet } = g.splits[f];
      for (const m of family) {
        const gamma = gammaOf(m, g, f);
        outerJobs.push({ m, g, f, gamma, test: testSet, trainOwn: trainSet, problem: { X, train: trainFor(m, g, trainSet), prior: priorFor(m, g), params: familyParams(m, gamma) } });
      }
    }
  }
  // the metrics for the heatmaps (step 8): each group's model on all of its constraints — W0-RITML from the
  // whole-complement template when W0-RITML runs, else RITML — with the γ chosen most often over the folds;
  // fitted in the same batch as the cross-validation fits (independent problems)
  const heatMethod: RitmlFamilyId | null = family.includes('w0-ritml') ? 'w0-ritml' : family.includes('ritml') ? 'ritml' : null;
  const finals: RitmlProblem[] = heatMethod
    ? groups.map((g) => ({
        X, train: g.C, prior: heatMethod === 'w0-ritml' ? heatW0.get(g.name)! : null,
        params: familyParams(heatMethod, mode(Array.from({ length: nSplits }, (_, f) => gammaOf(heatMethod, g, f)))),
      }))
    : [];
  const fitStart = Date.now();
  const allFits = outerJobs.length
    ? await backend.fitRitmlBatch(
        [...outerJobs.map((j) => j.problem), ...finals],
        staged('cross-validation fits'),
      )
    : [];
  const outerFits = allFits.slice(0, outerJobs.length);
  const finalFits = allFits.slice(outerJobs.length);
  const familyMs = Date.now() - fitStart;
  const perMethod = new Map<string, { folds: number[]; train: number[]; chosen: number[] }>();
  outerJobs.forEach((j, k) => {
    const key = `${j.m}|${j.g.name}`;
    const acc = perMethod.get(key) ?? { folds: new Array(nSplits).fill(NaN), train: new Array(nSplits).fill(NaN), chosen: new Array(nSplits).fill(NaN) };
    acc.folds[j.f] = fulfilment(X, outerFits[k].W, j.test);
    acc.train[j.f] = fulfilment(X, outerFits[k].W, j.trainOwn);
    acc.chosen[j.f] = j.gamma;
    perMethod.set(key, acc);
  });

  // 6. the other learners (SVM, MLR) with their own inner CV over C, batched like the RITML family
  //    (a backend with `fitLearnerBatch`, e.g. the CLI's worker pool, runs them in parallel)
  const others = spec.methods.filter((m) => m !== 'euclidean' && !(RITML_FAMILY as readonly string[]).includes(m));
  const learnerMs = new Map<string, number>();
  const runLearners = async (jobs: LearnerJob[], stage: string): Promise<FitResult[]> => {
    const sub = staged(stage);
    const fits = backend.fitLearnerBatch ? await backend.fitLearnerBatch(jobs, sub) : await fitLearnersSequentially(jobs, sub);
    jobs.forEach((j, k) => {
      const key = `${j.method}|${j.tag}`;
      learnerMs.set(key, (learnerMs.get(key) ?? 0) + Number(fits[k].info?.fitMs ?? 0));
    });
    return fits;
  };
  const chosenC = new Map<string, number>();
  if (others.length && spec.cGrid.length > 1) {
    const inner: { key: string; ci: number; test: ConstraintSet; job: LearnerJob }[] = [];
    for (const m of others) {
      const learner = learnerFor(m);
      if (!learner.tuned) continue;
      const base = { ...learner.defaults, ...methodParams(m) } as Record<string, unknown>;
      for (const g of groups) {
        for (let f = 0; f < nSplits; f++) {
          const trainSet = g.splits[f].train;
          let fa: FoldAssignment;
          try {
            fa = assignFolds(trainSet, spec.innerFolds, 'triplet', createRng(`${spec.seed}/inner-${m}/${g.name}/${f}`), `group "${g.name}", fold ${f + 1} (inner CV)`);
          } catch (e) {
            throw new ExperimentError(e instanceof Error ? e.message : String(e));
          }
          for (let i = 0; i < spec.innerFolds; i++) {
            const iix = foldIndices(fa, i);
            const itrain = subsetConstraints(trainSet, iix.train);
            const itest = subsetConstraints(trainSet, iix.test);
            spec.cGrid.forEach((c, ci) =>
              inner.push({ key: `${m}|${g.name}|${f}`, ci, test: itest, job: { method: m, tag: g.name, X, train: itrain, params: { ...base, [learner.tuned!.param]: c } } }),
            );
          }
        }
      }
    }
    if (inner.length) {
      const fits = await runLearners(inner.map((j) => j.job), 'inner CV (C)');
      const sums = new Map<string, number[]>();
      inner.forEach((j, k) => {
        const arr = sums.get(j.key) ?? new Array<number>(spec.cGrid.length).fill(0);
        arr[j.ci] += fulfilment(X, fits[k].W, j.test);
        sums.set(j.key, arr);
      });
      for (const [key, arr] of sums) chosenC.set(key, spec.cGrid[argmax(arr)]);
    }
  }
  const outerL: { m: MethodId; g: GroupData; f: number; value?: number; job: LearnerJob }[] = [];
  for (const m of others) {
    const learner = learnerFor(m);
    const base = { ...learner.defaults, ...methodParams(m) } as Record<string, unknown>;
    for (const g of groups) {
      for (let f = 0; f < nSplits; f++) {
        const value = learner.tuned ? chosenC.get(`${m}|${g.name}|${f}`) ?? spec.cGrid[0] : undefined;
        const params = learner.tuned && value !== undefined ? { ...base, [learner.tuned.param]: value } : base;
        outerL.push({ m, g, f, value, job: { method: m, tag: g.name, X, train: g.splits[f].train, params } });
      }
    }
  }
  if (outerL.length) {
    const fits = await runLearners(outerL.map((j) => j.job), 'cross-validation fits (SVM / MLR)');
    outerL.forEach((j, k) => {
      const key = `${j.m}|${j.g.name}`;
      const acc = perMethod.get(key) ?? { folds: new Array(nSplits).fill(NaN), train: new Array(nSplits).fill(NaN), chosen: new Array(nSplits).fill(NaN) };
      acc.folds[j.f] = fulfilment(X, fits[k].W, j.g.splits[j.f].test);
      acc.train[j.f] = fulfilment(X, fits[k].W, j.g.splits[j.f].train);
      acc.chosen[j.f] = j.value ?? NaN;
      perMethod.set(key, acc);
    });
  }
  for (const m of spec.methods) {
    for (const g of groups) {
      let acc = perMethod.get(`${m}|${g.name}`);
      if (!acc && m === 'euclidean') {
        acc = { folds: g.splits.map((s) => fulfilment(X, I, s.test)), train: g.splits.map((s) => fulfilment(X, I, s.train)), chosen: [] };
      }
      const ms = (RITML_FAMILY as readonly string[]).includes(m) ? familyMs / Math.max(1, family.length * groups.length) : learnerMs.get(`${m}|${g.name}`) ?? 0;
      rows.push({
        method: m,
        group: g.name,
        mean: mean(acc!.folds),
        sd: sdOf(acc!.folds),
        folds: acc!.folds,
        train: mean(acc!.train),
        ...(acc!.chosen.some((x) => Number.isFinite(x)) ? { chosen: acc!.chosen } : {}),
        fitMs: Math.round(ms),
      });
    }
  }
  // average over groups (fold-wise average, so the sd is over folds as for a group)
  if (groups.length > 1) {
    for (const m of spec.methods) {
      const rs = rows.filter((r) => r.method === m && r.group !== 'average');
      const folds = Array.from({ length: nSplits }, (_, f) => mean(rs.map((r) => r.folds[f])));
      rows.push({ method: m, group: 'average', mean: mean(rs.map((r) => r.mean)), sd: sdOf(folds), folds, train: mean(rs.map((r) => r.train)), fitMs: rs.reduce((s, r) => s + r.fitMs, 0) });
    }
  }

  // 7. paired significance over folds
  const comparisons: Comparison[] = [];
  const groupRows = [...groups.map((g) => g.name), ...(groups.length > 1 ? ['average'] : [])];
  for (const gname of groupRows) {
    for (let i = 0; i < spec.methods.length; i++) {
      for (let j = i + 1; j < spec.methods.length; j++) {
        const ra = rows.find((r) => r.method === spec.methods[i] && r.group === gname)!;
        const rb = rows.find((r) => r.method === spec.methods[j] && r.group === gname)!;
        if (nSplits < 2) continue;
        const t = pairedTTest(ra.folds, rb.folds);
        const w = wilcoxonSignedRank(ra.folds, rb.folds);
        comparisons.push({ group: gname, a: ra.method, b: rb.method, meanDiff: t.meanDiff, p: t.p, pWilcoxon: w.p });
      }
    }
  }

  // 8. metrics for the heatmaps: template W0 and the group model fine-tuned on all the group's data
  //    (both fitted above, in the template and cross-validation batches)
  const metrics: GroupMetrics[] = [];
  groups.forEach((g, k) => {
    if (heatMethod === 'w0-ritml') metrics.push({ group: g.name, d, W0: Array.from(heatW0.get(g.name)!.data), W: Array.from(finalFits[k].W.data) });
    else if (heatMethod === 'ritml') metrics.push({ group: g.name, d, W: Array.from(finalFits[k].W.data) });
  });

  return {
    rows,
    comparisons,
    metrics,
    meta: {
      app: 'Similarity Lab',
      version: VERSION,
      dataFingerprint: dataFingerprint(data.features, data.judgments),
      featuresSource: data.features.source,
      judgmentsSource: data.judgments.source,
      spec,
      backend: backend.info,
      startedAt,
      elapsedMs: Date.now() - t0,
      constraintCounts,
      featureNames: [...prep.features.names],
      notes,
    },
  };
}

export { FoldError };
export type { FeatureMatrix };
