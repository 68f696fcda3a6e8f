/**
 * Where things are in a JSON text, for error messages: the first syntax error (found by our own scanner, so the
 * position does not depend on the engine's JSON.parse message, which differs between V8, SpiderMonkey and
 * JavaScriptCore), and the start of the value at a path such as `X[3][2]` in a text that parsed.
 * Both scan iteratively: a deeply nested text cannot overflow the stack.
 */

/** 1-based line and column (in UTF-16 code units) of a 0-based offset; CRLF, LF and CR end lines. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: end - start + 1 };
}

export interface JsonSyntaxError {
  /** 0-based offset of the offending character (text.length at an early end) */
  readonly offset: number;
  readonly message: string;
  readonly expected: string;
}

const WS = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
const DIGIT = (c: number) => c >= 48 && c <= 57;
const HEX = /^[0-9a-fA-F]{4}$/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function unexpected(text: string, i: number): string {
  if (i >= text.length) return 'the text ends';
  const c = text.codePointAt(i) ?? 0;
  if (c < 32 || c === 0x7f) return `unexpected control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return `unexpected ${JSON.stringify(String.fromCodePoint(c))}`;
}

/** End offset of the string token starting at `i` (a `"`), or a syntax error. */
function scanString(text: string, i: number): number | JsonSyntaxError {
  let p = i + 1;
  for (;;) {
    if (p >= text.length) return { offset: p, message: 'unterminated string (the text ends)', expected: 'a closing "' };
    const c = text.charCodeAt(p);
    if (c === 34) return p + 1;
    if (c < 32) return { offset: p, message: `${unexpected(text, p)} inside a string`, expected: 'line breaks and tabs written as \\n and \\t' };
    if (c === 92) {
      const e = text[p + 1];
      if (e === 'u') {
        if (!HEX.test(text.slice(p + 2, p + 6))) return { offset: p, message: 'bad \\u escape in a string', expected: '\\u and four hex digits' };
        p += 6;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) p += 2;
      else return { offset: p, message: 'bad escape in a string', expected: 'one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX' };
    } else p++;
  }
}

/** End offset of the scalar (string, number, true/false/null) at `i`, or a syntax error. */
function scanScalar(text: string, i: number): number | JsonSyntaxError {
  const c = text.charCodeAt(i);
  if (c === 34) return scanString(text, i);
  for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return i + word.length;
  if (c === 45 || DIGIT(c)) {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    let q = i + 1;
    if (m && m[0] !== '-') {
      const end = i + m[0].length;
      const next = text[end];
      if (next !== '.' && next !== 'e' && next !== 'E') return end;
      q = end + (next !== '.' && (text[end + 1] === '+' || text[end + 1] === '-') ? 2 : 1);
    }
    return { offset: q, message: `${unexpected(text, q)} in a number`, expected: 'a digit' };
  }
  return { offset: i, message: unexpected(text, i), expected: 'a value (object, array, string, number, true, false or null)' };
}

/**
 * The first syntax error of a JSON text, or null when the text is valid JSON. `[` / `{` push a frame; the
 * scanner's state says what may come next.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const stack: number[] = []; // 91 '[' or 123 '{'
  type Want = 'value' | 'firstValue' | 'key' | 'firstKey' | 'colon' | 'after';
  let want: Want = 'value';
  let i = 0;
  for (;;) {
    while (i < text.length && WS(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (want === 'after') {
      if (stack.length === 0)
        return i >= text.length ? null : { offset: i, message: `${unexpected(text, i)} after the end of the JSON value`, expected: 'nothing' };
      const close = top === 91 ? 93 : 125;
      if (c === 44) {
        want = top === 91 ? 'value' : 'key';
        i++;
      } else if (c === close) {
        stack.pop();
        i++;
      } else return { offset: i, message: unexpected(text, i), expected: top === 91 ? '"," or "]"' : '"," or "}"' };
      continue;
    }
    if (want === 'colon') {
      if (c !== 58) return { offset: i, message: unexpected(text, i), expected: '":" after the key' };
      want = 'value';
      i++;
      continue;
    }
    if (want === 'key' || want === 'firstKey') {
      if (want === 'firstKey' && c === 125) {
        stack.pop();
        want = 'after';
        i++;
        continue;
      }
      if (c !== 34) return { offset: i, message: unexpected(text, i), expected: want === 'firstKey' ? 'a "key" or "}"' : 'a "key" in double quotes' };
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      want = 'colon';
      continue;
    }
    // a value
    if (want === 'firstValue' && c === 93) {
      stack.pop();
      want = 'after';
      i++;
    } else if (c === 91 || c === 123) {
      stack.push(c);
      want = c === 91 ? 'firstValue' : 'firstKey';
      i++;
    } else {
      if (i >= text.length) return { offset: i, message: 'the text ends', expected: 'a value' };
      const end = scanScalar(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      want = 'after';
    }
  }
}

/** Offset just past the (valid) JSON value starting at `i`. */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 34) return scanString(text, i) as number;
  if (c !== 91 && c !== 123) {
    const end = scanScalar(text, i);
    return typeof end === 'number' ? end : text.length;
  }
  let depth = 0;
  let p = i;
  while (p < text.length) {
    const d = text.charCodeAt(p);
    if (d === 34) {
      p = scanString(text, p) as number;
      continue;
    }
    if (d === 91 || d === 123) depth++;
    else if (d === 93 || d === 125) {
      depth--;
      if (depth === 0) return p + 1;
    }
    p++;
  }
  return text.length;
}

function skipWs(text: string, i: number): number {
  let p = i;
  while (p < text.length && WS(text.charCodeAt(p))) p++;
  return p;
}

/** Offset of the value at `key` inside the object at `i` (the last one, as JSON.parse keeps), or -1. */
function memberOf(text: string, i: number, key: string): number {
  let found = -1;
  let p = skipWs(text, i + 1);
  while (text.charCodeAt(p) === 34) {
    const end = scanString(text, p) as number;
    const name = JSON.parse(text.slice(p, end)) as string;
    p = skipWs(text, skipWs(text, end) + 1); // past ':'
    if (name === key) found = p;
    p = skipWs(text, skipValue(text, p));
    if (text.charCodeAt(p) === 44) p = skipWs(text, p + 1);
  }
  return found;
}

/** Offset of element `k` of the array at `i`, or -1. */
function elementOf(text: string, i: number, k: number): number {
  let p = skipWs(text, i + 1);
  if (text.charCodeAt(p) === 93) return -1;
  for (let e = 0; e < k; e++) {
    p = skipWs(text, skipValue(text, p));
    if (text.charCodeAt(p) !== 44) return -1;
    p = skipWs(text, p + 1);
  }
  return p;
}

/**
 * Offset where the value at `path` starts in a text that JSON.parse accepted (path steps: object keys and
 * array indices), or the deepest existing value's start when the path runs out early; -1 for a text that
 * is not an object or array at the top.
 */
export function jsonValueOffset(text: string, path: readonly (string | number)[]): number {
  let p = skipWs(text, 0);
  for (const step of path) {
    const c = text.charCodeAt(p);
    const next = typeof step === 'number' ? (c === 91 ? elementOf(text, p, step) : -1) : c === 123 ? memberOf(text, p, step) : -1;
    if (next < 0) return p;
    p = next;
  }
  return p;
}

/** `X[3][2]`, `ids[0]`, `features`: a path as the messages write it. */
export function formatJsonPath(path: readonly (string | number)[]): string {
  return path.map((s, k) => (typeof s === 'number' ? `[${s}]` : k === 0 ? s : `.${s}`)).join('');
}
