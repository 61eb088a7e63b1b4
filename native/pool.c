/*
 * 2 x 2 stride-2 'valid' max pooling and its gradient in ditto's native addon (addon.c; x86-64 with
 * AVX2): wasm-ew.ts's pool2 and pool2Grad / pool2GradRelu (the full forms, NaN rules included) with 8
 * channels per vector, reading and writing the tensors in place (no copies through a heap).
 *
 * maxPool2(x, out, n0, n1, H, W, C): images [n0, n1) of x [N, H, W, C] into out [N, H/2, W/2, C]
 * (integer halves), C % 4 == 0 (C = 0 included: no values). Per window and channel the scan of maxPoolImages: best = v(0,0), then
 * for v(0,1), v(1,0), v(1,1): m = v > best, or v is NaN while best is not; best = m ? v : best. Values
 * move as bits (blends), so the output is an input's word.
 * maxPool2Grad(x, dy, dx, n0, n1, H, W, C, relu): dx of those images: at each window's winner (the last
 * position whose m was set, else (0, 0)) f32(+0 + dy), with relu also only where the winner is > 0; +0 at
 * every other position, the odd last row and column included.
 * Exactness: comparisons, blends, one float32 add of +0 and masks: the WebAssembly functions' operations
 * on the same values (src/kernels/cpu/native-pool.ts checks that against them on every thread). Every
 * call checks that its images lie inside x, dy and dx or out (RangeError otherwise).
 */
#include <immintrin.h>

#include "args.h"
#include "maxscan.h"

static void pool_rows(const float *x, float *out, int64_t rows, int64_t W, int64_t C) {
  const int64_t outW = W >> 1, row = W * C;
  for (int64_t r = 0; r < rows; r++) {
    for (int64_t ow = 0; ow < outW; ow++) {
      const float *p = x + (2 * r * W + 2 * ow) * C;
      float *o = out + (r * outW + ow) * C;
      int64_t c = 0;
      for (; c + 8 <= C; c += 8) {
        __m256 v0 = _mm256_loadu_ps(p + c), v1 = _mm256_loadu_ps(p + C + c), v2 = _mm256_loadu_ps(p + row + c), v3 = _mm256_loadu_ps(p + row + C + c);
        SCAN(8, _mm256_cmp_ps, _mm256_or_ps, _mm256_and_ps, _mm256_andnot_ps, _mm256_blendv_ps, __m256)
        _mm256_storeu_ps(o + c, best);
      }
      for (; c < C; c += 4) {
        __m128 v0 = _mm_loadu_ps(p + c), v1 = _mm_loadu_ps(p + C + c), v2 = _mm_loadu_ps(p + row + c), v3 = _mm_loadu_ps(p + row + C + c);
        SCAN(4, _mm_cmp_ps, _mm_or_ps, _mm_and_ps, _mm_andnot_ps, _mm_blendv_ps, __m128)
        _mm_storeu_ps(o + c, best);
      }
    }
  }
}

static void grad_rows(const float *x, const float *g, float *d, int64_t rows, int64_t W, int64_t C, int relu) {
  const int64_t outW = W >> 1, row = W * C;
  for (int64_t r = 0; r < rows; r++) {
    if (W & 1) {
      /* the last column of both input rows is outside every window */
      for (int64_t c = 0; c < C; c++) d[(2 * r * W + W - 1) * C + c] = 0.0f, d[((2 * r + 1) * W + W - 1) * C + c] = 0.0f;
    }
    for (int64_t ow = 0; ow < outW; ow++) {
      const int64_t xo = (2 * r * W + 2 * ow) * C;
      const float *p = x + xo;
      float *q = d + xo;
      const float *gp = g + (r * outW + ow) * C;
      int64_t c = 0;
      for (; c + 8 <= C; c += 8) {
        __m256 v0 = _mm256_loadu_ps(p + c), v1 = _mm256_loadu_ps(p + C + c), v2 = _mm256_loadu_ps(p + row + c), v3 = _mm256_loadu_ps(p + row + C + c);
        SCAN(8, _mm256_cmp_ps, _mm256_or_ps, _mm256_and_ps, _mm256_andnot_ps, _mm256_blendv_ps, __m256)
        __m256 gv = _mm256_add_ps(_mm256_loadu_ps(gp + c), _mm256_setzero_ps());
        if (relu) gv = _mm256_and_ps(gv, _mm256_cmp_ps(best, _mm256_setzero_ps(), _CMP_GT_OQ));
        _mm256_storeu_ps(q + row + C + c, _mm256_and_ps(gv, m3));
        _mm256_storeu_ps(q + row + c, _mm256_and_ps(gv, _mm256_andnot_ps(m3, m2)));
        _mm256_storeu_ps(q + C + c, _mm256_and_ps(gv, _mm256_andnot_ps(_mm256_or_ps(m2, m3), m1)));
        _mm256_storeu_ps(q + c, _mm256_andnot_ps(_mm256_or_ps(_mm256_or_ps(m1, m2), m3), gv));
      }
      for (; c < C; c += 4) {
        __m128 v0 = _mm_loadu_ps(p + c), v1 = _mm_loadu_ps(p + C + c), v2 = _mm_loadu_ps(p + row + c), v3 = _mm_loadu_ps(p + row + C + c);
        SCAN(4, _mm_cmp_ps, _mm_or_ps, _mm_and_ps, _mm_andnot_ps, _mm_blendv_ps, __m128)
        __m128 gv = _mm_add_ps(_mm_loadu_ps(gp + c), _mm_setzero_ps());
        if (relu) gv = _mm_and_ps(gv, _mm_cmp_ps(best, _mm_setzero_ps(), _CMP_GT_OQ));
        _mm_storeu_ps(q + row + C + c, _mm_and_ps(gv, m3));
        _mm_storeu_ps(q + row + c, _mm_and_ps(gv, _mm_andnot_ps(m3, m2)));
        _mm_storeu_ps(q + C + c, _mm_and_ps(gv, _mm_andnot_ps(_mm_or_ps(m2, m3), m1)));
        _mm_storeu_ps(q + c, _mm_andnot_ps(_mm_or_ps(_mm_or_ps(m1, m2), m3), gv));
      }
    }
  }
}

/* The shared arguments: images [n0, n1) of [N, H, W, C], C % 4 == 0, H, W >= 0 (empty images: nothing to pool) (int32 each). */
static int geometry(napi_env env, const char *fn, napi_value *argv, int64_t *n0, int64_t *n1, int64_t *H, int64_t *W, int64_t *C) {
  int64_t v[5];
  if (!dn_ints(env, fn, argv, 5, v)) return 0;
  *n0 = v[0], *n1 = v[1], *H = v[2], *W = v[3], *C = v[4];
  if (*n0 < 0 || *n1 < *n0 || *H < 0 || *W < 0 || *C < 0 || (*C & 3)) {
    dn_fail(env, fn, "bad geometry (0 <= n0 <= n1, H, W >= 0, C a multiple of 4)");
    return 0;
  }
  return 1;
}

static napi_value js_pool(napi_env env, napi_callback_info info) {
  napi_value argv[7];
  float *x, *out;
  int64_t nx, nout, n0, n1, H, W, C;
  if (!dn_args(env, info, "maxPool2", 7, argv) || !dn_f32(env, "maxPool2", argv[0], &x, &nx) || !dn_f32(env, "maxPool2", argv[1], &out, &nout) ||
      !geometry(env, "maxPool2", argv + 2, &n0, &n1, &H, &W, &C))
    return 0;
  const int64_t in = H * W * C, o = (H >> 1) * (W >> 1) * C;
  if (n1 * in > nx || n1 * o > nout) return dn_fail(env, "maxPool2", "images outside x or out");
  for (int64_t n = n0; n < n1; n++) pool_rows(x + n * in, out + n * o, H >> 1, W, C);
  return 0;
}

static napi_value js_pool_grad(napi_env env, napi_callback_info info) {
  napi_value argv[9];
  float *x, *g, *d;
  int64_t nx, ng, nd, n0, n1, H, W, C;
  bool relu = false;
  if (!dn_args(env, info, "maxPool2Grad", 9, argv) || !dn_f32(env, "maxPool2Grad", argv[0], &x, &nx) || !dn_f32(env, "maxPool2Grad", argv[1], &g, &ng) ||
      !dn_f32(env, "maxPool2Grad", argv[2], &d, &nd) || !geometry(env, "maxPool2Grad", argv + 3, &n0, &n1, &H, &W, &C))
    return 0;
  if (napi_get_value_bool(env, argv[8], &relu) != napi_ok) return dn_fail(env, "maxPool2Grad", "relu must be a boolean");
  const int64_t in = H * W * C, o = (H >> 1) * (W >> 1) * C;
  if (n1 * in > nx || n1 * in > nd || n1 * o > ng) return dn_fail(env, "maxPool2Grad", "images outside x, dy or dx");
  for (int64_t n = n0; n < n1; n++) {
    grad_rows(x + n * in, g + n * o, d + n * in, H >> 1, W, C, relu);
    /* an odd last row belongs to no window */
    if (H & 1)
      for (int64_t i = (H - 1) * W * C; i < in; i++) d[n * in + i] = 0.0f;
  }
  return 0;
}

void dn_register_pool(napi_env env, napi_value exports) {
  dn_export(env, exports, "maxPool2", js_pool);
  dn_export(env, exports, "maxPool2Grad", js_pool_grad);
}
