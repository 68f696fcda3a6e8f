/**
 * `--params JSON`: per-method parameter overrides, checked against the methods' own defaults so that a typo
 * is refused by name instead of being ignored. Allowed top-level keys: the method ids and `protocol`.
 */
import { PROTOCOL_DEFAULTS } from '../core/experiment';
import { ALL_METHODS } from '../core/methods';
import type { ExperimentSpec, MethodId } from '../core/experiment-types';
import { learnerFor } from '../core/learners';
import { UsageError } from './args';

function knownNames(key: string): readonly string[] {
  if (key === 'protocol') return Object.keys(PROTOCOL_DEFAULTS);
  return Object.keys(learnerFor(key as MethodId).defaults ?? {});
}

export function parseParams(text: string): ExperimentSpec['params'] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--params is not valid JSON: ${(e as Error).message}`);
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(parsed)) throw new UsageError(`--params must be a JSON object such as {"ritml":{"outer":5}}, got ${JSON.stringify(parsed)}`);
  const allowed = [...ALL_METHODS, 'protocol'];
  for (const [key, value] of Object.entries(parsed)) {
    if (!allowed.includes(key)) throw new UsageError(`--params: unknown key "${key}" (allowed: ${allowed.join(', ')})`);
    if (!isObject(value)) throw new UsageError(`--params: "${key}" must be an object of parameter values, got ${JSON.stringify(value)}`);
    const names = knownNames(key);
    for (const name of Object.keys(value)) {
      if (!names.includes(name)) {
        throw new UsageError(`--params: ${key} has no parameter "${name}" (${names.length ? `known: ${names.join(', ')}` : 'it takes no parameters'})`);
      }
    }
  }
  return parsed as ExperimentSpec['params'];
}
