/**
 * The float32 GEMM micro-kernels of the CPU backend, written as an asm.js module.
 *
 * Why asm.js: asm.js is a subset of JavaScript, so this file is ordinary JavaScript that any engine
 * runs as written (no WebAssembly binary, no native code, nothing to build). V8 validates the
 * module and compiles `fround(x * y)` and `fround(s + p)` on float-typed values to single IEEE
 * float32 multiplies and adds (f32.mul / f32.add), about 5-6x faster than the same loops in plain
 * JS with Math.fround after every step. Either way every step is one correctly rounded float32
 * operation (for + and * of two float32 values, rounding the exact or double result to float32
 * once gives the same bits), so the results are identical whether or not V8 accepts the module:
 * correctness never depends on validation, only speed does (test/unit/cpu/asm-validation.test.ts
 * fails if V8 stops validating it). Keep it valid asm.js: every stdlib import at the top, every
 * heap load wrapped in fround(F[p >> 2]), ints coerced with |0, int products with imul.
 *
 * The heap is a (non-shared) ArrayBuffer of 2^n bytes owned by one thread; the caller copies
 * operand regions into it, `packA` / `packB` gather them into panels through offset tables, and
 * the caller copies the results out (src/kernels/cpu/gemm-tasks.js). The packers only move
 * float32 values.
 *
 * Operand layout (the usual packed GEMM panels, offsets in bytes):
 *  - A panel: 5 rows, k-major: A[r, k] at pa + 20k + 4r (rows past M are zero padding);
 *  - B panel: 3 columns, k-major: B[c, k] at pb + 12k + 4c;
 *  - T tile: 5 x 3 running totals at pt + r*ldt + 4c.
 * 5 x 3 tiles (15 accumulators) with the k loop unrolled twice measured fastest among 2x4..8x2
 * shapes in V8 (about 7 GFLOP/s on one core of the reference machine, 10% above 4 x 4).
 * Reduction order (src/core/reduction-order.ts): kc consecutive terms starting at a multiple of
 * SUM_CHUNK = 256 are split into chunks of 256; for each output, chunk sum c = +0 then
 * c = f32(c + f32(a * b)) in k order, then t = f32(t + c). The caller zeroes T before the first
 * chunk of a reduction, so T ends as the two-level tree sum; longer reductions (> 65536 terms)
 * carry T into higher levels between calls. The 5x3 outputs of a tile are 15 independent
 * reductions; blocking changes nothing in any output's order.
 */
export function GemmKernels(stdlib, foreign, heap) {
  "use asm";
  var fround = stdlib.Math.fround;
  var imul = stdlib.Math.imul;
  var F = new stdlib.Float32Array(heap);
  var I = new stdlib.Int32Array(heap);

  // One 5x3 tile over kc terms (kc >= 1); see the header for the layout and the order.
  function tile(pa, pb, pt, ldt, kc) {
    pa = pa | 0;
    pb = pb | 0;
    pt = pt | 0;
    ldt = ldt | 0;
    kc = kc | 0;
    var c00 = fround(0), c01 = fround(0), c02 = fround(0);
    var c10 = fround(0), c11 = fround(0), c12 = fround(0);
    var c20 = fround(0), c21 = fround(0), c22 = fround(0);
    var c30 = fround(0), c31 = fround(0), c32 = fround(0);
    var c40 = fround(0), c41 = fround(0), c42 = fround(0);
    var a0 = fround(0), a1 = fround(0), a2 = fround(0), a3 = fround(0), a4 = fround(0), b = fround(0);
    var k = 0, n = 0, pe = 0, pu = 0, q = 0;
    while ((k | 0) < (kc | 0)) {
      // one chunk of n <= 256 consecutive k: c = +0, then c = f32(c + f32(a * b)) in k order
      n = (kc - k) | 0;
      if ((n | 0) > 256) n = 256;
      k = (k + n) | 0;
      c00 = fround(0); c01 = fround(0); c02 = fround(0);
      c10 = fround(0); c11 = fround(0); c12 = fround(0);
      c20 = fround(0); c21 = fround(0); c22 = fround(0);
      c30 = fround(0); c31 = fround(0); c32 = fround(0);
      c40 = fround(0); c41 = fround(0); c42 = fround(0);
      pe = (pa + imul(n, 20)) | 0;
      pu = (pa + imul(n & -2, 20)) | 0;
      while ((pa | 0) < (pu | 0)) {
        a0 = fround(F[(pa + 0) >> 2]);
        a1 = fround(F[(pa + 4) >> 2]);
        a2 = fround(F[(pa + 8) >> 2]);
        a3 = fround(F[(pa + 12) >> 2]);
        a4 = fround(F[(pa + 16) >> 2]);
        b = fround(F[(pb + 0) >> 2]);
        c00 = fround(c00 + fround(a0 * b)); c10 = fround(c10 + fround(a1 * b)); c20 = fround(c20 + fround(a2 * b)); c30 = fround(c30 + fround(a3 * b)); c40 = fround(c40 + fround(a4 * b));
        b = fround(F[(pb + 4) >> 2]);
        c01 = fround(c01 + fround(a0 * b)); c11 = fround(c11 + fround(a1 * b)); c21 = fround(c21 + fround(a2 * b)); c31 = fround(c31 + fround(a3 * b)); c41 = fround(c41 + fround(a4 * b));
        b = fround(F[(pb + 8) >> 2]);
        c02 = fround(c02 + fround(a0 * b)); c12 = fround(c12 + fround(a1 * b)); c22 = fround(c22 + fround(a2 * b)); c32 = fround(c32 + fround(a3 * b)); c42 = fround(c42 + fround(a4 * b));
        a0 = fround(F[(pa + 20) >> 2]);
        a1 = fround(F[(pa + 24) >> 2]);
        a2 = fround(F[(pa + 28) >> 2]);
        a3 = fround(F[(pa + 32) >> 2]);
        a4 = fround(F[(pa + 36) >> 2]);
        b = fround(F[(pb + 12) >> 2]);
        c00 = fround(c00 + fround(a0 * b)); c10 = fround(c10 + fround(a1 * b)); c20 = fround(c20 + fround(a2 * b)); c30 = fround(c30 + fround(a3 * b)); c40 = fround(c40 + fround(a4 * b));
        b = fround(F[(pb + 16) >> 2]);
        c01 = fround(c01 + fround(a0 * b)); c11 = fround(c11 + fround(a1 * b)); c21 = fround(c21 + fround(a2 * b)); c31 = fround(c31 + fround(a3 * b)); c41 = fround(c41 + fround(a4 * b));
        b = fround(F[(pb + 20) >> 2]);
        c02 = fround(c02 + fround(a0 * b)); c12 = fround(c12 + fround(a1 * b)); c22 = fround(c22 + fround(a2 * b)); c32 = fround(c32 + fround(a3 * b)); c42 = fround(c42 + fround(a4 * b));
        pa = (pa + 40) | 0;
        pb = (pb + 24) | 0;
      }
      if ((pa | 0) < (pe | 0)) {
        a0 = fround(F[(pa + 0) >> 2]);
        a1 = fround(F[(pa + 4) >> 2]);
        a2 = fround(F[(pa + 8) >> 2]);
        a3 = fround(F[(pa + 12) >> 2]);
        a4 = fround(F[(pa + 16) >> 2]);
        b = fround(F[(pb + 0) >> 2]);
        c00 = fround(c00 + fround(a0 * b)); c10 = fround(c10 + fround(a1 * b)); c20 = fround(c20 + fround(a2 * b)); c30 = fround(c30 + fround(a3 * b)); c40 = fround(c40 + fround(a4 * b));
        b = fround(F[(pb + 4) >> 2]);
        c01 = fround(c01 + fround(a0 * b)); c11 = fround(c11 + fround(a1 * b)); c21 = fround(c21 + fround(a2 * b)); c31 = fround(c31 + fround(a3 * b)); c41 = fround(c41 + fround(a4 * b));
        b = fround(F[(pb + 8) >> 2]);
        c02 = fround(c02 + fround(a0 * b)); c12 = fround(c12 + fround(a1 * b)); c22 = fround(c22 + fround(a2 * b)); c32 = fround(c32 + fround(a3 * b)); c42 = fround(c42 + fround(a4 * b));
        pa = (pa + 20) | 0;
        pb = (pb + 12) | 0;
      }
      // the chunk sums enter the running totals: t = f32(t + c)
      q = pt;
      F[(q + 0) >> 2] = fround(fround(F[(q + 0) >> 2]) + c00);
      F[(q + 4) >> 2] = fround(fround(F[(q + 4) >> 2]) + c01);
      F[(q + 8) >> 2] = fround(fround(F[(q + 8) >> 2]) + c02);
      q = (pt + (imul(ldt, 1) | 0)) | 0;
      F[(q + 0) >> 2] = fround(fround(F[(q + 0) >> 2]) + c10);
      F[(q + 4) >> 2] = fround(fround(F[(q + 4) >> 2]) + c11);
      F[(q + 8) >> 2] = fround(fround(F[(q + 8) >> 2]) + c12);
      q = (pt + (imul(ldt, 2) | 0)) | 0;
      F[(q + 0) >> 2] = fround(fround(F[(q + 0) >> 2]) + c20);
      F[(q + 4) >> 2] = fround(fround(F[(q + 4) >> 2]) + c21);
      F[(q + 8) >> 2] = fround(fround(F[(q + 8) >> 2]) + c22);
      q = (pt + (imul(ldt, 3) | 0)) | 0;
      F[(q + 0) >> 2] = fround(fround(F[(q + 0) >> 2]) + c30);
      F[(q + 4) >> 2] = fround(fround(F[(q + 4) >> 2]) + c31);
      F[(q + 8) >> 2] = fround(fround(F[(q + 8) >> 2]) + c32);
      q = (pt + (imul(ldt, 4) | 0)) | 0;
      F[(q + 0) >> 2] = fround(fround(F[(q + 0) >> 2]) + c40);
      F[(q + 4) >> 2] = fround(fround(F[(q + 4) >> 2]) + c41);
      F[(q + 8) >> 2] = fround(fround(F[(q + 8) >> 2]) + c42);
    }
  }

  // All mt x nt tiles of a block: A panels at pa (20*kc bytes each), B panels at pb (12*kc
  // bytes each), T rows of ldt bytes at pt (tile (i, j) at pt + 5*i*ldt + 12*j).
  function gemm(pa, pb, pt, ldt, mt, nt, kc) {
    pa = pa | 0;
    pb = pb | 0;
    pt = pt | 0;
    ldt = ldt | 0;
    mt = mt | 0;
    nt = nt | 0;
    kc = kc | 0;
    var i = 0, j = 0, qb = 0, qt = 0, panelA = 0, panelB = 0;
    panelA = imul(kc, 20) | 0;
    panelB = imul(kc, 12) | 0;
    for (i = 0; (i | 0) < (mt | 0); i = (i + 1) | 0) {
      qb = pb;
      qt = (pt + imul(imul(i, 5) | 0, ldt)) | 0;
      for (j = 0; (j | 0) < (nt | 0); j = (j + 1) | 0) {
        tile(pa, qb, qt, ldt, kc);
        qb = (qb + panelB) | 0;
        qt = (qt + 12) | 0;
      }
      pa = (pa + panelA) | 0;
    }
  }

  // As tile, for a reduction of a single chunk (kc <= 256) into T that holds nothing yet: T = c.
  // (t = f32(+0 + c) is c itself: a sum that starts at +0 is never -0, and +0 + NaN is that NaN.)
  function tile1(pa, pb, pt, ldt, kc) {
    pa = pa | 0;
    pb = pb | 0;
    pt = pt | 0;
    ldt = ldt | 0;
    kc = kc | 0;
    var c00 = fround(0), c01 = fround(0), c02 = fround(0);
    var c10 = fround(0), c11 = fround(0), c12 = fround(0);
    var c20 = fround(0), c21 = fround(0), c22 = fround(0);
    var c30 = fround(0), c31 = fround(0), c32 = fround(0);
    var c40 = fround(0), c41 = fround(0), c42 = fround(0);
    var a0 = fround(0), a1 = fround(0), a2 = fround(0), a3 = fround(0), a4 = fround(0), b = fround(0);
    var pe = 0, pu = 0, q = 0;
    pe = (pa + imul(kc, 20)) | 0;
    pu = (pa + imul(kc & -2, 20)) | 0;
    while ((pa | 0) < (pu | 0)) {
      a0 = fround(F[(pa + 0) >> 2]);
      a1 = fround(F[(pa + 4) >> 2]);
      a2 = fround(F[(pa + 8) >> 2]);
      a3 = fround(F[(pa + 12) >> 2]);
      a4 = fround(F[(pa + 16) >> 2]);
      b = fround(F[(pb + 0) >> 2]);
      c00 = fround(c00 + fround(a0 * b)); c10 = fround(c10 + fround(a1 * b)); c20 = fround(c20 + fround(a2 * b)); c30 = fround(c30 + fround(a3 * b)); c40 = fround(c40 + fround(a4 * b));
      b = fround(F[(pb + 4) >> 2]);
      c01 = fround(c01 + fround(a0 * b)); c11 = fround(c11 + fround(a1 * b)); c21 = fround(c21 + fround(a2 * b)); c31 = fround(c31 + fround(a3 * b)); c41 = fround(c41 + fround(a4 * b));
      b = fround(F[(pb + 8) >> 2]);
      c02 = fround(c02 + fround(a0 * b)); c12 = fround(c12 + fround(a1 * b)); c22 = fround(c22 + fround(a2 * b)); c32 = fround(c32 + fround(a3 * b)); c42 = fround(c42 + fround(a4 * b));
      a0 = fround(F[(pa + 20) >> 2]);
      a1 = fround(F[(pa + 24) >> 2]);
      a2 = fround(F[(pa + 28) >> 2]);
      a3 = fround(F[(pa + 32) >> 2]);
      a4 = fround(F[(pa + 36) >> 2]);
      b = fround(F[(pb + 12) >> 2]);
      c00 = fround(c00 + fround(a0 * b)); c10 = fround(c10 + fround(a1 * b)); c20 = fround(c20 + fround(a2 * b)); c30 = fround(c30 + fround(a3 * b)); c40 = fround(c40 + fround(a4 * b));
      b = fround(F[(pb + 16) >> 2]);
      c01 = fround(c01 + fround(a0 * b)); c11 = fround(c11 + fround(a1 * b)); c21 = fround(c21 + fround(a2 * b)); c31 = fround(c31 + fround(a3 * b)); c41 = fround(c41 + fround(a4 * b));
      b = fround(F[(pb + 20) >> 2]);
      c02 = fround(c02 + fround(a0 * b)); c12 = fround(c12 + fround(a1 * b)); c22 = fround(c22 + fround(a2 * b)); c32 = fround(c32 + fround(a3 * b)); c42 = fround(c42 + fround(a4 * b));
      pa = (pa + 40) | 0;
      pb = (pb + 24) | 0;
    }
    if ((pa | 0) < (pe | 0)) {
      a0 = fround(F[(pa + 0) >> 2]);
      a1 = fround(F[(pa + 4) >> 2]);
      a2 = fround(F[(pa + 8) >> 2]);
      a3 = fround(F[(pa + 12) >> 2]);
      a4 = fround(F[(pa + 16) >> 2]);
      b = fround(F[(pb + 0) >> 2]);
      c00 = fround(c00 + fround(a0 * b)); c10 = fround(c10 + fround(a1 * b)); c20 = fround(c20 + fround(a2 * b)); c30 = fround(c30 + fround(a3 * b)); c40 = fround(c40 + fround(a4 * b));
      b = fround(F[(pb + 4) >> 2]);
      c01 = fround(c01 + fround(a0 * b)); c11 = fround(c11 + fround(a1 * b)); c21 = fround(c21 + fround(a2 * b)); c31 = fround(c31 + fround(a3 * b)); c41 = fround(c41 + fround(a4 * b));
      b = fround(F[(pb + 8) >> 2]);
      c02 = fround(c02 + fround(a0 * b)); c12 = fround(c12 + fround(a1 * b)); c22 = fround(c22 + fround(a2 * b)); c32 = fround(c32 + fround(a3 * b)); c42 = fround(c42 + fround(a4 * b));
    }
    q = pt;
    F[(q + 0) >> 2] = c00; F[(q + 4) >> 2] = c01; F[(q + 8) >> 2] = c02;
    q = (pt + (imul(ldt, 1) | 0)) | 0;
    F[(q + 0) >> 2] = c10; F[(q + 4) >> 2] = c11; F[(q + 8) >> 2] = c12;
    q = (pt + (imul(ldt, 2) | 0)) | 0;
    F[(q + 0) >> 2] = c20; F[(q + 4) >> 2] = c21; F[(q + 8) >> 2] = c22;
    q = (pt + (imul(ldt, 3) | 0)) | 0;
    F[(q + 0) >> 2] = c30; F[(q + 4) >> 2] = c31; F[(q + 8) >> 2] = c32;
    q = (pt + (imul(ldt, 4) | 0)) | 0;
    F[(q + 0) >> 2] = c40; F[(q + 4) >> 2] = c41; F[(q + 8) >> 2] = c42;
  }

  // All tiles of a block with tile1 (a single-chunk reduction; T is written, not read).
  function gemm1(pa, pb, pt, ldt, mt, nt, kc) {
    pa = pa | 0;
    pb = pb | 0;
    pt = pt | 0;
    ldt = ldt | 0;
    mt = mt | 0;
    nt = nt | 0;
    kc = kc | 0;
    var i = 0, j = 0, qb = 0, qt = 0, panelA = 0, panelB = 0;
    panelA = imul(kc, 20) | 0;
    panelB = imul(kc, 12) | 0;
    for (i = 0; (i | 0) < (mt | 0); i = (i + 1) | 0) {
      qb = pb;
      qt = (pt + imul(imul(i, 5) | 0, ldt)) | 0;
      for (j = 0; (j | 0) < (nt | 0); j = (j + 1) | 0) {
        tile1(pa, qb, qt, ldt, kc);
        qb = (qb + panelB) | 0;
        qt = (qt + 12) | 0;
      }
      pa = (pa + panelA) | 0;
    }
  }

  // One 5-lane panel of kc terms at dst (k-major): lane r < nl of term k is the float at
  // byte I[lb/4 + r] + I[tab/4 + k] (tables of byte offsets); lanes r >= nl are +0.
  function packA(dst, lb, nl, tab, kc) {
    dst = dst | 0;
    lb = lb | 0;
    nl = nl | 0;
    tab = tab | 0;
    kc = kc | 0;
    var b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, end = 0, o = 0;
    b0 = I[(lb + 0) >> 2] | 0;
    b1 = I[(lb + 4) >> 2] | 0;
    b2 = I[(lb + 8) >> 2] | 0;
    b3 = I[(lb + 12) >> 2] | 0;
    b4 = I[(lb + 16) >> 2] | 0;
    end = (tab + (kc << 2)) | 0;
    if ((nl | 0) >= 5) {
      while ((tab | 0) < (end | 0)) {
        o = I[tab >> 2] | 0;
        F[(dst + 0) >> 2] = fround(F[(b0 + o) >> 2]);
        F[(dst + 4) >> 2] = fround(F[(b1 + o) >> 2]);
        F[(dst + 8) >> 2] = fround(F[(b2 + o) >> 2]);
        F[(dst + 12) >> 2] = fround(F[(b3 + o) >> 2]);
        F[(dst + 16) >> 2] = fround(F[(b4 + o) >> 2]);
        dst = (dst + 20) | 0;
        tab = (tab + 4) | 0;
      }
      return;
    }
    while ((tab | 0) < (end | 0)) {
      o = I[tab >> 2] | 0;
      F[dst >> 2] = fround(F[(b0 + o) >> 2]);
      if ((nl | 0) > 1) F[(dst + 4) >> 2] = fround(F[(b1 + o) >> 2]);
      else F[(dst + 4) >> 2] = fround(0);
      if ((nl | 0) > 2) F[(dst + 8) >> 2] = fround(F[(b2 + o) >> 2]);
      else F[(dst + 8) >> 2] = fround(0);
      if ((nl | 0) > 3) F[(dst + 12) >> 2] = fround(F[(b3 + o) >> 2]);
      else F[(dst + 12) >> 2] = fround(0);
      if ((nl | 0) > 4) F[(dst + 16) >> 2] = fround(F[(b4 + o) >> 2]);
      else F[(dst + 16) >> 2] = fround(0);
      dst = (dst + 20) | 0;
      tab = (tab + 4) | 0;
    }
  }

  // One 3-lane panel of kc terms at dst (k-major): lane r < nl of term k is the float at
  // byte I[lb/4 + r] + I[tab/4 + k] (tables of byte offsets); lanes r >= nl are +0.
  function packB(dst, lb, nl, tab, kc) {
    dst = dst | 0;
    lb = lb | 0;
    nl = nl | 0;
    tab = tab | 0;
    kc = kc | 0;
    var b0 = 0, b1 = 0, b2 = 0, end = 0, o = 0;
    b0 = I[(lb + 0) >> 2] | 0;
    b1 = I[(lb + 4) >> 2] | 0;
    b2 = I[(lb + 8) >> 2] | 0;
    end = (tab + (kc << 2)) | 0;
    if ((nl | 0) >= 3) {
      while ((tab | 0) < (end | 0)) {
        o = I[tab >> 2] | 0;
        F[(dst + 0) >> 2] = fround(F[(b0 + o) >> 2]);
        F[(dst + 4) >> 2] = fround(F[(b1 + o) >> 2]);
        F[(dst + 8) >> 2] = fround(F[(b2 + o) >> 2]);
        dst = (dst + 12) | 0;
        tab = (tab + 4) | 0;
      }
      return;
    }
    while ((tab | 0) < (end | 0)) {
      o = I[tab >> 2] | 0;
      F[dst >> 2] = fround(F[(b0 + o) >> 2]);
      if ((nl | 0) > 1) F[(dst + 4) >> 2] = fround(F[(b1 + o) >> 2]);
      else F[(dst + 4) >> 2] = fround(0);
      if ((nl | 0) > 2) F[(dst + 8) >> 2] = fround(F[(b2 + o) >> 2]);
      else F[(dst + 8) >> 2] = fround(0);
      dst = (dst + 12) | 0;
      tab = (tab + 4) | 0;
    }
  }

  return { gemm: gemm, gemm1: gemm1, packA: packA, packB: packB };
}
