import { describe, expect, it } from 'vitest';
import type { ExperimentResult } from '../core/experiment-types';
import { isIdentity, templateNote, templateRows, templateSummary, templateVerdict } from './template-note';

const I = [1, 0, 0, 1];
const row = (method: string, group: string, folds: number[]) => ({ method, group, folds, mean: 0, sd: 0, train: 0, fitMs: 0 });
const result = {
  rows: [
    row('ritml', 's1', [0.6, 0.7]),
    row('w0-ritml', 's1', [0.6, 0.7]),
    row('ritml', 's2', [0.6, 0.7]),
    row('w0-ritml', 's2', [0.65, 0.7]),
    row('ritml', 'average', [0.6, 0.7]),
    row('w0-ritml', 'average', [0.6, 0.7]),
  ],
  comparisons: [],
  metrics: [
    { group: 's1', d: 2, W0: I, W: [2, 0.1, 0.1, 1] },
    { group: 's2', d: 2, W0: [1.5, 0.2, 0.2, 1], W: [2, 0.1, 0.1, 1] },
  ],
  meta: {},
} as unknown as ExperimentResult;

describe('template note', () => {
  it('counts the groups whose template is the identity, and those where W0-RITML scored exactly as RITML', () => {
    expect(isIdentity(I, 2)).toBe(true);
    expect(isIdentity([1, 1e-9, 0, 1], 2)).toBe(false);
    expect(templateSummary(result)).toEqual({ groups: 2, identity: ['s1'], sameScores: 1, scoredGroups: 2 });
    const t = templateNote(result)!;
    expect(t).toContain('identity I for 1 of 2 groups (s1)');
    expect(t).toContain('best-iterate rule');
    expect(t).toContain('identical fold scores for 1 of 2 groups');
  });
  it('says nothing when no template is the identity or there is none', () => {
    expect(templateNote({ ...result, metrics: [result.metrics[1]] })).toBeNull();
    expect(templateNote({ ...result, metrics: [] })).toBeNull();
  });
});

describe('template verdict and table (result.templates)', () => {
  const t = (group: string, train: number, eu: number, heldOut: number[], identity = false) => ({
    group,
    method: 'ritml' as const,
    param: 'gamma' as const,
    value: 1,
    chosenBy: 'fixed' as const,
    complementConstraints: 100,
    trainFulfilment: train,
    euclideanTrain: eu,
    identity,
    heldOut,
  });
  const withTemplates = {
    ...result,
    rows: [...result.rows, row('euclidean', 's1', [0.5, 0.5]), row('euclidean', 's2', [0.5, 0.5])].map((r) => ({
      ...r,
      mean: r.folds.reduce((a, b) => a + b, 0) / r.folds.length,
    })),
    templates: [t('s1', 0.6, 0.6, [0.5, 0.5], true), t('s2', 0.8, 0.6, [0.6, 0.7])],
    meta: { spec: {} },
  } as unknown as ExperimentResult;
  it('says plainly what the templates carried: beat Euclidean on the complement, alone held out, fine-tuned vs RITML', () => {
    const v = templateVerdict(withTemplates)!;
    expect(v).toContain('beats Euclidean on its own complement for 1 of 2 groups');
    expect(v).toContain('alone (no fine-tuning) it fulfils 57.5 % of the groups');
    expect(v).toContain('Euclidean 50.0 %');
    expect(v).toContain("fine-tuned (W0-RITML) it scores 66.3 % against RITML's 65.0 % (+1.3 pt; better in 1, worse in 0 of 2): transfer pays off here");
    const rows = templateRows(withTemplates);
    expect(rows.map((r) => [r.group, r.learner, r.identity, Math.round(r.heldOut * 1e9) / 1e9])).toEqual([
      ['s1', 'RITML γ = 1 → I', true, 0.5],
      ['s2', 'RITML γ = 1', false, 0.65],
    ]);
  });
  it('has nothing to say without templates', () => {
    expect(templateVerdict(result)).toBeNull();
    expect(templateRows(result)).toEqual([]);
  });
});
