import { describe, expect, it } from 'vitest';
import { applyOverrides, parseOverrides } from '../../../shared/experiments/overrides';
import { GP_RULE } from '../../../shared/experiments/presets';
import { main } from '../../../electron/cli';

describe('config overrides (--set)', () => {
  it('sets existing leaf fields with the type they have, leaving the input untouched', () => {
    const out = applyOverrides(GP_RULE, parseOverrides('rl.klBeta=0.05, rl.algorithm=ppo,sft.steps=200'));
    expect(out.rl.klBeta).toBe(0.05);
    expect(out.rl.algorithm).toBe('ppo');
    expect(out.sft.steps).toBe(200);
    expect(GP_RULE.rl.klBeta).toBe(0);
  });

  it('names unknown fields, wrong types and malformed items', () => {
    const set = (s: string) => () => applyOverrides(GP_RULE, parseOverrides(s));
    expect(set('rl.kl=0.1')).toThrow(/no config field "rl.kl" \(fields here: algorithm, steps/);
    expect(set('rl.steps=many')).toThrow(/rl.steps is a number; got "many"/);
    expect(set('rl=1')).toThrow(/rl is a group of fields: set one of its fields \(rl.algorithm/);
    expect(set('branches=rl')).toThrow(/branches is a list/);
    expect(set('rl.steps')).toThrow(/"rl.steps" is not KEY=VALUE/);
    expect(set('rl..steps=1')).toThrow(/not a config field path/);
    expect(set('__proto__.x=1')).toThrow(/not a config field path|no config field/);
    expect(set('constructor=1')).toThrow(/no config field "constructor"/);
    expect(set('base.from=my-base')).toThrow(/no config field "base.from"/); // absent in the preset: never added
  });

  it('sftrl train refuses a bad --set, or a value the schema rejects, with exit 2 and the field named', async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (l: string) => err.push(l) };
    expect(await main(['train', '--preset', 'gp-rule', '--set', 'rl.klbeta=0.1'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/--set: no config field "rl.klbeta"/);
    err.length = 0;
    expect(await main(['train', '--preset', 'gp-rule', '--set', 'rl.steps=-5'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/rl\.steps/);
  });
});
