/**
 * The recurrent layers of Keras 3: SimpleRNN, LSTM and GRU, each an {@link RNN} over its cell
 * (rnn-cells.ts) with the cell's options and the layer's (returnSequences, returnState,
 * goBackwards, stateful) in one options object, as Keras takes them. The cell is named
 * `<layer>/<cell>` (e.g. `lstm/lstm_cell`), so the weights are `lstm/lstm_cell/kernel`,
 * `lstm/lstm_cell/recurrent_kernel`, `lstm/lstm_cell/bias`: Keras 3's variable paths.
 * Part of src/nn: imports src/core only.
 */
import { type Tensor, checkOptions } from '../../core/internal.ts';
import { addActivityLoss } from '../layer-losses.ts';
import { type CallContext, LAYER_CONFIG_KEYS } from '../layer.ts';
import { type Regularizer, type RegularizerId, getRegularizer } from '../regularizers.ts';
import { uniqueName } from '../naming.ts';
import { GRUCell, type GRUCellConfig, LSTMCell, type LSTMCellConfig, type RNNCell, type RNNCellConfig, RNN_CELL_KEYS, SimpleRNNCell } from './rnn-cells.ts';
import { RNN, type RNNConfig, RNN_KEYS } from './rnn.ts';

/** The options of the recurrent layers that their cells do not take. */
export interface RecurrentLayerConfig extends RNNConfig {
  /** A penalty on the layer's outputs (every output, states included, as Keras applies it), added to the training loss; default none. */
  activityRegularizer?: RegularizerId | null;
}
/** Options of {@link SimpleRNN}. */
export interface SimpleRNNConfig extends RNNCellConfig, RecurrentLayerConfig {}
/** Options of {@link LSTM}. */
export interface LSTMConfig extends LSTMCellConfig, RecurrentLayerConfig {}
/** Options of {@link GRU}. */
export interface GRUConfig extends GRUCellConfig, RecurrentLayerConfig {}

/** The layer-only option keys besides {@link RNNConfig}'s. */
const LAYER_ONLY_KEYS: readonly string[] = ['activityRegularizer'];

/** The layer's options split into the cell's (named after the layer) and the layer's own. */
function cellConfig(config: RNNCellConfig & RecurrentLayerConfig, layerName: string, cellName: string): RNNCellConfig {
  const cell: Record<string, unknown> = { name: `${layerName}/${cellName}` };
  for (const [k, v] of Object.entries(config)) {
    if (!RNN_KEYS.includes(k) && !LAYER_ONLY_KEYS.includes(k) && k !== 'name' && k !== 'inputShape') cell[k] = v;
  }
  return cell as RNNCellConfig;
}

/** Builds the cell after the layer's name is known (Layer's constructor sets it). */
abstract class CellLayer extends RNN {
  /** The options the layer was made with (cell and layer options together). */
  readonly layerConfig: RNNCellConfig & RecurrentLayerConfig;
  private readonly activityRegularizer?: Regularizer;

  protected constructor(cell: RNNCell, config: RNNCellConfig & RecurrentLayerConfig, cellKeys: readonly string[]) {
    super(cell, config, [...cellKeys, ...LAYER_ONLY_KEYS]);
    this.layerConfig = { ...config };
    this.activityRegularizer = getRegularizer(this.constructor.name, config.activityRegularizer);
  }

  /** The recurrence (see {@link RNN.call}), then the activity penalty on every output. */
  override call(input: Tensor | Tensor[], ctx: CallContext): Tensor | Tensor[] {
    const out = super.call(input, ctx);
    for (const y of Array.isArray(out) ? out : [out]) addActivityLoss(this.activityRegularizer, y);
    return out;
  }

  /** A new, unbuilt layer of the same class with this one's options and `overrides`. */
  override cloneWith(overrides: RNNConfig & { name: string }): RNN {
    const Ctor = this.constructor as new (units: number, c: RNNCellConfig & RNNConfig) => RNN;
    return new Ctor(this.units, { ...this.layerConfig, ...overrides });
  }
}

/**
 * The layer's name (the config's, or Keras's default: the snake_case class name with a per-process counter), drawn
 * before the cell is made; unknown options are refused first, under the layer's name.
 */
function layerName(fn: string, keys: readonly string[], config: RNNCellConfig & RecurrentLayerConfig, base: string): string {
  checkOptions(fn, config, [...LAYER_CONFIG_KEYS, ...RNN_KEYS, ...LAYER_ONLY_KEYS, ...keys]);
  return config.name ?? uniqueName(base);
}

/**
 * Keras's SimpleRNN: `h_t = activation(x_t @ kernel + bias + h_{t-1} @ recurrent_kernel)` over the timesteps of
 * [N, T, features]. Defaults: activation tanh, kernel glorot_uniform, recurrent kernel orthogonal, bias zeros.
 */
export class SimpleRNN extends CellLayer {
  /**
   * @param units the output and state size
   * @param config the cell's options (activation, useBias, initializers, dropout, recurrentDropout, seed) and the
   * layer's (returnSequences, returnState, goBackwards, stateful, name)
   */
  constructor(units: number, config: SimpleRNNConfig = {}) {
    const name = layerName('SimpleRNN', RNN_CELL_KEYS, config, 'simple_rnn');
    super(new SimpleRNNCell(units, cellConfig(config, name, 'simple_rnn_cell')), { ...config, name }, RNN_CELL_KEYS);
  }
}

/**
 * Keras's LSTM (Hochreiter 1997) over [N, T, features], gates i, f, c, o (see {@link LSTMCell}). Defaults: activation
 * tanh, recurrentActivation sigmoid, unitForgetBias true, kernel glorot_uniform, recurrent kernel orthogonal. Two
 * states, h and c: with returnState the layer returns `[output, h, c]`.
 */
export class LSTM extends CellLayer {
  /**
   * @param units the output and state size
   * @param config the cell's options (activation, recurrentActivation, unitForgetBias, useBias, initializers, dropout,
   * recurrentDropout, seed) and the layer's (returnSequences, returnState, goBackwards, stateful, name)
   */
  constructor(units: number, config: LSTMConfig = {}) {
    const keys = [...RNN_CELL_KEYS, 'recurrentActivation', 'unitForgetBias'];
    const name = layerName('LSTM', keys, config, 'lstm');
    super(new LSTMCell(units, cellConfig(config, name, 'lstm_cell')), { ...config, name }, keys);
  }
}

/**
 * Keras's GRU (Cho et al. 2014) over [N, T, features], gates z, r, h (see {@link GRUCell}). Defaults: activation
 * tanh, recurrentActivation sigmoid, resetAfter true (bias [2, 3*units]), kernel glorot_uniform, recurrent kernel
 * orthogonal.
 */
export class GRU extends CellLayer {
  /**
   * @param units the output and state size
   * @param config the cell's options (activation, recurrentActivation, resetAfter, useBias, initializers, dropout,
   * recurrentDropout, seed) and the layer's (returnSequences, returnState, goBackwards, stateful, name)
   */
  constructor(units: number, config: GRUConfig = {}) {
    const keys = [...RNN_CELL_KEYS, 'recurrentActivation', 'resetAfter'];
    const name = layerName('GRU', keys, config, 'gru');
    super(new GRUCell(units, cellConfig(config, name, 'gru_cell')), { ...config, name }, keys);
  }
}
