/**
 * model.summary() in the Keras 3 layout (formats.md §5.3): the reference CNN on 32x32x1 as an exact
 * golden table (21,578 params, 84.29 KB), the unbuilt form ('?' / '0 (unbuilt)'), the optimizer line
 * once the optimizer has slots, wrapped long names, and Keras's readable sizes with Python rounding.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { readableSize } from '../../../src/nn/summary.ts';
import { bandImages, batches } from './helpers.ts';

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});

/** The CNN of the Keras reproducibility example (by default without an input shape, as there). */
function referenceCnn(inputShape?: number[]): dt.Sequential {
  const L = dt.layers;
  return new dt.Sequential([
    new L.Conv2D(32, [3, 3], { activation: 'relu', ...(inputShape ? { inputShape } : {}) }),
    new L.MaxPooling2D([2, 2]),
    new L.Dropout(0.2),
    new L.Conv2D(32, [3, 3], { activation: 'relu' }),
    new L.MaxPooling2D([2, 2]),
    new L.Dropout(0.2),
    new L.Conv2D(32, [3, 3], { activation: 'relu' }),
    new L.GlobalAveragePooling2D(),
    new L.Dense(64, { activation: 'relu' }),
    new L.Dropout(0.2),
    new L.Dense(10, { activation: 'softmax' }),
  ]);
}

const GOLDEN = `Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ conv2d (Conv2D)                 │ (None, 30, 30, 32)     │           320 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ max_pooling2d (MaxPooling2D)    │ (None, 15, 15, 32)     │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dropout (Dropout)               │ (None, 15, 15, 32)     │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_1 (Conv2D)               │ (None, 13, 13, 32)     │         9,248 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ max_pooling2d_1 (MaxPooling2D)  │ (None, 6, 6, 32)       │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dropout_1 (Dropout)             │ (None, 6, 6, 32)       │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_2 (Conv2D)               │ (None, 4, 4, 32)       │         9,248 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ global_average_pooling2d        │ (None, 32)             │             0 │
│ (GlobalAveragePooling2D)        │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 64)             │         2,112 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dropout_2 (Dropout)             │ (None, 64)             │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 10)             │           650 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 21,578 (84.29 KB)
 Trainable params: 21,578 (84.29 KB)
 Non-trainable params: 0 (0.00 B)
`;

describe('model.summary()', () => {
  it('the reference CNN on 32x32x1 matches the Keras table exactly', () => {
    const model = referenceCnn();
    model.build([null, 32, 32, 1]);
    let printed = '';
    const text = model.summary((s) => { printed += s; });
    expect(text).toBe(GOLDEN);
    expect(printed).toBe(GOLDEN);
    expect(model.countParams()).toBe(21578);
    model.dispose();
  });

  it('a declared inputShape gives the same table; the next model is "sequential_1"', () => {
    const model = referenceCnn([32, 32, 1]);
    expect(model.built).toBe(true);
    expect(model.summary(() => {})).toBe(GOLDEN);
    const second = new dt.Sequential([new dt.layers.Dense(1)]);
    expect(second.name).toBe('sequential_1');
    model.dispose();
  });

  it('an Input layer declares the shape and gets no row (as in Keras)', () => {
    const model = new dt.Sequential([dt.layers.Input({ shape: [3] }), new dt.layers.Dense(2)]);
    expect(model.built).toBe(true);
    const rows = model.summary(() => {}).split('\n').filter((l) => l.startsWith('│'));
    expect(rows).toEqual(['│ dense (Dense)                   │ (None, 2)              │             8 │']);
    model.dispose();
  });

  it('an unbuilt model shows "?" and "0 (unbuilt)"', () => {
    const model = new dt.Sequential([new dt.layers.Dense(4), new dt.layers.Dense(2)]);
    expect(model.summary(() => {})).toBe(`Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ ?                      │   0 (unbuilt) │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 0 (0.00 B)
 Trainable params: 0 (0.00 B)
 Non-trainable params: 0 (0.00 B)
`);
  });

  it('after a training step the optimizer line appears and the total includes the slots', async () => {
    const model = new dt.Sequential([new dt.layers.Flatten({ inputShape: [8, 8, 1] }), new dt.layers.Dense(3, { activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    expect(model.summary(() => {})).not.toContain('Optimizer params');
    const [x, y] = bandImages(8, 1);
    await model.fit(batches(x, y, 8), { verbose: 0 });
    const tail = model.summary(() => {}).split('\n').slice(-5).join('\n');
    // 195 weights (780 B); Adam holds two slots per weight: 390 (1.52 KB)
    expect(tail).toBe(` Total params: 585 (2.29 KB)
 Trainable params: 195 (780.00 B)
 Non-trainable params: 0 (0.00 B)
 Optimizer params: 390 (1.52 KB)
`);
    dt.dispose([x, y]);
    model.dispose();
  });

  it('long names wrap inside their column and the table stays rectangular', () => {
    const model = new dt.Sequential([new dt.layers.Dense(2, { name: 'a_very_long_layer_name_that_does_not_fit', inputShape: [3] })]);
    const lines = model.summary(() => {}).split('\n').slice(1, 6);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[3]).toBe('│ a_very_long_layer_name_that_doe │ (None, 2)              │             8 │');
    expect(lines[4]).toBe('│ s_not_fit (Dense)               │                        │               │');
    model.dispose();
  });

  it("readableSize follows Keras's readable_memory_size with Python's rounding", () => {
    expect(readableSize(0)).toBe('0.00 B');
    expect(readableSize(1023)).toBe('1023.00 B');
    expect(readableSize(1024)).toBe('1.00 KB');
    expect(readableSize(86312)).toBe('84.29 KB');
    expect(readableSize(1152)).toBe('1.12 KB'); // 1.125: a tie, rounded to even as Python does
    expect(readableSize(1.5 * 1024 * 1024)).toBe('1.50 MB');
    expect(readableSize(3 * 1024 ** 5)).toBe('3.00 PB');
    expect(readableSize(2048 * 1024 ** 5)).toBe('2.00 PB'); // sic: Keras divides once more before its fallback
  });
});
