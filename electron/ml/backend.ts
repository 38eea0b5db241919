/**
 * TensorFlow.js backend selection (DESIGN §5). Tried in order of speed:
 *   [webgpu] → tfjs-node-gpu (CUDA) → tfjs-node (native TF CPU) → tfjs-backend-wasm (SIMD) → cpu (plain JS).
 * The native packages are optionalDependencies whose install downloads libtensorflow; where that
 * failed, npm removed them and we fall through. WebGPU (Dawn through the `webgpu` package) is
 * tried only when chosen explicitly: it has not been verified on a GPU here. The outcome and why
 * each better option was skipped are returned (logged and shown in the UI), never thrown.
 *
 * wasm also gets the batched-matmul kernel (kernels/matmul.ts) and, with more than one thread,
 * the threaded build (kernels/wasm-threads.ts); a threaded start that fails falls back to one
 * thread, with the reason in the backend's description.
 */
import type { BackendInfo } from '../../shared/api/info';
import type { Settings } from '../../shared/api/settings';
import { probeWebGpu } from './kernels/webgpu';

export type BackendName = BackendInfo['name'];

/** How to bring up one backend; throws with a reason when it is unavailable. */
export interface BackendCandidate {
  name: BackendName;
  /** Resolves with a note on how it was set up (e.g. wasm's thread count), if any. */
  load(): Promise<string | void>;
}

const ORDER: BackendName[] = ['webgpu', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/** How backends are brought up: the wasm thread count (settings.wasmThreads). */
export interface BackendOptions {
  wasmThreads?: number;
}

function candidatesFor(preference: Settings['backend']): BackendName[] {
  switch (preference) {
    case 'webgpu':
      return ORDER;
    case 'auto':
    case 'tensorflow':
      return ORDER.filter((n) => n !== 'webgpu');
    case 'wasm':
      return ['wasm', 'cpu'];
    case 'cpu':
      return ['cpu'];
  }
}

function describeLoadError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(e?.message ?? '')) {
    return 'package not installed (its libtensorflow download failed or was skipped at npm install)';
  }
  return (e?.message ?? String(error)).split('\n')[0] ?? 'unknown error';
}

/** The real loaders. Dynamic imports so a missing optional package is a value, not a crash. */
export function defaultCandidates(options: BackendOptions = {}): Record<BackendName, BackendCandidate> {
  const useBackend = async (name: string) => {
    const tf = await import('@tensorflow/tfjs');
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
    await tf.ready();
  };
  return {
    webgpu: {
      name: 'webgpu',
      load: async () => {
        await probeWebGpu();
        try {
          // @ts-ignore optional dependency
          await import('@tensorflow/tfjs-backend-webgpu');
        } catch (error) {
          throw new Error(`@tensorflow/tfjs-backend-webgpu did not load: ${describeLoadError(error).replace(/ \(its libtensorflow.*\)$/, '')}`);
        }
        await useBackend('webgpu');
      },
    },
    'tensorflow-gpu': {
      name: 'tensorflow-gpu',
      load: async () => {
        // @ts-ignore optional dependency, absent where libtensorflow could not be downloaded
        await import('@tensorflow/tfjs-node-gpu');
        await useBackend('tensorflow');
      },
    },
    tensorflow: {
      name: 'tensorflow',
      load: async () => {
        // @ts-ignore optional dependency, absent where libtensorflow could not be downloaded
        await import('@tensorflow/tfjs-node');
        await useBackend('tensorflow');
      },
    },
    wasm: {
      name: 'wasm',
      load: async () => {
        await import('@tensorflow/tfjs-backend-wasm');
        const { installWasmMatMul } = await import('./kernels/matmul');
        installWasmMatMul();
        const threads = options.wasmThreads ?? 1;
        if (threads <= 1) {
          await useBackend('wasm');
          return;
        }
        const { registerThreadedWasm, restoreStockWasm, wasmThreadsInUse } = await import('./kernels/wasm-threads');
        try {
          registerThreadedWasm(threads);
          await useBackend('wasm');
          return `${wasmThreadsInUse()} threads`;
        } catch (error) {
          restoreStockWasm();
          await useBackend('wasm');
          return `1 thread: the threaded build did not start (${describeLoadError(error)})`;
        }
      },
    },
    cpu: { name: 'cpu', load: () => useBackend('cpu') },
  };
}

/** Picks the first backend that loads, in the order the preference allows. */
export async function selectBackend(
  preference: Settings['backend'],
  candidates: Record<BackendName, BackendCandidate> = defaultCandidates(),
  log: (line: string) => void = () => {},
): Promise<BackendInfo> {
  const skipped: BackendInfo['skipped'] = [];
  for (const name of ORDER) {
    if (!candidatesFor(preference).includes(name)) {
      const reason = name === 'webgpu' ? 'not tried: off unless the backend preference is "webgpu"' : `not tried: backend preference is "${preference}"`;
      skipped.push({ name, reason });
      continue;
    }
    try {
      const note = await candidates[name].load();
      const reason =
        (skipped.length === 0
          ? `fastest available backend (preference "${preference}")`
          : `first backend that loaded (preference "${preference}")`) + (note ? `; ${note}` : '');
      log(`tfjs backend: ${name} — ${reason}`);
      for (const s of skipped) log(`  skipped ${s.name}: ${s.reason}`);
      return { name, reason, skipped };
    } catch (error) {
      skipped.push({ name, reason: describeLoadError(error) });
    }
  }
  // The cpu backend ships inside @tensorflow/tfjs, so reaching this means tfjs itself is broken.
  throw new Error(`no TensorFlow.js backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

let cached: Promise<BackendInfo> | undefined;
let cachedKey: string | undefined;

/** Selects once per process, preference and thread count (loading tfjs takes about a second). */
export function ensureBackend(preference: Settings['backend'], log?: (line: string) => void, options: BackendOptions = {}): Promise<BackendInfo> {
  const key = `${preference}/${options.wasmThreads ?? 1}`;
  if (!cached || cachedKey !== key) {
    cachedKey = key;
    cached = selectBackend(preference, defaultCandidates(options), log);
  }
  return cached;
}
