/** The WebGPU probe's reasons (electron/ml/kernels/webgpu.ts), with Dawn faked: no GPU needed. */
import { afterEach, describe, expect, it } from 'vitest';
import { probeWebGpu, type WebGpuProbeDeps } from '../../../electron/ml/kernels/webgpu';

function deps(over: Partial<WebGpuProbeDeps>): WebGpuProbeDeps {
  return {
    importDawn: async () => ({ create: () => ({ requestAdapter: async () => null }), globals: {} }),
    platform: 'linux',
    exists: () => false,
    env: {},
    ...over,
  };
}

const g = globalThis as { navigator?: { gpu?: unknown }; GPUBufferUsage?: unknown };
const hadNavigator = 'navigator' in globalThis;
afterEach(() => {
  if (hadNavigator && g.navigator) delete g.navigator.gpu;
  else delete g.navigator;
  delete g.GPUBufferUsage;
});

describe('WebGPU probe', () => {
  it('names a missing package', async () => {
    const missing = deps({ importDawn: async () => { throw Object.assign(new Error("Cannot find package 'webgpu'"), { code: 'ERR_MODULE_NOT_FOUND' }); } });
    await expect(probeWebGpu(missing)).rejects.toThrow('package not installed: webgpu (Dawn for Node, an optional dependency)');
    const broken = deps({ importDawn: async () => { throw new Error('dawn.node: invalid ELF header\nmore'); } });
    await expect(probeWebGpu(broken)).rejects.toThrow('webgpu (Dawn) did not load: dawn.node: invalid ELF header');
  });

  it('tells a missing Vulkan loader from a GPU Dawn cannot use', async () => {
    await expect(probeWebGpu(deps({}))).rejects.toThrow(/no WebGPU adapter: libvulkan\.so\.1 \(the Vulkan loader\) is missing/);
    const withLoader = deps({ exists: (f) => f === '/opt/vk/libvulkan.so.1', env: { LD_LIBRARY_PATH: '/opt/vk' } });
    await expect(probeWebGpu(withLoader)).rejects.toThrow(/no WebGPU adapter: Dawn found no usable GPU/);
    await expect(probeWebGpu(deps({ platform: 'darwin' }))).rejects.toThrow(/Dawn found no usable GPU/);
    expect(g.navigator?.gpu).toBeUndefined(); // nothing installed on failure
  });

  it('installs navigator.gpu and the WebGPU constants when an adapter exists', async () => {
    const gpu = { requestAdapter: async () => ({ name: 'fake adapter' }) };
    await probeWebGpu(deps({ importDawn: async () => ({ create: () => gpu, globals: { GPUBufferUsage: { STORAGE: 128 } } }) }));
    expect(g.navigator?.gpu).toBe(gpu);
    expect(g.GPUBufferUsage).toEqual({ STORAGE: 128 });
  });
});
