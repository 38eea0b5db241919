import { describe, expect, it, vi } from 'vitest';
import { defaultCandidates, selectBackend, type BackendCandidate, type BackendName } from '../../../electron/ml/backend';

function fakes(available: BackendName[], tried: BackendName[] = []): Record<BackendName, BackendCandidate> {
  const make = (name: BackendName): BackendCandidate => ({
    name,
    load: async () => {
      tried.push(name);
      if (name === 'tensorflow' && !available.includes(name)) throw Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node'"), { code: 'ERR_MODULE_NOT_FOUND' });
      if (!available.includes(name)) throw new Error(`${name} failed to initialise`);
    },
  });
  return { webgpu: make('webgpu'), 'tensorflow-gpu': make('tensorflow-gpu'), tensorflow: make('tensorflow'), wasm: make('wasm'), cpu: make('cpu') };
}

describe('tfjs backend selection', () => {
  it('takes the GPU build when it loads', async () => {
    const info = await selectBackend('auto', fakes(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']));
    expect(info).toEqual({
      name: 'tensorflow-gpu',
      reason: 'first backend that loaded (preference "auto")',
      skipped: [{ name: 'webgpu', reason: 'not tried: off unless the backend preference is "webgpu"' }],
    });
  });

  it('falls back tensorflow-gpu → tensorflow → wasm → cpu with a reason for each skip', async () => {
    const tried: BackendName[] = [];
    const info = await selectBackend('auto', fakes(['wasm', 'cpu'], tried));
    expect(tried).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm']);
    expect(info.name).toBe('wasm');
    expect(info.skipped).toEqual([
      { name: 'webgpu', reason: 'not tried: off unless the backend preference is "webgpu"' },
      { name: 'tensorflow-gpu', reason: 'tensorflow-gpu failed to initialise' },
      { name: 'tensorflow', reason: 'package not installed (its libtensorflow download failed or was skipped at npm install)' },
    ]);
    expect((await selectBackend('auto', fakes(['cpu']))).name).toBe('cpu');
  });

  it('honours a wasm or cpu preference without trying the native builds', async () => {
    const tried: BackendName[] = [];
    const info = await selectBackend('wasm', fakes(['tensorflow', 'wasm', 'cpu'], tried));
    expect(info.name).toBe('wasm');
    expect(tried).toEqual(['wasm']);
    expect(info.skipped.map((s) => s.reason)).toEqual([
      'not tried: off unless the backend preference is "webgpu"',
      'not tried: backend preference is "wasm"',
      'not tried: backend preference is "wasm"',
    ]);
    expect((await selectBackend('cpu', fakes(['tensorflow', 'wasm', 'cpu']))).name).toBe('cpu');
  });

  it('fails with every reason when nothing loads', async () => {
    await expect(selectBackend('auto', fakes([]))).rejects.toThrow(/no TensorFlow.js backend could start: webgpu: not tried.*tensorflow-gpu: .*cpu: cpu failed/);
  });

  it('tries WebGPU first only when chosen, and falls back to the automatic order with its reason', async () => {
    const tried: BackendName[] = [];
    expect((await selectBackend('webgpu', fakes(['webgpu', 'wasm'], tried))).name).toBe('webgpu');
    expect(tried).toEqual(['webgpu']);
    const candidates = fakes(['wasm', 'cpu']);
    candidates.webgpu.load = async () => {
      throw new Error('no WebGPU adapter: libvulkan.so.1 (the Vulkan loader) is missing');
    };
    const info = await selectBackend('webgpu', candidates);
    expect(info.name).toBe('wasm');
    expect(info.skipped[0]).toEqual({ name: 'webgpu', reason: 'no WebGPU adapter: libvulkan.so.1 (the Vulkan loader) is missing' });
  });

  it('appends how a backend was set up to its reason', async () => {
    const candidates = fakes(['wasm', 'cpu']);
    candidates.wasm.load = async () => '2 threads';
    expect((await selectBackend('wasm', candidates)).reason).toBe('first backend that loaded (preference "wasm"); 2 threads');
  });

  it('selects a real backend on this machine (the optional native builds may be absent)', async () => {
    const info = await selectBackend('wasm');
    expect(['wasm', 'cpu']).toContain(info.name);
  });

  it('on this machine, a WebGPU preference either starts WebGPU or falls back naming why it did not', async () => {
    // No GPU is needed: where Dawn finds no adapter (or the package is absent) the reason is listed.
    const info = await selectBackend('webgpu', defaultCandidates());
    if (info.name !== 'webgpu') {
      expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(info.name);
      expect(info.skipped[0]?.name).toBe('webgpu');
      expect(info.skipped[0]?.reason).toMatch(/^(package not installed: webgpu|no WebGPU adapter|webgpu \(Dawn\) did not load|@tensorflow\/tfjs-backend-webgpu did not load|tf\.setBackend)/);
    }
  });

  it('starts wasm with the threads asked for, and with one thread when that fails', async () => {
    const info = await selectBackend('wasm', defaultCandidates({ wasmThreads: 2 }));
    expect(info.name).toBe('wasm');
    expect(info.reason).toMatch(/; 2 threads$/);

    vi.stubGlobal('SharedArrayBuffer', undefined); // as in a runtime without wasm threads
    try {
      const fallback = await selectBackend('wasm', defaultCandidates({ wasmThreads: 2 }));
      expect(fallback.name).toBe('wasm');
      expect(fallback.reason).toMatch(/; 1 thread: the threaded build did not start \(SharedArrayBuffer is not available in this runtime\)$/);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
