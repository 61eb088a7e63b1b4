/**
 * TensorFlow's float32 bits-to-uniform conversion (Uint32ToFloat, low 23 bits) and Box–Muller transform
 * (BoxMullerFloat in random_distributions_utils.h) with the Linux glibc logf/sincosf, spec §3.4–3.5.
 * Part of src/core: imports nothing outside src/core.
 */
import { glibcLogf } from './glibc-logf.ts';
import { glibcSincosf } from './glibc-sincosf.ts';

const f = Math.fround;

/**
 * TF Uint32ToFloat: bits->f32(0x3F800000 | (x & 0x7FFFFF)) - 1, i.e. exactly (x & 0x7FFFFF) * 2^-23 in [0, 1).
 * determinism: the LOW 23 bits are used (JAX uses the high 23). Integer-only form for ports: m = x & 0x7FFFFF;
 * value = f32(m) * 2^-23 (both steps exact).
 */
export function tfUint32ToFloat(x: number): number {
  return (x & 0x7fffff) * 1.1920928955078125e-7;
}

/** f32(1e-7): BoxMullerFloat clamps u1 below this value up to it before the log. */
export const TF_BOX_MULLER_EPSILON = f(1e-7);
const TWO_PI = 2 * Math.PI; // 2.0f * M_PI, a double

const sc = new Float32Array(2);

/**
 * TF BoxMullerFloat(x0, x1): writes (sin-branch, cos-branch) normals to out[offset], out[offset + 1].
 *   u1 = max(Uint32ToFloat(x0), f32(1e-7)); v1 = f32(2*pi (double) * Uint32ToFloat(x1));
 *   u2 = f32(sqrt(f32(-2 * logf(u1)))); (s, c) = sincosf(v1); out = (f32(s*u2), f32(c*u2)).
 */
export function tfBoxMuller(x0: number, x1: number, out: Float32Array, offset: number): void {
  let u1 = tfUint32ToFloat(x0);
  if (u1 < TF_BOX_MULLER_EPSILON) u1 = TF_BOX_MULLER_EPSILON;
  const v1 = f(TWO_PI * tfUint32ToFloat(x1));
  const u2 = f(Math.sqrt(f(-2 * glibcLogf(u1))));
  glibcSincosf(v1, sc, 0);
  out[offset] = f(sc[0] * u2);
  out[offset + 1] = f(sc[1] * u2);
}
