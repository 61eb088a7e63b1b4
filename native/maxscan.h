/*
 * The scan of one 2 x 2 max-pooling window in ditto's native addon, shared by pool.c (maxPool2d and its gradient)
 * and conv.c (the convolution's pooled output): v0 = (0, 0), v1 = (0, 1), v2 = (1, 0), v3 = (1, 1);
 * best = v0, then for v1, v2, v3 in turn m = v > best, or v is NaN while best is not; best = m ? v : best
 * (maxPoolImages' rule, NaN included; values move as bits). Leaves best and the masks m1..m3 (the gradient's
 * winner) in scope. Written once for 8-lane (__m256) and 4-lane (__m128) vectors: pass the intrinsics.
 */
#ifndef DITTO_NATIVE_MAXSCAN_H
#define DITTO_NATIVE_MAXSCAN_H
#include <immintrin.h>

/* best and the masks m1..m3 of one window's four vectors (the full scan, NaN rules included). */
#define SCAN(V, CMP, OR, AND, ANDNOT, BLEND, T)                                                          \
  T best = v0, m1, m2, m3;                                                                              \
  m1 = OR(CMP(v1, best, _CMP_GT_OQ), AND(CMP(v1, v1, _CMP_UNORD_Q), CMP(best, best, _CMP_ORD_Q)));     \
  best = BLEND(best, v1, m1);                                                                           \
  m2 = OR(CMP(v2, best, _CMP_GT_OQ), AND(CMP(v2, v2, _CMP_UNORD_Q), CMP(best, best, _CMP_ORD_Q)));     \
  best = BLEND(best, v2, m2);                                                                           \
  m3 = OR(CMP(v3, best, _CMP_GT_OQ), AND(CMP(v3, v3, _CMP_UNORD_Q), CMP(best, best, _CMP_ORD_Q)));     \
  best = BLEND(best, v3, m3);

#endif
