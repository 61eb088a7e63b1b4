/**
 * CPU kernel for imageTransform: the float32 operation sequence documented in src/core/ops/image-transform.ts, step
 * for step, each step rounded with Math.fround (the loop is transformImages of image-transform-tasks.ts, split by
 * image between threads for big batches; every output is computed whole by one thread, so the bits do not depend
 * on the thread count).
 * Part of src/kernels/cpu: imports src/core only.
 */
import { IMAGE_TRANSFORM_FILL_MODES } from '../../core/ops/image-transform.ts';
import type { ImageTransformJob } from './image-transform-tasks.ts';
import { runSplit } from './thread-pool.ts';
import { type CpuKernel, type CpuKernels, floats } from './types.ts';

export const imageTransform: CpuKernel<'imageTransform'> = ([x, t], a, out) => {
  const [n, H, W, C] = x.shape;
  const [outH, outW] = a.outputShape;
  const job: ImageTransformJob = {
    src: floats(x), transforms: floats(t), dst: floats(out), H, W, C, outH, outW,
    mode: IMAGE_TRANSFORM_FILL_MODES.indexOf(a.fillMode), bilinear: a.interpolation === 'bilinear', fill: Math.fround(a.fillValue),
    perImage: t.shape[0] !== 1, images: n,
  };
  // images are independent: blocks of images on the worker pool for big batches
  runSplit('imageTransform', job, n, { workPerUnit: 40 * outH * outW * C, minBlock: 1, out: out.handle });
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { imageTransform } satisfies CpuKernels;
