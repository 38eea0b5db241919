/**
 * End to end: a quick sweep submitted to the local Slurm cluster (scripts/slurm-local.sh) shows
 * up on the Runs page grouped, with each array task's Slurm state, and moves on live to
 * completion without a reload; on the Figures page one click selects the sweep's runs.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli';
import type { RunningServer } from '../../electron/serve';
import type { testContext } from '../helpers/api';
import { screenshotPath } from '../helpers/browser';
import { slurmMissing } from '../helpers/slurm';
import { openWorkbench } from '../helpers/workbench';

const missing = slurmMissing();
if (missing && process.env.SFTRL_REQUIRE_SLURM === '1') throw new Error(`SFTRL_REQUIRE_SLURM=1 but ${missing}`);

describe.skipIf(missing !== null)(`a Slurm sweep on the Runs and Figures pages${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let page: Page;
  let close: () => Promise<void>;
  let server: RunningServer;
  let t: ReturnType<typeof testContext>;
  let sweepId = '';
  const savedConfig = process.env.SFTRL_CONFIG_DIR;

  beforeAll(async () => {
    ({ t, server, page, close } = await openWorkbench({ viewport: { width: 1400, height: 1400 } }));
    // The tasks inherit this environment from sbatch: their settings stay in the test's folders.
    process.env.SFTRL_CONFIG_DIR = path.join(t.configDir, 'tasks');
  });

  afterAll(async () => {
    if (savedConfig === undefined) delete process.env.SFTRL_CONFIG_DIR;
    else process.env.SFTRL_CONFIG_DIR = savedConfig;
    await close?.();
  });

  it('lists the sweep\'s runs grouped with their Slurm states, live until they complete', async () => {
    await page.goto(`${server.url}#/runs`);
    await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
    const out: string[] = [];
    const code = await main(['sweep', 'submit', '--preset', 'gp-rule', '--quick', '--seeds', '0', '--branches', 'sft,rl', '--set', 'base.steps=2,base.multiTurnSteps=0,initSft.steps=0,sft.steps=2,rl.steps=2',
      '--executor', 'slurm', '--backend', 'wasm', '--out', t.dataDir,
      // Held until the page has shown the waiting tasks: a quick sweep can otherwise finish between two polls.
      '--sbatch', '--hold'], { out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(code, out.join('\n')).toBe(0);
    sweepId = /^sweep (\S+):/m.exec(out.join('\n'))?.[1] as string;
    // The page was open before the sweep existed: it finds it on its own.
    const card = page.locator(`[data-sweep-id="${sweepId}"]`);
    await card.waitFor({ timeout: 30_000 });
    await expect.poll(() => card.locator('tr[data-run-id]').count()).toBe(3);
    // Slurm's states are shown per run while the sweep waits…
    await expect.poll(() => card.locator('tr[data-slurm-state="PENDING"]').count(), { timeout: 60_000 }).toBe(3);
    const jobIds = [...out.join('\n').matchAll(/Slurm array (\d+)/g)].map((m) => m[1] as string);
    expect(jobIds).toHaveLength(3);
    execFileSync('scontrol', ['release', ...jobIds]);
    // …and followed to the end without reloading the page.
    await expect.poll(() => card.locator('tr[data-status="completed"][data-slurm-state="COMPLETED"]').count(), { timeout: 180_000, interval: 500 }).toBe(3);
    await expect.poll(() => card.textContent()).toMatch(/3 completed/);
    // The runs table beside it names each run's sweep.
    await expect.poll(() => page.locator(`[data-testid="runs-table"] tr[data-run-id^="${sweepId}"]`).count()).toBe(3);
    await page.screenshot({ path: screenshotPath('runs-sweep') });
  }, 240_000);

  it('selects the sweep\'s runs on the Figures page in one click', async () => {
    await page.goto(`${server.url}#/figures`);
    const picker = page.getByTestId('figure-sweeps');
    await picker.waitFor();
    await expect.poll(() => picker.getByTestId('sweep-states').textContent()).toMatch(/Slurm: 3 COMPLETED/);
    await picker.getByRole('button', { name: 'Select its 3 runs' }).click();
    await expect.poll(() => page.locator('.fig-runs-head').textContent()).toMatch(/3 selected of 3/);
    await expect.poll(() => page.getByTestId('figure-canvas').getAttribute('data-traces')).not.toBe('0');
  }, 120_000);
});
