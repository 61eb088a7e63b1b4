/*
 * Small AVX2 helpers shared by the kernel files of ditto's native addon (gemm.c, conv.c, convfilter.c): lane masks
 * for partial vectors, masked loads and stores, and relu as the WebAssembly kernels compute it. Moves and masks only,
 * besides relu's comparisons: no arithmetic that could round.
 */
#ifndef DITTO_NATIVE_VEC_H
#define DITTO_NATIVE_VEC_H
#include <immintrin.h>
#include <stdint.h>

/* Lanes 0 .. n-1 of a mask (n clamped to 0..8). */
static inline __m256i dn_lanes(int64_t n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(n < 0 ? 0 : n > 8 ? 8 : n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* The first `lanes` floats at p (all 8 when lanes >= 8; the others +0, never read from memory). */
static inline __m256 dn_load(const float *p, int64_t lanes, __m256i mask) {
  return lanes >= 8 ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, mask);
}

/* Stores the first `lanes` lanes of v at p (none when lanes <= 0). */
static inline void dn_store(float *p, __m256 v, int64_t lanes, __m256i mask) {
  if (lanes >= 8) _mm256_storeu_ps(p, v);
  else if (lanes > 0) _mm256_maskstore_ps(p, mask, v);
}

/* relu as wasm-ew.ts's: c where c > 0 or c is NaN, else +0 (a mask, so the kept words are c's own bits). */
static inline __m256 dn_relu(__m256 c) {
  __m256 keep = _mm256_or_ps(_mm256_cmp_ps(c, _mm256_setzero_ps(), _CMP_GT_OQ), _mm256_cmp_ps(c, c, _CMP_UNORD_Q));
  return _mm256_and_ps(c, keep);
}
#endif
