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

/** One cross-entropy update on answer tokens; the metrics every supervised stage logs. */
export function supervisedUpdate(input: Pick<StepInput, 'model' | 'optimizer' | 'task' | 'lr' | 'maxGradNorm'>, examples: readonly Example[], opts: { maxCells?: number } = {}): StepResult {
  const t0 = performance.now();
  const { model, optimizer, task, lr } = input;
  const pad = task.codec.tokenizer.pad;
  const rowLength = Math.max(1, ...examples.map((e) => e.prompt.length + e.answer.length - 1)) + visualTokens(model);
  const parts = Math.ceil(examples.length / rowsPerPass(rowLength, examples.length, opts.maxCells));
  const answerTokensN = examples.reduce((s, e) => s + e.answer.length, 0);
  const chunks = Array.from({ length: parts }, (_, i) => examples.slice(Math.floor((i * examples.length) / parts), Math.floor(((i + 1) * examples.length) / parts)));
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
