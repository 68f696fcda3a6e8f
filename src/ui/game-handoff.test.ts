import { describe, expect, it } from 'vitest';
import { handoffPca, handoffSnapshot } from './game-handoff';
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

describe('the handoff experiment reduces many features to a few principal components', () => {
  const file = (clips: number, feats: number) =>
    `id,${Array.from({ length: feats }, (_, k) => `f${k}`).join(',')}\n${Array.from({ length: clips }, (_, i) => [`c${i}`, ...Array.from({ length: feats }, (_, k) => Math.sin(i * 7 + k * 3 + i * k))].join(',')).join('\n')}\n`;
  it('PCA to 6 for 27 clips × 48 features, clips − 1 for 4 clips, off for ≤ 6 features or an unreadable file', () => {
    expect(handoffPca(file(27, 48))).toBe(6);
    expect(handoffPca(file(4, 48))).toBe(3);
    expect(handoffPca(file(27, 6))).toBe(0);
    expect(handoffPca('id,x\n')).toBe(0);
    const s = handoffSnapshot({ ...h, files: { ...h.files, features: { name: 'f.csv', text: file(27, 48) } } });
    const exp = s.cells[3];
    expect(exp.kind === 'experiment' && exp.params.pca).toBe(6);
    expect(s.cells[0].kind === 'note' && s.cells[0].params.text).toMatch(/first 6 principal components/);
  });
});
