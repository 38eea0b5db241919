/**
 * End to end (issue 11): launch the V-IRL-VL visual preset at quick scale from the New experiment
 * page, see its three runs complete in real worker processes, then replay the RL agent's OOD
 * evaluation in the map viewer: each step shows the street-view grid the model read, pixel for
 * pixel, and a blind evaluation (`sftrl eval --blind`) says its model read a zeroed image.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEpisodesJsonl } from '../../shared/api/episode';
import { cityScene, generateCity } from '../../shared/tasks/virl/city';
import { renderStreetViews } from '../../shared/tasks/virl/render/views';
import { main } from '../../electron/cli';
import { listRuns } from '../../electron/runs/store';
import type { RunningServer } from '../../electron/serve';
import type { testContext } from '../helpers/api';
import { screenshotPath } from '../helpers/browser';
import { openWorkbenchWithJobs } from '../helpers/workbench';
import fs from 'node:fs';

describe('V-IRL-VL from the UI', () => {
  let page: Page;
  let close: () => Promise<void>;
  let server: RunningServer;
  let t: ReturnType<typeof testContext>;
  let pageErrors: string[];

  beforeAll(async () => {
    ({ t, server, page, close, pageErrors } = await openWorkbenchWithJobs({ viewport: { width: 1280, height: 1400 } }));
  });

  afterAll(async () => close?.());

  it('launches virl-visual at quick scale, and the map viewer replays the RL agent with the grids it read', async () => {
    await page.goto(`${server.url}#/new`);
    await page.locator('[data-preset="virl-visual"]').click();
    await expect.poll(() => page.locator('input[name="image.channels"]').inputValue()).toBe('16, 32, 32');
    expect(await page.locator('input[name="image.width"]').inputValue()).toBe('64');
    // Fewer steps than quick scale: the pipeline, not the numbers.
    for (const [name, v] of [['base.steps', '2'], ['base.multiTurnSteps', '1'], ['initSft.steps', '1'], ['sft.steps', '2'], ['rl.steps', '2']] as const) await page.locator(`input[name="${name}"]`).fill(v);
    expect(await page.locator('input[name="quick"]').isChecked()).toBe(true);
    await page.getByTestId('launch').click();
    await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
    await page.getByTestId('jobs-counts').getByText(/^0 running · 0 queued · 3 done/).waitFor({ timeout: 540_000 });
    const runs = listRuns(t.dataDir);
    expect(runs.every((r) => r.status === 'completed' && r.task === 'VirlNav-v0')).toBe(true);
    const rl = runs.find((r) => r.method === 'rl')!;
    const file = 'eval-ood-step000002.jsonl';
    const episodes = parseEpisodesJsonl(fs.readFileSync(path.join(t.dataDir, rl.id, 'episodes', file), 'utf8')).episodes;
    expect(episodes.length).toBeGreaterThan(0);

    await page.evaluate(([run, f]) => (window.location.hash = `#/map?run=${run}&file=${f}`), [rl.id, file]);
    await page.getByRole('heading', { name: 'Map viewer', level: 1 }).waitFor();
    await page.getByTestId('pane-origin').filter({ hasText: `${rl.id} / ${file} #1` }).waitFor();
    await page.waitForFunction(() => (document.querySelector('[data-testid="views-canvas"]') as HTMLCanvasElement | null)?.width === 64);
    // The canvas holds exactly the grid the model read at the first step (re-rendered from the record).
    const ep = episodes[0]!;
    const info = ep.steps[0]!.info as { position: { x: number; y: number }; heading: number };
    const want = renderStreetViews(cityScene(generateCity(String(ep.variant.city))), info.position, info.heading, { viewSize: 32, gap: 0, layout: 'prompt' });
    const got = await page.getByTestId('views-canvas').evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data));
    const rgb = got.filter((_, i) => i % 4 !== 3);
    expect(rgb).toEqual(Array.from(want.data));
    expect(await page.getByTestId('views-caption').textContent()).toMatch(/64×64 px \(what the model saw\)$/);
    await page.screenshot({ path: screenshotPath('map-virl-vl-agent'), fullPage: true });

    // The blind ablation's episodes say the model read a zeroed image.
    const quiet = { out: () => {}, err: () => {} };
    expect(await main(['eval', '--run', path.join(t.dataDir, rl.id), '--episodes', '2', '--seed', '3', '--backend', 'wasm', '--blind'], quiet)).toBe(0);
    await page.evaluate(([run]) => (window.location.hash = `#/map?run=${run}&file=blind-final-id-seed3.jsonl`), [rl.id]);
    await page.getByTestId('pane-origin').filter({ hasText: 'blind-final-id-seed3.jsonl #1' }).waitFor();
    await expect.poll(() => page.getByTestId('views-caption').textContent()).toMatch(/blind evaluation, the model read a zeroed \(black\) image instead$/);
    expect(pageErrors).toEqual([]);
  }, 600_000);
});
