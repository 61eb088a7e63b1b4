/**
 * FROZEN REFERENCE: the v1 CPU kernel (src/kernels/cpu at commit 2052af5), kept unchanged as the
 * bit-exact reference of test/unit/cpu/kernels-equivalence.test.ts. Do not optimize.
 *
 * CPU kernels for max and average pooling and their gradients (orders as documented in
 * src/core/ops/pool.ts). maxPool2dGrad adds dy into dx window by window in row-major window
 * order, which for each input position is exactly the documented gather order starting from +0.
 */
import { window2d, type Window2d } from '../../../src/core/ops/window.ts';
import type { PoolAttrs } from '../../../src/core/ops/op-attrs.ts';
import type { CpuKernel } from './types.ts';

const f32 = Math.fround;

/** Valid window rows [h0, h1) and columns [w0, w1) of output (oh, ow). */
function bounds(g: Window2d, oh: number, ow: number): [number, number, number, number] {
  const hs = oh * g.sH - g.padTop;
  const ws = ow * g.sW - g.padLeft;
  return [Math.max(hs, 0), Math.min(hs + g.kH, g.inH), Math.max(ws, 0), Math.min(ws + g.kW, g.inW)];
}

function geometry(fn: string, shape: readonly number[], a: PoolAttrs): Window2d {
  return window2d(fn, shape, a.poolSize, a.strides, a.padding);
}

/** Flat input index of each window's first maximum (NaN wins), or -1 for an empty window. */
function argmaxes(x: Float32Array, g: Window2d): Int32Array {
  const C = g.inC;
  const arg = new Int32Array(g.n * g.outH * g.outW * C);
  let o = 0;
  for (let n = 0; n < g.n; n++) for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) {
    const [h0, h1, w0, w1] = bounds(g, oh, ow);
    for (let c = 0; c < C; c++, o++) {
      let best = NaN;
      let at = -1;
      for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) {
        const i = ((n * g.inH + ih) * g.inW + iw) * C + c;
        const v = x[i];
        if (at < 0 || v > best || (v !== v && best === best)) {
          best = v;
          at = i;
        }
      }
      arg[o] = at;
    }
  }
  return arg;
}

export const maxPool2d: CpuKernel<'maxPool2d'> = ([x], a, out) => {
  const src = x.handle as Float32Array;
  const arg = argmaxes(src, geometry('maxPool2d', x.shape, a));
  const dst = out.handle;
  for (let o = 0; o < arg.length; o++) dst[o] = arg[o] < 0 ? 0 : src[arg[o]];
};

export const maxPool2dGrad: CpuKernel<'maxPool2dGrad'> = ([dy, x], a, out) => {
  const arg = argmaxes(x.handle as Float32Array, geometry('maxPool2dGrad', x.shape, a));
  const g = dy.handle;
  const dx = out.handle;
  dx.fill(0);
  for (let o = 0; o < arg.length; o++) if (arg[o] >= 0) dx[arg[o]] = f32(dx[arg[o]] + g[o]);
};

export const avgPool2d: CpuKernel<'avgPool2d'> = ([x], a, out) => {
  const g = geometry('avgPool2d', x.shape, a);
  const C = g.inC;
  const src = x.handle;
  const dst = out.handle;
  let o = 0;
  for (let n = 0; n < g.n; n++) for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) {
    const [h0, h1, w0, w1] = bounds(g, oh, ow);
    const count = (h1 - h0) * (w1 - w0);
    for (let c = 0; c < C; c++, o++) {
      let acc = 0;
      for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) acc = f32(acc + src[((n * g.inH + ih) * g.inW + iw) * C + c]);
      dst[o] = acc / count;
    }
  }
};

export const avgPool2dGrad: CpuKernel<'avgPool2dGrad'> = ([dy], a, out) => {
  const g = geometry('avgPool2dGrad', a.inputShape, a);
  const C = g.inC;
  const src = dy.handle;
  const dx = out.handle;
  dx.fill(0);
  // Window by window in row-major order: for each input position this is the documented
  // sequential sum over containing windows (oh, ow) row-major, starting from +0.
  let o = 0;
  for (let n = 0; n < g.n; n++) for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) {
    const [h0, h1, w0, w1] = bounds(g, oh, ow);
    const count = (h1 - h0) * (w1 - w0);
    for (let c = 0; c < C; c++, o++) {
      const share = f32(src[o] / count);
      for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) {
        const i = ((n * g.inH + ih) * g.inW + iw) * C + c;
        dx[i] = f32(dx[i] + share);
      }
    }
  }
};
