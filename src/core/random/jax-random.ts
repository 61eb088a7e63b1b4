/**
 * JAX float32/int32 samplers of jax/_src/random.py at v0.4.38 (spec §4.4–4.8) on the original threefry layout,
 * as XLA:CPU evaluates them on an FMA host: uniform, normal (erfinv), truncated_normal, bernoulli, randint.
 * Host-side, on element counts and typed arrays. Part of src/core: imports nothing outside src/core.
 */
import { ArgumentError } from '../errors.ts';
import { bitsToF32, nextAfterF32 } from './float-bits.ts';
import { fma32 } from './fma32.ts';
import { jaxRandomBits, jaxSplit } from './jax-prng.ts';
import { checkCount, checkFinite, checkU32Words, fmtValue } from './validate.ts';
import { erf32, erfinv32 } from './xla-erf.ts';

const f = Math.fround;

/** f32(sqrt(2)) = np.array(np.sqrt(2), float32). */
export const SQRT2_F32 = f(Math.SQRT2);
/** nextafter(-1, 0) in float32, the lower bound of the uniform behind jax.random.normal. */
export const NORMAL_UNIFORM_LOW = bitsToF32(0xbf7fffff);

/**
 * JAX bits-to-unit conversion: bits->f32((w >>> 9) | 0x3F800000) - 1 = (w >>> 9) * 2^-23, exactly.
 * determinism: the HIGH 23 bits are used (TF uses the low 23).
 */
export function jaxUnitFromBits(w: number): number {
  return (w >>> 9) * 1.1920928955078125e-7;
}

/**
 * jax.random.uniform(key, (n,), float32, minval, maxval): lo = f32(minval), range = f32(f32(maxval) - lo),
 * out = max(lo, fma32(unit, range, lo)). The multiply-add is one FMA, as XLA:CPU contracts it on FMA hosts.
 */
export function jaxUniform(key: ArrayLike<number>, n: number, minval = 0, maxval = 1): Float32Array {
  checkU32Words('jaxUniform', 'key', key, 2);
  checkCount('jaxUniform', 'n', n);
  checkFinite('jaxUniform', 'minval', minval);
  checkFinite('jaxUniform', 'maxval', maxval);
  const bits = jaxRandomBits(key, n);
  const lo = f(minval);
  const range = f(f(maxval) - lo);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = fma32(jaxUnitFromBits(bits[i]), range, lo);
    out[i] = v > lo ? v : lo;
  }
  return out;
}

/** jax.random.normal(key, (n,), float32): u = uniform(key, n, nextafter(-1, 0), 1); out = f32(f32(sqrt 2) * erfinv32(u)). */
export function jaxNormal(key: ArrayLike<number>, n: number): Float32Array {
  const u = jaxUniform(key, n, NORMAL_UNIFORM_LOW, 1);
  for (let i = 0; i < n; i++) u[i] = f(SQRT2_F32 * erfinv32(u[i]));
  return u;
}

/**
 * jax.random.truncated_normal(key, lower, upper, (n,), float32):
 *   a = erf32(f32(lower)/f32(sqrt 2)), b = erf32(f32(upper)/f32(sqrt 2)), u = uniform(key, n, a, b),
 *   out = clip(f32(f32(sqrt 2) * erfinv32(u)), nextafter(lower, +inf), nextafter(upper, -inf)).
 * The bound divisions are written as in the source; XLA may rewrite them as a multiply by f32(1/sqrt 2), which
 * gives the same a, b for the bounds Keras uses (±2) and for 0.
 */
export function jaxTruncatedNormal(key: ArrayLike<number>, n: number, lower: number, upper: number): Float32Array {
  checkFinite('jaxTruncatedNormal', 'lower', lower);
  checkFinite('jaxTruncatedNormal', 'upper', upper);
  const lo = f(lower);
  const hi = f(upper);
  const a = erf32(f(lo / SQRT2_F32));
  const b = erf32(f(hi / SQRT2_F32));
  const u = jaxUniform(key, n, a, b);
  const clipLo = nextAfterF32(lo, Infinity);
  const clipHi = nextAfterF32(hi, -Infinity);
  for (let i = 0; i < n; i++) {
    let z = f(SQRT2_F32 * erfinv32(u[i]));
    if (z < clipLo) z = clipLo;
    if (z > clipHi) z = clipHi;
    u[i] = z;
  }
  return u;
}

/**
 * jax.random.bernoulli(key, p, (n,)): uniform(key, n) < f32(p), 1 = true. Integer-only form: with
 * m = bits >>> 9 and T = ceil(f32(p) * 2^23) (exact), the result is m < T.
 */
export function jaxBernoulli(key: ArrayLike<number>, n: number, p = 0.5): Uint8Array {
  checkU32Words('jaxBernoulli', 'key', key, 2);
  checkCount('jaxBernoulli', 'n', n);
  checkFinite('jaxBernoulli', 'p', p);
  const bits = jaxRandomBits(key, n);
  const pf = f(p);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = jaxUnitFromBits(bits[i]) < pf ? 1 : 0;
  return out;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** XLA unsigned remainder: x % 0 = x. */
function remU32(x: number, y: number): number {
  return y === 0 ? x : x % y;
}

/**
 * jax.random.randint(key, (n,), minval, maxval, int32): k1, k2 = split(key); hi = bits(k1), lo = bits(k2);
 * span = u32(max - min) (1 if max <= min; +1 if maxval exceeds int32 max); mult = (2^16 % span)^2 % span (u32 wrap);
 * offset = ((hi % span) * mult + lo % span) % span (u32 wrap); out = min + offset (int32 wrap).
 * Example (JAX tests): randint(PRNGKey(0), (3,3), 0, 8) -> [[2,1,3],[6,1,5],[6,3,4]].
 */
export function jaxRandint(key: ArrayLike<number>, n: number, minval: number, maxval: number): Int32Array {
  checkU32Words('jaxRandint', 'key', key, 2);
  checkCount('jaxRandint', 'n', n);
  for (const [name, v] of [['minval', minval], ['maxval', maxval]] as const) {
    if (!Number.isSafeInteger(v)) {
      throw new ArgumentError(`jaxRandint: expected ${name} to be an integer. Received: ${name}=${fmtValue(v)}`);
    }
  }
  const keys = jaxSplit(key, 2);
  const higher = jaxRandomBits(keys.subarray(0, 2), n);
  const lower = jaxRandomBits(keys.subarray(2, 4), n);
  const outOfRange = maxval > INT32_MAX;
  const lo = Math.min(Math.max(minval, INT32_MIN), INT32_MAX);
  const hi = Math.min(Math.max(maxval, INT32_MIN), INT32_MAX);
  let span = (hi - lo) >>> 0;
  if (hi <= lo) span = 1;
  if (outOfRange && hi > lo) span = (span + 1) >>> 0;
  let mult = remU32(65536, span);
  mult = remU32(Math.imul(mult, mult) >>> 0, span);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const off = remU32((Math.imul(remU32(higher[i], span), mult) + remU32(lower[i], span)) >>> 0, span);
    out[i] = (lo + off) | 0;
  }
  return out;
}
