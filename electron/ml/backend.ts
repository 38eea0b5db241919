/**
 * TensorFlow.js backend selection (DESIGN §5). Tried in order of speed:
 *   tfjs-node-gpu (CUDA) → tfjs-node (native TF CPU) → tfjs-backend-wasm (SIMD) → cpu (plain JS).
 * The native packages are optionalDependencies whose install downloads libtensorflow; where that
 * failed, npm removed them and we fall through. The outcome and why each better option was skipped
 * are returned (logged and shown in the UI), never thrown.
 */
import type { BackendInfo } from '../../shared/api/info';
import type { Settings } from '../../shared/api/settings';

export type BackendName = BackendInfo['name'];

/** How to bring up one backend; throws with a reason when it is unavailable. */
export interface BackendCandidate {
  name: BackendName;
  load(): Promise<void>;
}

const ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

function candidatesFor(preference: Settings['backend']): BackendName[] {
  switch (preference) {
    case 'auto':
    case 'tensorflow':
      return ORDER;
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
export function defaultCandidates(): Record<BackendName, BackendCandidate> {
  const useBackend = async (name: string) => {
    const tf = await import('@tensorflow/tfjs');
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
    await tf.ready();
  };
  return {
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
        await useBackend('wasm');
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
      skipped.push({ name, reason: `not tried: backend preference is "${preference}"` });
      continue;
    }
    try {
      await candidates[name].load();
      const reason =
        skipped.length === 0
          ? `fastest available backend (preference "${preference}")`
          : `first backend that loaded (preference "${preference}")`;
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
let cachedPreference: Settings['backend'] | undefined;

/** Selects once per process and preference (loading tfjs takes about a second). */
export function ensureBackend(preference: Settings['backend'], log?: (line: string) => void): Promise<BackendInfo> {
  if (!cached || cachedPreference !== preference) {
    cachedPreference = preference;
    cached = selectBackend(preference, defaultCandidates(), log);
  }
  return cached;
}
