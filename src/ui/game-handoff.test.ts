import { describe, expect, it } from 'vitest';
import { handoffSnapshot } from './game-handoff';
import type { LabHandoff } from './game/db';

const h: LabHandoff = {
  session: 's-1' as LabHandoff['session'],
  title: 'Workshop',
  files: { features: { name: 'f.csv', text: 'id,x\n' }, judgments: { name: 'v.csv', text: 'a,b,c,odd,user\n' }, users: { name: 'u.csv', text: 'user,age\n' } },
  clipSetId: 'tones',
  groupBy: 'age',
  excludedNote: '**10 votes** go into the analysis. Left out: 1 catch trial.',
  at: Date.UTC(2026, 0, 5, 10, 30),
};

describe('the notebook the game hands to the lab', () => {
  it('note, data (own files), constraints by the attribute, five methods, heatmaps', () => {
    const s = handoffSnapshot(h);
    expect(s.cells.map((c) => c.kind)).toEqual(['note', 'data', 'constraints', 'experiment', 'heatmaps']);
    const [note, data, cons, exp] = s.cells;
    expect(note.kind === 'note' && note.params.text).toMatch(/Left out: 1 catch trial/);
    expect(data.kind === 'data' && data.params.source).toBe('files');
    expect(s.files[data.id]).toEqual(h.files);
    expect(cons.kind === 'constraints' && cons.params.groupBy).toBe('age');
    expect(exp.kind === 'experiment' && exp.params.methods).toEqual(['euclidean', 'ritml', 'w0-ritml', 'svm', 'mlr']);
  });
  it('without a users file there is no grouping', () => {
    const { users: _u, ...files } = h.files;
    const s = handoffSnapshot({ ...h, files });
    expect(s.cells[2].kind === 'constraints' && s.cells[2].params.groupBy).toBe('');
    expect(s.files[s.cells[1].id].users).toBeUndefined();
  });
});
