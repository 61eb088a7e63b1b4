/**
 * TensorFlow's Python-level stateless random ops (tensorflow/python/ops/stateless_random_ops.py, spec §3.1):
 * seed -> GenerateKey -> raw V2 kernel -> float32 post-processing, plus stateless_split / stateless_fold_in.
 * Host-side, on element counts and typed arrays. Part of src/core: imports nothing outside src/core.
 */
import { ArgumentError } from '../errors.ts';
import { tfNormalRaw, tfPhiloxWords, tfTruncatedNormalRaw, tfUniformRaw } from './tf-philox-stream.ts';
import { tfGenerateKey } from './tf-seed.ts';
import { checkCount, checkFinite, fmtValue } from './validate.ts';

const f = Math.fround;

/** A TF seed: two int64 values (int32 seeds are sign-extended, which JS numbers do naturally). */
export type TfSeed = readonly [number | bigint, number | bigint];

/**
 * tf.random.stateless_uniform(float32): rnd = Uint32ToFloat(word i); result = f32(f32(rnd * f32(max - min)) + min)
 * with min = f32(minval), max = f32(maxval). No clamp: rounding can give exactly maxval. Defaults return rnd.
 */
export function tfStatelessUniform(n: number, seed: TfSeed, minval = 0, maxval = 1): Float32Array {
  checkCount('tfStatelessUniform', 'n', n);
  checkFinite('tfStatelessUniform', 'minval', minval);
  checkFinite('tfStatelessUniform', 'maxval', maxval);
  const out = tfUniformRaw(n, tfGenerateKey(seed));
  const lo = f(minval);
  const range = f(f(maxval) - lo);
  for (let i = 0; i < n; i++) out[i] = f(f(out[i] * range) + lo);
  return out;
}

/** tf.random.stateless_normal(float32): Box–Muller stream, then f32(f32(z * f32(stddev)) + f32(mean)). */
export function tfStatelessNormal(n: number, seed: TfSeed, mean = 0, stddev = 1): Float32Array {
  checkCount('tfStatelessNormal', 'n', n);
  checkFinite('tfStatelessNormal', 'mean', mean);
  checkFinite('tfStatelessNormal', 'stddev', stddev);
  return scaleShift(tfNormalRaw(n, tfGenerateKey(seed)), mean, stddev);
}

/** tf.random.stateless_truncated_normal(float32): 2-sigma rejection stream, then f32(f32(z * f32(stddev)) + f32(mean)). */
export function tfStatelessTruncatedNormal(n: number, seed: TfSeed, mean = 0, stddev = 1): Float32Array {
  checkCount('tfStatelessTruncatedNormal', 'n', n);
  checkFinite('tfStatelessTruncatedNormal', 'mean', mean);
  checkFinite('tfStatelessTruncatedNormal', 'stddev', stddev);
  return scaleShift(tfTruncatedNormalRaw(n, tfGenerateKey(seed)), mean, stddev);
}

function scaleShift(z: Float32Array, mean: number, stddev: number): Float32Array {
  const m = f(mean);
  const s = f(stddev);
  for (let i = 0; i < z.length; i++) z[i] = f(f(z[i] * s) + m);
  return z;
}

/**
 * tf.random.experimental.stateless_split(seed, num) for an int32 seed: the first 2*num words of the seed's
 * full-range int32 stream, as int32, shape [num, 2] row-major.
 * Example (TF docstring): stateless_split([1, 2], 3) -> [[1105988140, 1738052849], [-335576002, 370444179], [10670227, -246211131]].
 */
export function tfStatelessSplit(seed: TfSeed, num = 2): Int32Array {
  checkInt32Seed('tfStatelessSplit', seed);
  checkCount('tfStatelessSplit', 'num', num);
  const words = tfPhiloxWords(2 * num, tfGenerateKey(seed));
  return new Int32Array(words.buffer, words.byteOffset, 2 * num);
}

/**
 * tf.random.experimental.stateless_fold_in(seed, data) for an int32 seed and int32 data: [first word of the
 * seed's int32 stream, data]. Example (TF docstring): stateless_fold_in([1, 2], 3) -> [1105988140, 3].
 */
export function tfStatelessFoldIn(seed: TfSeed, data: number): [number, number] {
  checkInt32Seed('tfStatelessFoldIn', seed);
  if (!Number.isInteger(data) || data < -2147483648 || data > 2147483647) {
    throw new ArgumentError(`tfStatelessFoldIn: expected data to be an int32. Received: data=${fmtValue(data)}`);
  }
  const w = tfPhiloxWords(1, tfGenerateKey(seed));
  return [w[0] | 0, data];
}

function checkInt32Seed(fn: string, seed: unknown): void {
  const a = seed as ArrayLike<unknown> | null;
  const isI32 = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x) && x >= -2147483648 && x <= 2147483647;
  if (a == null || typeof a !== 'object' || a.length !== 2 || !isI32(a[0]) || !isI32(a[1])) {
    throw new ArgumentError(`${fn}: expected seed of two int32 integers. Received: seed=${fmtValue(seed)}`);
  }
}
