/**
 * The functional API (Keras's keras.Input / keras.Model(inputs, outputs)):
 * - symbolic tensors and shape inference; layers called on them are built from the symbolic shape;
 * - model.layers in Keras's order (by decreasing depth, then first visit; InputLayers included), and calls that
 *   give bit for bit what the same layers applied by hand give;
 * - several inputs and outputs as lists or named objects; the training flag passed through; explicit flags kept;
 * - shared layers (one set of weights), nested models (a Model and a Sequential as layers), and their weights,
 *   get/setWeights, save/loadWeights;
 * - errors: a tensor not reachable from the inputs, inputs not from dt.Input, duplicate names, wrong structures
 *   and shapes, with clear messages;
 * - summary() in Keras 3's layout with the "Connected to" column (header copied from keras.io's toy_resnet).
 * - Sequential keeps working with dt.layers.Input first (Keras 3 accepts keras.Input there).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { lcgValues } from './helpers.ts';

const L = dt.layers;
const I = dt.initializers;
const dir = mkdtempSync(join(tmpdir(), 'ditto-functional-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});

const t = (shape: number[], seed: number) => dt.tensor(lcgValues(shape.reduce((a, b) => a * b, 1), seed), shape);
const host = async (x: dt.Tensor) => Array.from((await x.data()) as Float32Array);
const seeded = (seed: number) => ({ kernelInitializer: new I.GlorotUniform({ seed }) });

describe('symbolic tensors and graph building', () => {
  it('dt.Input is a symbolic tensor; layers called on it are built and return symbolic outputs', () => {
    const x = dt.Input({ shape: [8, 8, 1] });
    expect(x).toBeInstanceOf(dt.SymbolicTensor);
    expect(x.shape).toEqual([null, 8, 8, 1]);
    expect(x.dtype).toBe('float32');
    expect(dt.layers.Input).toBe(dt.Input);
    const conv = new L.Conv2D(4, 3, { padding: 'same' });
    const y = conv.apply(x);
    expect(y).toBeInstanceOf(dt.SymbolicTensor);
    expect(y.shape).toEqual([null, 8, 8, 4]);
    expect(conv.built).toBe(true);
    expect(conv.weights.map((w) => w.shape)).toEqual([[3, 3, 1, 4], [4]]);
    expect(y.node.layer).toBe(conv);
    expect(conv.inboundNodes).toEqual([y.node]);
    expect(String(L.GlobalAveragePooling2D.prototype.constructor.name)).toBe('GlobalAveragePooling2D');
    expect(new L.GlobalAveragePooling2D().apply(y).shape).toEqual([null, 4]);
    expect(dt.Input({ shape: [3], batchSize: 5, dtype: 'int32' }).shape).toEqual([5, 3]);
  });

  it("model.layers follows Keras's order (decreasing depth, then first visit), InputLayers included", () => {
    const inp = dt.Input({ shape: [4], name: 'in' });
    const a = new L.Dense(3, { name: 'd1' }).apply(inp);
    const b = new L.Dense(3, { name: 'd2' }).apply(inp);
    const c = new L.Dense(3, { name: 'd3' }).apply(b);
    const s = new L.Add({ name: 'sum' }).apply([a, c]);
    const model = new dt.Model({ inputs: inp, outputs: s });
    expect(model.name).toBe('functional');
    expect(model).toBeInstanceOf(dt.Functional);
    expect(model.layers.map((l) => l.name)).toEqual(['in', 'd2', 'd1', 'd3', 'sum']);
    expect(model.layers[0]).toBeInstanceOf(L.InputLayer);
    expect(model.weights.map((w) => w.name)).toEqual(['d2/kernel', 'd2/bias', 'd1/kernel', 'd1/bias', 'd3/kernel', 'd3/bias']);
    expect(model.countParams()).toBe(15 + 15 + 12);
    expect(model.outputNames).toEqual(['sum']);
    expect(model.inputNames).toEqual(['in']);
  });

  it('calling the model gives bit for bit what the layers applied by hand give', async () => {
    const inp = dt.Input({ shape: [4] });
    const d1 = new L.Dense(3, { activation: 'relu', ...seeded(1) });
    const d2 = new L.Dense(3, seeded(2));
    const a = d1.apply(inp);
    const out = new L.Add().apply([a, d2.apply(a)]);
    const model = new dt.Model({ inputs: inp, outputs: out });
    const x = t([5, 4], 3);
    const ha = d1.apply(x);
    const want = dt.add(ha, d2.apply(ha));
    expect(await host(model.call(x))).toEqual(await host(want));
    expect(await host(model.apply(x))).toEqual(await host(want));
    expect(await host(await model.predict(x, { batchSize: 2 }))).toEqual(await host(want));
    // uint8 inputs are cast to the Input's float32, as Keras does
    const u = dt.tensor(new Uint8Array([1, 2, 3, 4]), [1, 4], 'uint8');
    expect(await host(model.call(u))).toEqual(await host(model.call(dt.cast(u, 'float32'))));
    expect(x.isDisposed).toBe(false);
  });

  it('several inputs and outputs, as lists or named objects, keep their structure', async () => {
    const a = dt.Input({ shape: [3], name: 'a' });
    const b = dt.Input({ shape: [3], name: 'b' });
    const sum = L.add([a, b]);
    const diff = L.subtract([a, b]);
    const named = new dt.Model({ inputs: { a, b }, outputs: { sum, diff } });
    expect(named.outputNames).toEqual(['diff', 'sum']);
    const xa = t([2, 3], 1);
    const xb = t([2, 3], 2);
    const out = named.call({ b: xb, a: xa }) as Record<string, dt.Tensor>;
    expect(Object.keys(out)).toEqual(['sum', 'diff']);
    expect(await host(out.sum)).toEqual(await host(dt.add(xa, xb)));
    expect(await host(out.diff)).toEqual(await host(dt.sub(xa, xb)));
    const listed = new dt.Model({ inputs: [a, b], outputs: [diff, sum] });
    const [d, s] = listed.call([xa, xb]) as dt.Tensor[];
    expect(await host(d)).toEqual(await host(out.diff));
    expect(await host(s)).toEqual(await host(out.sum));
    // An output may be an input itself: the caller gets its own copy.
    const identity = new dt.Model({ inputs: a, outputs: a });
    const y = identity.call(xa);
    expect(y).not.toBe(xa);
    expect(await host(y)).toEqual(await host(xa));
  });

  it('passes { training } through to every layer; a flag given at the call in the graph is kept', async () => {
    const inp = dt.Input({ shape: [64] });
    const out = new L.Dropout(0.5, { seed: 3 }).apply(inp);
    const model = new dt.Model({ inputs: inp, outputs: out });
    const x = dt.ones([2, 64]);
    expect(await host(model.call(x))).toEqual(await host(x));
    const trained = await host(model.call(x, { training: true }));
    expect(trained.some((v) => v === 0)).toBe(true);
    const always = new dt.Model({ inputs: inp, outputs: new L.Dropout(0.5, { seed: 3 }).apply(inp, { training: true }) });
    expect((await host(always.call(x))).some((v) => v === 0)).toBe(true);
  });
});

describe('user layers and memory', () => {
  it('a single-input Layer subclass written the usual way works in a graph unchanged', async () => {
    class Double extends dt.layers.Layer {
      constructor() {
        super({}, []);
      }
      computeOutputShape(shape: readonly (number | null)[]): (number | null)[] {
        return [...shape];
      }
      call(x: dt.Tensor): dt.Tensor {
        return dt.mul(x, 2);
      }
    }
    const inp = dt.Input({ shape: [3] });
    const model = new dt.Model({ inputs: inp, outputs: L.add([new Double().apply(inp), inp]) });
    expect(model.layers.map((l) => l.name)).toEqual(['input_layer', 'double', 'add']);
    expect(await host(model.call(dt.tensor([[1, 2, 3]])))).toEqual([3, 6, 9]);
  });

  it('a call leaves no tensor behind but its outputs', () => {
    const inp = dt.Input({ shape: [4] });
    const a = new L.Dense(3, { activation: 'relu' }).apply(inp);
    const model = new dt.Model({ inputs: inp, outputs: [L.add([a, new L.Dense(3).apply(a)]), a] });
    const x = t([2, 4], 1);
    model.call(x, { training: true });
    const before = dt.memory().numTensors;
    const out = model.call(x) as unknown as dt.Tensor[];
    expect(dt.memory().numTensors).toBe(before + 2);
    dt.dispose(out);
    expect(dt.memory().numTensors).toBe(before);
  });
});

describe('shared layers and nested models', () => {
  it('a layer called twice is shared: one set of weights, used by both calls', async () => {
    const a = dt.Input({ shape: [3], name: 'in_a' });
    const b = dt.Input({ shape: [3], name: 'in_b' });
    const shared = new L.Dense(2, { name: 'shared', ...seeded(4) });
    const ya = shared.apply(a);
    const yb = shared.apply(b);
    const model = new dt.Model({ inputs: [a, b], outputs: L.concatenate([ya, yb]) });
    expect(model.weights.map((w) => w.name)).toEqual(['shared/kernel', 'shared/bias']);
    expect(shared.inboundNodes.length).toBe(2);
    const xa = t([2, 3], 5);
    const xb = t([2, 3], 6);
    const want = dt.concat([shared.apply(xa), shared.apply(xb)], 1);
    expect(await host(model.call([xa, xb]) as dt.Tensor)).toEqual(await host(want));
    // setting the one kernel changes both branches
    model.setWeights([dt.ones([3, 2]), dt.zeros([2])]);
    const sums = (m: number[]) => m;
    expect(sums(await host(model.call([dt.ones([1, 3]), dt.ones([1, 3])]) as dt.Tensor))).toEqual([3, 3, 3, 3]);
  });

  it('a Model and a Sequential called on symbolic tensors nest as layers', async () => {
    const innerIn = dt.Input({ shape: [4], name: 'inner_in' });
    const inner = new dt.Model({ inputs: innerIn, outputs: new L.Dense(3, { name: 'inner_dense', ...seeded(7) }).apply(innerIn), name: 'inner' });
    const seq = new dt.Sequential([new L.Dense(3, { name: 'seq_dense', ...seeded(8) }), new L.Dropout(0.5, { seed: 9, name: 'seq_drop' })], { name: 'seq' });
    const x = dt.Input({ shape: [4], name: 'x' });
    const h = inner.apply(x);
    expect(h.shape).toEqual([null, 3]);
    const z = seq.apply(h);
    expect(z.shape).toEqual([null, 3]);
    expect(seq.built).toBe(true);
    const out = new L.Dense(2, { name: 'head', ...seeded(10) }).apply(z);
    const model = new dt.Model({ inputs: x, outputs: out, name: 'outer' });
    expect(model.layers.map((l) => l.name)).toEqual(['x', 'inner', 'seq', 'head']);
    expect(model.weights.map((w) => w.name)).toEqual(['inner_dense/kernel', 'inner_dense/bias', 'seq_dense/kernel', 'seq_dense/bias', 'head/kernel', 'head/bias']);
    const xv = t([3, 4], 11);
    const want = (model.layers[3] as dt.layers.Dense).apply(seq.call(inner.call(xv)));
    expect(await host(model.call(xv))).toEqual(await host(want));
    // checkpoints find the nested Dropout's generator under a stable name
    const { layerSeedGenerators } = await import('../../../src/nn/checkpoint/parts.ts');
    expect([...layerSeedGenerators(model).keys()]).toEqual(['seq/seq_drop']);
    // the summary shows the nested models as one row each, Keras's type 'Functional'
    expect(model.summary(() => {})).toMatch(/│ inner \(Functional\) +│ \(None, 3\) +│ +15 │/);
  });

  it('get/setWeights and save/loadWeights round-trip; saving refuses two weights with one name', async () => {
    const build = (seed: number) => {
      resetNames();
      const inp = dt.Input({ shape: [3] });
      const a = new L.Dense(4, seeded(seed)).apply(inp);
      return new dt.Model({ inputs: inp, outputs: L.add([a, new L.Dense(4, seeded(seed + 1)).apply(a)]) });
    };
    const m1 = build(1);
    const m2 = build(5);
    expect(await m1.weightsDigest()).not.toBe(await m2.weightsDigest());
    const file = join(dir, 'f.safetensors');
    await m1.saveWeights(file);
    await m2.loadWeights(file);
    expect(await m2.weightsDigest()).toBe(await m1.weightsDigest());
    const m3 = build(9);
    m3.setWeights(m1.getWeights());
    expect(await m3.weightsDigest()).toBe(await m1.weightsDigest());
    // Two different models with a layer name in common, nested in one: the weight names clash.
    const clash = (name: string) => {
      const i = dt.Input({ shape: [2] });
      return new dt.Model({ inputs: i, outputs: new L.Dense(2, { name: 'same' }).apply(i), name });
    };
    const x = dt.Input({ shape: [2] });
    const outer = new dt.Model({ inputs: x, outputs: clash('m_b').apply(clash('m_a').apply(x)) });
    await expect(outer.saveWeights(join(dir, 'g.safetensors'))).rejects.toThrow(/^saveWeights: expected unique weight names in the model 'functional(_\d+)?'\. Received: 'same\/kernel' twice/);
  });
});

describe('errors', () => {
  it('refuses a tensor not reachable from the inputs (graph disconnected)', () => {
    const a = dt.Input({ shape: [3], name: 'a' });
    const b = dt.Input({ shape: [3], name: 'b' });
    const fromB = new L.Dense(2, { name: 'db' }).apply(b);
    expect(() => new dt.Model({ inputs: a, outputs: fromB })).toThrow(/^Model: graph disconnected: cannot find parent for tensor <SymbolicTensor shape=\(None, 3\), dtype=float32, name=b> at layer 'b': it comes from an Input that is not among the model's inputs/);
    const both = L.add([new L.Dense(2, { name: 'da' }).apply(a), fromB]);
    expect(() => new dt.Model({ inputs: a, outputs: both })).toThrow(/graph disconnected/);
    expect(() => new dt.Model({ inputs: a, outputs: both })).toThrow(dt.ArgumentError);
  });

  it('refuses inputs not made by dt.Input, outputs that are not symbolic, unknown options and duplicate names', () => {
    const a = dt.Input({ shape: [3] });
    const h = new L.Dense(2).apply(a);
    expect(() => new dt.Model({ inputs: h, outputs: h })).toThrow(/^Model: expected inputs created by dt\.Input\(\)\. Received: <SymbolicTensor shape=\(None, 2\)/);
    expect(() => new dt.Model({ inputs: a, outputs: dt.ones([1, 3]) as never })).toThrow(/^Model: expected outputs to be symbolic tensors \(from dt\.Input or a layer called on one\)\. Received: a Tensor of shape \[1, 3\]$/);
    expect(() => new dt.Model({ inputs: a, outputs: [] })).toThrow(/^Model: expected at least one tensor in outputs/);
    expect(() => new dt.Model({ inputs: a, outputs: h, nam: 'x' } as never)).toThrow(/^Model: unrecognized options \{nam\}/);
    const d1 = new L.Dense(2, { name: 'twin' }).apply(a);
    const d2 = new L.Dense(2, { name: 'twin' }).apply(a);
    expect(() => new dt.Model({ inputs: a, outputs: [d1, d2] })).toThrow(/^Model: the name 'twin' is used 2 times in the model\. All layer names should be unique$/);
  });

  it('refuses inputs of another structure or shape, and a mix of symbolic and real tensors', async () => {
    const a = dt.Input({ shape: [3], name: 'a' });
    const b = dt.Input({ shape: [3], name: 'b' });
    const model = new dt.Model({ inputs: [a, b], outputs: L.add([a, b]), name: 'pair' });
    expect(() => model.call(dt.ones([2, 3]))).toThrow(/^pair: expected inputs of the structure of the model's inputs \(a list of 2 of tensors\)\. Received: one tensor$/);
    expect(() => model.call([dt.ones([2, 3]), dt.ones([2, 4])])).toThrow(/^pair: expected input 'b' of shape \(None, 3\)\. Received: x\.shape=\[2, 4\]$/);
    expect(() => model.call([dt.ones([2, 3]), dt.ones([2, 3])], { trainin: true } as never)).toThrow(/^pair\.call: unrecognized options \{trainin\}/);
    expect(() => L.add([a, dt.ones([2, 3])] as never)).toThrow(/^Add 'add(_\d+)?': expected every input to be a symbolic tensor \(from dt\.Input\) or every input to be a Tensor\. Received: a mix of both$/);
    const dense = new L.Dense(2, { name: 'd4' });
    dense.apply(dt.Input({ shape: [4] }));
    expect(() => dense.apply(a)).toThrow(/^Dense 'd4': expected input with last dimension 4\. Received: input shape \(None, 3\)$/);
    await expect(new dt.Model({ inputs: a, outputs: a }).fit(null as never)).rejects.toThrow(/^fit: the model must be compiled first/);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(model.fit(null as never)).rejects.toThrow(/^fit: expected a Dataset or an async iterable/);
  });
});

describe('Sequential with dt.layers.Input first (backward compatible)', () => {
  it('adds the Input\'s InputLayer, builds at once and can be nested', () => {
    const seq = new dt.Sequential([dt.layers.Input({ shape: [4] }), new L.Dense(2)]);
    expect(seq.layers[0]).toBeInstanceOf(L.InputLayer);
    expect(seq.built).toBe(true);
    expect(seq.weights.map((w) => w.shape)).toEqual([[4, 2], [2]]);
    const x = dt.Input({ shape: [4] });
    const model = new dt.Model({ inputs: x, outputs: seq.apply(x) });
    expect(model.layers.map((l) => l.constructor.name)).toEqual(['InputLayer', 'Sequential']);
    expect(() => seq.apply(dt.Input({ shape: [5] }))).toThrow(/^sequential: expected input of shape \(None, 4\)\. Received: \(None, 5\)$/);
  });
});

describe('summary() in the Keras 3 layout', () => {
  const KERAS_HEADER = [
    // From keras.io's functional API guide (toy_resnet), rich's rendering at 76 columns.
    '┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓',
    '┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃',
    '┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩',
  ];

  it('a model with a skip connection has the "Connected to" column, wrapped and cut as rich does', () => {
    const inputs = dt.Input({ shape: [8, 8, 1], name: 'img' });
    const c1 = new L.Conv2D(4, 3, { padding: 'same', activation: 'relu' }).apply(inputs);
    const c2 = new L.Conv2D(4, 3, { padding: 'same' }).apply(c1);
    const s = new L.Add().apply([c1, c2]);
    const p = new L.GlobalAveragePooling2D().apply(s);
    const out = new L.Dense(3, { activation: 'softmax' }).apply(p);
    const model = new dt.Model({ inputs, outputs: out, name: 'toy' });
    const text = model.summary(() => {});
    expect(text.split('\n').slice(1, 4)).toEqual(KERAS_HEADER);
    expect(text).toBe(`Model: "toy"
${KERAS_HEADER.join('\n')}
│ img (InputLayer)    │ (None, 8, 8, 1)   │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d (Conv2D)     │ (None, 8, 8, 4)   │         40 │ img[0][0]         │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d_1 (Conv2D)   │ (None, 8, 8, 4)   │        148 │ conv2d[0][0]      │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ add (Add)           │ (None, 8, 8, 4)   │          0 │ conv2d[0][0],     │
│                     │                   │            │ conv2d_1[0][0]    │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ global_average_poo… │ (None, 4)         │          0 │ add[0][0]         │
│ (GlobalAveragePool… │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense (Dense)       │ (None, 3)         │         15 │ global_average_p… │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 203 (812.00 B)
 Trainable params: 203 (812.00 B)
 Non-trainable params: 0 (0.00 B)
`);
  });

  it('a shared layer lists each call; a plain chain keeps the three-column layout with its InputLayer row', () => {
    const a = dt.Input({ shape: [3], name: 'in_a' });
    const b = dt.Input({ shape: [3], name: 'in_b' });
    const shared = new L.Dense(2, { name: 'shared' });
    const model = new dt.Model({ inputs: [a, b], outputs: L.add([shared.apply(a), shared.apply(b)]) });
    const text = model.summary(() => {});
    expect(text).toContain('│ shared (Dense)      │ (None, 2)         │          8 │ in_a[0][0],       │\n│                     │                   │            │ in_b[0][0]        │');
    expect(text).toContain('│ add (Add)           │ (None, 2)         │          0 │ shared[0][0],     │\n│                     │                   │            │ shared[1][0]      │');
    const x = dt.Input({ shape: [3], name: 'x' });
    const chain = new dt.Model({ inputs: x, outputs: new L.Dense(2, { name: 'd' }).apply(x), name: 'chain' });
    expect(chain.summary(() => {}).split('\n').slice(0, 7)).toEqual([
      'Model: "chain"',
      '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
      '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
      '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
      '│ x (InputLayer)                  │ (None, 3)              │             0 │',
      '├─────────────────────────────────┼────────────────────────┼───────────────┤',
      '│ d (Dense)                       │ (None, 2)              │             8 │',
    ]);
  });
});
