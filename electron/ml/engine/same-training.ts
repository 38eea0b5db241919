/**
 * Whether two tasks train on the same data (issue 11). In the paper one GP-VL (or V-IRL-VL)
 * training is evaluated on both its rule-OOD and visual-OOD sets (PAPER.md §3.4): the variants
 * differ only in what is held out. `sftrl eval --variant` reads a run under the other variant
 * only where that holds, checked on what training draws rather than assumed from the config:
 * the RL episodes and the SFT expert examples of a few seeds, images included.
 */
import { createRng } from '../../../shared/util/rng';
import type { TrainingTask } from './task';

const DRAWS = 32;
const SEEDS = [1, 2, 3];

/** Null when `a` and `b` draw the same training episodes and expert examples; else what differs. */
export function trainingDifference(a: TrainingTask, b: TrainingTask): string | null {
  if (a.id !== b.id) return `the tasks differ (${a.id} vs ${b.id})`;
  for (const seed of SEEDS) {
    const ea = a.trainingEpisodes(createRng(seed), DRAWS);
    const eb = b.trainingEpisodes(createRng(seed), DRAWS);
    if (JSON.stringify(ea) !== JSON.stringify(eb)) return 'their training episodes differ (RL would play other hands or routes)';
    const xa = a.expertExamples(createRng(seed), DRAWS, 'canonical');
    const xb = b.expertExamples(createRng(seed), DRAWS, 'canonical');
    for (let i = 0; i < DRAWS; i++) {
      const p = xa[i];
      const q = xb[i];
      if (!p || !q || p.prompt.join() !== q.prompt.join() || p.answer.join() !== q.answer.join() || !sameImage(p.image, q.image)) {
        return 'their expert examples differ (SFT would train on other data)';
      }
    }
  }
  return null;
}

function sameImage(p: { data: Uint8Array } | undefined, q: { data: Uint8Array } | undefined): boolean {
  if (!p || !q) return p === q;
  return p.data.length === q.data.length && p.data.every((v, i) => v === q.data[i]);
}
