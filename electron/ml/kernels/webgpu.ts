/**
 * WebGPU for tfjs in Node: Dawn from the optional `webgpu` package, exposed as `navigator.gpu`
 * (tfjs-backend-webgpu looks there; tfjs PR #7595, issue #8066). The probe asks Dawn for an
 * adapter first, so "no GPU" is a reason shown to the user instead of a backend that fails on its
 * first kernel. Not verified on a GPU yet: the backend is tried only when chosen in Settings.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

interface DawnModule {
  create(flags: string[]): { requestAdapter(): Promise<unknown | null> };
  globals: Record<string, unknown>;
}

export interface WebGpuProbeDeps {
  importDawn(): Promise<DawnModule>;
  platform: NodeJS.Platform;
  /** Whether a file exists (to tell a missing Vulkan loader from a missing driver). */
  exists(file: string): boolean;
  env: NodeJS.ProcessEnv;
}

const defaultDeps: WebGpuProbeDeps = {
  // @ts-ignore optional dependency, absent where it was not installed
  importDawn: () => import('webgpu') as Promise<DawnModule>,
  platform: process.platform,
  exists: existsSync,
  env: process.env,
};

/** Folders the Linux dynamic loader searches for libvulkan.so.1 (LD_LIBRARY_PATH, then the usual ones). */
function vulkanLoaderFound(deps: WebGpuProbeDeps): boolean {
  const dirs = [
    ...(deps.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/lib', '/lib64', '/usr/lib', '/usr/lib64', '/usr/local/lib',
    '/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/usr/lib/aarch64-linux-gnu',
  ];
  return dirs.some((d) => deps.exists(path.join(d, 'libvulkan.so.1')));
}

/** Why Dawn returned no adapter, as specifically as can be told from outside. */
export function noAdapterReason(deps: Pick<WebGpuProbeDeps, 'platform' | 'exists' | 'env'>): string {
  if (deps.platform === 'linux' && !vulkanLoaderFound(deps as WebGpuProbeDeps)) {
    return 'no WebGPU adapter: libvulkan.so.1 (the Vulkan loader) is missing; install it and a Vulkan GPU driver (Debian/Ubuntu: libvulkan1 and your GPU\'s Vulkan driver)';
  }
  return 'no WebGPU adapter: Dawn found no usable GPU (check the GPU driver\'s Vulkan, Metal or D3D12 support)';
}

/**
 * Loads Dawn, checks for an adapter and installs `navigator.gpu` and the WebGPU constants.
 * Throws an Error whose message is the reason shown when the backend is skipped.
 */
export async function probeWebGpu(deps: WebGpuProbeDeps = defaultDeps): Promise<void> {
  let dawn: DawnModule;
  try {
    dawn = await deps.importDawn();
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(e?.message ?? '')) {
      throw new Error('package not installed: webgpu (Dawn for Node, an optional dependency)');
    }
    throw new Error(`webgpu (Dawn) did not load: ${(e?.message ?? String(error)).split('\n')[0]}`);
  }
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error(noAdapterReason(deps));
  Object.assign(globalThis, dawn.globals); // GPUBufferUsage, GPUShaderStage, … used by tfjs-backend-webgpu
  const g = globalThis as { navigator?: object };
  if (g.navigator === undefined) g.navigator = { gpu };
  else Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
}
