/**
 * Option checks shared by the Keras convolution layers (Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D):
 * dilation_rate, Keras's refusal of strides > 1 together with dilation_rate > 1, and the dilated output size.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, pair } from '../../core/internal.ts';

/** dilationRate: one positive integer or a pair (default [1, 1]). */
export function dilationPair(layer: string, v: number | [number, number] | undefined): [number, number] {
  return pair(layer, 'dilationRate', v, [1, 1]);
}

/** Keras refuses strides > 1 together with dilation_rate > 1 (its base convolution layers' check). */
export function checkStridesWithDilation(layer: string, strides: [number, number], dilation: [number, number]): void {
  if (Math.max(...strides) > 1 && Math.max(...dilation) > 1) {
    throw new ArgumentError(`${layer}: expected strides 1 or dilationRate 1 (strides > 1 is not supported in conjunction with dilationRate > 1, as in Keras). Received: strides=${JSON.stringify(strides)}, dilationRate=${JSON.stringify(dilation)}`);
  }
}

/** Checks padding: 'valid' (default) or 'same'. */
export function checkLayerPadding(layer: string, padding: unknown): 'valid' | 'same' {
  if (padding !== undefined && padding !== 'valid' && padding !== 'same') {
    throw new ArgumentError(`${layer}: expected padding 'valid' or 'same'. Received: padding=${JSON.stringify(padding)}`);
  }
  return padding ?? 'valid';
}

/** The input rows spanned by k taps d apart: (k - 1) * d + 1. */
export const dilatedExtent = (k: number, d: number): number => (k - 1) * d + 1;

/**
 * Keras's transposed-convolution output length (TensorFlow padding rules) for input length n, kernel k, stride s,
 * dilation d and output padding p (null: Keras's default): with eK = (k - 1) * d + 1, 'valid' gives
 * (n - 1) * s + eK + (p ?? max(eK, s) - eK), 'same' gives n * s without p, else (n - 1) * s + eK % 2 + p.
 */
export function convTransposeOutSize(n: number, k: number, s: number, d: number, padding: 'valid' | 'same', p: number | null): number {
  const e = dilatedExtent(k, d);
  if (padding === 'valid') return (n - 1) * s + e + (p ?? Math.max(e, s) - e);
  return p === null ? n * s : (n - 1) * s + (e % 2) + p;
}
