/**
 * The preload bridge (bundled to one CommonJS file; runs sandboxed). It exposes one named method
 * per contract channel and a job-event subscription — never `ipcRenderer` itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { contract, JOB_EVENT_CHANNEL, type Channel } from '../shared/api/contract';
import type { JobEvent } from '../shared/api/events';

const bridge: Record<string, unknown> = {
  onJobEvent(listener: (event: JobEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onJobEvent needs a function');
    const wrapped = (_e: IpcRendererEvent, event: JobEvent) => listener(event);
    ipcRenderer.on(JOB_EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(JOB_EVENT_CHANNEL, wrapped);
  },
};
for (const channel of Object.keys(contract) as Channel[]) {
  // The channel name is fixed here, so the page can only reach the contract's channels.
  bridge[contract[channel].method] = (payload: unknown) => ipcRenderer.invoke(channel, payload ?? {});
}

contextBridge.exposeInMainWorld('sftrl', bridge);
