/**
 * Regression tests of the defects the fuzzers found (test/fuzz, issue 21): each block names the
 * input, what it did before and what it does now. Errors must be ditto's own classes, with
 * messages that start with the function (or layer) that was called.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import * as adv from '../../src/advanced.ts';
import { expectNoLeaks } from '../util/leaks.ts';
import { itWebGpu, webgpuUnavailable } from '../util/webgpu.ts';

const unavailable = await webgpuUnavailable();
await dt.setBackend('cpu');
afterAll(() => dt.shutdown());

describe('scalars and split counts: concat, stack, split, unstack, slice, gather', () => {
  it('concat refuses scalars (it returned a tensor of shape [NaN])', async () => {
    await expectNoLeaks(() => {
      const s = dt.scalar(1);
      expect(() => dt.concat([s, s])).toThrow(dt.ShapeError);
      expect(() => dt.concat([s, s])).toThrow(/^concat: expected tensors of rank >= 1 \(stack joins scalars\)\. Received: x\.shape=\[\] \(tensor 0\)$/);
      const st = dt.stack([s, s]);
      expect(st.shape).toEqual([2]);
      dt.dispose([s, st]);
    });
  });

  it('split and unstack refuse scalars (TypeError: sizes is not iterable)', () => {
    const s = dt.scalar(1);
    expect(() => dt.split(s, 1)).toThrow(/^split: expected x of rank >= 1\. Received: x\.shape=\[\]$/);
    expect(() => dt.unstack(s)).toThrow(/^unstack: expected x of rank >= 1\. Received: x\.shape=\[\]$/);
    expect(() => dt.unstack(s)).toThrow(dt.ShapeError);
    s.dispose();
  });

  it('split refuses a count that is not a positive integer before sizing an array with it (RangeError: Invalid array length)', async () => {
    await expectNoLeaks(() => {
      const x = dt.ones([4]);
      for (const n of [-1, 1.5, NaN, 1e300, 8]) {
        expect(() => dt.split(x, n), `sizes=${n}`).toThrow(dt.ArgumentError);
        expect(() => dt.split(x, n), `sizes=${n}`).toThrow(`split: expected sizes summing to 4 (or a count dividing it). Received: sizes=${n}`);
      }
      const e = dt.zeros([0]);
      expect(() => dt.split(e, 1e300)).toThrow(/^split: expected sizes summing to 0/);
      e.dispose();
      // valid counts are unchanged, an empty axis included
      const parts = dt.split(x, 2);
      expect(parts.map((p) => p.shape)).toEqual([[2], [2]]);
      const empty = dt.zeros([0, 2]);
      const none = dt.split(empty, 3);
      expect(none.map((p) => p.shape)).toEqual([[0, 2], [0, 2], [0, 2]]);
      expect(dt.unstack(empty)).toEqual([]);
      dt.dispose([x, empty, ...parts, ...none]);
    });
  });

  it('stack reports mismatched inputs itself (the error was concat\'s, about the expanded shapes)', () => {
    const a = dt.ones([3, 5]);
    const b = dt.ones([3, 5, 2]);
    const c = dt.ones([3, 5], 'int32');
    expect(() => dt.stack([a, b], 1)).toThrow(/^stack: expected tensors of one shape\. Received: \[3, 5\] and \[3, 5, 2\] \(tensor 1\)$/);
    expect(() => dt.stack([a, c])).toThrow(/^stack: expected tensors of one dtype\. Received: float32 and int32 \(tensor 1\)$/);
    dt.dispose([a, b, c]);
  });

  it('slice of a scalar with a number begin is a ShapeError (RangeError: Invalid array length)', () => {
    const s = dt.scalar(1);
    expect(() => dt.slice(s, 0)).toThrow(dt.ShapeError);
    expect(() => dt.slice(s, 0)).toThrow(/^slice: expected begin and size of length <= rank 0/);
    s.dispose();
  });

  it('gather refuses a scalar x (it returned [1] holding 0 on the CPU and an out-of-bounds word on WebGPU)', () => {
    const s = dt.scalar(7, 'int32');
    expect(() => dt.gather(s, [0])).toThrow(/^gather: expected x of rank >= 1\. Received: x\.shape=\[\]$/);
    expect(() => dt.gather(s, [0])).toThrow(dt.ShapeError);
    s.dispose();
  });
});

describe('a number operand that does not fit the tensor\'s dtype', () => {
  it('is refused by the op, not by tensor() (the message started with "tensor:")', async () => {
    await expectNoLeaks(() => {
      const i = dt.tensor([1, 2], [2], 'int32');
      const u = dt.tensor([1, 2], [2], 'uint8');
      const c = dt.tensor([1, 0], [2], 'uint8');
      expect(() => dt.add(i, 0.5)).toThrow(/^add: expected integers in \[-2147483648, 2147483647\] for dtype int32\. Received: 0\.5$/);
      expect(() => dt.div(-2.5, i)).toThrow(/^div: expected integers in \[-2147483648, 2147483647\] for dtype int32\. Received: -2\.5$/);
      expect(() => dt.less(u, -1)).toThrow(/^less: expected integers in \[0, 255\] for dtype uint8\. Received: -1$/);
      expect(() => dt.maximum(u, NaN)).toThrow(/^maximum: expected integers in \[0, 255\] for dtype uint8\. Received: NaN$/);
      expect(() => dt.where(c, i, 0.5)).toThrow(/^where: expected integers in \[-2147483648, 2147483647\] for dtype int32\. Received: 0\.5$/);
      expect(() => dt.add(i, 0.5)).toThrow(dt.DTypeError);
      // numbers that fit are unchanged
      const s = dt.add(i, 3);
      expect(Array.from(s.dataSync())).toEqual([4, 5]);
      dt.dispose([i, u, c, s]);
    });
  });
});

describe('softmax and logSoftmax of an empty tensor', () => {
  it('return the empty tensor, as TensorFlow does (they threw "max: expected a non-empty reduction")', async () => {
    await expectNoLeaks(() => {
      for (const [shape, axis] of [[[0], 0], [[5, 0, 4, 0], -3], [[3, 0], -1], [[0, 4], 1]] as [number[], number][]) {
        const x = dt.zeros(shape);
        const a = dt.softmax(x, axis);
        const b = dt.logSoftmax(x, axis);
        expect([a.shape, b.shape, a.dtype]).toEqual([shape, shape, 'float32']);
        dt.dispose([x, a, b]);
      }
      // axis and dtype checks still come first
      const e = dt.zeros([0], 'int32');
      expect(() => dt.softmax(e)).toThrow(/^softmax: expected x of dtype float32/);
      e.dispose();
    });
  });
});

describe('an output too large for the backend', () => {
  it('is a ResourceExhaustedError naming the op, and leaves no phantom live buffer (a raw RangeError, and the CPU counted a buffer it never allocated)', async () => {
    await expectNoLeaks(() => {
      const x = dt.ones([1]);
      const idx = dt.tensor([1], [1], 'int32');
      const image = dt.ones([1, 1, 1, 1]);
      const cases: [string, () => dt.Tensor][] = [
        ['pad', () => dt.pad(x, [[0, 2 ** 40]])],
        ['oneHot', () => dt.oneHot(idx, 2 ** 40)],
        ['broadcastTo', () => dt.broadcastTo(x, [2 ** 20, 2 ** 20])],
        ['fill', () => dt.zeros([2 ** 20, 2 ** 20])],
        ['resizeBilinear', () => dt.resizeBilinear(image, [2 ** 22, 2 ** 22])],
      ];
      for (const [op, f] of cases) {
        expect(f, op).toThrow(dt.ResourceExhaustedError);
        expect(f, op).toThrow(new RegExp(`^${op}: expected an allocation within the memory limit\\. Received: shape=\\[`));
      }
      dt.dispose([x, idx, image]);
    });
  });
});

describe('dimensions of 2^53 and more (not exact in a double)', () => {
  it('are refused instead of rounded (pad gave a dimension of 9007199254741000 for 3 + 2^53 + 4)', () => {
    const x = dt.zeros([0, 2, 4]);
    expect(() => dt.pad(x, [[0, 0], [0, 0], [3, 2 ** 53]])).toThrow(/^pad: expected 3 pairs of non-negative integers/);
    expect(() => dt.pad(x, [[0, 0], [0, 0], [3, 2 ** 53 - 4]])).toThrow(dt.ArgumentError); // the padded size passes 2^53
    const i = dt.tensor([], [0], 'int32');
    expect(() => dt.oneHot(i, 2 ** 53)).toThrow(/^oneHot: expected depth to be a positive integer\. Received: depth=9007199254740992$/);
    expect(() => dt.zeros([0, 2 ** 53])).toThrow(/^fill: expected shape to be an array of non-negative integers/);
    expect(() => dt.reshape(x, [2 ** 53, 0])).toThrow(/^reshape: expected non-negative integer dimensions or -1/);
    expect(() => new dt.layers.Dense(1e300)).toThrow(/^Dense: expected units to be a positive integer\. Received: units=1e\+300$/);
    expect(() => new dt.layers.Conv2D(2 ** 53, 3)).toThrow(/^Conv2D: expected filters to be a positive integer/);
    // the largest exact sizes still work
    const y = dt.zeros([0, 2 ** 53 - 1]);
    expect(y.shape).toEqual([0, 2 ** 53 - 1]);
    dt.dispose([x, i, y]);
  });
});

describe('WebGPU gather over an empty axis', () => {
  itWebGpu('gives zeros (every index is out of range), not an endless loop of dispatches', unavailable, async () => {
    await dt.setBackend('webgpu');
    try {
      await expectNoLeaks(async () => {
        const x = dt.zeros([0, 4]);
        const idx = dt.tensor([0, 0], [2], 'int32');
        const y = dt.gather(x, idx, 0); // on the CPU: refused (indices checked on the host); on WebGPU: zeros (documented)
        expect(y.shape).toEqual([2, 4]);
        expect(Array.from(await y.data())).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
        dt.dispose([x, idx, y]);
      });
    } finally {
      await dt.setBackend('cpu');
    }
  });
});

describe('window sizes and strides of 2^30 and more', () => {
  it('are refused (WebGPU wrapped them to 32 bits: maxPool2d poolSize [1, 2^32 + 1] gave 0 where the CPU gave the maximum)', () => {
    const x = dt.ones([1, 6, 1, 2]);
    const w = dt.ones([1, 1, 2, 1]);
    const msg = (fn: string, name: string) => new RegExp(`^${fn}: expected ${name} to be a positive integer \\(at most 2\\^30\\) or a pair of them\\. Received: `);
    expect(() => dt.maxPool2d(x, { poolSize: [1, 2 ** 32 + 1], strides: 3, padding: 'same' })).toThrow(msg('maxPool2d', 'poolSize'));
    expect(() => dt.avgPool2d(x, { poolSize: 2, strides: 2 ** 31 })).toThrow(msg('avgPool2d', 'strides'));
    expect(() => dt.conv2d(x, w, { strides: [1, 2 ** 40] })).toThrow(msg('conv2d', 'strides'));
    expect(() => new dt.layers.MaxPooling2D(2 ** 31)).toThrow(msg('MaxPooling2D', 'poolSize'));
    expect(() => new dt.layers.Conv2D(1, 2 ** 31)).toThrow(msg('Conv2D', 'kernelSize'));
    expect(() => dt.maxPool2d(x, { poolSize: 2 ** 31 })).toThrow(dt.ArgumentError);
    // a filter with a huge window and no element reaches the geometry check
    const empty = dt.zeros([2 ** 31, 1, 2, 0]);
    expect(() => dt.conv2d(x, empty, { padding: 'same' })).toThrow(/^conv2d: expected a window of at most 2\^30 per dimension\. Received: window \[2147483648, 1\]$/);
    // windows up to 2^30 larger than the input still work with 'same' padding
    const y = dt.maxPool2d(x, { poolSize: [2 ** 30, 1], strides: 1, padding: 'same' });
    expect(y.shape).toEqual([1, 6, 1, 2]);
    dt.dispose([x, w, empty, y]);
  });

  itWebGpu('a window larger than the input gives the CPU\'s bits on WebGPU', unavailable, async () => {
    const run = async () => {
      const x = dt.tensor(Float32Array.from({ length: 12 }, (_, i) => (i * 37) % 11 - 5), [1, 6, 1, 2]);
      const outs = [
        dt.maxPool2d(x, { poolSize: [2 ** 30, 1], strides: 3, padding: 'same' }),
        dt.avgPool2d(x, { poolSize: [1, 2 ** 30], strides: [2, 1], padding: 'same' }),
      ];
      const data = await Promise.all(outs.map((o) => o.data()));
      dt.dispose([x, ...outs]);
      return data.map((d) => Array.from(d));
    };
    const cpu = await run();
    await dt.setBackend('webgpu');
    try {
      expect(await run()).toEqual(cpu);
    } finally {
      await dt.setBackend('cpu');
    }
  });
});

describe('layers applied directly', () => {
  it('a scalar input is refused by the layer (it looked like rank 1: Flatten failed in reshape with "shape=[, -1]")', () => {
    const s = dt.scalar(1);
    for (const layer of [new dt.layers.Flatten({ name: 'f' }), new dt.layers.Dense(2, { name: 'd' }), new dt.layers.Dropout(0.5, { name: 'r' })]) {
      expect(() => layer.apply(s, { training: true })).toThrow(new RegExp(`^${layer.constructor.name} '${layer.name}': expected input of rank >= 1 \\(a batch axis first\\)\\. Received: input shape \\(\\)$`));
      layer.dispose();
    }
    s.dispose();
  });

  it('Flatten of an empty batch gives [0, features] (reshape could not infer -1 for 0 elements)', async () => {
    await expectNoLeaks(() => {
      for (const [shape, want] of [[[0, 3], [0, 3]], [[0, 2, 5], [0, 10]], [[4], [4, 1]], [[2, 3, 4], [2, 12]]] as [number[], number[]][]) {
        const x = dt.zeros(shape);
        const y = new dt.layers.Flatten().apply(x);
        expect(y.shape).toEqual(want);
        dt.dispose([x, y]);
      }
    });
  });

  it('Dense over inputs of rank > 2 with 0 features gives the bias (reshape could not infer -1)', async () => {
    const d = new dt.layers.Dense(3, { biasInitializer: 'ones', name: 'd0' });
    const x = dt.zeros([2, 5, 0]);
    const y = d.apply(x);
    expect(y.shape).toEqual([2, 5, 3]);
    expect(Array.from(await y.data())).toEqual(new Array(30).fill(1));
    dt.dispose([x, y]);
    d.dispose();
  });

  it('Dropout refuses a seed that is not a safe integer itself (the error was the SeedGenerator\'s)', () => {
    expect(() => new dt.layers.Dropout(0.5, { seed: 2 ** 53 })).toThrow(/^Dropout: expected an integer seed\. Received: seed=9007199254740992$/);
    expect(() => new dt.layers.Dropout(0.5, { seed: 2 ** 53 })).toThrow(dt.ArgumentError);
  });
});

describe('safetensors names that are Object.prototype keys', () => {
  const file = (names: string[], order?: string[]) => {
    const tensors = Object.fromEntries(names.map((n) => [n, { dtype: 'F32' as const, shape: [1], data: Float32Array.of(names.indexOf(n) + 1) }]));
    return adv.encodeSafetensors(tensors, order ? { order: JSON.stringify(order) } : undefined);
  };

  it('a tensor named __proto__ is decoded like any other (it became the prototype of the result and was dropped)', () => {
    const json = '{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    const head = Buffer.alloc(8);
    head.writeBigUInt64LE(BigInt(json.length));
    const bytes = Buffer.concat([head, Buffer.from(json), Buffer.from(Float32Array.of(1, 2).buffer)]);
    const { tensors } = adv.decodeSafetensors(bytes, 'proto.safetensors');
    expect(Object.keys(tensors).sort()).toEqual(['__proto__', 'b']);
    expect(Array.from(tensors['__proto__'].data)).toEqual([1]);
    expect(tensors.toString).toBeUndefined(); // no inherited entries either
  });

  it('loadWeights by order with __metadata__.order naming "__proto__" or "toString" is a DataFormatError (TypeError: reading \'join\')', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ditto-proto-'));
    try {
      const model = new dt.Sequential([dt.layers.Input({ shape: [2] }), new dt.layers.Dense(1, { name: 'd' })]);
      const digest = await dt.utils.weightsDigest(model);
      for (const bad of ['__proto__', 'toString', 'constructor']) {
        const path = join(dir, `${bad}.safetensors`);
        writeFileSync(path, file(['d/kernel', 'd/bias'], [bad, 'd/bias']));
        await expect(model.loadWeights(path, { matchBy: 'order' })).rejects.toThrow(dt.DataFormatError);
        await expect(model.loadWeights(path, { matchBy: 'order' })).rejects.toThrow(/^loadWeights: .*: expected __metadata__\.order to be a JSON list of the file's tensor names/);
      }
      expect(await dt.utils.weightsDigest(model)).toBe(digest);
      model.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CPU maxPool2d 2x2 / 2 with \'same\' padding of an odd size, channels a multiple of 4', () => {
  // The same max pooling written another way: pad the bottom row and right column with -Infinity, pool 'valid'.
  const viaPad = (x: dt.Tensor) => dt.maxPool2d(dt.pad(x, [[0, 0], [0, x.shape[1] % 2], [0, x.shape[2] % 2], [0, 0]], -Infinity), { poolSize: 2 });
  const values = (shape: number[]) => dt.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => ((i * 7919) % 1009) / 101 - 5), shape);

  it('gives each window\'s maximum (the SIMD 2x2 path took it for \'valid\': 9485 of 9800 outputs of [2, 69, 69, 4] were wrong)', async () => {
    for (const shape of [[2, 69, 69, 4], [1, 5, 5, 4], [2, 7, 6, 8], [1, 6, 9, 12]]) {
      await expectNoLeaks(async () => {
        const x = values(shape);
        const got = dt.maxPool2d(x, { poolSize: 2, padding: 'same' });
        const want = dt.tidy(() => viaPad(x));
        expect(got.shape).toEqual(want.shape);
        expect(Buffer.from((await got.data()).buffer).equals(Buffer.from((await want.data()).buffer)), `[${shape}]`).toBe(true);
        dt.dispose([x, got, want]);
      });
    }
  });

  it('and its gradient reaches the last (partial) row and column', async () => {
    const x = values([2, 7, 5, 4]);
    const v = values([2, 4, 3, 4]);
    const [dx] = dt.grad((t: dt.Tensor) => dt.sum(dt.mul(dt.maxPool2d(t, { poolSize: 2, padding: 'same' }), v)))(x);
    const [want] = dt.grad((t: dt.Tensor) => dt.sum(dt.mul(viaPad(t), v)))(x);
    expect(Buffer.from((await dx.data()).buffer).equals(Buffer.from((await want.data()).buffer))).toBe(true);
    dt.dispose([x, v, dx, want]);
  });

  itWebGpu('agrees with WebGPU bit for bit', unavailable, async () => {
    const run = async () => {
      const x = values([2, 69, 69, 4]);
      const y = dt.maxPool2d(x, { poolSize: 2, padding: 'same' });
      const d = await y.data();
      dt.dispose([x, y]);
      return Buffer.from(d.buffer);
    };
    const cpu = await run();
    await dt.setBackend('webgpu');
    try {
      expect((await run()).equals(cpu)).toBe(true);
    } finally {
      await dt.setBackend('cpu');
    }
  });
});
