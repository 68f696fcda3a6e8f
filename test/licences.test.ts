/**
 * What the lab ships may be used in any project: no dependency of the app, the CLI or the server under a
 * copyleft licence (GPL, LGPL, AGPL), and every package's licence is known. Read from package-lock.json (npm's
 * record of each installed package's `license`); dev-only tools are not shipped and not checked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const PERMISSIVE = /^(MIT|ISC|Apache-2\.0|BSD-2-Clause|BSD-3-Clause|0BSD|Zlib|CC0-1\.0|Unlicense|BlueOak-1\.0\.0|Python-2\.0)$/;

it('every shipped dependency has a permissive licence (no GPL, LGPL or AGPL)', () => {
  const lock = JSON.parse(readFileSync(join(__dirname, '..', 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean; license?: string }>;
  };
  const shipped = Object.entries(lock.packages).filter(([path, p]) => path && !p.dev && !p.devOptional);
  expect(shipped.length).toBeGreaterThan(20);
  const bad = shipped
    .filter(([, p]) => !(p.license ?? '').split(/\s+OR\s+|[()]/).some((l) => PERMISSIVE.test(l.trim())))
    .map(([path, p]) => `${path}: ${p.license ?? 'no licence given'}`);
  expect(bad).toEqual([]);
});
