/**
 * FROZEN REFERENCE: the v1 CPU kernel (src/kernels/cpu at commit 2052af5), kept unchanged as the
 * bit-exact reference of test/unit/cpu/kernels-equivalence.test.ts. Do not optimize.
 *
 * CPU kernels for broadcasting binary ops and `where`. Float results are single correctly rounded
 * float32 operations (the product or sum of two float32 values is exact or correctly rounded in
 * double, and the Float32Array store rounds once more, which is innocuous for + - * /).
 * Integer arithmetic wraps (the Int32Array/Uint8Array store is modular; mul uses Math.imul);
 * integer division is floor division with x / 0 = 0.
 */
import type { OpName } from '../../../src/core/ops/op-attrs.ts';
import { broadcastStrides, sizeOf } from '../../../src/core/shape.ts';
import type { CpuInfo, CpuKernel } from './types.ts';

type Arr = CpuInfo['handle'];

/**
 * Calls `row(aOff, aStride, bOff, bStride, outOff, len)` for each row of the last axis of the
 * broadcast output; the row body is the op-specific loop.
 */
function forRows(a: CpuInfo, b: CpuInfo, out: CpuInfo, row: (ao: number, as: number, bo: number, bs: number, oo: number, len: number) => void): void {
  const shape = out.shape;
  const rank = shape.length;
  const total = sizeOf(shape);
  if (total === 0) return;
  if (rank === 0) return row(0, 0, 0, 0, 0, 1);
  const sa = broadcastStrides(a.shape, shape);
  const sb = broadcastStrides(b.shape, shape);
  const inner = shape[rank - 1];
  // fast path: whole arrays contiguous or scalar
  if (a.shape.length === rank && sizeOf(a.shape) === total && sizeOf(b.shape) === total) return row(0, 1, 0, 1, 0, total);
  if (sizeOf(b.shape) === 1 && sizeOf(a.shape) === total) return row(0, 1, 0, 0, 0, total);
  if (sizeOf(a.shape) === 1 && sizeOf(b.shape) === total) return row(0, 0, 0, 1, 0, total);
  const coord = new Array<number>(rank).fill(0);
  let ao = 0;
  let bo = 0;
  for (let o = 0; o < total; o += inner) {
    row(ao, sa[rank - 1], bo, sb[rank - 1], o, inner);
    for (let ax = rank - 2; ax >= 0; ax--) {
      coord[ax]++;
      ao += sa[ax];
      bo += sb[ax];
      if (coord[ax] < shape[ax]) break;
      ao -= sa[ax] * shape[ax];
      bo -= sb[ax] * shape[ax];
      coord[ax] = 0;
    }
  }
}

type BinaryName = Extract<OpName, 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum' | 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual'>;

/** The row loop of each op, by dtype class. Written out per op so every loop stays monomorphic. */
function rowFn(op: BinaryName, isFloat: boolean, x: Arr, y: Arr, d: Arr) {
  switch (op) {
    case 'add': return (ao: number, as: number, bo: number, bs: number, oo: number, n: number) => { for (let i = 0; i < n; i++) d[oo + i] = x[ao + i * as] + y[bo + i * bs]; };
    case 'sub': return (ao: number, as: number, bo: number, bs: number, oo: number, n: number) => { for (let i = 0; i < n; i++) d[oo + i] = x[ao + i * as] - y[bo + i * bs]; };
    case 'mul':
      if (isFloat) return (ao: number, as: number, bo: number, bs: number, oo: number, n: number) => { for (let i = 0; i < n; i++) d[oo + i] = x[ao + i * as] * y[bo + i * bs]; };
      return (ao: number, as: number, bo: number, bs: number, oo: number, n: number) => { for (let i = 0; i < n; i++) d[oo + i] = Math.imul(x[ao + i * as], y[bo + i * bs]); };
    case 'div':
      if (isFloat) return (ao: number, as: number, bo: number, bs: number, oo: number, n: number) => { for (let i = 0; i < n; i++) d[oo + i] = x[ao + i * as] / y[bo + i * bs]; };
      return (ao: number, as: number, bo: number, bs: number, oo: number, n: number) => {
        for (let i = 0; i < n; i++) {
          const q = y[bo + i * bs];
          d[oo + i] = q === 0 ? 0 : Math.floor(x[ao + i * as] / q);
        }
      };
    case 'maximum': return (ao: number, as: number, bo: number, bs: number, oo: number, n: number) => {
      for (let i = 0; i < n; i++) {
        const p = x[ao + i * as];
        const q = y[bo + i * bs];
        d[oo + i] = p >= q || p !== p ? p : q; // ties keep a; NaN wins
      }
    };
    case 'minimum': return (ao: number, as: number, bo: number, bs: number, oo: number, n: number) => {
      for (let i = 0; i < n; i++) {
        const p = x[ao + i * as];
        const q = y[bo + i * bs];
        d[oo + i] = p <= q || p !== p ? p : q;
      }
    };
    case 'equal': return (ao: number, as: number, bo: number, bs: number, oo: number, n: number) => { for (let i = 0; i < n; i++) d[oo + i] = x[ao + i * as] === y[bo + i * bs] ? 1 : 0; };
    case 'notEqual': return (ao: number, as: number, bo: number, bs: number, oo: number, n: number) => { for (let i = 0; i < n; i++) d[oo + i] = x[ao + i * as] !== y[bo + i * bs] ? 1 : 0; };
    case 'less': return (ao: number, as: number, bo: number, bs: number, oo: number, n: number) => { for (let i = 0; i < n; i++) d[oo + i] = x[ao + i * as] < y[bo + i * bs] ? 1 : 0; };
    case 'lessEqual': return (ao: number, as: number, bo: number, bs: number, oo: number, n: number) => { for (let i = 0; i < n; i++) d[oo + i] = x[ao + i * as] <= y[bo + i * bs] ? 1 : 0; };
    case 'greater': return (ao: number, as: number, bo: number, bs: number, oo: number, n: number) => { for (let i = 0; i < n; i++) d[oo + i] = x[ao + i * as] > y[bo + i * bs] ? 1 : 0; };
    case 'greaterEqual': return (ao: number, as: number, bo: number, bs: number, oo: number, n: number) => { for (let i = 0; i < n; i++) d[oo + i] = x[ao + i * as] >= y[bo + i * bs] ? 1 : 0; };
  }
}

function binary(op: BinaryName): CpuKernel<BinaryName> {
  return ([a, b], _attrs, out) => forRows(a, b, out, rowFn(op, a.dtype === 'float32', a.handle, b.handle, out.handle));
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
export const where: CpuKernel<'where'> = ([c, a, b], _attrs, out) => {
  const shape = out.shape;
  const total = sizeOf(shape);
  const rank = shape.length;
  const sc = broadcastStrides(c.shape, shape);
  const sa = broadcastStrides(a.shape, shape);
  const sb = broadcastStrides(b.shape, shape);
  const cond = c.handle;
  const x = a.handle;
  const y = b.handle;
  const d = out.handle;
  const coord = new Array<number>(rank).fill(0);
  let co = 0;
  let ao = 0;
  let bo = 0;
  for (let i = 0; i < total; i++) {
    d[i] = cond[co] !== 0 ? x[ao] : y[bo];
    for (let ax = rank - 1; ax >= 0; ax--) {
      coord[ax]++;
      co += sc[ax];
      ao += sa[ax];
      bo += sb[ax];
      if (coord[ax] < shape[ax]) break;
      co -= sc[ax] * shape[ax];
      ao -= sa[ax] * shape[ax];
      bo -= sb[ax] * shape[ax];
      coord[ax] = 0;
    }
  }
};
