/**
 * The autograd API itself (dt.grad, dt.valueAndGrad, dt.variableGrads): one gradient per
 * argument, zeros for unused arguments, accumulation for tensors used several times, the value
 * returned by valueAndGrad, clear errors for bad f outputs and arguments, no leaked tensors or
 * buffers (also on error paths), ownership (gradients are distinct tensors; arguments are never
 * disposed), and bit-identical results on repeated calls.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { expectNoLeaks } from '../util/leaks.ts';

const vals = async (t: dt.Tensor) => Array.from(await t.data());

describe('dt.grad', () => {
  it('returns one gradient per argument, each of its argument shape', async () => {
    const a = dt.tensor([1, 2, 3]);
    const b = dt.tensor([[0.5], [2]]);
    const c = dt.scalar(3);
    // f = sum(a * b) * c: d/da = c * sum_rows(b), d/db = c * sum(a), d/dc = sum(a * b)
    const grads = dt.grad((x, y, z) => dt.mul(dt.sum(dt.mul(x, y)), z))(a, b, c);
    expect(grads).toHaveLength(3);
    expect(grads.map((g) => g.shape)).toEqual([[3], [2, 1], []]);
    expect(await vals(grads[0])).toEqual([7.5, 7.5, 7.5]);
    expect(await vals(grads[1])).toEqual([18, 18]);
    expect(await vals(grads[2])).toEqual([15]);
    dt.dispose([a, b, c, ...grads]);
  });

  it('gives zeros to an argument f does not depend on', async () => {
    const a = dt.tensor([1, 2]);
    const b = dt.tensor([[1, 2, 3]]);
    const grads = dt.grad((x, _y) => dt.sum(dt.square(x)))(a, b);
    expect(grads[1].shape).toEqual([1, 3]);
    expect(grads[1].dtype).toBe('float32');
    expect(await vals(grads[1])).toEqual([0, 0, 0]);
    expect(await vals(grads[0])).toEqual([2, 4]);
    dt.dispose([a, b, ...grads]);
  });

  it('gives zeros through non-differentiable paths (int cast, comparison, argmax, noGrad)', async () => {
    const a = dt.tensor([1.5, -2.5, 3]);
    const f = (x: dt.Tensor) => dt.add(
      dt.add(dt.sum(dt.cast(dt.cast(x, 'int32'), 'float32')), dt.sum(dt.cast(dt.greater(x, 0), 'float32'))),
      dt.add(dt.sum(dt.cast(dt.argmax(x), 'float32')), dt.sum(dt.noGrad(() => dt.exp(x)))),
    );
    const [g] = dt.grad(f)(a);
    expect(await vals(g)).toEqual([0, 0, 0]);
    dt.dispose([a, g]);
  });

  it('accumulates the gradient of a tensor used several times', async () => {
    const a = dt.tensor([1, -2, 3]);
    // sum(x*x + x) + sum(add(x, x)) + sum(exp(0*x)) -> 2x + 1 + 2
    const [g] = dt.grad((x) => dt.add(dt.add(dt.sum(dt.add(dt.mul(x, x), x)), dt.sum(dt.add(x, x))), dt.sum(dt.exp(dt.mul(x, 0)))))(a);
    expect(await vals(g)).toEqual([5, -1, 9]);
    // through a broadcast and a reduction in two branches: sum(x[:,None] * x[None,:]) = (sum x)^2 -> 2 sum(x)
    const [h] = dt.grad((x) => dt.sum(dt.mul(dt.reshape(x, [3, 1]), dt.reshape(x, [1, 3]))))(a);
    expect(await vals(h)).toEqual([4, 4, 4]);
    dt.dispose([a, g, h]);
  });

  it('accepts a one-element output of any rank', async () => {
    const a = dt.tensor([[2]]);
    const [g] = dt.grad((x) => dt.square(x))(a);
    expect(g.shape).toEqual([1, 1]);
    expect(await vals(g)).toEqual([4]);
    dt.dispose([a, g]);
  });

  it('treats a closure tensor as a constant', async () => {
    const w = dt.tensor([2, 3]);
    const a = dt.tensor([1, 1]);
    const [g] = dt.grad((x) => dt.sum(dt.mul(x, w)))(a);
    expect(await vals(g)).toEqual([2, 3]);
    expect(w.isDisposed).toBe(false);
    dt.dispose([w, a, g]);
  });

  it('leaves its arguments unchanged and gives bit-identical gradients on every call', async () => {
    const a = dt.tensor([0.1, 0.7, -1.3, 2.9]);
    const f = (x: dt.Tensor) => dt.sum(dt.logSoftmax(dt.mul(dt.tanh(x), 3)));
    const [g1] = dt.grad(f)(a);
    const [g2] = dt.grad(f)(a);
    expect(Buffer.from((await g1.data()).buffer)).toEqual(Buffer.from((await g2.data()).buffer));
    expect(await vals(a)).toEqual(Array.from(Float32Array.from([0.1, 0.7, -1.3, 2.9])));
    dt.dispose([a, g1, g2]);
  });
});

describe('dt.valueAndGrad and dt.variableGrads', () => {
  it('valueAndGrad returns f(x) and the same gradients as grad', async () => {
    const a = dt.tensor([1, 2, 3]);
    const b = dt.tensor([4, 5, 6]);
    const f = (x: dt.Tensor, y: dt.Tensor) => dt.sum(dt.mul(x, y));
    const { value, grads } = dt.valueAndGrad(f)(a, b);
    expect(value.shape).toEqual([]);
    expect(await vals(value)).toEqual([32]);
    expect(await vals(grads[0])).toEqual([4, 5, 6]);
    expect(await vals(grads[1])).toEqual([1, 2, 3]);
    const plain = dt.grad(f)(a, b);
    expect(await vals(plain[0])).toEqual(await vals(grads[0]));
    dt.dispose([a, b, value, ...grads, ...plain]);
  });

  it('variableGrads differentiates with respect to variables', async () => {
    const v = dt.variable(dt.tidy(() => dt.tensor([1, -2])));
    const { value, grads } = dt.variableGrads(() => dt.sum(dt.square(v)), [v]);
    expect(await vals(value)).toEqual([5]);
    expect(await vals(grads[0])).toEqual([2, -4]);
    expect(() => dt.variableGrads(() => dt.sum(v), [])).toThrow(dt.ArgumentError);
    dt.dispose([v, value, ...grads]);
  });
});

describe('autograd errors', () => {
  it('rejects a non-scalar output with a clear ShapeError', async () => {
    const a = dt.tensor([1, 2, 3]);
    await expectNoLeaks(() => {
      expect(() => dt.grad((x) => dt.mul(x, 2))(a)).toThrow(dt.ShapeError);
      expect(() => dt.grad((x) => dt.mul(x, 2))(a)).toThrow(/^grad: expected f to return a float32 scalar \(one element\)\. Received: shape=\[3\]/);
      expect(() => dt.valueAndGrad((x) => dt.reshape(x, [3, 1]))(a)).toThrow(/^valueAndGrad: .*Received: shape=\[3, 1\]/);
    });
    a.dispose();
  });

  it('rejects f returning something other than a tensor, and non-float32 arguments', async () => {
    const a = dt.tensor([1, 2]);
    const i = dt.tensor([1, 2], [2], 'int32');
    await expectNoLeaks(() => {
      expect(() => dt.grad((() => 3) as unknown as (x: dt.Tensor) => dt.Tensor)(a)).toThrow(dt.ArgumentError);
      expect(() => dt.grad((x) => dt.sum(dt.cast(x, 'float32')))(i)).toThrow(dt.DTypeError);
      expect(() => dt.grad((x) => dt.sum(x))(i)).toThrow(/^grad: expected float32 tensors/);
      expect(() => dt.grad((x) => dt.cast(dt.sum(x), 'int32'))(a)).toThrow(dt.ShapeError);
    });
    const d = dt.tensor([1]);
    d.dispose();
    expect(() => dt.grad((x) => dt.sum(x))(d)).toThrow(dt.DisposedTensorError);
    dt.dispose([a, i]);
  });
});

describe('autograd memory and ownership', () => {
  it('leaks no tensors or buffers: + one tensor per gradient after the call, back to the start after disposing them', () => {
    const x = dt.tensor([[0.5, -1], [2, 0.25]]);
    const w = dt.tensor([[1, 2, 3], [4, 5, 6]]);
    const f = (a: dt.Tensor, b: dt.Tensor) => dt.mean(dt.softmax(dt.relu(dt.matmul(a, b))));
    const before = dt.memory();
    const grads = dt.grad(f)(x, w);
    expect(dt.memory().numTensors).toBe(before.numTensors + 2);
    expect(dt.memory().numBuffers).toBe(before.numBuffers + 2);
    dt.dispose(grads);
    expect(dt.memory()).toEqual(before);
    const { value, grads: g2 } = dt.valueAndGrad(f)(x, w);
    expect(dt.memory().numTensors).toBe(before.numTensors + 3);
    dt.dispose([value, ...g2]);
    expect(dt.memory()).toEqual(before);
    dt.dispose([x, w]);
  });

  it('leaks nothing for unused arguments and for conv/pool/gather graphs', async () => {
    const x = dt.tensor(Float32Array.from({ length: 32 }, (_, i) => Math.sin(i)), [1, 4, 4, 2]);
    const w = dt.tensor(Float32Array.from({ length: 18 }, (_, i) => Math.cos(i)), [3, 3, 2, 1]);
    const unused = dt.tensor([1, 2]);
    await expectNoLeaks(() => {
      const grads = dt.grad((a, b, _c) => dt.sum(dt.gather(dt.reshape(dt.maxPool2d(dt.conv2d(a, b, { padding: 'same' })), [-1]), [0, 3, 3])))(x, w, unused);
      expect(grads).toHaveLength(3);
      dt.dispose(grads);
    });
    dt.dispose([x, w, unused]);
  });

  it('frees everything when f throws', () => {
    const a = dt.tensor([1, 2]);
    const before = dt.memory();
    expect(() => dt.grad((x) => {
      dt.exp(dt.mul(x, 2));
      throw new Error('boom');
    })(a)).toThrow('boom');
    expect(dt.memory().numTensors).toBe(before.numTensors);
    // BUG: differentiate() (src/core/grad.ts:23-29) pops the tape in a `finally` but only calls
    // releaseTape(tape) in the second try block, which is never reached when f
    // throws: the storages the tape saved (x's and the mul/exp outputs) keep a reference forever,
    // so every failed grad() call leaks device buffers. Fix: wrap everything after pushTape in one
    // try { ... } finally { releaseTape(tape) } (popTape stays in the inner finally).
    expect(dt.memory().numBuffers).toBe(before.numBuffers);
    a.dispose();
  });

  it('returns a distinct tensor for each argument (disposing one gradient leaves the others usable)', async () => {
    const a = dt.tensor([1, 2]);
    const b = dt.tensor([3, 4]);
    const grads = dt.grad((x, y) => dt.sum(dt.add(x, y)))(a, b);
    // BUG: add's grad returns reduceToShape(dy, shape), which is dy itself when no broadcasting
    // happened (src/core/ops/broadcast.ts:36; likewise cast/clone pass dy through), and
    // backprop (src/core/tape.ts) maps both sources to that same Tensor object, so
    // grads[0] === grads[1]: an optimizer that disposes grads[0] after use breaks grads[1].
    // Fix: in backprop's final map, clone a gradient tensor already handed out for an earlier
    // source (e.g. `const seen = new Set(); ... if (seen.has(g)) g = g.clone(); seen.add(g)`).
    expect(grads[0]).not.toBe(grads[1]);
    grads[0].dispose();
    expect(await vals(grads[1])).toEqual([1, 1]);
    dt.dispose([a, b, ...grads]);
  });

  it('never disposes its arguments or closure tensors, even when f returns one of them', () => {
    const s = dt.scalar(3);
    const v = dt.tensor([1, 2, 3]);
    const c = dt.scalar(7);
    // BUG: grad() disposes f's result unconditionally (src/core/grad.ts:52 `value.dispose()`, and
    // line 35 on the non-scalar error path), so when f returns a tensor that existed before the
    // call (an argument, or a closure tensor) the caller's tensor is disposed. jax-js #75-style
    // "consuming-argument ownership" (architecture.md §3.9, Avoid). Fix: in differentiate(), if
    // the value returned by f was not created during the call (e.g. its id is below an id
    // watermark taken before f runs, or it is not in the tidy scope's set), replace it by
    // value.clone() inside the tape (clone is differentiable, identity gradient) so the caller
    // always owns `value`; then grad() may dispose it safely.
    const [gs] = dt.grad((x) => x)(s);
    expect(s.isDisposed).toBe(false);
    expect(() => dt.grad((x) => x)(v)).toThrow(dt.ShapeError);
    expect(v.isDisposed).toBe(false);
    const [gc] = dt.grad((_x) => c)(s);
    expect(c.isDisposed).toBe(false);
    const { value } = dt.valueAndGrad((x) => x)(s);
    expect(value).not.toBe(s);
    dt.dispose([gs, gc, s, v, c, value]);
  });
});
