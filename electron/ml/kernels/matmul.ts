/**
 * A wasm-SIMD kernel for the batched and transposed matmuls of tfjs-backend-wasm.
 *
 * tfjs-wasm 4.22 sends a BatchMatMul to XNNPACK only when it is batch 1 and untransposed; every
 * other case runs a scalar blocked loop. Attention's [B·H, T, dh] products are all batched, and
 * measured at ~0.7 GFLOP/s they took 28% of an SFT step for 4.5% of its FLOPs (SPEED-NOTES §2).
 * This replaces the wasm BatchMatMul kernel with one that keeps the XNNPACK case as it was and
 * sends the rest to matmul.c: a small module that imports tfjs's own WebAssembly.Memory and
 * computes in place on its tensors (no copies across the JS boundary). Its gradients need nothing
 * extra: tfjs differentiates BatchMatMul into BatchMatMuls with transpose flags, which land here.
 *
 * Disable with SFTRL_WASM_MATMUL=stock (for A/B benchmarks and bisecting).
 */
import * as tf from '@tensorflow/tfjs';
import { matmul_plain, matmul_plain_relaxed, matmul_shared, matmul_shared_relaxed } from './wasm-modules';

interface KernelExports {
  scratch_floats(m: number, k: number, n: number): number;
  bmm(a: number, b: number, out: number, scratch: number, batch: number, m: number, k: number, n: number,
    transA: number, transB: number, strideA: number, strideB: number): void;
}

/** The parts of tfjs-backend-wasm's BackendWasm this kernel uses. */
interface WasmBackendLike {
  wasm: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory; HEAPF32: Float32Array; _malloc(n: number): number; _free(p: number): void };
  dataIdMap: { get(id: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

const instances = new WeakMap<object, KernelExports>();
let lastVariant: string | undefined;

/** Which build of matmul.c the last backend got, e.g. `plain+relaxed` (for tests and logs). */
export function wasmMatMulVariant(): string | undefined {
  return lastVariant;
}

function decode(b64: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/** Instantiates matmul.c against this backend's heap (once per backend instance). */
function kernelFor(backend: WasmBackendLike): KernelExports {
  let k = instances.get(backend);
  if (k) return k;
  const memory = backend.wasm.asm?.memory ?? backend.wasm.wasmMemory;
  if (!memory) throw new Error('tfjs-backend-wasm exposes no WebAssembly.Memory (asm.memory); cannot attach the matmul kernel');
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  // Relaxed SIMD (fused multiply-add) where the runtime validates it: on by default in Electron's
  // V8, behind --experimental-wasm-relaxed-simd in Node 20.
  const relaxed = decode(shared ? matmul_shared_relaxed : matmul_plain_relaxed);
  const useRelaxed = process.env.SFTRL_WASM_RELAXED_SIMD !== '0' && WebAssembly.validate(relaxed);
  const module = new WebAssembly.Module(useRelaxed ? relaxed : decode(shared ? matmul_shared : matmul_plain));
  lastVariant = `${shared ? 'shared' : 'plain'}${useRelaxed ? '+relaxed' : ''}`;
  k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  instances.set(backend, k);
  return k;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Whether the custom kernel handles this product (otherwise the stock kernel runs). */
export function usesFastPath(aShape: readonly number[], bShape: readonly number[], transposeA: boolean, transposeB: boolean): boolean {
  const batchA = size(aShape.slice(0, -2));
  const batchB = size(bShape.slice(0, -2));
  if (size(aShape) === 0 || size(bShape) === 0) return false;
  if (batchA === 1 && batchB === 1 && !transposeA && !transposeB) return false; // XNNPACK's case
  // Broadcasting only as "same batch" or "one side has a single matrix".
  return batchA === batchB || batchA === 1 || batchB === 1;
}

let installed = false;
let enabled = true;

/** Turns the custom path off and on without unregistering (the benchmark alternates both). */
export function setWasmMatMulEnabled(on: boolean): void {
  enabled = on;
}

/**
 * Registers the kernel for the 'wasm' backend (idempotent). Call before or after the backend
 * initialises; the module is attached to the heap on first use.
 */
export function installWasmMatMul(): boolean {
  if (installed) return true;
  if (process.env.SFTRL_WASM_MATMUL === 'stock') return false;
  const stock = tf.getKernel('BatchMatMul', 'wasm');
  if (!stock) return false; // tfjs-backend-wasm not imported
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    setupFunc: stock.setupFunc,
    disposeFunc: stock.disposeFunc,
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
      if (!enabled || a.dtype !== 'float32' || b.dtype !== 'float32' || !usesFastPath(a.shape, b.shape, transposeA, transposeB)) {
        return stock.kernelFunc(args);
      }
      const backend = args.backend as unknown as WasmBackendLike;
      const ra = a.shape.length;
      const rb = b.shape.length;
      const M = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
      const K = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
      const Kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
      const N = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
      if (K !== Kb) {
        throw new Error(`Error in matMul: inner shapes (${K}) and (${Kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
      }
      const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
      const batchA = size(a.shape.slice(0, -2));
      const batchB = size(b.shape.slice(0, -2));
      const kernel = kernelFor(backend);
      const out = backend.makeOutput([...outer, M, N], 'float32');
      const scratch = backend.wasm._malloc(kernel.scratch_floats(M, K, N) * 4 + 16);
      try {
        kernel.bmm(
          backend.dataIdMap.get(a.dataId).memoryOffset,
          backend.dataIdMap.get(b.dataId).memoryOffset,
          backend.dataIdMap.get(out.dataId).memoryOffset,
          Math.ceil(scratch / 16) * 16,
          Math.max(batchA, batchB), M, K, N, transposeA ? 1 : 0, transposeB ? 1 : 0,
          batchA === 1 ? 0 : M * K, batchB === 1 ? 0 : K * N,
        );
      } finally {
        backend.wasm._free(scratch);
      }
      return out;
    },
  });
  installed = true;
  return true;
}
