// Float32 exp and expm1 built only from rounded f32 + - *, floor, exact int<->float conversions
// and bit operations, so the WGSL copies (dt_exp, dt_expm1 in shaders/lib/math.wgsl) give the
// same bits. Also exports the shared exp core (hi + lo parts) used by tanh, sigmoid, softplus.
// Imports only src/core/math/*.
import { bitsOfF32, f32FromBits } from './f32-bits.ts';

const fr = Math.fround;

// Constants, written as exact float32 bit patterns (WGSL: bitcast<f32>(0x...u)).
const LOG2E = f32FromBits(0x3fb8aa3b); // 1.44269502 = log2(e) rounded
const LN2HI = f32FromBits(0x3f317200); // 0.693145752: ln2 with 15 significant bits, so n*LN2HI is exact
const LN2LO = f32FromBits(0x35bfbe8e); // 1.42860677e-6 = ln2 - LN2HI rounded
// e^r ~ 1 + r + r^2 * (E2 + r*(E3 + r*(E4 + r*(E5 + r*E6)))) on |r| <= 0.3495:
// minimax for relative error (Lawson iteration in float64, coefficients rounded to f32),
// approximation error 3.2e-9 relative (0.05 ulp).
const E2 = f32FromBits(0x3efffffe); // 0.49999994
const E3 = f32FromBits(0x3e2aaa45); // 0.16666515
const E4 = f32FromBits(0x3d2aac88); // 0.041668445
const E5 = f32FromBits(0x3c091f6c); // 0.0083693080
const E6 = f32FromBits(0x3ab50dfe); // 0.0013813374

/**
 * Extra outputs of {@link expCore}, written by every call: [0] = lo, the low part, so that
 * e^x ~ (hi + lo) * 2^n with |lo| <= 2^-24 |hi|; [1] = n, the integer exponent in [-150, 128].
 * A typed array, not module `let`s: storing a double into a module binding allocates a heap
 * number per call in V8, a Float64Array slot does not.
 * @internal
 */
export const expCoreOut = new Float64Array(2);

/**
 * Shared exp kernel. For x (not NaN; ±Infinity allowed) returns hi in [0.70, 1.42] and sets
 * expCoreOut = [lo, n] so that e^clamp(x, -104, 89) = (hi + lo) * 2^n with |error| ~ 0.2 * 2^-24.
 *
 * Steps (the WGSL `dt_exp_core` performs exactly these; every op rounded to f32):
 *   1. x = clamp(x, -104, 89)                 (e^-104 < 2^-150 rounds to 0; e^89 overflows)
 *   2. nf = floor(x*LOG2E + 0.5)              (an integer in [-150, 128])
 *   3. hi = x - nf*LN2HI                      (nf*LN2HI exact; subtraction exact, Sterbenz)
 *   4. lo = nf*LN2LO;  r = hi - lo;  r2 = r*r
 *   5. P = E2 + r*(E3 + r*(E4 + r*(E5 + r*E6)))
 *   6. S = [opaque](1 + hi);  err = hi - (S - 1)        (Fast2Sum: S + err = 1 + hi exactly)
 *   7. corr = err + (r2*P - lo)
 *   8. ph = [opaque](S + corr);  pl = corr - (ph - S)   (Fast2Sum again)  -> returns ph, lo = pl, n = i32(nf)
 * [opaque] = the WGSL copy passes the value through dt_opaque (an identity the shader compiler cannot
 * see through, so it cannot simplify (1 + hi) - 1 to hi); TypeScript needs nothing, JS is strict IEEE.
 * @internal
 */
export function expCore(x: number): number {
  if (x < -104) x = -104;
  else if (x > 89) x = 89;
  const nf = Math.floor(fr(fr(x * LOG2E) + 0.5));
  const hi = fr(x - fr(nf * LN2HI));
  const lo = fr(nf * LN2LO);
  const r = fr(hi - lo);
  const r2 = fr(r * r);
  const p = fr(E2 + fr(r * fr(E3 + fr(r * fr(E4 + fr(r * fr(E5 + fr(r * E6))))))));
  const s = fr(1 + hi);
  const err = fr(hi - fr(s - 1));
  const corr = fr(err + fr(fr(r2 * p) - lo));
  const ph = fr(s + corr);
  expCoreOut[0] = fr(corr - fr(ph - s));
  expCoreOut[1] = nf;
  return ph;
}

/**
 * 2^k as float32 for an integer k in [-126, 127] (exact; built from bits, never ldexp).
 * @internal
 */
export function pow2(k: number): number {
  return f32FromBits((k + 127) << 23);
}

/**
 * e^x in float32. Measured max error over every float32 input (test/unit/math/exhaustive.ts,
 * float64 reference): 0.7791 ulp, at x = -87.71021 (a subnormal result: rounded twice); 0.7185 ulp
 * over x >= 0.
 * Special values: exp(±0) = 1, exp(-Inf) = +0, exp(+Inf) = +Inf, x > 88.7228 -> +Inf,
 * subnormal results are hi * 2^n rounded once (by a multiplication, never ldexp), x < -103.97 -> +0,
 * NaN -> NaN.
 *
 * Steps (WGSL `dt_exp`): ix = bits(x); if ix & 0x7fffffff >= 0x7f800000 (exponent field 0xFF):
 * +Inf -> +Inf, -Inf -> +0, NaN -> NaN. Else hi, n = expCore(x); n1 = n >> 1 (arithmetic),
 * n2 = n - n1; return (hi * 2^n1) * 2^n2
 * (the first product is exact, the second rounds once, also into subnormals or to +Inf).
 */
export function exp32(x: number): number {
  const ix = bitsOfF32(x);
  if ((ix & 0x7fffffff) >= 0x7f800000) return ix === 0x7f800000 ? Infinity : ix === 0xff800000 ? 0 : NaN;
  const ph = expCore(fr(x));
  const n = expCoreOut[1]!;
  const n1 = n >> 1;
  return fr(fr(ph * pow2(n1)) * pow2(n - n1));
}

/**
 * e^x - 1 in float32, accurate near 0 (for ELU-type activations). Measured max error (float64
 * reference), exhaustive over every float32 with 2^-26 <= |x| <= 104 (outside: x, -1 or e^x,
 * sampled): 1.2020 ulp for x > 0 (at x = 0.34681013, just above ln2/2, where e^r*2 - 1 cancels
 * about 1.7 bits of hi + lo), 0.8701 ulp for x < 0.
 * Special values: expm1(±0) = ±0, expm1(-Inf) = -1, expm1(+Inf) = +Inf, overflow -> +Inf, NaN -> NaN.
 *
 * Steps (WGSL `dt_expm1`):
 *   1. exponent field 0xFF: +Inf -> +Inf, -Inf -> -1, NaN -> NaN;
 *      if |x| < 2^-25 (bits & 0x7fffffff < 0x33000000) return x (e^x - 1 rounds to x; keeps -0)
 *   2. ph, pl, n = expCore(x); n1 = n >> 1; s1 = 2^n1; s2 = 2^(n - n1)
 *   3. n >= 0: a = ph; b = -2^-min(n, 126); c = pl            (work at scale 2^-n: no overflow)
 *      n <  0: a = (ph*s1)*s2; b = -1; c = (pl*s1)*s2;  s1 = s2 = 1
 *   4. s = [opaque](a + b);  bb = [opaque](s - a);  err = (a - (s - bb)) + (b - bb)  (TwoSum, exact)
 *   5. return ((s + (err + c)) * s1) * s2                      (exact scaling unless it overflows)
 */
export function expm1_32(x: number): number {
  const ix = bitsOfF32(x);
  const ax = ix & 0x7fffffff;
  if (ax >= 0x7f800000) return ix === 0x7f800000 ? Infinity : ix === 0xff800000 ? -1 : NaN;
  if (ax < 0x33000000) return fr(x);
  const ph = expCore(fr(x));
  const lo = expCoreOut[0]!;
  const n = expCoreOut[1]!;
  const n1 = n >> 1;
  let s1 = pow2(n1);
  let s2 = pow2(n - n1);
  let a: number, b: number, c: number;
  if (n >= 0) {
    a = ph;
    b = -pow2(-(n < 126 ? n : 126));
    c = lo;
  } else {
    a = fr(fr(ph * s1) * s2);
    b = -1;
    c = fr(fr(lo * s1) * s2);
    s1 = 1;
    s2 = 1;
  }
  const s = fr(a + b);
  const bb = fr(s - a);
  const err = fr(fr(a - fr(s - bb)) + fr(b - bb));
  return fr(fr(fr(s + fr(err + c)) * s1) * s2);
}
