import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerIpcHandlers, type InvokeEventLike } from '../../../electron/api/ipc';
import { channels, contract } from '../../../shared/api/contract';
import { testContext } from '../../helpers/api';

type Listener = (event: InvokeEventLike, payload: unknown) => Promise<unknown>;

describe('Electron IPC handlers', () => {
  let t: ReturnType<typeof testContext>;
  const handlers = new Map<string, Listener>();
  beforeEach(() => {
    t = testContext();
    handlers.clear();
    registerIpcHandlers({ handle: (c, l) => handlers.set(c, l as Listener) }, t.ctx);
  });
  afterEach(() => t.cleanup());

  const mainFrame = { url: 'app://workbench/index.html' };
  const trusted: InvokeEventLike = { senderFrame: mainFrame, sender: { mainFrame } };

  it('registers exactly the contract channels', () => {
    expect([...handlers.keys()].sort()).toEqual([...channels].sort());
  });

  it('serves our own top-level page', async () => {
    const set = handlers.get('settings:set') as Listener;
    expect(await set(trusted, { theme: 'light' })).toMatchObject({ ok: true, data: { theme: 'light' } });
  });

  it('refuses untrusted senders before touching anything', async () => {
    const set = handlers.get('settings:set') as Listener;
    const sub = { url: 'app://workbench/index.html' };
    const cases: InvokeEventLike[] = [
      { senderFrame: { url: 'https://evil.example/' }, sender: { mainFrame: { url: 'https://evil.example/' } } },
      { senderFrame: { url: 'file:///tmp/x.html' }, sender: { mainFrame: { url: 'file:///tmp/x.html' } } },
      { senderFrame: sub, sender: { mainFrame } }, // an iframe, even one of ours
      { senderFrame: null, sender: { mainFrame } },
    ];
    for (const event of cases) {
      expect(await set(event, { theme: 'dark' })).toEqual({ ok: false, error: { code: 'forbidden', message: 'IPC from an untrusted sender refused (settings:set)' } });
    }
    expect(t.ctx.settings.get().theme).toBe('system');
  });

  it('validates payloads from trusted senders', async () => {
    const get = handlers.get('runs:get') as Listener;
    expect(await get(trusted, { id: '../../etc' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});

describe('preload bridge', () => {
  it('exposes one named method per channel and never ipcRenderer', async () => {
    const exposed: Record<string, Record<string, unknown>> = {};
    const invoke = vi.fn(async () => ({ ok: true, data: null }));
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => (exposed[name] = api) },
      ipcRenderer: { invoke, on: vi.fn(), removeListener: vi.fn() },
    }));
    await import('../../../electron/preload');
    const bridge = exposed.sftrl as Record<string, unknown>;
    const expected = [...Object.values(contract).map((c) => c.method), 'onJobEvent'].sort();
    expect(Object.keys(bridge).sort()).toEqual(expected);
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
    await (bridge.getRun as (p: unknown) => Promise<unknown>)({ id: 'x' });
    expect(invoke).toHaveBeenCalledWith('runs:get', { id: 'x' });
    vi.doUnmock('electron');
  });
});
