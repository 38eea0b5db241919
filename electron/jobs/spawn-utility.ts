/** Starts a job worker as an Electron utilityProcess (the desktop app), from the bundled worker. */
import { utilityProcess } from 'electron';
import type { WorkerHandle } from './manager';

export function utilityWorkerSpawner(workerPath: string): () => WorkerHandle {
  return () => {
    const child = utilityProcess.fork(workerPath, [], { serviceName: 'sftrl-training-job', stdio: 'inherit' });
    return {
      send: (m) => child.postMessage(m),
      onMessage: (l) => child.on('message', l),
      onExit: (l) => child.on('exit', (code) => l(code)),
      kill: () => void child.kill(),
    };
  };
}
