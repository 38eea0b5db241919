/** Messages between the job manager (main process) and a job worker (child process). */

export interface JobSpec {
  jobId: string;
  /** What the worker runs; see electron/jobs/runners.ts. */
  kind: string;
  runId: string;
  dataDir: string;
  /** Continue from the run's last checkpoint instead of starting fresh. */
  resume: boolean;
  /** The job's input: for `experiment`, `{ id, config }` (validated by the job itself). */
  payload?: unknown;
  /** TensorFlow.js backend preference (settings). */
  backend?: 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
  /** Threads of the wasm backend (settings.wasmThreads); 1 when absent. */
  wasmThreads?: number;
}

export type ToWorker = { type: 'start'; spec: JobSpec } | { type: 'cancel' };

export type FromWorker =
  | { type: 'progress'; stage: string; step: number; total: number; metrics: Record<string, number>; rssMb?: number }
  /** A heartbeat of the worker's resident memory, so long steps without progress (evaluation) still report it. */
  | { type: 'memory'; rssMb: number; heapMb?: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'done'; status: 'completed' | 'cancelled' }
  | { type: 'failed'; message: string };

/** What a job's code sees: progress reporting, logging, and cancellation polling. */
export interface JobContext {
  spec: JobSpec;
  progress(stage: string, step: number, total: number, metrics?: Record<string, number>): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** True once cancellation was requested: a job checks it between steps and returns early. */
  readonly cancelled: boolean;
}

export function isFromWorker(value: unknown): value is FromWorker {
  if (value === null || typeof value !== 'object') return false;
  const t = (value as { type?: unknown }).type;
  return t === 'progress' || t === 'memory' || t === 'log' || t === 'done' || t === 'failed';
}
