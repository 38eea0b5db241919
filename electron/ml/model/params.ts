/**
 * The model's parameters: names, shapes and the seeded initialisation.
 *
 * Initial values are drawn in plain JavaScript from `createRng(initSeed)` in a fixed order, so
 * the same seed gives bit-identical weights on every backend (tf.random ops differ by backend).
 */
import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng } from '../../../shared/util/rng';
import { cellsPerToken, type ModelConfig, validateModelConfig, visualTokenCount } from './config';

export interface ParamSpec {
  name: string;
  shape: number[];
  /** How the initial values are drawn. */
  init: { kind: 'normal'; std: number } | { kind: 'zeros' } | { kind: 'ones' };
  /** Whether AdamW's weight decay applies (matrices yes; biases, norms, position tables no). */
  decay: boolean;
}

export interface PolicyModel {
  config: ModelConfig;
  /** Parameter names in a fixed order (checkpoints, optimizer state and gradients follow it). */
  names: string[];
  params: Record<string, tf.Variable>;
}

/** All parameter specs of a config, in the canonical order. */
export function paramSpecs(cfg: ModelConfig): ParamSpec[] {
  validateModelConfig(cfg);
  const d = cfg.dModel;
  const f = cfg.ffnMult * d;
  const V = cfg.vocabSize;
  // GPT-2 scales the residual output projections by 1/sqrt(2L) so the stream's variance stays flat with depth.
  const residStd = 0.02 / Math.sqrt(2 * cfg.nLayers);
  const specs: ParamSpec[] = [];
  const normal = (name: string, shape: number[], std = 0.02, decay = true) =>
    specs.push({ name, shape, init: { kind: 'normal', std }, decay });
  const zeros = (name: string, shape: number[]) => specs.push({ name, shape, init: { kind: 'zeros' }, decay: false });
  const ones = (name: string, shape: number[]) => specs.push({ name, shape, init: { kind: 'ones' }, decay: false });

  normal('tok_emb', [V, d]);
  normal('pos_emb', [cfg.contextLength, d], 0.01, false);
  if (cfg.image) {
    let cin = 3;
    cfg.image.channels.forEach((cout, i) => {
      normal(`img.conv${i}.w`, [4 * cin, cout], Math.sqrt(2 / (4 * cin))); // 2×2 patch conv as a matmul; He init
      zeros(`img.conv${i}.b`, [cout]);
      cin = cout;
    });
    // Unit-scale projection: the visual tokens start as large as the features that tell cards apart
    // (at 0.02 a tiny model first used a card's image only after ~140 steps on four cards, vs ~90).
    const projIn = cfg.image.pool === 'concat' ? cin * cellsPerToken(cfg.image) : cin;
    normal('img.proj.w', [projIn, d], 1 / Math.sqrt(projIn));
    zeros('img.proj.b', [d]);
    normal('img.pos', [visualTokenCount(cfg), d], 0.01, false);
  }
  for (let l = 0; l < cfg.nLayers; l++) {
    ones(`h${l}.ln1.g`, [d]);
    zeros(`h${l}.ln1.b`, [d]);
    for (const m of ['q', 'k', 'v']) {
      normal(`h${l}.attn.w_${m}`, [d, d]);
      zeros(`h${l}.attn.b_${m}`, [d]);
    }
    normal(`h${l}.attn.w_o`, [d, d], residStd);
    zeros(`h${l}.attn.b_o`, [d]);
    ones(`h${l}.ln2.g`, [d]);
    zeros(`h${l}.ln2.b`, [d]);
    normal(`h${l}.mlp.w1`, [d, f]);
    zeros(`h${l}.mlp.b1`, [f]);
    normal(`h${l}.mlp.w2`, [f, d], residStd);
    zeros(`h${l}.mlp.b2`, [d]);
  }
  ones('ln_f.g', [d]);
  zeros('ln_f.b', [d]);
  normal('head.w', [d, V]);
  zeros('head.b', [V]);
  // A zero value head starts PPO with V(s)=0 everywhere instead of noise.
  zeros('value.w', [d, 1]);
  zeros('value.b', [1]);
  return specs;
}

function fillNormal(rng: Rng, out: Float32Array, std: number): void {
  // Box–Muller in float64; both outputs are used so the stream stays aligned across shapes.
  for (let i = 0; i < out.length; i += 2) {
    const u1 = 1 - rng.next(); // in (0, 1], so log is finite
    const u2 = rng.next();
    const r = Math.sqrt(-2 * Math.log(u1)) * std;
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
}

/** Initial values of every parameter, computed on the CPU from `config.initSeed`. */
export function initialValues(cfg: ModelConfig): Map<string, Float32Array> {
  const rng = createRng(cfg.initSeed);
  const out = new Map<string, Float32Array>();
  for (const spec of paramSpecs(cfg)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (spec.init.kind === 'normal') fillNormal(rng, data, spec.init.std);
    else if (spec.init.kind === 'ones') data.fill(1);
    out.set(spec.name, data);
  }
  return out;
}

/** Builds a model with freshly initialised trainable variables on the current backend. */
export function createModel(cfg: ModelConfig): PolicyModel {
  const values = initialValues(cfg);
  const specs = paramSpecs(cfg);
  const params: Record<string, tf.Variable> = {};
  for (const spec of specs) {
    const data = values.get(spec.name) as Float32Array;
    // tidy frees the temporary tensor; the variable keeps its own reference to the data.
    params[spec.name] = tf.tidy(() =>
      tf.variable(tf.tensor(data, spec.shape, 'float32'), true, `${spec.name}_${uniqueSuffix()}`),
    );
  }
  return { config: structuredClone(cfg), names: specs.map((s) => s.name), params };
}

// tfjs variable names are global; a counter lets several models (policy, frozen reference) coexist.
let counter = 0;
function uniqueSuffix(): number {
  return counter++;
}

/** The variable of a parameter, or a clear error naming it. */
export function param(model: PolicyModel, name: string): tf.Variable {
  const v = model.params[name];
  if (!v) throw new Error(`model has no parameter "${name}"`);
  return v;
}

/** Variables in the canonical order (for gradients and the optimizer). */
export function paramList(model: PolicyModel): tf.Variable[] {
  return model.names.map((n) => param(model, n));
}

/** Total number of parameters. */
export function countModelParams(model: PolicyModel): number {
  return paramList(model).reduce((s, v) => s + v.size, 0);
}

/** Frees every variable of the model. */
export function disposeModel(model: PolicyModel): void {
  for (const v of paramList(model)) v.dispose();
}
