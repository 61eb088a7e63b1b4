/**
 * Inference fusion of layer pairs: when no gradient is being recorded (predict, evaluate, a model called outside
 * a tape), a Conv2D (bias, 'relu' or 'linear') followed by a MaxPooling2D runs as one op, conv2dBiasActMaxPool,
 * whose backends need not write the convolution's output and read it back (src/core/ops/conv2d-bias-act-pool.ts).
 * The result has the bits of the two layers' calls; the layers are built and their input shapes checked as their
 * own `apply` does. Under a tape (fit's forward pass) the layers run one by one: the backward pass needs the
 * convolution's output. Op traces name the convolution layer's scope for the fused op.
 * Part of src/nn: imports src/core only.
 */
import { type Tensor, assertLive, isRecording, withScope } from '../core/internal.ts';
import type { Layer } from './layer.ts';
import type { Node, SymbolicTensor } from './symbolic.ts';
import { Conv2D } from './layers/conv2d.ts';
import { MaxPooling2D } from './layers/pooling.ts';

let enabled = true;

/** Test and benchmark hook: turns the fusion off (false: every layer runs by itself) or back on (true, the default). */
export function setInferenceFusion(on: boolean): void {
  enabled = on;
}

/**
 * `next(layer(x))` as one op when `layer` is a Conv2D and `next` a MaxPooling2D (not subclasses) that fuse (see
 * the header) and no tape records; otherwise null (the caller runs the layers one by one).
 */
export function applyConvMaxPool(layer: Layer, next: Layer | undefined, x: Tensor): Tensor | null {
  if (!enabled || isRecording() || !(layer instanceof Conv2D) || next === undefined || next.constructor !== MaxPooling2D) return null;
  const pool = next as MaxPooling2D;
  assertLive(layer.name, x);
  if (x.rank !== 4) return null;
  const inShape = [null, ...x.shape.slice(1)];
  layer.ensureBuilt(inShape);
  pool.ensureBuilt(layer.computeOutputShape(inShape));
  return withScope(layer.name, () => layer.callMaxPooled(x, { poolSize: pool.poolSize, strides: pool.strides, padding: pool.padding }), layer);
}

/**
 * For a functional graph: each node whose layer may fuse with the MaxPooling2D node that alone reads its one output
 * (an output no other node and no model output uses), mapped to that pooling node.
 */
export function convPoolPairs(runOrder: readonly Node[], outputs: readonly SymbolicTensor[]): Map<Node, Node> {
  const readers = new Map<SymbolicTensor, Node[]>();
  for (const n of runOrder) for (const t of n.flatInputs) readers.set(t, [...(readers.get(t) ?? []), n]);
  const pairs = new Map<Node, Node>();
  for (const n of runOrder) {
    if (!(n.layer instanceof Conv2D) || n.flatOutputs.length !== 1 || n.flatInputs.length !== 1) continue;
    const out = n.flatOutputs[0];
    const r = readers.get(out) ?? [];
    if (r.length !== 1 || outputs.includes(out) || r[0].layer.constructor !== MaxPooling2D || r[0].flatInputs.length !== 1) continue;
    pairs.set(n, r[0]);
  }
  return pairs;
}
