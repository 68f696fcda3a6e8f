import { describe, expect, it } from 'vitest';
import { makeCell } from './model';
import { checkSnapshot, notebookToJson, notebookToZip, parseNotebookFile, snapshot } from './notebook-file';
import { DEFAULT_SPEC, type ExperimentResult } from '../core/experiment-types';

const result: ExperimentResult = {
  rows: [
    { method: 'euclidean', group: 'all', mean: 0.6, sd: 0.01, folds: [0.59, 0.61], train: 0.6, fitMs: 1 },
    { method: 'ritml', group: 'all', mean: 0.7, sd: 0.02, folds: [0.68, 0.72], train: 0.75, fitMs: 9 },
  ],
  comparisons: [{ group: 'all', a: 'euclidean', b: 'ritml', meanDiff: -0.1, p: 0.01, pWilcoxon: 0.5 }],
  metrics: [{ group: 'all', d: 1, W: [2] }],
  meta: {
    app: 'similarity-lab',
    version: '0.1.0',
    dataFingerprint: 'abc',
    featuresSource: 'f.csv',
    judgmentsSource: 'j.csv',
    spec: { ...DEFAULT_SPEC, methods: ['euclidean', 'ritml'] },
    backend: { id: 'wasm', precision: 'float64', description: 'x' },
    startedAt: '2025-01-01T00:00:00Z',
    elapsedMs: 10,
    constraintCounts: { all: 10 },
    featureNames: ['x'],
    notes: [],
  },
};

function snap() {
  const data = makeCell('data', { source: 'files' });
  const exp = makeCell('experiment');
  return snapshot(
    {
      cells: [data, exp],
      runs: { [exp.id]: { inputKey: 'k', ranAt: '2025-01-01T00:00:00Z', result } },
      files: { [data.id]: { features: { name: 'f.csv', text: 'id,x\na,1\n' }, judgments: { name: 'j.csv', text: 'anchor,near,far\n' } } },
      dataVersion: { [data.id]: 3 },
    },
    new Date('2025-02-03T04:05:06Z'),
  );
}

describe('notebook files', () => {
  it('round-trip as JSON and as zip', () => {
    const s = snap();
    const fromJson = parseNotebookFile(new TextEncoder().encode(notebookToJson(s)), 'nb.json');
    expect(fromJson).toEqual(s);
    const zip = notebookToZip(s);
    expect([zip[0], zip[1]]).toEqual([0x50, 0x4b]);
    expect(parseNotebookFile(zip, 'nb.zip')).toEqual(s);
  });

  it('reject what is not a notebook, naming the file', () => {
    expect(() => parseNotebookFile(new TextEncoder().encode('{"a":1}'), 'x.json')).toThrow(/x\.json: not a Similarity Lab notebook/);
    expect(() => parseNotebookFile(new TextEncoder().encode('id,x\n'), 'f.csv')).toThrow(/f\.csv: not a notebook file \(invalid JSON/);
    expect(() => parseNotebookFile(new Uint8Array([0x50, 0x4b, 3, 4, 9, 9]), 'z.zip')).toThrow(/z\.zip: damaged zip/);
    const s = JSON.parse(notebookToJson(snap()));
    s.version = 99;
    expect(() => checkSnapshot(s, 'n')).toThrow(/newer/);
  });

  it('drops runs and files of cells that are not in the notebook', () => {
    const s = JSON.parse(notebookToJson(snap()));
    s.runs.ghost = { inputKey: 'x', ranAt: '' };
    s.files.ghost = { features: { name: 'a', text: 'b' } };
    const back = checkSnapshot(s, 'n');
    expect(Object.keys(back.runs)).not.toContain('ghost');
    expect(Object.keys(back.files)).not.toContain('ghost');
  });

  it('leaves a damaged result out and says where, keeping the rest of the notebook (issue 12 item 1)', () => {
    // biome-ignore lint/suspicious/noExplicitAny: damaging JSON on purpose
    const damage: [string, (r: Record<string, any>) => void, string][] = [
      ['p null', (r) => (r.comparisons[0].p = null), 'runs.ID.result.comparisons[0].p: expected a number, got null'],
      ['meta {"x":1}', (r) => (r.meta = { x: 1 }), 'runs.ID.result.meta.app: expected text, got nothing'],
      ['rows [1,"x",null]', (r) => (r.rows = [1, 'x', null]), 'runs.ID.result.rows[0]: expected an object, got 1'],
    ];
    for (const [what, hurt, message] of damage) {
      const s = JSON.parse(notebookToJson(snap()));
      const expId = s.cells[1].id;
      hurt(s.runs[expId].result);
      const back = parseNotebookFile(new TextEncoder().encode(JSON.stringify(s)), 'nb.json');
      expect(back.runs[expId], what).toBeUndefined();
      expect(back.cells).toHaveLength(2);
      expect(back.files[s.cells[0].id].features?.name).toBe('f.csv');
      expect(back.problems, what).toEqual([
        `nb.json: the results of cell 2 are damaged and were left out (${message.replace('ID', expId)}); run the cell again.`,
      ]);
    }
  });

  it('refuses a notebook whose cell kind is an inherited name ("__proto__", "toString")', () => {
    for (const kind of ['__proto__', 'toString']) {
      const s = notebookToJson(snap()).replace('"kind":"experiment"', `"kind":"${kind}"`);
      expect(() => parseNotebookFile(new TextEncoder().encode(s), 'evil.json')).toThrow(new RegExp(`evil\\.json: cell 2 has unknown kind "${kind}"`));
    }
  });
});
