/** `--key=value` options of the benchmark scripts (a bare `--flag` reads as 'true'). */
export function benchArgs(argv: readonly string[] = process.argv.slice(2)) {
  const args = new Map(
    argv.map((a) => {
      const [k, v] = a.replace(/^--/, '').split('=');
      return [k, v ?? 'true'] as [string, string];
    }),
  );
  /** a comma-separated list of numbers, `def` when the option is absent */
  const list = (k: string, def: string) => (args.get(k) ?? def).split(',').map(Number);
  return { args, list };
}
