/**
 * Load benchmark of the workshop server (issue 15; `npm run bench:workshop`): the built command
 * (`similarity-lab workshop`, a child process, loopback only) and N simulated players (ws clients in this
 * process) playing whole matches: hello with answers, join, every round a vote after a random think time
 * (some rounds left to time out, some votes sent twice to exercise idempotency), `--matches` matches each.
 *
 * It asserts (here, not in CI) that every vote is stored exactly once — every acknowledged vote id is in the
 * database, once, replays added no row, and each player has one row per round played — and prints p50 / p95 /
 * max of the time from sending a vote to its ack, the totals, the machine and the load average. The JSON goes
 * to bench/out/workshop-load.json.
 *
 *   --players=60 --matches=2 --rounds=10 --seats=4 --think=50,600 (ms) --vote-seconds=6 --timeouts=0.03 --replays=0.05
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type Frame, TestClient } from '../test/server/client';
import { benchArgs } from './args';

const ROOT = resolve(import.meta.dirname, '..');
const { args, list } = benchArgs();
const PLAYERS = Number(args.get('players') ?? 60);
const MATCHES = Number(args.get('matches') ?? 2);
const ROUNDS = Number(args.get('rounds') ?? 10);
const SEATS = Number(args.get('seats') ?? 4);
const [THINK_MIN, THINK_MAX] = list('think', '50,600');
const VOTE_SECONDS = Number(args.get('vote-seconds') ?? 6);
const TIMEOUT_SHARE = Number(args.get('timeouts') ?? 0.03);
const REPLAY_SHARE = Number(args.get('replays') ?? 0.05);
const LIMIT_MS = Number(args.get('limit-s') ?? 600) * 1000;

function launch(db: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'dist-cli', 'similarity-lab.js'),
      'workshop',
      ...['--port', '0', '--db', db, '--clips', 'instruments', '--seats', String(SEATS), '--rounds', String(ROUNDS)],
      ...['--vote-seconds', String(VOTE_SECONDS), '--wait-seconds', '2', '--result-seconds', '0.3', '--max-per-address', String(PLAYERS + 4)],
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${out}`)), 20_000);
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /listening on: 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok({ child, port: Number(m[1]) });
      }
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    child.once('exit', (code) => fail(new Error(`server exited (${code}):\n${out}`)));
  });
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
const rand = (a: number, b: number) => a + Math.random() * (b - a);

interface PlayerLog {
  id: string;
  acked: string[];
  latencies: number[];
  replays: number;
  duplicateAcks: number;
  rounds: number;
  timeouts: number;
  errors: string[];
}

async function play(url: string, k: number): Promise<PlayerLog> {
  const me: PlayerLog = {
    id: `bench-player-${String(k).padStart(3, '0')}`,
    acked: [],
    latencies: [],
    replays: 0,
    duplicateAcks: 0,
    rounds: 0,
    timeouts: 0,
    errors: [],
  };
  const c = await TestClient.open(url);
  c.ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as Frame;
    if (f.type === 'error') me.errors.push(`${f.code}: ${f.message}`);
  });
  c.send({ type: 'hello', player: me.id, consent: true, answers: { age: ['18–25', '26–35', '36–45'][k % 3], music_training_years: k % 12 } });
  await c.next('welcome');
  for (let m = 0; m < MATCHES; m++) {
    c.send({ type: 'join' });
    await c.next('match', 30_000);
    for (let r = 0; r < ROUNDS; r++) {
      const round = await c.next('round', VOTE_SECONDS * 1000 + 10_000);
      me.rounds++;
      if (Math.random() < TIMEOUT_SHARE) {
        me.timeouts++;
        await c.next('round-result', VOTE_SECONDS * 1000 + 10_000);
        continue;
      }
      await sleep(rand(THINK_MIN, THINK_MAX));
      const vote = { type: 'vote', id: `${me.id}-m${m}-r${r}-${Math.random().toString(36).slice(2, 8)}`, match: round.match, round: round.round };
      const body = { ...vote, triplet: round.triplet, choice: Math.floor(Math.random() * 3), rtMs: 900, playMs: [800, 700, 600], playOrder: [0, 1, 2] };
      const t0 = performance.now();
      c.send(body);
      const ack = await c.next('ack', 10_000);
      me.latencies.push(performance.now() - t0);
      if (ack.id !== body.id) throw new Error(`${me.id}: ack for ${ack.id}, expected ${body.id}`);
      me.acked.push(body.id);
      if (Math.random() < REPLAY_SHARE) {
        me.replays++;
        c.send(body);
        if ((await c.next('ack', 10_000)).duplicate) me.duplicateAcks++;
      }
      await c.next('round-result', VOTE_SECONDS * 1000 + 10_000);
    }
    await c.next('match-end', 10_000);
  }
  await c.close();
  return me;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'simlab-workshop-bench-'));
  const db = join(dir, 'bench.sqlite');
  const { child, port } = await launch(db);
  const load0 = loadavg();
  const t0 = performance.now();
  const guard = setTimeout(() => {
    process.stderr.write(`bench: over the ${LIMIT_MS / 1000} s limit\n`);
    child.kill('SIGKILL');
    process.exit(1);
  }, LIMIT_MS);
  let logs: PlayerLog[];
  try {
    // players arrive over ~2 s, as in a room
    logs = await Promise.all(Array.from({ length: PLAYERS }, (_, k) => sleep(k * (2000 / PLAYERS)).then(() => play(`ws://127.0.0.1:${port}/ws`, k))));
  } finally {
    clearTimeout(guard);
    child.kill('SIGTERM');
    await new Promise((ok) => child.once('exit', ok));
  }
  const wallS = (performance.now() - t0) / 1000;
  const load1 = loadavg();

  // every vote stored exactly once
  const d = new Database(db, { readonly: true });
  const rows = d.prepare('SELECT id, player, match, round, timeout FROM votes').all() as {
    id: string;
    player: string;
    match: string;
    round: number;
    timeout: number;
  }[];
  d.close();
  const ids = new Map<string, number>();
  for (const r of rows) ids.set(r.id, (ids.get(r.id) ?? 0) + 1);
  const acked = logs.flatMap((l) => l.acked);
  const problems: string[] = [];
  for (const a of acked) if (ids.get(a) !== 1) problems.push(`acked vote ${a} stored ${ids.get(a) ?? 0} times`);
  const perPlayer = new Map<string, number>();
  for (const r of rows) perPlayer.set(r.player, (perPlayer.get(r.player) ?? 0) + 1);
  for (const l of logs) if (perPlayer.get(l.id) !== l.rounds) problems.push(`${l.id}: ${perPlayer.get(l.id)} rows for ${l.rounds} rounds`);
  const timeoutRows = rows.filter((r) => r.timeout === 1).length;
  if (rows.length !== acked.length + timeoutRows) problems.push(`${rows.length} rows ≠ ${acked.length} acked votes + ${timeoutRows} timeouts`);
  const errors = logs.flatMap((l) => l.errors);
  if (errors.length) problems.push(`error frames: ${errors.slice(0, 5).join('; ')}`);
  const replays = logs.reduce((s, l) => s + l.replays, 0);
  const dupAcks = logs.reduce((s, l) => s + l.duplicateAcks, 0);
  if (dupAcks !== replays) problems.push(`${replays} replays but ${dupAcks} duplicate acks`);

  const lat = logs.flatMap((l) => l.latencies);
  const result = {
    players: PLAYERS,
    matchesPerPlayer: MATCHES,
    rounds: ROUNDS,
    seats: SEATS,
    votes: acked.length,
    replays,
    timeouts: timeoutRows,
    rows: rows.length,
    wallS: Number(wallS.toFixed(1)),
    votesPerS: Number((acked.length / wallS).toFixed(1)),
    ackMs: { p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), max: Math.max(...lat) },
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, loadavgBefore: load0, loadavgAfter: load1 },
    date: new Date().toISOString(),
    storedExactlyOnce: problems.length === 0,
  };
  mkdirSync(join(ROOT, 'bench', 'out'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'out', 'workshop-load.json'), `${JSON.stringify(result, null, 1)}\n`);
  const f = (x: number) => x.toFixed(1);
  process.stdout.write(
    `${PLAYERS} players × ${MATCHES} matches × ${ROUNDS} rounds (${SEATS} seats): ${acked.length} votes acked, ${replays} replays, ` +
      `${timeoutRows} timeouts, ${rows.length} rows, ${f(wallS)} s (${result.votesPerS} votes/s)\n` +
      `vote → ack: p50 ${f(result.ackMs.p50)} ms, p95 ${f(result.ackMs.p95)} ms, p99 ${f(result.ackMs.p99)} ms, max ${f(result.ackMs.max)} ms\n` +
      `machine: ${result.machine.cpu} × ${result.machine.cores}, Node ${process.version}, load average ${load0.map(f).join(' ')} → ${load1.map(f).join(' ')}\n`,
  );
  rmSync(dir, { recursive: true, force: true });
  if (problems.length) {
    process.stderr.write(`FAILED: ${problems.length} problem(s)\n${problems.slice(0, 20).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write('every vote stored exactly once\n');
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
