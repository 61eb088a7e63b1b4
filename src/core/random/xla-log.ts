/**
 * XLA:CPU float32 log and log1p as compiled for JAX <= 0.4.38 on an FMA host (spec §4.7): the Cephes-style
 * vectorised `logf` (GenerateVF32Log in xla/service/cpu/llvm_ir_runtime.cc) and EmitLog1p's rational branch.
 * fma32 marks the multiply-adds that LLVM contracts. Part of src/core: imports nothing outside src/core.
 */
import { bitsToF32, f32ToBits } from './float-bits.ts';
import { fma32 } from './fma32.ts';

const f = Math.fround;

const SQRTHF = bitsToF32(0x3f3504f3);
const P0 = f(7.0376836292e-2);
const P1 = f(-1.151461031e-1);
const P2 = f(1.167699874e-1);
const P3 = f(-1.2420140846e-1);
const P4 = f(1.4249322787e-1);
const P5 = f(-1.6668057665e-1);
const P6 = f(2.0000714765e-1);
const P7 = f(-2.4999993993e-1);
const P8 = f(3.3333331174e-1);
const Q1 = f(-2.12194440e-4);
const Q2 = f(0.693359375);
const MIN_NORM = bitsToF32(0x00800000);

/**
 * XLA:CPU float32 natural log (Cephes polynomial, FMA-contracted). Subnormal inputs are clamped to the
 * smallest normal (as XLA does); log(0) = -inf, log(x<0) = NaN, log(+inf) = +inf.
 */
export function logfXla(x: number): number {
  x = f(x);
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  const xc = x < MIN_NORM ? MIN_NORM : x;
  const bits = f32ToBits(xc);
  // m in [0.5, 1): keep the mantissa, set the exponent of 0.5.
  const m = bitsToF32((bits & 0x807fffff) | 0x3f000000);
  let e = f(1 + ((bits >>> 23) - 0x7f));
  let t: number;
  if (m < SQRTHF) {
    e = f(e - 1);
    t = f(f(m - 1) + m);
  } else {
    t = f(m - 1);
  }
  const x2 = f(t * t);
  const x3 = f(x2 * t);
  let y = fma32(t, P0, P1);
  let y1 = fma32(t, P3, P4);
  let y2 = fma32(t, P6, P7);
  y = fma32(y, t, P2);
  y1 = fma32(y1, t, P5);
  y2 = fma32(y2, t, P8);
  y = fma32(y, x3, y1);
  y = fma32(y, x3, y2);
  y = fma32(y, x3, f(Q1 * e));
  t = fma32(-0.5, x2, t);
  t = f(t + y);
  t = fma32(Q2, e, t);
  return t;
}

const LOG1P_SMALL = f(0.41421356237309504880); // sqrt(2) - 1
// Horner order: first entry is the highest-degree coefficient (EvaluatePolynomial starts from 0).
const LOG1P_DEN = [
  1, 1.5062909083469192043167e1, 8.3047565967967209469434e1, 2.2176239823732856465394e2,
  3.0909872225312059774938e2, 2.1642788614495947685003e2, 6.0118660497603843919306e1,
].map(f);
const LOG1P_NUM = [
  4.5270000862445199635215e-5, 4.9854102823193375972212e-1, 6.5787325942061044846969e0,
  2.9911919328553073277375e1, 6.0949667980987787057556e1, 5.7112963590585538103336e1,
  2.0039553499201281259648e1,
].map(f);

function horner(coeffs: readonly number[], x: number): number {
  let p = 0;
  for (const c of coeffs) p = fma32(p, x, c);
  return p;
}

/**
 * XLA:CPU float32 log1p (EmitLog1p): for |x| < f32(sqrt(2) - 1) the Cephes rational
 *   s = N(x)/D(x); s = (x*x^2)*s; s = fma(-0.5, x^2, s); return x + s
 * otherwise logfXla(1 + x).
 */
export function log1p32(x: number): number {
  x = f(x);
  if (Math.abs(x) < LOG1P_SMALL) {
    const x2 = f(x * x);
    let s = f(horner(LOG1P_NUM, x) / horner(LOG1P_DEN, x));
    s = f(f(x * x2) * s);
    s = fma32(-0.5, x2, s);
    return f(x + s);
  }
  return logfXla(f(x + 1));
}
