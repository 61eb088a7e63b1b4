/**
 * CPU kernel for resizeBilinear: the float32 operation sequence documented in
 * src/core/ops/resize-bilinear.ts, step for step, each step rounded with Math.fround (the loop is
 * resizeImages of ew-tasks.ts, split by image between threads for big batches).
 * Part of src/kernels/cpu: imports src/core only.
 */
import { runSplit } from './thread-pool.ts';
import type { CpuKernel, CpuKernels } from './types.ts';

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
  const job = { src: x.handle, dst: out.handle, inH, inW, C, outH, outW, ylo: ys.lo, yhi: ys.hi, ylerp: ys.lerp, xlo: xs.lo, xhi: xs.hi, xlerp: xs.lerp, images: n };
  // images are independent: blocks of images on the worker pool for big batches (ew-tasks.ts)
  runSplit('resizeBilinear', job, n, { workPerUnit: 40 * outH * outW * C, minBlock: 1, out: out.handle });
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { resizeBilinear } satisfies CpuKernels;
