/**
 * CPU kernel for resizeBilinear: the float32 operation sequence documented in
 * src/core/ops/resize-bilinear.ts, step for step, each step rounded with Math.fround.
 * Part of src/kernels/cpu: imports src/core only.
 */
import type { CpuKernel } from './types.ts';

const f32 = Math.fround;

/** Per output index along one axis: lower and upper source index and the float32 lerp weight. */
interface AxisWeights {
  lo: Int32Array;
  hi: Int32Array;
  lerp: Float32Array;
}

function axisWeights(inSize: number, outSize: number): AxisWeights {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const lerp = new Float32Array(outSize);
  const scale = f32(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    const a = f32(i + 0.5);
    const b = f32(a * scale);
    const src = f32(b - 0.5);
    const fl = Math.floor(src);
    lo[i] = Math.min(Math.max(fl, 0), inSize - 1);
    hi[i] = Math.min(Math.ceil(src), inSize - 1);
    lerp[i] = f32(src - fl);
  }
  return { lo, hi, lerp };
}

export const resizeBilinear: CpuKernel<'resizeBilinear'> = ([x], a, out) => {
  const [n, inH, inW, C] = x.shape;
  const [outH, outW] = a.size;
  const ys = axisWeights(inH, outH);
  const xs = axisWeights(inW, outW);
  const src = x.handle;
  const dst = out.handle;
  const rowStride = inW * C;
  let o = 0;
  for (let b = 0; b < n; b++) {
    const base = b * inH * rowStride;
    for (let y = 0; y < outH; y++) {
      const r0 = base + ys.lo[y] * rowStride;
      const r1 = base + ys.hi[y] * rowStride;
      const ly = ys.lerp[y];
      for (let xo = 0; xo < outW; xo++) {
        const c0 = xs.lo[xo] * C;
        const c1 = xs.hi[xo] * C;
        const lx = xs.lerp[xo];
        for (let c = 0; c < C; c++, o++) {
          const tl = src[r0 + c0 + c];
          const tr = src[r0 + c1 + c];
          const bl = src[r1 + c0 + c];
          const br = src[r1 + c1 + c];
          const top = f32(tl + f32(f32(tr - tl) * lx));
          const bottom = f32(bl + f32(f32(br - bl) * lx));
          dst[o] = f32(top + f32(f32(bottom - top) * ly));
        }
      }
    }
  }
};
