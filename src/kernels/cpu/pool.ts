/**
 * CPU kernels for max and average pooling and their gradients (orders as documented in
 * src/core/ops/pool.ts):
 *  - maxPool2d: each window is scanned row-major (ih, then iw) over its valid elements; the first
 *    element is the start, a later one replaces the best if it is greater, or NaN over a number.
 *  - maxPool2dGrad: window by window in row-major order (n, oh, ow, then c), dy is added into dx
 *    at the window's first maximum: dx = f32(dx + dy), dx starting at +0. For each input position
 *    this is exactly the documented gather order, S over windows (oh, ow) row-major. With reluMask
 *    the adds go only to positions with x > 0 (the others keep +0): x > 0 ? dx : +0, the bits of
 *    reluGrad(dx, x), as every add to a position is made or skipped by that one test.
 *  - avgPool2d: f32 sum of the window's valid elements row-major from +0, divided by their count.
 *  - avgPool2dGrad: window by window, f32(dy / count) added into each valid element of the window.
 * The loops run over channels innermost (NHWC rows are contiguous) and allocate only one
 * channel-sized scratch row. The max-pooling loops (ew-tasks.ts) run on the worker pool for big
 * tensors, split by image: windows never cross images, so every output and every dx element is
 * computed by one thread in the order above.
 * Part of src/kernels/cpu: imports src/core only.
 */
import { window2d, type Window2d } from '../../core/ops/window.ts';
import type { PoolAttrs } from '../../core/ops/op-attrs.ts';
import type { PoolGeometry } from './ew-tasks.ts';
import { runSplit } from './thread-pool.ts';
import { type CpuKernel, floats, type CpuKernels } from './types.ts';

const f32 = Math.fround;

function geometry(fn: string, shape: readonly number[], a: PoolAttrs): Window2d {
  return window2d(fn, shape, a.poolSize, a.strides, a.padding);
}

/**
 * For every output pixel (row-major n, oh, ow) calls visit(o, h0, h1, w0, w1) with o the pixel's
 * first output index and [h0, h1) x [w0, w1) the valid window.
 */
function forWindows(g: Window2d, visit: (o: number, base: number, h0: number, h1: number, w0: number, w1: number) => void): void {
  const C = g.inC;
  let o = 0;
  for (let n = 0; n < g.n; n++) {
    const base = n * g.inH;
    for (let oh = 0; oh < g.outH; oh++) {
      const hs = oh * g.sH - g.padTop;
      const h0 = hs > 0 ? hs : 0;
      const h1 = hs + g.kH < g.inH ? hs + g.kH : g.inH;
      for (let ow = 0; ow < g.outW; ow++, o += C) {
        const ws = ow * g.sW - g.padLeft;
        const w0 = ws > 0 ? ws : 0;
        const w1 = ws + g.kW < g.inW ? ws + g.kW : g.inW;
        visit(o, base, h0, h1, w0, w1);
      }
    }
  }
}

function poolGeometry(g: Window2d): PoolGeometry {
  return { C: g.inC, inH: g.inH, inW: g.inW, kH: g.kH, kW: g.kW, sH: g.sH, sW: g.sW, outH: g.outH, outW: g.outW, padTop: g.padTop, padLeft: g.padLeft };
}

/** Work per image (thread-pool.ts units): about 4 per input element. */
const imageWork = (g: Window2d) => 4 * g.inH * g.inW * g.inC + 4 * g.outH * g.outW * g.inC * g.kH * g.kW;

export const maxPool2d: CpuKernel<'maxPool2d'> = ([x], a, out) => {
  const g = geometry('maxPool2d', x.shape, a);
  runSplit('maxPool2d', { g: poolGeometry(g), x: x.handle, out: out.handle, images: g.n }, g.n, { workPerUnit: imageWork(g), minBlock: 1, out: out.handle });
};

export const maxPool2dGrad: CpuKernel<'maxPool2dGrad'> = ([dy, x], a, out) => {
  const g = geometry('maxPool2dGrad', x.shape, a);
  runSplit('maxPool2dGrad', { g: poolGeometry(g), x: x.handle, dy: floats(dy), out: floats(out), images: g.n, reluMask: a.reluMask === true }, g.n, { workPerUnit: imageWork(g), minBlock: 1, out: out.handle });
};

export const avgPool2d: CpuKernel<'avgPool2d'> = ([x], a, out) => {
  const g = geometry('avgPool2d', x.shape, a);
  const C = g.inC;
  const inW = g.inW;
  const src = x.handle;
  const dst = out.handle;
  const acc = new Float64Array(C);
  forWindows(g, (o, base, h0, h1, w0, w1) => {
    const count = (h1 - h0) * (w1 - w0);
    acc.fill(0);
    for (let ih = h0; ih < h1; ih++) {
      for (let iw = w0; iw < w1; iw++) {
        const s = ((base + ih) * inW + iw) * C;
        for (let c = 0; c < C; c++) acc[c] = f32(acc[c] + src[s + c]);
      }
    }
    for (let c = 0; c < C; c++) dst[o + c] = acc[c] / count;
  });
};

export const avgPool2dGrad: CpuKernel<'avgPool2dGrad'> = ([dy], a, out) => {
  const g = geometry('avgPool2dGrad', a.inputShape, a);
  const C = g.inC;
  const inW = g.inW;
  const src = dy.handle;
  const dx = out.handle;
  const share = new Float64Array(C);
  dx.fill(0);
  // Window by window in row-major order: for each input position this is the documented
  // sequential sum over containing windows (oh, ow) row-major, starting from +0.
  forWindows(g, (o, base, h0, h1, w0, w1) => {
    const count = (h1 - h0) * (w1 - w0);
    for (let c = 0; c < C; c++) share[c] = f32(src[o + c] / count);
    for (let ih = h0; ih < h1; ih++) {
      for (let iw = w0; iw < w1; iw++) {
        const s = ((base + ih) * inW + iw) * C;
        for (let c = 0; c < C; c++) dx[s + c] = f32(dx[s + c] + share[c]);
      }
    }
  });
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { maxPool2d, maxPool2dGrad, avgPool2d, avgPool2dGrad } satisfies CpuKernels;
