/**
 * The paper's Fig. 8 preset (GP-VL): recognition accuracy and success, ID and OOD, against
 * training compute, SFT vs RL, one column per setting; the branches it takes are those that logged
 * recognition accuracy (GP-VL's), not the init and not language-only runs.
 */
import { describe, expect, it } from 'vitest';
import { buildFigure } from '../../../shared/figures/build';
import type { RunInput } from '../../../shared/figures/model';
import { defaultViewSpec, isRecognitionBranch, recognitionPreset, viewSpecSchema } from '../../../shared/figures/spec';

/** A GP-VL branch evaluated at 1, 2, 3 GFLOPs with the given recognition (ID) values; the other metrics follow from it. */
function vlRun(preset: string, seed: number, method: string, rec: [number, number, number]): RunInput {
  const id = `${preset}-s${seed}-${method}`;
  const flops = [1e9, 2e9, 3e9];
  return {
    id, label: id, fields: { preset, seed, method },
    series: {
      id, points: 3, total: 3, segments: [], warnings: [],
      columns: {
        seq: [0, 1, 2], 'compute/flops': flops,
        'eval/id/recognition': rec, 'eval/ood/recognition': rec.map((v) => v / 2),
        'eval/id/success': rec.map((v) => v / 4), 'eval/ood/success': rec.map((v) => v / 8),
      },
    },
  };
}

describe('the recognition figure (Fig. 8)', () => {
  it('plots recognition and success, ID and OOD, against compute per setting, grouped by method', () => {
    const runs = ['gp-visual', 'gp-vl-rule'].flatMap((preset) => [0, 1].flatMap((seed) => [
      vlRun(preset, seed, 'rl', [0.4 + seed * 0.1, 0.6, 0.8]),
      vlRun(preset, seed, 'sft', [0.4 + seed * 0.1, 0.3, 0.2]),
    ]));
    const spec = recognitionPreset(runs.map((r) => r.id), defaultViewSpec());
    expect(viewSpecSchema.safeParse(spec).success).toBe(true);
    expect(spec.x).toBe('compute/flops');
    // Four panel rows need a taller figure than the default 4 in; a taller one chosen before is kept.
    expect(spec.style.heightIn).toBe(8);
    expect(recognitionPreset([], { ...defaultViewSpec(), style: { ...defaultViewSpec().style, heightIn: 10 } }).style.heightIn).toBe(10);
    const model = buildFigure(runs, spec);
    expect(model.rows).toBe(4);
    expect(model.cols).toBe(2);
    expect(model.panels.map((p) => p.title)).toEqual([
      'gp-visual — ID recognition accuracy', 'gp-vl-rule — ID recognition accuracy',
      'gp-visual — OOD recognition accuracy', 'gp-vl-rule — OOD recognition accuracy',
      'gp-visual — ID success', 'gp-vl-rule — ID success',
      'gp-visual — OOD success', 'gp-vl-rule — OOD success',
    ]);
    expect(model.panels[0]?.yTitle).toBe('Recognition accuracy (%)');
    expect(model.panels[4]?.yTitle).toBe('Success (%)');
    expect(model.panels[6]?.xTitle).toBe('Training compute (GFLOPs)');
    // Each panel: an RL and an SFT group of 2 seeds, their mean in % of the logged fractions.
    const mean = (panel: number, group: string) => model.traces.find((t) => t.panel === panel && t.role === 'mean' && t.group === group);
    for (let panel = 0; panel < 8; panel++) expect([mean(panel, 'rl')?.name, mean(panel, 'sft')?.name]).toEqual(['rl (n=2)', 'sft (n=2)']);
    const rlId = mean(0, 'rl') as { x: number[]; y: number[] };
    expect(rlId.x[0]).toBeCloseTo(1, 9);
    expect(rlId.x[rlId.x.length - 1]).toBeCloseTo(3, 9);
    // The last point (no smoothing window fits 3 points: Savitzky–Golay leaves them as logged).
    expect(rlId.y[rlId.y.length - 1]).toBeCloseTo(80, 9);
    expect((mean(2, 'rl') as { y: number[] }).y.at(-1)).toBeCloseTo(40, 9); // OOD recognition: half
    expect((mean(6, 'sft') as { y: number[] }).y.at(-1)).toBeCloseTo(2.5, 9); // OOD success of SFT: 0.2 / 8
  });

  it('takes the branches that logged recognition accuracy: not the init, not language-only runs', () => {
    const vlKeys = ['compute/flops', 'eval/id/recognition', 'eval/id/success', 'eval/ood/recognition'];
    expect(isRecognitionBranch('rl', vlKeys)).toBe(true);
    expect(isRecognitionBranch('sft', vlKeys)).toBe(true);
    expect(isRecognitionBranch('init', vlKeys)).toBe(false);
    expect(isRecognitionBranch('rl', ['compute/flops', 'eval/id/success', 'eval/ood/success'])).toBe(false);
    expect(isRecognitionBranch(undefined, vlKeys)).toBe(false);
  });
});
