/**
 * The workshop server (issue 15) with a real SQLite file in a temp folder and real WebSocket clients on the
 * loopback: a match of 2 humans + 2 AI seats with agreement points checked by hand, reconnection, idempotent
 * votes, the kill-and-restart case (the built command as a child process, SIGKILL right after an ack), every
 * bad input, organiser actions, no leak of answers, exports and the backup.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsPsychCsv, voteFromJsPsych } from '../../src/game/export';
import { aiPicks } from '../../src/game/scoring';
import type { VoteRecord } from '../../src/game/types';
import { folderClips, resolveClips } from '../../src/server/clips';
import { MIGRATIONS, WorkshopDb } from '../../src/server/db';
import { tripletById } from '../../src/server/matches';
import { startWorkshop, type Workshop, type WorkshopOptions } from '../../src/server/server';
import { type Frame, TestClient } from './client';

const ROOT = resolve(__dirname, '..', '..');
const CLIPS = resolveClips('tones', [join(ROOT, 'public', 'data')]);
// the built command for the kill test, inside the repository (git-ignored .vitest/) so that it finds better-sqlite3 in node_modules
const CLI_BUILD = join(ROOT, '.vitest', `workshop-cli-${process.pid}`);
let dir: string;
let seq = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'simlab-workshop-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(CLI_BUILD, { recursive: true, force: true });
});

interface Started {
  w: Workshop;
  url: string;
  logs: string[];
}
async function start(extra: Partial<WorkshopOptions> = {}): Promise<Started> {
  const logs: string[] = [];
  const w = await startWorkshop({
    db: join(dir, `w${++seq}.sqlite`),
    clips: CLIPS,
    port: 0,
    hostToken: 'secret-token-123',
    log: (l) => logs.push(l),
    timing: { waitMs: 150, resultMs: 10, graceMs: 500 },
    session: { roundsPerMatch: 3, voteSeconds: 5, catchRate: 0, seed: 'test' },
    ...extra,
  });
  return { w, url: `ws://127.0.0.1:${w.port}/ws`, logs };
}

const id = (p: string) => `${p}-${Math.random().toString(36).slice(2, 12)}`;

async function player(url: string, name: string, answers?: Record<string, string | number>): Promise<TestClient> {
  const c = await TestClient.open(url);
  c.send({ type: 'hello', player: name, ...(answers ? { answers, consent: true } : {}) });
  await c.next('welcome');
  return c;
}

function voteFrame(r: Frame, choice: 0 | 1 | 2 | null, vid = id('vote')) {
  return { type: 'vote', id: vid, match: r.match, round: r.round, triplet: r.triplet, choice, rtMs: 1234, playMs: [1000, 2000, 0], playOrder: [0, 1] };
}

describe('workshop server', () => {
  it('plays a match of 2 humans + 2 AI seats; agreement points by hand', { timeout: 20_000 }, async () => {
    const { w, url } = await start();
    const a = await player(url, 'player-aaaa');
    const b = await player(url, 'player-bbbb');
    a.send({ type: 'join' });
    b.send({ type: 'join' });
    const [ma, mb] = [await a.next('match'), await b.next('match')];
    expect([ma.humans, ma.ai, ma.seats, ma.match]).toEqual([2, 2, 4, mb.match]);
    const settings = w.session();
    for (let round = 0; round < 3; round++) {
      const [ra, rb] = [await a.next('round'), await b.next('round')];
      expect([ra.round, ra.triplet]).toEqual([round, rb.triplet]);
      expect([...ra.clips].sort()).toEqual([...rb.clips].sort());
      expect(ra.urls[0]).toBe(CLIPS.urls[ra.clips[0]]);
      // round 0: both pick the same clip; round 1: different clips; round 2: b times out (choice null)
      const pickA = ra.clips[0];
      const pickB = round === 0 ? pickA : round === 1 ? rb.clips.find((c: string) => c !== pickA) : null;
      const before = w.db.votes(settings.id).filter((v) => v.triplet === ra.triplet);
      a.send(voteFrame(ra, 0));
      b.send(voteFrame(rb, pickB === null ? null : rb.clips.indexOf(pickB)));
      expect((await a.next('ack')).duplicate).toBe(false);
      await b.next('ack');
      const [xa, xb] = [await a.next('round-result'), await b.next('round-result')];
      const ai = xa.seats.filter((s: Frame) => s.ai).map((s: Frame) => s.pick);
      expect(ai).toHaveLength(2);
      expect(xb.seats.filter((s: Frame) => s.ai).map((s: Frame) => s.pick)).toEqual(ai);
      // the AI seats replay the triplet's earlier human votes (none yet here: random tiles), one draw per table round
      const probe = { id: `${ra.match}/${round}`, clips: tripletById(settings, ra.triplet)?.clips } as unknown as VoteRecord;
      expect(aiPicks(settings, probe, before, 2)).toEqual(ai);
      // points by hand: 10 per other seat (human or AI) with the same pick
      const others = (mine: string | null, other: string | null) =>
        mine === null ? 0 : (other === mine ? 1 : 0) + ai.filter((c: string) => c === mine).length;
      expect(xa.you.points).toBe(10 * others(pickA, pickB));
      expect(xb.you.points).toBe(10 * others(pickB, pickA));
      if (round === 0) expect(xa.you.points).toBeGreaterThanOrEqual(10);
      if (round === 2) expect(xb.you.points).toBe(0);
      const dbScores = new Map(w.db.scores(settings.id).map((s) => [s.id, s.points]));
      const mine = w.db.votes(settings.id).filter((v) => v.match === ra.match && v.round === round);
      expect(mine).toHaveLength(2);
      expect(dbScores.get(mine.find((v) => v.player === 'player-aaaa')!.id)).toBe(xa.you.points);
    }
    const [ea, eb] = [await a.next('match-end'), await b.next('match-end')];
    const lb = await a.next('leaderboard');
    expect(lb.rows.find((r: Frame) => r.you).points).toBe(ea.points);
    expect(lb.players).toBe(2);
    expect(eb.points).toBeGreaterThanOrEqual(0);
    const votes = w.db.votes(settings.id);
    expect(votes).toHaveLength(6);
    expect(votes.filter((v) => v.timeout).map((v) => v.player)).toEqual(['player-bbbb']);
    await Promise.all([a.close(), b.close()]);
    await w.close();
  });

  it('seats arrivals: a full table at once, the rest after the wait with AI seats', { timeout: 10_000 }, async () => {
    const { w, url } = await start();
    const ps = await Promise.all([1, 2, 3, 4, 5].map((k) => player(url, `player-seat${k}`)));
    for (const p of ps) p.send({ type: 'join' });
    const first = await Promise.all(ps.slice(0, 4).map((p) => p.next('match')));
    expect(new Set(first.map((m) => m.match)).size).toBe(1);
    expect(first.map((m) => [m.humans, m.ai]).every(([h, a]) => h === 4 && a === 0)).toBe(true);
    expect(first.map((m) => m.seat).sort()).toEqual([1, 2, 3, 4]);
    const last = await ps[4].next('match');
    expect([last.humans, last.ai, last.seat]).toEqual([1, 3, 1]);
    expect(last.match).not.toBe(first[0].match);
    await Promise.all(ps.map((p) => p.close()));
    await w.close();
  });

  it('resumes a reconnecting player with the same anonymous id; a replayed vote is acked again without a second row', { timeout: 15_000 }, async () => {
    const { w, url } = await start({ session: { roundsPerMatch: 2, voteSeconds: 5, catchRate: 0, seats: 1 } });
    const a = await player(url, 'player-cccc');
    a.send({ type: 'join' });
    const m = await a.next('match');
    const r0 = await a.next('round');
    await a.close();
    const again = await player(url, 'player-cccc');
    expect((await again.next('match')).match).toBe(m.match);
    const r0b = await again.next('round');
    expect([r0b.round, r0b.triplet, r0b.clips]).toEqual([0, r0.triplet, r0.clips]);
    const f = voteFrame(r0b, 2);
    again.send(f);
    again.send(f);
    const [k1, k2] = [await again.next('ack'), await again.next('ack')];
    expect([k1.id, k1.duplicate, k2.id, k2.duplicate]).toEqual([f.id, false, f.id, true]);
    await again.next('round-result');
    again.send(f); // after the round closed: still the same ack
    expect((await again.next('ack')).duplicate).toBe(true);
    const r1 = await again.next('round');
    again.send(voteFrame(r1, 1));
    await again.next('match-end');
    // a vote (new id) for a round of the finished match: over, not stored
    again.send(voteFrame(r1, 0));
    expect((await again.next('error')).code).toBe('round-closed');
    again.send({ type: 'leaderboard' });
    await again.next('leaderboard');
    expect((await again.next('leaderboard')).rows).toEqual([{ rank: 1, points: 0, rounds: 2, you: true }]);
    expect(w.db.votes(w.session().id).filter((v) => v.id === f.id)).toHaveLength(1);
    expect(w.db.countVotes()).toBe(2);
    await again.close();
    await w.close();
  });

  it('refuses each bad input with an error frame and a log line, and keeps serving', { timeout: 15_000 }, async () => {
    const { w, url, logs } = await start({ maxPerAddress: 4 });
    const c = await TestClient.open(url);
    const expectError = async (code: string) => {
      const e = await c.next('error');
      expect(e.code).toBe(code);
      expect(logs.some((l) => l.includes(`refused ${code}`))).toBe(true);
    };
    c.sendRaw('{"type": "hello", oops');
    await expectError('bad-json');
    c.sendRaw(Buffer.from([1, 2, 3]));
    await expectError('bad-frame');
    c.send({ type: 'vote', id: 'abcdefgh1', match: 'm', round: 0, triplet: 'T0', choice: 0, rtMs: 1, playMs: [0, 0, 0], playOrder: [] });
    await expectError('no-hello');
    c.sendRaw(JSON.stringify({ type: 'ping', v: 99 }));
    await expectError('bad-version');
    c.send({ type: 'hello', player: 'player-dddd', session: 'no-such-session' });
    await expectError('unknown-session');
    c.send({ type: 'hello', player: 'player-dddd', answers: { age: 'ninety' } });
    await expectError('bad-answers');
    c.send({ type: 'hello', player: 'player-dddd', pad: 'x'.repeat(20_000) });
    await expectError('too-large');
    c.send({ type: 'hello', player: 'player-dddd' });
    await c.next('welcome');
    c.send(voteFrame({ match: 'm-not-mine', round: 0, triplet: 'T0' } as unknown as Frame, 1));
    await expectError('not-served');
    c.send({ type: 'join' });
    await c.next('match');
    const r = await c.next('round');
    c.send(voteFrame({ ...r, triplet: r.triplet === 'T1' ? 'T2' : 'T1' } as Frame, 1));
    await expectError('not-served');
    c.send(voteFrame({ ...r, round: 5 } as Frame, 1));
    await expectError('not-served');
    c.send({ type: 'vote', id: 'x', match: r.match });
    await expectError('bad-frame');
    // a frame over the hard limit: ws closes that socket (1009); the server logs it and goes on
    const big = await TestClient.open(url);
    big.sendRaw('x'.repeat(100_000));
    expect(await big.closed).toBe(1009);
    // too many sockets from one address (c + 3 more allowed, the 5th is refused)
    const more = await Promise.all([0, 1, 2].map(() => TestClient.open(url)));
    const fifth = await TestClient.open(url);
    expect((await fifth.next('error')).code).toBe('too-many-connections');
    expect(await fifth.closed).toBe(1008);
    await Promise.all(more.map((m) => m.close()));
    // more than 40 frames a second on one socket
    const burst = await TestClient.open(url);
    for (let i = 0; i < 45; i++) burst.send({ type: 'ping' });
    expect((await burst.next('error')).code).toBe('rate-limited');
    expect(burst.frames.filter((f) => f.type === 'pong').length).toBeLessThanOrEqual(40);
    await burst.close();
    // a page of another site cannot open the socket; the server's own pages can
    await expect(TestClient.open(url, 'http://evil.example')).rejects.toThrow(/403/);
    expect(logs.some((l) => l.includes('origin http://evil.example is not this server'))).toBe(true);
    await (await TestClient.open(url, `http://127.0.0.1:${w.port}`)).close();
    c.send({ type: 'ping' });
    expect((await c.next('pong')).type).toBe('pong');
    expect(logs.some((l) => /Max payload|closed/.test(l))).toBe(true);
    await c.close();
    await w.close();
  });

  it('organiser actions need the host token; stats, stop, start, export and backup', { timeout: 15_000 }, async () => {
    const { w, url } = await start({ session: { roundsPerMatch: 1, voteSeconds: 5, catchRate: 0, seats: 2 } });
    const org = await TestClient.open(url);
    org.send({ type: 'stats', token: 'wrong' });
    expect((await org.next('error')).code).toBe('forbidden');
    org.send({ type: 'stats' });
    expect((await org.next('error')).code).toBe('bad-frame');
    const guesser = await TestClient.open(url);
    for (let i = 0; i < 5; i++) guesser.send({ type: 'export', format: 'lab', token: `guess-${i}` });
    expect(await guesser.closed).toBe(1008);
    expect(guesser.frames.map((g) => g.code)).toEqual(Array(5).fill('forbidden'));
    const a = await player(url, 'player-eeee', { age: '26–35', country: 'Atlantis' });
    const b = await player(url, 'player-ffff');
    a.send({ type: 'join' });
    b.send({ type: 'join' });
    for (const p of [a, b]) {
      const r = await p.next('round');
      p.send(voteFrame(r, 0));
      await p.next('ack');
    }
    await a.next('match-end');
    const token = 'secret-token-123';
    org.send({ type: 'stats', token });
    const s = await org.next('stats');
    expect([s.online, s.players, s.votes]).toEqual([2, 2, 2]);
    expect(Object.values(s.perTriplet)).toEqual([{ votes: 2, timeouts: 0 }]);
    expect(s.leaderboard.map((r: Frame) => r.player).sort()).toEqual(['player-eeee', 'player-ffff']);
    org.send({ type: 'export', token, format: 'lab' });
    const lab = await org.next('export');
    expect(lab.files[0].text.split('\n')[0]).toBe('a,b,c,odd,user');
    expect(lab.files[0].text.trim().split('\n')).toHaveLength(3);
    expect(lab.files[1].text).toContain('Atlantis');
    org.send({ type: 'export', token, format: 'jspsych-csv' });
    const js = await org.next('export');
    const back = parseJsPsychCsv(js.files[0].text).map(voteFromJsPsych);
    const stored = w.db.votes(w.session().id);
    expect(back.sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual(stored.sort((x, y) => (x.id < y.id ? -1 : 1)));
    for (const format of ['jspsych-json', 'counts', 'votes-json']) {
      org.send({ type: 'export', token, format });
      expect((await org.next('export')).files[0].text.length).toBeGreaterThan(20);
    }
    org.send({ type: 'backup', token });
    const bk = await org.next('backup');
    expect(existsSync(bk.path)).toBe(true);
    const copy = new Database(bk.path, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((copy.prepare('SELECT count(*) n FROM votes').get() as { n: number }).n).toBe(2);
    expect(copy.pragma('user_version', { simple: true })).toBe(1);
    copy.close();
    org.send({ type: 'stop', token });
    await org.next('stopped');
    a.send({ type: 'join' });
    expect((await a.next('error')).code).toBe('session-stopped');
    org.send({ type: 'start', token, name: 'second' });
    const st = await org.next('started');
    expect(st.session.name).toBe('second');
    expect(st.session.id).not.toBe(stored[0].session);
    await Promise.all([a.close(), b.close(), org.close()]);
    await w.close();
  });

  it('never sends a player another player’s answers or id', { timeout: 15_000 }, async () => {
    const { w, url } = await start({ session: { roundsPerMatch: 2, voteSeconds: 5, catchRate: 0, seats: 3 } });
    const secret = { first_language: 'Klingon-xyzzy', country: 'Utopia-plugh', music_training_years: 37 };
    const a = await player(url, 'player-secret1', secret);
    const b = await player(url, 'player-other22');
    for (const p of [a, b]) p.send({ type: 'join' });
    for (let round = 0; round < 2; round++) {
      for (const p of [a, b]) {
        const r = await p.next('round');
        p.send(voteFrame(r, 1));
      }
      await b.next('round-result');
    }
    await b.next('leaderboard');
    await a.next('leaderboard');
    const seenByB = b.texts.join('\n');
    expect(seenByB).not.toMatch(/Klingon|Utopia|player-secret1|\b37\b/);
    expect(a.texts.join('\n')).not.toMatch(/player-other22/);
    expect(w.db.players(w.session().id).find((p) => p.id === 'player-secret1')?.answers).toEqual(secret);
    await Promise.all([a.close(), b.close()]);
    await w.close();
  });

  it('scores catch trials at a table: 30 for the different clip, failures in the organiser stats', { timeout: 10_000 }, async () => {
    // catch rounds are drawn per player, match (a random id) and round: 30 rounds at rate 0.5 give ≥ 2 but with p ≈ 3e-8
    const { w, url } = await start({ maxFramesPerSecond: 1000, session: { roundsPerMatch: 30, voteSeconds: 5, catchRate: 0.5, seats: 2, seed: 'catchy' } });
    const a = await player(url, 'player-catch1');
    a.send({ type: 'join' });
    let caught = 0;
    let failed = 0;
    for (let round = 0; round < 30; round++) {
      const r = await a.next('round');
      const odd = r.clips.findIndex((c: string) => r.clips.filter((d: string) => d === c).length === 1);
      const isCatch = new Set(r.clips).size === 2;
      const pass = caught % 2 === 0;
      a.send(voteFrame(r, isCatch ? (pass ? odd : (((odd + 1) % 3) as 0 | 1 | 2)) : 0));
      const x = await a.next('round-result');
      if (isCatch) {
        caught++;
        if (!pass) failed++;
        expect([x.you.catchPassed, x.you.points]).toEqual(pass ? [true, 30] : [false, 0]);
        expect(x.seats.filter((s: Frame) => s.ai)).toEqual([]);
      } else expect(x.you.catchPassed).toBeUndefined();
    }
    expect(caught).toBeGreaterThan(1);
    const org = await TestClient.open(url);
    org.send({ type: 'stats', token: 'secret-token-123' });
    const st = await org.next('stats');
    expect(st.catchFailures).toEqual([{ player: 'player-catch1', failed, passed: caught - failed, flagged: true }]);
    await Promise.all([a.close(), org.close()]);
    await w.close();
  });

  it('versions the schema: migrations run once, a newer file is refused', () => {
    const file = join(dir, 'schema.sqlite');
    const d1 = new WorkshopDb(file);
    expect(d1.schemaVersion).toBe(MIGRATIONS.length);
    expect(d1.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(d1.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    d1.close();
    const d2 = new WorkshopDb(file); // reopening runs nothing again (CREATE TABLE would throw)
    d2.db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    d2.close();
    expect(() => new WorkshopDb(file)).toThrow(/newer than this server/);
  });

  it('serves the app and a folder of clips over HTTP, nothing outside them, only on the address it was given', { timeout: 10_000 }, async () => {
    const app = join(dir, 'app');
    const audio = join(dir, 'audio');
    mkdirSync(join(app, 'assets'), { recursive: true });
    mkdirSync(audio, { recursive: true });
    writeFileSync(join(app, 'play.html'), '<title>game</title>');
    writeFileSync(join(app, 'index.html'), '<title>lab</title>');
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    for (const n of ['b clip.wav', 'a.wav', 'c.flac', 'notes.txt']) writeFileSync(join(audio, n), n);
    const clips = folderClips(audio);
    expect(clips.clipIds).toEqual(['a', 'b clip', 'c']);
    const { w } = await start({ clips, staticDir: app });
    const base = `http://127.0.0.1:${w.port}`;
    const get = async (p: string) => {
      const r = await fetch(base + p);
      return [r.status, r.headers.get('content-type'), await r.text()];
    };
    expect(await get('/')).toEqual([200, 'text/html; charset=utf-8', '<title>lab</title>']);
    expect(await get('/play.html?workshop=x')).toEqual([200, 'text/html; charset=utf-8', '<title>game</title>']);
    expect(await get(`/${clips.urls['b clip']}`)).toEqual([200, 'audio/wav', 'b clip.wav']);
    expect((await get('/clips/notes.txt'))[0]).toBe(404);
    expect((await get('/%2e%2e/secret.txt'))[0]).toBe(404);
    expect((await get('/assets/..%2f..%2fsecret.txt'))[0]).toBe(404);
    expect(JSON.parse((await get('/api/info'))[2] as string)).toMatchObject({ protocol: 1, ws: '/ws', session: w.session().id, state: 'running' });
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (lan) {
      const refused = await new Promise<boolean>((ok) => {
        const s = connect(w.port, lan);
        s.once('connect', () => {
          s.destroy();
          ok(false);
        });
        s.once('error', () => ok(true));
      });
      expect(refused).toBe(true);
    }
    await w.close();
  });

  it('loses no acknowledged vote when the built server is killed (SIGKILL) and restarted; the player resumes', { timeout: 40_000 }, async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs'), '--outdir', CLI_BUILD], { cwd: ROOT });
    const build = CLI_BUILD;
    const db = join(dir, 'killed.sqlite');
    const args = [
      'workshop',
      '--port',
      '0',
      '--db',
      db,
      '--clips',
      'tones',
      '--seats',
      '2',
      '--rounds',
      '4',
      '--wait-seconds',
      '0.1',
      '--result-seconds',
      '0.05',
    ];
    const launch = async (): Promise<{ child: ChildProcess; url: string }> => {
      const child = spawn(process.execPath, [join(build, 'similarity-lab.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const port = await new Promise<number>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`server did not start: ${out}`)), 15_000);
        child.stdout?.on('data', (d) => {
          out += d;
          const m = /listening on: 127\.0\.0\.1:(\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            ok(Number(m[1]));
          }
        });
        child.stderr?.on('data', (d) => {
          out += d;
        });
      });
      return { child, url: `ws://127.0.0.1:${port}/ws` };
    };
    const acked: string[] = [];
    let s = await launch();
    let c = await player(s.url, 'player-killme');
    c.send({ type: 'join' });
    const m = await c.next('match');
    for (let i = 0; i < 2; i++) {
      const r = await c.next('round');
      const f = voteFrame(r, 0);
      c.send(f);
      const k = await c.next('ack');
      acked.push(k.id);
      if (i === 1) s.child.kill('SIGKILL'); // right after the ack, before the round closes
    }
    await new Promise((ok) => s.child.once('exit', ok));
    await c.closed;
    s = await launch();
    const stored = new Database(db, { readonly: true });
    const ids = (stored.prepare('SELECT id FROM votes').all() as { id: string }[]).map((r) => r.id);
    expect(acked.every((a) => ids.includes(a))).toBe(true);
    stored.close();
    c = await player(s.url, 'player-killme');
    expect((await c.next('match')).match).toBe(m.match);
    // the round open at the kill is served again (marked as voted, it closes at once); then the match goes on
    for (;;) {
      const r = await c.next('round', 10_000);
      if (r.voted) {
        expect(acked).toContain(r.voted);
        continue;
      }
      c.send(voteFrame(r, 1));
      acked.push((await c.next('ack')).id);
      if (r.round === 3) break;
    }
    await c.next('match-end');
    s.child.kill('SIGTERM');
    await new Promise((ok) => s.child.once('exit', ok));
    const after = new Database(db, { readonly: true });
    const rows = after.prepare("SELECT id, round FROM votes WHERE player = 'player-killme' ORDER BY round").all() as { id: string; round: number }[];
    after.close();
    expect(rows.map((r) => r.round)).toEqual([0, 1, 2, 3]);
    expect(acked.every((a) => rows.some((r) => r.id === a))).toBe(true);
  });
});
