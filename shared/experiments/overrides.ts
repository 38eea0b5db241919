/**
 * `--set rl.klBeta=0.05,sft.steps=200`: edits of an experiment config from the command line. Only
 * existing leaf fields can be set, each parsed as the type it already has, so a typo or a wrong
 * type is an error naming the field rather than a silently ignored key; the result is then
 * validated by the config schema like any other config.
 */
export class OverrideError extends Error {}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** Parses "a.b=1,c=x" into [path, raw value] pairs. */
export function parseOverrides(text: string): [string[], string][] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((item) => {
      const eq = item.indexOf('=');
      if (eq <= 0) throw new OverrideError(`"${item}" is not KEY=VALUE (e.g. rl.klBeta=0.05)`);
      const key = item.slice(0, eq).trim();
      if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/.test(key)) throw new OverrideError(`"${key}" is not a config field path (e.g. rl.klBeta)`);
      return [key.split('.'), item.slice(eq + 1).trim()];
    });
}

function parseAs(existing: Json, raw: string, key: string): Json {
  if (typeof existing === 'number') {
    const n = Number(raw);
    if (raw === '' || !Number.isFinite(n)) throw new OverrideError(`${key} is a number; got "${raw}"`);
    return n;
  }
  if (typeof existing === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw new OverrideError(`${key} is true or false; got "${raw}"`);
    return raw === 'true';
  }
  if (typeof existing === 'string') return raw;
  throw new OverrideError(`${key} is ${Array.isArray(existing) ? 'a list' : existing === null ? 'unset' : 'a group of fields'}: set one of its fields${existing && typeof existing === 'object' && !Array.isArray(existing) ? ` (${Object.keys(existing).map((k) => `${key}.${k}`).join(', ')})` : ''}`);
}

/** A copy of `config` with the overrides applied (the input is not modified). */
export function applyOverrides<T>(config: T, overrides: [string[], string][]): T {
  const out = JSON.parse(JSON.stringify(config)) as { [k: string]: Json }; // configs are JSON data
  for (const [path, raw] of overrides) {
    const key = path.join('.');
    let node: { [k: string]: Json } = out;
    for (const [i, part] of path.entries()) {
      if (!Object.prototype.hasOwnProperty.call(node, part)) throw new OverrideError(`no config field "${path.slice(0, i + 1).join('.')}" (fields here: ${Object.keys(node).join(', ')})`);
      if (i === path.length - 1) node[part] = parseAs(node[part] as Json, raw, key);
      else {
        const next = node[part];
        if (next === null || typeof next !== 'object' || Array.isArray(next)) throw new OverrideError(`"${path.slice(0, i + 1).join('.')}" has no fields; cannot set ${key}`);
        node = next;
      }
    }
  }
  return out as unknown as T;
}
