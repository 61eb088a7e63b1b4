/*
 * Dropout's Philox stream in ditto's native addon (addon.c; x86-64 with AVX2): dropoutApply's loop
 * of src/kernels/cpu/wasm-philox.ts ('dropout') with 8 blocks per vector instead of 4, reading x and
 * writing the output in place in the tensors' own memory (no copies through a heap).
 *
 * dropout(x, out, i0, m, key0, key1, c0, c1, c2, c3, boundBits, factorBits): for t in [0, m),
 * element i0 + t is word t & 3 of Philox4x32-10 at counter (c0 + (t >> 2), c1, c2, c3) with key
 * (key0, key1), as u = f32(w & 0x7FFFFF) * 2^-23, and out[i0 + t] = u >= bound ? f32(x[i0 + t] *
 * factor) : +0 (bound and factor passed as float32 bits). The caller splits ranges so that word 0 of
 * the counter does not wrap (dropout-tasks.ts carries into c1..c3 itself); a range that would wrap
 * is a RangeError, as is one outside x or out.
 *
 * Exactness: the rounds are 32-bit integer arithmetic (the 32 x 32 -> 64-bit products exact, from
 * _mm256_mul_epu32 on even and odd lanes), the int -> float conversion of a 23-bit value and the
 * multiply by 2^-23 are exact, and the keep test (_CMP_GE_OQ, as f32x4.ge), the multiply and the mask
 * (v128.and) are the WebAssembly loop's float32 operations on the same values: the same bits
 * (src/kernels/cpu/native-philox.ts checks that against the WebAssembly module on every thread).
 */
#include <immintrin.h>
#include <string.h>

#include "args.h"

#define M0 0xd2511f53u
#define M1 0xcd9e8d57u
#define W0 0x9e3779b9u
#define W1 0xbb67ae85u

/* (hi, lo) of the 8 lane products a * m (m splat): exact 64-bit products of even and odd lanes. */
static inline void mulhilo(__m256i a, __m256i m, __m256i *hi, __m256i *lo) {
  __m256i even = _mm256_mul_epu32(a, m);
  __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
  *lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  *hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

/* Blocks c0 + s*8 + j (set s = 0, 1; lane j) after 10 rounds: x[s][w] holds word w of each lane's block. */
static inline void rounds(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1, __m256i x[2][4]) {
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i m0 = _mm256_set1_epi32((int)M0), m1 = _mm256_set1_epi32((int)M1);
  for (int s = 0; s < 2; s++) {
    x[s][0] = _mm256_add_epi32(_mm256_set1_epi32((int)(c0 + 8u * s)), lanes);
    x[s][1] = _mm256_set1_epi32((int)c1);
    x[s][2] = _mm256_set1_epi32((int)c2);
    x[s][3] = _mm256_set1_epi32((int)c3);
  }
  for (int r = 0; r < 10; r++) {
    if (r) k0 += W0, k1 += W1;
    const __m256i sk0 = _mm256_set1_epi32((int)k0), sk1 = _mm256_set1_epi32((int)k1);
    for (int s = 0; s < 2; s++) {
      __m256i hi0, lo0, hi1, lo1;
      mulhilo(x[s][0], m0, &hi0, &lo0);
      mulhilo(x[s][2], m1, &hi1, &lo1);
      x[s][0] = _mm256_xor_si256(_mm256_xor_si256(hi1, x[s][1]), sk0);
      x[s][1] = lo1;
      x[s][2] = _mm256_xor_si256(_mm256_xor_si256(hi0, x[s][3]), sk1);
      x[s][3] = lo0;
    }
  }
}

/* 16 blocks (64 elements) of dropout from src into dst (each 64 floats). */
static inline void dropout64(const __m256i x[2][4], const float *src, float *dst, __m256 bound, __m256 factor) {
  const __m256i mask = _mm256_set1_epi32(0x7fffff);
  const __m256 scale = _mm256_set1_ps(1.1920928955078125e-7f);
  for (int s = 0; s < 2; s++) {
    /* transpose: v[b] = the 4 words of blocks b and b + 4 (per 128-bit half), then pairs of blocks in order */
    __m256i t0 = _mm256_unpacklo_epi32(x[s][0], x[s][1]), t1 = _mm256_unpackhi_epi32(x[s][0], x[s][1]);
    __m256i t2 = _mm256_unpacklo_epi32(x[s][2], x[s][3]), t3 = _mm256_unpackhi_epi32(x[s][2], x[s][3]);
    __m256i v0 = _mm256_unpacklo_epi64(t0, t2), v1 = _mm256_unpackhi_epi64(t0, t2);
    __m256i v2 = _mm256_unpacklo_epi64(t1, t3), v3 = _mm256_unpackhi_epi64(t1, t3);
    __m256i w[4] = {_mm256_permute2x128_si256(v0, v1, 0x20), _mm256_permute2x128_si256(v2, v3, 0x20), _mm256_permute2x128_si256(v0, v1, 0x31),
                    _mm256_permute2x128_si256(v2, v3, 0x31)};
    for (int q = 0; q < 4; q++) {
      __m256 u = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_and_si256(w[q], mask)), scale);
      __m256 keep = _mm256_cmp_ps(u, bound, _CMP_GE_OQ);
      __m256 v = _mm256_mul_ps(_mm256_loadu_ps(src + 32 * s + 8 * q), factor);
      _mm256_storeu_ps(dst + 32 * s + 8 * q, _mm256_and_ps(v, keep));
    }
  }
}

static napi_value js_dropout(napi_env env, napi_callback_info info) {
  napi_value argv[12];
  float *x, *out;
  int64_t nx, nout, v[10];
  if (!dn_args(env, info, "dropout", 12, argv) || !dn_f32(env, "dropout", argv[0], &x, &nx) || !dn_f32(env, "dropout", argv[1], &out, &nout)) return 0;
  if (!dn_ints(env, "dropout", argv + 2, 10, v)) return 0;
  int64_t i0 = v[0], m = v[1];
  uint32_t k0 = (uint32_t)v[2], k1 = (uint32_t)v[3], c0 = (uint32_t)v[4], c1 = (uint32_t)v[5], c2 = (uint32_t)v[6], c3 = (uint32_t)v[7];
  uint32_t bb = (uint32_t)v[8], fb = (uint32_t)v[9];
  if (i0 < 0 || m < 0 || i0 + m > nx || i0 + m > nout) return dn_fail(env, "dropout", "elements outside x or out");
  int64_t blocks = (m + 3) / 4;
  if (blocks > 0 && (uint64_t)c0 + (uint64_t)(blocks - 1) > 0xffffffffull) return dn_fail(env, "dropout", "counter word 0 would wrap");
  float bf, ff;
  memcpy(&bf, &bb, 4);
  memcpy(&ff, &fb, 4);
  const __m256 bound = _mm256_set1_ps(bf), factor = _mm256_set1_ps(ff);
  __m256i xs[2][4];
  const float *src = x + i0;
  float *dst = out + i0;
  int64_t t = 0;
  for (; t + 64 <= m; t += 64) {
    rounds(c0 + (uint32_t)(t >> 2), c1, c2, c3, k0, k1, xs);
    dropout64(xs, src + t, dst + t, bound, factor);
  }
  if (t < m) {
    /* the last partial group of 16 blocks: through a zero-padded copy, only its m - t elements written */
    float a[64] = {0}, b[64];
    memcpy(a, src + t, (size_t)(m - t) * 4);
    rounds(c0 + (uint32_t)(t >> 2), c1, c2, c3, k0, k1, xs);
    dropout64(xs, a, b, bound, factor);
    memcpy(dst + t, b, (size_t)(m - t) * 4);
  }
  return 0;
}

void dn_register_philox(napi_env env, napi_value exports) { dn_export(env, exports, "dropout", js_dropout); }
