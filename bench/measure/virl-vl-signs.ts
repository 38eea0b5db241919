/**
 * Can the virl-visual preset's encoder read the signs, and does reading them carry over to other
 * city styles? (issue 11, RL-NOTES §2 V-IRL-VL). A sign-reading model (the preset's 64×64 grid and
 * encoder, d64, 2 layers) is trained on the base curriculum's sign-reading examples drawn from all
 * nine city styles (as the base) or from the training city's style only (what post-training alone
 * shows), then asked on fresh examples in the training city and in each of the other eight: which
 * landmark stands near in the asked view (`L<k>`), or none (`Lno`).
 *
 *   node bin/run-ts.mjs bench/measure/virl-vl-signs.ts [steps=600] [evalPerCity=100] [both|all|nyc] [evalEvery=steps]
 *
 * Modes: `all` trains on all nine styles only, `nyc` on the training city only, `both` one after
 * the other; the fresh examples are read every `evalEvery` steps and at the end.
 * The share of `Lno` answers is printed beside the accuracy: an encoder that collapsed to a
 * constant would score about that share and no more.
 */
import { ensureBackend } from '../../electron/ml/backend';
import { supervisedUpdate } from '../../electron/ml/engine/sft';
import { createAdamW, createModel, disposeAdamW, disposeModel, generate, RECIPE_ADAMW } from '../../electron/ml/model';
import { signReadingExample } from '../../electron/ml/tasks/virl/curriculum-vl';
import { virlTaskFor } from '../../electron/ml/tasks/virl/task';
import { VIRL_VISUAL } from '../../shared/experiments/presets';
import { CITY_SPECS, TRAINING_CITY } from '../../shared/tasks/virl/catalog';
import { createRng } from '../../shared/util/rng';

const steps = Number(process.argv[2] ?? 600);
const perCity = Number(process.argv[3] ?? 100);
const which = process.argv[4] ?? 'both';
const evalEvery = Number(process.argv[5] ?? steps);
const image = VIRL_VISUAL.image!;
const task = virlTaskFor(VIRL_VISUAL);
const codec = task.codec;
const ALL = CITY_SPECS.map((c) => c.id);

const backend = await ensureBackend('auto');
console.log(`backend ${backend.name}; ${steps} steps of 32 sign-reading examples, ${perCity} fresh examples per city`);
const MODES = [['all nine styles (the base)', ALL], ['training city only', [TRAINING_CITY]]] as const;
for (const [mode, cities] of MODES.filter((_, i) => which === 'both' || (which === 'all' ? i === 0 : i === 1))) {
  const t0 = performance.now();
  const model = createModel({ vocabSize: codec.tokenizer.vocabSize, dModel: 64, nLayers: 2, nHeads: 4, contextLength: 96, ffnMult: 2, activation: 'gelu', dropout: 0, initSeed: 1, image });
  const optimizer = createAdamW(model, RECIPE_ADAMW);
  const rng = createRng(1);
  for (let s = 1; s <= steps; s++) {
    const batch = Array.from({ length: 32 }, () => signReadingExample(rng, codec, cities));
    const loss = supervisedUpdate({ model, optimizer, task, lr: 3e-3, maxGradNorm: 1 }, batch).metrics['train/loss'] as number;
    if (s % 100 === 0) console.log(`  ${mode}: step ${s}, loss ${loss.toFixed(3)}`);
    if (s % evalEvery === 0 || s === steps) readSigns(s);
  }
  function readSigns(step: number): void {
  const rows: string[] = [];
  for (const city of ALL) {
    const er = createRng(1000 + ALL.indexOf(city));
    const xs = Array.from({ length: perCity }, () => signReadingExample(er, codec, [city]));
    const out = generate(model, { prompts: xs.map((x) => x.prompt), images: xs.map((x) => x.image!.data), maxNewTokens: 2, padToken: codec.tokenizer.pad, stopToken: codec.tokenizer.eos, temperature: 0 });
    const said = out.tokens.map((t) => codec.unit(t[0] as number));
    const want = xs.map((x) => codec.unit(x.answer[0] as number));
    const right = said.filter((u, i) => u === want[i]).length;
    const named = want.map((w, i) => [w, said[i]] as const).filter(([w]) => w !== 'Lno');
    const none = want.filter((w) => w === 'Lno').length;
    rows.push(`${city.padEnd(14)} ${city === TRAINING_CITY ? 'ID ' : 'OOD'}  all ${right}/${perCity} (${((100 * right) / perCity).toFixed(0)}%)  named signs ${named.filter(([w, s]) => w === s).length}/${named.length}  [answer Lno: ${none}/${perCity}]`);
  }
  console.log(`trained on ${mode}, ${step} steps (${((performance.now() - t0) / 60000).toFixed(1)} min):\n  ${rows.join('\n  ')}`);
  }
  disposeAdamW(optimizer);
  disposeModel(model);
}
