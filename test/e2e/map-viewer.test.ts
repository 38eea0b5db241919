/**
 * End to end: the V-IRL map viewer in Chromium (browser mode). Opens a generated route and a real
 * V-IRL route, steps through with buttons and keys, opens an episodes file of random-policy
 * episodes and jumps between errors, compares two episodes side by side, and exports the map as
 * SVG. Screenshots land in test-output/screenshots/map-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../electron/serve';
import { createRng } from '../../shared/util/rng';
import { createVirlEnv, expertPolicy, randomPolicy, runVirlEpisode } from '../../shared/tasks/virl/index';
import type { testContext } from '../helpers/api';
import { screenshotPath } from '../helpers/browser';
import { openWorkbench } from '../helpers/workbench';

const FIXTURES = path.resolve('test/fixtures/virl');

/** Random-policy episodes on nyc route 2 (one that gets a few steps right before failing), the expert on it, and a bad line. */
function writeEpisodesFile(file: string): { steps: number; errors: number } {
  const env = createVirlEnv();
  const reset = { seed: 2, city: 'nyc', variant: { observation: 'text', actionSpace: 'absolute' } } as const;
  let random = runVirlEpisode(env, reset, randomPolicy(createRng(0)), { kind: 'random', name: 'random' });
  for (let s = 1; s < 500 && !(random.steps.length >= 5 && random.steps.some((x) => x.verdict === 'correct')); s++) {
    random = runVirlEpisode(env, reset, randomPolicy(createRng(s)), { kind: 'random', name: 'random' });
  }
  const expert = runVirlEpisode(env, reset, expertPolicy, { kind: 'expert', name: 'expert' });
  fs.writeFileSync(file, `${JSON.stringify(random)}\n{"format": 1, "envId": "VirlNav-v0"}\n${JSON.stringify(expert)}\n`);
  return { steps: random.steps.length, errors: random.steps.filter((x) => x.verdict !== 'correct').length };
}

describe('V-IRL map viewer in Chromium (browser mode)', () => {
  let browser: Browser;
  let page: Page;
  let server: RunningServer;
  let t: ReturnType<typeof testContext>;
  let episodesFile: string;
  let random: { steps: number; errors: number };
  let pageErrors: string[] = [];
  let close: () => Promise<void>;

  const stepCount = () => page.getByTestId('step-count').textContent();
  const currentSentence = (pane = page) => pane.locator('[data-testid="instructions"] li.current').first().textContent();

  beforeAll(async () => {
    ({ t, server, browser, page, pageErrors, close } = await openWorkbench({
      viewport: { width: 1440, height: 1500 },
      acceptDownloads: true,
      prepare: (ctx) => {
        episodesFile = path.join(ctx.dataDir, 'virl-random.jsonl');
        fs.mkdirSync(ctx.dataDir, { recursive: true });
        random = writeEpisodesFile(episodesFile);
      },
    }));
    await page.goto(server.url);
    await page.locator('a[data-nav="map"]').click();
    await page.getByRole('heading', { name: 'Map viewer', level: 1 }).waitFor();
  });

  afterAll(async () => close?.());

  it('opens on a generated route and steps through it with the buttons and the keyboard', async () => {
    await page.getByTestId('pane').waitFor(); // the default route loads on its own
    await page.locator('select[name="city"]').selectOption('nyc');
    await page.locator('input[name="seed"]').fill('3');
    await page.locator('select[name="observation"]').selectOption('vision');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.getByTestId('pane').getByTestId('pane-origin').filter({ hasText: 'New York · route 3' }).waitFor();
    const total = Number((await stepCount())?.match(/\/ (\d+)/)?.[1]);
    expect(total).toBeGreaterThan(3);
    expect(await stepCount()).toBe(`step 1 / ${total}`);
    expect(await currentSentence()).toMatch(/^First, turn /);
    const agentAt = () => page.getByTestId('agent').getAttribute('transform');
    const first = await agentAt();

    await page.getByRole('button', { name: 'Next step' }).click();
    expect(await stepCount()).toBe(`step 2 / ${total}`);
    expect(await currentSentence()).toMatch(/^Move forward until/);
    expect(await agentAt()).not.toBe(first);
    await page.keyboard.press('ArrowRight');
    expect(await stepCount()).toBe(`step 3 / ${total}`);
    await page.keyboard.press('ArrowLeft');
    expect(await stepCount()).toBe(`step 2 / ${total}`);
    await page.keyboard.press('End');
    expect(await stepCount()).toBe(`step ${total} / ${total}`);
    expect(await page.getByTestId('expert-action').textContent()).toBe('stop()');
    await expect.poll(() => page.getByTestId('step-panel').getByText('route completed').isVisible()).toBe(true);

    // The vision variant shows the four rendered views: a drawn canvas, not a blank one.
    const canvas = page.getByTestId('views-canvas');
    await page.waitForFunction(() => (document.querySelector('[data-testid="views-canvas"]') as HTMLCanvasElement | null)?.width === 194);
    const colours = await canvas.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4 * 7) seen.add(((d[i] ?? 0) << 16) | ((d[i + 1] ?? 0) << 8) | (d[i + 2] ?? 0));
      return seen.size;
    });
    expect(colours).toBeGreaterThan(20);
    await page.keyboard.press('Home');
    expect(await stepCount()).toBe(`step 1 / ${total}`);
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="step-count"]')?.textContent?.startsWith('step 3'));
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.screenshot({ path: screenshotPath('map-generated'), fullPage: true });
  });

  it('imports a real V-IRL route file, and reports a malformed one by name', async () => {
    await page.getByRole('tab', { name: 'Real V-IRL route' }).click();
    await page.locator('input[name="routeFile"]').setInputFiles({ name: 'broken_route.json', mimeType: 'application/json', buffer: Buffer.from('{"start_place": {"name": "X"') });
    const err = await page.getByTestId('source-error').textContent();
    expect(err).toMatch(/broken_route\.json: not valid JSON/);

    await page.locator('input[name="routeFile"]').setInputFiles(path.join(FIXTURES, 'route_infos_ny_moma.json'));
    const pane = page.getByTestId('pane');
    await pane.getByTestId('pane-origin').filter({ hasText: 'route_infos_ny_moma.json · Converse Flagship Store → MoMA Design Store' }).waitFor();
    await expect.poll(() => page.getByTestId('source-error').count()).toBe(0);
    for (const label of ['MoMA Design Store', 'Converse Flagship Store', 'Aritzia']) {
      await expect.poll(() => pane.locator('svg text', { hasText: label }).count()).toBeGreaterThan(0);
    }
    const total = Number((await stepCount())?.match(/\/ (\d+)/)?.[1]);
    await page.getByRole('button', { name: 'Last step' }).click();
    expect(await stepCount()).toBe(`step ${total} / ${total}`);
    expect(await currentSentence()).toMatch(/destination where The destination MoMA Design Store is on your/);
    await page.getByRole('button', { name: 'Previous step' }).click();
    expect(await stepCount()).toBe(`step ${total - 1} / ${total}`);
    await page.screenshot({ path: screenshotPath('map-imported'), fullPage: true });
  });

  it('opens an episodes file of random-policy episodes and jumps from error to error', async () => {
    await page.getByRole('tab', { name: 'Episodes file' }).click();
    await page.locator('input[name="episodesFile"]').setInputFiles(episodesFile);
    const pane = page.getByTestId('pane');
    await pane.getByTestId('pane-origin').filter({ hasText: 'virl-random.jsonl #1 · random' }).waitFor();
    expect(await page.getByTestId('file-problems').textContent()).toMatch(/1 line\(s\) of virl-random\.jsonl left out/);
    expect(await stepCount()).toBe(`step 1 / ${random.steps}`);
    expect(await page.getByRole('button', { name: /Next error/ }).textContent()).toBe(`Next error (${random.errors})`);

    await page.keyboard.press('e');
    const firstError = Number((await stepCount())?.match(/step (\d+)/)?.[1]);
    expect(await page.getByTestId('verdict').textContent()).toMatch(/^✗ /);
    expect(await page.getByTestId('raw-output').textContent()).toContain('"action"');
    expect(await page.getByTestId('parsed-action').textContent()).toMatch(/^(turn_direction\(\w+\)|forward\(\)|stop\(\))$/);
    expect(await page.getByTestId('feedback').textContent()).not.toBe('—');
    await page.getByRole('button', { name: /Next error/ }).click();
    const secondError = Number((await stepCount())?.match(/step (\d+)/)?.[1]);
    expect(secondError).not.toBe(firstError);
    expect(await page.getByTestId('verdict').textContent()).toMatch(/^✗ /);
    await expect.poll(() => pane.locator('.mistake').count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('map-random-error'), fullPage: true });
  });

  it('compares two episodes on the same route side by side, scrubbed together', async () => {
    await page.locator('input[name="compare"]').check();
    const a = page.getByTestId('pane-A');
    const b = page.getByTestId('pane-B');
    await b.getByTestId('pane-origin').filter({ hasText: 'expert on the same route' }).waitFor();
    // B from the same file: the expert episode of the file is on the same route.
    await page.locator('select[name="partner"]').selectOption({ label: `#2 · expert · nyc route 2 · ${await expertSteps()} steps · success` });
    await b.getByTestId('pane-origin').filter({ hasText: 'virl-random.jsonl #2 · expert' }).waitFor();
    const total = Math.max(random.steps, Number(await expertSteps()));
    await page.getByTestId('step-count').click(); // keys go to the replay, not to the focused <select>
    await page.keyboard.press('Home');
    expect(await stepCount()).toBe(`step 1 / ${total}`);
    expect(await a.getByTestId('instructions').locator('li.current').textContent()).toBe(await b.getByTestId('instructions').locator('li.current').textContent());
    await page.getByRole('button', { name: 'Next step' }).click();
    await page.locator('input[aria-label="Scrub steps"]').fill(String(random.steps)); // scrub past A's end
    expect(await a.getByText(`This episode ended at step ${random.steps}.`).isVisible()).toBe(true);
    expect(await b.getByTestId('verdict').textContent()).toBe('✓ correct');
    await page.screenshot({ path: screenshotPath('map-ab'), fullPage: true });
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    await page.screenshot({ path: screenshotPath('map-ab-dark'), fullPage: true });
    await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
    // Back to a policy partner: the random floor with another seed is recomputed on the same rail.
    await page.locator('select[name="partner"]').selectOption('random');
    await b.getByTestId('pane-origin').filter({ hasText: 'random policy (seed 1) on the same route' }).waitFor();

    async function expertSteps(): Promise<string> {
      const opt = await page.locator('select[name="partner"] option', { hasText: '#2 · expert' }).textContent();
      return opt?.match(/(\d+) steps/)?.[1] ?? '?';
    }
  });

  it('exports the map with the route, trajectory and landmark labels as a standalone SVG', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-A').click()]);
    expect(download.suggestedFilename()).toMatch(/^virl-map-.*\.svg$/);
    const file = path.join(t.dataDir, download.suggestedFilename());
    await download.saveAs(file);
    const text = fs.readFileSync(file, 'utf8');
    fs.copyFileSync(file, path.resolve('test-output', 'screenshots', 'map-export.svg'));
    const parsed = await page.evaluate((svg) => {
      const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
      const root = doc.documentElement;
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: root.tagName, ns: root.namespaceURI, title: root.querySelector(':scope > title')?.textContent ?? '',
        labels: Array.from(root.querySelectorAll('text')).map((x) => x.textContent ?? ''),
        polylines: root.querySelectorAll('polyline').length,
        vars: svg.includes('var(--'), classes: root.querySelectorAll('[class]').length,
      };
    }, text);
    expect(parsed.error).toBeNull();
    expect(parsed).toMatchObject({ root: 'svg', ns: 'http://www.w3.org/2000/svg', vars: false, classes: 0 });
    expect(parsed.title).toMatch(/^V-IRL map — A: virl-random\.jsonl #1/);
    expect(parsed.polylines).toBeGreaterThan(10);
    expect(text).toMatch(/<polyline points="[^"]+" stroke-width="7"[^>]*style="[^"]*stroke:/); // the route band, coloured inline
    const labels = (await page.getByTestId('pane-A').locator('.landmark-label.on-route').allTextContents());
    expect(labels.length).toBeGreaterThanOrEqual(2);
    for (const l of labels) expect(parsed.labels).toContain(l);
    // Standalone: it renders on its own, without the page's stylesheet.
    const alone = await browser.newPage({ viewport: { width: 900, height: 700 } });
    await alone.goto(`file://${file}`);
    await alone.screenshot({ path: screenshotPath('map-export') });
    await alone.close();
  });

  it('raised no errors in the page', () => {
    // The deliberately malformed route file is reported in the page, not as a console error.
    expect(pageErrors).toEqual([]);
  });
});
