// Batched / transposed float32 matmul for tfjs-backend-wasm's heap (see matmul.ts for why).
//
// Built by scripts/build-kernels.mjs with clang --target=wasm32 -msimd128 -nostdlib and an
// imported memory: every pointer below is an offset into tfjs's own WebAssembly.Memory, so the
// kernel reads its tensors and writes its output in place. The module must have no data
// segments and must not touch the C stack (its __stack_pointer would point into tfjs's heap);
// the build script checks both. Hence: no locals arrays, no library calls, everything inlined.
#include <wasm_simd128.h>

#define INLINE static inline __attribute__((always_inline))

// acc + a*b. The relaxed-SIMD build fuses it (one rounding, twice the throughput where the CPU has
// FMA, e.g. Apple M-series); it runs only where the runtime validates relaxed SIMD (matmul.ts).
#ifdef RELAXED_SIMD
#define MADD(acc, a, b) __builtin_wasm_relaxed_madd_f32x4((a), (b), (acc))
#else
#define MADD(acc, a, b) wasm_f32x4_add((acc), wasm_f32x4_mul((a), (b)))
#endif

// Copies op(A[b]) into ap as an [M,K] row-major matrix.
INLINE void pack_a(const float *a, float *ap, int M, int K, int transA) {
  if (!transA) {
    for (int i = 0; i < M * K; i++) ap[i] = a[i];
    return;
  }
  // A is stored [K,M]
  for (int k = 0; k < K; k++)
    for (int i = 0; i < M; i++) ap[i * K + k] = a[k * M + i];
}

// Copies op(B[b]) into bp as a [K,NP] row-major matrix, NP = N rounded up to 4, zero padded.
INLINE void pack_b(const float *b, float *bp, int K, int N, int NP, int transB) {
  if (transB) {
    // B is stored [N,K]: read it row by row (contiguous), scatter into columns.
    for (int j = 0; j < N; j++) {
      const float *src = b + j * K;
      for (int k = 0; k < K; k++) bp[k * NP + j] = src[k];
    }
  } else {
    for (int k = 0; k < K; k++)
      for (int j = 0; j < N; j++) bp[k * NP + j] = b[k * N + j];
  }
  for (int k = 0; k < K; k++)
    for (int j = N; j < NP; j++) bp[k * NP + j] = 0.0f;
}

// Stores the first n (1..4) lanes of v at p.
INLINE void store_partial(float *p, v128_t v, int n) {
  if (n == 4) {
    wasm_v128_store(p, v);
    return;
  }
  p[0] = wasm_f32x4_extract_lane(v, 0);
  if (n > 1) p[1] = wasm_f32x4_extract_lane(v, 1);
  if (n > 2) p[2] = wasm_f32x4_extract_lane(v, 2);
}

// c[M,N] = ap[M,K] · bp[K,NP]; 4 rows × 8 columns of accumulators per inner loop.
INLINE void gemm(const float *ap, const float *bp, float *c, int M, int K, int N, int NP) {
  int i = 0;
  for (; i + 4 <= M; i += 4) {
    const float *a0 = ap + i * K, *a1 = a0 + K, *a2 = a1 + K, *a3 = a2 + K;
    int j = 0;
    for (; j + 8 <= NP; j += 8) {
      v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00;
      v128_t c20 = c00, c21 = c00, c30 = c00, c31 = c00;
      const float *bk = bp + j;
      for (int k = 0; k < K; k++, bk += NP) {
        v128_t b0 = wasm_v128_load(bk), b1 = wasm_v128_load(bk + 4);
        v128_t x0 = wasm_v128_load32_splat(a0 + k), x1 = wasm_v128_load32_splat(a1 + k);
        v128_t x2 = wasm_v128_load32_splat(a2 + k), x3 = wasm_v128_load32_splat(a3 + k);
        c00 = MADD(c00, x0, b0);
        c01 = MADD(c01, x0, b1);
        c10 = MADD(c10, x1, b0);
        c11 = MADD(c11, x1, b1);
        c20 = MADD(c20, x2, b0);
        c21 = MADD(c21, x2, b1);
        c30 = MADD(c30, x3, b0);
        c31 = MADD(c31, x3, b1);
      }
      int n0 = N - j, n1 = N - j - 4;
      if (n0 > 4) n0 = 4;
      if (n1 > 4) n1 = 4;
      float *r = c + i * N + j;
      store_partial(r, c00, n0);
      store_partial(r + N, c10, n0);
      store_partial(r + 2 * N, c20, n0);
      store_partial(r + 3 * N, c30, n0);
      if (n1 > 0) {
        store_partial(r + 4, c01, n1);
        store_partial(r + N + 4, c11, n1);
        store_partial(r + 2 * N + 4, c21, n1);
        store_partial(r + 3 * N + 4, c31, n1);
      }
    }
    for (; j < NP; j += 4) {
      v128_t c0 = wasm_f32x4_splat(0), c1 = c0, c2 = c0, c3 = c0;
      const float *bk = bp + j;
      for (int k = 0; k < K; k++, bk += NP) {
        v128_t b0 = wasm_v128_load(bk);
        c0 = MADD(c0, wasm_v128_load32_splat(a0 + k), b0);
        c1 = MADD(c1, wasm_v128_load32_splat(a1 + k), b0);
        c2 = MADD(c2, wasm_v128_load32_splat(a2 + k), b0);
        c3 = MADD(c3, wasm_v128_load32_splat(a3 + k), b0);
      }
      int n0 = N - j;
      if (n0 > 4) n0 = 4;
      float *r = c + i * N + j;
      store_partial(r, c0, n0);
      store_partial(r + N, c1, n0);
      store_partial(r + 2 * N, c2, n0);
      store_partial(r + 3 * N, c3, n0);
    }
  }
  for (; i < M; i++) {
    const float *a0 = ap + i * K;
    for (int j = 0; j < NP; j += 4) {
      v128_t c0 = wasm_f32x4_splat(0);
      const float *bk = bp + j;
      for (int k = 0; k < K; k++, bk += NP) c0 = MADD(c0, wasm_v128_load32_splat(a0 + k), wasm_v128_load(bk));
      int n0 = N - j;
      if (n0 > 4) n0 = 4;
      store_partial(c + i * N + j, c0, n0);
    }
  }
}

// c[M,N] = a[M,K] · b[N,K]ᵀ as dot products of rows, for few rows of A (decoding: M=1), where
// packing B would cost as much as the product.
INLINE void gemm_dots(const float *a, const float *b, float *c, int M, int K, int N) {
  int K4 = K & ~3;
  for (int i = 0; i < M; i++) {
    const float *ai = a + i * K;
    for (int j = 0; j < N; j++) {
      const float *bj = b + j * K;
      v128_t acc = wasm_f32x4_splat(0);
      for (int k = 0; k < K4; k += 4) acc = MADD(acc, wasm_v128_load(ai + k), wasm_v128_load(bj + k));
      float sum = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) +
                  wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3);
      for (int k = K4; k < K; k++) sum += ai[k] * bj[k];
      c[i * N + j] = sum;
    }
  }
}

// Scratch needed by bmm, in floats: packed A (when transposed) + packed B.
__attribute__((export_name("scratch_floats"))) int scratch_floats(int M, int K, int N) {
  return ((M * K + 3) & ~3) + K * ((N + 3) & ~3);
}

// out[b] = op(A[b]) · op(B[b]) for b < batch. A batch stride of 0 broadcasts that operand.
// Offsets are byte offsets into the shared heap; scratch holds scratch_floats(M,K,N) floats,
// 16-byte aligned. Operands already in the layout gemm reads are used in place, not copied.
__attribute__((export_name("bmm"))) void bmm(float *a, float *b, float *out, float *scratch, int batch, int M, int K,
                                             int N, int transA, int transB, int strideA, int strideB) {
  int NP = (N + 3) & ~3;
  float *ap = scratch;
  float *bp = scratch + ((M * K + 3) & ~3);
  int directB = !transB && NP == N;
  for (int t = 0; t < batch; t++) {
    const float *at = a + t * strideA, *bt = b + t * strideB;
    if (transA) {
      if (t == 0 || strideA) pack_a(at, ap, M, K, 1);
      at = ap;
    }
    if (transB && M < 4) {
      gemm_dots(at, bt, out + t * M * N, M, K, N);
      continue;
    }
    if (!directB) {
      if (t == 0 || strideB) pack_b(bt, bp, K, N, NP, transB);
      bt = bp;
    }
    gemm(at, bt, out + t * M * N, M, K, N, NP);
  }
}
