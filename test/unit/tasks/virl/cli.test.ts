import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { virlCommand } from '../../../../electron/cli/virl';
import { parseEpisodesJsonl } from '../../../../shared/api/episode';

const DATA = new URL('../../../fixtures/virl/', import.meta.url);
const dir = mkdtempSync(path.join(tmpdir(), 'virl-cli-'));

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await virlCommand.run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('sftrl virl', () => {
  it('prints city stats', async () => {
    const r = await run('city', 'london');
    expect(r.code).toBe(0);
    expect(r.out).toContain('street directions: north, northeast, east, southeast, south, southwest, west, northwest (8/8)');
    expect((await run('city', '--list')).out.split('\n')).toHaveLength(9);
  });

  it('prints a route with its instructions and rail', async () => {
    const r = await run('route', '--city', 'milan', '--seed', '3', '--actions', 'relative');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1\. First, turn/);
    expect(r.out).toMatch(/destination .* stop\(\)/);
  });

  it('writes expert and random episodes that pass the episode schema and carry replay info', async () => {
    const file = path.join(dir, 'ep.jsonl');
    const r = await run('episodes', '--out', file, '--count', '3', '--city', 'lagos', '--variant', 'vision');
    expect(r.code).toBe(0);
    expect(r.out).toContain('per-step accuracy 100.0%');
    const { episodes, errors } = parseEpisodesJsonl(readFileSync(file, 'utf8'));
    expect(errors).toEqual([]);
    expect(episodes).toHaveLength(3);
    const e = episodes[0]!;
    expect(e.envId).toBe('VirlNav-v0');
    expect(e.split).toBe('ood');
    expect(e.success).toBe(true);
    expect(e.initial).toMatchObject({ city: 'lagos', routeSeed: 0 });
    expect((e.initial.rail as { points: unknown[] }).points.length).toBe(e.steps.length);
    expect(Object.keys(e.steps[0]!.info)).toEqual(expect.arrayContaining(['position', 'heading', 'expertAction', 'parsedAction', 'pointIndex']));
    expect(e.steps[0]!.verdict).toBe('correct');
    const rnd = path.join(dir, 'rnd.jsonl');
    expect((await run('episodes', '--out', rnd, '--policy', 'random', '--count', '5', '--prompt', 'compact')).code).toBe(0);
    const random = parseEpisodesJsonl(readFileSync(rnd, 'utf8'));
    expect(random.errors).toEqual([]);
    expect(random.episodes[0]!.split).toBe('id');
    // The second failed verification at a point truncates the route (the shared ending convention).
    expect(random.episodes.some((x) => x.steps.at(-1)!.truncated && x.steps.at(-1)!.verdict !== 'over_limit')).toBe(true);
  });

  it('imports a real route file and replays the expert', async () => {
    const file = path.join(dir, 'imp.jsonl');
    const r = await run('import', new URL('route_infos_ny_moma.json', DATA).pathname, '--out', file);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Prince St is on your front');
    expect(r.out).toContain('expert replay:');
    expect(r.out).toContain('route completed');
    expect(parseEpisodesJsonl(readFileSync(file, 'utf8')).episodes[0]!.success).toBe(true);
  });

  it('prints an import as JSON, with the reference behaviour on request', async () => {
    const file = new URL('route_infos_ny_moma.json', DATA).pathname;
    const read = async (...extra: string[]) => {
      const r = await run('import', file, '--json', '--actions', 'relative', '--seed', '4', ...extra);
      expect(r.code).toBe(0);
      return JSON.parse(r.out) as { behaviour: string; routes: { initHeading: number; instructions: string[]; rail: { kind: string; action: string; instruction: number }[]; expert: { success: boolean } }[] };
    };
    const intent = await read();
    const reference = await read('--reference');
    expect([intent.behaviour, reference.behaviour]).toEqual(['default', 'reference']);
    expect(intent.routes).toHaveLength(1);
    expect(intent.routes[0]!.initHeading).toBe(95);
    expect(intent.routes[0]!.expert.success).toBe(true);
    expect(intent.routes[0]!.rail.at(-1)).toMatchObject({ kind: 'destination', action: 'stop()' });
    // From heading 95° to face northwest: the reference's raw heading difference says right, not left.
    expect(intent.routes[0]!.instructions[0]).toBe('First, turn left to face northwest.');
    expect(reference.routes[0]!.instructions[0]).toBe('First, turn right to face northwest.');
    expect(reference.routes[0]!.rail[0]!.action).toBe('turn_direction(right)');
  });

  it('rejects bad input with a message and exit code 2, never a stack trace', async () => {
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"start_place": ');
    const cases = [
      ['nope'], ['city', 'paris'], ['route', '--seed', '-1'], ['episodes', '--count', '3'], ['episodes', '--out', 'x', '--policy', 'genius'],
      ['import'], ['import', path.join(dir, 'missing.json')], ['import', broken], ['route', '--bogus'],
    ];
    for (const args of cases) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.err.length).toBeGreaterThan(5);
    }
    expect((await run('import', broken)).err).toMatch(/broken\.json: not valid JSON/);
  });
});
