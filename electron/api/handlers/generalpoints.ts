/** Handlers of the card inspector channels: pure computation over the GeneralPoints simulator. */
import { GP_MAX_SOLUTIONS, resolveDealSpec, type GpDealSpec, type GpPlayAttempt, type gpChannels } from '../../../shared/api/channels/generalpoints';
import { createGeneralPointsEnv, dealHand, type ResolvedVariant } from '../../../shared/tasks/generalpoints/index';
import type { HandlerTable } from '../types';
import { createGpCodec } from '../../ml/tasks/generalpoints/codec';

/** The in-app models' token format, for showing what they read. */
const gpCodec = createGpCodec();

/** The request was validated, so this only fails if validation and the simulator disagree. */
function variantOf(spec: GpDealSpec): ResolvedVariant {
  const r = resolveDealSpec(spec);
  if (!r.ok) throw new Error(`${r.field}: ${r.error}`);
  return r.variant;
}

export const gpHandlers: HandlerTable<typeof gpChannels> = {
  'gp:deal': async (req) => {
    const v = variantOf(req);
    const dealt = dealHand({ seed: req.seed, ...v, paperPromptExample: req.paperExample ?? false });
    if (!dealt.ok) throw new Error(dealt.error);
    const d = dealt.value;
    return {
      seed: req.seed,
      cards: d.hand.cards.map((c) => ({ ...c })),
      display: d.display,
      labels: d.labels,
      values: d.values,
      variant: { ...d.hand.variant, values: d.hand.variant.values.slice() },
      split: d.split,
      solutions: d.solutions.slice(0, GP_MAX_SOLUTIONS),
      solutionCount: d.solutions.length,
      expertAnswer: d.expertAnswer,
      compactPrompt: d.compactPrompt,
      paperPrompt: d.paperPrompt,
      modelPrompt: gpCodec.tokensToText(gpCodec.encodeHandPrompt(d.hand)),
      image: d.image ? { width: d.image.width, height: d.image.height, rgbBase64: Buffer.from(d.image.data).toString('base64') } : null,
    };
  },

  'gp:play': async (req) => {
    const v = variantOf(req.deal);
    // Reference mode is the reference code's behaviour throughout: its verifier and its extra over-limit step.
    const env = createGeneralPointsEnv({
      variant: v, verificationLimit: req.verificationLimit, referenceQuirks: req.referenceQuirks, overLimitStep: req.referenceQuirks, paperPromptExample: req.deal.paperExample ?? false,
    });
    let { observation } = env.reset({ seed: req.deal.seed });
    const attempts: GpPlayAttempt[] = [];
    let done = false;
    let ignoredAnswers = 0;
    for (const answer of req.answers) {
      // Stateless replay: answers past the end are counted, not played, so the caller sees the mismatch.
      if (done) {
        ignoredAnswers++;
        continue;
      }
      const s = env.step(answer);
      observation = s.observation;
      done = s.terminated || s.truncated;
      attempts.push({
        attempt: s.info.attempt,
        output: answer,
        verdict: s.info.verdict ?? '',
        reward: s.reward,
        feedback: s.info.feedback,
        parsed: s.info.parsed,
        formula: s.info.formula,
        value: s.info.value,
        terminated: s.terminated,
        truncated: s.truncated,
        attemptsLeft: s.info.attemptsLeft,
      });
    }
    return {
      attempts,
      solved: observation.state.solved,
      done,
      totalReward: attempts.reduce((sum, a) => sum + a.reward, 0),
      attemptsLeft: observation.state.attemptsLeft,
      verificationLimit: req.verificationLimit,
      compactPrompt: observation.compactPrompt,
      paperMessages: observation.paperMessages,
      ignoredAnswers,
    };
  },
};
