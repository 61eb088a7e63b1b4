/**
 * CPU kernels for elementwise unary ops. Float results are rounded to float32 by the store into
 * the Float32Array (every step is a single correctly rounded IEEE operation); exp, log, tanh and
 * sigmoid are the engine's own float32 functions (src/core/math), shared with the WGSL kernels.
 * Part of src/kernels/cpu: imports src/core only.
 */
import { exp32, expm1_32, log32, sigmoid32, tanh32 } from '../../core/math/index.ts';
import { reluGradRange, reluRange } from './ew-tasks.ts';
import { runSplit } from './thread-pool.ts';
import { type CpuInfo, type CpuKernel, floats, type CpuKernels } from './types.ts';

type Elementwise = (src: CpuInfo['handle'], dst: CpuInfo['handle'], isFloat: boolean) => void;

type UnaryName = 'neg' | 'abs' | 'sign' | 'exp' | 'log' | 'sqrt' | 'square' | 'relu' | 'sigmoid' | 'tanh';

function kernel(body: Elementwise): CpuKernel<UnaryName> {
  return ([x], _a, out) => body(x.handle, out.handle, x.dtype === 'float32');
}

export const neg = kernel((s, d, f) => {
  if (f) for (let i = 0; i < s.length; i++) d[i] = -s[i];
  else for (let i = 0; i < s.length; i++) d[i] = -s[i] | 0;
});

export const abs = kernel((s, d) => {
  for (let i = 0; i < s.length; i++) d[i] = Math.abs(s[i]);
});

/** -1, 0 (for ±0) or 1; NaN stays NaN. */
export const sign = kernel((s, d) => {
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    d[i] = v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : v;
  }
});

export const exp = kernel((s, d) => {
  for (let i = 0; i < s.length; i++) d[i] = exp32(s[i]);
});

export const log = kernel((s, d) => {
  for (let i = 0; i < s.length; i++) d[i] = log32(s[i]);
});

/** Correctly rounded: the double square root of a float32, rounded to float32. */
export const sqrt = kernel((s, d) => {
  for (let i = 0; i < s.length; i++) d[i] = Math.sqrt(s[i]);
});

export const square = kernel((s, d, f) => {
  if (f) for (let i = 0; i < s.length; i++) d[i] = s[i] * s[i];
  else for (let i = 0; i < s.length; i++) d[i] = Math.imul(s[i], s[i]);
});

/** x > 0 ? x : +0, NaN stays NaN (ew-tasks.ts; on the worker pool for big tensors). */
export const relu = kernel((s, d) => {
  if (s.length < 1 << 16) reluRange(s, d, 0, s.length);
  else runSplit('relu', { x: s, d, total: s.length }, s.length, { workPerUnit: 4, minBlock: 1 << 15, out: d });
});

/** reluGrad(dy, x): x > 0 ? dy : +0 (ew-tasks.ts; on the worker pool for big tensors). */
export const reluGrad: CpuKernel<'reluGrad'> = ([g, x], _a, out) => {
  const n = out.handle.length;
  const [gs, xs, d] = [floats(g), floats(x), floats(out)];
  if (n < 1 << 16) reluGradRange(gs, xs, d, 0, n);
  else runSplit('reluGrad', { g: gs, x: xs, d, total: n }, n, { workPerUnit: 4, minBlock: 1 << 15, out: d });
};

export const sigmoid = kernel((s, d) => {
  for (let i = 0; i < s.length; i++) d[i] = sigmoid32(s[i]);
});

export const tanh = kernel((s, d) => {
  for (let i = 0; i < s.length; i++) d[i] = tanh32(s[i]);
});

/** x < lo ? lo : x > hi ? hi : x with lo, hi rounded to the dtype first; NaN passes through. */
export const clipByValue: CpuKernel<'clipByValue'> = ([x], a, out) => {
  const isFloat = x.dtype === 'float32';
  const lo = isFloat ? Math.fround(a.min) : a.min;
  const hi = isFloat ? Math.fround(a.max) : a.max;
  const s = x.handle;
  const d = out.handle;
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    d[i] = v < lo ? lo : v > hi ? hi : v;
  }
};

/** The kernels of this file, for the backend's table (kernels.ts). */
/** elu: x > 0 ? x : fround(alpha * expm1_32(x)) (NaN fails x > 0 and stays NaN through expm1). */
export const elu: CpuKernel<'elu'> = ([x], { alpha }, out) => {
  const s = floats(x);
  const d = floats(out);
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    d[i] = v > 0 ? v : alpha * expm1_32(v);
  }
};

export const KERNELS = { neg, abs, sign, exp, log, sqrt, square, relu, reluGrad, sigmoid, tanh, elu, clipByValue } satisfies CpuKernels;
