/**
 * The recurrent layer base (Keras 3's keras.layers.RNN): runs a cell over the timesteps of a
 * [N, T, features] sequence, with returnSequences, returnState, goBackwards, stateful and initial
 * states given as a list input `[x, ...initialStates]`.
 * The recurrence: the dropout masks are drawn once per call and used at every timestep (input
 * masks [N, features], recurrent masks [N, units]; one per gate with recurrentDropout, Keras's
 * DropoutRNNCell and implementation 1: see rnn-cells.ts);
 * the sequence is made time-major once, and a loop over the timesteps projects each timestep's
 * input (x_t @ kernel) and runs the cell's step. Projecting all timesteps in one [T*N, F] matmul
 * gives the same forward bits (rnn-cells.ts) but was measured slower on the CPU backend: the
 * gradient of each per-timestep slice of the projection is a zero-padded [T*N, G*units] tensor,
 * T of them summed (O(T^2) memory traffic); an LSTM(64) training step on [256, 28, 28] took
 * ~600 ms of CPU time that way and ~350 ms with per-step projections, so the loop projects per step.
 * Every op is queued on the backend: no readback inside the loop, so on WebGPU the whole sequence
 * is dispatched without waiting. Backpropagation through time is the autograd tape's reverse order.
 * Stateful layers keep their last states as plain tensors (not weights, not in checkpoints: Keras 3
 * creates them untracked as well) until {@link RNN.resetStates}.
 * Masks (Keras's `mask` argument, `ctx.mask` [N, T], nonzero = keep): at a masked timestep the states
 * keep their previous values and the output repeats the previous output (zeros before the first
 * unmasked step), as Keras's backend `rnn` with zero_output_for_mask false; Bidirectional makes its
 * layers output zeros there with returnSequences, as Keras forces zero_output_for_mask. A layer
 * called without a mask runs no mask op (the same bits as before masks existed).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError, type Tensor, type Variable, assertLive, checkOptions, keep, noGrad, ops, tidy } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type LayerMask, type SymbolicShape, fmtShapes, fmtSym } from '../layer.ts';
import type { RNNCell, RNNCellConfig } from './rnn-cells.ts';

/** Options of {@link RNN} and the recurrent layers (Keras's keyword arguments, camelCase). */
export interface RNNConfig extends LayerConfig {
  /** Return the output of every timestep [N, T, units] instead of the last one [N, units] (default false). */
  returnSequences?: boolean;
  /** Also return the final states: the layer returns `[output, ...states]` (default false). */
  returnState?: boolean;
  /** Process the sequence from the last timestep to the first; with returnSequences the outputs are in that (reversed) order, as in Keras (default false). */
  goBackwards?: boolean;
  /**
   * Start each call from the previous call's final states (per sample index) instead of zeros (default false);
   * {@link RNN.resetStates} clears them. The batch size must stay the same between resets. The states are plain
   * tensors carried without gradient, not weights: they are not in `weights`, not saved by checkpoints or
   * `saveWeights` (Keras 3 creates them untracked as well), so a resumed run starts them from zeros.
   */
  stateful?: boolean;
}

/** The option keys of {@link RNNConfig}. */
export const RNN_KEYS: readonly string[] = ['returnSequences', 'returnState', 'goBackwards', 'stateful'];

/**
 * The recurrence of {@link RNN}: runs `cell` over `seq` [N, T, F] from `initial` states; `inputMasks` ([N, F] each)
 * and `recurrentMasks` ([N, units] each) are the dropout masks of the call, one or one per gate (or null), the same
 * at every timestep. `stepMask` gives, per timestep t (the sequence's own index, also when going backwards), a [N, 1]
 * uint8 (comparison) or 0/1 tensor: where it is false the previous states are kept and the output is the previous
 * output (zeros before any; Keras's rnn), or zeros with `zeroMaskedOutputs` (Keras's zero_output_for_mask).
 * Returns the outputs in processing order (when `allOutputs`), the last output and the final states.
 */
export function recurrence(cell: RNNCell, seq: Tensor, initial: readonly Tensor[], opts: {
  goBackwards: boolean; allOutputs: boolean; inputMasks: readonly Tensor[] | null; recurrentMasks: readonly Tensor[] | null; stepMask?: (t: number) => Tensor;
  zeroMaskedOutputs?: boolean;
}): { outputs: Tensor[]; last: Tensor; states: Tensor[] } {
  const [n, steps, features] = seq.shape;
  // Time-major [T*N, F]: timestep t is rows [t*N, (t+1)*N).
  const tm = ops.reshape(ops.transpose(seq, [1, 0, 2]), [steps * n, features]);
  let states = [...initial];
  const outputs: Tensor[] = [];
  let last: Tensor | null = null;
  for (let k = 0; k < steps; k++) {
    const t = opts.goBackwards ? steps - 1 - k : k;
    const xp = cell.projectInputs(ops.slice(tm, [t * n, 0], [n, features]), opts.inputMasks);
    let next = cell.step(xp, states, opts.recurrentMasks);
    if (opts.stepMask) {
      const m = opts.stepMask(t);
      const keepNew = m.dtype === 'uint8' ? m : ops.notEqual(m, 0);
      const out = next[0];
      last = ops.where(keepNew, out, opts.zeroMaskedOutputs || last === null ? ops.zerosLike(out) : last);
      next = next.map((s, i) => ops.where(keepNew, s, states[i]));
    } else last = next[0];
    states = next;
    if (opts.allOutputs) outputs.push(last);
  }
  return { outputs, last: last!, states };
}

/**
 * Keras's `RNN(cell)`: runs a recurrent cell over a sequence [N, T, features]. Call it on a tensor, or on a list
 * `[x, ...initialStates]` to start from given states (Keras's `initial_state` argument; the states are
 * [N, stateSize] each, in the cell's state order: [h] or, for the LSTM, [h, c]). Returns the last output [N, units]
 * (or every output [N, T, units] with returnSequences); with returnState, the list `[output, ...finalStates]`.
 * The layer's weights are its cell's.
 * @throws {@link ShapeError} for an input that is not [N, T, features] or initial states of the wrong number or shape.
 */
export class RNN extends Layer<Tensor | Tensor[], Tensor | Tensor[]> {
  protected override readonly inputKind = 'any' as const;
  /** The cell run at each timestep. */
  readonly cell: RNNCell;
  /** See {@link RNNConfig.returnSequences}. */
  readonly returnSequences: boolean;
  /** See {@link RNNConfig.returnState}. */
  readonly returnState: boolean;
  /** See {@link RNNConfig.goBackwards}. */
  readonly goBackwards: boolean;
  /** See {@link RNNConfig.stateful}. */
  readonly stateful: boolean;
  /** The options the layer was made with. */
  readonly rnnConfig: RNNConfig;
  private keptStates: Tensor[] | null = null;
  /** Takes masks (Keras `supports_masking`): see {@link RNN.call} and {@link RNN.computeMask}. */
  override supportsMasking = true;
  /**
   * Whether masked timesteps output zeros instead of the previous output (Keras's zero_output_for_mask): set by
   * {@link Bidirectional} to returnSequences on its layers, as Keras does; false otherwise.
   */
  zeroMaskedOutputs = false;

  /**
   * @param cell the cell (SimpleRNNCell, LSTMCell, GRUCell or a user subclass of RNNCell)
   * @param config returnSequences, returnState, goBackwards, stateful, name
   */
  constructor(cell: RNNCell, config: RNNConfig = {}, ownKeys: readonly string[] = []) {
    super(config, [...RNN_KEYS, ...ownKeys]);
    const fn = new.target.name;
    if (!(cell instanceof Layer) || typeof (cell as RNNCell).step !== 'function') {
      throw new ArgumentError(`${fn}: expected an RNNCell (SimpleRNNCell, LSTMCell, GRUCell). Received: ${typeof cell}`);
    }
    for (const key of RNN_KEYS) {
      const v = (config as Record<string, unknown>)[key];
      if (v !== undefined && typeof v !== 'boolean') throw new ArgumentError(`${fn}: expected ${key} to be a boolean. Received: ${key}=${JSON.stringify(v)}`);
    }
    this.cell = cell;
    this.rnnConfig = { ...config };
    this.returnSequences = config.returnSequences ?? false;
    this.returnState = config.returnState ?? false;
    this.goBackwards = config.goBackwards ?? false;
    this.stateful = config.stateful ?? false;
  }

  /**
   * A new, unbuilt layer with this one's options and `overrides` (how {@link Bidirectional} makes its forward and
   * backward copies, as Keras does from the layer's config). The cell is a new one of the same class and options.
   */
  cloneWith(overrides: RNNConfig & { name: string }): RNN {
    const Cell = this.cell.constructor as new (units: number, c: RNNCellConfig) => RNNCell;
    const base = this.cell.name.slice(this.cell.name.lastIndexOf('/') + 1);
    const cell = new Cell(this.cell.units, { ...this.cell.config, name: `${overrides.name}/${base}` });
    return new RNN(cell, { ...this.rnnConfig, ...overrides });
  }

  /** The cell's seed generator (dropout masks), so checkpoints save its state. */
  get seedGenerator(): RNNCell['seedGenerator'] {
    return this.cell.seedGenerator;
  }

  /** The units of the cell. */
  get units(): number {
    return this.cell.units;
  }

  override get trainableWeights(): Variable[] {
    return this.trainable ? this.cell.trainableWeights : [];
  }

  override get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.cell.nonTrainableWeights : this.cell.weights;
  }

  override get weights(): Variable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  /** The stateful layer's current states (null before the first call or after {@link RNN.resetStates}). */
  get states(): readonly Tensor[] | null {
    return this.keptStates;
  }

  /** Clears a stateful layer's states: the next call starts from zeros (Keras `reset_states`). */
  resetStates(): void {
    for (const s of this.keptStates ?? []) s.dispose();
    this.keptStates = null;
  }

  /** The sequence's shape and the initial states' shapes of an input shape (one shape, or a list). */
  private splitShapes(shape: SymbolicShape | SymbolicShape[]): { seq: SymbolicShape; init: SymbolicShape[] } {
    const isList = Array.isArray(shape[0]) || shape.length === 0;
    const list = (isList ? shape : [shape]) as SymbolicShape[];
    return { seq: list[0] ?? [], init: list.slice(1) };
  }

  /** Builds on the sequence's shape only (initial states do not change the weights). */
  override ensureBuilt(shape: SymbolicShape | SymbolicShape[]): void {
    const { seq, init } = this.splitShapes(shape);
    if (seq.length !== 3) throw new ShapeError(`${this.label}: expected input of rank 3 [N, timesteps, features]. Received: input shape ${fmtShapes(shape)}`);
    if (init.length && (init.length !== this.cell.stateSize.length || init.some((s, i) => s.length !== 2 || (s[1] !== null && s[1] !== this.cell.stateSize[i])))) {
      throw new ShapeError(`${this.label}: expected ${this.cell.stateSize.length} initial state(s) of shape ${this.cell.stateSize.map((s) => `(N, ${s})`).join(', ')}. Received: shapes ${fmtShapes(shape)}`);
    }
    // Any number of timesteps: the weights depend on the features only.
    super.ensureBuilt([seq[0], null, seq[2]] as never);
  }

  protected override build(seq: SymbolicShape | SymbolicShape[]): void {
    const s = seq as SymbolicShape;
    if (s[2] === null) throw new ShapeError(`${this.label}: expected a known feature dimension. Received: input shape ${fmtSym(s)}`);
    this.cell.ensureBuilt([[null, s[2]], ...this.cell.stateSize.map((u) => [null, u])]);
  }

  computeOutputShape(shape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const { seq } = this.splitShapes(shape);
    const n = seq[0];
    const out = this.returnSequences ? [n, seq[1], this.cell.units] : [n, this.cell.units];
    return this.returnState ? [out, ...this.cell.stateSize.map((u) => [n, u])] : out;
  }

  /**
   * The output's mask (Keras's RNN.compute_mask): the input's [N, T] mask with returnSequences, else none; the states
   * have none.
   */
  override computeMask(_input: Tensor | Tensor[], previousMask: LayerMask): LayerMask {
    const m = Array.isArray(previousMask) ? previousMask[0] ?? null : previousMask;
    const out = this.returnSequences ? m : null;
    return this.returnState ? [out, ...this.cell.stateSize.map(() => null)] : out;
  }

  /** The sequence's mask of `ctx.mask` (the first of a list: initial states have none), checked against [N, T]. */
  private sequenceMask(ctx: CallContext, seq: Tensor): Tensor | null {
    const m = Array.isArray(ctx.mask) ? ctx.mask[0] ?? null : (ctx.mask as Tensor | null | undefined) ?? null;
    if (m === null) return null;
    const [n, t] = seq.shape;
    if (m.rank !== 2 || m.shape[0] !== n || m.shape[1] !== t) {
      throw new ShapeError(`${this.label}: expected a mask of shape [${n}, ${t}] (batch, timesteps). Received: a mask of shape [${m.shape.join(', ')}]`);
    }
    assertLive(this.name, m);
    return m;
  }

  /**
   * Runs the cell over the sequence (`input`: the sequence, or `[sequence, ...initialStates]`); `ctx.mask` [N, T]
   * (nonzero: keep) skips the masked timesteps: the states stay, the output repeats the previous one.
   */
  call(input: Tensor | Tensor[], ctx: CallContext): Tensor | Tensor[] {
    // Layer.apply hands list-or-tensor layers their call unchecked: check the options here.
    checkOptions(`${this.label}.apply`, ctx, ['training', 'mask']);
    const list = Array.isArray(input) ? input : [input];
    for (const t of list) assertLive(this.name, t);
    this.ensureBuilt(list.map((t) => t.shape));
    const [seq, ...given] = list;
    const n = seq.shape[0];
    if (seq.shape[1] === 0) throw new ShapeError(`${this.label}: expected at least one timestep. Received: input shape ${fmtSym(seq.shape)}`);
    for (const s of given) {
      if (s.shape[0] !== n) throw new ShapeError(`${this.label}: expected initial states with the batch size ${n} of the inputs. Received: shapes ${fmtShapes(list.map((t) => t.shape))}`);
    }
    if (this.stateful && this.keptStates && this.keptStates[0].shape[0] !== n) {
      throw new ShapeError(`${this.label}: expected the batch size ${this.keptStates[0].shape[0]} of the previous call (stateful layer; resetStates() to change it). Received: input shape ${fmtSym(seq.shape)}`);
    }
    const mask = this.sequenceMask(ctx, seq);
    const result = tidy(() => {
      const initial = given.length ? given : this.stateful && this.keptStates ? this.keptStates : this.cell.getInitialState(n);
      const masks = this.cell.dropoutMasks(n, seq.shape[2], ctx.training ?? false);
      // [N, T] -> per timestep [N, 1], nonzero: keep (uint8 whatever the mask's dtype).
      const keep = mask ? ops.notEqual(mask, 0) : null;
      const { outputs, last, states } = recurrence(this.cell, seq, initial, {
        goBackwards: this.goBackwards, allOutputs: this.returnSequences, inputMasks: masks.input, recurrentMasks: masks.recurrent,
        ...(keep ? { stepMask: (t: number) => ops.slice(keep, [0, t], [n, 1]), zeroMaskedOutputs: this.zeroMaskedOutputs } : {}),
      });
      // Always a new tensor: the caller owns the output, distinct from the returned states.
      const output = this.returnSequences ? ops.stack(outputs, 1) : ops.clone(last);
      return { output, states };
    });
    if (this.stateful) {
      const kept = noGrad(() => result.states.map((s) => keep(ops.clone(s))));
      this.resetStates();
      this.keptStates = kept;
    }
    if (this.returnState) return [result.output, ...result.states];
    for (const s of result.states) s.dispose();
    return result.output;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), ...this.cell.getConfig(), name: this.name, trainable: this.trainable,
      returnSequences: this.returnSequences, returnState: this.returnState, goBackwards: this.goBackwards, stateful: this.stateful,
    };
  }

  override dispose(): void {
    this.resetStates();
    this.cell.dispose();
    super.dispose();
  }
}
