/**
 * Sequential (Keras): a stack of layers built from the first input shape (or a declared input
 * shape), with summary(); weights access, safetensors save/load and the training API
 * (compile/fit/evaluate/predict) come from ModelBase, shared with Functional models.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, assertLive, checkOptions, fmtShape, ops, tidy, withScope } from '../core/internal.ts';
import { applyConvMaxPool } from './inference-fusion.ts';
import { type CallContext, Layer, type LayerMask, type MaskedOutput, type SymbolicShape, fmtSym } from './layer.ts';
import { InputLayer } from './layers/simple.ts';
import { ModelBase } from './model-base.ts';
import { formatSummary } from './summary.ts';
import { SymbolicTensor } from './symbolic.ts';

/**
 * A linear stack of layers, Keras `Sequential`, with Keras's training API: {@link Sequential.compile | compile},
 * {@link Sequential.fit | fit}, {@link Sequential.evaluate | evaluate}, {@link Sequential.predict | predict}, plus
 * {@link Sequential.summary | summary}, weight access and safetensors save/load. The model is built from its first
 * input shape, or at once when the first layer declares one ({@link layers.Input} or `inputShape`).
 *
 * @example
 * ```ts
 * const model = new dt.Sequential([
 *   dt.layers.Input({ shape: [28, 28, 1] }),
 *   new dt.layers.Conv2D(32, [3, 3], { activation: 'relu' }),
 *   new dt.layers.MaxPooling2D([2, 2]),
 *   new dt.layers.Flatten(),
 *   new dt.layers.Dense(10, { activation: 'softmax' }),
 * ]);
 * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
 * const history = await model.fit(train, { epochs: 2, validationData: test });
 * ```
 */
export class Sequential extends ModelBase {
  /** The layers, in order. */
  readonly layers: Layer[] = [];

  /** @internal Keras's `Sequential.layers`, which leaves out a leading InputLayer (for structure keys). */
  override saveableLayers(): readonly Layer[] {
    return this.layers[0] instanceof InputLayer ? this.layers.slice(1) : this.layers;
  }
  private inputShape?: SymbolicShape;

  /**
   * @param layers the layers, in order (each is {@link Sequential.add | added}); the first may be the result of
   * {@link Input} (its InputLayer is added), as in Keras 3
   * @param options `name`: the model's name (default `sequential`, `sequential_1`, ...)
   * @throws {@link ArgumentError} for a non-layer, a layer given twice or two layers with one name.
   */
  constructor(layers: readonly (Layer | SymbolicTensor)[] = [], options: { name?: string } = {}) {
    checkOptions('Sequential', options, ['name']);
    if (!Array.isArray(layers)) throw new ArgumentError(`Sequential: expected an array of layers. Received: ${layers === null ? 'null' : typeof layers}`);
    super({ name: options.name });
    for (const l of layers) this.add(l);
  }

  /**
   * Appends a layer; builds the model when an input shape is known.
   * @throws {@link ArgumentError} for a non-layer, a layer already in the model or a duplicate layer name;
   * {@link ShapeError} when the layer does not accept the previous layer's output shape.
   */
  add(layerOrInput: Layer | SymbolicTensor): void {
    // Keras 3 accepts keras.Input(...) as the first element: its InputLayer declares the input shape.
    const layer = layerOrInput instanceof SymbolicTensor && layerOrInput.node.layer instanceof InputLayer ? layerOrInput.node.layer : layerOrInput;
    if (!(layer instanceof Layer)) throw new ArgumentError(`Sequential.add: expected a Layer. Received: ${typeof layer}`);
    if (this.layers.includes(layer)) throw new ArgumentError(`Sequential.add: layer '${layer.name}' is already in the model`);
    if (this.layers.some((l) => l.name === layer.name)) throw new ArgumentError(`Sequential.add: expected unique layer names. Received: a second layer named '${layer.name}'`);
    if (this.layers.length === 0 && layer.declaredInputShape) this.inputShape = [null, ...layer.declaredInputShape];
    this.layers.push(layer);
    if (this.inputShape) this.build(this.inputShape);
  }

  /** Whether every layer has been built (weights exist). */
  override get built(): boolean {
    return this.layers.length > 0 && this.layers.every((l) => l.built || l instanceof InputLayer);
  }

  /**
   * Builds every layer for an input shape, batch dimension included (null or a number), like Keras `model.build`.
   * @throws {@link ShapeError} when a layer does not accept its input shape.
   */
  override build(inputShape: SymbolicShape): void {
    const input: SymbolicShape = [null, ...inputShape.slice(1)];
    let shape = input;
    withScope(this.name, () => {
      for (const l of this.layers) {
        l.ensureBuilt(shape);
        shape = l.computeOutputShape(shape);
      }
    }, this);
    // Recorded only once every layer accepted it: a rejected shape must not become the model's.
    this.inputShape = input;
  }

  /** Output shape of each layer for the model's input shape (undefined if unknown). */
  private outputShapes(): (SymbolicShape | undefined)[] {
    let shape: SymbolicShape | undefined = this.inputShape;
    return this.layers.map((l) => {
      if (!shape) return undefined;
      shape = l.computeOutputShape(shape);
      return shape;
    });
  }

  /**
   * Runs the layers in order on a batch `x` (Keras `model(x)`); pass `{ training: true }` for training behaviour.
   * Builds the model on first use. An input of another dtype (uint8 images, int32) is cast to float32 first, as
   * Keras converts inputs to the model's input dtype; `x` itself is left as it is.
   * @throws {@link ShapeError} for an input that does not match the model's input shape; {@link ArgumentError} for a
   * model without layers.
   */
  override call(x: Tensor, ctx: CallContext = {}): Tensor {
    return tidy(() => this.applyWithMask(x, ctx).output);
  }

  /**
   * Runs the layers in order (as {@link Sequential.call | call}), moving the mask from layer to layer: each layer
   * gets the previous one's output mask as `ctx.mask` (see `applyWithMask`); `ctx.mask`, if given, is the
   * input's. Returns the output and its mask (null when no layer made one).
   */
  override applyWithMask(x: Tensor, ctx: CallContext = {}): MaskedOutput<Tensor> {
    checkOptions(`${this.name}.call`, ctx, ['training', 'mask']);
    assertLive(this.name, x);
    if (this.layers.length === 0) throw new ArgumentError(`${this.name}: the model has no layers`);
    if (!this.inputShape) this.build([null, ...x.shape.slice(1)]);
    const expected = this.inputShape!;
    if (x.rank !== expected.length || expected.some((d, i) => i > 0 && d !== null && d !== x.shape[i])) {
      throw new ShapeError(`${this.name}: expected input of shape ${fmtSym(expected)}. Received: x.shape=${fmtShape(x.shape)}`);
    }
    return withScope(this.name, () => tidy(() => {
      // Keras converts a model's inputs to its input dtype (float32): uint8 images work as they are.
      let y = x.dtype === 'float32' ? x : ops.cast(x, 'float32');
      const { mask: given, ...layerCtx } = ctx;
      let mask: LayerMask = given ?? null;
      for (let i = 0; i < this.layers.length; i++) {
        const l = this.layers[i];
        // Conv2D + MaxPooling2D as one op when no tape records (inference-fusion.ts): the same bits
        const fused = mask === null ? applyConvMaxPool(l, this.layers[i + 1], y) : null;
        if (fused !== null) {
          y = fused;
          i++;
          continue;
        }
        const r = l.applyWithMask(y, mask === null ? layerCtx : { ...layerCtx, mask });
        y = r.output;
        mask = r.mask;
      }
      // The mask given by the caller stays the caller's: a mask passed through unchanged is returned as a copy.
      const out = mask === given && mask !== null ? (Array.isArray(mask) ? mask.map((m) => m && ops.clone(m)) : ops.clone(mask as Tensor)) : mask;
      return { output: y === x ? ops.clone(x) : y, mask: out };
    }), this);
  }

  /** The output shape of the last layer for an input shape (the model's, as a layer of another model). */
  computeOutputShape(inputShape: SymbolicShape): (number | null)[] {
    let shape = inputShape;
    for (const l of this.layers) shape = l.computeOutputShape(shape);
    return [...shape];
  }

  /** As a layer of another model: builds the model for `inputShape`, or checks it against the built input shape. */
  override ensureBuilt(inputShape: SymbolicShape): void {
    if (this.layers.length === 0) throw new ArgumentError(`${this.name}: the model has no layers`);
    if (!this.inputShape) {
      this.build(inputShape);
      return;
    }
    const expected = this.inputShape;
    if (inputShape.length !== expected.length || expected.some((d, i) => i > 0 && d !== null && inputShape[i] !== null && d !== inputShape[i])) {
      throw new ShapeError(`${this.name}: expected input of shape ${fmtSym(expected)}. Received: ${fmtSym(inputShape)}`);
    }
  }


  /**
   * The Keras summary table (layers, output shapes, parameter counts), printed with `print` (default: written to
   * process.stdout) and returned.
   */
  override summary(print: (s: string) => void = (s) => process.stdout.write(s)): string {
    const shapes = this.outputShapes();
    const rows = this.layers.flatMap((l, i) => (l instanceof InputLayer ? [] : [{
      name: l.name,
      type: l.constructor.name,
      outputShape: shapes[i] ? fmtSym(shapes[i]!) : '?',
      params: l.built ? l.countParams() : null,
    }]));
    const text = formatSummary({ name: this.name, rows, ...this.summaryTotals() });
    print(text);
    return text;
  }
}
