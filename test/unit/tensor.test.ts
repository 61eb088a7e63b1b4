/**
 * Tensors, scopes and memory: creation and dtypes, data(), disposal, tidy/keep, variables,
 * the live-tensor count, and the errors for bad input.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { expectNoLeaks } from '../util/leaks.ts';

describe('tensor creation', () => {
  it('infers shape and defaults to float32', async () => {
    const t = dt.tensor([[1, 2], [3, 4]]);
    expect(t.shape).toEqual([2, 2]);
    expect(t.dtype).toBe('float32');
    expect(t.size).toBe(4);
    expect(Array.from(await t.data())).toEqual([1, 2, 3, 4]);
    expect(await t.array()).toEqual([[1, 2], [3, 4]]);
    t.dispose();
  });

  it('takes the dtype of a typed array, rounds float32', async () => {
    const i = dt.tensor(new Int32Array([1, -2, 3]));
    expect(i.dtype).toBe('int32');
    const u = dt.tensor(new Uint8Array([0, 255]), [2, 1]);
    expect(u.dtype).toBe('uint8');
    expect(u.shape).toEqual([2, 1]);
    const f = dt.tensor([0.1]);
    expect((await f.data())[0]).toBe(Math.fround(0.1));
    dt.dispose([i, u, f]);
  });

  it('makes scalars, zeros, ones, fill', () => {
    const s = dt.scalar(3);
    expect(s.shape).toEqual([]);
    expect(s.dataSync()[0]).toBe(3);
    expect(Array.from(dt.zeros([2]).dataSync())).toEqual([0, 0]);
    expect(Array.from(dt.ones([2], 'int32').dataSync())).toEqual([1, 1]);
    expect(Array.from(dt.fill([3], 7, 'uint8').dataSync())).toEqual([7, 7, 7]);
  });

  it('rejects ragged arrays, wrong sizes and out-of-range integers', () => {
    expect(() => dt.tensor([[1, 2], [3]])).toThrow(dt.ShapeError);
    expect(() => dt.tensor([1, 2, 3], [2, 2])).toThrow(/tensor: expected 4 values for shape \[2, 2\]. Received: 3 values/);
    expect(() => dt.tensor([1.5], [1], 'int32')).toThrow(dt.DTypeError);
    expect(() => dt.tensor([256], [1], 'uint8')).toThrow(/expected integers in \[0, 255\] for dtype uint8. Received: 256/);
    expect(() => dt.tensor([1], [1], 'float64' as dt.DType)).toThrow(dt.DTypeError);
  });
});

describe('disposal and scopes', () => {
  it('counts live tensors and frees storage on dispose', () => {
    const before = dt.memory();
    const t = dt.tensor([1, 2, 3]);
    expect(dt.memory().numTensors).toBe(before.numTensors + 1);
    expect(dt.memory().numBuffers).toBe(before.numBuffers + 1);
    t.dispose();
    t.dispose(); // idempotent
    expect(dt.memory()).toEqual(before);
  });

  it('throws DisposedTensorError on use after dispose, naming the op', () => {
    const t = dt.tensor([1, 2]);
    t.dispose();
    expect(() => dt.add(t, 1)).toThrow(dt.DisposedTensorError);
    expect(() => dt.exp(t)).toThrow(/exp: expected a live tensor. Received: a disposed tensor/);
    expect(() => t.dataSync()).toThrow(dt.DisposedTensorError);
  });

  it('tidy disposes intermediates and keeps the result', async () => {
    await expectNoLeaks(() => {
      const x = dt.tensor([1, 2, 3]);
      const y = dt.tidy(() => x.mul(2).add(1).square());
      expect(Array.from(y.dataSync())).toEqual([9, 25, 49]);
      dt.dispose([x, y]);
    });
  });

  it('tidy keeps returned arrays/objects and kept tensors; disposes on throw', async () => {
    await expectNoLeaks(() => {
      let kept: dt.Tensor | undefined;
      const r = dt.tidy(() => {
        kept = dt.keep(dt.ones([2]));
        dt.zeros([3]);
        return { a: dt.ones([1]), b: [dt.zeros([1])] };
      });
      expect(r.a.isDisposed).toBe(false);
      expect(r.b[0].isDisposed).toBe(false);
      expect(kept!.isDisposed).toBe(false);
      dt.dispose([r.a, r.b[0], kept!]);
      expect(() => dt.tidy(() => {
        dt.ones([4]);
        throw new Error('boom');
      })).toThrow('boom');
    });
  });

  it('rejects async functions in tidy', () => {
    expect(() => dt.tidy((async () => dt.ones([1])) as unknown as () => dt.Tensor)).toThrow(/tidy: expected a synchronous function/);
  });

  it('nested tidy moves results to the parent scope', async () => {
    await expectNoLeaks(() => {
      const outer = dt.tidy(() => {
        const inner = dt.tidy(() => dt.ones([2]).add(1));
        return inner.mul(3);
      });
      expect(Array.from(outer.dataSync())).toEqual([6, 6]);
      outer.dispose();
    });
  });

  it('reshape shares storage; the buffer lives until the last view is disposed', () => {
    const before = dt.memory().numBuffers;
    const a = dt.tensor([1, 2, 3, 4]);
    const b = a.reshape([2, 2]);
    expect(dt.memory().numBuffers).toBe(before + 1);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3, 4]);
    b.dispose();
    expect(dt.memory().numBuffers).toBe(before);
  });

  it('supports `using` via Symbol.dispose', () => {
    const before = dt.memory().numTensors;
    {
      const t = dt.ones([2]);
      t[Symbol.dispose]();
    }
    expect(dt.memory().numTensors).toBe(before);
  });
});

describe('variables', () => {
  it('assign swaps values, survives tidy, checks shape and dtype', async () => {
    const v = dt.variable(dt.tidy(() => dt.zeros([2])), { name: 'w' });
    dt.tidy(() => v.assign(dt.tensor([5, 6])));
    expect(Array.from(v.dataSync())).toEqual([5, 6]);
    expect(v.name).toBe('w');
    expect(() => v.assign(dt.ones([3]))).toThrow(/assign: expected a value of shape \[2\] and dtype float32 for variable 'w'. Received: shape=\[3\]/);
    v.dispose();
  });
});

describe('bad arguments', () => {
  it('reports mismatched broadcast shapes with both shapes', () => {
    const a = dt.ones([2, 3]);
    const b = dt.ones([4]);
    expect(() => dt.add(a, b)).toThrow(/add: expected shapes that broadcast \(NumPy rules\). Received: \[2, 3\] and \[4\]/);
    dt.dispose([a, b]);
  });

  it('reports conv2d rank errors as in the API guide', () => {
    const x = dt.ones([2, 3]);
    const w = dt.ones([3, 3, 1, 1]);
    expect(() => dt.conv2d(x, w)).toThrow('conv2d: expected x of rank 4 [N, H, W, C]. Received: x.shape=[2, 3]');
    dt.dispose([x, w]);
  });

  it('reports dtype mismatches and bad axes', () => {
    const f = dt.ones([2]);
    const i = dt.ones([2], 'int32');
    expect(() => dt.add(f, i)).toThrow(/add: expected both operands to have the same dtype. Received: float32 and int32/);
    expect(() => dt.exp(i)).toThrow(dt.DTypeError);
    expect(() => dt.sum(f, 3)).toThrow(/sum: expected axis to be an integer in \[-1, 1\). Received: axis=3/);
    expect(() => dt.reshape(f, [3])).toThrow(dt.ShapeError);
    expect(() => dt.slice(f, [1], [2])).toThrow(/slice: expected 0 <= begin/);
    expect(() => dt.gather(f, [5])).toThrow(/gather: expected indices in \[0, 2\). Received: indices\[0\]=5/);
    expect(() => dt.matmul(dt.ones([2, 3]), dt.ones([2, 3]))).toThrow(/matmul: expected inner dimensions to match/);
    expect(() => dt.maxPool2d(dt.ones([1, 4, 4, 1]), { poolSize: 0 })).toThrow(dt.ArgumentError);
    expect(() => dt.conv2d(dt.ones([1, 4, 4, 2]), dt.ones([3, 3, 1, 1]))).toThrow(/conv2d: expected x channels \(2\) to equal w input channels/);
    expect(() => dt.add('x' as unknown as dt.Tensor, f)).toThrow(dt.ArgumentError);
    dt.dispose([f, i]);
  });
});
