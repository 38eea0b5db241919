/**
 * Memory bound of a job worker. Each worker holds one model, its optimizer state, rollouts and
 * evaluation sets; with several workers side by side, one leaking run must not push the machine
 * into swap and slow every other. V8's old-space cap bounds the JavaScript heap (episodes,
 * batches, metrics); tensors live outside it (WebAssembly memory or typed arrays), so the real
 * footprint is what each worker reports as RSS. Measured on recipe-scale gp-rule runs (WASM
 * backend): the heap peaked at 69–78 MB while RSS reached 1.16 GB (SFT) and 1.73 GB (RL), so the
 * cap leaves ~13× headroom for larger configs and still stops a leak at 1 GB. A worker that passes
 * it aborts (SIGABRT) and its run stays resumable from the last checkpoint.
 */
export const WORKER_HEAP_MB = 1024;

/** Node/V8 flags every job worker starts with. */
export const WORKER_EXEC_ARGV = [`--max-old-space-size=${WORKER_HEAP_MB}`];
