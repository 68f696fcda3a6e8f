/** The player side's pure parts: resume after skipped rounds, the clock's announcements, questionnaire fields → answers, clips.csv. */
import { describe, expect, it } from 'vitest';
import { createSession, DEFAULT_QUESTIONS, matchId, playerId, RATHER_NOT_SAY, startMatch, startRound, vote, voteId, type VoteRecord } from '../../../game';
import { parseClipsCsv } from '../clip-source';
import { clockAnnouncement } from './Clock';
import { toAnswers } from './QuestionnaireView';
import { lastMatchOf, resumeFor } from './resume';

const settings = createSession({ clipSetId: 'tones', clipIds: ['a', 'b', 'c', 'd', 'e', 'f'], seed: 's', roundsPerMatch: 4 });
const P = playerId('p-1');

/** Votes for the given rounds of one match, one second apart. */
function votesFor(rounds: number[], match = 'm-1'): VoteRecord[] {
  const out: VoteRecord[] = [];
  for (const r of rounds) {
    const m = { ...startMatch(settings, P, matchId(match)), done: r };
    const s = startRound(m, settings, out, 1000 * r);
    out.push(vote(s, settings, 0, 1000 * r + 500, voteId(`v-${match}-${r}`)).vote);
  }
  return out;
}

describe('resumeFor', () => {
  it('resumes at the first round without a vote', () => {
    expect(resumeFor(settings, P, votesFor([0, 1]))?.done).toBe(2);
  });
  it('passes over a round skipped earlier (no vote) instead of replaying it', () => {
    expect(resumeFor(settings, P, votesFor([0, 2]))?.done).toBe(3);
  });
  it('a finished match, or a skipped last round, gives null; no votes gives null', () => {
    expect(resumeFor(settings, P, votesFor([0, 1, 2, 3]))).toBeNull();
    expect(resumeFor(settings, P, votesFor([0, 1, 3]))).toBeNull();
    expect(resumeFor(settings, P, [])).toBeNull();
  });
  it('lastMatchOf finds the latest match', () => {
    const v = [...votesFor([0], 'm-a'), ...votesFor([1], 'm-b')];
    expect(lastMatchOf(P, v)).toBe('m-b');
    expect(lastMatchOf(playerId('p-2'), v)).toBeNull();
  });
});

describe('clockAnnouncement', () => {
  it('speaks at 15 s steps below the start, at 10 and 5 s, and when voting closes', () => {
    const said = [...Array(46).keys()].map((l) => [l, clockAnnouncement(l, 45)]).filter(([, a]) => a);
    expect(said.map(([l]) => l)).toEqual([0, 5, 10, 15, 30]);
    expect(clockAnnouncement(0, 45)).toBe('Voting closed.');
    expect(clockAnnouncement(8, 8)).toBeNull();
  });
});

describe('toAnswers', () => {
  it('leaves empty fields out, parses numbers (a comma too), keeps "rather not say"; bad numbers become NaN', () => {
    const a = toAnswers(DEFAULT_QUESTIONS, {
      age: '18–25',
      gender: '',
      first_language: RATHER_NOT_SAY,
      music_training_years: ' 3 ',
      listening_hours_week: '2,5',
    });
    expect(a).toEqual({ age: '18–25', first_language: RATHER_NOT_SAY, music_training_years: 3, listening_hours_week: 2.5 });
    expect(toAnswers(DEFAULT_QUESTIONS, { music_training_years: 'abc' }).music_training_years).toBeNaN();
  });
});

describe('parseClipsCsv', () => {
  it('maps ids to files under data/<folder>/', () => {
    expect(parseClipsCsv('id,file,x\nt1,t1.opus,3\nt2,sub/t2.opus,4\n', 'tones')).toEqual([
      { id: 't1', file: 't1.opus', url: 'data/tones/t1.opus' },
      { id: 't2', file: 'sub/t2.opus', url: 'data/tones/sub/t2.opus' },
    ]);
  });
  it('names a table without id,file and an empty cell', () => {
    expect(() => parseClipsCsv('name,path\na,b\n', 'x', 'x/clips.csv')).toThrow('x/clips.csv: expected the columns id,file');
    expect(() => parseClipsCsv('id,file\na,\n', 'x', 'x/clips.csv')).toThrow('x/clips.csv row 2');
  });
});
