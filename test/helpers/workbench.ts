/**
 * The browser-mode workbench as the e2e tests use it: a test API context over temporary folders,
 * the real server, and a Debian Chromium page that records page errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { JobEventBus } from '../../electron/jobs/events';
import { JobManager } from '../../electron/jobs/manager';
import { spawnNodeWorker } from '../../electron/jobs/spawn-node';
import { DEFAULT_RENDERER_DIR, startServer, type RunningServer } from '../../electron/serve';
import { testContext } from './api';
import { launchChromium } from './browser';

export interface Workbench {
  t: ReturnType<typeof testContext>;
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** Uncaught page errors and console errors, for a final "no errors" assertion. */
  pageErrors: string[];
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  viewport: { width: number; height: number };
  acceptDownloads?: boolean;
  /** Shares a job event bus with the server (tests that run jobs). */
  bus?: JobEventBus;
  /** Fills the data directory or adjusts the context before the server starts. */
  prepare?(t: ReturnType<typeof testContext>): void | Promise<void>;
}

export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  if (!fs.existsSync(path.join(DEFAULT_RENDERER_DIR, 'index.html'))) throw new Error('build the renderer first: npm run build:renderer');
  const t = testContext();
  await options.prepare?.(t);
  const server = await startServer({ ctx: t.ctx, port: 0, ...(options.bus ? { bus: options.bus } : {}) });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: options.viewport, acceptDownloads: options.acceptDownloads ?? false });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  return {
    t,
    server,
    browser,
    page,
    pageErrors,
    close: async () => {
      await browser.close();
      await server.close();
      t.cleanup();
    },
  };
}

/**
 * The workbench with a real run queue behind its API, as the app has: jobs run in Node worker
 * processes on the wasm backend, as many at a time as the settings' `concurrentJobs` (2 here).
 */
export async function openWorkbenchWithJobs(options: Omit<WorkbenchOptions, 'bus' | 'prepare'>): Promise<Workbench & { jobs: JobManager }> {
  const bus = new JobEventBus();
  let settings: (() => number | null) | undefined;
  // The queue reads its concurrency from the settings, as the app's does.
  const jobs = new JobManager(bus, spawnNodeWorker, { concurrency: () => settings?.() ?? null });
  const wb = await openWorkbench({
    ...options,
    bus,
    prepare: (ctx) => {
      ctx.ctx.settings.set({ backend: 'wasm', concurrentJobs: 2 });
      settings = () => ctx.ctx.settings.get().concurrentJobs;
      ctx.ctx.jobs = jobs;
    },
  });
  return {
    ...wb,
    jobs,
    close: async () => {
      jobs.shutdown();
      await wb.close();
    },
  };
}
