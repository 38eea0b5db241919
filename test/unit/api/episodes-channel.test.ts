/** `runs:episodes` through dispatch: a run's episodes file read back whole, and every way out refused. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/api/dispatch';
import { main } from '../../../electron/cli';
import { createRun, writeFileAtomic } from '../../../electron/runs/store';
import { MAX_RUN_EPISODES_BYTES } from '../../../shared/api/channels/episodes';
import { parseEpisodesJsonl } from '../../../shared/api/episode';
import { testContext } from '../../helpers/api';

const FILE = 'eval-ood-step000400.jsonl';
const quiet = { out: () => {}, err: (l: string) => console.error(l) };

describe('runs:episodes', () => {
  let t: ReturnType<typeof testContext>;
  let dir: string;
  let text: string;

  beforeEach(async () => {
    t = testContext();
    dir = createRun(t.dataDir, {
      format: 1, id: 'gp-rl-s1', name: 'gp · RL · seed 1', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
      status: 'completed', task: 'GeneralPoints-v0', method: 'rl', seed: 1, config: {}, versions: {},
    });
    // Real records from the CLI, stored the way the experiment runner stores its evaluations.
    const scratch = path.join(t.dataDir, '..', 'scratch.jsonl');
    expect(await main(['gp', 'episodes', '--policy', 'random', '--n', '4', '--seed', '7', '--out', scratch], quiet)).toBe(0);
    text = fs.readFileSync(scratch, 'utf8');
    writeFileAtomic(path.join(dir, 'episodes', FILE), text);
    // A secret beside the data directory that no request may reach.
    fs.writeFileSync(path.join(t.dataDir, '..', 'secret.jsonl'), 'secret\n');
  });
  afterEach(() => t.cleanup());

  it('returns the file name and its text, which parses into the episodes written', async () => {
    const r = await dispatch(t.ctx, 'runs:episodes', { id: 'gp-rl-s1', file: FILE });
    expect(r).toEqual({ ok: true, data: { fileName: FILE, text } });
    const { episodes, errors } = parseEpisodesJsonl(text);
    expect(errors).toEqual([]);
    expect(episodes).toHaveLength(4);
    expect(episodes.every((e) => e.envId.startsWith('GeneralPoints'))).toBe(true);
  });

  it('refuses traversal in the file name before touching the disk', async () => {
    for (const file of ['../run.json', '../../secret.jsonl', '..%2fsecret.jsonl', 'episodes/../../secret.jsonl', '/tmp/secret.jsonl']) {
      const r = await dispatch(t.ctx, 'runs:episodes', { id: 'gp-rl-s1', file });
      expect(r, file).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    const r = await dispatch(t.ctx, 'runs:episodes', { id: '..', file: 'secret.jsonl' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('does not follow a symlink planted in the episodes folder', async () => {
    fs.symlinkSync(path.join(t.dataDir, '..', 'secret.jsonl'), path.join(dir, 'episodes', 'link.jsonl'));
    const r = await dispatch(t.ctx, 'runs:episodes', { id: 'gp-rl-s1', file: 'link.jsonl' });
    expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(!r.ok && r.error.message).not.toContain('secret\n');
  });

  it('reports a missing file and a missing run as not_found, naming them', async () => {
    const file = await dispatch(t.ctx, 'runs:episodes', { id: 'gp-rl-s1', file: 'eval-id-step000400.jsonl' });
    expect(file).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(!file.ok && file.error.message).toBe('run "gp-rl-s1" has no episodes file "eval-id-step000400.jsonl"');
    const run = await dispatch(t.ctx, 'runs:episodes', { id: 'nope', file: FILE });
    expect(run).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(!run.ok && run.error.message).toContain('no run "nope"');
    expect(fs.existsSync(path.join(t.dataDir, 'nope'))).toBe(false);
  });

  it('refuses a file over the cap with its name and size', async () => {
    const big = path.join(dir, 'episodes', 'eval-big.jsonl');
    // Sparse: the size is what is checked, so the test writes no 20 MB of data.
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_RUN_EPISODES_BYTES + 1024 * 1024);
    const r = await dispatch(t.ctx, 'runs:episodes', { id: 'gp-rl-s1', file: 'eval-big.jsonl' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(!r.ok && r.error.message).toMatch(/^episodes\/eval-big\.jsonl of run "gp-rl-s1" is 21\.0 MB; the viewers open run files up to 20\.0 MB/);
  });
});
