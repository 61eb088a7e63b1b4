/**
 * float64 references of Keras 3's activation formulas (keras/src/activations/activations.py and the backend
 * formulas they call), elementwise, with Keras's constants rounded to float32 where Keras casts them to the input's
 * dtype. Written independently of src/ (erf from test/reference/erf64.ts). Test-only.
 */
import { erf64 } from './erf64.ts';

const fr = Math.fround;
const relu = (x: number) => (x > 0 ? x : 0);
const relu6 = (x: number) => Math.min(relu(x), 6);
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const elu = (x: number, alpha: number) => (x > 0 ? x : alpha * Math.expm1(x));
const hardSigmoid = (x: number) => relu6(x + 3) / 6;

/** Keras 3 `relu(x, negative_slope, max_value, threshold)` (ReLU.static_call), elementwise. */
export function relu64(x: number, negativeSlope = 0, maxValue: number | null = null, threshold = 0): number {
  const s = fr(negativeSlope);
  const t = fr(threshold);
  if (s !== 0 && maxValue === null && t === 0) return x > 0 ? x : s * x;
  const neg = s !== 0 ? relu(-x + t) : 0;
  let y = t !== 0 ? x * (x > t ? 1 : 0) : relu(x);
  if (maxValue !== null) y = Math.min(Math.max(y, 0), fr(maxValue));
  return s !== 0 ? y - s * neg : y;
}

/** Elementwise references by Keras name (options at Keras's defaults). */
export const ACT64: Record<string, (x: number) => number> = {
  relu: (x) => relu(x),
  relu6,
  leaky_relu: (x) => (x > 0 ? x : fr(0.2) * x),
  elu: (x) => elu(x, 1),
  selu: (x) => fr(1.0507009873554805) * elu(x, fr(1.6732632423543772)),
  gelu: (x) => 0.5 * x * (1 + erf64(x / Math.SQRT2)),
  gelu_approximate: (x) => 0.5 * x * (1 + Math.tanh(fr(0.7978845608028654) * (x + fr(0.044715) * x * x * x))),
  silu: (x) => x * sigmoid(x),
  swish: (x) => x * sigmoid(x),
  softplus,
  softsign: (x) => x / (Math.abs(x) + 1),
  hard_sigmoid: hardSigmoid,
  hard_silu: (x) => x * hardSigmoid(x),
  hard_swish: (x) => x * hardSigmoid(x),
  mish: (x) => x * Math.tanh(softplus(x)),
  exponential: (x) => Math.exp(x),
  sigmoid,
  tanh: (x) => Math.tanh(x),
  linear: (x) => x,
};

/** softmax (or log_softmax) of float64 values along `axis` of a row-major `shape`. */
export function softmax64(data: ArrayLike<number>, shape: readonly number[], axis: number, log = false): Float64Array {
  const ax = axis < 0 ? axis + shape.length : axis;
  const n = shape[ax]!;
  const inner = shape.slice(ax + 1).reduce((a, b) => a * b, 1);
  const outer = data.length / (n * inner);
  const out = new Float64Array(data.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k: number) => o * n * inner + k * inner + i;
      let m = -Infinity;
      for (let k = 0; k < n; k++) m = Math.max(m, data[at(k)]!);
      let s = 0;
      for (let k = 0; k < n; k++) s += Math.exp(data[at(k)]! - m);
      for (let k = 0; k < n; k++) out[at(k)] = log ? data[at(k)]! - m - Math.log(s) : Math.exp(data[at(k)]! - m) / s;
    }
  }
  return out;
}
