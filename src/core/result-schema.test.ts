import { describe, expect, it } from 'vitest';
import { cpuBackend } from './compute-cpu';
import { runExperiment } from './experiment';
import { DEFAULT_SPEC } from './experiment-types';
import { checkConstraintsSummary, checkExperimentResult, ResultSchemaError } from './result-schema';
import { generateSynthetic } from './synthetic';

const ds = generateSynthetic({ clips: 30, users: 12, votes: 400 });
const result = await runExperiment(
  { features: ds.features, judgments: ds.judgments },
  { ...DEFAULT_SPEC, methods: ['euclidean', 'ritml', 'w0-ritml'], groupBy: 'age_group', folds: 3, gammaGrid: [1] },
  cpuBackend,
);
/** what a notebook file holds: the result through JSON */
const stored = () => JSON.parse(JSON.stringify(result));

describe('the result schema', () => {
  it('reads back a real result through JSON unchanged', () => {
    expect(checkExperimentResult(stored(), 'r')).toEqual(stored());
  });

  it('refuses the damage a probe found, naming the field', () => {
    // biome-ignore lint/suspicious/noExplicitAny: damaging JSON on purpose
    const cases: [string, (r: Record<string, any>) => void, RegExp][] = [
      ['a null p-value', (r) => (r.comparisons[0].p = null), /^r\.comparisons\[0\]\.p: expected a number, got null$/],
      ['a meta without fields', (r) => (r.meta = { x: 1 }), /^r\.meta\.app: expected text, got nothing$/],
      ['rows that are not rows', (r) => (r.rows = [1, 'x', null]), /^r\.rows\[0\]: expected an object, got 1$/],
      ['an unknown method', (r) => (r.rows[0].method = 'toString'), /^r\.rows\[0\]\.method: expected a method id, got "toString"$/],
      ['a metric of the wrong size', (r) => r.metrics[0].W0?.pop(), /^r\.metrics\[0\]\.W0: expected \d+×\d+ = \d+ numbers/],
      ['a comparison of a group without rows', (r) => (r.comparisons[0].group = 'ghost'), /^r\.comparisons\[0\]\.group: no result row has group "ghost"$/],
      ['a string for a number', (r) => (r.rows[1].folds[2] = '0.5'), /^r\.rows\[1\]\.folds\[2\]: expected a number, got "0\.5"$/],
    ];
    expect(result.comparisons.length).toBeGreaterThan(0);
    for (const [what, damage, message] of cases) {
      const r = stored();
      damage(r);
      expect(() => checkExperimentResult(r, 'r'), what).toThrow(ResultSchemaError);
      expect(() => checkExperimentResult(r, 'r'), what).toThrow(message);
    }
  });

  it('drops unknown fields and reads a NaN the lab wrote (null in JSON) as NaN where one can occur', () => {
    const r = stored();
    r.rows[0].extra = '<img onerror=alert(1)>';
    r.rows[0].chosen = [null, 1];
    const back = checkExperimentResult(r, 'r');
    expect(back.rows[0]).not.toHaveProperty('extra');
    expect(back.rows[0].chosen).toEqual([Number.NaN, 1]);
  });

  it('checks a Constraints summary', () => {
    const summary = {
      groupBy: 'age_group',
      overall: {
        votes: 10,
        judgments: 10,
        constraintsRaw: 20,
        constraintsBefore: 18,
        constraintsAfter: 16,
        contradictionsResolved: 1,
        tiesDropped: 0,
        clips: 9,
        triplets: 8,
      },
      groups: [{ group: 'a', votes: 4, constraints: 8, clips: 6, complement: { votes: 6, constraints: 8, clips: 7 } }],
    };
    expect(checkConstraintsSummary(summary, 's')).toEqual(summary);
    expect(() => checkConstraintsSummary({ ...summary, groups: [{ ...summary.groups[0], complement: null }] }, 's')).toThrow(
      /^s\.groups\[0\]\.complement: expected an object, got null$/,
    );
  });
});
