/**
 * FROZEN REFERENCE: the v1 CPU kernel (src/kernels/cpu at commit 2052af5), kept unchanged as the
 * bit-exact reference of test/unit/cpu/kernels-equivalence.test.ts. Do not optimize.
 *
 * CPU kernels for conv2d and its input and filter gradients (NHWC, filter [kH, kW, C, F]).
 * Each is an engine-order gemm over patches (gemm.ts); the reduction index and order are those
 * documented in src/core/ops/conv2d.ts. Out-of-range terms enter the patches as +0, which for
 * finite values gives the same bits as skipping them (an accumulator that starts at +0 never
 * becomes -0, and x + (±0) = x).
 */
import { window2d } from '../../../src/core/ops/window.ts';
import { gemmNT, pack } from './gemm.ts';
import type { CpuKernel } from './types.ts';

export const conv2d: CpuKernel<'conv2d'> = ([x, w], a, out) => {
  const [kH, kW, C, F] = w.shape;
  const g = window2d('conv2d', x.shape, [kH, kW], a.strides, a.padding);
  const K = kH * kW * C;
  const wt = pack(w.handle, 0, F, K, 1, F); // [F, K]
  const patches = new Float32Array(g.outW * K);
  const src = x.handle;
  for (let n = 0; n < g.n; n++) {
    for (let oh = 0; oh < g.outH; oh++) {
      // patches[ow, (kh*kW + kw)*C + c] = x[n, oh*sH + kh - padTop, ow*sW + kw - padLeft, c] or 0
      patches.fill(0);
      for (let ow = 0; ow < g.outW; ow++) {
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * g.sH + kh - g.padTop;
          if (ih < 0 || ih >= g.inH) continue;
          for (let kw = 0; kw < kW; kw++) {
            const iw = ow * g.sW + kw - g.padLeft;
            if (iw < 0 || iw >= g.inW) continue;
            const s = ((n * g.inH + ih) * g.inW + iw) * C;
            const d = ow * K + (kh * kW + kw) * C;
            for (let c = 0; c < C; c++) patches[d + c] = src[s + c];
          }
        }
      }
      gemmNT(g.outW, F, K, patches, wt, out.handle, ((n * g.outH + oh) * g.outW) * F, F);
    }
  }
};

export const conv2dGradInput: CpuKernel<'conv2dGradInput'> = ([dy, w], a, out) => {
  const [kH, kW, C, F] = w.shape;
  const g = window2d('conv2dGradInput', a.inputShape, [kH, kW], a.strides, a.padding);
  const K = kH * kW * F;
  // wt[c, (kh*kW + kw)*F + f] = w[kh, kw, c, f]
  const wt = new Float32Array(C * K);
  const wsrc = w.handle;
  for (let kh = 0; kh < kH; kh++) for (let kw = 0; kw < kW; kw++) for (let c = 0; c < C; c++) for (let f = 0; f < F; f++) {
    wt[c * K + (kh * kW + kw) * F + f] = wsrc[((kh * kW + kw) * C + c) * F + f];
  }
  const rows = new Float32Array(g.inW * K);
  const src = dy.handle;
  for (let n = 0; n < g.n; n++) {
    for (let ih = 0; ih < g.inH; ih++) {
      // rows[iw, (kh*kW + kw)*F + f] = dy[n, oh, ow, f] where oh*sH = ih + padTop - kh (in range), else 0
      rows.fill(0);
      for (let kh = 0; kh < kH; kh++) {
        const th = ih + g.padTop - kh;
        if (th < 0 || th % g.sH !== 0) continue;
        const oh = th / g.sH;
        if (oh >= g.outH) continue;
        for (let iw = 0; iw < g.inW; iw++) {
          for (let kw = 0; kw < kW; kw++) {
            const tw = iw + g.padLeft - kw;
            if (tw < 0 || tw % g.sW !== 0) continue;
            const ow = tw / g.sW;
            if (ow >= g.outW) continue;
            const s = ((n * g.outH + oh) * g.outW + ow) * F;
            const d = iw * K + (kh * kW + kw) * F;
            for (let f = 0; f < F; f++) rows[d + f] = src[s + f];
          }
        }
      }
      gemmNT(g.inW, C, K, rows, wt, out.handle, ((n * g.inH + ih) * g.inW) * C, C);
    }
  }
};

export const conv2dGradFilter: CpuKernel<'conv2dGradFilter'> = ([x, dy], a, out) => {
  const [kH, kW, C, F] = a.filterShape;
  const g = window2d('conv2dGradFilter', x.shape, [kH, kW], a.strides, a.padding);
  const K = kH * kW * C;
  const P = g.n * g.outH * g.outW;
  // colsT[(kh*kW + kw)*C + c, p] = x[n, ih, iw, c] for p = (n*outH + oh)*outW + ow, or 0
  const colsT = new Float32Array(K * P);
  const src = x.handle;
  for (let n = 0; n < g.n; n++) for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) {
    const p = (n * g.outH + oh) * g.outW + ow;
    for (let kh = 0; kh < kH; kh++) {
      const ih = oh * g.sH + kh - g.padTop;
      if (ih < 0 || ih >= g.inH) continue;
      for (let kw = 0; kw < kW; kw++) {
        const iw = ow * g.sW + kw - g.padLeft;
        if (iw < 0 || iw >= g.inW) continue;
        const s = ((n * g.inH + ih) * g.inW + iw) * C;
        const k0 = (kh * kW + kw) * C;
        for (let c = 0; c < C; c++) colsT[(k0 + c) * P + p] = src[s + c];
      }
    }
  }
  const dyT = pack(dy.handle, 0, F, P, 1, F); // [F, P]
  gemmNT(K, F, P, colsT, dyT, out.handle, 0, F);
};
