/**
 * End to end (issue 11): launch the GP-VL visual preset at quick scale from the New experiment
 * page, see its three runs complete in real worker processes with card-recognition accuracy
 * logged, then open the RL agent's OOD evaluation (red suits) in the card inspector: each episode
 * shows the card image the model read beside the cards it named.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEpisodesJsonl } from '../../shared/api/episode';
import { listRuns } from '../../electron/runs/store';
import type { RunningServer } from '../../electron/serve';
import type { testContext } from '../helpers/api';
import { countCanvasPixels, screenshotPath } from '../helpers/browser';
import { openWorkbenchWithJobs } from '../helpers/workbench';

describe('GP-VL from the UI', () => {
  let page: Page;
  let close: () => Promise<void>;
  let server: RunningServer;
  let t: ReturnType<typeof testContext>;
  let pageErrors: string[];

  beforeAll(async () => {
    ({ t, server, page, close, pageErrors } = await openWorkbenchWithJobs({ viewport: { width: 1280, height: 1400 } }));
  });

  afterAll(async () => close?.());

  it('launches gp-visual at quick scale, logs recognition accuracy, and the card inspector shows what the RL agent read', async () => {
    await page.goto(`${server.url}#/new`);
    await page.locator('[data-preset="gp-visual"]').click();
    await expect.poll(() => page.locator('input[name="image.width"]').inputValue()).toBe('96');
    // Fewer steps than quick scale: the pipeline, not the numbers.
    for (const [name, v] of [['base.steps', '2'], ['base.multiTurnSteps', '1'], ['initSft.steps', '1'], ['sft.steps', '2'], ['rl.steps', '2']] as const) await page.locator(`input[name="${name}"]`).fill(v);
    expect(await page.locator('input[name="quick"]').isChecked()).toBe(true);
    await page.getByTestId('launch').click();
    await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
    await page.getByTestId('jobs-counts').getByText(/^0 running · 0 queued · 3 done/).waitFor({ timeout: 540_000 });
    const runs = listRuns(t.dataDir);
    expect(runs.map((r) => r.method).sort()).toEqual(['init', 'rl', 'sft']);
    expect(runs.every((r) => r.status === 'completed' && r.task === 'GeneralPoints-v0')).toBe(true);
    const rl = runs.find((r) => r.method === 'rl')!;
    // Every evaluation logs recognition accuracy for ID and OOD (red suits in the visual variant).
    const evals = fs.readFileSync(path.join(t.dataDir, rl.id, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).filter((m) => 'eval/ood/success' in m);
    expect(evals.length).toBeGreaterThan(0);
    for (const m of evals) for (const k of ['eval/id/recognition', 'eval/ood/recognition']) expect(typeof m[k], k).toBe('number');

    const file = 'eval-ood-step000002.jsonl';
    const episodes = parseEpisodesJsonl(fs.readFileSync(path.join(t.dataDir, rl.id, 'episodes', file), 'utf8')).episodes;
    expect(episodes.length).toBeGreaterThan(0);
    await page.evaluate(([run, f]) => (window.location.hash = `#/cards?run=${run}&file=${f}`), [rl.id, file]);
    await page.getByRole('heading', { name: 'Card inspector', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('episode-vision').count()).toBe(episodes.length);
    const canvas = page.getByTestId('episode-vision').first().getByTestId('card-image');
    expect(await canvas.getAttribute('width')).toBe('96');
    expect(await canvas.getAttribute('height')).toBe('48');
    // OOD in the visual variant is red suits: the image the model read holds red ink (198, 40, 40).
    const redInk = await countCanvasPixels(canvas, [198, 40, 40]);
    expect(redInk).toBeGreaterThan(20);
    const reads = episodes[0]!.steps.filter((s) => s.verdict !== 'over_limit');
    await expect.poll(() => page.getByTestId('episode-vision').first().getByTestId('cards-read').count()).toBe(reads.length);
    await page.screenshot({ path: screenshotPath('cards-gp-vl-agent'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 600_000);
});
