/**
 * The fuzzers' catalog of layers applied directly (`new dt.layers.X(...).apply(x, { training })`):
 * Dense, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Flatten and Dropout
 * (training true and false), with random constructor arguments (sometimes values the layer must
 * refuse) and random inputs (rank 0..5, 0-size dims, all dtypes, special values).
 *
 * A case seeds the global generator (dt.utils.setRandomSeed) before constructing the layer, so
 * its initial weights and dropout masks are the same on every backend and thread count, and names
 * the layer explicitly, so that error messages do not depend on how many layers were made before.
 */
import fc from 'fast-check';
import * as dt from '../../src/index.ts';
import { type Outcome, count, disposeOutcome, expectEngineError, expectInBudget, expectNoLeak, readResult, type Summary } from './harness.ts';
import { chanDim, pairArb } from './op-cases.ts';
import { type DType, type TensorSpec, build, dimArb, dtypeArb, numberArb, shapeArb, specArb } from './values.ts';

export type LayerKind = 'Dense' | 'Conv2D' | 'MaxPooling2D' | 'AveragePooling2D' | 'GlobalAveragePooling2D' | 'Flatten' | 'Dropout';

export interface LayerCall {
  layer: LayerKind;
  /** Constructor arguments after the config (units, [filters, kernelSize], poolSize, rate). */
  ctor: unknown[];
  config: Record<string, unknown>;
  input: TensorSpec;
  training: boolean;
  /** The global seed set before construction. */
  seed: number;
}

const activationArb = fc.option(fc.constantFrom('relu', 'softmax', 'sigmoid', 'tanh', 'linear'), { nil: undefined });
const inputDtype = fc.oneof({ weight: 10, arbitrary: fc.constant<DType>('float32') }, { weight: 1, arbitrary: dtypeArb });
/** Mostly rank-4 images, sometimes any rank. */
const imageInput = specArb(fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), chanDim).map((t) => [...t]) },
  { weight: 1, arbitrary: shapeArb(0, 5) },
), inputDtype);
const anyInput = specArb(shapeArb(0, 5), inputDtype);
const base = { training: fc.boolean(), seed: fc.integer({ min: 0, max: 1000 }) };

export const layerCallArb: fc.Arbitrary<LayerCall> = fc.oneof(
  fc.record({ ...base, units: numberArb(fc.integer({ min: 1, max: 6 })), activation: activationArb, useBias: fc.option(fc.boolean(), { nil: undefined }), input: specArb(shapeArb(0, 4), inputDtype) })
    .map((c) => ({ layer: 'Dense' as const, ctor: [c.units], config: { activation: c.activation, useBias: c.useBias }, input: c.input, training: c.training, seed: c.seed })),
  fc.record({ ...base, filters: numberArb(fc.integer({ min: 1, max: 4 })), kernelSize: pairArb(4), strides: pairArb(3), padding: fc.option(fc.constantFrom('valid', 'same'), { nil: undefined }), activation: activationArb, input: imageInput })
    .map((c) => ({ layer: 'Conv2D' as const, ctor: [c.filters, c.kernelSize ?? 3], config: { strides: c.strides, padding: c.padding, activation: c.activation }, input: c.input, training: c.training, seed: c.seed })),
  fc.record({ ...base, kind: fc.constantFrom<LayerKind>('MaxPooling2D', 'AveragePooling2D'), poolSize: pairArb(4), strides: pairArb(3), padding: fc.option(fc.constantFrom('valid', 'same'), { nil: undefined }), input: imageInput })
    .map((c) => ({ layer: c.kind, ctor: [c.poolSize], config: { strides: c.strides, padding: c.padding }, input: c.input, training: c.training, seed: c.seed })),
  fc.record({ ...base, input: imageInput }).map((c) => ({ layer: 'GlobalAveragePooling2D' as const, ctor: [], config: {}, input: c.input, training: c.training, seed: c.seed })),
  fc.record({ ...base, input: anyInput }).map((c) => ({ layer: 'Flatten' as const, ctor: [], config: {}, input: c.input, training: c.training, seed: c.seed })),
  fc.record({
    ...base,
    rate: numberArb(fc.constantFrom(0, 0.1, 0.5, 0.9, 1), 1, 8),
    layerSeed: fc.option(numberArb(fc.integer({ min: 0, max: 2 ** 31 - 1 }), 1, 10), { nil: undefined }),
    noise: fc.option(fc.array(fc.option(dimArb, { nil: null }), { maxLength: 5 }), { nil: undefined }),
    input: anyInput,
  }).map((c) => ({ layer: 'Dropout' as const, ctor: [c.rate], config: { seed: c.layerSeed, noiseShape: c.noise }, input: c.input, training: c.training, seed: c.seed })),
);

/** The ops each layer calls, whose own errors it lets through (input dtype, window larger than the input, ...). */
const ACTIVATIONS = ['relu:', 'softmax:', 'sigmoid:', 'tanh:'];
/** The initializers' own checks, met when building weights too large to allocate (units = 2^32 + 1; zeros: 'fill'). */
const INIT = ['statelessUniform:', 'GlorotUniform.apply:', 'fill:'];
const LAYER_OPS: Record<LayerKind, string[]> = {
  Dense: ['matmul:', 'add:', 'reshape:', ...ACTIVATIONS, ...INIT],
  Conv2D: ['conv2d:', 'add:', ...ACTIVATIONS, ...INIT],
  MaxPooling2D: ['maxPool2d:'],
  AveragePooling2D: ['avgPool2d:'],
  GlobalAveragePooling2D: ['mean:'],
  Flatten: [],
  Dropout: ['statelessDropout:'],
};

const CLASSES = dt.layers as unknown as Record<LayerKind, new (...a: unknown[]) => { apply(x: dt.Tensor, ctx: { training: boolean }): dt.Tensor; dispose(): void }>;

/** A compact description of a layer call for failure messages. */
export function describeLayerCall(c: LayerCall): string {
  const s = c.input;
  return `new ${c.layer}(${JSON.stringify([...c.ctor, c.config])}).apply(${s.dtype}[${s.shape}]{${s.fill.mix}#${s.fill.seed}}, { training: ${c.training} }) after setRandomSeed(${c.seed})`;
}

/**
 * Constructs and applies the layer on the current backend; checks (a) (a tensor, or an error of
 * dt's classes starting with the layer's class name) and (c) (after disposing the output, the
 * input and the layer, nothing is left); returns the outcome's summary.
 */
export async function summarizeLayerCall(c: LayerCall, tally = true): Promise<Summary> {
  const what = describeLayerCall(c);
  const before = dt.memory();
  const x = build(c.input);
  let layer: { apply(x: dt.Tensor, ctx: { training: boolean }): dt.Tensor; dispose(): void } | undefined;
  const t0 = performance.now();
  let o: Outcome;
  try {
    dt.utils.setRandomSeed(c.seed);
    layer = new CLASSES[c.layer](...c.ctor, { ...c.config, name: 'fuzz_layer' });
    const y = layer.apply(x, { training: c.training });
    o = { ok: true, value: [y], ms: performance.now() - t0 };
  } catch (error) {
    o = { ok: false, error, ms: performance.now() - t0 };
  }
  let s: Summary;
  try {
    expectInBudget(o, what);
    if (o.ok) {
      s = { ok: true, results: [await readResult(o.value[0], what)] };
      if (tally) count('returned');
    } else {
      // the constructor names the class ("Dense: ..."), apply names the layer ("Dense 'fuzz_layer': ...")
      // or, for what the layer leaves to its ops, the op (as test/unit/nn/layers.test.ts pins for conv2d)
      expectEngineError(o.error, [`${c.layer}:`, `${c.layer} 'fuzz_layer':`, ...LAYER_OPS[c.layer]], what, tally);
      s = { ok: false, errorClass: (o.error as Error).name, message: (o.error as Error).message };
    }
  } finally {
    disposeOutcome(o);
    x.dispose();
    layer?.dispose();
  }
  expectNoLeak(before, what);
  return s;
}
