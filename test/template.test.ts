/** The template W0's learner, γ / C by inner CV and iterate rule (protocol parameters; template.ts, issue 16). */
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/core/compute-cpu';
import { DEFAULT_SPEC, runExperiment, validateSpec } from '../src/core/experiment';
import type { ExperimentSpec } from '../src/core/experiment-types';
import { identity } from '../src/core/matrix';
import { checkExperimentResult } from '../src/core/result-schema';
import { generateSynthetic } from '../src/core/synthetic';
import { TEMPLATE_RIDGE, templateFromLearner, validateTemplateProtocol } from '../src/core/template';
import type { SpdMatrix } from '../src/core/types';

const ds = generateSynthetic({ seed: 5, votes: 1200, clips: 50, triplets: 400, users: 24 });
const data = { features: ds.features, judgments: ds.judgments };
const sm = generateSynthetic({ seed: 6, votes: 500, clips: 30, triplets: 200, users: 16 });
const small = { features: sm.features, judgments: sm.judgments };
const base: ExperimentSpec = { ...DEFAULT_SPEC, methods: ['euclidean', 'ritml', 'w0-ritml'], groupBy: 'age_group', folds: 3, gammaGrid: [1], cGrid: [0.1, 1] };
const withProtocol = (protocol: Record<string, unknown>): ExperimentSpec => ({ ...base, params: { protocol } });

describe('template protocol', () => {
  it('refuses bad values by name', () => {
    expect(validateTemplateProtocol({ w0Method: 'itml' as never, w0Gamma: -1, w0C: 'auto' as never, w0Select: 'first' as never })).toEqual([
      'protocol.w0Method must be ritml, mlr, svm or cv, got "itml"',
      'protocol.w0Gamma must be a positive number or "cv", got -1',
      'protocol.w0C must be a positive number or "cv", got "auto"',
      'protocol.w0Select must be "best" or "learned", got "first"',
    ]);
    expect(validateSpec(data, withProtocol({ w0Gamma: 0 }))).toContain('protocol.w0Gamma must be a positive number or "cv", got 0');
    expect(validateSpec(data, withProtocol({ w0Method: 'mlr', w0C: 'cv', w0Gamma: 'cv', w0Select: 'learned' }))).toEqual([]);
  });

  it('turns a PSD learner metric into a positive definite template of trace d, and refuses a zero metric', () => {
    const d = 3;
    const W = { rows: d, cols: d, data: Float64Array.from([4, 0, 0, 0, 2, 0, 0, 0, 0]) } as unknown as SpdMatrix;
    const T = templateFromLearner(W)!;
    expect(T.data[0] + T.data[4] + T.data[8]).toBeCloseTo(d, 12);
    expect(T.data[8]).toBeCloseTo(TEMPLATE_RIDGE, 15);
    expect(T.data[0] / T.data[4]).toBeCloseTo((4 * 0.999 + 0.001 * 2) / (2 * 0.999 + 0.001 * 2), 3);
    expect(templateFromLearner({ ...W, data: new Float64Array(9) } as unknown as SpdMatrix)).toBeNull();
  });

  it('reports each group template: learner, value, training fulfilment beside Euclidean, W0 alone on the held-out splits', async () => {
    const r = await runExperiment(data, withProtocol({ w0Method: 'ritml' }), cpuBackend);
    expect(r.templates).toHaveLength(2);
    for (const t of r.templates!) {
      expect([t.method, t.param, t.value, t.chosenBy]).toEqual(['ritml', 'gamma', 1, 'fixed']);
      expect(t.heldOut).toHaveLength(3);
      const eu = r.rows.find((x) => x.method === 'euclidean' && x.group === t.group)!;
      // the best-iterate rule: W0 = I exactly when no iterate beat Euclidean on the complement
      if (t.identity) {
        expect(t.trainFulfilment).toBe(t.euclideanTrain);
        expect(t.heldOut).toEqual(eu.folds);
      } else expect(t.trainFulfilment).toBeGreaterThan(t.euclideanTrain);
      const m = r.metrics.find((x) => x.group === t.group)!;
      expect(t.identity).toBe(m.W0!.every((v, k) => v === identity(m.d).data[k]));
    }
    expect(r.meta.notes).toContain('template W0: RITML on the complement with γ = 1, prior I');
    // the result schema keeps it (a saved result reloads with its templates)
    expect(checkExperimentResult(JSON.parse(JSON.stringify(r)), 'result').templates).toEqual(r.templates);
  }, 60_000);

  it('w0Gamma "cv": γ per group by inner CV on the complement over the γ grid, with its inner-CV scores', async () => {
    const r = await runExperiment(data, { ...withProtocol({ w0Method: 'ritml', w0Gamma: 'cv' }), gammaGrid: [0.1, 10] }, cpuBackend);
    for (const t of r.templates!) {
      expect(t.chosenBy).toBe('inner CV');
      expect(t.innerCv!.candidates).toEqual(['RITML γ = 0.1', 'RITML γ = 10']);
      expect(t.value).toBe([0.1, 10][t.innerCv!.fulfilment.indexOf(Math.max(...t.innerCv!.fulfilment))]);
      expect(t.innerCv!.fulfilment.every((x) => x > 0.3 && x <= 1)).toBe(true);
    }
    expect(r.meta.notes.some((n) => n.startsWith('template W0: RITML on the complement with γ by 3-fold inner CV on the complement (chosen: '))).toBe(true);
  }, 60_000);

  it('w0Select "learned" never keeps I; an SVM or MLR template is a normalised metric that W0-RITML fine-tunes', async () => {
    const learned = await runExperiment(data, withProtocol({ w0Method: 'ritml', w0Select: 'learned' }), cpuBackend);
    expect(learned.templates!.every((t) => !t.identity)).toBe(true);
    for (const [m, protocol] of [
      ['svm', { w0Method: 'svm' }],
      ['mlr', { w0Method: 'mlr', w0C: 1 }],
    ] as const) {
      const r = await runExperiment(small, { ...base, params: { protocol } }, cpuBackend);
      for (const t of r.templates!) {
        expect([t.method, t.param, t.chosenBy]).toEqual([m, 'C', m === 'svm' ? 'inner CV' : 'fixed']);
        expect([0.1, 1]).toContain(t.value);
        expect(t.identity).toBe(false);
        const W0 = r.metrics.find((x) => x.group === t.group)!.W0!;
        const d = Math.sqrt(W0.length);
        expect(W0.filter((_, k) => k % (d + 1) === 0).reduce((a, b) => a + b, 0)).toBeCloseTo(d, 9);
      }
      expect(r.rows.filter((x) => x.method === 'w0-ritml' && x.group !== 'average').every((x) => x.mean > 0.4)).toBe(true);
    }
  }, 120_000);

  it('w0Method "cv": per group the candidate (I, RITML, SVM by C) with the best inner-CV fulfilment on the complement, ties to the earlier', async () => {
    // the default protocol (chosen by measurement, template.ts): w0Method 'cv' among I, RITML and SVM
    const r = await runExperiment(small, base, cpuBackend);
    for (const t of r.templates!) {
      const cv = t.innerCv!;
      expect(cv.candidates).toEqual(['I', 'RITML γ = 1', 'SVM C = 0.1', 'SVM C = 1']);
      const best = cv.fulfilment.indexOf(Math.max(...cv.fulfilment));
      const label = best === 0 ? 'I' : `${t.method === 'ritml' ? 'RITML γ' : 'SVM C'} = ${t.value}`;
      expect(label).toBe(cv.candidates[best]);
      expect(t.identity).toBe(best === 0 || (t.method === 'ritml' && t.trainFulfilment === t.euclideanTrain));
    }
    expect(
      r.meta.notes.some((n) => n.startsWith('template W0: chosen per group by 3-fold inner CV on the complement among I, RITML γ = 1, SVM C = 0.1, SVM C = 1')),
    ).toBe(true);
  }, 60_000);
});
