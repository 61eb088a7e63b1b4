/**
 * The CPU convolutions' unpacked few-channel path (C <= 4: conv2d with K = kH*kW*C <= 256, and
 * conv2dGradFilter in split-K mode; gemm-tasks.ts "Few input channels", wasm-gemm.ts dgemm) gives
 * the bits of the packed path and of the frozen v1 kernels (test/reference/cpu-v1) for many
 * geometries: 1-5 input channels (5: just past the path), odd sizes, filter counts that are not
 * multiples of 8, strides 1-3, 'valid'/'same' padding, dilations (against the packed path),
 * position counts that put conv2dGradFilter in split-K mode with partial chunks (tap counts that
 * take its 3-row tiles, dgemm3: 9, 27, 49, 75, and 4-row ones: 12, 36), and NaN/Inf/-0
 * inputs; with 1, 2 and 3 threads, every job parallel. Outputs start NaN-filled, so an output the
 * path skips shows up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setSmallChannelPath } from '../../../src/kernels/cpu/conv2d.ts';
import { gemmKernelKind } from '../../../src/kernels/cpu/gemm-tasks.ts';
import { CPU_KERNELS } from '../../../src/kernels/cpu/kernels.ts';
import * as v1conv from '../../reference/cpu-v1/conv2d.ts';
import { poolWithEveryJobParallel } from '../../util/cpu-every-job-parallel.ts';
import { type Info, Rng, firstDifference, outputInfo, randomInfo } from './helpers.ts';
import { convWindow2d } from '../../../src/core/ops/window.ts';

type AnyKernel = (inputs: readonly Info[], attrs: never, out: Info) => void;
const NEW = CPU_KERNELS as unknown as Record<string, AnyKernel>;

interface Case { x: number[]; w: number[]; s: [number, number]; p: 'valid' | 'same'; d?: [number, number]; special?: number }

function cases(): Case[] {
  const rng = new Rng(915);
  const out: Case[] = [];
  while (out.length < 40) {
    const C = rng.int(1, 5);
    const x = [rng.int(1, 3), rng.int(1, 13), rng.int(1, 13), C];
    const w = [rng.int(1, 4), rng.int(1, 4), C, rng.int(1, 40)];
    const p = rng.pick(['valid', 'same'] as const);
    if (p === 'valid' && (x[1] < w[0] || x[2] < w[1])) continue;
    out.push({ x, w, s: [rng.int(1, 3), rng.int(1, 3)], p, special: out.length % 8 === 7 ? 0.05 : undefined });
  }
  // split-K conv2dGradFilter: >= 2048 positions, partial last chunks, strides, padding
  out.push({ x: [3, 32, 32, 1], w: [3, 3, 1, 32], s: [1, 1], p: 'valid' }); // the reference CNN's layer 1
  out.push({ x: [5, 23, 21, 1], w: [3, 3, 1, 13], s: [1, 1], p: 'same', special: 0.02 });
  out.push({ x: [4, 29, 31, 3], w: [5, 5, 3, 17], s: [2, 1], p: 'same' });
  out.push({ x: [6, 25, 19, 2], w: [2, 3, 2, 7], s: [1, 2], p: 'valid' });
  out.push({ x: [2, 40, 37, 4], w: [3, 3, 4, 33], s: [1, 1], p: 'same' });
  out.push({ x: [3, 33, 30, 1], w: [7, 7, 1, 5], s: [3, 3], p: 'same' });
  // 3-row tiles (dgemm3: 27 and 75 taps) with non-finite values, several column tiles and a partial one
  out.push({ x: [3, 26, 30, 3], w: [3, 3, 3, 44], s: [1, 1], p: 'same', special: 0.03 });
  out.push({ x: [2, 35, 33, 3], w: [5, 5, 3, 11], s: [1, 1], p: 'valid', special: 0.02 });
  out.push({ x: [4, 30, 30, 5], w: [3, 3, 5, 9], s: [1, 1], p: 'valid' }); // C = 5: the packed path
  out.push({ x: [2, 9, 9, 1], w: [11, 11, 1, 4], s: [1, 1], p: 'same' }); // K = 121
  out.push({ x: [1, 20, 20, 3], w: [9, 10, 3, 6], s: [1, 1], p: 'same' }); // K = 270 > 256: conv2d packed
  // dilations (compared with the packed path)
  out.push({ x: [3, 30, 29, 1], w: [3, 3, 1, 12], s: [1, 1], p: 'same', d: [2, 2] });
  out.push({ x: [2, 27, 31, 2], w: [3, 2, 2, 9], s: [1, 1], p: 'valid', d: [3, 2] });
  return out;
}

/** Output shape of a case. */
function yShape(c: Case): number[] {
  const g = convWindow2d('test', c.x, [c.w[0], c.w[1]], c.s, c.p, c.d);
  return [g.n, g.outH, g.outW, c.w[3]];
}

/** Runs kernel `op` with the few-channel path on or off into a NaN-filled output. */
function run(op: string, direct: boolean, inputs: Info[], attrs: object, shape: number[]): Info {
  setSmallChannelPath(direct);
  const out = outputInfo(shape, 'float32', true);
  NEW[op](inputs, attrs as never, out);
  return out;
}

function expectSame(a: Info, b: Info, what: string): void {
  expect(firstDifference(a.handle, b.handle, true), what).toBeNull();
}

describe.runIf(gemmKernelKind() === 'simd')('conv2d and conv2dGradFilter: the few-channel path', () => {
  afterEach(() => setSmallChannelPath(true));

  for (const threads of [1, 2, 3]) {
    describe(`${threads} thread${threads > 1 ? 's' : ''}, every job parallel`, () => {
      poolWithEveryJobParallel(threads);

      it('gives the bits of the packed path and of the v1 kernels', () => {
        const rng = new Rng(31 + threads);
        for (const c of cases()) {
          const x = randomInfo(rng, c.x, 'float32', { special: c.special });
          const w = randomInfo(rng, c.w, 'float32', { special: c.special });
          const ys = yShape(c);
          const dy = randomInfo(rng, ys, 'float32', { special: c.special });
          const attrs = c.d ? { strides: c.s, padding: c.p, dilations: c.d } : { strides: c.s, padding: c.p };
          const name = `x [${c.x}] w [${c.w}] ${JSON.stringify(attrs)}`;
          const fAttrs = { ...attrs, filterShape: c.w };
          const yDirect = run('conv2d', true, [x, w], attrs, ys);
          expectSame(yDirect, run('conv2d', false, [x, w], attrs, ys), `conv2d ${name}`);
          const gDirect = run('conv2dGradFilter', true, [x, dy], fAttrs, c.w);
          expectSame(gDirect, run('conv2dGradFilter', false, [x, dy], fAttrs, c.w), `conv2dGradFilter ${name}`);
          if (!c.d) {
            const yWant = outputInfo(ys, 'float32', false);
            v1conv.conv2d([x, w] as never, attrs as never, yWant as never);
            expectSame(yDirect, yWant, `conv2d vs v1 ${name}`);
            const gWant = outputInfo(c.w, 'float32', false);
            v1conv.conv2dGradFilter([x, dy] as never, fAttrs as never, gWant as never);
            expectSame(gDirect, gWant, `conv2dGradFilter vs v1 ${name}`);
          }
        }
      });
    });
  }
});
