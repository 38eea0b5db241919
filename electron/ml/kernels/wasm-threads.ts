/**
 * Multi-threaded tfjs-backend-wasm in Node, without patching the dependency.
 *
 * tfjs 4.22 turns threads off under Node (tfjs issue #3830): its threaded build hands Emscripten
 * a `blob:` URL for the pthread worker and a Blob main script, and Node's Worker accepts neither
 * (ERR_WORKER_PATH). Emscripten's own worker script already has a Node branch (worker_threads,
 * importScripts via fs), so it runs once it is a real file. This module re-registers the 'wasm'
 * backend with the same BackendWasm class and kernels, created from the unbundled threaded-SIMD
 * factory with the worker written to a temp file and the factory's own path as main script.
 * SPEED-NOTES §3 tested this: bit-identical losses on 1 and 2 threads.
 *
 * With one thread the stock backend is left alone (the single-thread SIMD build).
 */
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
// The cap (8) is the threaded build's pre-spawned Emscripten worker pool.
import { MAX_WASM_THREADS } from '../../../shared/api/settings';

const WASM_PRIORITY = 2; // tfjs-backend-wasm's own

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: unknown[]) => unknown;
  tfjs?: Record<string, unknown>;
  PThread?: { unusedWorkers: NodeWorker[]; runningWorkers: NodeWorker[] };
}

interface NodeWorker {
  ref(): void;
  unref(): void;
}

type Factory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

/** Writes Emscripten's pthread worker script to a file Node's Worker can load; returns its path. */
function workerFile(pkgDir: string, version: string): string {
  const req = createRequire(path.join(pkgDir, 'package.json'));
  const { wasmWorkerContents } = req('./wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as { wasmWorkerContents: string };
  // The string was built from a template literal that turned the source's `\n` escapes into real
  // newlines inside string literals; tfjs undoes that the same way before making its Blob.
  const text = wasmWorkerContents.replace(/\n/g, '\\n');
  const dir = path.join(os.tmpdir(), 'sftrl-tfjs-wasm');
  mkdirSync(dir, { recursive: true });
  // .cjs: the worker uses require() whatever package.json sits above the temp folder.
  const file = path.join(dir, `threaded-simd-${version}.worker.cjs`);
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== text) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file); // atomic: another process may be starting its workers from it
  }
  return file;
}

/**
 * Makes `tf.setBackend('wasm')` start the threaded-SIMD build with `threads` threads. Call before
 * the backend initialises; an initialised 'wasm' backend is replaced (its tensors are lost).
 * Throws with the reason where threads cannot work (no SharedArrayBuffer or wasm threads).
 */
export function registerThreadedWasm(threads: number): void {
  if (!Number.isInteger(threads) || threads < 2 || threads > MAX_WASM_THREADS) {
    throw new Error(`threaded wasm needs 2..${MAX_WASM_THREADS} threads, got ${threads}`);
  }
  if (typeof SharedArrayBuffer === 'undefined') throw new Error('SharedArrayBuffer is not available in this runtime');
  const req = createRequire(import.meta.url);
  const pkgJson = req.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  const pkgDir = path.dirname(pkgJson);
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const mainScript = path.join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const wasmBinary = path.join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.wasm');
  const factory = req(mainScript) as Factory;
  const worker = workerFile(pkgDir, version);

  const current = tf.findBackendFactory('wasm');
  if (current) {
    stockFactory ??= current;
    tf.removeBackend('wasm');
  }
  tf.registerBackend(
    'wasm',
    async () => {
      // XNNPACK's pool takes min(requested, logical cores / 2, 8), assuming hyper-threads, and
      // Emscripten reads the core count while the module starts. The count asked for here is the
      // user's explicit choice, so os.cpus() reports enough cores until the pool exists.
      const cpus = os.cpus;
      const real = cpus.call(os);
      if (real.length < 2 * threads) os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]!);
      try {
        const module = await factory({
          mainScriptUrlOrBlob: mainScript,
          locateFile: (file: string, prefix: string) => {
            if (file.endsWith('.worker.js')) return worker;
            if (file.endsWith('.wasm')) return wasmBinary;
            return prefix + file;
          },
        });
        // Pool threads wait forever for work; Emscripten ref()s a worker while its thread runs,
        // which would keep Node from exiting after the last job.
        const pthreads = module.PThread;
        for (const w of [...(pthreads?.unusedWorkers ?? []), ...(pthreads?.runningWorkers ?? [])]) {
          w.ref = () => {};
          w.unref();
        }
        module.tfjs = {
          init: module.cwrap('init', null, []),
          initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
          getThreadsCount: module.cwrap('get_threads_count', 'number', []),
          registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
          disposeData: module.cwrap('dispose_data', null, ['number']),
          dispose: module.cwrap('dispose', null, []),
        };
        setThreadsCount(threads);
        return new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
      } finally {
        os.cpus = cpus;
      }
    },
    WASM_PRIORITY,
  );
}

let stockFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | undefined;

/** Puts tfjs-backend-wasm's own (single-thread) factory back, e.g. after a failed threaded start. */
export function restoreStockWasm(): void {
  if (!stockFactory) return;
  if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
  tf.registerBackend('wasm', stockFactory, WASM_PRIORITY);
}

/** Threads the active wasm backend's XNNPACK pool really uses (1 for the stock build). */
export function wasmThreadsInUse(): number {
  const b = tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } };
  return b.wasm?.tfjs?.getThreadsCount?.() ?? 1;
}
