/**
 * Command-line argument helpers and the two kinds of refusal. Light on purpose (no core code): `main.ts`
 * loads it for every command, `--help` included.
 *   UsageError: a bad command line (flag, flag value) → exit status 2
 *   InputError: an input file that cannot be read or used → exit status 1 (as the core's DataError)
 */
import { readFileSync } from 'node:fs';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${what} file "${path}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** A finite number, or `dflt` when the flag is absent. */
export function num(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new UsageError(`--${name} must be a number, got "${v}"`);
  return x;
}

/** An integer ≥ `min`, or `dflt` when the flag is absent. */
export function int(v: string | undefined, name: string, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (v.trim() === '' || !Number.isInteger(x) || x < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${v}"`);
  return x;
}

export function list(v: string | undefined): string[] | undefined {
  return v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

export function numList(v: string | undefined, name: string): number[] | undefined {
  return list(v)?.map((s) => num(s, name, NaN));
}

export type Backend = 'cpu' | 'wasm' | 'webgpu' | 'auto';

/** `--backend`: the float64 engines default to WebAssembly (bit-identical to the JavaScript reference, faster). */
export function backendFlag(v: string | undefined, allowed: readonly Backend[]): Backend {
  if (v === undefined) return 'wasm';
  if (!(allowed as readonly string[]).includes(v)) {
    throw new UsageError(`--backend must be ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}, got "${v}"`);
  }
  return v as Backend;
}
