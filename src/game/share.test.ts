import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { voteArb } from './arbitrary.test-helper';
import { addQuestion, DEFAULT_QUESTIONNAIRE } from './questionnaire';
import { createSession } from './session';
import {
  adler32,
  base64urlDecode,
  base64urlEncode,
  decodeSession,
  decodeVotes,
  encodeSession,
  encodeVotes,
  parseSessionJson,
  parseVotesJson,
  sessionToJson,
  votesToJson,
} from './share';
import { type Player, playerId, randomId, type VoteRecord } from './types';

const clipIds = Array.from({ length: 60 }, (_, i) => `TRACK${String(i).padStart(6, '0')}`);
const S = createSession({ clipSetId: 'bundled/gtzan-60', clipIds, seed: 'workshop-7' });

describe('base64url and Adler-32', () => {
  it('computes Adler-32 as zlib does', () => {
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
    expect(adler32(new Uint8Array(10_000).fill(255))).toBe(adler32(new Uint8Array(10_000).fill(255)));
    const big = new Uint8Array(100_000).fill(255);
    // reference: a = 1 + 255·n mod 65521, b = Σ a_k mod 65521
    let a = 1;
    let b = 0;
    for (const x of big) {
      a = (a + x) % 65521;
      b = (b + a) % 65521;
    }
    expect(adler32(big)).toBe(((b << 16) | a) >>> 0);
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect(base64urlDecode(base64urlEncode(b))).toEqual(b);
      }),
    );
    expect(base64urlEncode(new Uint8Array([251, 255]))).toBe('-_8');
  });
});

describe('session file and join string', () => {
  it('round-trips and stays small', () => {
    expect(parseSessionJson(sessionToJson(S))).toEqual(S);
    const code = encodeSession(S);
    expect(code).toMatch(/^SLS1\.[A-Za-z0-9_-]+$/);
    expect(decodeSession(code)).toEqual(S);
    expect(decodeSession(`http://192.168.1.5:8080/#join=${code}`)).toEqual(S);
    // 60 clip ids and the full default questionnaire fit a QR code with room to spare
    expect(code.length).toBeLessThan(700);
    const custom = { ...S, questionnaire: addQuestion(DEFAULT_QUESTIONNAIRE, { id: 'instrument', kind: 'text', label: 'Instrument' }) };
    expect(decodeSession(encodeSession(custom))).toEqual(custom);
    // a bundled clip set: the ids come from the joining device's copy
    const short = encodeSession(S, { omitClipIds: true });
    console.info(
      `join string, 60 clips: ${code.length} characters; without the clip ids: ${short.length}; with a custom questionnaire: ${encodeSession(custom).length}`,
    );
    expect(short.length).toBeLessThan(450);
    expect(decodeSession(short, (id) => (id === S.clipSetId ? clipIds : undefined))).toEqual(S);
    expect(() => decodeSession(short)).toThrow(/names the clip set "bundled\/gtzan-60" without its clip ids/);
  });

  it('says clearly when a string is damaged, cut off or foreign', () => {
    const code = encodeSession(S);
    // a changed character is reported, or (when it only touched unused padding bits) reads as the same session
    let caught = 0;
    for (let i = 5; i < code.length; i++) {
      const flipped = code.slice(0, i) + (code[i] === 'A' ? 'B' : 'A') + code.slice(i + 1);
      try {
        expect(decodeSession(flipped), `character ${i}`).toEqual(S);
      } catch (e) {
        expect((e as Error).message, `character ${i}`).toMatch(/session link is damaged/);
        caught++;
      }
    }
    expect(caught).toBeGreaterThan(0.95 * (code.length - 5));
    expect(() => decodeSession(code.slice(0, code.length - 10))).toThrow(/damaged or incomplete|cut off/);
    expect(() => decodeSession('https://example.com/?q=hello')).toThrow(/not a Similarity Lab session link/);
    expect(() => decodeSession(encodeVotes(S.id, [], []))).toThrow(/not a session link \(it starts with SLV1\./);
    expect(() => decodeSession('SLS1.abc*def')).toThrow(/not base64url/);
    expect(() => parseSessionJson('{"format":"other"}', 'x.json')).toThrow(/x.json: not a game session/);
    expect(() => parseSessionJson(sessionToJson({ ...S, seats: 0, clipIds: ['a', 'a'] }))).toThrow(/clipIds repeat.*at least 3 clips.*seats must be/);
    expect(() => parseSessionJson('{not json')).toThrow(/not JSON/);
  });
});

describe('votes file and QR code', () => {
  const players: Player[] = [{ id: playerId('p1'), session: S.id, answers: { age: '26–35', music_training_years: 2 }, consent: true, flags: [] }];

  it('fits 10 votes with UUID ids and a questionnaire into one QR code (≤ 2,953 bytes); reports the size', () => {
    const ten = fc
      .sample(voteArb(S.id, clipIds, [randomId()]), { numRuns: 10, seed: 7 })
      .map((v) => ({ ...v, id: randomId() as VoteRecord['id'], match: randomId() as VoteRecord['match'] }));
    const code = encodeVotes(S.id, ten, [{ ...players[0], id: ten[0].player }]);
    console.info(`votes QR code: 10 votes + 1 questionnaire = ${code.length} bytes (JSON file: ${votesToJson(S.id, ten, players).length} bytes)`);
    expect(code.length).toBeLessThan(2953);
    expect(decodeVotes(code).votes).toEqual(ten);
  });

  it('property: files and QR codes read back to the same votes and players', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer(), (n, seed) => {
        const vs = fc.sample(voteArb(S.id, clipIds.slice(0, 8), ['p1', 'p2']), { numRuns: n, seed });
        const file = parseVotesJson(votesToJson(S.id, vs, players), 'f.json');
        expect(file).toEqual({ source: 'f.json', session: S.id, votes: vs, players });
        const qr = decodeVotes(encodeVotes(S.id, vs, players));
        expect(qr.votes).toEqual(vs);
        expect(qr.players).toEqual(players);
      }),
      { numRuns: 40 },
    );
  });

  it('rejects damaged or inconsistent votes with the vote named', () => {
    const [v] = fc.sample(voteArb(S.id, clipIds, ['p1']), { numRuns: 1, seed: 3 });
    const bad = { ...v, choice: 2, choiceClip: 'nope', timeout: false } as VoteRecord;
    expect(() => parseVotesJson(votesToJson(S.id, [v, bad], []), 'dev.json')).toThrow(/dev.json: vote 2: choiceClip must be the chosen clip/);
    expect(() => parseVotesJson(JSON.stringify({ format: 'similarity-lab/game-votes', version: 2 }))).toThrow(/version 2 is not supported/);
    expect(() => decodeVotes(encodeSession(S))).toThrow(/not a votes code/);
  });
});
