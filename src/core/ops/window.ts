/**
 * Geometry of 2-D windows (convolution and pooling, NHWC), with TensorFlow's padding rules:
 * 'valid': out = floor((in - k) / s) + 1; 'same': out = ceil(in / s), total padding
 * max((out - 1) * s + k - in, 0) split with the smaller half before (top/left).
 * Part of src/core.
 */
import { ArgumentError, ShapeError, fmtShape } from '../errors.ts';
import type { Padding } from './op-attrs.ts';

export interface Window2d {
  n: number; inH: number; inW: number; inC: number;
  kH: number; kW: number;
  sH: number; sW: number;
  outH: number; outW: number;
  padTop: number; padLeft: number;
}

/** Output size and padding along one spatial dimension. */
function along(fn: string, what: string, size: number, k: number, s: number, padding: Padding): [number, number] {
  if (padding === 'same') {
    const out = Math.ceil(size / s);
    const total = Math.max((out - 1) * s + k - size, 0);
    return [out, Math.floor(total / 2)];
  }
  if (size < k) {
    throw new ShapeError(`${fn}: expected the input ${what} (${size}) to be at least the window ${what} (${k}) with padding 'valid'. Received: ${what} ${size}, window ${k}`);
  }
  return [Math.floor((size - k) / s) + 1, 0];
}

/** Geometry for input [N, H, W, C] and window [kH, kW]. */
export function window2d(fn: string, xShape: readonly number[], k: [number, number], strides: [number, number], padding: Padding): Window2d {
  const [n, inH, inW, inC] = xShape;
  if (k[0] > MAX_WINDOW || k[1] > MAX_WINDOW) {
    // a filter [kH, kW, C, F] with a huge kH and no element (C or F = 0) gets here
    throw new ShapeError(`${fn}: expected a window of at most 2^30 per dimension. Received: window [${k[0]}, ${k[1]}]`);
  }
  const [outH, padTop] = along(fn, 'height', inH, k[0], strides[0], padding);
  const [outW, padLeft] = along(fn, 'width', inW, k[1], strides[1], padding);
  return { n, inH, inW, inC, kH: k[0], kW: k[1], sH: strides[0], sW: strides[1], outH, outW, padTop, padLeft };
}

/** Geometry of a dilated convolution window: kH, kW are the taps, dH, dW their spacing in the input. */
export interface ConvWindow2d extends Window2d {
  dH: number;
  dW: number;
}

/** Extent in the input of k taps spaced d apart: (k - 1) * d + 1 (0 for no tap). */
export const dilatedSize = (k: number, d: number): number => (k === 0 ? 0 : (k - 1) * d + 1);

/**
 * Geometry for input [N, H, W, C], kernel [kH, kW] and dilations [dH, dW] (default [1, 1]): output size and padding
 * are those of a window of the dilated extent (TensorFlow's rules); kH, kW stay the tap counts.
 */
export function convWindow2d(fn: string, xShape: readonly number[], k: [number, number], strides: [number, number], padding: Padding, dilations?: readonly [number, number]): ConvWindow2d {
  const [dH, dW] = dilations ?? [1, 1];
  const g = window2d(fn, xShape, [dilatedSize(k[0], dH), dilatedSize(k[1], dW)], strides, padding);
  if (dH * (k[0] - 1) >= MAX_WINDOW || dW * (k[1] - 1) >= MAX_WINDOW) {
    throw new ShapeError(`${fn}: expected a dilated window of at most 2^30 per dimension. Received: window [${k[0]}, ${k[1]}], dilations [${dH}, ${dW}]`);
  }
  return { ...g, kH: k[0], kW: k[1], dH, dW };
}

/**
 * Largest window size or stride: the WebGPU kernels compute window bounds in 32-bit signed
 * arithmetic (shaders/lib/pool.wgsl, conv2d.wgsl), so sizes and strides stay below 2^30.
 */
export const MAX_WINDOW = 2 ** 30;

/** Normalizes a stride or pool-size argument: a number or a pair of positive integers (at most MAX_WINDOW). */
export function pair(fn: string, name: string, v: number | readonly number[] | undefined, fallback: [number, number]): [number, number] {
  if (v === undefined) return fallback;
  const p = typeof v === 'number' ? [v, v] : [...v];
  if (p.length !== 2 || !p.every((x) => Number.isInteger(x) && x > 0 && x <= MAX_WINDOW)) {
    throw new ArgumentError(`${fn}: expected ${name} to be a positive integer (at most 2^30) or a pair of them. Received: ${name}=${JSON.stringify(v) ?? String(v)}`);
  }
  return [p[0], p[1]];
}

/** Checks the padding argument. */
export function checkPadding(fn: string, padding: unknown): Padding {
  if (padding === undefined) return 'valid';
  if (padding !== 'valid' && padding !== 'same') {
    throw new ArgumentError(`${fn}: expected padding 'valid' or 'same'. Received: padding=${JSON.stringify(padding)}`);
  }
  return padding;
}

/** Throws unless `shape` has rank 4. */
export function expectRank4(fn: string, name: string, shape: readonly number[], layout = '[N, H, W, C]'): void {
  if (shape.length !== 4) {
    throw new ShapeError(`${fn}: expected ${name} of rank 4 ${layout}. Received: ${name}.shape=${fmtShape(shape)}`);
  }
}
