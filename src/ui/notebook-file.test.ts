import { describe, expect, it } from 'vitest';
import { makeCell } from './model';
import { checkSnapshot, notebookToJson, notebookToZip, parseNotebookFile, snapshot } from './notebook-file';
import type { ExperimentResult } from '../core/experiment-types';

const result = {
  rows: [{ method: 'euclidean', group: 'all', mean: 0.6, sd: 0.01, folds: [0.59, 0.61], train: 0.6, fitMs: 1 }],
  comparisons: [],
  metrics: [],
  meta: { spec: { methods: ['euclidean'] } },
} as unknown as ExperimentResult;

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

  it('drops runs and files of cells that are not in the notebook, rejects damaged results', () => {
    const s = JSON.parse(notebookToJson(snap()));
    s.runs.ghost = { inputKey: 'x', ranAt: '' };
    s.files.ghost = { features: { name: 'a', text: 'b' } };
    const back = checkSnapshot(s, 'n');
    expect(Object.keys(back.runs)).not.toContain('ghost');
    expect(Object.keys(back.files)).not.toContain('ghost');
    const expId = s.cells[1].id;
    s.runs[expId].result = { rows: 'nope' };
    expect(() => checkSnapshot(s, 'n')).toThrow(/results of cell .* damaged/);
  });

  it('refuses a notebook whose cell kind is an inherited name ("__proto__", "toString")', () => {
    for (const kind of ['__proto__', 'toString']) {
      const s = notebookToJson(snap()).replace('"kind":"experiment"', `"kind":"${kind}"`);
      expect(() => parseNotebookFile(new TextEncoder().encode(s), 'evil.json')).toThrow(new RegExp(`evil\\.json: cell 2 has unknown kind "${kind}"`));
    }
  });
});
