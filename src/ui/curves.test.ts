/** The Learning curves cell: its spec (the CLI's), its checks, its stored result read back field by field, its chart numbers and CSV. */
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../core/compute-cpu';
import { runLearningCurve } from '../core/learning-curve';
import { checkCurveResult, ResultSchemaError } from '../core/result-schema';
import { generateSynthetic } from '../core/synthetic';
import { curveDifferences, curveGroups, curveLines } from './charts/curves-model';
import { curveToCsv } from './export';
import { curvesSpec, validateParams, type Cell } from './kinds';
import { makeCell } from './model';
import { notebookToJson, notebookToZip, parseNotebookFile, snapshot } from './notebook-file';

const ds = generateSynthetic({ clips: 30, users: 12, votes: 400 });
const params = { methods: ['euclidean', 'ritml', 'w0-ritml'] as const, fractions: [0.25, 1], repeats: 2, folds: 3, gamma: 1, c: 1, seed: 3 };
const { spec, curve } = curvesSpec({ ...params, methods: [...params.methods], fractions: [...params.fractions] }, 'age_group');
const result = await runLearningCurve({ features: ds.features, judgments: ds.judgments }, spec, curve, cpuBackend);
const stored = () => JSON.parse(JSON.stringify(result));

describe('Learning curves cell', () => {
  it('has the defaults of the brief and stands for the CLI flags (fixed γ = C = 1, no inner CV)', () => {
    const c = makeCell('curves') as Extract<Cell, { kind: 'curves' }>;
    expect(c.params).toMatchObject({ methods: ['euclidean', 'ritml', 'w0-ritml'], fractions: [0.05, 0.1, 0.25, 0.5, 1], repeats: 3, folds: 5, gamma: 1, c: 1 });
    const s = curvesSpec(c.params, 'age_group');
    expect(s.spec).toMatchObject({ gammaGrid: [1], cGrid: [1], folds: 5, split: 'triplet', standardise: true, removeGroupTripletsFromW0: true });
    expect(s.spec.params).toBeUndefined();
    expect(curvesSpec({ ...c.params, gamma: 2 }, '').spec.params).toEqual({ protocol: { w0Gamma: 2 } });
  });

  it('says clearly what is wrong with its parameters', () => {
    const c = makeCell('curves') as Extract<Cell, { kind: 'curves' }>;
    const bad = (p: Partial<typeof c.params>, groupBy = 'age_group') => validateParams({ ...c, params: { ...c.params, ...p } }, groupBy);
    expect(bad({})).toEqual([]);
    expect(bad({ fractions: [0.1, 1.5] }).join(' ')).toMatch(/Training fractions must be between 0 and 1/);
    expect(bad({ fractions: [0.1, 0.1] }).join(' ')).toMatch(/listed twice/);
    expect(bad({ fractions: [] }).join(' ')).toMatch(/at least one training fraction/);
    expect(bad({ repeats: 0 }).join(' ')).toMatch(/Repeats must be a whole number/);
    expect(bad({ folds: 1 }).join(' ')).toMatch(/Folds must be/);
    expect(bad({ gamma: 0 }).join(' ')).toMatch(/γ must be positive/);
    expect(bad({ c: -1 }).join(' ')).toMatch(/C must be positive/);
    expect(bad({ methods: [] }).join(' ')).toMatch(/at least one method/);
    expect(bad({}, '').join(' ')).toMatch(/need groups/);
  });

  it('reads a stored result back unchanged, and refuses damage naming the field', () => {
    expect(checkCurveResult(stored(), 'r')).toEqual(stored());
    const damaged = stored();
    damaged.rows[1].trainConstraints = 'x';
    expect(() => checkCurveResult(damaged, 'r')).toThrow(new ResultSchemaError('r.rows[1].trainConstraints', 'expected a number, got "x"'));
    const frac = stored();
    frac.rows[0].fraction = 2;
    expect(() => checkCurveResult(frac, 'r')).toThrow(/r\.rows\[0\]\.fraction: expected a fraction/);
    const diff = stored();
    diff.differences[0].lo = 'low';
    expect(() => checkCurveResult(diff, 'r')).toThrow(/r\.differences\[0\]\.lo: expected a number/);
  });

  it('charts one line per method in % against training constraints, and the differences per size', () => {
    const groups = curveGroups(result);
    expect(groups.length).toBeGreaterThanOrEqual(2);
    const lines = curveLines(result, groups[0]);
    expect(lines.map((l) => l.method)).toEqual(['euclidean', 'ritml', 'w0-ritml']);
    const rows = result.rows.filter((r) => r.group === groups[0] && r.method === 'ritml');
    expect(lines[1].x).toEqual(rows.map((r) => r.trainConstraints));
    expect(lines[1].y).toEqual(rows.map((r) => 100 * r.mean));
    expect(lines[1].hi[0] - lines[1].lo[0]).toBeCloseTo(200 * rows[0].sd, 10);
    expect(lines[1].x[0]).toBeLessThan(lines[1].x[1]);
    expect(curveDifferences(result, groups[0]).map((d) => d.fraction)).toEqual([0.25, 1]);
  });

  it('exports CSV with the CLI JSON names', () => {
    const csv = curveToCsv(result).trim().split('\n');
    expect(csv[0].startsWith('method,group,fraction,trainConstraints,mean,sd,repeats,score1')).toBe(true);
    expect(csv.length).toBe(1 + result.rows.length);
  });
});

describe('Learning curves defaults', () => {
  it("are the core's", async () => {
    const { DEFAULT_FRACTIONS } = await import('../core/learning-curve');
    expect((makeCell('curves') as Extract<Cell, { kind: 'curves' }>).params.fractions).toEqual(DEFAULT_FRACTIONS);
  });
});

describe('Learning curves in a notebook file', () => {
  const nb = () => {
    const data = makeCell('data', { source: 'synthetic' });
    const curves = makeCell('curves');
    return snapshot({
      cells: [data, curves],
      runs: { [curves.id]: { inputKey: 'k', ranAt: '2026-01-01T00:00:00Z', curve: result } },
      files: {},
      dataVersion: {},
    });
  };

  it('round-trips the stored curve (JSON and zip), so a reload shows it as it was', () => {
    const s = nb();
    const id = s.cells[1].id;
    for (const [bytes, name] of [
      [new TextEncoder().encode(notebookToJson(s)), 'nb.json'],
      [notebookToZip(s), 'nb.zip'],
    ] as const) {
      const back = parseNotebookFile(bytes, name);
      expect(back.runs[id].curve).toEqual(stored());
      expect(back.problems).toBeUndefined();
    }
  });

  it('leaves a damaged curve out and says where', () => {
    const s = JSON.parse(notebookToJson(nb()));
    const id = s.cells[1].id;
    s.runs[id].curve.rows[0].folds = 'x';
    const back = parseNotebookFile(new TextEncoder().encode(JSON.stringify(s)), 'nb.json');
    expect(back.runs[id]).toBeUndefined();
    expect(back.problems?.[0]).toMatch(new RegExp(`runs\\.${id}\\.curve\\.rows\\[0\\]\\.folds: expected a list`));
  });
});
