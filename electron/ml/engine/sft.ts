/**
 * Supervised steps: `sftStep` (single-turn in-distribution expert examples: the initial SFT and
 * the SFT branch) and `baseStep` (the task's broad curriculum, single- or multi-turn). One
 * optimizer update per call, data drawn from stepRng(seed, stageId, step) only.
 */
import * as tf from '@tensorflow/tfjs';
import { forward, maskedCrossEntropy, sftBatch, trainStep } from '../model';
import { rowImageTensor, visualTokens } from './images';
import { rowsPerPass } from './pass-size';
import { assertContext } from './rollout';
import { stepRng } from './seed';
import type { StepInput, StepResult } from './step';
import type { Example } from './task';

/** One micro-batch's loss: its masked mean scaled by its share of the step's answer tokens, so the parts sum to the step's mean. */
function exampleLoss(model: StepInput['model'], examples: readonly Example[], pad: number, share: number): tf.Scalar {
  return tf.tidy(() => {
    const b = sftBatch(examples, pad);
    const images = rowImageTensor(model, examples.map((e) => e.image), 'example');
    const out = forward(model, { tokens: tf.tensor2d(b.inputs, [b.batch, b.length], 'int32'), leftPad: b.leftPad, ...(images ? { images } : {}) });
    const loss = maskedCrossEntropy(out.logits, tf.tensor2d(b.targets, [b.batch, b.length], 'int32'), tf.tensor2d(b.mask, [b.batch, b.length]));
    return share === 1 ? loss : (tf.mul(loss, share) as tf.Scalar); // one part: the unsplit loss, bit for bit
  });
}

const rowLengthOf = (xs: readonly Example[]) => Math.max(1, ...xs.map((e) => e.prompt.length + e.answer.length - 1));

/**
 * The batch as one group, or as a short and a long group when one padded pass would be mostly
 * padding: a V-IRL-VL base batch mixes sign-reading rows of 12 tokens with route rows of ~100, and
 * padding every row to the longest costs three quarters as many tokens again or more. Batches of similar lengths (every
 * GeneralPoints batch) stay one group, so their update is unchanged bit for bit.
 */
export function lengthGroups(examples: readonly Example[], visual = 0): (readonly Example[])[] {
  const len = (e: Example) => e.prompt.length + e.answer.length - 1 + visual;
  const sorted = [...examples].sort((a, b) => len(a) - len(b));
  const n = sorted.length;
  const longest = rowLengthOf(examples) + visual;
  let best = { at: 0, cells: n * longest };
  for (let i = 1; i < n; i++) {
    const cells = i * len(sorted[i - 1] as Example) + (n - i) * longest;
    if (cells < best.cells) best = { at: i, cells };
  }
  return best.at > 0 && best.cells * 1.75 < n * longest ? [sorted.slice(0, best.at), sorted.slice(best.at)] : [examples];
}

/** One cross-entropy update on answer tokens; the metrics every supervised stage logs. */
export function supervisedUpdate(input: Pick<StepInput, 'model' | 'optimizer' | 'task' | 'lr' | 'maxGradNorm'>, examples: readonly Example[], opts: { maxCells?: number; groupByLength?: boolean } = {}): StepResult {
  const t0 = performance.now();
  const { model, optimizer, task, lr } = input;
  const pad = task.codec.tokenizer.pad;
  const answerTokensN = examples.reduce((s, e) => s + e.answer.length, 0);
  const chunks = (opts.groupByLength === false ? [examples] : lengthGroups(examples, visualTokens(model))).flatMap((group) => {
    const rowLength = rowLengthOf(group) + visualTokens(model);
    const parts = Math.ceil(group.length / rowsPerPass(rowLength, group.length, opts.maxCells));
    return Array.from({ length: parts }, (_, i) => group.slice(Math.floor((i * group.length) / parts), Math.floor(((i + 1) * group.length) / parts)));
  });
  const res = trainStep(
    model,
    optimizer,
    chunks.map((chunk) => () => exampleLoss(model, chunk, pad, chunk.reduce((s, e) => s + e.answer.length, 0) / answerTokensN)),
    { lr, maxGradNorm: input.maxGradNorm },
  );
  // Tokens the model read (prompt and visual tokens included, padding not): D in 6·N·D.
  const tokens = examples.reduce((s, e) => s + e.prompt.length + e.answer.length - 1, 0) + visualTokens(model) * examples.length;
  const seconds = (performance.now() - t0) / 1000;
  return {
    metrics: {
      'train/loss': res.loss,
      'train/grad_norm': res.gradNorm,
      'train/lr': lr,
      'train/tokens': tokens,
      'train/answer_tokens': answerTokensN,
      'perf/tokens_per_s': tokens / Math.max(seconds, 1e-9),
      'perf/step_s': seconds,
    },
  };
}

/** One SFT update on `batch` in-distribution examples from the configured expert. */
export function sftStep(input: StepInput, cfg: { batch: number; expert: 'canonical' | 'diverse' }): StepResult {
  assertContext(input.model, input.task, 1);
  const rng = stepRng(input.seed, input.stageId, input.step);
  return supervisedUpdate(input, input.task.expertExamples(rng, cfg.batch, cfg.expert));
}

/**
 * One update on the task's base curriculum. `multiTurn`: examples carry synthetic wrong attempts
 * with true feedback before the final answer and must fit `maxAttempts` attempts.
 */
export function baseStep(input: StepInput, cfg: { batch: number }, opts: { multiTurn: boolean; maxAttempts: number }): StepResult {
  const maxAttempts = opts.multiTurn ? opts.maxAttempts : 1;
  assertContext(input.model, input.task, maxAttempts);
  const rng = stepRng(input.seed, input.stageId, input.step);
  return supervisedUpdate(input, input.task.curriculumExamples(rng, cfg.batch, { multiTurn: opts.multiTurn, maxAttempts }));
}
