/**
 * End to end: launch a quick GeneralPoints experiment from the New experiment page, watch its
 * progress on the Runs page, and see its three runs complete — training in a real worker process.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobEventBus } from '../../electron/jobs/events';
import { JobManager } from '../../electron/jobs/manager';
import { spawnNodeWorker } from '../../electron/jobs/spawn-node';
import { listRuns } from '../../electron/runs/store';
import type { RunningServer } from '../../electron/serve';
import type { testContext } from '../helpers/api';
import { screenshotPath } from '../helpers/browser';
import { openWorkbench } from '../helpers/workbench';

describe('launching an experiment from the UI', () => {
  let page: Page;
  let close: () => Promise<void>;
  let server: RunningServer;
  let jobs: JobManager;
  let t: ReturnType<typeof testContext>;

  beforeAll(async () => {
    const bus = new JobEventBus();
    jobs = new JobManager(bus, spawnNodeWorker);
    ({ t, server, page, close } = await openWorkbench({
      viewport: { width: 1280, height: 1400 },
      bus,
      prepare: (ctx) => {
        ctx.ctx.settings.set({ backend: 'wasm' });
        ctx.ctx.jobs = jobs;
      },
    }));
  });

  afterAll(async () => {
    jobs?.shutdown();
    await close?.();
  });

  it('shows the presets and a form generated from the config schema', async () => {
    await page.goto(`${server.url}#/new`);
    await page.getByRole('heading', { name: 'New experiment', level: 1 }).waitFor();
    await expect.poll(() => page.locator('[data-preset]').count()).toBe(4);
    await expect.poll(() => page.locator('[data-preset="gp-visual"]').textContent()).toMatch(/Not runnable yet/);
    // A bad value is caught by the schema before launch.
    await page.locator('input[name="model.heads"]').fill('5');
    await page.getByText('heads must divide width').waitFor();
    expect(await page.getByTestId('launch').isDisabled()).toBe(true);
    await page.locator('input[name="model.heads"]').fill('4');
    expect(await page.getByTestId('launch').isDisabled()).toBe(false);
    await page.screenshot({ path: screenshotPath('new-experiment') });
  });

  it('launches a quick run, shows live progress, and completes all runs', async () => {
    expect(await page.locator('input[name="quick"]').isChecked()).toBe(true);
    await page.getByTestId('launch').click();
    await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
    await page.getByTestId('jobs-panel').waitFor();
    await page.locator('.job-progress').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('runs-job-progress') });
    await page.locator('[data-job-status="completed"]').waitFor({ timeout: 180_000 });
    const runs = listRuns(t.dataDir);
    expect(runs.map((r) => r.method).sort()).toEqual(['init', 'rl', 'sft']);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('tr[data-run-id$="-rl"]').click();
    await page.getByTestId('run-details').getByText('eval/ood/success', { exact: true }).waitFor();
    await page.screenshot({ path: screenshotPath('runs-after-experiment'), fullPage: true });
  }, 240_000);
});
