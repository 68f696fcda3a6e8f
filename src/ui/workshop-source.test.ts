import { describe, expect, it } from 'vitest';
import { countsLine, countVotes, exportToFetch, mayAutoRefresh, sameFiles } from './workshop-source';

const FEATURES = { name: 'tones-features.csv', text: 'id,x\nt1,1\nt2,2\nt3,3\n' };
const VOTES = 'a,b,c,odd,user\nt1,t2,t3,t1,p-a\nt1,t2,t3,t2,p-b\nt2,t3,t1,t3,p-a\n';
const frame = {
  type: 'export',
  session: 's-2a4acd37-c774',
  format: 'lab',
  files: [
    { name: 'Workshop-2026-votes.csv', text: VOTES },
    { name: 'Workshop-2026-users.csv', text: 'user,age\np-a,18-24\np-b,25-34\n' },
  ],
  excluded: { catchTrials: 2, timeouts: 1, flaggedVotes: 3, flaggedPlayers: ['p-c'] },
};

describe('workshop data source (pure parts)', () => {
  it('counts votes and distinct players of a lab votes CSV', () => {
    expect(countVotes(VOTES)).toEqual({ votes: 3, players: 2 });
    expect(countVotes('a,b,c,odd,user\n')).toEqual({ votes: 0, players: 0 });
  });

  it('turns an export frame and the features into the cell files, named after the session', () => {
    const f = exportToFetch({ ...frame, clipSetId: 'tones' }, FEATURES, 1000);
    expect(f.items.map((i) => [i.slot, i.file.name])).toEqual([
      ['features', 'tones-features.csv'],
      ['judgments', 'workshop-2a4acd37-votes.csv'],
      ['users', 'workshop-2a4acd37-users.csv'],
    ]);
    expect(f.counts).toEqual({ votes: 3, players: 2, excluded: frame.excluded });
    expect(f.clipSetId).toBe('tones');
    expect(countsLine(f.counts)).toBe('3 votes of 2 players. Left out: 2 catch trials, 1 timeout, 3 votes of 1 player flagged by catch trials.');
    // no questionnaire: no users file
    const g = exportToFetch({ ...frame, files: [frame.files[0]], excluded: undefined }, FEATURES, 1000);
    expect(g.items.map((i) => i.slot)).toEqual(['features', 'judgments']);
    expect(countsLine(g.counts)).toBe('3 votes of 2 players.');
    expect(() => exportToFetch({ type: 'export', files: [] }, FEATURES, 0)).toThrow(/no votes file/);
  });

  it('sees whether the fetched files are those the cell holds', () => {
    const f = exportToFetch(frame, FEATURES, 0);
    const held = Object.fromEntries(f.items.map((i) => [i.slot, { ...i.file }]));
    expect(sameFiles(held, f.items)).toBe(true);
    expect(sameFiles(undefined, f.items)).toBe(false);
    expect(sameFiles({ ...held, judgments: { name: 'x', text: `${VOTES}t1,t2,t3,t3,p-b\n` } }, f.items)).toBe(false);
    // the held set has a users file the new export lacks
    expect(sameFiles(held, f.items.slice(0, 2))).toBe(false);
  });

  it('auto-refresh only when switched on and nothing runs or fetches', () => {
    expect(mayAutoRefresh(0, false, false)).toBe(false);
    expect(mayAutoRefresh(30, false, false)).toBe(true);
    expect(mayAutoRefresh(30, true, false)).toBe(false);
    expect(mayAutoRefresh(30, false, true)).toBe(false);
  });
});
