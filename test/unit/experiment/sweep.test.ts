import { describe, expect, it } from 'vitest';
import { buildExperimentConfig } from '../../../shared/experiments/build';
import { expandSweep, gridPoints, parseSweepSpec, sweepId, SweepSpecError } from '../../../shared/experiments/sweep';

describe('sweep spec', () => {
  it('expands seeds × grid points into experiments, each an init and its branches, with the ids the runs get', () => {
    const spec = parseSweepSpec({ preset: 'gp-rule', seeds: '0-1', branches: ['sft', 'rl'], set: 'base.steps=2', grid: { 'rl.klBeta': [0, 0.05], 'rl.steps': [3] }, quick: true });
    const id = sweepId(spec, new Date('2026-12-01T09:30:05Z'));
    expect(id).toBe('gp-rule-20261201093005-quick');
    const exps = expandSweep(spec, id);
    expect(exps.map((e) => `${e.index}:${e.id}:${e.seed}:${JSON.stringify(e.point)}`)).toEqual([
      `0:${id}-c0-s0:0:{"rl.klBeta":0,"rl.steps":3}`,
      `1:${id}-c0-s1:1:{"rl.klBeta":0,"rl.steps":3}`,
      `2:${id}-c1-s0:0:{"rl.klBeta":0.05,"rl.steps":3}`,
      `3:${id}-c1-s1:1:{"rl.klBeta":0.05,"rl.steps":3}`,
    ]);
    expect(exps[2]?.runs.map((r) => `${r.runId}<${r.parent ?? ''}`)).toEqual([`${id}-c1-s0-init<`, `${id}-c1-s0-sft<${id}-c1-s0-init`, `${id}-c1-s0-rl<${id}-c1-s0-init`]);
    // The config is exactly what `sftrl train` builds from the recipe a task is given.
    const e = exps[3];
    expect(e?.recipe).toEqual({ preset: 'gp-rule', seed: 1, quick: true, branches: ['sft', 'rl'], set: 'base.steps=2,rl.klBeta=0.05,rl.steps=3' });
    expect(e?.config).toEqual(buildExperimentConfig(e!.recipe));
    expect(e?.config.rl.klBeta).toBe(0.05);
    expect(e?.config.base.steps).toBe(2);
    // One grid point: no -c<k> in the ids.
    expect(expandSweep(parseSweepSpec({ preset: 'gp-rule', seeds: [3] }), 'x').map((x) => x.id)).toEqual(['x-s3']);
  });

  it('defaults to the local executor and fills the slurm executor\'s defaults', () => {
    expect(parseSweepSpec({ preset: 'gp-rule' }).executor).toEqual({ kind: 'local' });
    expect(parseSweepSpec({ preset: 'gp-rule', executor: { kind: 'slurm', partition: 'gpu', time: '2:00:00' } }).executor).toEqual({ kind: 'slurm', partition: 'gpu', time: '2:00:00', cpusPerTask: 1, sbatch: [], signalSeconds: 90 });
  });

  it('names what is wrong in a spec', () => {
    const bad = (value: unknown, message: RegExp) => expect(() => expandSweep(parseSweepSpec(value), 's')).toThrow(message);
    bad({ preset: 'gp-rule', seeds: '3-1' }, /seeds: seed range "3-1" runs backwards/);
    bad({ preset: 'gp-rule', seeds: [1, 1] }, /seeds: a seed is listed twice/);
    bad({ preset: 'nope' }, /preset must be one of gp-rule/);
    bad({ preset: 'gp-rule', grid: { 'rl.nope': [1] } }, /grid point rl.nope=1: --set: no config field "rl.nope"/);
    bad({ preset: 'gp-rule', grid: { 'rl.klBeta': ['a,b'] } }, /may not hold commas/);
    bad({ preset: 'gp-rule', grid: { 'rl.klBeta': [-1] } }, /grid point rl.klBeta=-1: rl.klBeta: /);
    bad({ preset: 'gp-rule', executor: { kind: 'slurm', time: 'soon' } }, /executor.time: a Slurm time limit/);
    bad({ preset: 'gp-rule', executor: { kind: 'slurm', sbatch: ['rm -rf /'] } }, /an sbatch option such as --account=lab/);
    bad({ preset: 'gp-rule', executor: { kind: 'slurm', setup: 'a\nb' } }, /executor.setup: one line/);
    bad({ preset: 'gp-rule', seeds: '0-63', grid: { 'rl.klBeta': [0, 0.1, 0.2, 0.3, 0.4] } }, /320 experiments; at most 256/);
    bad({ preset: 'gp-rule', typo: 1 }, /Unrecognized key.*typo/);
    expect(() => parseSweepSpec({ preset: 'gp-rule', seeds: '3-1' })).not.toThrow(); // seed lists are read at expansion
    expect(SweepSpecError).toBeDefined();
  });

  it('varies the last grid field fastest', () => {
    expect(gridPoints({ a: [1, 2], b: ['x', 'y'] })).toEqual([{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 2, b: 'x' }, { a: 2, b: 'y' }]);
    expect(gridPoints({})).toEqual([{}]);
  });
});
