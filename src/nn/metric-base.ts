/**
 * The base of ditto's Keras 3 stateful metrics (keras/src/metrics/metric.py, reduction_metrics.py): state in
 * float32 device variables, `update` accumulating one batch, `result` computing the value, `reset` zeroing.
 * Accumulation order, for every metric: a batch's contribution is reduced first (each sum in the engine's
 * summation order, src/core/reduction-order.ts, over the row-major element index), then added to the state with
 * one float32 addition per state element: state = f32(state + batchContribution). Several updates therefore equal
 * one update on the concatenated batch exactly when every partial sum is exact (e.g. counts and integer weights
 * below 2^24), as in Keras.
 * Mean and Sum follow Keras's `reduce_to_samplewise_values`: values are reduced to one value per sample (mean or
 * sum over the non-batch axes), weighted, then summed; Mean's count adds the batch size, or sum(sampleWeight).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, assertLive, checkOptions, fmtShape, ops, tidy } from '../core/internal.ts';
import { squeezeOrExpand } from './loss-reduction.ts';

/** Options every metric accepts (Keras's `name`). */
export interface MetricConfig {
  /** The metric's name (the key in logs); default Keras's, e.g. 'binary_accuracy'. */
  name?: string;
}

/**
 * A stateful metric with Keras 3 semantics: {@link Metric.update | update} accumulates a batch on the device,
 * {@link Metric.result | result} returns the current value as a tensor, {@link Metric.reset | reset} zeroes the
 * state. Nothing is read back from the device until the result's tensor is read.
 */
export abstract class Metric {
  /** The metric's name. */
  readonly name: string;
  private readonly state: Variable[] = [];

  /**
   * @param cls the class name, for errors
   * @param defaultName Keras's default name
   * @param options the options given
   * @param ownKeys the options the class accepts besides name
   */
  protected constructor(cls: string, defaultName: string, options: MetricConfig, ownKeys: readonly string[]) {
    checkOptions(cls, options, ['name', ...ownKeys]);
    if (options.name !== undefined && (typeof options.name !== 'string' || !options.name)) {
      throw new ArgumentError(`${cls}: expected a non-empty string name. Received: ${JSON.stringify(options.name)}`);
    }
    this.name = options.name ?? defaultName;
  }

  /** Creates a zero float32 state variable `<name>/<key>`. */
  protected addState(key: string, shape: readonly number[] = []): Variable {
    const zero = ops.zeros(shape);
    const v = ops.variable(zero, { name: `${this.name}/${key}`, trainable: false });
    zero.dispose();
    this.state.push(v);
    return v;
  }

  /** state = f32(state + delta), elementwise (the accumulation step of every metric). */
  protected accumulate(v: Variable, delta: Tensor | number): void {
    v.assign(ops.add(v, delta));
  }

  /** Accumulates a batch. */
  abstract update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void;

  /** The current value (a float32 tensor; a scalar unless the metric says otherwise). */
  abstract result(): Tensor;

  /** Zeroes the state. */
  reset(): void {
    tidy(() => {
      for (const v of this.state) v.assign(ops.zeros(v.shape));
    });
  }

  /** The state variables, in creation order. */
  variables(): Variable[] {
    return [...this.state];
  }

  /** Releases the state. */
  dispose(): void {
    for (const v of this.state) v.dispose();
    this.state.length = 0;
  }
}

/** Keras's `divide_no_nan`: a / b, 0 where b == 0. */
export function divideNoNan(a: Tensor, b: Tensor): Tensor {
  const zero = ops.equal(b, 0);
  return ops.where(zero, 0, ops.div(a, ops.where(zero, 1, b)));
}

/** sampleWeight as float32 with trailing 1s appended up to `rank` (left-aligned broadcasting against per-sample data). */
export function expandWeight(fn: string, sw: Tensor, like: Tensor): Tensor {
  assertLive(fn, sw);
  let w = sw.dtype === 'float32' ? sw : ops.cast(sw, 'float32');
  while (w.rank < like.rank) w = ops.expandDims(w, -1);
  const ok = w.rank === like.rank && w.shape.every((d, i) => d === 1 || d === like.shape[i]);
  if (!ok) throw new ShapeError(`${fn}: expected sampleWeight broadcastable to shape ${fmtShape(like.shape)}. Received: sampleWeight.shape=${fmtShape(sw.shape)}`);
  return ops.broadcastTo(w, like.shape);
}

/**
 * Keras `reduce_to_samplewise_values`: [per-sample values, per-sample weights or undefined]; `reduce` is mean or
 * sum over the given axes.
 */
function samplewise(fn: string, values: Tensor, sampleWeight: Tensor | undefined, reduce: (x: Tensor, axes: number[]) => Tensor): [Tensor, Tensor | undefined] {
  let v = values.dtype === 'float32' ? values : ops.cast(values, 'float32');
  const trailing = (r: number) => Array.from({ length: r - 1 }, (_, i) => i + 1);
  let sw: Tensor | undefined;
  if (sampleWeight !== undefined) {
    assertLive(fn, sampleWeight);
    sw = sampleWeight.dtype === 'float32' ? sampleWeight : ops.cast(sampleWeight, 'float32');
    [v, sw] = squeezeOrExpand(v, sw);
    const wr = sw.rank;
    if (v.rank > wr) v = reduce(v, Array.from({ length: v.rank - wr }, (_, i) => wr + i));
    const ok = sw.rank <= v.rank && sw.shape.every((d, i) => d === 1 || d === v.shape[v.rank - sw!.rank + i]);
    if (!ok) throw new ShapeError(`${fn}: expected sampleWeight broadcastable to the values of shape ${fmtShape(v.shape)}. Received: sampleWeight.shape=${fmtShape(sampleWeight.shape)}`);
    sw = ops.broadcastTo(sw, v.shape);
    v = ops.mul(v, sw);
    if (wr > 1) sw = reduce(sw, trailing(wr));
  }
  if (v.rank > 1) v = reduce(v, trailing(v.rank));
  return [v, sw];
}

/** Keras `Mean`: the weighted mean of the values seen (per-sample means when values have more than one axis). */
export class Mean extends Metric {
  private readonly total: Variable;
  private readonly count: Variable;

  /** @param options name (default 'mean') */
  constructor(options: MetricConfig = {}, cls = 'Mean', defaultName = 'mean', ownKeys: readonly string[] = []) {
    super(cls, defaultName, options, ownKeys);
    this.total = this.addState('total');
    this.count = this.addState('count');
  }

  /** total += sum(per-sample values * weights); count += batch size (or sum(weights)). */
  updateValues(values: Tensor, sampleWeight?: Tensor): void {
    assertLive(this.name, values);
    tidy(() => {
      const [v, sw] = samplewise(this.name, values, sampleWeight, (x, axes) => ops.mean(x, axes));
      this.accumulate(this.total, ops.sum(v));
      this.accumulate(this.count, sw !== undefined ? ops.sum(sw) : v.rank >= 1 ? v.shape[0] : 1);
    });
  }

  /** For Mean itself `yTrue` holds the values and `yPred` is ignored: use {@link Mean.updateValues}. */
  update(values: Tensor, _unused?: Tensor, sampleWeight?: Tensor): void {
    this.updateValues(values, sampleWeight);
  }

  /** total / count (0 when count is 0). */
  result(): Tensor {
    return tidy(() => divideNoNan(this.total, this.count));
  }
}

/** Keras `Sum`: the weighted sum of the values seen. */
export class Sum extends Metric {
  private readonly total: Variable;

  /** @param options name (default 'sum') */
  constructor(options: MetricConfig = {}) {
    super('Sum', 'sum', options, []);
    this.total = this.addState('total');
  }

  /** total += sum(values * weights). */
  updateValues(values: Tensor, sampleWeight?: Tensor): void {
    assertLive(this.name, values);
    tidy(() => {
      const [v] = samplewise(this.name, values, sampleWeight, (x, axes) => ops.sum(x, axes));
      this.accumulate(this.total, ops.sum(v));
    });
  }

  /** As {@link Sum.updateValues} (`yTrue` holds the values). */
  update(values: Tensor, _unused?: Tensor, sampleWeight?: Tensor): void {
    this.updateValues(values, sampleWeight);
  }

  /** The total. */
  result(): Tensor {
    return tidy(() => ops.clone(this.total));
  }
}

/**
 * Keras `MeanMetricWrapper`: the {@link Mean} of a per-sample metric function's values (yTrue and yPred aligned
 * by Keras's squeeze-or-expand first).
 */
export class MeanMetricWrapper extends Mean {
  /**
   * @param fn the per-sample function
   * @param options name
   * @param cls the class name, for errors
   * @param defaultName Keras's default name
   * @param ownKeys the options the class accepts besides name
   */
  constructor(
    private readonly fn: (yTrue: Tensor, yPred: Tensor) => Tensor,
    options: MetricConfig = {},
    cls = 'MeanMetricWrapper',
    defaultName = 'mean_metric_wrapper',
    ownKeys: readonly string[] = [],
  ) {
    super(options, cls, defaultName, ownKeys);
  }

  /** Accumulates fn(yTrue, yPred), weighted by sampleWeight. */
  override update(yTrue: Tensor, yPred?: Tensor, sampleWeight?: Tensor): void {
    if (yPred === undefined) throw new ArgumentError(`${this.name}: expected update(yTrue, yPred, sampleWeight?). Received: no yPred`);
    assertLive(this.name, yTrue);
    assertLive(this.name, yPred);
    tidy(() => {
      const [t, p] = squeezeOrExpand(yTrue, yPred);
      this.updateValues(this.fn(t, p), sampleWeight);
    });
  }
}
