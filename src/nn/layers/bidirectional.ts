/**
 * Keras 3's Bidirectional wrapper: a forward and a backward copy of a recurrent layer over the same
 * sequence, their outputs merged. As in Keras, the forward layer is a copy of the given layer named
 * `forward_<name>` and the backward layer a copy named `backward_<name>` with goBackwards flipped
 * (or the given `backwardLayer`); both live under the wrapper's name, so the weights are
 * `bidirectional/forward_lstm/lstm_cell/kernel`, ... (Keras 3's variable paths), forward weights
 * first. The backward layer's sequence output is flipped along the time axis before merging.
 * Masks: the input's [N, T] mask goes to both layers (the backward one walks it from the last
 * timestep, with its sequence); with returnSequences both output zeros at masked timesteps (Keras
 * forces zero_output_for_mask to return_sequences on its layers).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, type Variable, checkOptions, ops } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type LayerMask, type SymbolicShape } from '../layer.ts';
import { RNN } from './rnn.ts';

/** How {@link Bidirectional} combines the two outputs (Keras `merge_mode`). */
export type BidirectionalMergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

/** Options of {@link Bidirectional}. */
export interface BidirectionalConfig extends LayerConfig {
  /** 'concat' (default: along the last axis, forward first), 'sum', 'mul', 'ave', or null (return both outputs as a list). */
  mergeMode?: BidirectionalMergeMode;
  /** The backward layer (used as given; its goBackwards must differ from the layer's, its returnSequences, returnState and stateful agree). Default: a copy of the layer with goBackwards flipped. */
  backwardLayer?: RNN;
}

const MERGE_MODES: readonly BidirectionalMergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

/**
 * Keras's Bidirectional: runs a recurrent layer forward and backward over [N, T, features] and merges the outputs.
 * With returnState (the wrapped layer's option) it returns `[output, ...forwardStates, ...backwardStates]` (with
 * mergeMode null: `[forwardOutput, backwardOutput, ...states]`). Initial states may be given as a list input
 * `[x, ...forwardStates, ...backwardStates]` (Keras splits `initial_state` in half the same way).
 * @throws {@link ArgumentError} for a layer that is not a recurrent layer, an unknown mergeMode or a backward layer
 * that does not match.
 */
export class Bidirectional extends Layer<Tensor | Tensor[], Tensor | Tensor[]> {
  protected override readonly inputKind = 'any' as const;
  /** The forward copy of the layer. */
  readonly forwardLayer: RNN;
  /** The backward layer. */
  readonly backwardLayer: RNN;
  /** How the outputs are merged. */
  readonly mergeMode: BidirectionalMergeMode;
  /** Takes masks (Keras `supports_masking`), passed to both layers. */
  override supportsMasking = true;

  /**
   * @param layer the recurrent layer to run both ways (SimpleRNN, LSTM, GRU or RNN): a template, copied
   * @param config mergeMode, backwardLayer, name
   */
  constructor(layer: RNN, config: BidirectionalConfig = {}) {
    super(config, ['mergeMode', 'backwardLayer']);
    if (!(layer instanceof RNN)) throw new ArgumentError(`Bidirectional: expected a recurrent layer (SimpleRNN, LSTM, GRU, RNN). Received: ${describe(layer)}`);
    const mode = config.mergeMode === undefined ? 'concat' : config.mergeMode;
    if (!MERGE_MODES.includes(mode)) {
      throw new ArgumentError(`Bidirectional: expected mergeMode one of 'concat', 'sum', 'mul', 'ave', null. Received: mergeMode=${JSON.stringify(config.mergeMode)}`);
    }
    this.mergeMode = mode;
    this.forwardLayer = layer.cloneWith({ name: `${this.name}/forward_${layer.name}` });
    const back = config.backwardLayer;
    if (back !== undefined) {
      if (!(back instanceof RNN)) throw new ArgumentError(`Bidirectional: expected backwardLayer to be a recurrent layer. Received: ${describe(back)}`);
      if (back.goBackwards === layer.goBackwards) {
        throw new ArgumentError(`Bidirectional: expected backwardLayer.goBackwards to differ from the layer's. Received: both goBackwards=${layer.goBackwards}`);
      }
      for (const key of ['returnSequences', 'returnState', 'stateful'] as const) {
        if (back[key] !== layer[key]) throw new ArgumentError(`Bidirectional: expected backwardLayer.${key} equal to the layer's (${layer[key]}). Received: ${back[key]}`);
      }
      this.backwardLayer = back;
    } else {
      this.backwardLayer = layer.cloneWith({ name: `${this.name}/backward_${layer.name}`, goBackwards: !layer.goBackwards });
    }
    // Keras: zero_output_for_mask = return_sequences on both layers.
    this.forwardLayer.zeroMaskedOutputs = this.forwardLayer.returnSequences;
    this.backwardLayer.zeroMaskedOutputs = this.backwardLayer.returnSequences;
  }

  /**
   * The output's mask (Keras's Bidirectional.compute_mask): the input's mask with returnSequences (one per output
   * with mergeMode null), else none; the states have none.
   */
  override computeMask(_input: Tensor | Tensor[], previousMask: LayerMask): LayerMask {
    const m = Array.isArray(previousMask) ? previousMask[0] ?? null : previousMask;
    const out = this.forwardLayer.returnSequences ? m : null;
    const outs = this.mergeMode === null ? [out, out] : [out];
    const all = [...outs, ...(this.forwardLayer.returnState ? Array.from({ length: 2 * this.stateCount }, () => null) : [])];
    return all.length === 1 ? all[0] : all;
  }

  /** The two recurrent layers, forward first (their seed generators are checkpointed under these). */
  get layers(): RNN[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  override get trainableWeights(): Variable[] {
    return this.trainable ? [...this.forwardLayer.trainableWeights, ...this.backwardLayer.trainableWeights] : [];
  }

  override get nonTrainableWeights(): Variable[] {
    const all = [...this.forwardLayer.nonTrainableWeights, ...this.backwardLayer.nonTrainableWeights];
    return this.trainable ? all : [...this.forwardLayer.weights, ...this.backwardLayer.weights];
  }

  override get weights(): Variable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  /** The number of states of one direction. */
  private get stateCount(): number {
    return this.forwardLayer.cell.stateSize.length;
  }

  /** The input for one direction: the sequence, or [sequence, ...its half of the initial states]. */
  private half<T>(input: T | T[], dir: 0 | 1): T | T[] {
    // A list of tensors or of shapes (a single shape is an array of numbers and nulls).
    if (!Array.isArray(input) || input.length === 0 || input[0] === null || typeof input[0] !== 'object') return input;
    const [seq, ...init] = input;
    if (init.length === 0) return seq;
    if (init.length !== 2 * this.stateCount) {
      throw new ArgumentError(`${this.label}: expected ${2 * this.stateCount} initial states (forward then backward). Received: ${init.length}`);
    }
    return [seq, ...init.slice(dir * this.stateCount, (dir + 1) * this.stateCount)];
  }

  override ensureBuilt(shape: SymbolicShape | SymbolicShape[]): void {
    this.forwardLayer.ensureBuilt(this.half(shape as SymbolicShape[], 0) as SymbolicShape[]);
    this.backwardLayer.ensureBuilt(this.half(shape as SymbolicShape[], 1) as SymbolicShape[]);
    this.built = true;
  }

  computeOutputShape(shape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const f = this.forwardLayer.computeOutputShape(this.half(shape as SymbolicShape[], 0) as SymbolicShape[]);
    const [out, ...states] = this.forwardLayer.returnState ? (f as SymbolicShape[]) : [f as SymbolicShape];
    let merged: SymbolicShape[];
    if (this.mergeMode === null) merged = [out, out];
    else if (this.mergeMode === 'concat') merged = [[...out.slice(0, -1), out[out.length - 1]! * 2]];
    else merged = [out];
    const all = [...merged, ...states, ...states];
    return all.length === 1 ? all[0] : all;
  }

  call(input: Tensor | Tensor[], ctx: CallContext): Tensor | Tensor[] {
    checkOptions(`${this.label}.apply`, ctx, ['training', 'mask']);
    const rs = this.forwardLayer.returnState;
    // The sequence's mask only (initial states have none); each layer takes it as its own input's.
    const mask = Array.isArray(ctx.mask) ? ctx.mask[0] ?? null : ctx.mask ?? null;
    const inner: CallContext = mask ? { ...ctx, mask } : (({ mask: _m, ...rest }) => rest)(ctx);
    const f = this.forwardLayer.apply(this.half(input, 0), inner);
    const b = this.backwardLayer.apply(this.half(input, 1), inner);
    const [y, ...fStates] = rs ? (f as Tensor[]) : [f as Tensor];
    const [yb, ...bStates] = rs ? (b as Tensor[]) : [b as Tensor];
    let yr = yb;
    if (this.forwardLayer.returnSequences) {
      const steps = yb.shape[1];
      yr = ops.gather(yb, Array.from({ length: steps }, (_, k) => steps - 1 - k), 1);
      yb.dispose();
    }
    let out: Tensor[];
    switch (this.mergeMode) {
      case 'concat': out = [ops.concat([y, yr], -1)]; break;
      case 'sum': out = [ops.add(y, yr)]; break;
      case 'mul': out = [ops.mul(y, yr)]; break;
      case 'ave': {
        const s = ops.add(y, yr);
        out = [ops.div(s, 2)];
        s.dispose();
        break;
      }
      default: out = [y, yr];
    }
    if (this.mergeMode !== null) {
      y.dispose();
      yr.dispose();
    }
    const all = [...out, ...fStates, ...bStates];
    return all.length === 1 ? all[0] : all;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mergeMode: this.mergeMode, layer: this.forwardLayer.getConfig(), backwardLayer: this.backwardLayer.getConfig() };
  }

  override dispose(): void {
    this.forwardLayer.dispose();
    this.backwardLayer.dispose();
    super.dispose();
  }
}

/** A short description of a value for an error message. */
function describe(v: unknown): string {
  return v instanceof Layer ? `${v.constructor.name} '${v.name}'` : v === null ? 'null' : typeof v;
}
