/**
 * WebGPU host side of the broadcasting binary ops, comparisons and `where`
 * (shaders/binary.wgsl, shaders/where.wgsl): op and dtype codes, broadcast strides merged into
 * the smallest iteration rank, and the grid. Semantics are those of src/kernels/cpu/binary.ts.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import type { DType } from '../../core/dtype.ts';
import type { OpName } from '../../core/ops/op-attrs.ts';
import { broadcastStrides, stridesOf } from '../../core/shape.ts';
import type { Binding } from './commands.ts';
import { ELEMENTS_PER_INVOCATION, ParamWriter, WG, grid, mergeDims, planChunks, windowBinding, type GpuInfo, type GpuKernel, type KernelContext, type GpuKernels } from './kernel-util.ts';

/** Op codes of shaders/binary.wgsl (override OP; shared through wgsl-constants.ts). */
export const BINARY_OP = {
  add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5,
  equal: 6, notEqual: 7, less: 8, lessEqual: 9, greater: 10, greaterEqual: 11,
} as const;

/** Element dtype codes (override DTYPE of binary.wgsl, params.dtype of reduce-scan.wgsl). */
/** Element dtype codes (override DTYPE of binary.wgsl, params.dtype of reduce-scan.wgsl). */
export const DTYPE_CODE = { float32: 0, int32: 1, uint8: 2 } as const;

type BinaryName = Extract<OpName, 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum' | 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual'>;

/** Op codes of shaders/binary.wgsl (wgsl-constants.ts; a missing binary op is a compile error here). */
const OPS: Record<BinaryName, number> = BINARY_OP;

/** dtype codes shared by binary.wgsl and reduce-scan.wgsl (wgsl-constants.ts). */
export function dtypeCode(d: DType): number {
  return DTYPE_CODE[d];
}

/**
 * Records `shader` over the broadcast iteration of `ins` into the contiguous `out`, in chunks
 * whose operands fit one storage binding each; `tail` appends the shader's own Params fields.
 */
function broadcastDispatch(ctx: KernelContext, op: string, shader: 'binary' | 'where', ins: readonly GpuInfo[], out: GpuInfo, tail: (w: ParamWriter) => void, constants?: Record<string, number>): void {
  const n = out.handle.size;
  if (n === 0) return;
  const s = out.shape;
  const k = ins.length;
  const strides: number[][] = [];
  for (let i = 0; i < k; i++) strides.push(broadcastStrides(ins[i].shape, s));
  strides.push(stridesOf(s));
  const m = mergeDims(op, s, strides);
  const operands = [...ins.map((t, i) => ({ strides: m.strides[i], off: 0, words: t.handle.size })), { strides: m.strides[k], off: 0, words: n }];
  for (const c of planChunks(op, m.shape, operands, ctx.limits)) {
    const len = c.e1 - c.e0;
    // window bases of up to 3 inputs (0 where absent), then the output's; one binding per operand
    const bases = [0, 0, 0, c.windows[k].base];
    const bindings: Binding[] = [];
    for (let i = 0; i < k; i++) {
      if (i < 3) bases[i] = c.windows[i].base;
      bindings.push(windowBinding(ins[i].handle.buffer, c.windows[i]));
    }
    bindings.push(windowBinding(out.handle.buffer, c.windows[k]));
    const w = new ParamWriter().strided(m, c.e0, bases).u32(len, m.shape.length);
    tail(w);
    ctx.stream.dispatch(shader, bindings, w.finish(), grid(Math.ceil(len / ELEMENTS_PER_INVOCATION), WG, ctx.limits), { constants, cost: len });
  }
}

function binary(op: BinaryName): GpuKernel<BinaryName> {
  // One pipeline per (op, dtype): overrides OP and DTYPE.
  return (ctx, [a, b], _attrs, out) => broadcastDispatch(ctx, op, 'binary', [a, b], out, (w) => w.u32(OPS[op], dtypeCode(a.dtype)), { OP: OPS[op], DTYPE: dtypeCode(a.dtype) });
}

export const add = binary('add');
export const sub = binary('sub');
export const mul = binary('mul');
export const div = binary('div');
export const maximum = binary('maximum');
export const minimum = binary('minimum');
export const equal = binary('equal');
export const notEqual = binary('notEqual');
export const less = binary('less');
export const lessEqual = binary('lessEqual');
export const greater = binary('greater');
export const greaterEqual = binary('greaterEqual');

/** where(cond, a, b): 32-bit words selected by cond != 0, all three broadcast. */
export const where: GpuKernel<'where'> = (ctx, [c, a, b], _attrs, out) => broadcastDispatch(ctx, 'where', 'where', [c, a, b], out, () => {});

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { add, sub, mul, div, maximum, minimum, equal, notEqual, less, lessEqual, greater, greaterEqual, where } satisfies GpuKernels;
