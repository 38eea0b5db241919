import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { axisTitle, displayScale, metricInfo, metricLabel } from '../../../shared/figures/metrics';

/** Every numeric key the engine logged in the shipped example runs (init, SFT, RL, evaluations). */
function loggedKeys(): string[] {
  const root = path.resolve('examples/gp-rule-results/runs');
  const keys = new Set<string>();
  for (const run of fs.readdirSync(root)) {
    const file = path.join(root, run, 'metrics.jsonl');
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      for (const [k, v] of Object.entries(JSON.parse(line) as Record<string, unknown>)) if (typeof v === 'number') keys.add(k);
    }
  }
  return [...keys].sort();
}

describe('metric registry (Figures picker, axis titles)', () => {
  it('names every key the engine logs, each with its own label (no raw keys beside labels in the picker)', () => {
    const keys = loggedKeys();
    expect(keys.length).toBeGreaterThan(30);
    expect(keys.filter((k) => !metricInfo(k).known)).toEqual([]);
    const labels = keys.map(metricLabel);
    expect(labels.filter((l) => l.includes('/') || l.includes('_'))).toEqual([]);
    expect(new Set(labels).size).toBe(labels.length);
    // The RL-only keys are registered too (the example runs carry them as well).
    for (const k of ['rl/reward', 'rl/approx_kl', 'rl/kl_ref', 'rl/value_loss', 'rl/repeats']) expect(metricInfo(k).known).toBe(true);
  });

  it('gives labels with units for axes; fractions are drawn in %, FLOPs in GFLOPs', () => {
    expect(axisTitle('eval/ood/success')).toBe('OOD success (%)');
    expect(axisTitle('eval/ood/success', true)).toBe('Success (%)');
    expect(axisTitle('eval/id/episodes')).toBe('ID evaluation size (episodes)');
    expect(axisTitle('eval/id/solved_at_3')).toBe('ID solved at attempt 3 (episodes)');
    expect(axisTitle('compute/flops')).toBe('Training compute (GFLOPs)');
    expect(axisTitle('perf/tokens_per_s')).toBe('Training speed (tokens/s)');
    expect(axisTitle('step')).toBe('Step');
    expect([displayScale('eval/id/success'), displayScale('compute/flops'), displayScale('train/loss')]).toEqual([100, 1e-9, 1]);
  });

  it('shows a key nobody registered in readable words, success and accuracy still in %', () => {
    expect(metricInfo('gen/draft_tokens')).toMatchObject({ label: 'Draft tokens (gen)', known: false, unit: 'none' });
    expect(metricLabel('eval/ood/route_progress')).toBe('OOD route progress');
    expect(axisTitle('eval/id/step_accuracy')).toBe('ID step accuracy (%)'); // e.g. a V-IRL metric before it is registered
    expect(axisTitle('eval/test/success')).toBe('TEST success (%)');
    expect(metricLabel('custom')).toBe('Custom');
  });
});

describe('GP-VL recognition metrics (issue 11)', () => {
  it('names recognition accuracy and the probe sets played beside a split (the ID hands in red)', () => {
    expect(axisTitle('eval/ood/recognition')).toBe('OOD recognition accuracy (%)');
    expect(axisTitle('eval/id/recognition', true)).toBe('Recognition accuracy (%)');
    expect(metricLabel('eval/id/red/recognition')).toBe('ID hands in red: recognition accuracy');
    expect(metricLabel('eval/id/red/success_first')).toBe('ID hands in red: success (first try)');
    expect(metricInfo('eval/id/red/solved_at_2').known).toBe(true);
    expect(displayScale('eval/id/red/recognition')).toBe(100);
    expect(metricInfo('eval/id/blue/success').known).toBe(false); // not a probe set
  });
});

describe('V-IRL-VL metric names', () => {
  it('labels first tries by kind of point, the mini benchmark and each city style from the split\'s metric', () => {
    expect(metricLabel('eval/ood/stop_accuracy')).toBe('OOD stops right at the first try');
    expect(metricLabel('eval/ood/mini/success')).toBe('OOD mini benchmark: success');
    expect(metricLabel('eval/ood/style/buenos-aires/per_step_accuracy')).toBe('OOD per-step accuracy in Buenos Aires');
    expect(metricLabel('eval/ood/mini/style/lagos/success')).toBe('OOD mini benchmark: success in Lagos');
    expect(displayScale('eval/ood/style/lagos/success')).toBe(100);
    for (const k of ['eval/ood/style/lagos/episodes', 'eval/id/turn_accuracy', 'eval/ood/mini/per_step_accuracy']) expect(metricInfo(k).known).toBe(true);
  });
});
