/**
 * The map viewer's A/B of two episodes files (e.g. an SFT and an RL checkpoint's evaluations):
 * pairing episodes by route and seed, choosing B's run and file, the Runs page's A/B link, and
 * the Figures presets' measure for V-IRL runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import type { RunSummary } from '../../../shared/api/runs';
import { defaultViewSpec, paperCurvesPreset, paperOodChangePreset, presetMeasureFor } from '../../../shared/figures/spec';
import { matchOnRoute, readEpisodesFile, type FileEpisode } from '../../../renderer/src/pages/map/model';
import { defaultFile, orderRuns } from '../../../renderer/src/pages/map/RunPartner';
import { runEpisodesFromHash, runEpisodesHref } from '../../../renderer/src/runEpisodes';
import { tempDir } from '../../helpers/tmp';

const quiet = { out: () => {}, err: (l: string) => console.error(l) };

describe('A/B of two episodes files on the same routes', () => {
  let tmp: ReturnType<typeof tempDir>;
  let expert: FileEpisode[];
  let random: FileEpisode[];
  let relative: FileEpisode[];
  let other: FileEpisode[];

  const read = async (name: string, args: string[]) => {
    const file = path.join(tmp.dir, name);
    expect(await main(['virl', 'episodes', '--count', '3', '--out', file, ...args], quiet)).toBe(0);
    const r = readEpisodesFile(fs.readFileSync(file, 'utf8'), name);
    expect(r.problems).toEqual([]);
    return r.episodes;
  };
  const asA = (fe: FileEpisode) => ({ routeKey: fe.routeKey, episode: fe.record, variant: { actionSpace: fe.record.variant.actionSpace as 'absolute' | 'relative', observation: 'text' as const } });

  beforeAll(async () => {
    tmp = tempDir();
    expert = await read('expert.jsonl', ['--policy', 'expert', '--seed', '4']);
    random = await read('random.jsonl', ['--policy', 'random', '--seed', '4']);
    relative = await read('relative.jsonl', ['--policy', 'expert', '--seed', '4', '--actions', 'relative']);
    other = await read('other.jsonl', ['--policy', 'expert', '--seed', '1000']);
  });
  afterAll(() => tmp.cleanup());

  it('pairs each episode with the other file\'s episode on its route and seed, whatever the order', () => {
    const shuffled = [random[2]!, random[0]!, random[1]!];
    for (const a of expert) {
      const b = matchOnRoute(shuffled, asA(a));
      expect(b?.record.seed).toBe(a.record.seed);
      expect(b?.routeKey).toBe(a.routeKey);
      expect(b?.record.actor.kind).toBe('random');
    }
  });

  it('prefers the same action space when both are on the route, and finds none on other routes', () => {
    const a = expert[1]!;
    expect(relative.find((r) => r.routeKey === a.routeKey)).toBeDefined(); // the same rail in both action spaces
    expect(matchOnRoute([...relative, ...random], asA(a))?.record.actor.kind).toBe('random');
    expect(matchOnRoute(relative, asA(a))?.record.variant.actionSpace).toBe('relative');
    expect(matchOnRoute(other, asA(a))).toBeUndefined();
    // Never A itself.
    expect(matchOnRoute([a], asA(a))).toBeUndefined();
  });

  it('proposes A\'s sibling runs first and the file of the same name, else the latest of the split', () => {
    const run = (id: string, task = 'VirlNav-v0', status: RunSummary['status'] = 'completed'): RunSummary =>
      ({ id, name: id, status, task, method: id.split('-').at(-1)!, seed: 0, createdAt: null, updatedAt: null, metricsCount: 1 });
    const runs = [run('other-rl'), run('v-s0-rl'), run('gp-rl', 'GeneralPoints-v0'), run('v-s0-sft'), run('broken', 'VirlNav-v0', 'corrupt'), run('v-s0-init')];
    expect(orderRuns(runs, 'v-s0-rl').map((r) => r.id)).toEqual(['v-s0-sft', 'v-s0-init', 'other-rl', 'v-s0-rl']);
    const files = ['eval-id-step000002.jsonl', 'eval-ood-step000000.jsonl', 'eval-ood-step000002.jsonl'];
    expect(defaultFile(files, 'eval-ood-step000000.jsonl')).toBe('eval-ood-step000000.jsonl');
    expect(defaultFile(files, 'eval-ood-step000007.jsonl')).toBe('eval-ood-step000002.jsonl');
    expect(defaultFile(files, undefined)).toBe('eval-id-step000002.jsonl');
    expect(defaultFile([], 'eval-ood-step000007.jsonl')).toBe('');
  });

  it('carries the A/B partner run in the Runs page link', () => {
    const href = runEpisodesHref('map', { id: 'v-s0-rl', file: 'eval-ood-step000200.jsonl', vs: 'v-s0-sft' });
    expect(href).toBe('#/map?run=v-s0-rl&file=eval-ood-step000200.jsonl&vs=v-s0-sft');
    expect(runEpisodesFromHash(href, 'map')).toEqual({ id: 'v-s0-rl', file: 'eval-ood-step000200.jsonl', vs: 'v-s0-sft' });
    expect(runEpisodesFromHash('#/map?run=a&file=b.jsonl', 'map')).toEqual({ id: 'a', file: 'b.jsonl' });
  });
});

describe('Figures presets for V-IRL runs', () => {
  it('plot per-step accuracy when every run is V-IRL, success otherwise, or the measure asked for', () => {
    expect(presetMeasureFor(['VirlNav-v0', 'VirlNav-v0'])).toBe('per_step_accuracy');
    expect(presetMeasureFor(['VirlNav-v0', 'GeneralPoints-v0'])).toBe('success');
    expect(presetMeasureFor([])).toBe('success');
    const base = defaultViewSpec();
    expect(paperCurvesPreset(['a'], base, 'per_step_accuracy').metrics).toEqual(['eval/id/per_step_accuracy', 'eval/ood/per_step_accuracy']);
    expect(paperCurvesPreset(['a'], base).metrics).toEqual(['eval/id/success', 'eval/ood/success']);
    expect(paperOodChangePreset(['a'], base, 'per_step_accuracy').metrics).toEqual(['eval/ood/per_step_accuracy']);
  });
});
