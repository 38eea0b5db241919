/**
 * Dashboard speed (issue 6): 50 runs × 10,000 logged points each (SYNTHETIC run folders in the
 * run-store format, test/helpers/synthetic-runs.ts).
 *   - in Node: the server's catalog (cold parse) and metrics (from the parse cache); the figure
 *     pipeline (smoothing, alignment, mean + bootstrap CI, envelopes), on new data (cold) and on
 *     data already drawn (warm: a regroup), against a baseline that only pulls the (x, y) pairs
 *     out of the columns;
 *   - in Chromium (browser mode served for real): time to first render of the Figures page with
 *     all 50 runs selected (catalog + metrics over the WebSocket + pipeline + plotly draw), and
 *     time to regroup / re-smooth, against a same-browser baseline: plotly drawing the 50 raw
 *     series with no smoothing, grouping or downsampling.
 * Run: node bin/run-ts.mjs bench/run.ts dashboard
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { metricsHandlers, readSeries } from '../electron/api/handlers/metrics';
import { clearMetricsCache } from '../electron/runs/metrics-cache';
import { DEFAULT_RENDERER_DIR } from '../electron/serve';
import { extractXY } from '../shared/figures/extract';
import { buildFigure } from '../shared/figures/build';
import { clearAggregates } from '../shared/figures/curves';
import type { RunSeries } from '../shared/api/channels/metrics';
import type { RunInput } from '../shared/figures/model';
import { defaultViewSpec, type ViewSpec } from '../shared/figures/spec';
import { testContext } from '../test/helpers/api';
import { launchChromium } from '../test/helpers/browser';
import { writeSyntheticRuns } from '../test/helpers/synthetic-runs';
import { timeMedian, type BenchResult, type BenchSuite } from './harness';

const STEPS = 10_000;

/**
 * `sftrl serve --port 0` on these folders, in a child process; resolves with its URL once it has
 * also probed its compute backend (as it has long before a user opens the page it printed).
 */
function serveInChild(configDir: string, dataDir: string): Promise<{ url: string; close(): void }> {
  const child = spawn(process.execPath, [path.resolve('bin/sftrl.mjs'), 'serve', '--port', '0'], {
    env: { ...process.env, SFTRL_CONFIG_DIR: configDir, SFTRL_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m && /Compute backend: /.test(out)) resolve({ url: m[1] as string, close: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`sftrl serve exited (${code}) before printing its URL: ${out}`)));
  });
}

const suite: BenchSuite = async () => {
  const results: BenchResult[] = [];
  const t = testContext();
  try {
    const ids = writeSyntheticRuns(t.dataDir, { presets: ['gp-rule'], seeds: Array.from({ length: 25 }, (_, i) => i), steps: STEPS, evalEvery: 500 });
    const branches = ids.filter((id) => !id.endsWith('-init'));
    // The server side. The first catalog ever parses every metrics.jsonl once and writes each run's
    // disk cache (metrics.cache); a restart (memory cleared) reads the caches instead: the catalog
    // from their headers, runs:metrics their columns. Then runs:metrics answers from memory.
    const catalogBuild = await timeMedian(() => metricsHandlers['runs:catalog']({}, t.ctx), 1, 0);
    const request = { ids: branches, keys: ['train/loss'], x: ['compute/flops'] };
    const restart = async () => {
      clearMetricsCache();
      const c0 = performance.now();
      await metricsHandlers['runs:catalog']({}, t.ctx);
      const c1 = performance.now();
      await metricsHandlers['runs:metrics'](request, t.ctx);
      return { catalog: c1 - c0, metrics: performance.now() - c1 };
    };
    const restarts = [await restart(), await restart(), await restart()].sort((a, b) => a.catalog + a.metrics - b.catalog - b.metrics);
    const metricsMs = await timeMedian(() => metricsHandlers['runs:metrics'](request, t.ctx), 3);
    const cacheMb = branches.reduce((n, id) => n + fs.statSync(path.join(t.dataDir, id, 'metrics.cache')).size, 0) / 1e6;
    clearMetricsCache();
    results.push({ name: 'server: runs:catalog, no disk cache (parses 50 files, 114 MB)', value: catalogBuild, unit: 'ms' });
    results.push({ name: `server: restart: runs:catalog from disk caches (${cacheMb.toFixed(0)} MB of 50 branches)`, value: restarts[1]!.catalog, unit: 'ms', baseline: { name: 'no cache', value: catalogBuild } });
    results.push({ name: 'server: restart: runs:metrics 50 runs × train/loss from disk caches', value: restarts[1]!.metrics, unit: 'ms', baseline: { name: 'no cache', value: catalogBuild } });
    results.push({ name: 'server: runs:metrics 50 runs × train/loss, warm cache', value: metricsMs, unit: 'ms' });
    const sent = branches.map((id) => readSeries(path.join(t.dataDir, id), id, ['train/loss'], ['compute/flops']));
    const runs: RunInput[] = branches.map((id, i) => {
      const [, seed, method] = /-s(\d+)-(\w+)$/.exec(id) ?? [];
      return { id, label: id, fields: { method: method ?? '', seed: Number(seed), preset: 'gp-rule' }, series: sent[i] as RunSeries };
    });
    const points = sent.reduce((n, s) => n + (s.columns['train/loss']?.filter((v) => v !== null).length ?? 0), 0);
    console.log(`${runs.length} runs, ${points.toLocaleString('en-US')} train/loss points, ${(JSON.stringify(sent).length / 1e6).toFixed(1)} MB as sent`);
    const spec = defaultViewSpec({ runs: branches, metrics: ['train/loss'], groupBy: ['method'] });
    // Fresh series objects each time: extraction and smoothing are memoised per series object, so
    // "cold" is a first draw of new data and "warm" a regroup of data already drawn (its smoothed
    // curves reused, its group aggregates not); "again" redraws a view already drawn (a regroup back).
    const fresh = () => runs.map((r) => ({ ...r, series: { ...r.series } }));
    const extract = await timeMedian(() => fresh().map((r) => extractXY(r, 'compute/flops', 'train/loss')), 5);
    results.push({ name: 'node: extract (x, y) of 50 runs (baseline)', value: extract, unit: 'ms' });
    const variants: [string, ViewSpec][] = [
      ['group by method, EMA, mean + 95% CI', spec],
      ['group by method × seed (50 lines)', { ...spec, groupBy: ['method', 'seed'] }],
      ['Savitzky–Golay, IQM + 95% CI', { ...spec, statistic: 'iqm', smoothing: { ...spec.smoothing, kind: 'savgol' } }],
    ];
    for (const [label, s] of variants) {
      results.push({ name: `node: pipeline cold, ${label}`, value: await timeMedian(() => buildFigure(fresh(), s), 3), unit: 'ms', baseline: { name: 'extract', value: extract } });
      results.push({ name: `node: pipeline warm, ${label}`, value: await timeMedian(() => (clearAggregates(), buildFigure(runs, s)), 3), unit: 'ms', baseline: { name: 'extract', value: extract } });
      results.push({ name: `node: pipeline again, ${label}`, value: await timeMedian(() => buildFigure(runs, s), 3), unit: 'ms', baseline: { name: 'extract', value: extract } });
    }

    if (!fs.existsSync(path.join(DEFAULT_RENDERER_DIR, 'index.html'))) {
      console.log('(browser part skipped: build the renderer first with npm run build:renderer)');
      return results;
    }
    // The page opens on `sftrl serve` just started in its own process, as a user runs it: nothing
    // in memory, the disk caches in place, and no benchmark driver sharing its event loop.
    const server = await serveInChild(t.configDir, t.dataDir);
    const browser = await launchChromium();
    try {
      // Baseline: plotly alone, the raw series, in a page without our app (CSP bypassed to inject it).
      const require = createRequire(import.meta.url);
      const plotlyFile = require.resolve('plotly.js-basic-dist-min/plotly-basic.min.js');
      const raw = runs.map((r) => extractXY(r, 'compute/flops', 'train/loss'));
      const base = await (await browser.newContext({ bypassCSP: true, viewport: { width: 1500, height: 1000 } })).newPage();
      await base.setContent('<div id="g"></div>');
      await base.addScriptTag({ path: plotlyFile });
      const baseMs = await base.evaluate(async (series) => {
        const P = (window as unknown as { Plotly: { newPlot(el: HTMLElement, d: unknown[], l: unknown): Promise<unknown> } }).Plotly;
        const t0 = performance.now();
        await P.newPlot(document.getElementById('g') as HTMLElement, series.map((s) => ({ type: 'scatter', mode: 'lines', x: s.x, y: s.y })), { width: 672, height: 384 });
        return performance.now() - t0;
      }, raw);
      results.push({ name: 'chromium: plotly draws 50 raw series (baseline)', value: baseMs, unit: 'ms' });

      const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
      const view = { ...spec, smoothing: { kind: 'ema', weight: 0.6, window: 9 } };
      await page.addInitScript((v: string) => localStorage.setItem('sftrl.figures.view', v), JSON.stringify(view));
      // Arrival of each API reply on the page clock (the app's own socket, observed, not changed).
      await page.addInitScript(() => {
        const W = window.WebSocket;
        const times: number[] = [];
        (window as unknown as { __replies: number[] }).__replies = times;
        window.WebSocket = class extends W {
          constructor(url: string | URL, protocols?: string | string[]) {
            super(url, protocols);
            this.addEventListener('message', () => times.push(performance.now()));
          }
        };
      });
      const rendered = () => page.evaluate(() => Number(document.querySelector('[data-testid="figure-chart"]')?.getAttribute('data-rendered') ?? 0));
      const waitAfter = (n: number) => page.waitForFunction((k) => Number(document.querySelector('[data-testid="figure-chart"]')?.getAttribute('data-rendered') ?? 0) > k && !document.querySelector('.fig-canvas [role="status"]'), n, { timeout: 120_000 });
      const t0 = Date.now();
      await page.goto(`${server.url}#/figures`);
      // The first draw may be the empty chart before metrics arrive: wait for a chart with traces.
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="figure-canvas"]')?.getAttribute('data-traces') ?? 0) > 0 && Number(document.querySelector('[data-testid="figure-chart"]')?.getAttribute('data-rendered') ?? 0) > 0 && !document.querySelector('.fig-canvas [role="status"]'), undefined, { timeout: 120_000 });
      await page.waitForFunction(() => (document.querySelector('[data-testid="figure-chart"] .main-svg .scatterlayer .trace') !== null));
      const first = Date.now() - t0;
      // When the page had its data and plotly (page clock, from navigation): where the time went.
      const timing = await page.evaluate(() => {
        const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const plotly = res.find((r) => r.name.includes('plotly'));
        const replies = (window as unknown as { __replies: number[] }).__replies.map((t) => t.toFixed(0)).join(', ');
        return { plotly: plotly ? `${plotly.startTime.toFixed(0)}–${plotly.responseEnd.toFixed(0)}` : '?', replies, now: performance.now().toFixed(0) };
      });
      console.log(`first render: drawn at ${first} ms (bench clock); page clock: API replies at ${timing.replies} ms, plotly fetched at ${timing.plotly} ms, drawn by ${timing.now} ms`);
      const detail = await page.getByTestId('figure-canvas').evaluate((e) => ({ build: (e as HTMLElement).dataset.buildMs, draw: (e as HTMLElement).dataset.drawMs }));
      results.push({ name: `chromium: first render, 50 runs (build ${detail.build} ms, draw ${detail.draw} ms)`, value: first, unit: 'ms', baseline: { name: 'raw plotly', value: baseMs } });
      const step = async (label: string, act: () => Promise<unknown>) => {
        const n = await rendered();
        const s0 = Date.now();
        await act();
        await waitAfter(n);
        const d = await page.getByTestId('figure-canvas').evaluate((e) => ({ build: (e as HTMLElement).dataset.buildMs, draw: (e as HTMLElement).dataset.drawMs }));
        results.push({ name: `chromium: ${label} (build ${d.build} ms, draw ${d.draw} ms)`, value: Date.now() - s0, unit: 'ms', baseline: { name: 'raw plotly', value: baseMs } });
      };
      await step('regroup method → method × seed', () => page.locator('select[name="groupBy2"]').selectOption('seed'));
      await step('regroup back to method', () => page.locator('select[name="groupBy2"]').selectOption(''));
      await step('smoothing EMA → Savitzky–Golay', () => page.locator('select[name="smoothing"]').selectOption('savgol'));
      await step('statistic mean → IQM', () => page.locator('select[name="statistic"]').selectOption('iqm'));
    } finally {
      await browser.close();
      server.close();
    }
  } finally {
    t.cleanup();
  }
  return results;
};

export default suite;
