/**
 * Bit-exact port of glibc's float `logf` (sysdeps/ieee754/flt-32/e_logf.c, glibc >= 2.28, ARM
 * optimized-routines), which TensorFlow's CPU Box–Muller calls on Linux (spec §3.5).
 * Every step is float64 arithmetic exactly as in the C source. Part of src/core: imports nothing outside src/core.
 */
import { bitsToF32, f32ToBits, hexFloat } from './float-bits.ts';

const LN2 = hexFloat('0x1.62e42fefa39efp-1');
const A0 = hexFloat('-0x1.00ea348b88334p-2');
const A1 = hexFloat('0x1.5575b0be00b6ap-2');
const A2 = hexFloat('-0x1.ffffef20a4123p-2');

// __logf_data.tab: (invc, logc) for i = 0..15, invc ~ 1/c near the centre of each subinterval.
const TABLE: ReadonlyArray<readonly [string, string]> = [
  ['0x1.661ec79f8f3bep+0', '-0x1.57bf7808caadep-2'],
  ['0x1.571ed4aaf883dp+0', '-0x1.2bef0a7c06ddbp-2'],
  ['0x1.49539f0f010bp+0', '-0x1.01eae7f513a67p-2'],
  ['0x1.3c995b0b80385p+0', '-0x1.b31d8a68224e9p-3'],
  ['0x1.30d190c8864a5p+0', '-0x1.6574f0ac07758p-3'],
  ['0x1.25e227b0b8eap+0', '-0x1.1aa2bc79c81p-3'],
  ['0x1.1bb4a4a1a343fp+0', '-0x1.a4e76ce8c0e5ep-4'],
  ['0x1.12358f08ae5bap+0', '-0x1.1973c5a611cccp-4'],
  ['0x1.0953f419900a7p+0', '-0x1.252f438e10c1ep-5'],
  ['0x1p+0', '0x0p+0'],
  ['0x1.e608cfd9a47acp-1', '0x1.aa5aa5df25984p-5'],
  ['0x1.ca4b31f026aap-1', '0x1.c5e53aa362eb4p-4'],
  ['0x1.b2036576afce6p-1', '0x1.526e57720db08p-3'],
  ['0x1.9c2d163a1aa2dp-1', '0x1.bc2860d22477p-3'],
  ['0x1.886e6037841edp-1', '0x1.1058bc8a07ee1p-2'],
  ['0x1.767dcf5534862p-1', '0x1.4043057b6ee09p-2'],
];
const INVC = Float64Array.from(TABLE, ([inv]) => hexFloat(inv));
const LOGC = Float64Array.from(TABLE, ([, lg]) => hexFloat(lg));

const OFF = 0x3f330000;
const TWO23 = 8388608; // 0x1p23f

/**
 * glibc `logf(x)` for a float32 x; returns the float32 result as a number.
 * Special cases as glibc: log(1) = +0, log(±0) = -inf, log(+inf) = +inf, log(x<0) = NaN, NaN -> NaN;
 * subnormals are normalised first.
 */
export function glibcLogf(x: number): number {
  let ix = f32ToBits(x);
  if (ix === 0x3f800000) return 0;
  if (((ix - 0x00800000) >>> 0) >= 0x7f800000 - 0x00800000) {
    // x < 0x1p-126, or x is inf or NaN.
    if (((ix << 1) >>> 0) === 0) return -Infinity;
    if (ix === 0x7f800000) return Infinity;
    if ((ix & 0x80000000) !== 0 || ((ix << 1) >>> 0) >= 0xff000000) return NaN;
    // Subnormal: normalise.
    ix = f32ToBits(Math.fround(x) * TWO23);
    ix = (ix - (23 << 23)) >>> 0;
  }
  const tmp = (ix - OFF) >>> 0;
  const i = (tmp >>> 19) % 16;
  const k = (tmp | 0) >> 23; // arithmetic shift of the signed value
  const iz = (ix - (tmp & 0xff800000)) >>> 0;
  const z = bitsToF32(iz);
  const r = z * INVC[i] - 1;
  const y0 = LOGC[i] + k * LN2;
  const r2 = r * r;
  let y = A1 * r + A2;
  y = A0 * r2 + y;
  y = y * r2 + (y0 + r);
  return Math.fround(y);
}
