import { describe, expect, it } from 'vitest';
import { selectBackend, type BackendCandidate, type BackendName } from '../../../electron/ml/backend';

function fakes(available: BackendName[], tried: BackendName[] = []): Record<BackendName, BackendCandidate> {
  const make = (name: BackendName): BackendCandidate => ({
    name,
    load: async () => {
      tried.push(name);
      if (name === 'tensorflow' && !available.includes(name)) throw Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node'"), { code: 'ERR_MODULE_NOT_FOUND' });
      if (!available.includes(name)) throw new Error(`${name} failed to initialise`);
    },
  });
  return { 'tensorflow-gpu': make('tensorflow-gpu'), tensorflow: make('tensorflow'), wasm: make('wasm'), cpu: make('cpu') };
}

describe('tfjs backend selection', () => {
  it('takes the GPU build when it loads', async () => {
    const info = await selectBackend('auto', fakes(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']));
    expect(info).toEqual({ name: 'tensorflow-gpu', reason: 'fastest available backend (preference "auto")', skipped: [] });
  });

  it('falls back tensorflow-gpu → tensorflow → wasm → cpu with a reason for each skip', async () => {
    const tried: BackendName[] = [];
    const info = await selectBackend('auto', fakes(['wasm', 'cpu'], tried));
    expect(tried).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm']);
    expect(info.name).toBe('wasm');
    expect(info.skipped).toEqual([
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
    expect(info.skipped.map((s) => s.reason)).toEqual(['not tried: backend preference is "wasm"', 'not tried: backend preference is "wasm"']);
    expect((await selectBackend('cpu', fakes(['tensorflow', 'wasm', 'cpu']))).name).toBe('cpu');
  });

  it('fails with every reason when nothing loads', async () => {
    await expect(selectBackend('auto', fakes([]))).rejects.toThrow(/no TensorFlow.js backend could start: tensorflow-gpu: .*cpu: cpu failed/);
  });

  it('selects a real backend on this machine (the optional native builds may be absent)', async () => {
    const info = await selectBackend('wasm');
    expect(['wasm', 'cpu']).toContain(info.name);
  });
});
