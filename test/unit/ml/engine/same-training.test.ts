/**
 * `sftrl eval --variant` reads a run under its other variant only where both variants train on the
 * same data (the paper evaluates one GP-VL / V-IRL-VL training on rule-OOD and visual-OOD).
 */
import { describe, expect, it } from 'vitest';
import { GP_RULE, GP_VISUAL, GP_VL_RULE, VIRL_RULE, VIRL_VISUAL, VIRL_VL_RULE } from '../../../../shared/experiments/presets';
import { trainingDifference } from '../../../../electron/ml/engine/same-training';
import { loadTask } from '../../../../electron/ml/tasks';

describe('trainingDifference', () => {
  it('finds the rule and visual variants of GP-VL and of V-IRL-VL training on the same data', async () => {
    expect(trainingDifference(await loadTask(GP_VISUAL), await loadTask(GP_VL_RULE))).toBeNull();
    expect(trainingDifference(await loadTask(VIRL_VISUAL), await loadTask(VIRL_VL_RULE))).toBeNull();
  });

  it('names what differs when two tasks do not train alike', async () => {
    // GP-L deals mixed suits as text; GP-VL black suits as images.
    expect(trainingDifference(await loadTask(GP_RULE), await loadTask(GP_VISUAL))).toMatch(/training episodes differ/);
    // V-IRL-L and V-IRL-VL walk the same routes, but SFT reads street views only in one of them.
    expect(trainingDifference(await loadTask(VIRL_RULE), await loadTask(VIRL_VISUAL))).toMatch(/expert examples differ/);
    expect(trainingDifference(await loadTask(GP_RULE), await loadTask(VIRL_RULE))).toMatch(/tasks differ/);
  });
});
