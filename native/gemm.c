/*
 * The GEMM tiles of ditto's native addon (addon.c; x86-64 with AVX2): the same three loops as the
 * WebAssembly module of src/kernels/cpu/wasm-gemm.ts (gemm, dgemm, dgemm3), over the same WebAssembly
 * memory, on the same packed or unpacked operands, 8 lanes per instruction instead of 4. Nothing else
 * moves here: packing, tables, epilogue passes and the thread pool stay in TypeScript and WebAssembly;
 * src/kernels/cpu/native-gemm.ts checks these loops against the WebAssembly module on every thread.
 *
 * Exactness (the reason this file can exist): every output is one lane of a __m256 accumulator and
 * the only arithmetic is _mm256_mul_ps then _mm256_add_ps, IEEE 754 binary32 operations rounded to
 * nearest-even, never fused (built with -mno-fma -ffp-contract=off; scripts/build-native.mjs), with
 * subnormals (Node does not set FTZ/DAZ). Each output adds f32(a * b) in k order into a chunk
 * accumulator that starts at +0, chunks end at the multiples of 256 of the term index, and a
 * chunk's sum is stored (the first, with `store`) or added to the total: lane for lane the
 * operations of wasm-gemm.ts's tile and dtile, in the same order (src/core/reduction-order.ts), so
 * the same bits. The epilogue of dgemm's single-chunk tiles (store bits 2 and 4: + bias, then relu
 * as c & (c > 0 | c unordered)) is wasm-gemm.ts's too. Two tiles side by side share each A
 * broadcast (8 independent accumulators: the adds' latency hidden); that changes which instruction
 * computes an output, never the operations on it.
 *
 * Memory safety: every call checks, before touching memory, that all bytes it can read or write lie
 * inside the heap bound by heap() (tables included) and throws a RangeError otherwise.
 * Exports: heap(buffer), gemm(pa, pb, pt, ldt, mt, nt, kc, store, pr),
 * dgemm(prow, pterm, pb, ldb, pt, ldt, mt, nt, kc, store, pbias), dgemm3(same) (offsets in bytes,
 * wasm-gemm.ts's header; dgemm's kc at least 1).
 */
#include <immintrin.h>

#include "args.h"
#include "vec.h"

/* This thread's heap (each CPU-backend thread binds its own WebAssembly memory). */
static __thread char *H = 0;
static __thread int64_t HLEN = 0;

#define F32(off) ((float *)(H + (off)))
#define I32(off) ((int32_t *)(H + (off)))

/* tile(s) of MR rows (MR = 4 or 3) over terms k..kc-1 of packed panels (gemm) */
#define ACC_DECL                                                                                       \
  __m256 c00 = _mm256_setzero_ps(), c10 = c00, c20 = c00, c30 = c00, c01 = c00, c11 = c00, c21 = c00, \
         c31 = c00;

static inline void finish(float *q, __m256 c, int store) {
  if (store) _mm256_storeu_ps(q, c);
  else _mm256_storeu_ps(q, _mm256_add_ps(_mm256_loadu_ps(q), c));
}

/* Packed tiles: one (two = 0) or two side-by-side 4 x 8 tiles, B panels pb0 and pb1. */
static void ptile(const float *pa, const float *pb0, const float *pb1, char *pt, int64_t ldt, int kc, int store, int k, int two) {
  do {
    int n = (k & -256) + 256;
    if (n > kc) n = kc;
    n -= k;
    k += n;
    ACC_DECL
    if (two) {
      for (int t = 0; t < n; t++) {
        __m256 b0 = _mm256_loadu_ps(pb0), b1 = _mm256_loadu_ps(pb1), a;
        a = _mm256_broadcast_ss(pa);
        c00 = _mm256_add_ps(c00, _mm256_mul_ps(a, b0));
        c01 = _mm256_add_ps(c01, _mm256_mul_ps(a, b1));
        a = _mm256_broadcast_ss(pa + 1);
        c10 = _mm256_add_ps(c10, _mm256_mul_ps(a, b0));
        c11 = _mm256_add_ps(c11, _mm256_mul_ps(a, b1));
        a = _mm256_broadcast_ss(pa + 2);
        c20 = _mm256_add_ps(c20, _mm256_mul_ps(a, b0));
        c21 = _mm256_add_ps(c21, _mm256_mul_ps(a, b1));
        a = _mm256_broadcast_ss(pa + 3);
        c30 = _mm256_add_ps(c30, _mm256_mul_ps(a, b0));
        c31 = _mm256_add_ps(c31, _mm256_mul_ps(a, b1));
        pa += 4;
        pb0 += 8;
        pb1 += 8;
      }
    } else {
      for (int t = 0; t < n; t++) {
        __m256 b0 = _mm256_loadu_ps(pb0);
        c00 = _mm256_add_ps(c00, _mm256_mul_ps(_mm256_broadcast_ss(pa), b0));
        c10 = _mm256_add_ps(c10, _mm256_mul_ps(_mm256_broadcast_ss(pa + 1), b0));
        c20 = _mm256_add_ps(c20, _mm256_mul_ps(_mm256_broadcast_ss(pa + 2), b0));
        c30 = _mm256_add_ps(c30, _mm256_mul_ps(_mm256_broadcast_ss(pa + 3), b0));
        pa += 4;
        pb0 += 8;
      }
    }
    finish((float *)pt, c00, store);
    finish((float *)(pt + ldt), c10, store);
    finish((float *)(pt + 2 * ldt), c20, store);
    finish((float *)(pt + 3 * ldt), c30, store);
    if (two) {
      finish((float *)pt + 8, c01, store);
      finish((float *)(pt + ldt) + 8, c11, store);
      finish((float *)(pt + 2 * ldt) + 8, c21, store);
      finish((float *)(pt + 3 * ldt) + 8, c31, store);
    }
    store = 0;
  } while (k < kc);
}

/* Unpacked tiles of MR rows: A[r, k] at H + rows[r] + terms[k], B[c, k] at pb + k*ldb + 4c (+ 32 for the second tile). */
static void dtile(int MR, const int32_t *rows, const int32_t *terms, const char *pb, int64_t ldb, char *pt, int64_t ldt, int kc, int store,
                  const float *bias, int two) {
  const char *r0 = H + rows[0], *r1 = H + rows[1], *r2 = H + rows[2], *r3 = MR == 4 ? H + rows[3] : r0;
  int k = 0;
  do {
    int n = kc - k;
    if (n > 256) n = 256;
    ACC_DECL
    for (int t = k; t < k + n; t++) {
      const int32_t o = terms[t];
      const float *b = (const float *)(pb + (int64_t)t * ldb);
      __m256 b0 = _mm256_loadu_ps(b), a;
      __m256 b1 = two ? _mm256_loadu_ps(b + 8) : b0;
      a = _mm256_broadcast_ss((const float *)(r0 + o));
      c00 = _mm256_add_ps(c00, _mm256_mul_ps(a, b0));
      if (two) c01 = _mm256_add_ps(c01, _mm256_mul_ps(a, b1));
      a = _mm256_broadcast_ss((const float *)(r1 + o));
      c10 = _mm256_add_ps(c10, _mm256_mul_ps(a, b0));
      if (two) c11 = _mm256_add_ps(c11, _mm256_mul_ps(a, b1));
      a = _mm256_broadcast_ss((const float *)(r2 + o));
      c20 = _mm256_add_ps(c20, _mm256_mul_ps(a, b0));
      if (two) c21 = _mm256_add_ps(c21, _mm256_mul_ps(a, b1));
      if (MR == 4) {
        a = _mm256_broadcast_ss((const float *)(r3 + o));
        c30 = _mm256_add_ps(c30, _mm256_mul_ps(a, b0));
        if (two) c31 = _mm256_add_ps(c31, _mm256_mul_ps(a, b1));
      }
    }
    k += n;
    if (store && (store & 2)) {
      __m256 v0 = _mm256_loadu_ps(bias), v1 = two ? _mm256_loadu_ps(bias + 8) : v0;
      c00 = _mm256_add_ps(c00, v0), c10 = _mm256_add_ps(c10, v0), c20 = _mm256_add_ps(c20, v0), c30 = _mm256_add_ps(c30, v0);
      c01 = _mm256_add_ps(c01, v1), c11 = _mm256_add_ps(c11, v1), c21 = _mm256_add_ps(c21, v1), c31 = _mm256_add_ps(c31, v1);
      if (store & 4) {
        c00 = dn_relu(c00), c10 = dn_relu(c10), c20 = dn_relu(c20), c30 = dn_relu(c30);
        c01 = dn_relu(c01), c11 = dn_relu(c11), c21 = dn_relu(c21), c31 = dn_relu(c31);
      }
    }
    finish((float *)pt, c00, store);
    finish((float *)(pt + ldt), c10, store);
    finish((float *)(pt + 2 * ldt), c20, store);
    if (MR == 4) finish((float *)(pt + 3 * ldt), c30, store);
    if (two) {
      finish((float *)pt + 8, c01, store);
      finish((float *)(pt + ldt) + 8, c11, store);
      finish((float *)(pt + 2 * ldt) + 8, c21, store);
      if (MR == 4) finish((float *)(pt + 3 * ldt) + 8, c31, store);
    }
    store = 0;
  } while (k < kc);
}

/* ---- bounds: [off, off + len) inside the heap, offsets non-negative ---- */
static int inside(int64_t off, int64_t len) { return off >= 0 && len >= 0 && off + len <= HLEN; }

static const char *check_gemm(int64_t pa, int64_t pb, int64_t pt, int64_t ldt, int64_t mt, int64_t nt, int64_t kc, int64_t pr) {
  if (!H) return "no heap bound";
  if (mt < 0 || nt < 0 || kc < 0 || ldt < 0) return "negative size";
  if (mt == 0 || nt == 0) return 0;
  if (!inside(pa, mt * kc * 16) || !inside(pb, nt * kc * 32)) return "panels outside the heap";
  if (!inside(pt, (4 * mt - 1) * ldt + nt * 32)) return "totals outside the heap";
  if (pr) {
    if (!inside(pr, 8 * mt)) return "term ranges outside the heap";
    for (int64_t i = 0; i < mt; i++) {
      int32_t lo = I32(pr)[2 * i], hi = I32(pr)[2 * i + 1];
      if (lo < 0 || lo > hi || hi > kc) return "a term range outside 0..kc";
    }
  }
  return 0;
}

static const char *check_dgemm(int MR, int64_t prow, int64_t pterm, int64_t pb, int64_t ldb, int64_t pt, int64_t ldt, int64_t mt, int64_t nt,
                               int64_t kc, int64_t store, int64_t pbias) {
  if (!H) return "no heap bound";
  if (mt < 0 || nt < 0 || kc < 0 || ldt < 0 || ldb < 0) return "negative size";
  /* the WebAssembly dtile reads one term even for kc = 0 (its term loop tests at the end): no caller passes 0 */
  if (kc == 0) return "kc must be at least 1";
  if (mt == 0 || nt == 0) return 0;
  if (!inside(pt, (MR * mt - 1) * ldt + nt * 32)) return "totals outside the heap";
  if ((store & 2) && !inside(pbias, nt * 32)) return "bias outside the heap";
  if (!inside(prow, 4 * MR * mt) || !inside(pterm, 4 * kc)) return "row or term table outside the heap";
  if (!inside(pb, (kc - 1) * ldb + nt * 32)) return "B outside the heap";
  int64_t rlo = INT64_MAX, rhi = INT64_MIN, tlo = INT64_MAX, thi = INT64_MIN;
  for (int64_t i = 0; i < MR * mt; i++) {
    int64_t v = I32(prow)[i];
    if (v < rlo) rlo = v;
    if (v > rhi) rhi = v;
  }
  for (int64_t i = 0; i < kc; i++) {
    int64_t v = I32(pterm)[i];
    if (v < tlo) tlo = v;
    if (v > thi) thi = v;
  }
  if (rlo + tlo < 0 || rhi + thi + 4 > HLEN) return "an A element outside the heap";
  return 0;
}

/* ---- N-API entry points ---- */
/* want int32 arguments into v. */
static int int_args(napi_env env, napi_callback_info info, const char *fn, size_t want, int64_t *v) {
  napi_value argv[DN_MAX_ARGS];
  return dn_args(env, info, fn, want, argv) && dn_ints(env, fn, argv, want, v);
}

static napi_value js_heap(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  void *data = 0;
  size_t len = 0;
  bool is = false;
  if (!dn_args(env, info, "heap", 1, argv)) return 0;
  if (napi_is_arraybuffer(env, argv[0], &is) != napi_ok || !is) {
    napi_throw_type_error(env, 0, "ditto_native.heap: expected an ArrayBuffer");
    return 0;
  }
  napi_get_arraybuffer_info(env, argv[0], &data, &len);
  H = (char *)data;
  HLEN = (int64_t)len;
  return 0;
}

static napi_value js_gemm(napi_env env, napi_callback_info info) {
  int64_t v[9];
  if (!int_args(env, info, "gemm", 9, v)) return 0;
  int64_t pa = v[0], pb = v[1], pt = v[2], ldt = v[3], mt = v[4], nt = v[5], kc = v[6], store = v[7], pr = v[8];
  const char *bad = check_gemm(pa, pb, pt, ldt, mt, nt, kc, pr);
  if (bad) return dn_fail(env, "gemm", bad);
  int64_t panelA = kc * 16, panelB = kc * 32;
  for (int64_t i = 0; i < mt; i++) {
    int lo = 0, hi = (int)kc;
    if (pr) lo = I32(pr)[2 * i], hi = I32(pr)[2 * i + 1];
    const float *qa = F32(pa + i * panelA + (int64_t)lo * 16);
    const char *qb = H + pb + (int64_t)lo * 32;
    char *qt = H + pt + i * 4 * ldt;
    int64_t j = 0;
    for (; j + 1 < nt; j += 2, qb += 2 * panelB, qt += 64) ptile(qa, (const float *)qb, (const float *)(qb + panelB), qt, ldt, hi, (int)store, lo, 1);
    if (j < nt) ptile(qa, (const float *)qb, 0, qt, ldt, hi, (int)store, lo, 0);
  }
  return 0;
}

static napi_value direct(napi_env env, napi_callback_info info, int MR, const char *name) {
  int64_t v[11];
  if (!int_args(env, info, name, 11, v)) return 0;
  int64_t prow = v[0], pterm = v[1], pb = v[2], ldb = v[3], pt = v[4], ldt = v[5], mt = v[6], nt = v[7], kc = v[8], store = v[9], pbias = v[10];
  const char *bad = check_dgemm(MR, prow, pterm, pb, ldb, pt, ldt, mt, nt, kc, store, pbias);
  if (bad) return dn_fail(env, name, bad);
  const int32_t *terms = I32(pterm);
  for (int64_t i = 0; i < mt; i++) {
    const int32_t *rows = I32(prow + i * 4 * MR);
    char *qt = H + pt + i * MR * ldt;
    int64_t j = 0;
    for (; j + 1 < nt; j += 2) dtile(MR, rows, terms, H + pb + 32 * j, ldb, qt + 32 * j, ldt, (int)kc, (int)store, F32(pbias + 32 * j), 1);
    if (j < nt) dtile(MR, rows, terms, H + pb + 32 * j, ldb, qt + 32 * j, ldt, (int)kc, (int)store, F32(pbias + 32 * j), 0);
  }
  return 0;
}

static napi_value js_dgemm(napi_env env, napi_callback_info info) { return direct(env, info, 4, "dgemm"); }
static napi_value js_dgemm3(napi_env env, napi_callback_info info) { return direct(env, info, 3, "dgemm3"); }


void dn_register_gemm(napi_env env, napi_value exports) {
  dn_export(env, exports, "heap", js_heap);
  dn_export(env, exports, "gemm", js_gemm);
  dn_export(env, exports, "dgemm", js_dgemm);
  dn_export(env, exports, "dgemm3", js_dgemm3);
}
