import { describe, expect, it } from 'vitest';
import type { Env, StepResult } from '../../../shared/tasks/env';
import { checkEnvContract } from '../../../shared/tasks/contract';
import { GeneralPointsEnv } from '../../../shared/tasks/generalpoints/env';
import { makeEnv } from '../../../shared/tasks/registry';
import { VirlNavEnv } from '../../../shared/tasks/virl/env';

/** A counting env with switchable defects: each defect must be reported by name. */
class ToyEnv implements Env<{ seed: number }, number, Record<string, never>> {
  readonly id = 'Toy-v0';
  private n = -1;
  private seed = 0;
  private calls = 0;
  constructor(private readonly defect: 'none' | 'nondeterministic' | 'ignores-seed' | 'steps-after-end' | 'both-flags' | 'reward-range') {}
  reset({ seed }: { seed: number }) {
    this.n = 0;
    this.seed = this.defect === 'ignores-seed' ? 0 : seed;
    return { observation: this.seed, info: {} };
  }
  step(): StepResult<number, Record<string, never>> {
    if (this.n < 0) throw new Error('reset first');
    if (this.n >= 3 && this.defect !== 'steps-after-end') throw new Error('over');
    this.n++;
    const end = this.n === 3;
    const reward = this.defect === 'reward-range' ? 7 : this.defect === 'nondeterministic' ? (ToyEnv.global++ % 2) : 1;
    return { observation: this.seed + this.n, reward, terminated: end, truncated: end && this.defect === 'both-flags', info: {} };
  }
  static global = 0;
}

const subject = (defect: ConstructorParameters<typeof ToyEnv>[0]) => ({
  label: `toy (${defect})`, make: () => new ToyEnv(defect), resetOptions: (seed: number) => ({ seed }), answer: () => 'a', rewardRange: { min: 0, max: 1 }, maxSteps: 10,
});

describe('the common env contract checker', () => {
  it('passes a conformant env and names each broken rule', () => {
    const seeds = { seeds: [1, 2] };
    expect(checkEnvContract(subject('none'), seeds)).toEqual([]);
    expect(checkEnvContract(subject('nondeterministic'), seeds).join('\n')).toMatch(/same seed and answers differ/);
    expect(checkEnvContract(subject('ignores-seed'), seeds).join('\n')).toMatch(/seeds 1, 2 all gave the same episode/);
    expect(checkEnvContract(subject('steps-after-end'), seeds).join('\n')).toMatch(/a step after the episode ended was accepted/);
    expect(checkEnvContract(subject('both-flags'), seeds).join('\n')).toMatch(/terminated and truncated are both true/);
    expect(checkEnvContract(subject('reward-range'), seeds).join('\n')).toMatch(/reward 7 is outside \[0, 1\]/);
  });
});

describe('the env registry', () => {
  it('makes every registered env by id with its options, and refuses an unknown id by name', () => {
    const gp = makeEnv('GeneralPoints-v0', { verificationLimit: 2 });
    expect(gp).toBeInstanceOf(GeneralPointsEnv);
    expect(gp.verificationLimit).toBe(2);
    const virl = makeEnv('VirlNav-v0', { verificationLimit: 3 });
    expect(virl).toBeInstanceOf(VirlNavEnv);
    expect(virl.config.verificationLimit).toBe(3);
    expect(() => makeEnv('Nope-v9' as 'VirlNav-v0')).toThrow('unknown environment "Nope-v9" (known: GeneralPoints-v0, VirlNav-v0)');
  });
});
