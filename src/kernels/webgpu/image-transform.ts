/**
 * WebGPU host side of imageTransform (shaders/image-transform.wgsl): the float32 step list of
 * src/core/ops/image-transform.ts, one invocation per output element. The fill mode codes are TensorFlow's enum
 * order, shared with the shader through `const/image-transform` (wgsl-constants.ts).
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { ParamWriter, bind, grid, type GpuKernel, type GpuKernels } from './kernel-util.ts';

/** Fill mode codes of the shader (the index in IMAGE_TRANSFORM_FILL_MODES, TensorFlow's Mode enum). */
export const FILL_MODE = { reflect: 0, wrap: 1, constant: 2, nearest: 3 } as const;

export const imageTransform: GpuKernel<'imageTransform'> = (ctx, [x, t], a, out) => {
  const total = out.handle.size;
  if (total === 0) return;
  const [, H, W, C] = x.shape;
  const [outH, outW] = a.outputShape;
  const p = new ParamWriter()
    .u32(total, H, W, C, outH, outW, FILL_MODE[a.fillMode], a.interpolation === 'bilinear' ? 1 : 0, t.shape[0] === 1 ? 0 : 1)
    .f32(a.fillValue)
    .u32(0) // `zero`: the shader's rounding barrier xors every intermediate with it
    .align16()
    .finish();
  ctx.stream.dispatch('image-transform', [bind(x.handle), bind(t.handle), { buffer: out.handle.buffer, bytes: total * 4 }], p, grid(total, 64, ctx.limits), { constants: ctx.exactGuard, cost: total * 8 });
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { imageTransform } satisfies GpuKernels;
