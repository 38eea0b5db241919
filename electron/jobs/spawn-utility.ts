/** Starts a job worker as an Electron utilityProcess (the desktop app), from the bundled worker. */
import { utilityProcess } from 'electron';
import { WORKER_EXEC_ARGV } from './limits';
import type { WorkerHandle } from './manager';

export function utilityWorkerSpawner(workerPath: string): () => WorkerHandle {
  return () => {
    const child = utilityProcess.fork(workerPath, [], { serviceName: 'sftrl-training-job', stdio: 'inherit', execArgv: WORKER_EXEC_ARGV });
    return {
      send: (m) => child.postMessage(m),
      onMessage: (l) => child.on('message', l),
      onExit: (l) => child.on('exit', (code) => l(code)),
      kill: () => void child.kill(),
    };
  };
}
