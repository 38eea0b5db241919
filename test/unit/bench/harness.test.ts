import { describe, expect, it } from 'vitest';
import { loadAverageLine, referenceBlas } from '../../../bench/harness';

describe('bench harness: an honest baseline', () => {
  it('recognises PyTorch running on the reference BLAS (Debian libblas3), not on OpenBLAS or MKL', () => {
    expect(referenceBlas('/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0')).toBe('/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0');
    expect(referenceBlas('/usr/lib/aarch64-linux-gnu/libgomp.so.1, /usr/lib/aarch64-linux-gnu/blas/libblas.so.3')).toBe('/usr/lib/aarch64-linux-gnu/blas/libblas.so.3');
    expect(referenceBlas('/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3, /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so')).toBeNull();
    expect(referenceBlas('mkl (built in)')).toBeNull();
    expect(referenceBlas('unknown')).toBeNull();
  });

  it('states the load average with the core count', () => {
    expect(loadAverageLine()).toMatch(/^load average \d+\.\d\d, \d+\.\d\d, \d+\.\d\d \(1, 5, 15 min\) on \d+ cores$/);
  });
});
