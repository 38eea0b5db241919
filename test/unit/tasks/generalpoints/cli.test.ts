import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gpCommand } from '../../../../electron/cli/generalpoints';
import { parseEpisodesJsonl } from '../../../../shared/api/episode';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [], err: string[] = [];
  const code = await gpCommand.run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('sftrl gp', () => {
  it('stats --json: solvable counts', async () => {
    const r = await run('stats', '--rule', 'face10', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ multisets: 1820, solvable: 1236 });
    expect(JSON.parse((await run('stats', '--rule', 'face11-13', '--json')).out)).toMatchObject({ solvable: 1362 });
  });

  it('solve and verify', async () => {
    expect((await run('solve', '--cards', '8,3,8,3')).out).toBe('8/(3-8/3)');
    const v = await run('verify', '--cards', 'J,3,7,2', '--answer', '{"formula": "(10-7)*(3*2)... "}', '--json');
    expect(JSON.parse(v.out).verdict).toBe('illegal_formula');
    expect((await run('verify', '--cards', 'J,3,7,2', '--answer', '(10-7)*2*3')).out).toBe('wrong_value  reward -1\nthe formula (10-7)*2*3 evaluates to 18, not 24.');
    expect((await run('verify', '--cards', '8,3,8,3', '--answer', '{"formula": "8/(3-8/3)"}', '--reference')).out).toContain('float_miss  reward 0');
  });

  it('deal writes a PNG for the vision variant', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gp-'));
    const file = path.join(dir, 'hand.png');
    const r = await run('deal', '--seed', '4', '--rule', 'face11-13', '--colors', 'red', '--image', file);
    expect(r.code).toBe(0);
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
  });

  it('episodes: expert and random files pass the episode schema', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gp-'));
    for (const policy of ['expert', 'random']) {
      const file = path.join(dir, `${policy}.jsonl`);
      const r = await run('episodes', '--policy', policy, '--n', '20', '--seed', '9', '--rule', 'face11-13', '--out', file);
      expect(r.code).toBe(0);
      const { episodes, errors } = parseEpisodesJsonl(readFileSync(file, 'utf8'));
      expect(errors).toEqual([]);
      expect(episodes).toHaveLength(20);
      expect(episodes.every((e) => e.split === 'ood' && e.envId === 'GeneralPoints-v0')).toBe(true);
      if (policy === 'expert') expect(episodes.every((e) => e.success && e.steps.length === 1 && e.steps[0]?.reward === 5)).toBe(true);
      // Random answers fail: the fifth failed verification truncates the episode.
      else expect(episodes.some((e) => !e.success && e.steps.length === 5 && e.steps[4]!.truncated && e.steps[4]!.verdict !== 'over_limit')).toBe(true);
    }
    // --reference plays as the reference code does: one more, unevaluated step earning −1.
    const ref = path.join(dir, 'reference.jsonl');
    expect((await run('episodes', '--policy', 'random', '--n', '20', '--seed', '9', '--reference', '--out', ref)).code).toBe(0);
    const { episodes } = parseEpisodesJsonl(readFileSync(ref, 'utf8'));
    expect(episodes.some((e) => e.steps.length === 6 && e.steps[5]?.verdict === 'over_limit' && e.steps[5]?.reward === -1)).toBe(true);
  });

  it('bad input: a clear message and exit code 2', async () => {
    for (const args of [['deal'], ['deal', '--seed', 'x'], ['verify', '--cards', 'J,3,Z,2', '--answer', '1'], ['stats', '--rule', 'face12'], ['episodes', '--policy', 'smart', '--n', '3'], ['nope'], ['solve', '--cards', '1,2,3,4', '--bogus']]) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.err.length).toBeGreaterThan(10);
    }
  });
});
