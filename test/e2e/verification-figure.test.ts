/**
 * End to end: the "OOD gain vs verification iterations" preset (paper Fig. 10) on the Figures page
 * in Chromium, over REAL runs of the gp-verification experiment (its init and rl-v1, rl-v3, rl-v5
 * and rl-v10 branches, 2 seeds, trained by the engine at a tiny scale on the cpu backend): the
 * page draws one point per V with a seed CI, says at which compute the branches were read, and
 * exports the figure (PNG) and its data (CSV). Screenshots and exports land in test-output/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RENDERER_DIR, startServer, type RunningServer } from '../../electron/serve';
import { parseCsv } from '../../shared/figures/csv';
import { testContext } from '../helpers/api';
import { launchChromium, screenshotPath } from '../helpers/browser';
import { writeEngineRuns } from '../helpers/engine-runs';

const OUT = path.resolve('test-output', 'figures-verification');

describe('the verification-iterations figure (Fig. 10) in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let server: RunningServer;
  let t: ReturnType<typeof testContext>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DEFAULT_RENDERER_DIR, 'index.html'))) throw new Error('build the renderer first: npm run build:renderer');
    fs.rmSync(OUT, { recursive: true, force: true });
    fs.mkdirSync(OUT, { recursive: true });
    t = testContext();
    await writeEngineRuns(t.dataDir, { presets: ['gp-verification'], seeds: [0, 1], steps: 2 });
    server = await startServer({ ctx: t.ctx, port: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 }, acceptDownloads: true });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.cleanup();
  });

  const saveDownloads = async (action: () => Promise<void>, n: number): Promise<string[]> => {
    const got: Download[] = [];
    const done = new Promise<void>((resolve) => page.on('download', function on(d) { got.push(d); if (got.length === n) { page.off('download', on); resolve(); } }));
    await action();
    await done;
    return Promise.all(got.map(async (d) => { const f = path.join(OUT, d.suggestedFilename()); await d.saveAs(f); return f; }));
  };

  it('plots OOD gain against V at matched compute, one point per V with a CI over seeds, and exports it', async () => {
    await page.goto(`${server.url}#/figures`);
    await page.getByRole('heading', { name: 'Figures', level: 1 }).waitFor();
    await expect.poll(() => page.locator('[data-testid="figure-runs"] tbody tr').count()).toBe(10); // 2 seeds × (init + 4 branches)
    await page.getByTestId('preset-fig10').click();
    await page.waitForFunction(() => {
      const chart = document.querySelector('[data-testid="figure-chart"]') as unknown as { data?: { meta?: { role: string }; x: number[] }[] } | null;
      return (chart?.data ?? []).some((d) => d.meta?.role === 'points' && d.x.length === 4) && !document.querySelector('.fig-canvas [role="status"]');
    });
    const traces = await page.evaluate(() => (document.querySelector('[data-testid="figure-chart"]') as unknown as { data: { name: string; x: number[]; y: number[]; meta?: { role: string } }[] }).data);
    const points = traces.find((d) => d.meta?.role === 'points');
    expect(points?.name).toBe('gp-verification');
    expect(points?.x).toEqual([1, 3, 5, 10]);
    expect(await page.locator('select[name="kind"]').inputValue()).toBe('gain-vs');
    expect(await page.locator('select[name="xField"]').inputValue()).toBe('ran.rl.verificationLimit');
    await expect(page.getByTestId('figure-notes').textContent()).resolves.toMatch(/gp-verification: every run read at [\d.e+]+ GFLOPs, the training compute all of its runs reached/);
    await expect(page.getByTestId('figure-caption').textContent()).resolves.toContain('2 seeds per group, mean gain from each branch\'s starting checkpoint at matched training compute');
    expect(await page.locator('.xtitle').first().textContent()).toBe('Verification iterations in training (V)');
    await page.screenshot({ path: screenshotPath('figures-verification-gain'), fullPage: true });
    await page.getByTestId('figure-chart').screenshot({ path: screenshotPath('figures-verification-gain-chart') });

    const [pngFile] = await saveDownloads(() => page.locator('button[data-export="png"]').click(), 2);
    expect(fs.readFileSync(pngFile as string).subarray(1, 4).toString('latin1')).toBe('PNG');
    const [csvFile] = await saveDownloads(() => page.locator('button[data-export="csv"]').click(), 2);
    const rows = parseCsv(fs.readFileSync(csvFile as string, 'utf8'));
    const plotted = rows.filter((r) => r[2] === 'points').map((r) => Number(r[3]));
    expect(plotted).toEqual([1, 3, 5, 10]);
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  }, 120_000);
});
