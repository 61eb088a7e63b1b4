/*
 * The convolution of ditto's native addon (addon.c; x86-64 with AVX2): a block of a conv2d / conv2dBiasAct /
 * conv2dBiasActMaxPool job (src/kernels/cpu/gemm-tasks.ts; native-conv.ts says which jobs: up to 65536 terms and a
 * filter small enough for the L2 cache) computed from the tensors in place: x is read where it lies and the
 * outputs (or their 2 x 2 maxima) are written straight into the output tensor, with no slab, packed panels, table
 * or totals in a WebAssembly heap and no copy out of one.
 *
 * convDirect(x, w, bias, out, g): g an Int32Array [C, F, inH, inW, kH, kW, dH, dW, sH, sW, outH, outW,
 * padTop, padLeft, m0, mc, n0, nc, flags]: outputs m = (n*outH + oh)*outW + ow for m0 <= m < m0 + mc and
 * columns f in [n0, n0 + nc). Per output, the GEMM's order (src/core/reduction-order.ts; the WebAssembly tiles'
 * operations, wasm-gemm.ts): the terms k = (kh*kW + kw)*C + c = 0 .. K-1 in chunks of 256, each chunk's sum
 * starting at +0 and adding f32(a * w[k*F + f]) in k order, a = x[n, oh*sH + kh*dH - padTop, ow*sW + kw*dW -
 * padLeft, c], or +0 where that lies outside x (the slab's zero padding; the term is computed, so a NaN or Inf in
 * w still gives NaN); the first chunk's sum is the total and each later one is added to it, f32(total + sum);
 * then with flags & 1 f32(total + bias[f]), and with flags & 2 relu as total & (total > 0 | total unordered)
 * (+0 for -0): the epilogue's operations (gemm-tasks.ts, "Epilogue"). flags & 4 (pooled): outH and outW are
 * even, m0 and mc multiples of 2*outW, and each 2 x 2 / 2 window of outputs is scanned as maxPool2d does
 * (maxscan.h) and only its maximum is written, at out[(q*(outW/2) + ow/2)*F + f] for pooled row q = m / (2*outW);
 * else out[m*F + f].
 * flags = 8, the input gradient (conv2dGradInput with unit strides, as a convolution over dy): x is dy [N, outH0,
 * outW0, F0] (C = F0 channels), w the filter [kH, kW, F, C] (F = C0 columns, the input's channels), outH x outW
 * the input's size, padTop = (kH - 1)*dH - padTop0 (likewise padLeft), and tap (kh, kw) of term k = (kh*kW +
 * kw)*C + c reads window position (kH-1-kh, kW-1-kw): a = dy[n, ih + padTop0 - kh*dH, iw + padLeft0 - kw*dW, c],
 * times w[kh, kw, f, c], in conv2dGradInput's term order (src/core/ops/conv2d.ts) with the same +0 terms.
 * Exactness: the only arithmetic is _mm256_mul_ps then _mm256_add_ps (never fused: -mno-fma
 * -ffp-contract=off), the same operands in the same order as the twin; comparisons, blends and masks move
 * bits. src/kernels/cpu/native-conv.ts checks that against the WebAssembly twin on every thread.
 * Vectors: four outputs (four pixels, or one pooling window) by 16 columns at a time, 8 accumulators; where the
 * four windows lie inside x their values are broadcast from x through the window's tap offsets, else tap by tap
 * through pointers into x or a block of zeros, taps outside x for all four skipped when w is finite (exact:
 * sums_taps); columns past nc are masked (never stored).
 * Memory safety: every call checks its geometry and that the images it reads lie inside x and the outputs
 * it writes inside out (RangeError "ditto_native.convDirect: ..." otherwise); a window is read in place only when
 * it lies inside x, else tap by tap with bounds checks.
 */
#include <immintrin.h>
#include <stdlib.h>

#include "args.h"
#include "maxscan.h"
#include "vec.h"

typedef struct {
  int64_t C, F, inH, inW, kH, kW, dH, dW, sH, sW, outH, outW, padTop, padLeft, K;
  /* the output rows and columns whose windows lie inside x: ohLo <= oh < ohHi, owLo <= ow < owHi */
  int64_t ohLo, ohHi, owLo, owHi;
  /* the input gradient's form (flags & 8): tap (kh, kw) reads window position (kH-1-kh, kW-1-kw) */
  int flip;
} Geo;

/* The first and one past the last output index o with 0 <= o*s - pad and o*s - pad + extent - 1 < in (none: lo = hi). */
static void inside_range(int64_t in, int64_t pad, int64_t s, int64_t extent, int64_t *lo, int64_t *hi) {
  *lo = (pad + s - 1) / s;
  const int64_t last = in - extent + pad; /* o*s <= last */
  *hi = last < 0 ? 0 : last / s + 1;
  if (*hi < *lo) *hi = *lo;
}

/* Output pixel (n, oh, ow) as an index walked forward without divisions (int64 division costs tens of cycles). */
typedef struct {
  int64_t n, oh, ow;
} Pixel;

static Pixel pixel_of(const Geo *g, int64_t m) {
  const int64_t per = g->outH * g->outW, n = m / per, r = m - n * per, oh = r / g->outW;
  Pixel p = {n, oh, r - oh * g->outW};
  return p;
}

static inline void next_pixel(const Geo *g, Pixel *p) {
  if (++p->ow == g->outW) {
    p->ow = 0;
    if (++p->oh == g->outH) p->oh = 0, p->n++;
  }
}

/* The corner of pixel p's window in x when the whole window lies inside x, else NULL. */
static inline const float *window(const float *x, const Geo *g, Pixel p) {
  if (p.oh < g->ohLo || p.oh >= g->ohHi || p.ow < g->owLo || p.ow >= g->owHi) return 0;
  return x + ((p.n * g->inH + p.oh * g->sH - g->padTop) * g->inW + p.ow * g->sW - g->padLeft) * g->C;
}

/* Zeros for the taps of a window outside x (never written; C <= 65536 floats). */
static float ZEROS[65536];

/*
 * The four pixels' term values. Where all four windows lie inside x: value k of pixel p at base[p][off[k]], the
 * bases their corners in x and off the window's tap offsets (win). Else (off NULL) tap by tap: the C values of tap t
 * (term order, kh then kw) of pixel p start at taps[4t + p], in x or in ZEROS where the tap lies outside x; none[t]
 * is set where tap t lies outside x for all four and w is finite, and then its terms are skipped (group_taps).
 */
typedef struct {
  const float *base[4];
  const int32_t *off;
  const float **taps;
  const uint8_t *none;
} Terms;

static inline __attribute__((always_inline)) void terms_of(Terms *t, const float *x, const Geo *g, const Pixel *px, const int32_t *win,
                                                           const float **taps, uint8_t *none, int finite) {
  t->off = win, t->taps = taps, t->none = none;
  for (int p = 0; p < 4; p++)
    if (!(t->base[p] = window(x, g, px[p]))) t->off = 0;
  if (t->off) return;
  for (int64_t kh = 0, tap = 0; kh < g->kH; kh++) {
    const int64_t th = g->flip ? g->kH - 1 - kh : kh;
    for (int64_t kw = 0; kw < g->kW; kw++, tap++) {
      const int64_t tw = g->flip ? g->kW - 1 - kw : kw;
      int outside = 0;
      for (int p = 0; p < 4; p++) {
        const int64_t ih = px[p].oh * g->sH - g->padTop + th * g->dH, iw = px[p].ow * g->sW - g->padLeft + tw * g->dW;
        const int in = ih >= 0 && ih < g->inH && iw >= 0 && iw < g->inW;
        taps[4 * tap + p] = in ? x + ((px[p].n * g->inH + ih) * g->inW + iw) * g->C : ZEROS;
        outside += !in;
      }
      none[tap] = finite && outside == 4;
    }
  }
}

/* One term for the four pixels (values v0..v3 at pointers q0..q3) into the 8 accumulators, w's row at wk. */
#define TERM(q0, q1, q2, q3)                                                                                           \
  do {                                                                                                                 \
    const __m256 b0 = dn_load(wk, lanes, k0);                                                                       \
    const __m256 b1 = two ? dn_load(wk + 8, lanes - 8, k1) : b0;                                                    \
    __m256 v = _mm256_broadcast_ss(q0);                                                                                \
    c00 = _mm256_add_ps(c00, _mm256_mul_ps(v, b0));                                                                    \
    if (two) c01 = _mm256_add_ps(c01, _mm256_mul_ps(v, b1));                                                           \
    v = _mm256_broadcast_ss(q1);                                                                                       \
    c10 = _mm256_add_ps(c10, _mm256_mul_ps(v, b0));                                                                    \
    if (two) c11 = _mm256_add_ps(c11, _mm256_mul_ps(v, b1));                                                           \
    v = _mm256_broadcast_ss(q2);                                                                                       \
    c20 = _mm256_add_ps(c20, _mm256_mul_ps(v, b0));                                                                    \
    if (two) c21 = _mm256_add_ps(c21, _mm256_mul_ps(v, b1));                                                           \
    v = _mm256_broadcast_ss(q3);                                                                                       \
    c30 = _mm256_add_ps(c30, _mm256_mul_ps(v, b0));                                                                    \
    if (two) c31 = _mm256_add_ps(c31, _mm256_mul_ps(v, b1));                                                           \
  } while (0)

/* A chunk's sums from +0 (src/core/reduction-order.ts). */
#define CHUNK_START __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;

/* The chunk's sums into the totals: the first chunk's are the totals, later ones are added to them. */
#define CHUNK_END                                                                                                     \
  if (first) {                                                                                                        \
    r[0] = c00, r[1] = c01, r[2] = c10, r[3] = c11, r[4] = c20, r[5] = c21, r[6] = c30, r[7] = c31;                   \
  } else {                                                                                                            \
    r[0] = _mm256_add_ps(r[0], c00), r[1] = _mm256_add_ps(r[1], c01), r[2] = _mm256_add_ps(r[2], c10);                \
    r[3] = _mm256_add_ps(r[3], c11), r[4] = _mm256_add_ps(r[4], c20), r[5] = _mm256_add_ps(r[5], c21);                \
    r[6] = _mm256_add_ps(r[6], c30), r[7] = _mm256_add_ps(r[7], c31);                                                 \
  }                                                                                                                   \
  first = 0;

/* Windows inside x: terms k = 0 .. K-1 at base[p][off[k]], in chunks of 256. */
static inline __attribute__((always_inline)) void sums_inside(const Terms *t, int64_t K, const float *w, int64_t F, int64_t f, int64_t lanes,
                                                              __m256 *r) {
  const __m256i k0 = dn_lanes(lanes), k1 = dn_lanes(lanes - 8);
  const int two = lanes > 8;
  const float *wk = w + f, *a0 = t->base[0], *a1 = t->base[1], *a2 = t->base[2], *a3 = t->base[3];
  const int32_t *off = t->off;
  int first = 1;
  for (int64_t kc = 0; kc < K; kc += 256) {
    const int64_t end = K - kc < 256 ? K : kc + 256;
    CHUNK_START
    for (int64_t k = kc; k < end; k++, wk += F) {
      const int64_t o = off[k];
      TERM(a0 + o, a1 + o, a2 + o, a3 + o);
    }
    CHUNK_END
  }
}

/*
 * Windows reaching past x: tap by tap (taps[4t + p]: C values each, ZEROS outside x), the term index k counted
 * through all taps so that chunks end where they do for the whole reduction; a tap marked in none (outside x for
 * all four, w finite) is skipped: each of its terms is f32(+0 * w) = ±0 and adding ±0 to a sum that started at +0
 * leaves its bits (a sum from +0 is never -0), an empty chunk adds +0 to the totals (never -0 either), and no tap
 * at all leaves the totals +0: the bits of computing them (gemm-tasks.ts, "Zero taps").
 */
static inline __attribute__((always_inline)) void sums_taps(const Terms *t, int64_t T, int64_t C, const float *w, int64_t F, int64_t f,
                                                            int64_t lanes, __m256 *r) {
  const __m256i k0 = dn_lanes(lanes), k1 = dn_lanes(lanes - 8);
  const int two = lanes > 8;
  int first = 1;
  int64_t k = 0, end = 256;
  CHUNK_START
  for (int64_t tap = 0; tap < T; tap++) {
    if (t->none[tap]) {
      k += C;
      continue;
    }
    const float *a0 = t->taps[4 * tap], *a1 = t->taps[4 * tap + 1], *a2 = t->taps[4 * tap + 2], *a3 = t->taps[4 * tap + 3];
    for (int64_t c = 0; c < C;) {
      while (k >= end) {
        CHUNK_END
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = _mm256_setzero_ps();
        end += 256;
      }
      const int64_t stop = c + (end - k < C - c ? end - k : C - c);
      const float *wk = w + k * F + f;
      for (; c < stop; c++, k++, wk += F) TERM(a0 + c, a1 + c, a2 + c, a3 + c);
    }
  }
  CHUNK_END
}

/*
 * The outputs of four pixels for columns f .. f + lanes - 1 (lanes 1..16; always inlined, so the common lanes = 16
 * is compiled without masks): r[2p] columns f..f+7, r[2p + 1] columns f+8..f+15, bias added (flags & 1) and relu
 * applied (flags & 2) unless the caller pools (flags & 4; see pooled()).
 */
static inline __attribute__((always_inline)) void group(const Terms *t, const Geo *g, const float *w, int64_t f, int64_t lanes,
                                                        const float *bias, int flags, __m256 *r) {
  if (t->off) sums_inside(t, g->K, w, g->F, f, lanes, r);
  else sums_taps(t, g->kH * g->kW, g->C, w, g->F, f, lanes, r);
  if (flags & 1) {
    const __m256 v0 = dn_load(bias + f, lanes, dn_lanes(lanes)), v1 = lanes > 8 ? dn_load(bias + f + 8, lanes - 8, dn_lanes(lanes - 8)) : v0;
    for (int p = 0; p < 4; p++) r[2 * p] = _mm256_add_ps(r[2 * p], v0), r[2 * p + 1] = _mm256_add_ps(r[2 * p + 1], v1);
  }
  if ((flags & 6) == 2)
    for (int i = 0; i < 8; i++) r[i] = dn_relu(r[i]);
}

/* Groups of four pixels that share each pass over w (a 16-column half of w stays in the L1 cache across them). */
#define GROUPS 4

/* Scratch of a call: the window's tap offsets, and per group the four pixels' tap pointers and skip marks (terms_of). */
typedef struct {
  const int32_t *win;
  const float **taps;
  uint8_t *none;
  int64_t T;
  int finite;
} Scratch;

static inline void terms_of_group(Terms *t, int i, const float *x, const Geo *g, const Pixel *px, const Scratch *sc) {
  terms_of(t, x, g, px, sc->win, sc->taps + 4 * sc->T * i, sc->none + sc->T * i, sc->finite);
}

/* Each output's pixel row m*F: columns n0 .. n0 + nc - 1, GROUPS groups of four pixels per pass over w. */
static void plain(const float *x, const float *w, const float *bias, float *out, const Geo *g, int64_t m0, int64_t mc, int64_t n0, int64_t nc,
                  int flags, const Scratch *sc) {
  const int64_t F = g->F;
  Pixel at = pixel_of(g, m0);
  for (int64_t m = m0; m < m0 + mc; m += 4 * GROUPS) {
    Terms t[GROUPS];
    int64_t P[GROUPS];
    int groups = 0;
    for (; groups < GROUPS && m + 4 * groups < m0 + mc; groups++) {
      const int64_t mg = m + 4 * groups;
      Pixel px[4];
      P[groups] = m0 + mc - mg < 4 ? m0 + mc - mg : 4;
      for (int64_t p = 0; p < 4; p++) {
        px[p] = at;
        if (p + 1 < P[groups]) next_pixel(g, &at);
      }
      next_pixel(g, &at);
      terms_of_group(&t[groups], groups, x, g, px, sc);
    }
    for (int64_t fo = 0; fo < nc; fo += 16) {
      const int64_t lanes = nc - fo < 16 ? nc - fo : 16, f = n0 + fo;
      const __m256i k0 = dn_lanes(lanes), k1 = dn_lanes(lanes - 8);
      for (int i = 0; i < groups; i++) {
        __m256 r[8];
        if (lanes == 16) group(&t[i], g, w, f, 16, bias, flags, r);
        else group(&t[i], g, w, f, lanes, bias, flags, r);
        for (int64_t p = 0; p < P[i]; p++) {
          float *o = out + (m + 4 * i + p) * F + f;
          dn_store(o, r[2 * p], lanes, k0);
          dn_store(o + 8, r[2 * p + 1], lanes - 8, k1);
        }
      }
    }
  }
}

/*
 * The pooled rows q of outputs m0 .. m0 + mc - 1 (whole pairs of output rows): each window's four outputs (bias
 * added), scanned, then relu: the bits of relu before the scan. Relu keeps NaN words and positive values and maps
 * every other value to +0, and it never reverses an order (a > b gives relu(a) >= relu(b)); so the scan of the relu
 * outputs picks the same NaN (the first in scan order) or the same positive maximum, or +0 where all are <= 0, which
 * is relu of the raw scan's pick. Without a NaN among the four, the scan is three max_ps(v, best). GROUPS windows
 * per pass over w.
 */
static void pooled(const float *x, const float *w, const float *bias, float *out, const Geo *g, int64_t m0, int64_t mc, int64_t n0, int64_t nc,
                   int flags, const Scratch *sc) {
  const int64_t F = g->F, pair = 2 * g->outW, half = g->outW >> 1;
  for (int64_t q = m0 / pair; q < (m0 + mc) / pair; q++) {
    const Pixel row = pixel_of(g, q * pair);
    for (int64_t j0 = 0; j0 < half; j0 += GROUPS) {
      Terms t[GROUPS];
      int groups = 0;
      for (; groups < GROUPS && j0 + groups < half; groups++) {
        const int64_t j = j0 + groups;
        const Pixel px[4] = {{row.n, row.oh, 2 * j}, {row.n, row.oh, 2 * j + 1}, {row.n, row.oh + 1, 2 * j}, {row.n, row.oh + 1, 2 * j + 1}};
        terms_of_group(&t[groups], groups, x, g, px, sc);
      }
      for (int64_t fo = 0; fo < nc; fo += 16) {
        const int64_t lanes = nc - fo < 16 ? nc - fo : 16, f = n0 + fo;
        for (int i = 0; i < groups; i++) {
          __m256 r[8];
          if (lanes == 16) group(&t[i], g, w, f, 16, bias, flags, r);
          else group(&t[i], g, w, f, lanes, bias, flags, r);
          float *o = out + (q * half + j0 + i) * F + f;
          for (int h = 0; h < 2; h++) {
            const __m256 v0 = r[h], v1 = r[2 + h], v2 = r[4 + h], v3 = r[6 + h];
            __m256 most;
            if (_mm256_movemask_ps(_mm256_or_ps(_mm256_cmp_ps(v0, v1, _CMP_UNORD_Q), _mm256_cmp_ps(v2, v3, _CMP_UNORD_Q))) == 0) {
              /* no NaN: the scan's best = v > best ? v : best is max_ps(v, best) (ties keep best, as the scan) */
              most = _mm256_max_ps(v3, _mm256_max_ps(v2, _mm256_max_ps(v1, v0)));
            } else {
              SCAN(8, _mm256_cmp_ps, _mm256_or_ps, _mm256_and_ps, _mm256_andnot_ps, _mm256_blendv_ps, __m256)
              (void)m1, (void)m2, (void)m3;
              most = best;
            }
            if (flags & 2) most = dn_relu(most);
            dn_store(o + 8 * h, most, lanes - 8 * h, dn_lanes(lanes - 8 * h));
          }
        }
      }
    }
  }
}

/* The checks of a call that need no memory (the pooled ones, which need out's length, too): a message or NULL. */
static const char *check_call(const Geo *g, int64_t nx, int64_t nw, int64_t nb, int64_t nout, int64_t m0, int64_t mc, int64_t n0, int64_t nc,
                              int64_t flags) {
  if (g->C < 1 || g->F < 1 || g->kH < 1 || g->kW < 1 || g->dH < 1 || g->dW < 1 || g->sH < 1 || g->sW < 1 || g->inH < 0 || g->inW < 0 ||
      g->outH < 0 || g->outW < 0 || g->padTop < 0 || g->padLeft < 0)
    return "bad geometry (C, F, kernel, dilations and strides at least 1; sizes and padding non-negative)";
  if (g->K > 65536) return "more than 65536 terms (kH*kW*C)";
  if (flags < 0 || (flags > 7 && flags != 8)) return "flags must be 0..7 (1 bias, 2 relu, 4 pooled) or 8 (input gradient)";
  if (m0 < 0 || mc < 0 || n0 < 0 || nc < 0 || n0 + nc > g->F) return "bad block (m0, mc, n0, nc)";
  if (mc == 0 || nc == 0) return 0;
  const int64_t per = g->outH * g->outW, end = m0 + mc;
  if (per == 0) return "outputs past an empty image";
  if ((end + per - 1) / per * g->inH * g->inW * g->C > nx) return "images outside x";
  if (g->K * g->F > nw) return "w smaller than [K, F]";
  if ((flags & 1) && g->F > nb) return "bias smaller than F";
  if (flags & 4) {
    const int64_t pair = 2 * g->outW;
    if ((g->outH & 1) || (g->outW & 1) || m0 % pair || mc % pair) return "pooled blocks need even outH, outW and whole pairs of rows";
    if ((end / pair) * (g->outW >> 1) * g->F > nout) return "pooled outputs outside out";
  } else if (end * g->F > nout) {
    return "outputs outside out";
  }
  return 0;
}

static napi_value js_conv_direct(napi_env env, napi_callback_info info) {
  const char *fn = "convDirect";
  napi_value argv[5];
  float *x, *w, *bias, *out;
  int32_t *v;
  int64_t nx, nw, nb, nout, nv;
  if (!dn_args(env, info, fn, 5, argv) || !dn_f32(env, fn, argv[0], &x, &nx) || !dn_f32(env, fn, argv[1], &w, &nw) ||
      !dn_f32(env, fn, argv[2], &bias, &nb) || !dn_f32(env, fn, argv[3], &out, &nout) || !dn_i32(env, fn, argv[4], &v, &nv))
    return 0;
  if (nv != 19) return dn_fail(env, fn, "the geometry must have 19 integers");
  const int64_t m0 = v[14], mc = v[15], n0 = v[16], nc = v[17], flags = v[18];
  Geo g = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], 0, 0, 0, 0, 0, (flags & 8) != 0};
  g.K = g.kH * g.kW * g.C;
  const char *bad = check_call(&g, nx, nw, nb, nout, m0, mc, n0, nc, flags);
  if (bad) return dn_fail(env, fn, bad);
  if (mc == 0 || nc == 0) return 0;
  inside_range(g.inH, g.padTop, g.sH, (g.kH - 1) * g.dH + 1, &g.ohLo, &g.ohHi);
  inside_range(g.inW, g.padLeft, g.sW, (g.kW - 1) * g.dW + 1, &g.owLo, &g.owHi);
  /*
   * Scratch: the tap offsets of a window inside x (term k = (kh*kW + kw)*C + c; flipped taps for the input gradient),
   * four pixels' tap pointers and skip marks, and for the input gradient the filter as rows of terms, wt[k*F + f] =
   * w[((kh*kW + kw)*F + f)*C + c] (w is [kH, kW, F, C] in this call's names).
   */
  const int64_t T = g.kH * g.kW;
  const size_t win_bytes = (size_t)g.K * sizeof(int32_t), tap_bytes = (size_t)T * 4 * GROUPS * sizeof(float *), none_bytes = (size_t)T * GROUPS;
  const size_t wt_bytes = g.flip ? (size_t)(g.K * g.F) * sizeof(float) : 0;
  char *scratch = malloc(wt_bytes + tap_bytes + win_bytes + none_bytes);
  if (!scratch) return dn_fail(env, fn, "out of memory for the term tables");
  Scratch sc = {(const int32_t *)(scratch + wt_bytes + tap_bytes), (const float **)(scratch + wt_bytes), (uint8_t *)(scratch + wt_bytes + tap_bytes + win_bytes), T, 1};
  int32_t *win = (int32_t *)sc.win;
  for (int64_t kh = 0, k = 0; kh < g.kH; kh++) {
    const int64_t th = g.flip ? g.kH - 1 - kh : kh;
    for (int64_t kw = 0; kw < g.kW; kw++) {
      const int64_t tw = g.flip ? g.kW - 1 - kw : kw;
      for (int64_t c = 0; c < g.C; c++, k++) win[k] = (int32_t)((th * g.dH * g.inW + tw * g.dW) * g.C + c);
    }
  }
  /* skipping the taps outside x is exact only when every +0 * w is ±0: w finite */
  for (int64_t i = 0; i < g.K * g.F && sc.finite; i++) sc.finite = w[i] - w[i] == 0.0f;
  if (g.flip) {
    float *wt = (float *)scratch;
    for (int64_t t = 0; t < T; t++)
      for (int64_t c = 0; c < g.C; c++)
        for (int64_t f = 0; f < g.F; f++) wt[(t * g.C + c) * g.F + f] = w[(t * g.F + f) * g.C + c];
    w = wt;
  }
  if (flags & 4) pooled(x, w, bias, out, &g, m0, mc, n0, nc, (int)flags, &sc);
  else plain(x, w, bias, out, &g, m0, mc, n0, nc, (int)flags, &sc);
  free(scratch);
  return 0;
}

void dn_register_conv(napi_env env, napi_value exports) { dn_export(env, exports, "convDirect", js_conv_direct); }
