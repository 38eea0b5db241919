/**
 * GeneralPoints speed: the exact solver over every hand, the verifier's throughput, env steps.
 * Run: `node bin/run-ts.mjs bench/run.ts generalpoints`.
 */
import { opsPerSecond, timeMedian, type BenchResult, type BenchSuite } from './harness';
import {
  VALUE_MAPS, allRankMultisets, createGeneralPointsEnv, dealHand, expertAnswer, renderCards, verifyAnswer, type GpHand,
} from '../shared/tasks/generalpoints/index';
import { clearSolverCache, solveAll } from '../shared/tasks/generalpoints/solver';
import { clearSolvableCache, solvableTable } from '../shared/tasks/generalpoints/solvable';

const RULES = ['face10', 'face11-13'] as const;
const HANDS = RULES.flatMap((rule) => allRankMultisets().map((ms) => ms.map((r) => VALUE_MAPS[rule][r - 1] as number)));

/** The naive baseline: float arithmetic, every expression string built, no pruning, no cache. */
function naiveSolve(items: Array<{ v: number; s: string }>, out: string[]): void {
  if (items.length === 1) {
    const only = items[0] as { v: number; s: string };
    if (Math.abs(only.v - 24) < 1e-9) out.push(only.s);
    return;
  }
  for (let i = 0; i < items.length; i++) {
    for (let j = 0; j < items.length; j++) {
      if (i === j) continue;
      const a = items[i] as { v: number; s: string }, b = items[j] as { v: number; s: string };
      const rest = items.filter((_, k) => k !== i && k !== j);
      for (const [v, s] of [[a.v + b.v, `(${a.s}+${b.s})`], [a.v - b.v, `(${a.s}-${b.s})`], [a.v * b.v, `(${a.s}*${b.s})`], [a.v / b.v, `(${a.s}/${b.s})`]] as const) {
        if (Number.isFinite(v)) naiveSolve([...rest, { v, s }], out);
      }
    }
  }
}

function answersFor(hands: GpHand[]): string[] {
  const out: string[] = [];
  hands.forEach((h, i) => {
    const exp = expertAnswer(h) as string;
    out.push(exp);
    out.push(`{"cards": [${h.cards.map((c) => `"${c.rank}"`).join(', ')}], "number": [${h.values.join(', ')}], "formula": "${h.values.join(i % 2 ? '+' : '*')}=24"}`);
    out.push(`{"formula": "${h.values.join('-')}"}`);
  });
  return out;
}

const suite: BenchSuite = async () => {
  const results: BenchResult[] = [];
  const naiveMs = await timeMedian(() => {
    for (const h of HANDS) naiveSolve(h.map((v) => ({ v, s: String(v) })), []);
  }, 3);
  const exactMs = await timeMedian(() => {
    clearSolverCache();
    clearSolvableCache();
    for (const h of HANDS) solveAll(h, 24);
  }, 5);
  results.push({ name: 'solve all 1820 hands x 2 rules, all solutions (cold)', value: exactMs, unit: 'ms', baseline: { name: 'naive float brute force', value: naiveMs } });
  const tableMs = await timeMedian(() => {
    clearSolvableCache();
    for (const rule of RULES) solvableTable(VALUE_MAPS[rule], 24);
  }, 5);
  results.push({ name: 'is-solvable table, 1820 hands x 2 rules (cold)', value: tableMs, unit: 'ms', baseline: { name: 'naive float brute force', value: naiveMs } });

  const hands: GpHand[] = [];
  for (let s = 0; hands.length < 300; s++) {
    const d = dealHand({ seed: s, rule: s % 2 ? 'face10' : 'face11-13' });
    if (d.ok) hands.push(d.value.hand);
  }
  const answers = answersFor(hands);
  const n = answers.length;
  const jsonParse = await opsPerSecond((i) => {
    try {
      JSON.parse(answers[i % n] as string);
    } catch {
      // The paper's own format (single quotes, trailing comma) is not JSON.
    }
  }, 300_000);
  const verify = await opsPerSecond((i) => verifyAnswer(hands[Math.floor((i % n) / 3)] as GpHand, answers[i % n] as string), 300_000);
  results.push({ name: 'verifier, typical answers (default)', value: verify, unit: 'answers/s', baseline: { name: 'JSON.parse of the same strings', value: jsonParse } });
  const verifyRef = await opsPerSecond((i) => verifyAnswer(hands[Math.floor((i % n) / 3)] as GpHand, answers[i % n] as string, { referenceQuirks: true }), 100_000);
  results.push({ name: 'verifier, typical answers (referenceQuirks)', value: verifyRef, unit: 'answers/s', baseline: { name: 'JSON.parse of the same strings', value: jsonParse } });

  const env = createGeneralPointsEnv();
  let seed = 0;
  env.reset({ seed });
  const steps = await opsPerSecond((i) => {
    const r = env.step(i % 3 === 2 ? (expertAnswer(env.currentHand as GpHand) as string) : '{"formula": "1+2+3+4"}');
    if (r.terminated || r.truncated) env.reset({ seed: ++seed });
  }, 50_000);
  results.push({ name: 'env steps incl. resets (GP-L, 1 in 3 answers correct)', value: steps, unit: 'steps/s', baseline: { name: 'verifier alone', value: verify } });
  const img = await opsPerSecond((i) => renderCards((hands[i % hands.length] as GpHand).cards), 5_000);
  results.push({ name: 'render card image 96x48', value: img, unit: 'images/s' });
  return results;
};

export default suite;
