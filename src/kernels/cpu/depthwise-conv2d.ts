/**
 * CPU kernels for depthwiseConv2d and its input and filter gradients (NHWC, filter [kH, kW, C, M]): direct loops in
 * which all outputs of one position (forward: its C*M channels; input gradient: its C channels) or all filter
 * entries (filter gradient) advance together over the reduction index, each sum kept in the engine's streaming
 * tree form (VecTree below: chunks of 256 terms from +0, carried into higher levels in order).
 * Reduction orders (src/core/ops/depthwise-conv2d.ts; S = the engine's summation tree of
 * src/core/reduction-order.ts, every product f32(a * b) with the first operand named first):
 *  - depthwiseConv2d:           y[n,oh,ow,c*M+m] = S over k = kh*kW + kw of x[n,ih,iw,c] * w[kh,kw,c,m]
 *  - depthwiseConv2dGradInput:  dx[n,ih,iw,c]    = S over k = (kh*kW + kw)*M + m of dy[n,oh,ow,c*M+m] * w[kh,kw,c,m]
 *  - depthwiseConv2dGradFilter: dw[kh,kw,c,m]    = S over p = (n*outH + oh)*outW + ow of x[n,ih,iw,c] * dy[n,oh,ow,c*M+m]
 * A term outside the input (padding) or without a matching output enters as +0 times the other operand, as in the
 * conv2d kernels (for finite values the bits of skipping it). Single-threaded.
 * Part of src/kernels/cpu: imports src/core only.
 */
import { convWindow2d } from '../../core/ops/window.ts';
import { SUM_CHUNK } from '../../core/reduction-order.ts';
import { type CpuKernel, floats, type CpuKernels } from './types.ts';

const f32 = Math.fround;

/**
 * `width` sums advancing together over n terms in the engine's order: the caller adds each term's products into
 * `lv[0]` (f32(acc + f32(product)), a Float32Array store) and calls step(); result() carries partial levels up.
 */
class VecTree {
  readonly lv: Float32Array[] = [];
  private readonly count: number[] = [];

  constructor(readonly width: number, n: number) {
    let levels = 1;
    for (let m = n; m > SUM_CHUNK; m = Math.ceil(m / SUM_CHUNK)) levels++;
    for (let l = 0; l < levels; l++) {
      this.lv.push(new Float32Array(width));
      this.count.push(0);
    }
  }

  step(): void {
    if (++this.count[0] === SUM_CHUNK && this.lv.length > 1) this.carry(0);
  }

  private carry(l: number): void {
    const a = this.lv[l];
    const b = this.lv[l + 1];
    for (let i = 0; i < this.width; i++) b[i] = a[i] + b[i]; // f32(b + a): exact-then-rounded on the store
    a.fill(0);
    this.count[l] = 0;
    if (++this.count[l + 1] === SUM_CHUNK && l + 1 < this.lv.length - 1) this.carry(l + 1);
  }

  /** Writes the sums to out[off ..] and restarts at +0. A level's partial sum is added to the next (+0 + s = s). */
  result(out: Float32Array, off: number): void {
    const L = this.lv.length;
    for (let l = 0; l + 1 < L; l++) {
      const a = this.lv[l];
      const b = this.lv[l + 1];
      if (this.count[l] > 0) for (let i = 0; i < this.width; i++) b[i] = b[i] + a[i];
    }
    out.set(this.lv[L - 1], off);
    for (let l = 0; l < L; l++) {
      this.lv[l].fill(0);
      this.count[l] = 0;
    }
  }
}

export const depthwiseConv2d: CpuKernel<'depthwiseConv2d'> = ([x, w], a, out) => {
  const [kH, kW, C, M] = w.shape;
  const { n: N, inH, inW, outH, outW, sH, sW, dH, dW, padTop, padLeft } = convWindow2d('depthwiseConv2d', x.shape, [kH, kW], a.strides, a.padding, a.dilations);
  const xs = floats(x);
  const ws = floats(w);
  const ys = floats(out);
  const CM = C * M;
  const tree = new VecTree(CM, kH * kW);
  const acc = tree.lv[0];
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, o += CM) {
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * sH + kh * dH - padTop;
          for (let kw = 0; kw < kW; kw++) {
            const iw = ow * sW + kw * dW - padLeft;
            const wb = (kh * kW + kw) * CM;
            if (ih >= 0 && ih < inH && iw >= 0 && iw < inW) {
              const xb = ((n * inH + ih) * inW + iw) * C;
              if (M === 1) {
                for (let c = 0; c < C; c++) acc[c] += f32(xs[xb + c] * ws[wb + c]);
              } else {
                for (let c = 0, i = 0; c < C; c++) {
                  const v = xs[xb + c];
                  for (let m = 0; m < M; m++, i++) acc[i] += f32(v * ws[wb + i]);
                }
              }
            } else {
              for (let i = 0; i < CM; i++) acc[i] += f32(0 * ws[wb + i]);
            }
            tree.step();
          }
        }
        tree.result(ys, o);
      }
    }
  }
};

export const depthwiseConv2dGradInput: CpuKernel<'depthwiseConv2dGradInput'> = ([dy, w], a, out) => {
  const [kH, kW, C, M] = w.shape;
  const { n: N, inH, inW, outH, outW, sH, sW, dH, dW, padTop, padLeft } = convWindow2d('depthwiseConv2dGradInput', a.inputShape, [kH, kW], a.strides, a.padding, a.dilations);
  const ds = floats(dy);
  const ws = floats(w);
  const xs = floats(out);
  const CM = C * M;
  const tree = new VecTree(C, kH * kW * M);
  const acc = tree.lv[0];
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let ih = 0; ih < inH; ih++) {
      for (let iw = 0; iw < inW; iw++, o += C) {
        for (let kh = 0; kh < kH; kh++) {
          const th = ih + padTop - kh * dH;
          const oh = th / sH;
          const rowOk = th >= 0 && th % sH === 0 && oh < outH;
          for (let kw = 0; kw < kW; kw++) {
            const tw = iw + padLeft - kw * dW;
            const ow = tw / sW;
            const wb = (kh * kW + kw) * CM;
            if (rowOk && tw >= 0 && tw % sW === 0 && ow < outW) {
              const db = ((n * outH + oh) * outW + ow) * CM;
              for (let m = 0; m < M; m++) {
                for (let c = 0, i = m; c < C; c++, i += M) acc[c] += f32(ds[db + i] * ws[wb + i]);
                tree.step();
              }
            } else {
              for (let m = 0; m < M; m++) {
                for (let c = 0, i = m; c < C; c++, i += M) acc[c] += f32(0 * ws[wb + i]);
                tree.step();
              }
            }
          }
        }
        tree.result(xs, o);
      }
    }
  }
};

export const depthwiseConv2dGradFilter: CpuKernel<'depthwiseConv2dGradFilter'> = ([x, dy], a, out) => {
  const [kH, kW, C, M] = a.filterShape;
  const { n: N, inH, inW, outH, outW, sH, sW, dH, dW, padTop, padLeft } = convWindow2d('depthwiseConv2dGradFilter', x.shape, [kH, kW], a.strides, a.padding, a.dilations);
  const xs = floats(x);
  const ds = floats(dy);
  const CM = C * M;
  const tree = new VecTree(kH * kW * CM, N * outH * outW);
  const acc = tree.lv[0];
  let p = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, p++) {
        const db = p * CM;
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * sH + kh * dH - padTop;
          for (let kw = 0; kw < kW; kw++) {
            const iw = ow * sW + kw * dW - padLeft;
            const ob = (kh * kW + kw) * CM;
            if (ih >= 0 && ih < inH && iw >= 0 && iw < inW) {
              const xb = ((n * inH + ih) * inW + iw) * C;
              if (M === 1) {
                for (let c = 0; c < C; c++) acc[ob + c] += f32(xs[xb + c] * ds[db + c]);
              } else {
                for (let c = 0, i = 0; c < C; c++) {
                  const v = xs[xb + c];
                  for (let m = 0; m < M; m++, i++) acc[ob + i] += f32(v * ds[db + i]);
                }
              }
            } else {
              for (let i = 0; i < CM; i++) acc[ob + i] += f32(0 * ds[db + i]);
            }
          }
        }
        tree.step();
      }
    }
  }
  tree.result(floats(out), 0);
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { depthwiseConv2d, depthwiseConv2dGradInput, depthwiseConv2dGradFilter } satisfies CpuKernels;
