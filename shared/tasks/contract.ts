/**
 * The generic environment contract checker (in the spirit of Gymnasium's env checker) that every
 * task's conformance suite runs: same seed → the same episode, different seeds → different
 * episodes, no step before reset or after the end, terminated and truncated never both, rewards
 * finite and inside the range the env declares. Returns the problems found (empty = conformant).
 */
import { createRng, type Rng } from '../util/rng';
import type { Env } from './env';

export interface ContractSubject<E extends Env<unknown, unknown, unknown>, R> {
  /** Name used in the problems (e.g. `GeneralPoints-v0 face10`). */
  label: string;
  make(): E;
  /** Reset options of an episode seed. */
  resetOptions(seed: number): R;
  /** The next answer to play (e.g. the expert's, or junk): drawn from `rng` and the env's state only. */
  answer(env: E, rng: Rng): string;
  /** The rewards the env may give. */
  rewardRange: { min: number; max: number };
  /** Steps after which an episode that has not ended is a problem. */
  maxSteps: number;
}

export interface ContractOptions {
  /** Episode seeds played (at least two, so different seeds can be compared). */
  seeds: readonly number[];
}

const snapshot = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v));

/** Plays one episode with answers from a generator seeded by the episode seed; its full trace. */
function play<E extends Env<unknown, unknown, unknown>, R>(subject: ContractSubject<E, R>, seed: number, problems: string[]): { trace: string; first: string } {
  const env = subject.make();
  const where = `${subject.label} seed ${seed}`;
  const first = snapshot(env.reset(subject.resetOptions(seed)));
  const rng = createRng(seed ^ 0x9e3779b9);
  const trace = [first];
  for (let step = 1; ; step++) {
    if (step > subject.maxSteps) {
      problems.push(`${where}: the episode did not end within ${subject.maxSteps} steps`);
      break;
    }
    const r = env.step(subject.answer(env, rng));
    trace.push(snapshot(r));
    if (r.terminated && r.truncated) problems.push(`${where} step ${step}: terminated and truncated are both true`);
    if (!Number.isFinite(r.reward) || r.reward < subject.rewardRange.min || r.reward > subject.rewardRange.max) {
      problems.push(`${where} step ${step}: reward ${r.reward} is outside [${subject.rewardRange.min}, ${subject.rewardRange.max}]`);
    }
    if (r.terminated || r.truncated) {
      let refused = false;
      try {
        env.step('after the end');
      } catch {
        refused = true;
      }
      if (!refused) problems.push(`${where}: a step after the episode ended was accepted`);
      break;
    }
  }
  return { trace: trace.join('\n'), first };
}

export function checkEnvContract<E extends Env<unknown, unknown, unknown>, R>(subject: ContractSubject<E, R>, options: ContractOptions): string[] {
  const problems: string[] = [];
  try {
    let refused = false;
    try {
      subject.make().step('before reset');
    } catch {
      refused = true;
    }
    if (!refused) problems.push(`${subject.label}: a step before reset was accepted`);
    const firsts = new Set<string>();
    for (const seed of options.seeds) {
      const a = play(subject, seed, problems);
      const b = play(subject, seed, problems);
      if (a.trace !== b.trace) problems.push(`${subject.label} seed ${seed}: two episodes with the same seed and answers differ`);
      firsts.add(a.first);
    }
    if (options.seeds.length >= 2 && firsts.size < 2) problems.push(`${subject.label}: seeds ${options.seeds.join(', ')} all gave the same episode`);
  } catch (e) {
    problems.push(`${subject.label}: threw ${(e as Error).message}`);
  }
  return problems;
}
