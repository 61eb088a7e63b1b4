/**
 * Keras backend dropout semantics for both algorithms, host-side (spec §3.8, §4.8, §5.2): integer keep rules,
 * scale factors, keep masks over noise_shape, and a reference application with broadcasting.
 * Part of src/core: imports nothing outside src/core.
 *
 * Exact integer recipe (for a WGSL port; no float op touches the random bits):
 *   1. words w[i]: philox -> TF stream word i (tfPhiloxWords); threefry -> JAX bits i (jaxRandomBits).
 *   2. m = (w & 0x7FFFFF) for philox (TF uses the LOW 23 bits), m = (w >> 9) for threefry (JAX, HIGH 23 bits).
 *   3. keep = (m >= T) for philox, keep = (m < T) for threefry, with the integer T from dropoutKeepRule (host side).
 *   4. out = keep ? f32(x * f32(1/(1-rate))) : +0 for philox; keep ? f32(x / f32(1-rate)) : +0 for threefry
 *      (one correctly rounded f32 multiply or divide).
 */
import { ArgumentError, ShapeError } from '../errors.ts';
import { checkAlgorithm, type RandomAlgorithm } from './algorithm.ts';
import { philoxKeyCounterForSeed, threefryKeyForSeed } from './backend-keys.ts';
import { jaxRandomBits } from './jax-prng.ts';
import { tfPhiloxWords } from './tf-philox-stream.ts';
import { checkSeedPair, checkShapeSize, fmtValue } from './validate.ts';

const f = Math.fround;
const TWO23 = 8388608;

/** Options of the dropout helpers. */
export interface DropoutOptions {
  algorithm: RandomAlgorithm;
  /** philox only: apply Keras's TF _cast_seed to the seed first (default true, as keras.random.dropout does). */
  castSeed?: boolean;
}

/** Integer keep test on the 23 random bits m of each word: keep iff (compare === 'ge' ? m >= threshold : m < threshold). */
export interface DropoutKeepRule {
  /** 'low23': m = w & 0x7FFFFF (TF); 'high23': m = w >>> 9 (JAX). */
  bits: 'low23' | 'high23';
  compare: 'ge' | 'lt';
  /** Integer in [0, 2^23]. */
  threshold: number;
}

/** Throws unless rate is a number in [0, 1]. */
export function checkDropoutRate(fn: string, rate: unknown): asserts rate is number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new ArgumentError(`${fn}: expected rate to be a number in [0, 1]. Received: rate=${fmtValue(rate)}`);
  }
}

/**
 * The exact integer form of the keep decision.
 * philox (TF stateless_dropout): keep iff Uint32ToFloat(w) >= f32(rate) <=> m >= ceil(f32(rate) * 2^23).
 * threefry (JAX bernoulli(1 - rate)): keep iff unit(w) < f32(1 - rate) <=> m < ceil(f32(1 - rate) * 2^23).
 * (f32(x) * 2^23 is exact in float64, and m < y <=> m < ceil(y) for integer m.)
 */
export function dropoutKeepRule(rate: number, algorithm: RandomAlgorithm): DropoutKeepRule {
  checkDropoutRate('dropoutKeepRule', rate);
  checkAlgorithm('dropoutKeepRule', algorithm);
  if (algorithm === 'philox') return { bits: 'low23', compare: 'ge', threshold: Math.ceil(f(rate) * TWO23) };
  return { bits: 'high23', compare: 'lt', threshold: Math.ceil(f(1 - rate) * TWO23) };
}

/**
 * How kept values are scaled: philox multiplies by f32(1 / (1 - rate)) (Python double, then float32);
 * threefry divides by f32(1 - rate). For rate = 1 the factor is unused (Keras returns zeros).
 */
export function dropoutScale(rate: number, algorithm: RandomAlgorithm): { op: 'mul' | 'div'; factor: number } {
  checkDropoutRate('dropoutScale', rate);
  checkAlgorithm('dropoutScale', algorithm);
  if (algorithm === 'philox') return { op: 'mul', factor: f(1 / (1 - rate)) };
  return { op: 'div', factor: f(1 - rate) };
}

/** The raw random words behind a dropout mask of n elements. */
function dropoutWords(n: number, seed: [number, number], options: DropoutOptions): Uint32Array {
  if (options.algorithm === 'philox') return tfPhiloxWords(n, philoxKeyCounterForSeed(seed, options.castSeed ?? true));
  return jaxRandomBits(threefryKeyForSeed(seed), n);
}

/**
 * Keep mask [noiseShape] (1 = keep, 0 = drop) of Keras backend dropout with the given seed pair.
 * rate 0 keeps everything and rate 1 drops everything (Keras returns x / zeros without drawing).
 */
export function dropoutKeepMask(
  noiseShape: readonly number[], rate: number, seed: readonly [number, number], options: DropoutOptions,
): Uint8Array {
  const n = checkShapeSize('dropoutKeepMask', noiseShape, 'noiseShape');
  checkDropoutRate('dropoutKeepMask', rate);
  const s = checkSeedPair('dropoutKeepMask', seed);
  checkAlgorithm('dropoutKeepMask', options?.algorithm);
  const mask = new Uint8Array(n);
  if (rate === 0) return mask.fill(1);
  if (rate === 1) return mask;
  const rule = dropoutKeepRule(rate, options.algorithm);
  const words = dropoutWords(n, s, options);
  const t = rule.threshold;
  if (rule.bits === 'low23') {
    for (let i = 0; i < n; i++) mask[i] = (words[i] & 0x7fffff) >= t ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) mask[i] = words[i] >>> 9 < t ? 1 : 0;
  }
  return mask;
}

/**
 * Reference Keras backend dropout on a host array x [shape]: rate 0 -> copy of x, rate 1 -> zeros, otherwise
 * the mask over noiseShape (default: shape; same rank, each dim equal to shape's or 1) broadcast to shape,
 * kept values scaled per dropoutScale, dropped values +0.
 */
export function dropoutValues(
  x: Float32Array, shape: readonly number[], rate: number, seed: readonly [number, number],
  options: DropoutOptions & { noiseShape?: readonly number[] },
): Float32Array {
  const n = checkShapeSize('dropoutValues', shape);
  if (!(x instanceof Float32Array) || x.length !== n) {
    throw new ShapeError(`dropoutValues: expected x to be a Float32Array of ${n} elements for shape [${shape.join(', ')}]. Received: x.length=${fmtValue(x?.length)}`);
  }
  checkDropoutRate('dropoutValues', rate);
  checkAlgorithm('dropoutValues', options?.algorithm);
  const noiseShape = options.noiseShape ?? shape;
  checkShapeSize('dropoutValues', noiseShape, 'noiseShape');
  if (noiseShape.length !== shape.length || noiseShape.some((d, i) => d !== shape[i] && d !== 1)) {
    throw new ShapeError(`dropoutValues: expected noiseShape of rank ${shape.length} with each dim equal to shape's or 1. Received: noiseShape=[${noiseShape.join(', ')}], shape=[${shape.join(', ')}]`);
  }
  if (rate === 0) return Float32Array.from(x);
  const out = new Float32Array(n);
  if (rate === 1) return out;
  const mask = dropoutKeepMask(noiseShape, rate, seed, options);
  const { op, factor } = dropoutScale(rate, options.algorithm);
  // Noise strides, with 0 on broadcast dims.
  const rank = shape.length;
  const nstr = new Array<number>(rank).fill(0);
  for (let d = rank - 1, acc = 1; d >= 0; d--) {
    nstr[d] = noiseShape[d] === 1 ? 0 : acc;
    acc *= noiseShape[d];
  }
  const idx = new Array<number>(rank).fill(0);
  let ni = 0;
  for (let i = 0; i < n; i++) {
    if (mask[ni] === 1) out[i] = op === 'mul' ? f(x[i] * factor) : f(x[i] / factor);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      ni += nstr[d];
      if (idx[d] < shape[d]) break;
      ni -= nstr[d] * idx[d];
      idx[d] = 0;
    }
  }
  return out;
}
