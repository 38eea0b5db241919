/**
 * End to end: browser mode served for real, opened in Debian Chromium. Navigates every page,
 * changes settings through the UI and reads them back, and checks the refused requests.
 * Screenshots of each page land in test-output/screenshots/.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun, appendMetrics } from '../../electron/runs/store';
import type { RunningServer } from '../../electron/serve';
import { ROUTES } from '../../renderer/src/routes';
import type { testContext } from '../helpers/api';
import { screenshotPath } from '../helpers/browser';
import { openWorkbench } from '../helpers/workbench';

describe('workbench shell in Chromium (browser mode)', () => {
  let browser: Browser;
  let page: Page;
  let server: RunningServer;
  let t: ReturnType<typeof testContext>;
  let pageErrors: string[] = [];
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, server, browser, page, pageErrors, close } = await openWorkbench({
      viewport: { width: 1280, height: 800 },
      prepare: (ctx) => {
        const dir = createRun(ctx.dataDir, {
          format: 1, id: 'gp-rule-rl-s1', name: 'gp-rule · RL · seed 1', createdAt: '2026-11-20T10:00:00Z', updatedAt: '2026-11-20T11:00:00Z',
          status: 'completed', task: 'GeneralPoints-v0', method: 'rl', seed: 1, config: {}, versions: {},
        });
        appendMetrics(dir, { step: 50, 'eval/id/success': 0.42, 'eval/ood/success': 0.11 });
        fs.mkdirSync(path.join(ctx.dataDir, 'half-written'));
        fs.writeFileSync(path.join(ctx.dataDir, 'half-written', 'run.json'), '{"format": 1, "id": "half');
      },
    }));
  });

  afterAll(async () => close?.());

  it('opens with the token, hides it from the address bar, and lists runs from the store', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
    expect(page.url()).not.toContain('token=');
    const table = page.getByTestId('runs-table');
    await expect.poll(() => table.getByText('gp-rule · RL · seed 1').isVisible()).toBe(true);
    await expect.poll(() => table.getByText('unreadable').isVisible()).toBe(true);
    await page.locator('tr[data-run-id="gp-rule-rl-s1"]').click();
    await page.getByTestId('run-details').getByText('eval/ood/success').waitFor();
    await expect(page.getByTestId('backend-status').textContent()).resolves.toContain('cpu');
    await page.screenshot({ path: screenshotPath('runs'), fullPage: true });
  });

  it('navigates to every page', async () => {
    for (const route of ROUTES) {
      await page.locator(`a[data-nav="${route.id}"]`).click();
      await page.getByRole('heading', { name: route.title, level: 1 }).waitFor();
      expect(page.url()).toContain(`#/${route.id}`);
      await page.screenshot({ path: screenshotPath(`page-${route.id}`), fullPage: true });
    }
  });

  it('changes settings in the UI, persists them, and reads them back after a reload', async () => {
    await page.locator('a[data-nav="settings"]').click();
    await page.locator('input[name="theme"][value="dark"]').check();
    await page.locator('select[name="backend"]').selectOption('wasm');
    // The Figures dashboard's defaults live here too.
    await page.locator('select[name="dashSmoothing"]').selectOption('savgol');
    await page.locator('input[name="dashSgWindow"]').fill('11');
    await page.locator('select[name="dashPalette"]').selectOption('tol-bright');
    await page.locator('input[name="dashColumns"]').fill('name, preset, method, seed');
    // Concurrent jobs: empty means one per core, and the field says how many that is.
    const jobsField = page.locator('input[name="concurrentJobs"]');
    expect(await jobsField.inputValue()).toBe('');
    await page.locator(`input[name="concurrentJobs"][placeholder="${os.availableParallelism()} (one per core)"]`).waitFor();
    await jobsField.fill('3');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('settings-message').textContent()).toBe('Settings saved.');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(t.ctx.settings.get()).toMatchObject({ theme: 'dark', backend: 'wasm', concurrentJobs: 3 });
    expect(t.ctx.settings.get().dashboard).toMatchObject({ smoothing: { kind: 'savgol', window: 11 }, palette: 'tol-bright', exportDir: null, columns: ['name', 'preset', 'method', 'seed'] });

    await page.reload();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.locator('select[name="backend"]').waitFor();
    expect(await page.locator('select[name="backend"]').inputValue()).toBe('wasm');
    expect(await page.locator('input[name="theme"][value="dark"]').isChecked()).toBe(true);
    expect(await page.locator('select[name="dashPalette"]').inputValue()).toBe('tol-bright');
    expect(await page.locator('input[name="concurrentJobs"]').inputValue()).toBe('3');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.screenshot({ path: screenshotPath('settings-dark'), fullPage: true });
    await page.locator('a[data-nav="runs"]').click();
    await page.getByTestId('runs-table').waitFor();
    await page.screenshot({ path: screenshotPath('runs-dark'), fullPage: true });
  });

  it('shows a bad setting as a readable error and keeps the saved value', async () => {
    await page.locator('a[data-nav="settings"]').click();
    await page.locator('input[name="dataDir"]').fill('relative/runs');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('settings-message').textContent()).toBe('settings:set: dataDir: path must be absolute');
    expect(t.ctx.settings.get().dataDir).toBe(t.dataDir);
  });

  it('refuses the API without the token and pages under a foreign Host', async () => {
    const noToken = await page.evaluate(async (port) => {
      return new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/api`);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      });
    }, server.port);
    expect(noToken).toBe('refused');

    // A DNS-rebinding page reaches us with its own name in Host (fetch cannot forge Host; http can).
    const status = await new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/', headers: { Host: `rebind.attacker.example:${server.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(status).toBe(403);

    const fresh = await browser.newPage();
    await fresh.goto(`http://127.0.0.1:${server.port}/`);
    await fresh.getByRole('alert').first().waitFor();
    expect(await fresh.getByRole('alert').first().textContent()).toMatch(/No access token/);
    await fresh.screenshot({ path: screenshotPath('no-token') });
    await fresh.close();
  });

  it('raised no errors in the page', () => {
    // The only expected console error is the deliberately refused token-less WebSocket above.
    expect(pageErrors.filter((e) => !/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/api' failed/.test(e))).toEqual([]);
  });
});
