/** Starts a job worker with child_process.fork (browser mode and CLI), running the TypeScript source through tsx. */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKER_EXEC_ARGV } from './limits';
import type { WorkerHandle } from './manager';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.ts');
// Resolved here, not by the child: `--import tsx` would resolve against the user's working directory.
const TSX = import.meta.resolve('tsx');

export function spawnNodeWorker(): WorkerHandle {
  const child = fork(WORKER, [], { execArgv: ['--import', TSX, ...WORKER_EXEC_ARGV], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    send: (m) => child.connected && child.send(m),
    onMessage: (l) => child.on('message', l),
    onExit: (l) => child.on('exit', (code, signal) => l(code, signal)),
    kill: () => child.kill('SIGKILL'),
  };
}
