import { GP_RULE } from '../../../../shared/experiments/presets';
import { HUGE, type BadCase } from './core';

export const experimentsBadPayloads: Record<string, BadCase[]> = {
  'experiments:presets': [['extra field', { all: true }, /Unrecognized key/i]],
  'experiments:launch': [
    ['missing config', { quick: true }, /config/],
    ['quick not boolean', { config: GP_RULE, quick: 'yes' }, /quick/],
    ['NaN width', { config: { ...GP_RULE, model: { ...GP_RULE.model, width: Number.NaN } }, quick: true }, /config\.model\.width/],
    ['heads not dividing width', { config: { ...GP_RULE, model: { ...GP_RULE.model, heads: 5 } }, quick: true }, /heads must divide width/],
    ['negative steps', { config: { ...GP_RULE, sft: { ...GP_RULE.sft, steps: -1 } }, quick: false }, /config\.sft\.steps/],
    ['unknown branch', { config: { ...GP_RULE, branches: ['dpo'] }, quick: false }, /branches/],
    ['duplicate branch', { config: { ...GP_RULE, branches: ['rl', 'rl'] }, quick: false }, /listed twice/],
    ['huge preset name', { config: { ...GP_RULE, preset: HUGE }, quick: false }, /preset/],
    ['unknown config key', { config: { ...GP_RULE, shell: 'rm -rf /' }, quick: false }, /Unrecognized key/i],
    ['seed listed twice', { config: GP_RULE, quick: true, seeds: [1, 1] }, /seeds: a seed is listed twice/],
    ['negative seed', { config: GP_RULE, quick: true, seeds: [-1] }, /seeds/],
    ['no seeds', { config: GP_RULE, quick: true, seeds: [] }, /seeds/],
    ['too many seeds', { config: GP_RULE, quick: true, seeds: Array.from({ length: 65 }, (_, i) => i) }, /seeds/],
  ],
  'jobs:list': [['number', 5, /expected object/i]],
  'jobs:cancel': [
    ['missing id', {}, /jobId/],
    ['not a job id', { jobId: '../../etc' }, /not a job id/],
    ['number', { jobId: 12 }, /jobId/],
  ],
  'runs:resume': [
    ['traversal', { id: '../x' }, /run id/],
    ['huge id', { id: HUGE }, /longer than 128/],
    ['missing', {}, /id/],
  ],
};
