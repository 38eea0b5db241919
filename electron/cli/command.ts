/**
 * One headless command of the `sftrl` CLI. Each concern contributes its commands from its own
 * module (e.g. `electron/cli/generalpoints.ts`); `electron/cli.ts` only dispatches.
 */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliCommand {
  /** The word typed after `sftrl`, e.g. `solve`. */
  name: string;
  /** One line for `sftrl --help`. */
  summary: string;
  /** Full usage text for `sftrl <name> --help`, listing every flag. */
  usage: string;
  /** Returns the process exit code: 0 success, 1 failure, 2 bad usage. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Error for bad command-line input; the CLI prints its message and exits 2, never a stack trace. */
export class UsageError extends Error {}

/**
 * Minimal `--flag value` / `--flag=value` / `--switch` parser. Unknown flags are an error that
 * names the flag, so a typo never silently runs with defaults.
 */
export function parseFlags(
  args: string[],
  spec: Record<string, 'string' | 'number' | 'boolean'>,
): { flags: Record<string, string | number | boolean>; positional: string[] } {
  const flags: Record<string, string | number | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown flag --${name} (known: ${Object.keys(spec).map((k) => `--${k}`).join(', ') || 'none'})`);
    if (kind === 'boolean') {
      flags[name] = eq >= 0 ? arg.slice(eq + 1) !== 'false' : true;
      continue;
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (raw === undefined) throw new UsageError(`flag --${name} needs a value`);
    if (kind === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new UsageError(`flag --${name} needs a number, got "${raw}"`);
      flags[name] = n;
    } else flags[name] = raw;
  }
  return { flags, positional };
}
