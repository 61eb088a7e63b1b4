/**
 * Tensor-level stateless random functions (the `dt.random.stateless*` API): uniform / normal / truncated normal
 * computed on the host by the Keras-exact value generators and uploaded (identical on every backend), and dropout
 * on the device: the fused `dropoutApply` op for a full-size mask, else composed from the `randomUniform` op,
 * comparisons, `where` and mul/div (both with gradients, the same bits).
 * Part of src/core: imports nothing outside src/core. (The rest of src/core/random stays tensor-free.)
 */
import { type DType, checkDType } from '../dtype.ts';
import { ArgumentError, DTypeError, ShapeError, fmtShape } from '../errors.ts';
import { div, mul } from '../ops/binary.ts';
import { greaterEqual, less, where } from '../ops/compare.ts';
import { clone, tensor, zeros } from '../ops/creation.ts';
import { randomUniform } from '../ops/random-uniform.ts';
import { dropoutApply } from '../ops/dropout-apply.ts';
import { type Tensor, assertLive } from '../tensor.ts';
import { checkOptions } from '../options.ts';
import { tidy } from '../tidy.ts';
import { checkAlgorithm, getAlgorithm, type RandomAlgorithm } from './algorithm.ts';
import { philoxKeyCounterForSeed, threefryKeyForSeed } from './backend-keys.ts';
import { normalValues, truncatedNormalValues, uniformValues } from './distributions.ts';
import { checkDropoutRate } from './dropout.ts';
import { checkFinite, checkSeedPair, checkShapeSize, fmtValue } from './validate.ts';

const f = Math.fround;

/** Options shared by the stateless functions. */
export interface StatelessOptions {
  /** 'philox' (TF stateless ops) or 'threefry' (Keras on JAX); default getAlgorithm() at call time. */
  algorithm?: RandomAlgorithm;
  /**
   * philox only. true (default): apply Keras's TF _cast_seed (floormod 2147483646) to the seed pair first, as
   * keras.random.* does on TF; false: feed the pair to TF's GenerateKey as a direct tf.random.stateless_* call
   * does. Both agree for 0 <= seed < 2147483646.
   */
  castSeed?: boolean;
}

/** Options of statelessUniform. */
export interface StatelessUniformOptions extends StatelessOptions {
  /** Lower bound (default 0). */
  minval?: number;
  /** Upper bound (default 1); rounding may give exactly maxval (philox), as in TensorFlow. */
  maxval?: number;
  /** Only 'float32' (the default) is supported. */
  dtype?: DType;
}

/** Options of statelessNormal and statelessTruncatedNormal. */
export interface StatelessNormalOptions extends StatelessOptions {
  /** Default 0. */
  mean?: number;
  /** Default 1; must be >= 0. */
  stddev?: number;
  /** Only 'float32' (the default) is supported. */
  dtype?: DType;
}

/** Options of statelessDropout. */
export interface StatelessDropoutOptions extends StatelessOptions {
  /**
   * Shape of the keep mask, broadcast to x.shape (default x.shape): each dim equal to x's or 1; a null entry takes
   * x's dim (as Keras's None); a shorter shape is padded with leading 1s (NumPy broadcasting).
   */
  noiseShape?: readonly (number | null)[];
}

interface Resolved {
  n: number;
  seed: [number, number];
  algorithm: RandomAlgorithm;
}

/** Validates shape, seed pair, algorithm and dtype with `fn` in every message. */
function resolve(fn: string, shape: unknown, seed: unknown, options: StatelessOptions & { dtype?: DType } | undefined, keys: readonly string[]): Resolved {
  checkOptions(fn, options, ['algorithm', 'castSeed', ...keys]);
  const n = checkShapeSize(fn, shape);
  const s = checkSeedPair(fn, seed);
  const algorithm = options?.algorithm ?? getAlgorithm();
  checkAlgorithm(fn, algorithm);
  if (algorithm === 'threefry' && !s.every((v) => v >= 0 && v <= 0xffffffff)) {
    throw new ArgumentError(`${fn}: expected seed of two integers in [0, 2^32) for algorithm 'threefry' (Keras-on-JAX uint32 seeds). Received: seed=${fmtValue(seed)}`);
  }
  if (options?.castSeed !== undefined && typeof options.castSeed !== 'boolean') {
    throw new ArgumentError(`${fn}: expected castSeed to be a boolean. Received: castSeed=${fmtValue(options.castSeed)}`);
  }
  const dtype = options?.dtype ?? 'float32';
  checkDType(fn, 'dtype', dtype);
  if (dtype !== 'float32') {
    throw new DTypeError(`${fn}: expected dtype 'float32' (the only floating dtype). Received: dtype=${JSON.stringify(dtype)}`);
  }
  return { n, seed: s, algorithm };
}

/**
 * Uniform float32 values [shape] in [minval, maxval), a pure function of (shape, seed, options): keras.random.uniform
 * with a seed pair. philox: tf.random.stateless_uniform (low-23-bit unit, f32(f32(u * f32(max - min)) + min));
 * threefry: jax.random.uniform (high-23-bit unit, max(min, fma32(u, range, min))). Computed on the host, so
 * exact on every backend.
 * @param shape output shape, e.g. [3, 5]
 * @param seed [s0, s1] integers (threefry: each in [0, 2^32))
 */
export function statelessUniform(shape: readonly number[], seed: readonly [number, number], options: StatelessUniformOptions = {}): Tensor {
  const fn = 'statelessUniform';
  const r = resolve(fn, shape, seed, options, ['minval', 'maxval', 'dtype']);
  const minval = options.minval ?? 0;
  const maxval = options.maxval ?? 1;
  checkFinite(fn, 'minval', minval);
  checkFinite(fn, 'maxval', maxval);
  if (minval > maxval) {
    throw new ArgumentError(`${fn}: expected minval <= maxval. Received: minval=${minval}, maxval=${maxval}`);
  }
  const values = uniformValues(shape, r.seed, { algorithm: r.algorithm, castSeed: options.castSeed, minval, maxval });
  return tensor(values, shape, 'float32');
}

function checkMeanStddev(fn: string, options: StatelessNormalOptions): [number, number] {
  const mean = options.mean ?? 0;
  const stddev = options.stddev ?? 1;
  checkFinite(fn, 'mean', mean);
  checkFinite(fn, 'stddev', stddev);
  if (stddev < 0) throw new ArgumentError(`${fn}: expected stddev >= 0. Received: stddev=${stddev}`);
  return [mean, stddev];
}

/**
 * Normal float32 values [shape]: keras.random.normal with a seed pair, f32(f32(z * f32(stddev)) + f32(mean)).
 * philox: TF Box–Muller (glibc logf/sincosf); threefry: JAX sqrt(2) * erfinv(u). Computed on the host.
 * @param shape output shape
 * @param seed [s0, s1] integers
 */
export function statelessNormal(shape: readonly number[], seed: readonly [number, number], options: StatelessNormalOptions = {}): Tensor {
  const fn = 'statelessNormal';
  const r = resolve(fn, shape, seed, options, ['mean', 'stddev', 'dtype']);
  const [mean, stddev] = checkMeanStddev(fn, options);
  const values = normalValues(shape, r.seed, { algorithm: r.algorithm, castSeed: options.castSeed, mean, stddev });
  return tensor(values, shape, 'float32');
}

/**
 * Normal float32 values [shape] truncated to 2 standard deviations: keras.random.truncated_normal with a seed pair.
 * philox: TF rejection sampling (256-block groups); threefry: JAX inverse CDF on (-2, 2). Computed on the host.
 * @param shape output shape
 * @param seed [s0, s1] integers
 */
export function statelessTruncatedNormal(shape: readonly number[], seed: readonly [number, number], options: StatelessNormalOptions = {}): Tensor {
  const fn = 'statelessTruncatedNormal';
  const r = resolve(fn, shape, seed, options, ['mean', 'stddev', 'dtype']);
  const [mean, stddev] = checkMeanStddev(fn, options);
  const values = truncatedNormalValues(shape, r.seed, { algorithm: r.algorithm, castSeed: options.castSeed, mean, stddev });
  return tensor(values, shape, 'float32');
}

/** The noise shape of dropout: nulls filled from x, left-padded with 1s, each dim x's or 1. */
function resolveNoiseShape(fn: string, xShape: readonly number[], noiseShape: readonly (number | null)[] | undefined): number[] {
  if (noiseShape === undefined) return [...xShape];
  const bad = (): never => {
    throw new ShapeError(`${fn}: expected noiseShape of rank <= ${xShape.length} with each dim equal to x's, 1 or null. Received: noiseShape=${fmtValue(noiseShape)}, x.shape=${fmtShape(xShape)}`);
  };
  if (!Array.isArray(noiseShape) || noiseShape.length > xShape.length) bad();
  const pad = xShape.length - noiseShape.length;
  const out = xShape.map((d, i) => {
    if (i < pad) return 1;
    const v = noiseShape[i - pad];
    return v === null ? d : v;
  });
  if (out.some((v, i) => !Number.isSafeInteger(v) || (v !== 1 && v !== xShape[i]))) bad();
  return out;
}

/**
 * Keras backend dropout with a seed pair: rate 0 -> a copy of x, rate 1 -> zeros, otherwise kept elements are
 * scaled and dropped ones are +0. The keep mask has noiseShape and is broadcast to x.shape.
 * philox (tf.nn.experimental.stateless_dropout): u = randomUniform(noiseShape); keep = u >= f32(rate);
 *   out = keep ? f32(x * f32(1 / (1 - rate))) : 0.
 * threefry (Keras on JAX): keep = u < f32(1 - rate); out = keep ? f32(x / f32(1 - rate)) : 0.
 * Runs on the device, equal bit for bit to the host reference dropoutValues: a full-size mask in one pass
 * (the dropoutApply op), a broadcast one (noiseShape with 1s) composed of randomUniform + greaterEqual/less +
 * mul/div + where; the gradient is dx = where(keep, dy, 0) scaled the same way (the same bits either way).
 * @param x float32 [...shape]
 * @param rate drop probability in [0, 1]
 * @param seed [s0, s1] integers
 * @returns float32 [...shape]
 */
export function statelessDropout(x: Tensor, rate: number, seed: readonly [number, number], options: StatelessDropoutOptions = {}): Tensor {
  const fn = 'statelessDropout';
  assertLive(fn, x);
  if (x.dtype !== 'float32') {
    throw new DTypeError(`${fn}: expected x of dtype float32. Received: x.dtype=${x.dtype}`);
  }
  checkDropoutRate(fn, rate);
  checkOptions(fn, options, ['algorithm', 'castSeed', 'noiseShape']);
  const noiseShape = resolveNoiseShape(fn, x.shape, options?.noiseShape);
  const r = resolve(fn, noiseShape, seed, options, ['noiseShape']);
  if (rate === 0) return clone(x);
  if (rate === 1) return zeros(x.shape);
  const algorithm = r.algorithm;
  if (noiseShape.every((d, i) => d === x.shape[i])) {
    // One pass: the bits of the composite below (src/core/ops/dropout-apply.ts), its gradient the same op on dy.
    const kc = algorithm === 'philox' ? philoxKeyCounterForSeed(r.seed, options.castSeed ?? true) : { key: threefryKeyForSeed(r.seed), counter: [0, 0, 0, 0] };
    return dropoutApply(x, rate, { algorithm, key: kc.key, counter: kc.counter });
  }
  // A broadcast mask (noiseShape with 1s): the composite over the noise shape.
  return tidy(() => {
    if (algorithm === 'philox') {
      const kc = philoxKeyCounterForSeed(r.seed, options.castSeed ?? true);
      const u = randomUniform(noiseShape, { algorithm, key: kc.key, counter: kc.counter });
      // determinism: u is a multiple of 2^-23, so u >= f32(rate) is TF's exact keep test.
      const keep = greaterEqual(u, f(rate));
      return where(keep, mul(x, f(1 / (1 - rate))), 0);
    }
    const u = randomUniform(noiseShape, { algorithm, key: threefryKeyForSeed(r.seed) });
    const keep = less(u, f(1 - rate));
    return where(keep, div(x, f(1 - rate)), 0);
  });
}
