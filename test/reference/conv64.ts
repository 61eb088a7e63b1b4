/**
 * Naive float64 references for the convolution variants (NHWC, TensorFlow/Keras semantics): conv2d with dilations
 * and groups, depthwise conv2d, and the transposed convolution as a scatter (each input element adds its products
 * to the outputs it reaches), written from the definitions independently of src/ and of nn64.ts's conv2d.
 */
import { type A64, arr } from './ops64.ts';
import { type Padding, windowAlong } from './nn64.ts';

export interface Conv64Options {
  strides?: number | [number, number];
  padding?: Padding;
  dilations?: number | [number, number];
  groups?: number;
}

const pairOf = (v: number | [number, number] | undefined): [number, number] => (v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : v);

/** Grouped, dilated cross-correlation: x [N,H,W,C], w [kH,kW,C/groups,F] -> [N,outH,outW,F]. */
export function conv2d(x: A64, w: A64, o: Conv64Options = {}): A64 {
  const [N, H, W, C] = x.shape;
  const [kH, kW, Cg, F] = w.shape;
  const G = o.groups ?? 1;
  if (Cg * G !== C || F % G !== 0) throw new Error('conv2d64: bad groups');
  const Fg = F / G;
  const [sH, sW] = pairOf(o.strides);
  const [dH, dW] = pairOf(o.dilations);
  const padding = o.padding ?? 'valid';
  const [oH, pT] = windowAlong(H, (kH - 1) * dH + 1, sH, padding);
  const [oW, pL] = windowAlong(W, (kW - 1) * dW + 1, sW, padding);
  const out = arr([N, oH, oW, F]);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < oH; oh++) for (let ow = 0; ow < oW; ow++) for (let f = 0; f < F; f++) {
    const g = Math.floor(f / Fg);
    let s = 0;
    for (let kh = 0; kh < kH; kh++) {
      const ih = oh * sH + kh * dH - pT;
      if (ih < 0 || ih >= H) continue;
      for (let kw = 0; kw < kW; kw++) {
        const iw = ow * sW + kw * dW - pL;
        if (iw < 0 || iw >= W) continue;
        for (let c = 0; c < Cg; c++) s += x.data[((n * H + ih) * W + iw) * C + g * Cg + c] * w.data[((kh * kW + kw) * Cg + c) * F + f];
      }
    }
    out.data[((n * oH + oh) * oW + ow) * F + f] = s;
  }
  return out;
}

/** Depthwise: x [N,H,W,C], w [kH,kW,C,M] -> [N,outH,outW,C*M], channel c*M+m from input channel c. */
export function depthwiseConv2d(x: A64, w: A64, o: Omit<Conv64Options, 'groups'> = {}): A64 {
  const [N, H, W, C] = x.shape;
  const [kH, kW, , M] = w.shape;
  const [sH, sW] = pairOf(o.strides);
  const [dH, dW] = pairOf(o.dilations);
  const padding = o.padding ?? 'valid';
  const [oH, pT] = windowAlong(H, (kH - 1) * dH + 1, sH, padding);
  const [oW, pL] = windowAlong(W, (kW - 1) * dW + 1, sW, padding);
  const out = arr([N, oH, oW, C * M]);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < oH; oh++) for (let ow = 0; ow < oW; ow++) for (let c = 0; c < C; c++) for (let m = 0; m < M; m++) {
    let s = 0;
    for (let kh = 0; kh < kH; kh++) for (let kw = 0; kw < kW; kw++) {
      const ih = oh * sH + kh * dH - pT;
      const iw = ow * sW + kw * dW - pL;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      s += x.data[((n * H + ih) * W + iw) * C + c] * w.data[((kh * kW + kw) * C + c) * M + m];
    }
    out.data[((n * oH + oh) * oW + ow) * C * M + c * M + m] = s;
  }
  return out;
}

/**
 * Transposed convolution (TensorFlow conv2d_transpose): x [N,h,w,inC], w [kH,kW,outC,inC] -> [N,H,W,outC] where
 * (H, W) = outSize and the padding is the forward convolution's from (H, W) (TF rules): input (n, i, j, q) adds
 * x * w[kh, kw, c, q] to output (n, i*sH + kh*dH - padTop, j*sW + kw*dW - padLeft, c).
 */
export function conv2dTranspose(x: A64, w: A64, outSize: [number, number], o: Omit<Conv64Options, 'groups'> = {}): A64 {
  const [N, h, wd, Q] = x.shape;
  const [kH, kW, Co] = w.shape;
  const [H, W] = outSize;
  const [sH, sW] = pairOf(o.strides);
  const [dH, dW] = pairOf(o.dilations);
  const padding = o.padding ?? 'valid';
  const [fh, pT] = windowAlong(H, (kH - 1) * dH + 1, sH, padding);
  const [fw, pL] = windowAlong(W, (kW - 1) * dW + 1, sW, padding);
  if (fh !== h || fw !== wd) throw new Error(`conv2dTranspose64: output ${H}x${W} does not convolve to ${h}x${wd}`);
  const out = arr([N, H, W, Co]);
  for (let n = 0; n < N; n++) for (let i = 0; i < h; i++) for (let j = 0; j < wd; j++) for (let q = 0; q < Q; q++) {
    const v = x.data[((n * h + i) * wd + j) * Q + q];
    for (let kh = 0; kh < kH; kh++) for (let kw = 0; kw < kW; kw++) {
      const oh = i * sH + kh * dH - pT;
      const ow = j * sW + kw * dW - pL;
      if (oh < 0 || oh >= H || ow < 0 || ow >= W) continue;
      for (let c = 0; c < Co; c++) out.data[((n * H + oh) * W + ow) * Co + c] += v * w.data[((kh * kW + kw) * Co + c) * Q + q];
    }
  }
  return out;
}

/** Depthwise input gradient: dy [N,outH,outW,C*M], w [kH,kW,C,M] -> dx [N,H,W,C] (each dy element scattered). */
export function depthwiseConv2dGradInput(dy: A64, w: A64, inputShape: number[], o: Omit<Conv64Options, 'groups'> = {}): A64 {
  const [N, H, W, C] = inputShape;
  const [kH, kW, , M] = w.shape;
  const [sH, sW] = pairOf(o.strides);
  const [dH, dW] = pairOf(o.dilations);
  const padding = o.padding ?? 'valid';
  const [oH, pT] = windowAlong(H, (kH - 1) * dH + 1, sH, padding);
  const [oW, pL] = windowAlong(W, (kW - 1) * dW + 1, sW, padding);
  const out = arr(inputShape);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < oH; oh++) for (let ow = 0; ow < oW; ow++) for (let kh = 0; kh < kH; kh++) for (let kw = 0; kw < kW; kw++) {
    const ih = oh * sH + kh * dH - pT;
    const iw = ow * sW + kw * dW - pL;
    if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
    for (let c = 0; c < C; c++) for (let m = 0; m < M; m++) {
      out.data[((n * H + ih) * W + iw) * C + c] += dy.data[((n * oH + oh) * oW + ow) * C * M + c * M + m] * w.data[((kh * kW + kw) * C + c) * M + m];
    }
  }
  return out;
}

/** Depthwise filter gradient: x [N,H,W,C], dy [N,outH,outW,C*M] -> dw [kH,kW,C,M]. */
export function depthwiseConv2dGradFilter(x: A64, dy: A64, filterShape: number[], o: Omit<Conv64Options, 'groups'> = {}): A64 {
  const [N, H, W, C] = x.shape;
  const [kH, kW, , M] = filterShape;
  const [sH, sW] = pairOf(o.strides);
  const [dH, dW] = pairOf(o.dilations);
  const padding = o.padding ?? 'valid';
  const [oH, pT] = windowAlong(H, (kH - 1) * dH + 1, sH, padding);
  const [oW, pL] = windowAlong(W, (kW - 1) * dW + 1, sW, padding);
  const out = arr(filterShape);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < oH; oh++) for (let ow = 0; ow < oW; ow++) for (let kh = 0; kh < kH; kh++) for (let kw = 0; kw < kW; kw++) {
    const ih = oh * sH + kh * dH - pT;
    const iw = ow * sW + kw * dW - pL;
    if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
    for (let c = 0; c < C; c++) for (let m = 0; m < M; m++) {
      out.data[((kh * kW + kw) * C + c) * M + m] += x.data[((n * H + ih) * W + iw) * C + c] * dy.data[((n * oH + oh) * oW + ow) * C * M + c * M + m];
    }
  }
  return out;
}
