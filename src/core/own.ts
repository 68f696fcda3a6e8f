/**
 * `rec[key]` when `key` is an own property of `rec`, else undefined: the lookup for keys that come from files,
 * links and storage, which must never reach an inherited property (`constructor`, `toString`, `__proto__`).
 */
export function own<T>(rec: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}
