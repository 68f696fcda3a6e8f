import { describe, expect, it } from 'vitest';
import type { ExperimentResult } from '../core/experiment-types';
import { isIdentity, templateNote, templateSummary } from './template-note';

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
