// requires: lib/float-bits
// lib/math: the engine's float32 transcendental functions, included into kernels by the
// first-line directive `// requires: lib/math`. Functions and consts only: no entry point, no bindings.
// Uses `rounded` from lib/float-bits: a kernel that includes lib/math must be created with the
// backend's EXACT_GUARD override (ctx.exactGuard) so the guard is on where the driver contracts FMAs.
//
// Contract: each function is an operation-for-operation copy of its TypeScript twin in
// src/core/math/ (dt_exp = exp32, dt_expm1 = expm1_32, dt_log = log32, dt_log1p = log1p32,
// dt_tanh = tanh32, dt_sigmoid = sigmoid32, dt_softplus = softplus32). Every step is one
// separately rounded f32 + - * / (division correctly rounded: the backend self-tests it), floor,
// an exact int<->float conversion of a small integer, or an exact bit operation; constants are
// exact bit patterns or exactly representable literals. No WGSL builtin transcendentals, no
// ldexp, no fma. So for every finite input the bits equal the CPU's (test/agreement/math-wgsl.test.ts).
// Special inputs (NaN, ±Inf, zeros, subnormal log inputs) are detected by integer tests on the
// bits, never by x != x (WGSL may assume finite math), so every ±Inf input takes an explicit branch.
// Where the GPU may legitimately differ from the TypeScript:
//  - NaN results are NaN on both sides, but the bit patterns may differ (TS gives the canonical
//    0x7fc00000; WGSL returns the input NaN, or bits | 0x7fc00000 for log/log1p of a negative number);
//  - overflow to ±Inf and subnormal results of finite inputs come from ordinary IEEE multiplies
//    (exp, expm1, sigmoid, softplus): a device that flushes subnormals to zero would differ there;
//  - FMA contraction: every inexact product that feeds an add/sub goes through `rounded`
//    (lib/float-bits; a no-op unless EXACT_GUARD, which the backend sets when its self-test finds
//    contraction); products that are exact (n*LN2HI, k*LN2HI, the split products in dt_div_dd,
//    power-of-two scalings) need no guard, a fused form gives the same bits. "Inexact" algebra
//    (reassociation) is stopped by dt_opaque, always on. Measured on lavapipe (Mesa 25.0.7, LLVM 15): no fma, no flush; bit-identical for all
//    tested finite and ±Inf inputs, NaN in -> NaN out. A real GPU must pass the same agreement test.
// Step lists and measured accuracy: see the JSDoc of each TypeScript function.

// Value barrier: returns v unchanged for every non-NaN v, in a form an optimizing shader compiler
// cannot see through. WGSL has no `precise`; without this, lavapipe's compiler (Mesa NIR, like other
// drivers) applies "inexact" algebra such as (1 + h) - 1 -> h, which erases the exact rounding error
// that Fast2Sum/TwoSum compute: measured, up to 1.9M of 5.2M inputs differed. TS needs nothing here.
// Every value marked [opaque] in the TypeScript step lists passes through this.
fn dt_opaque(v: f32) -> f32 {
  return select(0.0, v, bitcast<u32>(v) != 0xffffffffu);
}

// ---- exp core ----------------------------------------------------------------------------------
const DT_LOG2E: f32 = bitcast<f32>(0x3fb8aa3bu); // log2(e) rounded
const DT_LN2HI: f32 = bitcast<f32>(0x3f317200u); // ln2, 15 significant bits: n*DT_LN2HI exact
const DT_LN2LO: f32 = bitcast<f32>(0x35bfbe8eu); // ln2 - DT_LN2HI rounded
const DT_E2: f32 = bitcast<f32>(0x3efffffeu);
const DT_E3: f32 = bitcast<f32>(0x3e2aaa45u);
const DT_E4: f32 = bitcast<f32>(0x3d2aac88u);
const DT_E5: f32 = bitcast<f32>(0x3c091f6cu);
const DT_E6: f32 = bitcast<f32>(0x3ab50dfeu);

// e^clamp(x, -104, 89) = (hi + lo) * 2^n, hi in [0.70, 1.42], n in [-150, 128].
struct DtExpParts {
  hi: f32,
  lo: f32,
  n: i32,
}

// 2^k for an integer k in [-126, 127], exact.
// v * 2^k rounded to nearest-even (IEEE binary32, subnormal results included), for v finite and
// normal or zero, computed on the bits (lib/float-bits dt_pack_rne) so that a driver that
// flushes subnormals cannot alter it.
fn dt_ldexp(v: f32, k: i32) -> f32 {
  let b = bitcast<u32>(v);
  let ex = i32((b >> 23u) & 0xffu);
  if (ex == 0) {
    return v;
  }
  let e = ex + k;
  if (e >= 1 && e < 255) {
    return bitcast<f32>((b & 0x807fffffu) | (u32(e) << 23u));
  }
  let q = ((b & 0x7fffffu) | 0x800000u) << 2u;
  return bitcast<f32>(dt_pack_rne(b & 0x80000000u, q, false, 1000 + e - 127));
}

fn dt_pow2(k: i32) -> f32 {
  return bitcast<f32>(u32(k + 127) << 23u);
}

// TS: expCore (src/core/math/exp.ts). x must not be NaN.
fn dt_exp_core(x_in: f32) -> DtExpParts {
  var x = x_in;
  if (x < -104.0) {
    x = -104.0;
  } else if (x > 89.0) {
    x = 89.0;
  }
  let nf = floor(rounded(x * DT_LOG2E) + 0.5);
  let hi = x - nf * DT_LN2HI;
  let lo = rounded(nf * DT_LN2LO);
  let r = hi - lo;
  let r2 = r * r;
  let p = DT_E2 + rounded(r * (DT_E3 + rounded(r * (DT_E4 + rounded(r * (DT_E5 + rounded(r * DT_E6)))))));
  let s = dt_opaque(1.0 + hi);
  let err = hi - (s - 1.0);
  let corr = err + (rounded(r2 * p) - lo);
  let ph = dt_opaque(s + corr);
  let pl = corr - (ph - s);
  return DtExpParts(ph, pl, i32(nf));
}

// TS: exp32. e^x.
fn dt_exp(x: f32) -> f32 {
  let ix = bitcast<u32>(x);
  if ((ix & 0x7fffffffu) >= 0x7f800000u) {
    if (ix == 0xff800000u) {
      return 0.0; // -Inf
    }
    return x; // +Inf, NaN
  }
  let c = dt_exp_core(x);
  // (c.hi * 2^n1) * 2^(n - n1) in TS: the first product is exact, the second rounds once, so
  // the result is c.hi * 2^n rounded to nearest-even, which dt_ldexp forms in integer arithmetic
  // (subnormal results too, on drivers that flush them)
  return dt_ldexp(c.hi, c.n);
}

// TS: expm1_32. e^x - 1, accurate near 0.
fn dt_expm1(x: f32) -> f32 {
  let ix = bitcast<u32>(x);
  let ax = ix & 0x7fffffffu;
  if (ax >= 0x7f800000u) {
    if (ix == 0xff800000u) {
      return -1.0; // -Inf
    }
    return x; // +Inf, NaN
  }
  if (ax < 0x33000000u) {
    return x;
  }
  let c = dt_exp_core(x);
  let n1 = c.n >> 1u;
  var s1 = dt_pow2(n1);
  var s2 = dt_pow2(c.n - n1);
  var a: f32;
  var b: f32;
  var cl: f32;
  if (c.n >= 0) {
    a = c.hi;
    b = -dt_pow2(-min(c.n, 126));
    cl = c.lo;
  } else {
    a = (c.hi * s1) * s2;
    b = -1.0;
    cl = (c.lo * s1) * s2;
    s1 = 1.0;
    s2 = 1.0;
  }
  let s = dt_opaque(a + b);
  let bb = dt_opaque(s - a);
  let err = (a - (s - bb)) + (b - bb);
  return ((s + (err + cl)) * s1) * s2;
}

// ---- double-f32 quotient ------------------------------------------------------------------------
// Top 12 significant bits of a (exact split: a = hi + (a - hi), both parts 12 bits).
fn dt_split_hi(a: f32) -> f32 {
  return bitcast<f32>(bitcast<u32>(a) & 0xfffff000u);
}

// TS: divDD (src/core/math/dd.ts). (ah + al) / (bh + bl) rounded with ~0.5 ulp error;
// ah, bh normal in [2^-4, 2^4], al, bl tiny corrections.
fn dt_div_dd(ah: f32, al: f32, bh: f32, bl: f32) -> f32 {
  let q = dt_opaque(dt_div(ah, bh));
  let p = rounded(q * bh);
  let qh = dt_split_hi(q);
  let ql = q - qh;
  let bhh = dt_split_hi(bh);
  let bhl = bh - bhh;
  let perr = (((qh * bhh - p) + qh * bhl) + ql * bhh) + ql * bhl;
  let rho = (((ah - p) - perr) + al) - rounded(q * bl);
  return q + dt_div(rho, bh);
}

// ---- log ----------------------------------------------------------------------------------------
const DT_L1: f32 = bitcast<f32>(0x3f2aaabeu);
const DT_L2: f32 = bitcast<f32>(0x3eccae25u);
const DT_L3: f32 = bitcast<f32>(0x3e9914c4u);

// TS: logCore (src/core/math/log.ts). log(1+f) + dk*ln2 + c.
fn dt_log_core(f: f32, dk: f32, c: f32) -> f32 {
  let s = dt_div(f, 2.0 + f);
  let z = s * s;
  let r = rounded(z * (DT_L1 + rounded(z * (DT_L2 + rounded(z * DT_L3)))));
  let hfsq = 0.5 * (f * f);
  let t = rounded(s * (hfsq + r)) + (rounded(dk * DT_LN2LO) + c);
  return ((t - hfsq) + f) + dk * DT_LN2HI;
}

// TS: log32. Natural logarithm.
fn dt_log(x: f32) -> f32 {
  var ix = bitcast<u32>(x);
  if ((ix & 0x7fffffffu) == 0u) {
    return bitcast<f32>(ix | 0xff800000u); // -Inf
  }
  if (ix >= 0x7f800000u) {
    if (ix == 0x7f800000u) {
      return x; // +Inf
    }
    return bitcast<f32>(ix | 0x7fc00000u); // NaN (negative input or NaN)
  }
  var kb = 0;
  if (ix < 0x00800000u) {
    let p = 31 - i32(countLeadingZeros(ix));
    ix = ((ix << u32(23 - p)) & 0x007fffffu) | 0x3f800000u;
    kb = p - 149;
  }
  let iu = ix + 0x004afb0du;
  let k = i32(iu >> 23u) - 127 + kb;
  let f = bitcast<f32>((iu & 0x007fffffu) + 0x3f3504f3u) - 1.0;
  return dt_log_core(f, f32(k), 0.0);
}

// TS: log1pCore. log(1 + (xh + xl)), xh > -1 finite, xl a tiny correction.
fn dt_log1p_core(xh: f32, xl: f32) -> f32 {
  let u = dt_opaque(1.0 + xh);
  let iu = bitcast<u32>(u) + 0x004afb0du;
  let k = i32(iu >> 23u) - 127;
  if (k == 0) {
    return dt_log_core(xh, 0.0, xl / u);
  }
  let bb = dt_opaque(u - 1.0);
  let err = (1.0 - (u - bb)) + (xh - bb);
  let f = bitcast<f32>((iu & 0x007fffffu) + 0x3f3504f3u) - 1.0;
  return dt_log_core(f, f32(k), (err + xl) / u);
}

// TS: log1p32. log(1 + x), accurate near 0.
fn dt_log1p(x: f32) -> f32 {
  let ix = bitcast<u32>(x);
  if (ix >= 0x7f800000u) {
    if (ix == 0x7f800000u) {
      return x; // +Inf
    }
    if (ix == 0xbf800000u) {
      return bitcast<f32>(ix | 0xff800000u); // log1p(-1) = -Inf
    }
    if (ix > 0xbf800000u || ix < 0x80000000u) {
      return bitcast<f32>(ix | 0x7fc00000u); // NaN
    }
  }
  if ((ix & 0x7fffffffu) < 0x33800000u) {
    return x;
  }
  return dt_log1p_core(x, 0.0);
}

// ---- tanh, sigmoid, softplus --------------------------------------------------------------------
const DT_T0: f32 = bitcast<f32>(0xbeaaaaa9u);
const DT_T1: f32 = bitcast<f32>(0x3e08877au);
const DT_T2: f32 = bitcast<f32>(0xbd5c7eb7u);
const DT_T3: f32 = bitcast<f32>(0x3ca41a5du);

// TS: tanh32.
fn dt_tanh(x: f32) -> f32 {
  let ix = bitcast<u32>(x);
  let ax = ix & 0x7fffffffu;
  if (ax > 0x7f800000u) {
    return x;
  }
  let sgn = ix & 0x80000000u;
  if (ax >= 0x41200000u) {
    return bitcast<f32>(0x3f800000u | sgn);
  }
  if (ax < 0x39800000u) {
    return x;
  }
  let a = bitcast<f32>(ax);
  var y: f32;
  if (ax < 0x3e99999au) {
    let z = a * a;
    let p = DT_T0 + rounded(z * (DT_T1 + rounded(z * (DT_T2 + rounded(z * DT_T3)))));
    y = a + rounded(a * (z * p));
  } else {
    let c = dt_exp_core(-2.0 * a);
    let n1 = c.n >> 1u;
    let s1 = dt_pow2(n1);
    let s2 = dt_pow2(c.n - n1);
    let wh = (c.hi * s1) * s2;
    let wl = (c.lo * s1) * s2;
    let nh = dt_opaque(1.0 - wh);
    let nl = ((1.0 - nh) - wh) - wl;
    let dh = dt_opaque(1.0 + wh);
    let dl = (wh - (dh - 1.0)) + wl;
    y = dt_div_dd(nh, nl, dh, dl);
  }
  return bitcast<f32>(bitcast<u32>(y) | sgn);
}

// TS: sigmoid32. 1 / (1 + e^-x), never overflows.
fn dt_sigmoid(x: f32) -> f32 {
  let ix = bitcast<u32>(x);
  if ((ix & 0x7fffffffu) >= 0x7f800000u) {
    if (ix == 0x7f800000u) {
      return 1.0; // +Inf
    }
    if (ix == 0xff800000u) {
      return 0.0; // -Inf
    }
    return x; // NaN
  }
  let c = dt_exp_core(-abs(x));
  let n1 = c.n >> 1u;
  let s1 = dt_pow2(n1);
  let s2 = dt_pow2(c.n - n1);
  let wh = (c.hi * s1) * s2;
  let wl = (c.lo * s1) * s2;
  let dh = dt_opaque(1.0 + wh);
  let dl = (wh - (dh - 1.0)) + wl;
  if (ix < 0x80000000u) {
    return dt_div_dd(1.0, 0.0, dh, dl);
  }
  return (dt_div_dd(c.hi, c.lo, dh, dl) * s1) * s2;
}

// TS: softplus32. log(1 + e^x) = max(x, 0) + log1p(e^-|x|), never overflows.
fn dt_softplus(x: f32) -> f32 {
  let ix = bitcast<u32>(x);
  if ((ix & 0x7fffffffu) >= 0x7f800000u) {
    if (ix == 0xff800000u) {
      return 0.0; // -Inf
    }
    return x; // +Inf, NaN
  }
  let c = dt_exp_core(-abs(x));
  let n1 = c.n >> 1u;
  let s1 = dt_pow2(n1);
  let s2 = dt_pow2(c.n - n1);
  let wh = (c.hi * s1) * s2;
  let wl = (c.lo * s1) * s2;
  let l = dt_log1p_core(wh, wl);
  if (ix != 0u && ix < 0x80000000u) {
    return x + l;
  }
  return l;
}

// ---- erf ----------------------------------------------------------------------------------------
const DT_ERF_S0: f32 = bitcast<f32>(0x3e0375d4u);
const DT_ERF_S1: f32 = bitcast<f32>(0xbec093a2u);
const DT_ERF_S2: f32 = bitcast<f32>(0x3de71708u);
const DT_ERF_S3: f32 = bitcast<f32>(0xbcdbff15u);
const DT_ERF_S4: f32 = bitcast<f32>(0x3ba95c42u);
const DT_ERF_S5: f32 = bitcast<f32>(0xba3e1bd4u);
const DT_ERF_L0: f32 = bitcast<f32>(0x38b1f519u);
const DT_ERF_L1: f32 = bitcast<f32>(0xbf90843eu);
const DT_ERF_L2: f32 = bitcast<f32>(0xbf226938u);
const DT_ERF_L3: f32 = bitcast<f32>(0xbddb1995u);
const DT_ERF_L4: f32 = bitcast<f32>(0x3cc63f6eu);
const DT_ERF_L5: f32 = bitcast<f32>(0xbb786ea3u);
const DT_ERF_L6: f32 = bitcast<f32>(0x39b7389bu);
const DT_ERF_L7: f32 = bitcast<f32>(0xb75d2974u);

// TS: erf32 (src/core/math/erf.ts). The error function, odd, ±1 from |x| >= 4.
fn dt_erf(x: f32) -> f32 {
  let ix = bitcast<u32>(x);
  let ax = ix & 0x7fffffffu;
  if (ax > 0x7f800000u) {
    return x; // NaN
  }
  let sgn = ix & 0x80000000u;
  if (ax >= 0x40800000u) {
    return bitcast<f32>(0x3f800000u | sgn);
  }
  let a = bitcast<f32>(ax);
  var y: f32;
  if (ax < 0x3f200000u) {
    let z = a * a;
    let p = DT_ERF_S0 + rounded(z * (DT_ERF_S1 + rounded(z * (DT_ERF_S2 + rounded(z * (DT_ERF_S3 + rounded(z * (DT_ERF_S4 + rounded(z * DT_ERF_S5)))))))));
    // a + a*p on the bits: IEEE also where a*p is subnormal (tiny a) on a driver that flushes
    y = bitcast<f32>(dt_add_bits(ax, dt_mul_bits(ax, bitcast<u32>(p))));
  } else {
    let r = DT_ERF_L0 + rounded(a * (DT_ERF_L1 + rounded(a * (DT_ERF_L2 + rounded(a * (DT_ERF_L3 + rounded(a * (DT_ERF_L4 + rounded(a * (DT_ERF_L5 + rounded(a * (DT_ERF_L6 + rounded(a * DT_ERF_L7)))))))))))));
    let c = dt_exp_core(r);
    let s = dt_pow2(c.n);
    let wh = c.hi * s;
    let wl = c.lo * s;
    let nh = dt_opaque(1.0 - wh);
    let nl = ((1.0 - nh) - wh) - wl;
    y = nh + nl;
  }
  return bitcast<f32>(bitcast<u32>(y) | sgn);
}
