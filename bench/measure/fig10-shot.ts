/**
 * Renders the Figures page's "OOD gain vs verification iterations" preset (Fig. 10) over a folder of
 * runs in Chromium and saves the page, the chart and the exported PNG/CSV: how the figure in
 * examples/gp-verification-results was made.
 *
 *   node bin/run-ts.mjs bench/measure/fig10-shot.ts RUNS_DIR OUT_DIR
 */
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../../electron/serve';
import { launchChromium } from '../../test/helpers/browser';
import { testContext } from '../../test/helpers/api';

const [runs, out] = process.argv.slice(2);
if (!runs || !out) throw new Error('usage: fig10-shot.ts RUNS_DIR OUT_DIR');
fs.mkdirSync(out, { recursive: true });
const t = testContext();
fs.rmSync(t.dataDir, { recursive: true, force: true });
fs.cpSync(path.resolve(runs), t.dataDir, { recursive: true });
const server = await startServer({ ctx: t.ctx, port: 0 });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 }, acceptDownloads: true });
  await page.goto(`${server.url}#/figures`);
  await page.getByRole('heading', { name: 'Figures', level: 1 }).waitFor();
  await page.locator('[data-testid="figure-runs"] tbody tr').first().waitFor();
  await page.getByTestId('preset-fig10').click();
  await page.waitForFunction(() => {
    const chart = document.querySelector('[data-testid="figure-chart"]') as unknown as { data?: { meta?: { role: string } }[] } | null;
    return (chart?.data ?? []).some((d) => d.meta?.role === 'points') && !document.querySelector('.fig-canvas [role="status"]');
  });
  await page.screenshot({ path: path.join(out, 'fig10-page.png'), fullPage: true });
  await page.getByTestId('figure-chart').screenshot({ path: path.join(out, 'fig10-chart.png') });
  console.log('notes:', await page.getByTestId('figure-notes').textContent());
  console.log('caption:', await page.getByTestId('figure-caption').textContent());
  // Each export downloads the figure (or its data) and the view spec.
  for (const kind of ['png', 'csv']) {
    const saved: Promise<void>[] = [];
    const both = new Promise<void>((resolve) => {
      page.on('download', (d) => {
        saved.push(d.saveAs(path.join(out, d.suggestedFilename())));
        if (saved.length === 2) resolve();
      });
    });
    await page.locator(`button[data-export="${kind}"]`).click();
    await both;
    await Promise.all(saved);
    page.removeAllListeners('download');
  }
} finally {
  await browser.close();
  await server.close();
  t.cleanup();
}
