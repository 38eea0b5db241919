/**
 * End to end: the card inspector in Chromium (browser mode). Deals a hand, plays a wrong then a
 * right answer, shows the vision image, and opens an episodes file written by the CLI (expert
 * and random episodes plus one broken line) and filters it. Screenshots in test-output/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli';
import type { RunningServer } from '../../electron/serve';
import { parseEpisodesJsonl } from '../../shared/api/episode';
import { dealHand } from '../../shared/tasks/generalpoints/index';
import type { testContext } from '../helpers/api';
import { screenshotPath } from '../helpers/browser';
import { openWorkbench } from '../helpers/workbench';

const quiet = { out: () => {}, err: (l: string) => console.error(l) };

describe('card inspector in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let server: RunningServer;
  let t: ReturnType<typeof testContext>;
  let episodesFile: string;
  let pageErrors: string[] = [];
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, server, browser, page, pageErrors, close } = await openWorkbench({
      // Tall: the app scrolls inside its content pane, so a full-page screenshot is only the viewport.
      viewport: { width: 1280, height: 2000 },
      prepare: async (ctx) => {
        t = ctx;
        // Expert episodes (all solved) and random ones under the OOD rule with a short limit (mostly failed).
        const expert = path.join(t.dataDir, '..', 'expert.jsonl');
        const random = path.join(t.dataDir, '..', 'random.jsonl');
        expect(await main(['gp', 'episodes', '--policy', 'expert', '--n', '5', '--seed', '100', '--out', expert], quiet)).toBe(0);
        expect(await main(['gp', 'episodes', '--policy', 'random', '--n', '12', '--seed', '200', '--rule', 'face11-13', '--limit', '3', '--out', random], quiet)).toBe(0);
        episodesFile = path.join(t.dataDir, '..', 'episodes.jsonl');
        fs.writeFileSync(episodesFile, fs.readFileSync(expert, 'utf8') + '{"format": 1, "broken\n' + fs.readFileSync(random, 'utf8'));
      },
    }));
  });

  afterAll(async () => close?.());

  const attempts = (p: Page) => p.getByTestId('playground').getByTestId('attempt');

  it('deals a hand: four cards with their values, the rule, prompts and all solutions', async () => {
    await page.goto(`${server.url}#/cards`);
    await page.getByRole('heading', { name: 'Card inspector', level: 1 }).waitFor();
    await page.locator('input[name="seed"]').fill('42');
    await page.getByTestId('hand').getByText('Hand of seed').getByText('42').waitFor();
    const d = dealHand({ seed: 42, rule: 'face10', colors: 'mixed', vision: false });
    if (!d.ok) throw new Error(d.error);
    const codes = await page.getByTestId('hand').locator('svg.playing-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-card')));
    expect(codes).toEqual(d.value.display.map((c) => c.code));
    const values = await page.getByTestId('card-value').allTextContents();
    expect(values.map((v) => Number(v.replace(/\D+/g, '')))).toEqual(d.value.values);
    expect(await page.getByTestId('rule').textContent()).toContain('J, Q and K count 10');
    expect(Number(await page.getByTestId('solution-count').textContent())).toBe(d.value.solutions.length);
    expect(await page.getByTestId('prompt-compact').textContent()).toBe(d.value.compactPrompt);
    await page.getByRole('tab', { name: 'Paper prompt' }).click();
    expect(await page.getByTestId('prompt-paper').textContent()).toBe(d.value.paperPrompt);
    await page.screenshot({ path: screenshotPath('cards-hand'), fullPage: true });
    await page.getByTestId('hand').screenshot({ path: screenshotPath('cards-hand-closeup') });
  });

  it('plays a wrong then a right answer and shows both verdicts with rewards and feedback', async () => {
    const d = dealHand({ seed: 42, rule: 'face10', colors: 'mixed', vision: false });
    if (!d.ok) throw new Error(d.error);
    const [a, b, c, e] = d.value.values;
    const wrong = [`${a}+${b}+${c}+${e}`, `${a}*${b}*${c}*${e}`].find((f) => Function(`return ${f}`)() !== 24) as string;
    const answer = page.locator('textarea[name="answer"]');
    await answer.fill(wrong);
    await page.getByRole('button', { name: 'Submit answer' }).click();
    await attempts(page).first().waitFor();
    expect(await attempts(page).first().getAttribute('data-verdict')).toBe('wrong_value');
    expect(await attempts(page).first().getByTestId('reward').textContent()).toBe('−1');
    expect(await attempts(page).first().getByTestId('feedback').textContent()).toMatch(/You failed this trial because the formula .* evaluates to/);
    await page.getByTestId('prompt-next-compact').waitFor();
    expect(await page.getByTestId('prompt-next-compact').textContent()).toContain(`try ${wrong} => wrong_value`);

    await answer.fill(`{"cards": [${d.value.labels.map((l) => `"${l}"`).join(', ')}], "formula": "${d.value.solutions[0]}=24"}`);
    await page.getByRole('button', { name: 'Submit answer' }).click();
    await attempts(page).nth(1).waitFor();
    expect(await attempts(page).nth(1).getAttribute('data-verdict')).toBe('correct');
    expect(await attempts(page).nth(1).getByTestId('reward').textContent()).toBe('+5');
    expect(await page.getByTestId('play-status').textContent()).toBe('Solved in 2 attempts · total reward +4');
    expect(await answer.isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('cards-playground'), fullPage: true });
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    await page.screenshot({ path: screenshotPath('cards-playground-dark'), fullPage: true });
    await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));

    await page.getByRole('button', { name: 'Reset' }).click();
    // The click returns before React has re-rendered (under load, long before): wait for it.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="playground"] [data-testid="attempt"]').length === 0);
    await page.getByRole('button', { name: 'Fill expert answer' }).click();
    expect(await answer.inputValue()).toContain('"formula"');
  });

  it('shows the vision variant as the image the model sees, and names a wrong card answer', async () => {
    await page.locator('label:has(input[name="colors"][value="red"])').click();
    await page.locator('input[name="vision"]').check();
    const canvas = page.getByTestId('card-image');
    await canvas.waitFor();
    // The canvas holds the felt, the white cards and red ink: at least three distinct colours.
    const colours = await canvas.evaluate((el) => {
      const c = el as HTMLCanvasElement;
      const data = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<string>();
      for (let i = 0; i < data.length; i += 4) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
      return seen.size;
    });
    expect(colours).toBeGreaterThanOrEqual(3);
    await page.getByTestId('model-view').getByRole('tab', { name: 'Compact prompt' }).click(); // the paper tab stayed selected
    expect(await page.getByTestId('prompt-compact').textContent()).toContain('cards image');
    await page.locator('textarea[name="answer"]').fill('{"formula": "1+2+3+4"}');
    await page.getByRole('button', { name: 'Submit answer' }).click();
    await attempts(page).first().waitFor();
    expect(await attempts(page).first().getAttribute('data-verdict')).toBe('wrong_cards');
    await page.screenshot({ path: screenshotPath('cards-vision'), fullPage: true });
  });

  it('names the problem of a custom value map that does not parse', async () => {
    await page.locator('label:has(input[name="rule"][value="custom"])').click();
    await page.locator('input[name="values"]').fill('J=banana');
    await page.getByTestId('deal-error').waitFor();
    expect(await page.getByTestId('deal-error').textContent()).toBe('gp:deal: values: cannot read "J=banana" (write RANK=VALUE, e.g. J=11, or 13 comma-separated numbers)');
    await page.locator('input[name="values"]').fill('A=11, J=2');
    await page.getByTestId('hand').waitFor();
    expect(await page.getByTestId('rule').textContent()).toContain('J counts 2, Q 10 and K 10; A counts 11');
    await page.locator('input[name="values"]').fill('1,2,3,4,5,6,0,8,9,10,10,10,10');
    await page.getByTestId('rule').getByText('7 counts 0').waitFor();

    const before = await page.locator('input[name="seed"]').inputValue();
    await page.getByRole('button', { name: 'Random' }).click();
    const seed = await page.locator('input[name="seed"]').inputValue();
    expect(seed).toMatch(/^\d+$/);
    expect(seed).not.toBe(before);
    await page.getByTestId('hand').getByText('Hand of seed').getByText(seed, { exact: true }).waitFor();
  });

  it('opens an episodes file, reports the broken line and filters solved and failed episodes', async () => {
    const { episodes } = parseEpisodesJsonl(fs.readFileSync(episodesFile, 'utf8'));
    const solved = episodes.filter((e) => e.success).length;
    expect(solved).toBeGreaterThan(0);
    expect(solved).toBeLessThan(episodes.length);
    await page.getByRole('tab', { name: 'Episode browser' }).click();
    await page.locator('input[name="episodes"]').setInputFiles(episodesFile);
    await page.getByTestId('episodes-summary').waitFor();
    expect(await page.getByTestId('episodes-summary').textContent()).toContain(`${episodes.length} GeneralPoints episodes, ${solved} solved`);
    expect(await page.getByTestId('episode-errors').textContent()).toMatch(/line 6: not valid JSON/);
    const list = page.getByTestId('episode');
    await expect(list.count()).resolves.toBe(episodes.length);
    await page.screenshot({ path: screenshotPath('cards-episodes'), fullPage: true });

    await page.locator('label:has(input[name="outcome"][value="solved"])').click();
    await expect(list.count()).resolves.toBe(solved);
    expect(await list.evaluateAll((els) => els.every((e) => e.getAttribute('data-success') === 'true'))).toBe(true);

    await page.locator('label:has(input[name="outcome"][value="failed"])').click();
    await expect(list.count()).resolves.toBe(episodes.length - solved);
    // The reason of a truncated episode is its last verified verdict (the final over_limit step says nothing).
    const lastVerdict = (e: (typeof episodes)[number]) => e.steps.filter((x) => x.verdict !== 'over_limit').pop()?.verdict;
    const reason = lastVerdict(episodes.find((e) => !e.success) as (typeof episodes)[number]) as string;
    await page.locator('select[name="reason"]').selectOption(reason);
    await expect(list.count()).resolves.toBe(episodes.filter((e) => !e.success && lastVerdict(e) === reason).length);
    await page.locator('select[name="reason"]').selectOption('');
    await page.locator('select[name="actor"]').selectOption('expert (canonical solution)');
    await expect(list.count()).resolves.toBe(0); // experts never fail
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.locator('select[name="variant"]').selectOption({ index: 1 });
    expect(await list.count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.locator('label:has(input[name="outcome"][value="failed"])').click();
    await page.screenshot({ path: screenshotPath('cards-episodes-failed'), fullPage: true });
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    await page.screenshot({ path: screenshotPath('cards-episodes-dark'), fullPage: true });
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
