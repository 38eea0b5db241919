/**
 * The Electron main process: the shell only. It serves the renderer from the `app://` scheme,
 * registers one IPC handler per contract channel (sender checked, payload validated by
 * `dispatch`), relays job events, denies every permission request, and renders figure PDFs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, ipcMain, net, protocol, session, BrowserWindow } from 'electron';
import ElectronStore from 'electron-store';
import { JOB_EVENT_CHANNEL } from '../shared/api/contract';
import { createApiContext } from './api/context';
import { registerIpcHandlers, type IpcMainLike } from './api/ipc';
import { printSvgToPdf } from './figures/pdf';
import { JobEventBus } from './jobs/events';
import { markRunFailed } from './jobs/crash';
import { JobManager } from './jobs/manager';
import { utilityWorkerSpawner } from './jobs/spawn-utility';
import { APP_HOST, APP_SCHEME, contentSecurityPolicy, safeAssetPath } from './security';
import { openSettingsStore } from './settings/store';
import { createMainWindow, lockDownContents } from './window';

// dist/electron/main.mjs → dist/renderer and dist/electron/preload.cjs
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '..', 'renderer');
const preloadPath = path.join(here, 'preload.cjs');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const rel = url.host === APP_HOST ? safeAssetPath(url.pathname) : null;
    const file = rel === null ? null : path.join(rendererDir, rel);
    if (!file || !file.startsWith(rendererDir + path.sep) || !fs.existsSync(file)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(`file://${file}`);
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy());
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  const settings = openSettingsStore({ cwd: app.getPath('userData'), dataDir: path.join(app.getPath('userData'), 'runs'), StoreClass: ElectronStore as never });
  for (const w of settings.warnings) console.warn(w);
  const bus = new JobEventBus();
  const jobs = new JobManager(bus, utilityWorkerSpawner(path.join(here, 'worker.mjs')), {
    onCrash: (spec, message) => markRunFailed(spec.dataDir, spec.runId, message),
    concurrency: () => settings.get().concurrentJobs,
  });
  app.on('before-quit', () => jobs.shutdown());
  const ctx = createApiContext('electron', settings, console.log, jobs);
  // figures:pdf: a hidden, script-less window per figure (electron/figures/pdf.ts).
  ctx.printPdf = (svg, page) => printSvgToPdf(BrowserWindow, svg, page);

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_e, contents) => lockDownContents(contents));

  registerIpcHandlers(ipcMain as unknown as IpcMainLike, ctx);
  bus.subscribe((event) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(JOB_EVENT_CHANNEL, event);
  });

  serveRenderer();
  createMainWindow(preloadPath);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(preloadPath);
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

start().catch((error: Error) => {
  console.error(`The workbench could not start: ${error.message}`);
  app.exit(1);
});
