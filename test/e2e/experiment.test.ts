/**
 * End to end: launch a quick GeneralPoints experiment from the New experiment page, watch its
 * runs in the queue on the Runs page (the branches queued behind the init, then side by side),
 * and see all three complete — training in real worker processes.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobManager } from '../../electron/jobs/manager';
import { listRuns } from '../../electron/runs/store';
import type { RunningServer } from '../../electron/serve';
import type { testContext } from '../helpers/api';
import { screenshotPath } from '../helpers/browser';
import { openWorkbenchWithJobs } from '../helpers/workbench';

describe('launching an experiment from the UI', () => {
  let page: Page;
  let close: () => Promise<void>;
  let server: RunningServer;
  let jobs: JobManager;
  let t: ReturnType<typeof testContext>;

  beforeAll(async () => {
    ({ t, server, page, close, jobs } = await openWorkbenchWithJobs({ viewport: { width: 1280, height: 1400 } }));
  });

  afterAll(async () => close?.());

  it('shows the presets and a form generated from the config schema', async () => {
    await page.goto(`${server.url}#/new`);
    await page.getByRole('heading', { name: 'New experiment', level: 1 }).waitFor();
    await expect.poll(() => page.locator('[data-preset]').count()).toBe(7);
    // Every preset runs (V-IRL-VL too): none says it is not runnable.
    await expect.poll(() => page.locator('[data-preset="virl-vl-rule"]').count()).toBe(1);
    expect(await page.getByText(/Not runnable yet/).count()).toBe(0);
    // The verification-iterations preset (paper Fig. 10): its RL branches, one evaluation limit, a context for V = 10.
    await page.locator('[data-preset="gp-verification"]').click();
    await expect.poll(() => page.locator('input[name="model.context"]').inputValue()).toBe('216');
    for (const b of ['rl-v1', 'rl-v3', 'rl-v5', 'rl-v10']) expect(await page.locator(`input[name="branches.${b}"]`).isChecked()).toBe(true);
    expect(await page.locator('input[name="branches.sft"]').isChecked()).toBe(false);
    expect(await page.locator('input[name="eval.verificationLimit"]').inputValue()).toBe('10');
    await page.locator('[data-preset="gp-rule"]').click();
    await expect.poll(() => page.locator('input[name="model.context"]').inputValue()).toBe('80');
    // RL without the initial SFT says what it is when there is no initial SFT to skip.
    await page.locator('input[name="initSft.steps"]').fill('0');
    await page.locator('input[name="branches.rl-no-sft"]').check();
    await expect.poll(() => page.getByTestId('plan-note').textContent()).toMatch(/rl-no-sft starts from the same checkpoint as rl because initSft.steps is 0/);
    await page.locator('input[name="initSft.steps"]').fill('25');
    await expect.poll(() => page.getByTestId('plan-note').count()).toBe(0);
    // Back to the gp-rule preset as shipped (choosing a preset resets the form).
    await page.locator('[data-preset="gp-verification"]').click();
    await expect.poll(() => page.locator('input[name="model.context"]').inputValue()).toBe('216');
    await page.locator('[data-preset="gp-rule"]').click();
    await expect.poll(() => page.locator('input[name="branches.rl-no-sft"]').isChecked()).toBe(false);
    // A bad value is caught by the schema before launch.
    await page.locator('input[name="model.heads"]').fill('5');
    await page.getByText('heads must divide width').waitFor();
    expect(await page.getByTestId('launch').isDisabled()).toBe(true);
    await page.locator('input[name="model.heads"]').fill('4');
    expect(await page.getByTestId('launch').isDisabled()).toBe(false);
    await page.screenshot({ path: screenshotPath('new-experiment') });
  });

  it('refuses a bad seed list before launching', async () => {
    await page.locator('input[name="seeds"]').fill('3-1');
    await page.getByTestId('launch').click();
    await expect(page.getByTestId('launch-message').textContent()).resolves.toMatch(/seed range "3-1" runs backwards/);
    expect(jobs.list()).toHaveLength(0);
    await page.locator('input[name="seeds"]').fill('');
  });

  it('shows the image block of a vision-language preset, and names a channel list the encoder cannot use', async () => {
    await page.locator('[data-preset="gp-visual"]').click();
    const channels = page.locator('input[name="image.channels"]');
    await expect.poll(() => channels.inputValue()).toBe('16, 32, 32');
    expect(await page.locator('input[name="image.gridW"]').inputValue()).toBe('12');
    await channels.fill('16, 32, 32, 32, 32');
    await page.getByText('5 stride-2 convs need an image divisible by 32; 96×48 is not').waitFor();
    expect(await page.getByTestId('launch').isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('new-experiment-gp-visual') });
    // Back to the language preset: no image block.
    await page.locator('[data-preset="gp-rule"]').click();
    await expect.poll(() => page.locator('input[name="image.channels"]').count()).toBe(0);
    expect(await page.getByTestId('launch').isDisabled()).toBe(false);
  });

  it('launches a quick run: the branches queue behind the init, then run side by side, and all complete', async () => {
    expect(await page.locator('input[name="quick"]').isChecked()).toBe(true);
    await page.getByTestId('launch').click();
    await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
    await page.getByTestId('jobs-panel').waitFor();
    // The init runs; its branches wait for it, and say so.
    const queued = page.getByTestId('jobs-queued');
    await queued.locator('.job[data-run-id$="-sft"]').getByText(/waits for .*-init/).waitFor();
    await queued.locator('.job[data-run-id$="-rl"]').getByText(/waits for .*-init/).waitFor();
    await page.getByTestId('jobs-running').locator('.job[data-run-id$="-init"]').waitFor();
    await page.screenshot({ path: screenshotPath('runs-job-queue') });
    // Two slots: once the init completed, both branches run at once, each with its own progress and memory.
    const running = page.getByTestId('jobs-running');
    await running.locator('.job[data-run-id$="-sft"]').waitFor({ timeout: 120_000 });
    await running.locator('.job[data-run-id$="-rl"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('jobs-done').locator('.job[data-run-id$="-init"][data-job-status="completed"]').waitFor();
    await running.locator('.job-progress').first().waitFor({ timeout: 60_000 });
    await running.locator('.job-memory').first().getByText(/\d+ MB/).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('runs-job-progress') });
    await page.getByTestId('jobs-counts').getByText(/^0 running · 0 queued · 3 done/).waitFor({ timeout: 180_000 });
    const runs = listRuns(t.dataDir);
    expect(runs.map((r) => r.method).sort()).toEqual(['init', 'rl', 'sft']);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    expect(jobs.list().map((j) => j.status)).toEqual(['completed', 'completed', 'completed']);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('tr[data-run-id$="-rl"]').click();
    await page.getByTestId('run-details').getByText('eval/ood/success', { exact: true }).waitFor();
    await page.screenshot({ path: screenshotPath('runs-after-experiment'), fullPage: true });
  }, 360_000);
});
