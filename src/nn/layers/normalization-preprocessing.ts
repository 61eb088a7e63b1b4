/**
 * Normalization (Keras 3 preprocessing layer): (x - mean) / max(sqrt(variance), 1e-7) per position of
 * the kept axes (or the inverse with `invert`), the mean and variance given at construction or
 * computed by `adapt` over a Tensor or an iterable of batches (a `dt.data.Dataset`).
 *
 * adapt's reduction order (the same for a Tensor and for the same values cut into batches along axis 0,
 * so both give the same bits): the values are read to the host as float32 and accumulated in float64 by
 * Welford's update, one value at a time in row-major order of the data (batch after batch): for each kept
 * position, n += 1; d = x - m; m += d / n; s += d * (x - m); at the end mean = f32(m), variance = f32(s / n)
 * (the population variance, as Keras's ops.var). Keras computes a Tensor's statistics with its backend's
 * float32 mean/var and a Dataset's with a running batch-weighted float32 update (new mean = old * (1 - w) +
 * batch mean * w, w = batch count / total count, with the lack-of-fit variance correction); ours is the
 * float64 value correctly rounded or nearly so, and may differ from Keras's in the last bits (more so on
 * large Datasets, where Keras's float32 running update accumulates rounding).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, ops, tidy } from '../../core/internal.ts';
import { Ones, Zeros } from '../initializers/constant.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, fmtSym } from '../layer.ts';

const fmt = (v: unknown): string => JSON.stringify(v) ?? String(v);

/** Keras's backend epsilon, the floor of the standard deviation. */
const EPSILON = 1e-7;

/** Nested arrays of numbers (a mean or variance of any rank). */
export type NestedNumbers = number | readonly NestedNumbers[];

/** Options of {@link Normalization}. */
export interface NormalizationConfig extends LayerConfig {
  /**
   * The axis or axes that keep a separate mean and variance (default -1, the features); null: one mean and variance
   * over everything. The batch axis cannot be kept.
   */
  axis?: number | readonly number[] | null;
  /** The mean to use instead of adapting (with `variance`): a number or nested arrays aligned to the kept axes from the right. */
  mean?: NestedNumbers;
  /** The variance to use instead of adapting (with `mean`), of mean's shape. */
  variance?: NestedNumbers;
  /** Undo the normalization instead: mean + x * max(sqrt(variance), 1e-7) (default false). */
  invert?: boolean;
}

/** A batch source for {@link Normalization.adapt}: the elements are batches, a Tensor or an [x, ...] tuple. */
export type AdaptData = Tensor | AsyncIterable<unknown> | Iterable<unknown>;

function isTensor(v: unknown): v is Tensor {
  return v !== null && typeof v === 'object' && 'shape' in v && 'dtype' in v && typeof (v as Tensor).data === 'function';
}

function shapeOf(v: NestedNumbers): number[] {
  const out: number[] = [];
  let level: NestedNumbers = v;
  while (Array.isArray(level)) {
    out.push(level.length);
    level = (level as readonly NestedNumbers[])[0];
  }
  return out;
}

/**
 * Normalizes continuous features, Keras 3 `Normalization(axis=-1, mean=None, variance=None, invert=False)`:
 * (x - mean) / max(sqrt(variance), 1e-7), with a mean and variance per position of the kept axes. Give `mean` and
 * `variance`, or call `await layer.adapt(data)` before use: it builds the layer and stores the data's statistics in
 * the non-trainable weights `mean`, `variance` (of the kept axes' shape) and `count` (int32, kept at 0 as in Keras,
 * where it exists for old saved models). See the module notes for adapt's exact order of accumulation.
 * @throws {@link ArgumentError} for a bad axis, mean/variance given alone or of different shapes; {@link ShapeError}
 * for an input whose kept axes are unknown or out of range.
 */
export class Normalization extends Layer {
  /** The kept axes as given (null: none). */
  readonly axis: readonly number[];
  /** Whether the layer undoes the normalization. */
  readonly invert: boolean;
  private readonly inputMean?: NestedNumbers;
  private readonly inputVariance?: NestedNumbers;
  private keepAxes: number[] = [];
  private broadcastShape: number[] = [];
  private adaptMean?: Variable;
  private adaptVariance?: Variable;

  /** @param config axis, mean, variance, invert, name, inputShape */
  constructor(config: NormalizationConfig = {}) {
    super(config, ['axis', 'mean', 'variance', 'invert']);
    const axis = config.axis === undefined ? [-1] : config.axis === null ? [] : typeof config.axis === 'number' ? [config.axis] : config.axis;
    if (!Array.isArray(axis) || !axis.every((a) => Number.isSafeInteger(a)) || new Set(axis).size !== axis.length) {
      throw new ArgumentError(`Normalization: expected axis to be an integer, an array of distinct integers or null. Received: axis=${fmt(config.axis)}`);
    }
    this.axis = [...axis];
    if (config.invert !== undefined && typeof config.invert !== 'boolean') {
      throw new ArgumentError(`Normalization: expected invert to be a boolean. Received: invert=${fmt(config.invert)}`);
    }
    this.invert = config.invert ?? false;
    if ((config.mean === undefined) !== (config.variance === undefined)) {
      throw new ArgumentError(`Normalization: expected both mean and variance, or neither. Received: mean=${fmt(config.mean)}, variance=${fmt(config.variance)}`);
    }
    if (config.mean !== undefined && config.variance !== undefined) {
      const ms = shapeOf(config.mean);
      const vs = shapeOf(config.variance);
      if (fmt(ms) !== fmt(vs)) throw new ArgumentError(`Normalization: expected mean and variance of the same shape. Received: mean shape ${fmt(ms)}, variance shape ${fmt(vs)}`);
      if (ms.length > this.axis.length) throw new ArgumentError(`Normalization: expected a mean of rank <= the number of kept axes (${this.axis.length}). Received: mean shape ${fmt(ms)}, axis=${fmt(config.axis ?? -1)}`);
      const flat = [config.mean, config.variance].flat(Infinity as 1) as unknown[];
      if (!flat.every((v) => typeof v === 'number' && Number.isFinite(v))) throw new ArgumentError('Normalization: expected mean and variance of finite numbers. Received: a non-finite or non-number entry');
      this.inputMean = config.mean;
      this.inputVariance = config.variance;
    }
  }

  /** The mean and variance, the non-trainable weights after build when adapting (undefined when given at construction). */
  get mean(): Variable | undefined {
    return this.adaptMean;
  }

  /** See {@link Normalization.mean}. */
  get variance(): Variable | undefined {
    return this.adaptVariance;
  }

  protected override checkInput(shape: SymbolicShape): void {
    const nd = shape.length;
    for (const a of this.axis) {
      if (a < -nd || a >= nd) throw new ShapeError(`${this.label}: expected every axis in [-${nd}, ${nd}) for an input of rank ${nd}. Received: axis=${fmt(this.axis)}, input shape ${fmtSym(shape)}`);
      const d = a < 0 ? a + nd : a;
      if (d === 0) throw new ShapeError(`${this.label}: expected kept axes of known size; axis 0 is the batch axis. Received: axis=${fmt(this.axis)}, input shape ${fmtSym(shape)}`);
      if (shape[d] === null) throw new ShapeError(`${this.label}: expected kept axes of known size. Received: axis=${fmt(this.axis)}, input shape ${fmtSym(shape)}`);
    }
  }

  protected override build(shape: SymbolicShape): void {
    const nd = shape.length;
    this.keepAxes = this.axis.map((a) => (a < 0 ? a + nd : a)).sort((a, b) => a - b);
    this.broadcastShape = shape.map((d, i) => (this.keepAxes.includes(i) ? (d as number) : 1));
    const kept = this.keepAxes.map((a) => shape[a] as number);
    if (this.inputMean === undefined) {
      this.adaptMean = this.addWeight('mean', kept, new Zeros(), false);
      this.adaptVariance = this.addWeight('variance', kept, new Ones(), false);
      this.addWeight('count', [], new Zeros(), false, 'int32');
    } else {
      // Keras: the given mean's dims are aligned to the kept axes from the right; it must broadcast to them.
      const ms = shapeOf(this.inputMean);
      const expanded = new Array<number>(nd).fill(1);
      for (let i = 1; i <= ms.length; i++) expanded[this.keepAxes[this.keepAxes.length - i]] = ms[ms.length - i];
      if (expanded.some((d, i) => d !== 1 && d !== this.broadcastShape[i])) {
        throw new ShapeError(`${this.label}: expected a mean of a shape that broadcasts to the kept axes ${fmt(kept)}. Received: mean shape ${fmt(ms)}`);
      }
    }
  }

  computeOutputShape(shape: SymbolicShape): (number | null)[] {
    return [...shape];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return tidy(() => {
      const nd = x.rank;
      let mean: Tensor;
      let variance: Tensor;
      if (this.adaptMean && this.adaptVariance) {
        mean = ops.reshape(this.adaptMean, this.broadcastShape);
        variance = ops.reshape(this.adaptVariance, this.broadcastShape);
      } else {
        const ms = shapeOf(this.inputMean!);
        const expanded = new Array<number>(nd).fill(1);
        for (let i = 1; i <= ms.length; i++) expanded[this.keepAxes[this.keepAxes.length - i]] = ms[ms.length - i];
        mean = ops.reshape(ops.tensor(this.inputMean as number), expanded);
        variance = ops.reshape(ops.tensor(this.inputVariance as number), expanded);
      }
      const xf = x.dtype === 'float32' ? x : ops.cast(x, 'float32');
      const std = ops.maximum(ops.sqrt(variance), EPSILON);
      return this.invert ? ops.add(mean, ops.mul(xf, std)) : ops.div(ops.sub(xf, mean), std);
    });
  }

  /**
   * Computes the mean and variance of `data` per position of the kept axes and stores them in the layer's `mean` and
   * `variance` weights (building the layer from the data's shape if needed), Keras `adapt`. `data` is a Tensor
   * [N, ...] or an (async) iterable of batches such as a `dt.data.Dataset`: each element a Tensor [B, ...] or a
   * tuple whose first entry is one (labels are ignored); a rank-1 element is one sample. Elements an iterable yields
   * are disposed here; a Tensor passed in is not. Asynchronous because it reads the values (`await`).
   * @throws {@link ArgumentError} when mean and variance were given at construction, for empty data or a bad element;
   * {@link ShapeError} for batches whose shape does not match.
   */
  async adapt(data: AdaptData): Promise<void> {
    if (this.inputMean !== undefined) throw new ArgumentError(`${this.label}.adapt: expected a layer without a given mean and variance (they are fixed). Received: adapt() on a layer built with mean and variance`);
    const acc = new WelfordAccumulator();
    if (isTensor(data)) {
      await this.accumulate(acc, data);
    } else if (data !== null && typeof data === 'object' && (Symbol.asyncIterator in data || Symbol.iterator in data)) {
      for await (const el of data as AsyncIterable<unknown>) {
        const x = isTensor(el) ? el : Array.isArray(el) && isTensor(el[0]) ? el[0] : undefined;
        try {
          if (!x) throw new ArgumentError(`${this.label}.adapt: expected batches that are Tensors or [x, ...] tuples of Tensors. Received: ${el === null ? 'null' : typeof el}`);
          await this.accumulate(acc, x.rank === 1 ? undefined : x, x.rank === 1 ? x : undefined);
        } finally {
          for (const t of isTensor(el) ? [el] : Array.isArray(el) ? el.filter(isTensor) : []) t.dispose();
        }
      }
    } else {
      throw new ArgumentError(`${this.label}.adapt: expected a Tensor or an iterable of batches (a dt.data.Dataset). Received: ${data === null ? 'null' : typeof data}`);
    }
    if (acc.n === 0) throw new ArgumentError(`${this.label}.adapt: expected data with at least one sample. Received: no values`);
    const [mean, variance] = acc.result();
    tidy(() => {
      this.adaptMean!.assign(ops.tensor(Float32Array.from(mean), this.adaptMean!.shape));
      this.adaptVariance!.assign(ops.tensor(Float32Array.from(variance), this.adaptVariance!.shape));
    });
  }

  /** Adds one batch (x, or a single sample `one` of rank 1 as [1, d]) to the accumulator. */
  private async accumulate(acc: WelfordAccumulator, x?: Tensor, one?: Tensor): Promise<void> {
    const t = (x ?? one)!;
    const shape = x ? x.shape : [1, ...one!.shape];
    if (shape.length < 1) throw new ShapeError(`${this.label}.adapt: expected data of rank >= 1 (a batch axis first). Received: shape ()`);
    this.ensureBuilt([null, ...shape.slice(1)]);
    const values = await t.data();
    acc.add(values, shape, this.keepAxes);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis, invert: this.invert, mean: this.inputMean ?? null, variance: this.inputVariance ?? null };
  }
}

/** Welford's float64 running mean and sum of squared deviations per kept position, fed in row-major order. */
class WelfordAccumulator {
  n = 0;
  private m?: Float64Array;
  private s?: Float64Array;

  add(values: ArrayLike<number>, shape: readonly number[], keepAxes: readonly number[]): void {
    const sample = shape.slice(1).reduce((a, b) => a * b, 1);
    // kept position of each offset within one sample (the batch axis is never kept)
    const keptSize = keepAxes.reduce((a, ax) => a * shape[ax], 1);
    const pos = new Int32Array(sample);
    for (let j = 0; j < sample; j++) {
      let rem = j;
      let p = 0;
      let stride = 1;
      const idx = new Array<number>(shape.length).fill(0);
      for (let ax = shape.length - 1; ax >= 1; ax--) {
        idx[ax] = rem % shape[ax];
        rem = Math.floor(rem / shape[ax]);
      }
      for (let k = keepAxes.length - 1; k >= 0; k--) {
        p += idx[keepAxes[k]] * stride;
        stride *= shape[keepAxes[k]];
      }
      pos[j] = p;
    }
    this.m ??= new Float64Array(keptSize);
    this.s ??= new Float64Array(keptSize);
    const counts = this.counts ??= new Float64Array(keptSize);
    const m = this.m;
    const s = this.s;
    for (let i = 0; i < values.length; i++) {
      const k = pos[i % sample];
      const v = Math.fround(values[i]);
      const c = ++counts[k];
      const d = v - m[k];
      m[k] += d / c;
      s[k] += d * (v - m[k]);
    }
    if (values.length > 0) this.n += values.length / keptSize;
  }

  private counts?: Float64Array;

  result(): [Float64Array, Float64Array] {
    const counts = this.counts!;
    return [this.m!, this.s!.map((v, k) => v / counts[k])];
  }
}
