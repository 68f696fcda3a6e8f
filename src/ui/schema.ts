/**
 * The parameter schema of a cell kind: per parameter its type, allowed values or range, default and the
 * message shown when a value is out of range. One table serves the defaults of a new cell, the checks of
 * untrusted parameters (notebook files, share links, this browser's storage) and the problems a cell
 * shows before Run (as tensorflow/playground's state.ts does for its URL). Pure: no DOM.
 */

interface Common<T> {
  readonly default: T;
  /** what the user must fix when the value is out of range (shown before Run); no message: no range check */
  readonly problem?: string;
}
export type ParamSpec =
  /** a finite number, optionally whole and within [min, max] */
  | (Common<number> & { readonly type: 'number'; readonly integer?: boolean; readonly min?: number; readonly max?: number; readonly positive?: boolean })
  | (Common<boolean> & { readonly type: 'boolean' })
  /** free text (a group-by attribute, a group name, a note) */
  | (Common<string> & { readonly type: 'text' })
  /** one of a fixed list; anything else is refused when read from a file or link */
  | (Common<string> & { readonly type: 'choice'; readonly values: readonly string[]; readonly noun: string })
  /** a subset of a fixed list, in any order (the problem applies when it is empty) */
  | (Common<readonly string[]> & { readonly type: 'choices'; readonly values: readonly string[]; readonly noun: string })
  /** a list of positive numbers (the problem applies when it is empty) */
  | (Common<readonly number[]> & { readonly type: 'numbers' });

export type ParamSchema = Readonly<Record<string, ParamSpec>>;

/** A fresh copy of the defaults (lists are copied so cells never share them). */
export function defaultsOf(schema: ParamSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(schema)) out[k] = Array.isArray(s.default) ? [...s.default] : s.default;
  return out;
}

/** Whether an untrusted value has the parameter's type ('' when fine, else what is wrong). */
function typeProblem(s: ParamSpec, v: unknown): string {
  switch (s.type) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? '' : 'has the wrong type';
    case 'boolean':
      return typeof v === 'boolean' ? '' : 'has the wrong type';
    case 'text':
      return typeof v === 'string' ? '' : 'has the wrong type';
    case 'choice':
      if (typeof v !== 'string') return 'has the wrong type';
      return s.values.includes(v) ? '' : `is an unknown ${s.noun} ${JSON.stringify(v)}`;
    case 'choices': {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return 'has the wrong type';
      const bad = v.find((x) => !s.values.includes(x));
      return bad === undefined ? '' : `lists an unknown ${s.noun} ${JSON.stringify(bad)}`;
    }
    case 'numbers':
      return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? '' : 'has the wrong type';
  }
}

/**
 * Untrusted parameters (own properties only) checked against the schema and merged over the defaults;
 * unknown names are dropped. Throws `${where}: parameter "name" …` on a wrong type or an unknown value.
 * Values out of range are kept: the cell shows them as problems to fix (see `schemaProblems`).
 */
export function sanitiseParams(schema: ParamSchema, given: unknown, where: string): Record<string, unknown> {
  const g = given !== null && typeof given === 'object' && !Array.isArray(given) ? (given as Record<string, unknown>) : {};
  const out = defaultsOf(schema);
  for (const [k, s] of Object.entries(schema)) {
    if (!Object.hasOwn(g, k)) continue;
    const v = g[k];
    const problem = typeProblem(s, v);
    if (problem) throw new Error(`${where} parameter "${k}" ${problem}`);
    out[k] = Array.isArray(v) ? [...v] : v;
  }
  return out;
}

/** Whether a value of the right type is within the parameter's range. */
function inRange(s: ParamSpec, v: unknown): boolean {
  if (s.type === 'number') {
    const x = v as number;
    if (s.integer && !Number.isInteger(x)) return false;
    if (s.positive && !(x > 0)) return false;
    return (s.min === undefined || x >= s.min) && (s.max === undefined || x <= s.max);
  }
  if (s.type === 'choices' || s.type === 'numbers') return (v as readonly unknown[]).length > 0;
  return true;
}

/** The problems of a cell's parameters, in schema order (empty: fine). */
export function schemaProblems(schema: ParamSchema, params: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const [k, s] of Object.entries(schema)) if (s.problem && !inRange(s, params[k])) out.push(s.problem);
  return out;
}
