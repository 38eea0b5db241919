/**
 * Can the virl-visual preset's encoder read the signs, and does reading them carry over to other
 * city styles? (issue 11, RL-NOTES §2 V-IRL-VL). A sign-reading model (the preset's 64×64 grid and
 * encoder, d64, 2 layers) is trained on the base curriculum's sign-reading examples drawn from all
 * nine city styles (as the base) or from the training city's style only (what post-training alone
 * shows), then asked on fresh examples in the training city and in each of the other eight: which
 * landmark stands near in each view (`L<k>`), or none (`Lno`).
 *
 *   [SIGNS_BATCH=32] [SIGNS_LR=3e-3] [SIGNS_MODEL=small|preset] [SIGNS_GRID=4|8] [SIGNS_POOL=mean|concat] node bin/run-ts.mjs bench/measure/virl-vl-signs.ts [steps=600] [evalPerCity=100] [both|all|nyc] [evalEvery=steps]
 *
 * Modes: `all` trains on all nine styles only, `nyc` on the training city only, `both` one after
 * the other; the fresh examples are read every `evalEvery` steps and at the end.
 *
 *   node bin/run-ts.mjs bench/measure/virl-vl-signs.ts --run RUN_DIR [checkpoint=newest] [evalPerCity=100]
 *
 * reads signs with a trained policy instead (a virl-visual base, init or branch checkpoint): does
 * the base's curriculum teach reading, and do post-training's updates keep it?
 * The share of `Lno` answers is printed beside the accuracy: an encoder that collapsed to a
 * constant would score about that share and no more, and read no named sign.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../../electron/ml/backend';
import { loadTaskCheckpoint } from '../../electron/ml/engine/task-checkpoint';
import { newestVerifiedCheckpoint, readCheckpoint } from '../../electron/runs/checkpoints';
import { readRunManifest } from '../../electron/runs/store';
import { supervisedUpdate } from '../../electron/ml/engine/sft';
import { batchTensor, createAdamW, createModel, disposeAdamW, disposeModel, forward, generate, imagesToTensor, leftPadBatch, RECIPE_ADAMW, type PolicyModel } from '../../electron/ml/model';
import { LANDMARK_BUCKETS } from '../../shared/tasks/virl/render/emblem';
import { signReadingExample } from '../../electron/ml/tasks/virl/curriculum-vl';
import { virlTaskFor } from '../../electron/ml/tasks/virl/task';
import { VIRL_VISUAL } from '../../shared/experiments/presets';
import { CITY_SPECS, TRAINING_CITY } from '../../shared/tasks/virl/catalog';
import { createRng } from '../../shared/util/rng';

const runDir = process.argv[2] === '--run' ? path.resolve(process.argv[3] as string) : null;
const steps = runDir ? 0 : Number(process.argv[2] ?? 600);
const perCity = Number(process.argv[runDir ? 5 : 3] ?? 100);
const which = process.argv[4] ?? 'both';
const evalEvery = Number(process.argv[5] ?? steps);
// SIGNS_BATCH, SIGNS_LR and SIGNS_MODEL (small: d64 × 2 layers; preset: the virl-visual model) vary the training probe.
const BATCH = Number(process.env.SIGNS_BATCH ?? 32);
const LR = Number(process.env.SIGNS_LR ?? 3e-3);
const SIZE = process.env.SIGNS_MODEL === 'preset' ? 'preset' : 'small';
// SIGNS_GRID=8 reads the encoder's 8×8 feature map as 64 tokens instead of pooling it to 4×4.
// SIGNS_POOL=mean|concat: how each token's cells are pooled (the preset's choice by default).
const image = {
  ...VIRL_VISUAL.image!,
  ...(process.env.SIGNS_GRID ? { gridH: Number(process.env.SIGNS_GRID), gridW: Number(process.env.SIGNS_GRID) } : {}),
  ...(process.env.SIGNS_POOL ? { pool: process.env.SIGNS_POOL as 'mean' | 'concat' } : {}),
};
const task = virlTaskFor({ ...VIRL_VISUAL, image });
const codec = task.codec;
const ALL = CITY_SPECS.map((c) => c.id);

const backend = await ensureBackend('auto');
if (runDir) {
  const manifest = readRunManifest(runDir);
  if (!manifest) throw new Error(`${runDir} has no readable run.json`);
  const image = manifest.config?.image as { width: number; height: number } | undefined;
  if (manifest.config?.task !== 'virl' || !image || image.width !== VIRL_VISUAL.image!.width) throw new Error(`${runDir} is not a V-IRL vision-language run of the virl-visual image size`);
  const name = process.argv[4] && process.argv[4] !== 'newest' ? process.argv[4] : newestVerifiedCheckpoint(runDir)?.name;
  if (!name) throw new Error(`${runDir} has no checkpoint`);
  const { model } = loadTaskCheckpoint(readCheckpoint(runDir, name), task, `${path.basename(runDir)}/${name}`);
  console.log(`backend ${backend.name}; ${path.basename(runDir)}/${name}, ${perCity} fresh examples per city`);
  readSigns(model, `${path.basename(runDir)}/${name}`, performance.now());
  disposeModel(model);
  process.exit(0);
}
console.log(`backend ${backend.name}; ${steps} steps of ${BATCH} sign-reading examples at lr ${LR} (${SIZE} model, ${image.gridH}×${image.gridW} tokens, ${image.pool ?? 'mean'} pool), ${perCity} fresh examples per city`);
const MODES = [['all nine styles (the base)', ALL], ['training city only', [TRAINING_CITY]]] as const;
for (const [mode, cities] of MODES.filter((_, i) => which === 'both' || (which === 'all' ? i === 0 : i === 1))) {
  const t0 = performance.now();
  const m = VIRL_VISUAL.model;
  const shape = SIZE === 'preset' ? { dModel: m.width, nLayers: m.layers, nHeads: m.heads, ffnMult: m.ffnMult } : { dModel: 64, nLayers: 2, nHeads: 4, ffnMult: 2 };
  const model = createModel({ vocabSize: codec.tokenizer.vocabSize, ...shape, contextLength: 96, activation: 'gelu', dropout: 0, initSeed: 1, image });
  const optimizer = createAdamW(model, RECIPE_ADAMW);
  const rng = createRng(1);
  for (let s = 1; s <= steps; s++) {
    const batch = Array.from({ length: BATCH }, () => signReadingExample(rng, codec, cities));
    const loss = supervisedUpdate({ model, optimizer, task, lr: LR, maxGradNorm: 1 }, batch).metrics['train/loss'] as number;
    if (s % 100 === 0) console.log(`  ${mode}: step ${s}, loss ${loss.toFixed(3)}`);
    if (s % evalEvery === 0 || s === steps) readSigns(model, `trained on ${mode}, ${s} steps`, t0);
  }
  disposeAdamW(optimizer);
  disposeModel(model);
}

/** Reads `perCity` fresh sign-reading examples in every city style (four views each) and prints the accuracy per city. */
function readSigns(model: PolicyModel, what: string, t0: number): void {
  const rows: string[] = [];
  const lno = codec.id('Lno');
  const buckets = Array.from({ length: LANDMARK_BUCKETS }, (_, k) => codec.id(`L${k}`));
  const total = { views: 0, right: 0, named: 0, namedRight: 0, seen: 0, bucket: 0 };
  for (const city of ALL) {
    const er = createRng(1000 + ALL.indexOf(city));
    const xs = Array.from({ length: perCity }, () => signReadingExample(er, codec, [city]));
    const out = generate(model, { prompts: xs.map((x) => x.prompt), images: xs.map((x) => x.image!.data), maxNewTokens: 9, padToken: codec.tokenizer.pad, stopToken: codec.tokenizer.eos, temperature: 0 });
    // Greedy answers hide partial reading (Lno wins the argmax unless a sign is near certain), so
    // the teacher-forced answer distribution is read too: is a sign seen (P(any L<k>) > P(Lno)),
    // and which bucket is likeliest among the L<k> where one stands.
    const probs = unitProbs(model, xs);
    const c = { views: 0, right: 0, named: 0, namedRight: 0, seen: 0, bucket: 0 };
    xs.forEach((x, i) => {
      for (let v = 0; v < 4; v++) {
        const want = x.answer[2 * v + 1] as number;
        const said = out.tokens[i]?.[2 * v + 1];
        const p = probs[i]?.[v] as Float32Array;
        const pl = buckets.reduce((a, id) => a + (p[id] as number), 0);
        c.views++;
        if (said === want) c.right++;
        if ((pl > (p[lno] as number)) === (want !== lno)) c.seen++;
        if (want !== lno) {
          c.named++;
          if (said === want) c.namedRight++;
          const best = buckets.reduce((b, id) => ((p[id] as number) > (p[b] as number) ? id : b), buckets[0] as number);
          if (best === want) c.bucket++;
        }
      }
    });
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += c[k];
    rows.push(`${city.padEnd(14)} ${city === TRAINING_CITY ? 'ID ' : 'OOD'}  ${line(c)}`);
  }
  console.log(`${what} (${((performance.now() - t0) / 60000).toFixed(1)} min):\n  ${rows.join('\n  ')}\n  ${'all'.padEnd(18)} ${line(total)}`);
}

function line(c: { views: number; right: number; named: number; namedRight: number; seen: number; bucket: number }): string {
  const pct = (a: number, b: number) => `${a}/${b} (${b ? ((100 * a) / b).toFixed(0) : '-'}%)`;
  return `views ${pct(c.right, c.views)}  named signs read ${pct(c.namedRight, c.named)}  sign seen or not ${pct(c.seen, c.views)}  bucket among L ${pct(c.bucket, c.named)}  [Lno share ${(100 - (100 * c.named) / c.views).toFixed(0)}%]`;
}

/** Each view's unit distribution (teacher-forced on the right answer), per example and view. */
function unitProbs(model: PolicyModel, xs: readonly { prompt: number[]; answer: number[]; image?: { data: Uint8Array } }[]): Float32Array[][] {
  const V = codec.tokenizer.vocabSize;
  const seqs = xs.map((x) => [...x.prompt, ...x.answer.slice(0, -1)]);
  const T = seqs[0]!.length;
  const flat = tf.tidy(() => {
    const b = leftPadBatch(seqs, codec.tokenizer.pad);
    const { logits } = forward(model, { tokens: batchTensor(b), leftPad: b.leftPad, images: imagesToTensor(model.config, xs.map((x) => x.image!.data)) });
    return tf.softmax(logits).dataSync() as Float32Array;
  });
  const P = xs[0]!.prompt.length;
  // The unit of view v is token P + 2v + 1, read off the logits at P + 2v.
  return xs.map((_, i) => [0, 1, 2, 3].map((v) => flat.subarray((i * T + P + 2 * v) * V, (i * T + P + 2 * v + 1) * V)));
}
