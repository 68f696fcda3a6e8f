/**
 * The synthetic CASimIR-like data shows what the poster claims about transfer (Wolff, MacFarlane &
 * Weyde, ISMIR 2015): on the planted group ('>25', the smaller one), W0-RITML — RITML fine-tuned from
 * a template W0 learned on the complement — (a) predicts held-out votes better than RITML trained on
 * the group alone, which beats Euclidean, and (b) recovers the planted feature couplings better.
 *
 * Recovery measure (b), the same for both methods. Correlation form ρ(W)ᵢⱼ = Wᵢⱼ / √(Wᵢᵢ Wⱼⱼ); off(W)
 * is the vector of ρ(W)ᵢⱼ over the 435 pairs i < j. The TRUE group-specific change is
 * t = off(W_true,>25) − off(W_template) (non-zero only at the 5 planted pairs). A method's LEARNED
 * change is off(W) − off(prior): off(W) − off(W0) for W0-RITML, off(W) − off(I) = off(W) for RITML.
 * recovery = cos(learned change, t) ∈ [−1, 1]: 1 means the method changed exactly the planted pairs,
 * in the true proportions; 0 means its off-diagonal changes are unrelated to them.
 *
 * The metrics compared in (b) are fitted on ALL the group's data with the same γ; W0 is RITML on ALL
 * the complement's votes (prior I, γ = 1, as the experiment's template), i.e. METHOD.md §5 step 1 — no
 * held-out data is involved, so nothing is removed from W0's data here. (The CV in (a) uses
 * runExperiment's default protocol, which does remove complement votes on the group's triplets.)
 *
 * Size: the generator defaults with seed 2 (not the bundled seed 1), 5-fold CV with one γ (no inner
 * CV), so it runs in well under a minute on a loaded 2-core machine. The bundled data set (seed 1,
 * 10-fold CV, γ by inner CV) shows the same; see public/data/synthetic/SOURCE.md.
 */
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/core/compute-cpu';
import { splitGroup, toConstraints, TripletRegistry } from '../src/core/constraints';
import { DEFAULT_SPEC, runExperiment } from '../src/core/experiment';
import type { ExperimentSpec } from '../src/core/experiment-types';
import { preprocess } from '../src/core/preprocess';
import { ritml } from '../src/core/ritml';
import { generateSynthetic } from '../src/core/synthetic';

const SEED = 2;
const GAMMA = 0.1;

/** off-diagonal correlation form of a d×d row-major metric, pairs i < j in row order */
function offCorr(W: ArrayLike<number>, d: number): Float64Array {
  const out = new Float64Array((d * (d - 1)) / 2);
  let k = 0;
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) out[k++] = W[i * d + j] / Math.sqrt(W[i * d + i] * W[j * d + j]);
  return out;
}
function cosine(a: Float64Array, b: Float64Array): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < a.length; k++) {
    s += a[k] * b[k];
    na += a[k] * a[k];
    nb += b[k] * b[k];
  }
  return s / Math.sqrt(na * nb);
}
const minus = (a: Float64Array, b: Float64Array) => a.map((x, k) => x - b[k]);

describe('transfer on the synthetic CASimIR-like data (planted group >25)', () => {
  it('W0-RITML beats RITML beats Euclidean in CV, and recovers the planted couplings better', async () => {
    const ds = generateSynthetic({ seed: SEED });
    const spec: ExperimentSpec = {
      ...DEFAULT_SPEC,
      methods: ['euclidean', 'ritml', 'w0-ritml'],
      groupBy: 'age_group',
      groups: ['>25'],
      folds: 5,
      gammaGrid: [GAMMA],
    };
    const res = await runExperiment({ features: ds.features, judgments: ds.judgments }, spec, cpuBackend);
    const score = (m: string) => res.rows.find((r) => r.method === m && r.group === '>25')!.mean;
    const [euc, rit, w0r] = [score('euclidean'), score('ritml'), score('w0-ritml')];
    // (a) mean fulfilment over 5 folds. Measured: Euclidean 72.98, RITML 81.52, W0-RITML 85.53 %
    // (margins of 4–8 points), so 1 point each is a safe but meaningful tolerance
    expect(rit).toBeGreaterThan(euc + 0.01);
    expect(w0r).toBeGreaterThan(rit + 0.01);

    // (b) recovery of the planted couplings by metrics trained on all the group's data
    const d = ds.features.X.cols;
    const truth = minus(offCorr(ds.trueMetrics['>25'].data, d), offCorr(ds.template.data, d));
    const X = preprocess(ds.features, { standardise: true }).features.X;
    const registry = new TripletRegistry();
    const parts = splitGroup(ds.judgments, 'age_group', '>25');
    const G = toConstraints(parts.group, ds.features.ids, registry).constraints;
    const C = toConstraints(parts.complement, ds.features.ids, registry).constraints;
    const W0 = ritml(X, C, null, { gamma: 1 }).W;
    const w0Change = minus(offCorr(ritml(X, G, W0, { gamma: GAMMA }).W.data, d), offCorr(W0.data, d));
    const ritmlChange = offCorr(ritml(X, G, null, { gamma: GAMMA }).W.data, d);
    const recW0 = cosine(w0Change, truth);
    const recRitml = cosine(ritmlChange, truth);
    console.log(
      `transfer.test: CV euclidean ${(100 * euc).toFixed(2)} ritml ${(100 * rit).toFixed(2)} w0-ritml ${(100 * w0r).toFixed(2)}; recovery w0-ritml ${recW0.toFixed(3)} ritml ${recRitml.toFixed(3)}`,
    );
    // Tolerance. Measured here: W0-RITML 0.441, RITML 0.304 (margin 0.137); over seeds 1–8 of the
    // defaults the margin was 0.05–0.15 (always > 0), and before the generator fix it was ≈ 0 or
    // negative. The data and fits are deterministic, so 0.08 only has to absorb platform float
    // differences and small changes to RITML, while failing if transfer stops helping recovery.
    expect(recW0).toBeGreaterThan(recRitml + 0.08);
    // and the recovered change is clearly aligned with the truth (unrelated changes give ≈ 0 ± 0.05)
    expect(recW0).toBeGreaterThan(0.3);
  }, 120_000);
});
