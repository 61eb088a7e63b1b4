/*
 * The filter gradient of ditto's native addon (addon.c; x86-64 with AVX2): a block of a conv2dGradFilter job
 * (src/kernels/cpu/gemm-tasks.ts, split-K mode; native-conv.ts says which jobs) computed from x and dy in place,
 * with no slab, packed panels or copied dy rows in a WebAssembly heap.
 *
 * convGradFilter(x, dy, out, g): g an Int32Array [C, F, inH, inW, kH, kW, dH, dW, sH, sW, outH, outW, padTop,
 * padLeft, N, m0, mc, n0, nc, ch0, ch1, whole, o, ld, cs]. Rows m = (kh*kW + kw)*C + c in [m0, m0 + mc), columns f
 * in [n0, n0 + nc), the reduction over positions p = (n*outH + oh)*outW + ow < P = N*outH*outW in chunks of 256
 * (chunk ch: p in [256ch, 256ch + 256)), chunks ch0 .. ch1-1. Each chunk's sum of output (m, f) starts at +0 and
 * adds f32(a * dy[p*F + f]) in p order, a = x[n, oh*sH + kh*dH - padTop, ow*sW + kw*dW - padLeft, c] or +0 outside
 * x (computed: a NaN or Inf in dy still gives NaN) — conv2dGradFilter's order (src/core/ops/conv2d.ts), the
 * WebAssembly tiles' operations (wasm-gemm.ts), x the first operand. whole = 1: the first chunk's sums are stored
 * at out[o + (m - m0)*ld + f - n0] and each later one added to them, f32(total + sum) (the one-thread form, and for
 * up to 256 chunks the engine's tree sum); whole = 0: chunk ch's sums are stored at out[o + (ch - ch0)*cs + (m -
 * m0)*ld + f - n0] (split-K parts, which gemm.ts adds in chunk order).
 * Exactness: _mm256_mul_ps then _mm256_add_ps only (never fused), the same operands in the same order as the twin;
 * src/kernels/cpu/native-conv.ts checks that against the WebAssembly twin on every thread.
 * Vectors: tiles of 2 rows by 32 columns (8 accumulators), per position 2 broadcasts and 4 loads of dy's row; per chunk a table of the positions' window corners in x, read in place where
 * the window lies inside x, else tap by tap with bounds checks. Chunk outer, tiles inner: a chunk's dy rows and x
 * rows stay in the cache while every tile reads them.
 * Memory safety: every call checks its geometry and that everything it reads lies inside x and dy and everything
 * it writes inside out (RangeError "ditto_native.convGradFilter: ..." otherwise).
 */
#include <immintrin.h>
#include <stdlib.h>

#include "args.h"
#include "vec.h"

typedef struct {
  int64_t C, F, inH, inW, kH, kW, dH, dW, sH, sW, outH, outW, padTop, padLeft, N;
} FGeo;

/* Row m's tap: its offset from a window's corner in x (floats), and its kh, kw. */
typedef struct {
  int64_t off, kh, kw;
} Row;

static Row row_of(const FGeo *g, int64_t m) {
  const int64_t c = m % g->C, t = m / g->C, kh = t / g->kW, kw = t - kh * g->kW;
  Row r = {(kh * g->dH * g->inW + kw * g->dW) * g->C + c, kh, kw};
  return r;
}

/* The value of row r at position p (n, oh, ow) when its window reaches past x: x's or +0. */
static inline float edge_value(const float *x, const FGeo *g, const Row *r, int64_t n, int64_t oh, int64_t ow, int64_t c) {
  const int64_t ih = oh * g->sH - g->padTop + r->kh * g->dH, iw = ow * g->sW - g->padLeft + r->kw * g->dW;
  return ih >= 0 && ih < g->inH && iw >= 0 && iw < g->inW ? x[((n * g->inH + ih) * g->inW + iw) * g->C + c] : 0.0f;
}

/*
 * One tile: rows r[0..1] (c their channels) by 32 columns from f (lanes of them real), positions p0 .. p1-1 of the
 * chunk (corner[i], inside[i], pos[i] per position i = p - p0), sums into s[8] (from +0). Two rows: 8 accumulators,
 * 2 broadcasts and a product in flight fit the 16 vector registers (three rows spilled accumulators to the stack).
 */
static inline __attribute__((always_inline)) void tile(const float *x, const float *dy, const FGeo *g, const Row *r, const int64_t *c,
                                                       const int64_t *corner, const uint8_t *inside, const int64_t *pos, int64_t p0, int64_t p1,
                                                       int64_t f, int64_t lanes, __m256 *s) {
  const __m256i k0 = dn_lanes(lanes), k1 = dn_lanes(lanes - 8), k2 = dn_lanes(lanes - 16), k3 = dn_lanes(lanes - 24);
  __m256 a00 = _mm256_setzero_ps(), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
  const int64_t F = g->F, o0 = r[0].off, o1 = r[1].off;
  for (int64_t p = p0; p < p1; p++) {
    const int64_t i = p - p0;
    const float *d = dy + p * F + f;
    __m256 v0, v1;
    if (inside[i]) {
      const float *q = x + corner[i];
      v0 = _mm256_broadcast_ss(q + o0), v1 = _mm256_broadcast_ss(q + o1);
    } else {
      const int64_t n = pos[3 * i], oh = pos[3 * i + 1], ow = pos[3 * i + 2];
      v0 = _mm256_set1_ps(edge_value(x, g, &r[0], n, oh, ow, c[0]));
      v1 = _mm256_set1_ps(edge_value(x, g, &r[1], n, oh, ow, c[1]));
    }
    __m256 b = dn_load(d, lanes, k0);
    a00 = _mm256_add_ps(a00, _mm256_mul_ps(v0, b)), a10 = _mm256_add_ps(a10, _mm256_mul_ps(v1, b));
    b = dn_load(d + 8, lanes - 8, k1);
    a01 = _mm256_add_ps(a01, _mm256_mul_ps(v0, b)), a11 = _mm256_add_ps(a11, _mm256_mul_ps(v1, b));
    b = dn_load(d + 16, lanes - 16, k2);
    a02 = _mm256_add_ps(a02, _mm256_mul_ps(v0, b)), a12 = _mm256_add_ps(a12, _mm256_mul_ps(v1, b));
    b = dn_load(d + 24, lanes - 24, k3);
    a03 = _mm256_add_ps(a03, _mm256_mul_ps(v0, b)), a13 = _mm256_add_ps(a13, _mm256_mul_ps(v1, b));
  }
  s[0] = a00, s[1] = a01, s[2] = a02, s[3] = a03, s[4] = a10, s[5] = a11, s[6] = a12, s[7] = a13;
}

static const char *check(const FGeo *g, int64_t nx, int64_t ndy, int64_t nout, const int64_t *v) {
  const int64_t m0 = v[15], mc = v[16], n0 = v[17], nc = v[18], ch0 = v[19], ch1 = v[20], whole = v[21], o = v[22], ld = v[23], cs = v[24];
  if (g->C < 1 || g->F < 1 || g->kH < 1 || g->kW < 1 || g->dH < 1 || g->dW < 1 || g->sH < 1 || g->sW < 1 || g->inH < 0 || g->inW < 0 ||
      g->outH < 0 || g->outW < 0 || g->padTop < 0 || g->padLeft < 0 || g->N < 0)
    return "bad geometry (C, F, kernel, dilations and strides at least 1; sizes and padding non-negative)";
  const int64_t M = g->kH * g->kW * g->C, P = g->N * g->outH * g->outW, chunks = (P + 255) / 256;
  if (m0 < 0 || mc < 0 || m0 + mc > M || n0 < 0 || nc < 0 || n0 + nc > g->F) return "bad block (m0, mc, n0, nc)";
  if (ch0 < 0 || ch1 < ch0 || ch1 > chunks || (whole != 0 && whole != 1)) return "bad chunks (0 <= ch0 <= ch1 <= chunks; whole 0 or 1)";
  if (o < 0 || ld < nc || cs < 0) return "bad output layout (o, ld >= nc, cs)";
  if (g->N * g->inH * g->inW * g->C > nx) return "x smaller than [N, inH, inW, C]";
  if (P * g->F > ndy) return "dy smaller than [N, outH, outW, F]";
  if (mc > 0 && nc > 0 && ch1 > ch0) {
    const int64_t last = o + (whole ? 0 : (ch1 - 1 - ch0) * cs) + (mc - 1) * ld + nc;
    if (last > nout) return "outputs outside out";
  }
  return 0;
}

static napi_value js_conv_grad_filter(napi_env env, napi_callback_info info) {
  const char *fn = "convGradFilter";
  napi_value argv[4];
  float *x, *dy, *out;
  int32_t *v32;
  int64_t nx, ndy, nout, nv;
  if (!dn_args(env, info, fn, 4, argv) || !dn_f32(env, fn, argv[0], &x, &nx) || !dn_f32(env, fn, argv[1], &dy, &ndy) ||
      !dn_f32(env, fn, argv[2], &out, &nout) || !dn_i32(env, fn, argv[3], &v32, &nv))
    return 0;
  if (nv != 25) return dn_fail(env, fn, "the geometry must have 25 integers");
  int64_t v[25];
  for (int i = 0; i < 25; i++) v[i] = v32[i];
  const FGeo g = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
  const char *bad = check(&g, nx, ndy, nout, v);
  if (bad) return dn_fail(env, fn, bad);
  const int64_t m0 = v[15], mc = v[16], n0 = v[17], nc = v[18], ch0 = v[19], ch1 = v[20], whole = v[21], o = v[22], ld = v[23], cs = v[24];
  if (mc == 0 || nc == 0 || ch1 == ch0) return 0;
  const int64_t P = g.N * g.outH * g.outW;
  /* per chunk position: its window's corner in x (floats), whether the whole window lies inside x, and (n, oh, ow) */
  int64_t corner[256], pos[3 * 256];
  uint8_t inside[256];
  const int64_t extH = (g.kH - 1) * g.dH, extW = (g.kW - 1) * g.dW;
  for (int64_t ch = ch0; ch < ch1; ch++) {
    const int64_t p0 = 256 * ch, p1 = p0 + 256 < P ? p0 + 256 : P;
    int64_t n = p0 / (g.outH * g.outW), r = p0 - n * g.outH * g.outW, oh = r / g.outW, ow = r - oh * g.outW;
    for (int64_t p = p0; p < p1; p++) {
      const int64_t i = p - p0, ih = oh * g.sH - g.padTop, iw = ow * g.sW - g.padLeft;
      inside[i] = ih >= 0 && iw >= 0 && ih + extH < g.inH && iw + extW < g.inW;
      corner[i] = inside[i] ? ((n * g.inH + ih) * g.inW + iw) * g.C : 0;
      pos[3 * i] = n, pos[3 * i + 1] = oh, pos[3 * i + 2] = ow;
      if (++ow == g.outW) {
        ow = 0;
        if (++oh == g.outH) oh = 0, n++;
      }
    }
    float *dst = out + o + (whole ? 0 : (ch - ch0) * cs);
    const int store = !whole || ch == ch0;
    for (int64_t m = m0; m < m0 + mc; m += 2) {
      const int64_t rows = m0 + mc - m < 2 ? m0 + mc - m : 2;
      Row rw[2];
      int64_t c[2];
      for (int j = 0; j < 2; j++) {
        const int64_t mm = m + (j < rows ? j : rows - 1);
        rw[j] = row_of(&g, mm), c[j] = mm % g.C;
      }
      for (int64_t fo = 0; fo < nc; fo += 32) {
        const int64_t lanes = nc - fo < 32 ? nc - fo : 32;
        __m256 s[8];
        if (lanes == 32) tile(x, dy, &g, rw, c, corner, inside, pos, p0, p1, n0 + fo, 32, s);
        else tile(x, dy, &g, rw, c, corner, inside, pos, p0, p1, n0 + fo, lanes, s);
        for (int j = 0; j < rows; j++) {
          float *q = dst + (m - m0 + j) * ld + fo;
          for (int u = 0; u < 4; u++) {
            const int64_t l = lanes - 8 * u;
            if (l <= 0) break;
            const __m256i mk = dn_lanes(l);
            __m256 val = s[4 * j + u];
            if (!store) val = _mm256_add_ps(dn_load(q + 8 * u, l, mk), val);
            dn_store(q + 8 * u, val, l, mk);
          }
        }
      }
    }
  }
  return 0;
}

void dn_register_convfilter(napi_env env, napi_value exports) { dn_export(env, exports, "convGradFilter", js_conv_grad_filter); }
