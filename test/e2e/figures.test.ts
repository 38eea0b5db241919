/**
 * End to end: the Figures page in Chromium (browser mode) over a fixture run store. Groups runs,
 * changes smoothing, uses the paper presets, exports SVG/PNG/PDF/CSV and checks the files, and
 * follows live job events. Screenshots and exports land in test-output/. "Save to export folder"
 * is checked against the folder set in the settings (the server writes the files), and the desktop
 * app's printToPDF document (electron/figures/pdf.ts) is printed by this Chromium standing in for
 * Electron's BrowserWindow.
 *
 * Fixture: REAL runs. beforeAll trains 2 GeneralPoints settings (gp-rule, gp-visual) × 2 seeds ×
 * (init, SFT, RL) with the engine at a tiny scale on the cpu backend (test/helpers/engine-runs.ts),
 * leaving the last RL run cancelled part-way; the live test resumes it and the page follows it.
 * FIGURES_FIXTURE_DIR, when set, is a folder of engine-produced run folders copied in instead
 * (structure-only assertions then). The synthetic generator is used only by the benchmark and
 * the data-layer unit tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printSvgToPdf, type PdfPrintOptions, type PdfWindow, type PdfWindowOptions } from '../../electron/figures/pdf';
import { readMetrics } from '../../electron/runs/store';
import { DEFAULT_RENDERER_DIR, startServer, type RunningServer } from '../../electron/serve';
import { parseCsv } from '../../shared/figures/csv';
import { testContext } from '../helpers/api';
import { launchChromium, screenshotPath } from '../helpers/browser';
import { writeEngineRuns, type EngineRuns } from '../helpers/engine-runs';

const OUT = path.resolve('test-output', 'figures');

function pngSize(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('figures page in Chromium (browser mode)', () => {
  let browser: Browser;
  let page: Page;
  let server: RunningServer;
  let t: ReturnType<typeof testContext>;
  const pageErrors: string[] = [];
  const fixture = process.env.FIGURES_FIXTURE_DIR;
  let engine: EngineRuns | undefined;
  let exportDir: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DEFAULT_RENDERER_DIR, 'index.html'))) throw new Error('build the renderer first: npm run build:renderer');
    fs.rmSync(OUT, { recursive: true, force: true });
    fs.mkdirSync(OUT, { recursive: true });
    t = testContext();
    // The export folder of the settings, not there yet: "Save to export folder" creates it.
    exportDir = path.join(path.dirname(t.dataDir), 'paper', 'figures');
    t.ctx.settings.set({ dashboard: { ...t.ctx.settings.get().dashboard, exportDir } });
    if (fixture) fs.cpSync(fixture, t.dataDir, { recursive: true });
    else engine = await writeEngineRuns(t.dataDir, { presets: ['gp-rule', 'gp-visual'], seeds: [0, 1], steps: 4, stopEarly: true });
    server = await startServer({ ctx: t.ctx, port: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 }, acceptDownloads: true });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  }, 600_000); // training the fixture runs (12 runs, GP-VL's encoder among them) on the loaded machine

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.cleanup();
  });

  const rendered = async () => Number((await page.getByTestId('figure-chart').getAttribute('data-rendered')) ?? 0);
  // A redraw with the view's data: a view that needs other columns is first drawn from what the page
  // has, then again when they arrive (the canvas says "Loading metrics…" in between).
  const waitRedraw = async (before: number) => page.waitForFunction((n) => Number(document.querySelector('[data-testid="figure-chart"]')?.getAttribute('data-rendered') ?? 0) > n && !document.querySelector('.fig-canvas [role="status"]'), before);
  const legend = () => page.evaluate(() => Array.from(document.querySelectorAll('.legendtext'), (e) => e.textContent));
  const saveDownloads = async (action: () => Promise<void>, n: number): Promise<string[]> => {
    const got: Download[] = [];
    const done = new Promise<void>((resolve) => page.on('download', function on(d) { got.push(d); if (got.length === n) { page.off('download', on); resolve(); } }));
    await action();
    await done;
    return Promise.all(got.map(async (d) => { const f = path.join(OUT, d.suggestedFilename()); await d.saveAs(f); return f; }));
  };

  it('lists the runs and draws the paper preset: ID/OOD success vs compute, SFT vs RL with bands', async () => {
    await page.goto(`${server.url}#/figures`);
    await page.getByRole('heading', { name: 'Figures', level: 1 }).waitFor();
    await page.locator('[data-testid="figure-runs"] tbody tr').first().waitFor();
    const count = await page.locator('[data-testid="figure-runs"] tbody tr').count();
    expect(count).toBe(fixture ? count : 12); // 2 settings × 2 seeds × (init, sft, rl)
    const before = await rendered();
    await page.getByTestId('preset-fig5').click();
    await waitRedraw(before);
    const names = await legend();
    expect(names).toContain('rl (n=2)');
    expect(names).toContain('sft (n=2)');
    const panels = await page.evaluate(() => document.querySelectorAll('.annotation-text').length);
    expect(panels).toBe(4);
    await expect(page.getByTestId('figure-caption').textContent()).resolves.toContain('Savitzky–Golay (window 9, order 3), 2 seeds per group');
    await page.screenshot({ path: screenshotPath('figures-fig5'), fullPage: true });
  });

  it('regroups, changes smoothing and toggles seeds, redrawing each time', async () => {
    let n = await rendered();
    await page.locator('select[name="smoothing"]').selectOption('ema');
    await waitRedraw(n);
    await expect(page.getByTestId('figure-caption').textContent()).resolves.toContain('EMA 0.6');
    n = await rendered();
    await page.locator('select[name="groupBy2"]').selectOption('seed');
    await waitRedraw(n);
    expect(await legend()).toContain('rl · 0');
    n = await rendered();
    await page.locator('select[name="groupBy2"]').selectOption('');
    await waitRedraw(n);
    n = await rendered();
    await page.locator('input[name="showSeeds"]').check();
    await waitRedraw(n);
    const seedTraces = await page.evaluate(() => ((document.querySelector('[data-testid="figure-chart"]') as unknown as { data: { meta?: { role: string } }[] }).data).filter((d) => d.meta?.role === 'seed').length);
    expect(seedTraces).toBe(16); // 8 branch runs × 2 metric rows
    await page.screenshot({ path: screenshotPath('figures-seeds-ema'), fullPage: true });
  });

  it('exports SVG with real text, PNG at the requested pixel size, CSV of the plotted points, and the view spec', async () => {
    await page.locator('input[name="title"]').fill('GP rule and visual success');
    await page.locator('input[name="widthIn"]').fill('6');
    await page.locator('input[name="heightIn"]').fill('3.5');
    await page.locator('input[name="dpi"]').fill('150');
    const n = await rendered();
    await page.locator('input[name="fontSize"]').fill('10');
    await waitRedraw(n);

    const [svgFile, specFile] = await saveDownloads(() => page.locator('button[data-export="svg"]').click(), 2);
    expect(path.basename(svgFile as string)).toBe('gp-rule-and-visual-success.svg');
    const svg = fs.readFileSync(svgFile as string, 'utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const texts = Array.from(doc.querySelectorAll('text'), (e) => e.textContent ?? '');
      return { error: doc.querySelector('parsererror')?.textContent ?? null, width: doc.documentElement.getAttribute('width'), texts };
    }, svg);
    expect(parsed.error).toBeNull();
    expect(parsed.width).toBe('6in');
    for (const s of ['Training compute (GFLOPs)', 'Success (%)', 'gp-rule — ID success', 'gp-visual — OOD success', 'rl (n=2)', 'sft (n=2)', 'GP rule and visual success']) expect(parsed.texts).toContain(s);
    const spec = JSON.parse(fs.readFileSync(specFile as string, 'utf8')) as { spec: { groupBy: string[]; smoothing: { kind: string } }; caption: string };
    expect(spec.spec.groupBy).toEqual(['method']);
    expect(spec.caption).toContain('EMA 0.6');

    const [pngFile] = await saveDownloads(() => page.locator('button[data-export="png"]').click(), 2);
    expect(pngSize(pngFile as string)).toEqual({ width: 900, height: 525 });

    const [csvFile] = await saveDownloads(() => page.locator('button[data-export="csv"]').click(), 2);
    const rows = parseCsv(fs.readFileSync(csvFile as string, 'utf8')).slice(1);
    const plotted = await page.evaluate(() => ((document.querySelector('[data-testid="figure-chart"]') as unknown as { data: { name: string; x: number[]; y: (number | null)[] }[] }).data).flatMap((d) => d.x.map((x, i) => [d.name, x, d.y[i] ?? null])));
    expect(rows.length).toBe(plotted.length);
    rows.forEach((r, i) => {
      const [name, x, y] = plotted[i] as [string, number, number | null];
      expect(r[1]).toBe(name);
      expect(Number(r[3])).toBeCloseTo(x, 9);
      if (y === null) expect(r[4]).toBe('');
      else expect(Number(r[4])).toBeCloseTo(y, 9);
    });

    // Look at the exported SVG as a browser renders it.
    const view = await browser.newPage({ viewport: { width: 700, height: 420 } });
    await view.setContent(`<body style="margin:0;background:#fff">${svg}</body>`);
    await view.screenshot({ path: screenshotPath('figures-export-svg') });
    await view.close();
  });

  it('prints a vector PDF through the browser route', async () => {
    await saveDownloads(() => page.locator('button[data-export="pdf"]').click(), 1); // the view spec
    const html = await page.getByTestId('pdf-print-frame').last().getAttribute('srcdoc');
    expect(html).toContain('<svg');
    const doc = await browser.newPage();
    await doc.setContent(html as string);
    const pdf = await doc.pdf({ preferCSSPageSize: true, printBackground: true });
    await doc.close();
    fs.writeFileSync(path.join(OUT, 'gp-rule-and-visual-success.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdf.toString('latin1');
    expect(text).toMatch(/\/Font/); // text stays text
    expect(text).not.toMatch(/\/Subtype\s*\/Image/); // and nothing was rasterised
  });

  it('saves the figure, its CSV and its view spec into the export folder of the settings, numbering a second save', async () => {
    const stem = 'gp-rule-and-visual-success';
    const message = page.getByTestId('export-message');
    // Browser mode cannot make PDF bytes without the print dialog: that choice is the desktop app's.
    await expect.poll(() => page.locator('select[name="saveFormat"] option[value="pdf"]').isDisabled()).toBe(true);
    await page.locator('select[name="saveFormat"]').selectOption('svg');
    await page.getByTestId('save-export').click();
    await page.waitForFunction(() => /^Save/.test(document.querySelector('[data-testid="export-message"]')?.textContent ?? ''));
    await expect.poll(() => message.textContent()).toBe(`Saved ${stem}.svg, ${stem}.view.json, ${stem}.csv in ${exportDir}`);
    await expect.poll(() => page.getByTestId('export-dir').textContent()).toBe(exportDir);
    expect(fs.readdirSync(exportDir).sort()).toEqual([`${stem}.csv`, `${stem}.svg`, `${stem}.view.json`]);

    // The same files the download buttons give (same spec, same plotted points).
    const svg = fs.readFileSync(path.join(exportDir, `${stem}.svg`), 'utf8');
    const texts = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return doc.querySelector('parsererror') ? null : Array.from(doc.querySelectorAll('text'), (e) => e.textContent ?? '');
    }, svg);
    for (const s of ['Training compute (GFLOPs)', 'Success (%)', 'rl (n=2)', 'sft (n=2)', 'GP rule and visual success']) expect(texts).toContain(s);
    expect(fs.readFileSync(path.join(exportDir, `${stem}.csv`), 'utf8')).toBe(fs.readFileSync(path.join(OUT, `${stem}.csv`), 'utf8'));
    const saved = JSON.parse(fs.readFileSync(path.join(exportDir, `${stem}.view.json`), 'utf8')) as { spec: unknown; caption: string };
    const downloaded = JSON.parse(fs.readFileSync(path.join(OUT, `${stem}.view.json`), 'utf8')) as { spec: unknown; caption: string };
    expect(saved.spec).toEqual(downloaded.spec);
    expect(saved.caption).toBe(downloaded.caption);

    // A PNG of the same figure: its CSV and view spec names are taken, so the whole set is numbered.
    await page.locator('select[name="saveFormat"]').selectOption('png');
    await page.getByTestId('save-export').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="export-message"]')?.textContent ?? '').includes('-2.png'));
    await expect.poll(() => message.textContent()).toBe(`Saved ${stem}-2.png, ${stem}-2.view.json, ${stem}-2.csv in ${exportDir} (numbered -2: a file of that name was already there)`);
    expect(pngSize(path.join(exportDir, `${stem}-2.png`))).toEqual({ width: 900, height: 525 });
    expect(fs.readFileSync(path.join(exportDir, `${stem}.svg`), 'utf8')).toBe(svg); // the first save is untouched
    expect(fs.readdirSync(exportDir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    fs.cpSync(exportDir, path.join(OUT, 'export-folder'), { recursive: true });
    await page.getByTestId('figure-studio').scrollIntoViewIfNeeded();
    await page.getByTestId('figure-studio').screenshot({ path: screenshotPath('figures-studio-save') });
    await page.screenshot({ path: screenshotPath('figures-save-export'), fullPage: true });
  });

  it("prints the desktop app's PDF document to a one-page vector PDF of the figure's size (Chromium as the BrowserWindow)", async () => {
    const svg = fs.readFileSync(path.join(exportDir, 'gp-rule-and-visual-success.svg'), 'utf8');
    // The window the module asks for runs no JavaScript: so does this stand-in.
    const context: BrowserContext = await browser.newContext({ javaScriptEnabled: false });
    const opened: PdfWindowOptions[] = [];
    class ChromiumWindow implements PdfWindow {
      private readonly page: Promise<Page>;
      constructor(options: PdfWindowOptions) {
        opened.push(options);
        this.page = context.newPage().then(async (p) => (await p.setViewportSize({ width: options.width, height: options.height }), p));
      }
      async loadFile(file: string): Promise<void> {
        await (await this.page).goto(pathToFileURL(file).href);
      }
      webContents = {
        printToPDF: async (o: PdfPrintOptions): Promise<Uint8Array> => (await this.page).pdf({
          width: `${o.pageSize.width}in`, height: `${o.pageSize.height}in`, printBackground: o.printBackground, preferCSSPageSize: o.preferCSSPageSize,
          landscape: o.landscape, pageRanges: o.pageRanges, margin: { top: `${o.margins.top}in`, bottom: `${o.margins.bottom}in`, left: `${o.margins.left}in`, right: `${o.margins.right}in` },
        }),
      };
      destroy(): void {
        void this.page.then((p) => p.close());
      }
    }
    const pdf = Buffer.from(await printSvgToPdf(ChromiumWindow, svg, { widthIn: 6, heightIn: 3.5 }));
    await context.close();
    fs.writeFileSync(path.join(OUT, 'gp-rule-and-visual-success.electron-route.pdf'), pdf);
    expect(opened).toHaveLength(1);
    const text = pdf.toString('latin1');
    expect(text.slice(0, 5)).toBe('%PDF-');
    expect(text.match(/\/Type\s*\/Page\b/g)).toHaveLength(1); // one page
    const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(text);
    expect(box && [Number(box[1]), Number(box[2])]).toEqual([432, 252]); // 6 × 3.5 in at 72 pt/in
    expect(text).toMatch(/\/Font/); // text stays text
    expect(text).not.toMatch(/\/Subtype\s*\/Image/); // nothing rasterised
  });

  it('draws the OOD-change bar preset and follows live job events', async () => {
    let n = await rendered();
    await page.getByTestId('preset-fig6').click();
    await waitRedraw(n);
    expect(await legend()).toEqual(expect.arrayContaining(['rl', 'sft']));
    await page.screenshot({ path: screenshotPath('figures-fig6'), fullPage: true });
    await page.getByTestId('figure-chart').screenshot({ path: screenshotPath('figures-fig6-chart') });

    if (fixture || !engine?.stopped) return;
    n = await rendered();
    await page.getByTestId('preset-fig5').click();
    await waitRedraw(n);
    // The stopped run's own curve (individual seeds are still shown): where it ends on the x axis.
    const { runId, experiment, resume } = engine.stopped;
    const seedName = `gp-visual · rl · seed 1`;
    const endOf = (name: string) => Math.max(...((document.querySelector('[data-testid="figure-chart"]') as unknown as { data: { name: string; x: number[]; meta?: { role: string } }[] }).data.filter((d) => d.meta?.role === 'seed' && d.name === name).flatMap((d) => d.x)));
    const lastX = await page.evaluate(endOf, seedName);
    expect(Number.isFinite(lastX)).toBe(true);
    // Resume the cancelled RL run for real; its progress reaches the page as job events.
    const outcome = await resume((stage, step, total, metrics) => server.bus.emit({ type: 'progress', jobId: 'j1', runId: experiment, stage, step, total, etaSeconds: total - step, metrics }));
    expect(outcome).toBe('completed');
    server.bus.emit({ type: 'status', jobId: 'j1', runId: experiment, status: 'completed' });
    await page.getByTestId('live-progress').getByText(`${experiment} · rl`).waitFor();
    const records = readMetrics(path.join(t.dataDir, runId)).records;
    const finalX = (records.at(-1)?.['compute/flops'] as number) / 1e9;
    expect(finalX).toBeGreaterThan(lastX);
    await page.waitForFunction(([name, want]) => {
      const xs = (document.querySelector('[data-testid="figure-chart"]') as unknown as { data: { name: string; x: number[]; meta?: { role: string } }[] }).data.filter((d) => d.meta?.role === 'seed' && d.name === name).flatMap((d) => d.x);
      return Math.abs(Math.max(...xs) - want) < 1e-9;
    }, [seedName, finalX] as const);
    await page.screenshot({ path: screenshotPath('figures-live'), fullPage: true });
    expect(pageErrors, pageErrors.join("\n")).toEqual([]);
  });

  it('draws the recognition preset (Fig. 8): recognition accuracy and success, ID and OOD, vs compute for the GP-VL branches', async () => {
    const n = await rendered();
    await page.getByTestId('preset-fig8').click();
    await waitRedraw(n);
    // Only the runs that logged recognition accuracy: gp-visual's SFT and RL branches (not gp-rule, not the init).
    const rows = await page.locator('[data-testid="figure-runs"] tbody tr').evaluateAll((trs) => trs.filter((tr) => (tr.querySelector('input[type="checkbox"]') as HTMLInputElement | null)?.checked).length);
    if (!fixture) expect(rows).toBe(4);
    const titles = await page.evaluate(() => Array.from(document.querySelectorAll('.annotation-text'), (e) => e.textContent));
    expect(titles).toEqual(fixture ? expect.any(Array) : ['gp-visual — ID recognition accuracy', 'gp-visual — OOD recognition accuracy', 'gp-visual — ID success', 'gp-visual — OOD success']);
    const means = await page.evaluate(() => ((document.querySelector('[data-testid="figure-chart"]') as unknown as { data: { name: string; y: (number | null)[]; meta?: { role: string } }[] }).data).filter((d) => d.meta?.role === 'mean').map((d) => ({ name: d.name, y: d.y })));
    if (!fixture) expect(means.map((m) => m.name).sort()).toEqual(Array.from({ length: 4 }, () => ['rl (n=2)', 'sft (n=2)']).flat().sort());
    // Recognition is a fraction drawn in %: every plotted value inside [0, 100].
    for (const m of means) for (const v of m.y) if (v !== null) expect(v >= 0 && v <= 100).toBe(true);
    // Four rows leave each panel shorter than its y title: the title is broken onto two lines.
    expect(await page.locator('.ytitle').first().evaluate((e) => Array.from(e.querySelectorAll('tspan.line'), (t) => t.textContent))).toEqual(['Recognition', 'accuracy (%)']);
    await expect(page.getByTestId('figure-caption').textContent()).resolves.toContain('2 seeds per group');
    await page.getByTestId('figure-chart').screenshot({ path: screenshotPath('figures-fig8-chart') });
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });
});
