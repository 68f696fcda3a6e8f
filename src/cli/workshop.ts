/**
 * `similarity-lab workshop`: the live workshop server (issue 15; src/server, docs/SERVER.md). Runs until
 * Ctrl-C (SIGINT) or SIGTERM, then closes the sockets and the database.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { resolveClips } from '../server/clips';
import { startWorkshop } from '../server/server';
import { InputError, int, num, UsageError } from './args';

/** The repository (or installed package) root: the folder above dist-cli/ or src/cli/ that holds package.json. */
function packageRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(resolve(d, 'package.json'))) return d;
    d = resolve(d, '..');
  }
  return process.cwd();
}

export async function cmdWorkshop(argv: string[]): Promise<void> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      db: { type: 'string' },
      clips: { type: 'string' },
      host: { type: 'string', multiple: true },
      lan: { type: 'boolean' },
      dist: { type: 'string' },
      seats: { type: 'string' },
      rounds: { type: 'string' },
      'vote-seconds': { type: 'string' },
      'wait-seconds': { type: 'string' },
      'result-seconds': { type: 'string' },
      name: { type: 'string' },
      'new-session': { type: 'boolean' },
      'host-token': { type: 'string' },
      'max-per-address': { type: 'string' },
    },
    strict: true,
  });
  const root = packageRoot();
  const dist = resolve(v.dist ?? resolve(root, 'dist'));
  const dataDirs = [resolve(dist, 'data'), resolve(root, 'public', 'data')];
  let clips: ReturnType<typeof resolveClips>;
  try {
    clips = resolveClips(v.clips ?? 'instruments', dataDirs);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  const hosts = [...(v.host ?? []).flatMap((h) => h.split(',')).map((h) => h.trim()), ...(v.lan ? ['0.0.0.0'] : [])].filter(Boolean);
  const port = int(v.port, 'port', 8080, 0);
  if (port > 65535) throw new UsageError('--port must be at most 65535');
  const w = await startWorkshop({
    db: resolve(v.db ?? 'workshop.sqlite'),
    clips,
    port,
    hosts: hosts.length ? hosts : ['127.0.0.1'],
    staticDir: dist,
    resume: !v['new-session'],
    hostToken: v['host-token'],
    maxPerAddress: int(v['max-per-address'], 'max-per-address', 16, 1),
    timing: { waitMs: num(v['wait-seconds'], 'wait-seconds', 10) * 1000, resultMs: num(v['result-seconds'], 'result-seconds', 4) * 1000 },
    session: {
      ...(v.name ? { name: v.name } : {}),
      seats: int(v.seats, 'seats', 4, 1),
      roundsPerMatch: int(v.rounds, 'rounds', 10, 1),
      voteSeconds: num(v['vote-seconds'], 'vote-seconds', 45),
    },
  });
  const urls = w.joinUrls();
  const out = process.stdout;
  out.write(`Similarity Lab workshop server — session ${w.session().id} (${w.session().clipIds.length} clips of ${w.session().clipSetId})\n`);
  out.write(`database: ${w.db.file}\nlistening on: ${w.hosts.map((h) => `${h}:${w.port}`).join(', ')}\n`);
  if (!existsSync(dist)) out.write(`note: ${dist} does not exist — run npm run build so that the server can serve the app\n`);
  out.write(`\nPlayers join at:\n${urls.map((u) => `  ${u}`).join('\n')}\n`);
  if (w.hosts.every((h) => h.startsWith('127.') || h === 'localhost' || h === '::1'))
    out.write('  (loopback only: add --lan or --host <LAN address> to let phones on the network join)\n');
  out.write(`\n${await QRCode.toString(urls[0], { type: 'terminal', small: true })}\n`);
  const local = w.hosts.some((h) => h === '0.0.0.0' || h === '::' || h.startsWith('127.')) ? '127.0.0.1' : w.hosts[0];
  out.write(`Organiser (on this machine): http://${local}:${w.port}/play.html?workshop=${encodeURIComponent(w.session().id)}#organise\n`);
  out.write(`host token (the organiser's page asks for it; keep it to yourself): ${w.hostToken}\n`);
  out.write('Ctrl-C stops the server (votes are saved as they arrive).\n');
  await new Promise<void>((done) => {
    const stop = (sig: string) => {
      process.stderr.write(`\n${sig}: closing\n`);
      w.close().then(done, done);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
