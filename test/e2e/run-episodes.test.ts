/**
 * End to end: from a run's episode files on the Runs page into the viewers (browser mode, Chromium).
 * A GeneralPoints run opens in the card inspector's episode browser, a V-IRL run in the map
 * viewer's episodes-file source, and a link to a file the run lacks shows a clear error.
 * Screenshots land in test-output/screenshots/run-episodes-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli';
import { createRun, writeFileAtomic } from '../../electron/runs/store';
import type { RunningServer } from '../../electron/serve';
import { parseEpisodesJsonl } from '../../shared/api/episode';
import type { RunManifest } from '../../shared/api/runs';
import type { testContext } from '../helpers/api';
import { countCanvasPixels, screenshotPath } from '../helpers/browser';
import { openWorkbench } from '../helpers/workbench';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../shared/util/rng';
import { rollout } from '../../electron/ml/engine/rollout';
import { disposeModel } from '../../electron/ml/model';
import { tinyVlModel, vlTask } from '../unit/ml/engine/vl-fixtures';

const quiet = { out: () => {}, err: (l: string) => console.error(l) };
const GP_FILE = 'eval-ood-step000400.jsonl';
const VIRL_FILE = 'eval-id-step000200.jsonl';
const VL_FILE = 'eval-ood-step000010.jsonl';

function manifest(id: string, task: string, createdAt: string): RunManifest {
  return { format: 1, id, name: id, createdAt, updatedAt: createdAt, status: 'completed', task, method: 'rl', seed: 1, config: {}, versions: {} };
}

describe('run episodes opened from the Runs page', () => {
  let browser: Browser;
  let page: Page;
  let server: RunningServer;
  let t: ReturnType<typeof testContext>;
  let gpText: string;
  let virlText: string;
  let vlText: string;
  let pageErrors: string[] = [];
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, server, browser, page, pageErrors, close } = await openWorkbench({
      viewport: { width: 1280, height: 1400 },
      prepare: async (ctx) => {
        t = ctx;
        const scratch = (name: string) => path.join(t.dataDir, '..', name);
        // Real records from the CLI (solved expert and mostly failed random episodes), stored in the
        // run folders the way the experiment runner stores its evaluations.
        expect(await main(['gp', 'episodes', '--policy', 'expert', '--n', '3', '--seed', '100', '--out', scratch('expert.jsonl')], quiet)).toBe(0);
        expect(await main(['gp', 'episodes', '--policy', 'random', '--n', '6', '--seed', '200', '--rule', 'face11-13', '--limit', '3', '--out', scratch('random.jsonl')], quiet)).toBe(0);
        gpText = fs.readFileSync(scratch('expert.jsonl'), 'utf8') + fs.readFileSync(scratch('random.jsonl'), 'utf8');
        const gpDir = createRun(t.dataDir, manifest('gp-rule-rl-s1', 'GeneralPoints-v0', '2026-11-20T10:00:00Z'));
        writeFileAtomic(path.join(gpDir, 'episodes', GP_FILE), gpText);
        expect(await main(['virl', 'episodes', '--policy', 'random', '--count', '3', '--seed', '4', '--out', scratch('virl.jsonl')], quiet)).toBe(0);
        virlText = fs.readFileSync(scratch('virl.jsonl'), 'utf8');
        const virlDir = createRun(t.dataDir, manifest('virl-rule-rl-s1', 'VirlNav-v0', '2026-11-20T09:00:00Z'));
        writeFileAtomic(path.join(virlDir, 'episodes', VIRL_FILE), virlText);
        // A GP-VL agent's evaluation on red cards (a tiny untrained policy: the episodes are real, the readings mostly wrong).
        await tf.setBackend('cpu');
        const { model } = tinyVlModel(4);
        const specs = [1, 2, 3].map((seed) => ({ seed, variant: { rule: 'face10', colors: 'red', vision: true }, split: 'ood' as const }));
        const played = rollout(model, vlTask, { episodes: specs, verificationLimit: 2, temperature: 1, rng: createRng(2), actor: { kind: 'checkpoint', name: 'gp-visual-rl-s1@10', step: 10 } });
        disposeModel(model);
        vlText = played.episodes.map((e) => JSON.stringify(e.record)).join('\n') + '\n';
        writeFileAtomic(path.join(createRun(t.dataDir, manifest('gp-visual-rl-s1', 'GeneralPoints-v0', '2026-11-20T08:00:00Z')), 'episodes', VL_FILE), vlText);
      },
    }));
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
  });

  afterAll(async () => close?.());

  it('opens a GeneralPoints run file in the card inspector episode browser', async () => {
    const { episodes } = parseEpisodesJsonl(gpText);
    const solved = episodes.filter((e) => e.success).length;
    expect(episodes).toHaveLength(9);
    await page.locator('tr[data-run-id="gp-rule-rl-s1"]').click();
    const link = page.getByRole('link', { name: `Open ${GP_FILE} in card inspector` });
    await link.waitFor();
    expect(await link.textContent()).toBe('Open in card inspector');
    await page.screenshot({ path: screenshotPath('run-episodes-runs'), fullPage: true });
    await link.click();

    await page.getByRole('heading', { name: 'Card inspector', level: 1 }).waitFor();
    expect(page.url()).toContain(`#/cards?run=gp-rule-rl-s1&file=${GP_FILE}`);
    await page.getByTestId('episodes-summary').waitFor();
    expect(await page.getByRole('tab', { name: 'Episode browser' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.getByTestId('episodes-summary').textContent()).toBe(
      `gp-rule-rl-s1 / ${GP_FILE}: ${episodes.length} GeneralPoints episodes, ${solved} solved (${Math.round((100 * solved) / episodes.length)}%)`,
    );
    await expect.poll(() => page.getByTestId('episode').count()).toBe(episodes.length);
    // The same filters as for a picked file apply.
    await page.locator('label:has(input[name="outcome"][value="solved"])').click();
    await expect.poll(() => page.getByTestId('episode').count()).toBe(solved);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.screenshot({ path: screenshotPath('run-episodes-cards'), fullPage: true });
  });

  it('shows a GP-VL agent\'s episodes with the image the model saw beside the cards it read', async () => {
    const { episodes } = parseEpisodesJsonl(vlText);
    await page.evaluate((file) => (window.location.hash = `#/cards?run=gp-visual-rl-s1&file=${file}`), VL_FILE);
    await expect.poll(() => page.getByTestId('episode').count()).toBe(episodes.length);
    await expect.poll(() => page.getByTestId('episode-vision').count()).toBe(episodes.length);
    const first = page.getByTestId('episode-vision').first();
    const canvas = first.getByTestId('card-image');
    expect(await canvas.getAttribute('width')).toBe('48');
    expect(await canvas.getAttribute('height')).toBe('24');
    // The canvas holds the red card image: some pixels are the red ink (198, 40, 40).
    const redInk = await countCanvasPixels(canvas, [198, 40, 40]);
    expect(redInk).toBeGreaterThan(20);
    const reads = episodes[0]!.steps.filter((s) => s.verdict !== 'over_limit');
    await expect.poll(() => first.getByTestId('cards-read').count()).toBe(reads.length);
    const right = reads[0]!.verdict !== 'wrong_cards';
    expect(await first.getByTestId('cards-read').first().getAttribute('data-right')).toBe(String(right));
    await page.screenshot({ path: screenshotPath('run-episodes-cards-vl'), fullPage: true });
  });

  it('shows a clear error when the link names a file the run does not have', async () => {
    await page.evaluate(() => (window.location.hash = '#/cards?run=gp-rule-rl-s1&file=eval-id-step000999.jsonl'));
    const alert = page.getByTestId('episode-browser').getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('cannot open eval-id-step000999.jsonl of run gp-rule-rl-s1: run "gp-rule-rl-s1" has no episodes file "eval-id-step000999.jsonl"');
    await page.evaluate(() => (window.location.hash = '#/cards?run=gp-rule-rl-s1&file=..%2Frun.json'));
    await alert.filter({ hasText: 'bare .jsonl file name' }).waitFor();
    await page.screenshot({ path: screenshotPath('run-episodes-cards-error'), fullPage: true });
  });

  it('opens a V-IRL run file in the map viewer episodes source', async () => {
    const { episodes } = parseEpisodesJsonl(virlText);
    expect(episodes).toHaveLength(3);
    await page.locator('a[data-nav="runs"]').click();
    await page.locator('tr[data-run-id="virl-rule-rl-s1"]').click();
    await page.getByRole('link', { name: `Open ${VIRL_FILE} in map viewer` }).click();

    await page.getByRole('heading', { name: 'Map viewer', level: 1 }).waitFor();
    await page.getByTestId('episodes-file').waitFor();
    expect(await page.getByRole('tab', { name: 'Episodes file' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.getByTestId('episodes-file').textContent()).toBe(`virl-rule-rl-s1 / ${VIRL_FILE}: 3 replayable`);
    await expect.poll(() => page.locator('select[name="episode"] option').count()).toBe(3);
    await page.getByTestId('pane-origin').filter({ hasText: `virl-rule-rl-s1 / ${VIRL_FILE} #1` }).waitFor();
    await page.screenshot({ path: screenshotPath('run-episodes-map'), fullPage: true });

    // A link to a file the run lacks, followed on the same page (hashchange), names it in the source panel.
    await page.evaluate(() => (window.location.hash = '#/map?run=virl-rule-rl-s1&file=eval-ood-step000200.jsonl'));
    await page.getByTestId('source-error').waitFor();
    expect(await page.getByTestId('source-error').textContent()).toBe('cannot open eval-ood-step000200.jsonl of run virl-rule-rl-s1: run "virl-rule-rl-s1" has no episodes file "eval-ood-step000200.jsonl"');
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
