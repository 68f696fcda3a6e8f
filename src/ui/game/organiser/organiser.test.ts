/** The organiser's pure helpers: the setup form, imports judged per source, QR slices, the dashboard, the lab files, the join link. */
import { describe, expect, it } from 'vitest';
import {
  createSession,
  DEFAULT_QUESTIONNAIRE,
  decodeSession,
  decodeVotes,
  mergeBatches,
  parseSessionJson,
  playerId,
  type SimPlayer,
  sessionId,
  sessionToJson,
  simFeatures,
  simPlayerRecord,
  simSession,
  votesToJson,
} from '../../../game';
import { parseJudgments, parseUsers } from '../../../core/parse';
import { clipIdsFromCsv } from './clip-sets';
import { judgeBatch, readVoteSource, reportLine, votesCodesIn } from './collect';
import { dashboardOf } from './dashboard';
import { addressWarning, gamePageAddress, joinLink } from './join-link';
import { defaultGroupBy, groupingAttributes, labHandoff } from './lab-files';
import { draftOf, draftSettings, exportName, fieldOfError, scheduleChanged, slug } from './setup-form';
import { votesToCodes } from './vote-chunks';

const ids = Array.from({ length: 27 }, (_, i) => `t${i}`);
const S = createSession({ name: 'Workshop – Tuesday', clipSetId: 'tones', clipIds: ids, seed: 'abc', roundsPerMatch: 5 });
const F = simFeatures(ids, 3, 'f');
const bots: SimPlayer[] = Array.from({ length: 6 }, (_, i) => ({
  id: playerId(`p${i}`),
  weights: i < 3 ? [4, 1, 0.1] : [0.1, 1, 4],
  noise: 0.05,
  timeoutRate: 0,
  randomRate: i === 5 ? 1 : 0,
  answers: { age: i < 3 ? '18–25' : '36–45' },
}));
const votes = simSession(S, bots, 2, F);
const players = bots.map((b) => simPlayerRecord(S, b));
const devA = { source: 'a.json', session: S.id, votes: votes.filter((v) => ['p0', 'p1', 'p2'].includes(v.player)), players: players.slice(0, 3) };
const devB = { source: 'b.json', session: S.id, votes: votes.filter((v) => !['p0', 'p1', 'p2'].includes(v.player)), players: players.slice(3) };

describe('setup form', () => {
  it('a draft of valid settings gives them back (same id, exact catch rate)', () => {
    const r = draftSettings(draftOf(S), ids, S);
    expect(r.errors).toEqual({});
    expect(r.settings).toEqual(S);
  });
  it('files each problem under its field, worded with the label', () => {
    const d = { ...draftOf(S), roundsPerMatch: '0', catchRate: '80', name: ' ', seats: '2.5' };
    const r = draftSettings(d, ids, S);
    expect(r.settings).toBeNull();
    expect(r.errors.roundsPerMatch?.[0]).toMatch(/^Rounds per match: must be a whole number from 1 to 1000/);
    expect(r.errors.catchRate?.[0]).toMatch(/from 0 % to 50 %/);
    expect(r.errors.name?.[0]).toMatch(/^Session name/);
    expect(r.errors.seats).toHaveLength(1);
    expect(draftSettings({ ...draftOf(S), voteSeconds: '' }, ids, S).errors.voteSeconds).toHaveLength(1);
    expect(draftSettings(draftOf(S), ['a', 'b'], S).errors.clipSetId?.[0]).toMatch(/at least 3 clips/);
    expect(fieldOfError('questionnaire: question "x": label is empty').field).toBe('questionnaire');
  });
  it('a new clip set gets its own initial pool; schedule changes are told apart from cosmetic ones', () => {
    const r = draftSettings({ ...draftOf(S), clipSetId: 'instruments' }, ids.slice(0, 12), S);
    expect(r.settings?.growth.initialTriplets).toBe(4);
    expect(scheduleChanged(S, { ...S, name: 'other', voteSeconds: 30 })).toBe(false);
    expect(scheduleChanged(S, { ...S, seed: 'x' })).toBe(true);
  });
  it('file names carry the session name and date', () => {
    expect(slug('Workshop – Tuesday (Café)')).toBe('workshop-tuesday-cafe');
    expect(exportName('Workshop', new Date(2026, 0, 5), 'votes.csv')).toBe('workshop-2026-01-05-votes.csv');
  });
  it('a session file round-trips; a bad one names its problem', () => {
    expect(parseSessionJson(sessionToJson(S))).toEqual(S);
    expect(() => parseSessionJson('{"format":"x"}', 'my.json')).toThrow(/my\.json: not a game session/);
  });
});

describe('importing votes', () => {
  it('reads a file, a code, several codes; refuses a session link and noise', () => {
    expect(readVoteSource('a.json', votesToJson(S.id, devA.votes, devA.players))[0].votes).toHaveLength(devA.votes.length);
    const codes = votesToCodes(S.id, devA.votes, devA.players, 600);
    expect(codes.length).toBeGreaterThan(1);
    const pasted = readVoteSource('pasted', codes.join('\n'));
    expect(pasted).toHaveLength(codes.length);
    expect(pasted[1].source).toBe(`pasted (code 2 of ${codes.length})`);
    expect(votesCodesIn(`x ${codes[0]} y`)).toEqual([codes[0]]);
    expect(() => readVoteSource('link', 'http://x/play.html#join=SLS1.abc')).toThrow(/session link/);
    expect(() => readVoteSource('n.txt', 'hello')).toThrow(/n\.txt: neither/);
    expect(() => readVoteSource('pasted code', 'SLV1.abcdef')).toThrow(
      /^pasted code: the votes code is damaged or incomplete .* read it again, or use the file$/,
    );
  });
  it('reports new votes, duplicates by id, other sessions per source', () => {
    const local = { source: 'this device', session: S.id, votes: [], players: [] };
    const a = judgeBatch(S.id, [local], devA);
    expect(a).toMatchObject({ added: devA.votes.length, duplicates: 0, newPlayers: 3, otherSession: null, keep: true });
    const again = judgeBatch(S.id, [local, devA], { ...devA, source: 'a copy.json' });
    expect(again).toMatchObject({ added: 0, duplicates: devA.votes.length, keep: false });
    expect(reportLine(again)).toBe(`a copy.json: 0 new votes, ${devA.votes.length} already here (ignored).`);
    const other = judgeBatch(S.id, [local, devA], { ...devB, source: 'old.json', session: sessionId('s-old') });
    expect(other.otherSession).toEqual({ session: 's-old', votes: devB.votes.length });
    expect(other.keep).toBe(false);
    expect(reportLine(other)).toMatch(/^old\.json: belongs to another session \(s-old\)/);
  });
});

describe('votes as QR codes', () => {
  it('slices fit, every slice decodes on its own, together they give every vote and player', () => {
    const all = votes;
    const codes = votesToCodes(S.id, all, players, 900);
    expect(codes.every((c) => c.length <= 900)).toBe(true);
    const batches = codes.map((c) => decodeVotes(c));
    const m = mergeBatches(S.id, batches);
    expect(m.votes.map((v) => v.id).sort()).toEqual(all.map((v) => v.id).sort());
    expect(m.players.map((p) => p.id).sort()).toEqual(players.map((p) => p.id).sort());
    expect(votesToCodes(S.id, [], players.slice(0, 1))).toHaveLength(1);
  });
});

describe('dashboard and lab files', () => {
  const m = mergeBatches(S.id, [devA, devB]);
  it('counts players, votes per triplet, coverage and the leaderboard', () => {
    const d = dashboardOf(S, m);
    expect(d.votes).toBe(votes.length);
    expect(d.players).toHaveLength(6);
    expect(d.players.every((p) => p.answered === 1 && p.questions === DEFAULT_QUESTIONNAIRE.questions.length)).toBe(true);
    expect(d.triplets.reduce((s, t) => s + t.votes, 0)).toBe(votes.filter((v) => !v.catch && !v.timeout).length);
    expect(d.covered).toBe(d.triplets.filter((t) => t.votes >= 2).length);
    expect(d.leaderboard).toHaveLength(6);
    expect(d.leaderboard[0].points).toBeGreaterThanOrEqual(d.leaderboard[5].points);
    expect(d.agreementPoints).toBe(d.leaderboard.reduce((s, r) => s + r.points, 0) - 30 * d.leaderboard.reduce((s, r) => s + r.catchPassed, 0));
  });
  it('groups by age by default; the handoff files read in the lab with the counts in the note', () => {
    const attrs = groupingAttributes(S, m.players);
    expect(attrs.find((a) => a.id === 'age')?.groups).toBe(2);
    expect(defaultGroupBy(attrs)).toBe('age');
    expect(
      defaultGroupBy([
        { id: 'age', groups: 1 },
        { id: 'gender', groups: 2 },
      ]),
    ).toBe('gender');
    const h = labHandoff(
      S,
      m,
      { name: 'tones-features.csv', text: 'id,x\n' },
      { includeFlagged: false, ratherNotSayAsEmpty: false, groupBy: 'age' },
      new Date(2026, 0, 5),
    );
    expect(h.files.judgments.name).toBe('workshop-tuesday-2026-01-05-votes.csv');
    const js = parseJudgments(h.files.judgments.text, 'v');
    expect(js.judgments.length).toBeGreaterThan(0);
    expect(parseUsers(h.files.users?.text ?? '', 'u').size).toBe(6);
    expect(h.excludedNote).toMatch(
      /goe?s? into the analysis\. Left out: \d+ catch trials? .*\d+ timeouts?, and \d+ votes? of \d+ players? who failed a catch trial\./,
    );
    expect(h.groupBy).toBe('age');
  });
});

describe('join link', () => {
  it('a bundled set travels without clip ids and decodes with them', () => {
    const link = joinLink(S, 'http://192.168.1.2:5173/play.html');
    expect(link.startsWith('http://192.168.1.2:5173/play.html#join=SLS1.')).toBe(true);
    expect(decodeSession(link, (id) => (id === 'tones' ? ids : undefined))).toEqual(S);
    expect(() => decodeSession(link)).toThrow(/does not have that clip set/);
  });
  it('the game page next to the organiser page; localhost is named as unreachable', () => {
    expect(gamePageAddress('http://127.0.0.1:5294/play.html?backend=wasm#organise')).toBe('http://127.0.0.1:5294/play.html');
    expect(gamePageAddress('https://x.org/lab/play.html')).toBe('https://x.org/lab/play.html');
    expect(addressWarning('http://localhost:5173/play.html')).toMatch(/phones cannot open it/);
    expect(addressWarning('http://192.168.1.20:5173/play.html')).toBeNull();
  });
  it('clip ids of a clips.csv', () => {
    expect(clipIdsFromCsv('id,file\na,a.opus\nb,b.opus\n', 'c.csv')).toEqual(['a', 'b']);
    expect(() => clipIdsFromCsv('file\na.opus\n', 'c.csv')).toThrow(/no "id" column/);
  });
});
