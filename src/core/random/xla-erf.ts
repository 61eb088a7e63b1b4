/**
 * XLA:CPU float32 erf and erf_inv as compiled for JAX <= 0.4.38 on an FMA host (spec §4.7):
 * erf32 = EmitErfF32 (explicit llvm.fma, hardware-independent); erfinv32 = StableHLO's Giles polynomial with
 * its multiply-adds contracted to FMA. Part of src/core: imports nothing outside src/core.
 */
import { fma32 } from './fma32.ts';
import { log1p32 } from './xla-log.ts';

const f = Math.fround;

const ERF_CLAMP = f(3.832506856900711);
const A1 = f(1.128379143519084);
const A3 = f(0.18520832239976145);
const A5 = f(0.050955695062380861);
const A7 = f(0.0034082910107109506);
const A9 = f(0.00022905065861350646);
const B2 = f(0.49746925110067538);
const B4 = f(0.11098505178285362);
const B6 = f(0.014070470171167667);
const B8 = f(0.0010179625278914885);
const B10 = f(0.000023547966471313185);
const B12 = f(-1.1791602954361697e-7);

/** XLA:CPU float32 erf: odd/even rational approximation with explicit FMAs; ±1 for |x| >= 3.8325069. */
export function erf32(x: number): number {
  x = f(x);
  if (Math.abs(x) >= ERF_CLAMP) return x < 0 ? -1 : 1;
  const x2 = f(x * x);
  let p = fma32(x2, A9, A7);
  p = fma32(x2, p, A5);
  p = fma32(x2, p, A3);
  p = fma32(x2, p, A1);
  p = f(x * p);
  let q = fma32(x2, B12, B10);
  q = fma32(x2, q, B8);
  q = fma32(x2, q, B6);
  q = fma32(x2, q, B4);
  q = fma32(x2, q, B2);
  q = fma32(x2, q, 1);
  return f(p / q);
}

const LT5 = [
  2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503,
  -0.00417768164, 0.246640727, 1.50140941,
].map(f);
const GE5 = [
  -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
  0.00943887047, 1.00167406, 2.83297682,
].map(f);

/**
 * XLA float32 erf_inv (Giles 2010, StableHLO erfInv32): w = -log1p(x * -x); w < 5 uses w - 2.5 and the
 * "lt5" polynomial, otherwise sqrt(w) - 3 and the "ge5" one; Horner steps are FMAs; result p * x;
 * erfinv(±1) = ±inf.
 */
export function erfinv32(x: number): number {
  x = f(x);
  if (Math.abs(x) === 1) return x * Infinity;
  let w = -log1p32(f(x * -x));
  let c: number[];
  if (w < 5) {
    w = f(w - 2.5);
    c = LT5;
  } else {
    w = f(f(Math.sqrt(w)) - 3);
    c = GE5;
  }
  let p = c[0];
  for (let i = 1; i < 9; i++) p = fma32(p, w, c[i]);
  return f(p * x);
}
