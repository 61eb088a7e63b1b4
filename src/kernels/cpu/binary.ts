/**
 * CPU kernels for broadcasting binary ops and `where`. Float results are single correctly rounded
 * float32 operations (the product or sum of two float32 values is exact or correctly rounded in
 * double, and the Float32Array store rounds once more, which is innocuous for + - * /).
 * Integer arithmetic wraps (the Int32Array/Uint8Array store is modular; mul uses Math.imul);
 * integer division is floor division with x / 0 = 0. No reductions: each output element is one
 * operation on its broadcast inputs, so any split of the outputs between threads gives the same
 * bits.
 * Speed: the broadcast is first collapsed (size-1 axes dropped, adjacent axes merged when every
 * operand's strides allow) to at most three nested loops, usually one (same shapes, a scalar) or
 * two (a bias row); the loops (one per op, broadcast.gen.ts; large float32 operands through the
 * WebAssembly SIMD loops of wasm-ew.ts) run on the worker pool for big outputs.
 * Part of src/kernels/cpu: imports src/core only.
 */
import type { OpName } from '../../core/ops/op-attrs.ts';
import { broadcastStrides, sizeOf } from '../../core/shape.ts';
import { BINARY, type BinaryLoopName } from './broadcast.gen.ts';
import { type BinaryJob, whereRange } from './ew-tasks.ts';
import { runSplit } from './thread-pool.ts';
import { type EwCompareOp, type EwFloatOp, EW_COMPARE_OPS, EW_FLOAT_OPS, MAX_COLS, ewAvailable } from './wasm-ew.ts';
import type { CpuInfo, CpuKernel, CpuKernels } from './types.ts';

/** Elementwise work units per element (thread-pool.ts RunOptions.work). */
const ELEMENT_WORK = 4;
/** Fewest elements per parallel block. */
const MIN_BLOCK = 1 << 15;
/** Smallest output that takes the WebAssembly SIMD loops (wasm-ew.ts). */
const SIMD_MIN = 256;
const isFloatOp = (op: string): op is EwFloatOp => (EW_FLOAT_OPS as readonly string[]).includes(op);
const isCompareOp = (op: string): op is EwCompareOp => (EW_COMPARE_OPS as readonly string[]).includes(op);

/**
 * The SIMD form of a collapsed broadcast of one range of outputs (l === 0), or null: 'vv' both
 * operands dense, 'vs' / 'sv' the second / first a scalar, 'row' a dense [rows, C] operand with a
 * [C] row (C a multiple of 4, at most MAX_COLS) as the second operand.
 */
function simdForm(c: Collapsed, k: number): 'vv' | 'vs' | 'sv' | 'row' | null {
  const [n0, , n2] = c.dims;
  const s = c.strides;
  const a = s[k];
  const b = s[k + 1];
  if (isDense(c, a) && isDense(c, b)) return 'vv';
  if (isDense(c, a) && isScalar(b)) return 'vs';
  if (isScalar(a) && isDense(c, b)) return 'sv';
  if (k === 0 && n0 === 1 && isDense(c, a) && b[0] === 0 && b[1] === 0 && b[2] === 1 && n2 % 4 === 0 && n2 <= MAX_COLS) return 'row';
  return null;
}

/** Whether operand strides `st` walk the collapsed dims `c` densely (row-major, no broadcast). */
function isDense(c: Collapsed, st: number[]): boolean {
  const [n0, n1, n2] = c.dims;
  return st[2] === 1 && (n0 === 1 || st[0] === n1 * n2) && (n1 === 1 || st[1] === n2);
}

/** Whether operand strides `st` broadcast one element (a scalar). */
function isScalar(st: number[]): boolean {
  return st[0] === 0 && st[1] === 0 && st[2] === 0;
}

/**
 * The broadcast of operands with strides `strides[k]` (0 on broadcast axes) to `shape`, as nested
 * loops over `dims` (outermost first, at least three) with per-operand strides.
 */
interface Collapsed {
  dims: number[];
  strides: number[][];
}

function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): Collapsed {
  const dims: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let ax = 0; ax < shape.length; ax++) {
    const n = shape[ax];
    if (n === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && strides.every((s, k) => st[k][last] === s[ax] * n)) {
      dims[last] *= n;
      for (let k = 0; k < strides.length; k++) st[k][last] = strides[k][ax];
    } else {
      dims.push(n);
      for (let k = 0; k < strides.length; k++) st[k].push(strides[k][ax]);
    }
  }
  while (dims.length < 3) {
    dims.unshift(1);
    for (const s of st) s.unshift(0);
  }
  return { dims, strides: st };
}

/**
 * Calls body(offsets, oo) once per slab of the innermost three collapsed dims: offsets[k] is
 * operand k's base offset and oo the output's (the output is dense, row-major).
 */
function forSlabs(c: Collapsed, body: (offsets: number[], oo: number) => void): void {
  const { dims, strides } = c;
  const lead = dims.length - 3;
  const slab = dims[lead] * dims[lead + 1] * dims[lead + 2];
  const count = sizeOf(dims.slice(0, lead));
  const coord = new Array<number>(lead).fill(0);
  const offsets = strides.map(() => 0);
  for (let s = 0; s < count; s++) {
    body(offsets, s * slab);
    for (let ax = lead - 1; ax >= 0; ax--) {
      coord[ax]++;
      for (let k = 0; k < strides.length; k++) offsets[k] += strides[k][ax];
      if (coord[ax] < dims[ax]) break;
      for (let k = 0; k < strides.length; k++) offsets[k] -= strides[k][ax] * dims[ax];
      coord[ax] = 0;
    }
  }
}

type BinaryName = Extract<OpName, 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum' | 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual'>;

/** The SIMD job for outputs of a float32 op in form `form` (binary.ts simdForm), or null. */
function simdJob(op: BinaryName, form: ReturnType<typeof simdForm>, x: Float32Array, y: Float32Array, d: CpuInfo['handle'], total: number): BinaryJob | null {
  if (form === null || form === 'row') return null;
  if (isFloatOp(op) && d instanceof Float32Array) return { loop: 'simd', op, form, x, y, d, total };
  // comparisons: 'vv' and 'vs' only
  if (isCompareOp(op) && d instanceof Uint8Array && form !== 'sv') return { loop: 'simdCompare', op, form, x, y, d, total };
  return null;
}

function binary(op: BinaryName): CpuKernel<BinaryName> {
  const intOp: BinaryLoopName = op === 'mul' ? 'mulInt' : op === 'div' ? 'divInt' : op;
  return ([a, b], _attrs, out) => {
    const shape = out.shape;
    const total = sizeOf(shape);
    if (total === 0) return;
    const name: BinaryLoopName = a.dtype === 'float32' ? op : intOp;
    const c = collapse(shape, [broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)]);
    const l = c.dims.length - 3;
    const [, n1, n2] = c.dims.slice(l);
    const [sa, sb] = c.strides;
    const x = a.handle;
    const y = b.handle;
    const d = out.handle;
    if (l === 0) {
      if (x instanceof Float32Array && y instanceof Float32Array && total >= SIMD_MIN && (isFloatOp(op) || isCompareOp(op)) && ewAvailable()) {
        const form = simdForm(c, 0);
        if (form === 'row' && isFloatOp(op) && d instanceof Float32Array) {
          runSplit('binaryRow', { op, x, y, d, C: n2, rows: n1 }, n1, { workPerUnit: ELEMENT_WORK * n2, minBlock: Math.ceil(MIN_BLOCK / n2), out: d });
          return;
        }
        const job = simdJob(op, form, x, y, d, total);
        if (job) {
          runSplit('binary', job, total, { workPerUnit: ELEMENT_WORK, minBlock: MIN_BLOCK, out: d });
          return;
        }
      }
      const job: BinaryJob = { loop: 'broadcast', op: name, x, y, d, n1, n2, a0: sa[0], a1: sa[1], a2: sa[2], b0: sb[0], b1: sb[1], b2: sb[2], total };
      runSplit('binary', job, total, { workPerUnit: ELEMENT_WORK, minBlock: MIN_BLOCK, out: d });
      return;
    }
    const loop = BINARY[name];
    const slab = c.dims[l] * n1 * n2;
    forSlabs(c, ([ao, bo], oo) => loop(x, y, d, n1, n2, sa[l], sa[l + 1], sa[l + 2], sb[l], sb[l + 1], sb[l + 2], ao, bo, oo, oo, oo + slab));
  };
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

/** out = cond != 0 ? a : b, all three broadcast to the output shape. */
export const where: CpuKernel<'where'> = ([cnd, a, b], _attrs, out) => {
  const shape = out.shape;
  const total = sizeOf(shape);
  if (total === 0) return;
  const c = collapse(shape, [broadcastStrides(cnd.shape, shape), broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)]);
  const l = c.dims.length - 3;
  const [, n1, n2] = c.dims.slice(l);
  const [sc, sa, sb] = c.strides;
  const cond = cnd.handle;
  const x = a.handle;
  const y = b.handle;
  const d = out.handle;
  if (l === 0) {
    // SIMD (wasm-ew.ts): a dense uint8 cond, float32 branches each dense or a scalar
    const condDense = cond instanceof Uint8Array && sizeOf(cnd.shape) === total;
    if (condDense && x instanceof Float32Array && y instanceof Float32Array && d instanceof Float32Array && total >= SIMD_MIN && ewAvailable()) {
      const form = simdForm(c, 1);
      if (form !== null && form !== 'row') {
        runSplit('where', { loop: 'simd', form, cond, x, y, d, total }, total, { workPerUnit: ELEMENT_WORK, minBlock: MIN_BLOCK, out: d });
        return;
      }
    }
    const job = { loop: 'broadcast' as const, cond, x, y, d, n1, n2, c0: sc[0], c1: sc[1], c2: sc[2], a0: sa[0], a1: sa[1], a2: sa[2], b0: sb[0], b1: sb[1], b2: sb[2], total };
    runSplit('where', job, total, { workPerUnit: ELEMENT_WORK, minBlock: MIN_BLOCK, out: d });
    return;
  }
  const slab = c.dims[l] * n1 * n2;
  forSlabs(c, ([co, ao, bo], oo) => whereRange(cond, x, y, d, n1, n2, sc[l], sc[l + 1], sc[l + 2], sa[l], sa[l + 1], sa[l + 2], sb[l], sb[l + 1], sb[l + 2], co, ao, bo, oo, oo, oo + slab));
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { add, sub, mul, div, maximum, minimum, equal, notEqual, less, lessEqual, greater, greaterEqual, where } satisfies CpuKernels;
