/*
 * Column sums in ditto's native addon (addon.c; x86-64 with AVX2): the chunk sums of the sum op
 * (src/kernels/cpu/ew-tasks.ts chunkSums; wasm-ew.ts colsum) with 8 columns per vector, reading the
 * tensor in place (no copies through a heap).
 *
 * colSum(x, out, r0, r1, ld, c0, w, o): out[o + t] = S_seq(x[r*ld + c0 + t], r = r0..r1-1) for t < w,
 * each column's sum starting at +0 and adding its rows in order, one float32 add per row: the
 * WebAssembly loop's operations on the same values, so the same bits (src/kernels/cpu/native-colsum.ts
 * checks that on every thread). Every call checks that it stays inside x and out (RangeError).
 */
#include <immintrin.h>

#include "args.h"

static void colsum(const float *x, float *out, int64_t r0, int64_t r1, int64_t ld, int64_t w) {
  int64_t t = 0;
  for (; t + 32 <= w; t += 32) {
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    for (int64_t r = r0; r < r1; r++) {
      const float *p = x + r * ld + t;
      a0 = _mm256_add_ps(a0, _mm256_loadu_ps(p));
      a1 = _mm256_add_ps(a1, _mm256_loadu_ps(p + 8));
      a2 = _mm256_add_ps(a2, _mm256_loadu_ps(p + 16));
      a3 = _mm256_add_ps(a3, _mm256_loadu_ps(p + 24));
    }
    _mm256_storeu_ps(out + t, a0), _mm256_storeu_ps(out + t + 8, a1), _mm256_storeu_ps(out + t + 16, a2), _mm256_storeu_ps(out + t + 24, a3);
  }
  for (; t + 8 <= w; t += 8) {
    __m256 a = _mm256_setzero_ps();
    for (int64_t r = r0; r < r1; r++) a = _mm256_add_ps(a, _mm256_loadu_ps(x + r * ld + t));
    _mm256_storeu_ps(out + t, a);
  }
  for (; t < w; t++) {
    float a = 0.0f;
    for (int64_t r = r0; r < r1; r++) a = a + x[r * ld + t];
    out[t] = a;
  }
}

static napi_value js_colsum(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  float *x, *out;
  int64_t nx, nout, v[6];
  if (!dn_args(env, info, "colSum", 8, argv) || !dn_f32(env, "colSum", argv[0], &x, &nx) || !dn_f32(env, "colSum", argv[1], &out, &nout)) return 0;
  if (!dn_ints(env, "colSum", argv + 2, 6, v)) return 0;
  int64_t r0 = v[0], r1 = v[1], ld = v[2], c0 = v[3], w = v[4], o = v[5];
  if (r0 < 0 || r1 < r0 || ld < 0 || c0 < 0 || w < 0 || o < 0) return dn_fail(env, "colSum", "negative offset or size");
  if (o + w > nout || (r1 > r0 && w > 0 && (r1 - 1) * ld + c0 + w > nx)) return dn_fail(env, "colSum", "rows outside x or sums outside out");
  colsum(x + c0, out + o, r0, r1, ld, w);
  return 0;
}

void dn_register_colsum(napi_env env, napi_value exports) { dn_export(env, exports, "colSum", js_colsum); }
