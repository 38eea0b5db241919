/**
 * End to end: a real (tiny) virl-rule experiment trained by the engine — init, SFT and RL runs
 * with their evaluation episodes — replayed in the map viewer from the Runs page: the RL
 * checkpoint's OOD evaluation stepped through, then A/B against the SFT checkpoint on the same
 * routes (picked in the viewer and by the Runs page's A/B link), and the Figures presets on the
 * V-IRL runs' per-step accuracy. Screenshots land in test-output/screenshots/virl-replay-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../electron/serve';
import { parseEpisodesJsonl, type EpisodeRecord } from '../../shared/api/episode';
import type { testContext } from '../helpers/api';
import { screenshotPath } from '../helpers/browser';
import { writeEngineRuns } from '../helpers/engine-runs';
import { openWorkbench } from '../helpers/workbench';

const EXP = 'virl-rule-s0';
const RL = `${EXP}-rl`;
const SFT = `${EXP}-sft`;
const FILE = 'eval-ood-step000004.jsonl'; // the branches' last evaluation (4 steps)

describe('trained V-IRL agents replayed from the Runs page', () => {
  let browser: Browser;
  let page: Page;
  let server: RunningServer;
  let t: ReturnType<typeof testContext>;
  let pageErrors: string[] = [];
  let close: () => Promise<void>;
  let rl: EpisodeRecord[];
  let sft: EpisodeRecord[];

  const read = (run: string) => {
    const parsed = parseEpisodesJsonl(fs.readFileSync(path.join(t.dataDir, run, 'episodes', FILE), 'utf8'));
    expect(parsed.errors).toEqual([]);
    return parsed.episodes;
  };
  /** The SFT episode on the same route as RL's i-th: the viewer must show this one as B. */
  const sftOnRoute = (i: number) => {
    const j = sft.findIndex((e) => e.seed === rl[i]!.seed && JSON.stringify(e.initial.route) === JSON.stringify(rl[i]!.initial.route));
    expect(j).toBeGreaterThanOrEqual(0);
    return j;
  };
  const origin = (side: 'A' | 'B') => page.getByTestId(`pane-${side}`).getByTestId('pane-origin').textContent();
  const stepCount = () => page.getByTestId('step-count').textContent();

  beforeAll(async () => {
    ({ t, server, browser, page, pageErrors, close } = await openWorkbench({
      viewport: { width: 1500, height: 1300 },
      prepare: async (ctx) => {
        t = ctx;
        // The engine trains the graph at a tiny scale on the cpu backend (a few seconds).
        const { ids } = await writeEngineRuns(t.dataDir, { presets: ['virl-rule'], seeds: [0], steps: 4 });
        expect(ids).toEqual([`${EXP}-init`, SFT, RL]);
      },
    }));
    rl = read(RL);
    sft = read(SFT);
    // The same held-out routes in both branches' evaluations, in the relative action space.
    expect(rl.length).toBeGreaterThanOrEqual(3);
    for (const e of [...rl, ...sft]) expect(e).toMatchObject({ envId: 'VirlNav-v0', split: 'ood', variant: { actionSpace: 'relative' } });
    expect(sft.map((e) => e.seed).sort()).toEqual(rl.map((e) => e.seed).sort());
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
  });

  afterAll(async () => close?.());

  it('lists the RL run\'s evaluation files with a map viewer link and an A/B link to the SFT run', async () => {
    await page.locator(`tr[data-run-id="${RL}"]`).click();
    await page.getByRole('link', { name: `Open ${FILE} in map viewer` }).waitFor();
    // Only the sibling with a file of that name (the init run evaluates at its own last step).
    const ab = page.locator(`a[aria-label^="Compare ${FILE} with "]`);
    await expect.poll(() => ab.count()).toBe(1);
    expect(await ab.getAttribute('aria-label')).toBe(`Compare ${FILE} with ${SFT} in map viewer`);
    expect(await ab.textContent()).toBe('A/B with sft');
    await page.screenshot({ path: screenshotPath('virl-replay-runs'), fullPage: true });
  });

  it('opens the RL run\'s OOD evaluation in the map viewer and steps through the trained agent', async () => {
    await page.getByRole('link', { name: `Open ${FILE} in map viewer` }).click();
    await page.getByRole('heading', { name: 'Map viewer', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('episodes-file').textContent()).toBe(`${RL} / ${FILE}: ${rl.length} replayable`);
    const first = rl[0]!;
    await expect.poll(() => page.getByTestId('pane-origin').textContent()).toBe(`${RL} / ${FILE} #1 · ${first.actor.name}`);
    expect(first.actor).toMatchObject({ kind: 'checkpoint', runId: RL, step: 4 });
    await expect.poll(stepCount).toBe(`step 1 / ${first.steps.length}`);
    // What the pane shows is the record's: the expert's action at the point and the model's verdict.
    const info = (k: number) => first.steps[k]!.info as { expertAction: string };
    await expect.poll(() => page.getByTestId('expert-action').textContent()).toBe(info(0).expertAction);
    await expect.poll(() => page.getByTestId('verdict').count()).toBe(1);
    if (first.steps.length > 1) {
      await page.keyboard.press('ArrowRight');
      await expect.poll(stepCount).toBe(`step 2 / ${first.steps.length}`);
      await expect.poll(() => page.getByTestId('expert-action').textContent()).toBe(info(1).expertAction);
    }
    await page.keyboard.press('Home');
    await expect.poll(stepCount).toBe(`step 1 / ${first.steps.length}`);
    await page.screenshot({ path: screenshotPath('virl-replay-map'), fullPage: true });
  });

  it('A/Bs it against the SFT run\'s evaluation on the same route, B following A, next error in both panes', async () => {
    await page.locator('input[name="compare"]').check();
    await page.locator('select[name="partner"]').selectOption('run');
    // The sibling SFT run and the file of the same name are proposed.
    await expect.poll(() => page.locator('select[name="partnerRun"]').inputValue()).toBe(SFT);
    await expect.poll(() => page.locator('select[name="partnerFile"]').inputValue()).toBe(FILE);
    let j = sftOnRoute(0);
    await expect.poll(() => origin('B')).toBe(`${SFT} / ${FILE} #${j + 1} · ${sft[j]!.actor.name}`);
    expect(await origin('A')).toBe(`${RL} / ${FILE} #1 · ${rl[0]!.actor.name}`);

    // Another episode of A: B moves to the SFT episode on that route.
    await page.locator('select[name="episode"]').selectOption('1');
    await expect.poll(() => origin('A')).toBe(`${RL} / ${FILE} #2 · ${rl[1]!.actor.name}`);
    j = sftOnRoute(1);
    await expect.poll(() => origin('B')).toBe(`${SFT} / ${FILE} #${j + 1} · ${sft[j]!.actor.name}`);

    // Scrubbed together: as many steps as the longer episode; E visits every error of either pane.
    const a = rl[1]!;
    const b = sft[j]!;
    const count = Math.max(a.steps.length, b.steps.length);
    await expect.poll(stepCount).toBe(`step 1 / ${count}`);
    const errorsOf = (e: EpisodeRecord) => e.steps.flatMap((s, k) => (s.verdict === 'correct' ? [] : [k]));
    const errors = [...new Set([...errorsOf(a), ...errorsOf(b)])].sort((x, y) => x - y);
    expect(errors.length).toBeGreaterThan(0); // an untrained-scale agent errs
    await expect.poll(() => page.getByRole('button', { name: /^Next error/ }).textContent()).toBe(`Next error (${errors.length})`);
    // The keys act when no form field has the focus (the episode select has it now).
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    let at = 0;
    for (let n = 0; n < errors.length + 1; n++) {
      at = errors.find((e) => e > at) ?? errors[0]!;
      if (n % 2 === 0) await page.keyboard.press('e');
      else await page.getByRole('button', { name: /^Next error/ }).click();
      await expect.poll(stepCount).toBe(`step ${at + 1} / ${count}`);
      // Each pane shows its own step there (or its last one, once it has ended), with its verdict.
      for (const [side, rec] of [['A', a], ['B', b]] as const) {
        const s = rec.steps[Math.min(at, rec.steps.length - 1)]!;
        await expect.poll(() => page.getByTestId(`pane-${side}`).getByTestId('expert-action').textContent()).toBe((s.info as { expertAction: string }).expertAction);
        await expect.poll(() => page.getByTestId(`pane-${side}`).getByTestId('verdict').getAttribute('class')).toBe(s.verdict === 'correct' ? 'verdict ok' : 'verdict bad');
      }
    }
    await page.screenshot({ path: screenshotPath('virl-replay-ab'), fullPage: true });
  });

  it('opens the same A/B straight from the Runs page\'s A/B link', async () => {
    await page.locator('a[data-nav="runs"]').click();
    await page.locator(`tr[data-run-id="${RL}"]`).click();
    await page.locator(`a[aria-label="Compare ${FILE} with ${SFT} in map viewer"]`).click();
    await page.getByRole('heading', { name: 'Map viewer', level: 1 }).waitFor();
    expect(page.url()).toContain(`#/map?run=${RL}&file=${FILE}&vs=${SFT}`);
    await expect.poll(() => origin('A')).toBe(`${RL} / ${FILE} #1 · ${rl[0]!.actor.name}`);
    const j = sftOnRoute(0);
    await expect.poll(() => origin('B')).toBe(`${SFT} / ${FILE} #${j + 1} · ${sft[j]!.actor.name}`);
    expect(await page.locator('input[name="compare"]').isChecked()).toBe(true);
    expect(await page.locator('select[name="partnerRun"]').inputValue()).toBe(SFT);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await page.screenshot({ path: screenshotPath('virl-replay-ab-link'), fullPage: true });

    // A partner run that is not there is named in B's error; A stays.
    await page.evaluate((h) => (window.location.hash = h), `#/map?run=${RL}&file=${FILE}&vs=${EXP}-gone`);
    await page.getByRole('alert').filter({ hasText: `B: cannot open ${FILE} of run ${EXP}-gone` }).first().waitFor();
    await expect.poll(() => page.getByTestId('pane-B').count()).toBe(0);
    await expect.poll(() => page.getByTestId('pane').getByTestId('pane-origin').textContent()).toBe(`${RL} / ${FILE} #1 · ${rl[0]!.actor.name}`);
  });

  it('plots the V-IRL runs\' per-step accuracy with the Figures presets, and route success on request', async () => {
    await page.locator('a[data-nav="figures"]').click();
    await page.getByRole('heading', { name: 'Figures', level: 1 }).waitFor();
    await expect.poll(() => page.locator('[data-testid="figure-runs"] tbody tr').count()).toBe(3);
    const checked = () => page.locator('input[name="metric"]:checked').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    await page.getByTestId('preset-fig5').click();
    await expect.poll(checked).toEqual(['eval/id/per_step_accuracy', 'eval/ood/per_step_accuracy']);
    const legend = () => page.evaluate(() => Array.from(document.querySelectorAll('.legendtext'), (e) => e.textContent));
    await expect.poll(legend).toEqual(expect.arrayContaining(['rl', 'sft']));
    await page.screenshot({ path: screenshotPath('virl-replay-figures'), fullPage: true });
    await page.getByTestId('preset-fig6').click();
    await expect.poll(checked).toEqual(['eval/ood/per_step_accuracy']);
    await page.locator('select[name="presetMeasure"]').selectOption('success');
    await page.getByTestId('preset-fig5').click();
    await expect.poll(checked).toEqual(['eval/id/success', 'eval/ood/success']);
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
