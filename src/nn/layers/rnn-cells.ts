/**
 * The recurrent cells (Keras 3's keras/src/layers/rnn): SimpleRNNCell, LSTMCell, GRUCell and their
 * base RNNCell. A cell computes one timestep; the RNN layer (rnn.ts) runs it over a sequence.
 * Weights and gate order are Keras's, so they move to and from Keras unchanged:
 *   kernel [inputDim, G*units], recurrent_kernel [units, G*units], bias [G*units]
 *   (GRU with resetAfter: [2, 3*units], row 0 the input bias, row 1 the recurrent bias);
 *   gates LSTM i, f, c, o (G = 4), GRU z, r, h (G = 3), SimpleRNN G = 1.
 * A step is split in two: `projectInputs(x, inputMasks)` = x @ kernel (+ the input bias where Keras
 * adds it before the recurrent term), and `step(xProj, states, recurrentMasks)` = the rest of
 * Keras's formula (quoted at each cell).
 * Dropout masks follow Keras's DropoutRNNCell: one input mask and one recurrent mask per call; with
 * recurrentDropout > 0 the LSTM and GRU switch to Keras's implementation 1, one mask per gate for
 * each (4 or 3 input masks, then as many recurrent masks, drawn in that order), each multiplying
 * the input (or previous output) of that gate's matmul. A gate's matmul over its own columns gives
 * the bits of the same columns of the full matmul (each element is its own sum).
 * determinism: each element of x @ kernel is S(x[n, k] * kernel[k, j], k = 0..inputDim-1) in the
 * engine's summation order (src/core/reduction-order.ts), a sum whose terms and order do not depend
 * on the number of rows, so projecting all timesteps in one [T*N, inputDim] matmul would give the
 * bits of T per-step [N, inputDim] matmuls (rnn.ts says why the layer projects per step). The
 * additions follow Keras's order (comments at each cell).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, SeedGenerator, ShapeError, type Tensor, type Variable, ops, statelessDropout, tidy } from '../../core/internal.ts';
import { type ActivationFn, getActivation } from '../activations.ts';
import { type ConstraintId, getConstraint } from '../constraints.ts';
import { type InitializerId, resolveInitializer } from '../initializers/index.ts';
import { attachWeightOptions } from '../layer-losses.ts';
import { type RegularizerId, getRegularizer } from '../regularizers.ts';
import { type CallContext, Layer, type LayerConfig, type SymbolicShape, type WeightInitializer, fmtShapes } from '../layer.ts';

/** Options of every recurrent cell and layer (Keras's keyword arguments, camelCase). */
export interface RNNCellConfig extends LayerConfig {
  /** The activation by Keras name; default 'tanh' (null: linear). */
  activation?: string | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** The kernel's initializer; default 'glorot_uniform'. */
  kernelInitializer?: InitializerId;
  /** The recurrent kernel's initializer; default 'orthogonal'. */
  recurrentInitializer?: InitializerId;
  /** The bias's initializer; default 'zeros'. */
  biasInitializer?: InitializerId;
  /** Fraction of the input units to drop in training, in [0, 1] (default 0). One mask per call, fixed across timesteps. */
  dropout?: number;
  /** Fraction of the recurrent state's units to drop in training, in [0, 1] (default 0). One mask per call, fixed across timesteps. */
  recurrentDropout?: number;
  /** Integer seed of the cell's own SeedGenerator (used when a dropout is set); default: drawn from the global seed. */
  seed?: number;
  /** A penalty on the kernel added to the training loss (a regularizer or a name such as 'l2'); default none. */
  kernelRegularizer?: RegularizerId | null;
  /** A penalty on the recurrent kernel; default none. */
  recurrentRegularizer?: RegularizerId | null;
  /** A penalty on the bias; default none. */
  biasRegularizer?: RegularizerId | null;
  /** A projection applied to the kernel after each optimizer update (a constraint or a name such as 'max_norm'); default none. */
  kernelConstraint?: ConstraintId | null;
  /** A projection applied to the recurrent kernel after each optimizer update; default none. */
  recurrentConstraint?: ConstraintId | null;
  /** A projection applied to the bias after each optimizer update; default none. */
  biasConstraint?: ConstraintId | null;
}

/** Options of {@link LSTMCell} and {@link LSTM}. */
export interface LSTMCellConfig extends RNNCellConfig {
  /** The gates' activation by Keras name; default 'sigmoid'. */
  recurrentActivation?: string | null;
  /** Add 1 to the forget gate's bias at initialization (default true; Keras: the rest of the bias comes from biasInitializer). */
  unitForgetBias?: boolean;
}

/** Options of {@link GRUCell} and {@link GRU}. */
export interface GRUCellConfig extends RNNCellConfig {
  /** The gates' activation by Keras name; default 'sigmoid'. */
  recurrentActivation?: string | null;
  /** Apply the reset gate after the recurrent matmul (default true, cuDNN-compatible; bias [2, 3*units]). */
  resetAfter?: boolean;
}

/** A cell's bias: its shape and initializer. */
export interface BiasSpec {
  /** The bias's shape. */
  shape: number[];
  /** Its initializer. */
  init: WeightInitializer;
}

/** The dropout masks of one call of a recurrent layer (null: no dropout); one per gate, or one for all gates. */
export interface DropoutMasks {
  /** Multiply each timestep's inputs [N, features] before the kernel's matmul (the same at every timestep). */
  input: Tensor[] | null;
  /** Multiply the previous output [N, units] before the recurrent matmul (the same at every timestep). */
  recurrent: Tensor[] | null;
}

/** The option keys of {@link RNNCellConfig}. */
export const RNN_CELL_KEYS: readonly string[] = [
  'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'dropout', 'recurrentDropout', 'seed',
  'kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint',
];

/**
 * The base of the recurrent cells (Keras's RNN cell protocol): `apply([x, ...states])` computes one timestep and
 * returns `[output, ...newStates]` (Keras returns `(output, newStates)`; here one flat list). x is [N, inputDim], each
 * state [N, units]. Subclasses give the gate count and the two halves of the step ({@link RNNCell.projectInputs},
 * {@link RNNCell.step}); the recurrent layers run the same two halves over a sequence.
 */
export abstract class RNNCell extends Layer<Tensor[], Tensor[]> {
  protected override readonly inputKind = 'list' as const;
  /** The number of units (the output and state size). */
  readonly units: number;
  /** The activation's Keras name ('linear' when none). */
  readonly activationName: string;
  /** Whether the cell has a bias. */
  readonly useBias: boolean;
  /** The input dropout rate. */
  readonly dropout: number;
  /** The recurrent dropout rate. */
  readonly recurrentDropout: number;
  /** The cell's seed generator for its dropout masks (absent when both rates are 0); its state is saved in checkpoints. */
  readonly seedGenerator?: SeedGenerator;
  /** The options the cell was made with (to make a copy, as Bidirectional does). */
  readonly config: RNNCellConfig;
  /** The number of gates G (1, 3 or 4): the kernels are [., G*units]. */
  abstract readonly gates: number;
  /** The sizes of the states (Keras `state_size`): [units], or [units, units] for the LSTM (h, c). */
  abstract readonly stateSize: readonly number[];
  /** The activation function. */
  protected readonly activation: ActivationFn;
  /** The kernel's initializer. */
  protected readonly kernelInit: WeightInitializer;
  /** The recurrent kernel's initializer. */
  protected readonly recurrentInit: WeightInitializer;
  /** The bias's initializer. */
  protected readonly biasInit: WeightInitializer;
  /** The kernel [inputDim, G*units], once built. */
  kernel?: Variable;
  /** The recurrent kernel [units, G*units], once built. */
  recurrentKernel?: Variable;
  /** The bias, once built (when useBias). */
  bias?: Variable;

  protected constructor(units: number, config: RNNCellConfig, extraKeys: readonly string[]) {
    super(config, [...RNN_CELL_KEYS, ...extraKeys]);
    const fn = new.target.name;
    if (!Number.isSafeInteger(units) || units <= 0) throw new ArgumentError(`${fn}: expected units to be a positive integer. Received: units=${units}`);
    for (const key of ['dropout', 'recurrentDropout'] as const) {
      const r = config[key];
      if (r !== undefined && (typeof r !== 'number' || !(r >= 0 && r <= 1))) throw new ArgumentError(`${fn}: expected ${key} in [0, 1]. Received: ${key}=${r}`);
    }
    if (config.seed !== undefined && !Number.isSafeInteger(config.seed)) throw new ArgumentError(`${fn}: expected an integer seed. Received: seed=${config.seed}`);
    this.config = { ...config };
    this.units = units;
    this.activationName = config.activation === undefined ? 'tanh' : config.activation ?? 'linear';
    this.activation = getActivation(fn, config.activation === undefined ? 'tanh' : config.activation);
    this.useBias = config.useBias ?? true;
    this.dropout = config.dropout ?? 0;
    this.recurrentDropout = config.recurrentDropout ?? 0;
    this.kernelInit = resolveInitializer(fn, config.kernelInitializer ?? 'glorot_uniform');
    this.recurrentInit = resolveInitializer(fn, config.recurrentInitializer ?? 'orthogonal');
    this.biasInit = resolveInitializer(fn, config.biasInitializer ?? 'zeros');
    if (this.dropout > 0 || this.recurrentDropout > 0) this.seedGenerator = new SeedGenerator(config.seed);
    // Resolved now, so a bad name fails at construction.
    this.weightOptions = (['kernel', 'recurrent', 'bias'] as const).map((w) => ({
      regularizer: getRegularizer(fn, config[`${w}Regularizer`]),
      constraint: getConstraint(fn, config[`${w}Constraint`]),
    }));
  }

  /** The regularizer and constraint of the kernel, the recurrent kernel and the bias, in that order. */
  private readonly weightOptions: { regularizer?: ReturnType<typeof getRegularizer>; constraint?: ReturnType<typeof getConstraint> }[];

  /** The bias's shape and initializer (Keras's; the LSTM and GRU differ). */
  protected biasSpec(): BiasSpec {
    return { shape: [this.gates * this.units], init: this.biasInit };
  }

  protected override checkInput(shapes: SymbolicShape[]): void {
    const want = 1 + this.stateSize.length;
    const bad = shapes.length !== want || shapes[0].length !== 2 || shapes.slice(1).some((s, i) => s.length !== 2 || (s[1] !== null && s[1] !== this.stateSize[i]));
    if (bad) {
      const states = this.stateSize.map((s) => `(N, ${s})`).join(', ');
      throw new ShapeError(`${this.label}: expected [inputs (N, features), ${states}]. Received: shapes ${fmtShapes(shapes)}`);
    }
    if (this.kernel && shapes[0][1] !== this.kernel.shape[0]) {
      throw new ShapeError(`${this.label}: expected inputs with ${this.kernel.shape[0]} features. Received: shapes ${fmtShapes(shapes)}`);
    }
  }

  protected override build(shapes: SymbolicShape[]): void {
    const inDim = shapes[0][1];
    if (inDim === null) throw new ShapeError(`${this.label}: expected a known feature dimension. Received: shapes ${fmtShapes(shapes)}`);
    const gu = this.gates * this.units;
    this.kernel = this.addWeight('kernel', [inDim, gu], this.kernelInit);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, gu], this.recurrentInit);
    if (this.useBias) {
      const { shape, init } = this.biasSpec();
      this.bias = this.addWeight('bias', shape, init);
    }
    [this.kernel, this.recurrentKernel, this.bias].forEach((v, i) => {
      if (v) attachWeightOptions(v, this.weightOptions[i].regularizer, this.weightOptions[i].constraint);
    });
  }

  computeOutputShape(shapes: SymbolicShape[]): SymbolicShape[] {
    const n = shapes[0][0];
    return [[n, this.units], ...this.stateSize.map((s) => [n, s])];
  }

  /**
   * x @ kernel, plus the input bias where Keras adds it before the recurrent term: [M, inputDim] -> [M, G*units];
   * `masks` (dropout, [M, inputDim] each: one, or one per gate) multiply x first.
   */
  abstract projectInputs(x: Tensor, masks: readonly Tensor[] | null): Tensor;

  /**
   * One timestep from the projected input `xProj` [N, G*units] and the previous states; `recurrentMasks` ([N, units]
   * each: one, or one per gate; or null) multiply the previous output before the recurrent matmul. Returns the new
   * states (the output is the first).
   */
  abstract step(xProj: Tensor, states: readonly Tensor[], recurrentMasks: readonly Tensor[] | null): Tensor[];

  /** How many masks of each kind a call draws: one per gate with recurrent dropout (Keras's implementation 1), else one. */
  get maskCount(): number {
    return this.recurrentDropout > 0 ? this.gates : 1;
  }

  /**
   * The dropout masks of one call (Keras's DropoutRNNCell: `dropout(ones_like(...))` drawn from the cell's seed
   * generator, the input masks first): null where the rate is 0 or not in training.
   */
  dropoutMasks(batch: number, features: number, training: boolean): DropoutMasks {
    const draw = (shape: readonly number[], rate: number) => (training && rate > 0
      ? tidy(() => Array.from({ length: this.maskCount }, () => statelessDropout(ops.ones(shape), rate, this.seedGenerator!.next() as [number, number])))
      : null);
    const input = draw([batch, features], this.dropout);
    const recurrent = draw([batch, this.units], this.recurrentDropout);
    return { input, recurrent };
  }

  /** Zero states for a batch of `batch` (Keras `get_initial_state`). */
  getInitialState(batch: number): Tensor[] {
    return this.stateSize.map((s) => ops.zeros([batch, s]));
  }

  /** One timestep on `[x, ...states]`; returns `[output, ...newStates]`. In training the dropout masks are drawn on each call. */
  call(xs: Tensor[], ctx: CallContext): Tensor[] {
    const [x, ...states] = xs;
    return tidy(() => {
      const { input, recurrent } = this.dropoutMasks(x.shape[0], x.shape[1], ctx.training ?? false);
      const proj = this.projectInputs(x, input);
      const next = this.step(proj, states, recurrent);
      return [ops.clone(next[0]), ...next];
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), units: this.units, activation: this.activationName, useBias: this.useBias,
      dropout: this.dropout, recurrentDropout: this.recurrentDropout, seed: this.config.seed ?? null,
    };
  }
}

/** Columns [g*units, (g+1)*units) of a [N, G*units] tensor: gate g. */
function gate(z: Tensor, g: number, units: number): Tensor {
  return ops.slice(z, [0, g * units], [z.shape[0], units]);
}

/**
 * v @ w [K, G*units] with dropout masks: none, one (v * m) @ w, or one per gate: gate g's columns are
 * (v * m_g) @ w[:, g*units:(g+1)*units] (Keras's implementation 1), concatenated.
 */
function maskedMatmul(v: Tensor, masks: readonly Tensor[] | null, w: Tensor, units: number): Tensor {
  if (!masks) return ops.matmul(v, w);
  if (masks.length === 1) return ops.matmul(ops.mul(v, masks[0]), w);
  const k = w.shape[0];
  return ops.concat(masks.map((m, g) => ops.matmul(ops.mul(v, m), ops.slice(w, [0, g * units], [k, units]))), 1);
}

/**
 * Keras's SimpleRNNCell: `h = x @ kernel; h += bias; output = activation(h + prev @ recurrent_kernel)`.
 * One state (the output), weights kernel [in, units], recurrent_kernel [units, units], bias [units].
 */
export class SimpleRNNCell extends RNNCell {
  /** One gate. */
  readonly gates: number = 1;
  /** [units]. */
  readonly stateSize: readonly number[];

  /**
   * @param units the output and state size
   * @param config activation (default tanh), useBias, initializers, dropout, recurrentDropout, seed, name
   */
  constructor(units: number, config: RNNCellConfig = {}) {
    super(units, config, []);
    this.stateSize = [units];
  }

  projectInputs(x: Tensor, masks: readonly Tensor[] | null): Tensor {
    const h = maskedMatmul(x, masks, this.kernel!, this.units);
    return this.bias ? ops.add(h, this.bias) : h;
  }

  step(xProj: Tensor, states: readonly Tensor[], recurrentMasks: readonly Tensor[] | null): Tensor[] {
    return [this.activation(ops.add(xProj, maskedMatmul(states[0], recurrentMasks, this.recurrentKernel!, this.units)))];
  }
}

/**
 * Keras's LSTMCell (implementation 2): `z = x @ kernel; z += h @ recurrent_kernel; z += bias;
 * i = ra(z_i); f = ra(z_f); c = f * c_prev + i * a(z_c); o = ra(z_o); h = o * a(c)`, gates i, f, c, o.
 * States [h, c]; weights kernel [in, 4*units], recurrent_kernel [units, 4*units], bias [4*units] (with
 * unitForgetBias, initialized as [biasInit(units), ones(units), biasInit(2*units)] as Keras does).
 */
export class LSTMCell extends RNNCell {
  /** Four gates, i, f, c, o. */
  readonly gates: number = 4;
  /** Two states of `units` each: h and c. */
  readonly stateSize: readonly number[];
  /** The gates' activation's Keras name. */
  readonly recurrentActivationName: string;
  /** Whether the forget gate's bias starts at 1. */
  readonly unitForgetBias: boolean;
  private readonly recurrentActivation: ActivationFn;

  /**
   * @param units the output and state size
   * @param config activation (tanh), recurrentActivation (sigmoid), unitForgetBias (true), useBias, initializers,
   * dropout, recurrentDropout, seed, name
   */
  constructor(units: number, config: LSTMCellConfig = {}) {
    super(units, config, ['recurrentActivation', 'unitForgetBias']);
    this.stateSize = [units, units];
    this.recurrentActivationName = config.recurrentActivation === undefined ? 'sigmoid' : config.recurrentActivation ?? 'linear';
    this.recurrentActivation = getActivation('LSTMCell', config.recurrentActivation === undefined ? 'sigmoid' : config.recurrentActivation);
    this.unitForgetBias = config.unitForgetBias ?? true;
  }

  protected override biasSpec(): BiasSpec {
    const u = this.units;
    if (!this.unitForgetBias) return super.biasSpec();
    const init = this.biasInit;
    return { shape: [4 * u], init: { apply: () => tidy(() => ops.concat([init.apply([u]), ops.ones([u]), init.apply([2 * u])], 0)) } };
  }

  projectInputs(x: Tensor, masks: readonly Tensor[] | null): Tensor {
    return maskedMatmul(x, masks, this.kernel!, this.units);
  }

  step(xProj: Tensor, states: readonly Tensor[], recurrentMasks: readonly Tensor[] | null): Tensor[] {
    const [h, c] = states;
    const u = this.units;
    let z = ops.add(xProj, maskedMatmul(h, recurrentMasks, this.recurrentKernel!, u));
    if (this.bias) z = ops.add(z, this.bias);
    const i = this.recurrentActivation(gate(z, 0, u));
    const f = this.recurrentActivation(gate(z, 1, u));
    const c2 = ops.add(ops.mul(f, c), ops.mul(i, this.activation(gate(z, 2, u))));
    const o = this.recurrentActivation(gate(z, 3, u));
    return [ops.mul(o, this.activation(c2)), c2];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivationName, unitForgetBias: this.unitForgetBias };
  }
}

/**
 * Keras's GRUCell (implementation 2). With resetAfter (default): `mx = x @ kernel + input_bias;
 * mi = h @ recurrent_kernel + recurrent_bias; z = ra(mx_z + mi_z); r = ra(mx_r + mi_r);
 * hh = a(mx_h + r * mi_h); h' = z * h + (1 - z) * hh`, bias [2, 3*units] (row 0 input, row 1 recurrent).
 * Without: `mi = h @ recurrent_kernel[:, :2u]`, `hh = a(mx_h + (r * h) @ recurrent_kernel[:, 2u:])`, bias [3*units].
 * Gates z, r, h.
 */
export class GRUCell extends RNNCell {
  /** Three gates, z, r, h. */
  readonly gates: number = 3;
  /** [units]. */
  readonly stateSize: readonly number[];
  /** The gates' activation's Keras name. */
  readonly recurrentActivationName: string;
  /** Whether the reset gate is applied after the recurrent matmul. */
  readonly resetAfter: boolean;
  private readonly recurrentActivation: ActivationFn;

  /**
   * @param units the output and state size
   * @param config activation (tanh), recurrentActivation (sigmoid), resetAfter (true), useBias, initializers,
   * dropout, recurrentDropout, seed, name
   */
  constructor(units: number, config: GRUCellConfig = {}) {
    super(units, config, ['recurrentActivation', 'resetAfter']);
    this.stateSize = [units];
    this.recurrentActivationName = config.recurrentActivation === undefined ? 'sigmoid' : config.recurrentActivation ?? 'linear';
    this.recurrentActivation = getActivation('GRUCell', config.recurrentActivation === undefined ? 'sigmoid' : config.recurrentActivation);
    this.resetAfter = config.resetAfter ?? true;
  }

  protected override biasSpec(): BiasSpec {
    return this.resetAfter ? { shape: [2, 3 * this.units], init: this.biasInit } : super.biasSpec();
  }

  /** Row `row` of the [2, 3u] bias (resetAfter), or the whole [3u] bias. */
  private biasRow(row: number): Tensor {
    const b = this.bias!;
    return this.resetAfter ? ops.reshape(ops.slice(b, [row, 0], [1, 3 * this.units]), [3 * this.units]) : b;
  }

  projectInputs(x: Tensor, masks: readonly Tensor[] | null): Tensor {
    const mx = maskedMatmul(x, masks, this.kernel!, this.units);
    return this.bias ? ops.add(mx, this.biasRow(0)) : mx;
  }

  step(xProj: Tensor, states: readonly Tensor[], recurrentMasks: readonly Tensor[] | null): Tensor[] {
    const [h] = states;
    const u = this.units;
    const rk = this.recurrentKernel!;
    let z: Tensor;
    let hh: Tensor;
    if (this.resetAfter) {
      let mi = maskedMatmul(h, recurrentMasks, rk, u);
      if (this.bias) mi = ops.add(mi, this.biasRow(1));
      z = this.recurrentActivation(ops.add(gate(xProj, 0, u), gate(mi, 0, u)));
      const r = this.recurrentActivation(ops.add(gate(xProj, 1, u), gate(mi, 1, u)));
      hh = this.activation(ops.add(gate(xProj, 2, u), ops.mul(r, gate(mi, 2, u))));
    } else {
      const mi = maskedMatmul(h, recurrentMasks && recurrentMasks.slice(0, 2), ops.slice(rk, [0, 0], [u, 2 * u]), u);
      const mh = recurrentMasks ? recurrentMasks[recurrentMasks.length - 1] : null;
      const hm = mh ? ops.mul(h, mh) : h;
      z = this.recurrentActivation(ops.add(gate(xProj, 0, u), gate(mi, 0, u)));
      const r = this.recurrentActivation(ops.add(gate(xProj, 1, u), gate(mi, 1, u)));
      hh = this.activation(ops.add(gate(xProj, 2, u), ops.matmul(ops.mul(r, hm), ops.slice(rk, [0, 2 * u], [u, u]))));
    }
    return [ops.add(ops.mul(z, h), ops.mul(ops.sub(1, z), hh))];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivationName, resetAfter: this.resetAfter };
  }
}
