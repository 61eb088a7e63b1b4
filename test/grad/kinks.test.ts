/**
 * Gradients exactly at kinks and ties, where central differences say nothing: the engine's
 * documented conventions (TensorFlow's) are pinned here. relu/abs at 0 give 0; clipByValue passes
 * the gradient at its bounds; maximum/minimum ties go to the first operand; max/min reductions
 * share the gradient equally among tied extrema; maxPool2d routes it to the first maximum (row-major).
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';

async function gradOf(f: (...xs: dt.Tensor[]) => dt.Tensor, ...inputs: dt.Tensor[]): Promise<number[][]> {
  const grads = dt.grad((...xs) => dt.sum(f(...xs)))(...inputs);
  const out = await Promise.all(grads.map(async (g) => Array.from(await g.data())));
  dt.dispose([...new Set([...grads, ...inputs])]);
  return out;
}

describe('gradient conventions at kinks and ties', () => {
  it('relu and abs have gradient 0 at 0', async () => {
    expect(await gradOf(dt.relu, dt.tensor([-1, 0, 2]))).toEqual([[0, 0, 1]]);
    expect(await gradOf(dt.abs, dt.tensor([-1, 0, 2]))).toEqual([[-1, 0, 1]]);
  });

  it('clipByValue passes the gradient where min <= x <= max (bounds included)', async () => {
    expect(await gradOf((x) => dt.clipByValue(x, -1, 1), dt.tensor([-2, -1, 0, 1, 2]))).toEqual([[0, 1, 1, 1, 0]]);
  });

  it('maximum and minimum send a tie to the first operand', async () => {
    expect(await gradOf(dt.maximum, dt.tensor([1, 2, 3]), dt.tensor([1, 5, 0]))).toEqual([[1, 0, 1], [0, 1, 0]]);
    expect(await gradOf(dt.minimum, dt.tensor([1, 2, 3]), dt.tensor([1, 5, 0]))).toEqual([[1, 1, 0], [0, 0, 1]]);
  });

  it('max and min reductions share the gradient equally among tied extrema', async () => {
    expect(await gradOf((x) => dt.max(x, 1), dt.tensor([[3, 1, 3, 3], [0, 2, 1, 2]]))).toEqual([[1 / 3, 0, 1 / 3, 1 / 3, 0, 0.5, 0, 0.5]].map((r) => r.map(Math.fround)));
    expect(await gradOf((x) => dt.min(x), dt.tensor([2, -1, -1, 4]))).toEqual([[0, 0.5, 0.5, 0]]);
  });

  it('maxPool2d routes the gradient to the first maximum of each window in row-major order', async () => {
    // 2x4 image, 2x2 windows: window 0 is all ties, window 1 has its maximum twice (positions 3 and 6).
    const x = dt.tensor([5, 5, 1, 7, 5, 5, 7, 0], [1, 2, 4, 1]);
    expect(await gradOf((t) => dt.maxPool2d(t, { poolSize: 2 }), x)).toEqual([[1, 0, 0, 1, 0, 0, 0, 0]]);
  });
});
