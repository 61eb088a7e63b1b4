/**
 * The Keras 3 config translation of the recurrent layers and wrappers (keras/src/layers/rnn/*.py
 * get_config): SimpleRNN, LSTM, GRU (the RNN base's keys, then the cell's options flattened into
 * the layer's config, as Keras writes them), their cells, RNN with a nested `cell`, Bidirectional
 * with its `layer` (the forward copy, named `forward_<name>`) and `backward_layer`, and
 * TimeDistributed with its `layer`. Listed in layer-table.ts's BUILTIN_LAYER_SPECS.
 * Part of src/nn: imports src/core only.
 */
import { Bidirectional, type BidirectionalMergeMode } from '../layers/bidirectional.ts';
import { GRU, LSTM, SimpleRNN } from '../layers/recurrent.ts';
import { GRUCell, LSTMCell, RNNCell, SimpleRNNCell } from '../layers/rnn-cells.ts';
import { RNN } from '../layers/rnn.ts';
import { TimeDistributed } from '../layers/time-distributed.ts';
import { Layer } from '../layer.ts';
import { configError, isObject } from './keras-objects.ts';
import { type ConfigReader, type FieldSpec, type LayerSpec, NESTED_LAYERS, type ReadContext, f } from './layer-spec.ts';

/** The cell of a recurrent layer, or the cell itself. */
const cellOf = (l: RNN | RNNCell): any => (l instanceof RNN ? l.cell : l);
/** A field read from the cell (of a layer, or the cell itself). */
const c = (keras: string, ts: string, kind: FieldSpec['kind'], read: (cell: any) => unknown): FieldSpec => f(keras, ts, kind, (l) => read(cellOf(l)));
/** The regularizer (kind 'reg') or constraint ('con') of the cell's weight i (0 kernel, 1 recurrent kernel, 2 bias). */
const wopt = (i: number, what: 'regularizer' | 'constraint') => (cell: any) => cell.weightOptions[i][what];

const UNITS = c('units', 'units', 'raw', (x) => x.units);
const ACT = c('activation', 'activation', 'act', (x) => x.activationName);
const REC_ACT = c('recurrent_activation', 'recurrentActivation', 'act', (x) => x.recurrentActivationName);
const USE_BIAS = c('use_bias', 'useBias', 'raw', (x) => x.useBias);
const INITS = [
  c('kernel_initializer', 'kernelInitializer', 'init', (x) => x.kernelInit),
  c('recurrent_initializer', 'recurrentInitializer', 'init', (x) => x.recurrentInit),
  c('bias_initializer', 'biasInitializer', 'init', (x) => x.biasInit),
];
const FORGET = c('unit_forget_bias', 'unitForgetBias', 'raw', (x) => x.unitForgetBias);
const REGS = [
  c('kernel_regularizer', 'kernelRegularizer', 'reg', wopt(0, 'regularizer')),
  c('recurrent_regularizer', 'recurrentRegularizer', 'reg', wopt(1, 'regularizer')),
  c('bias_regularizer', 'biasRegularizer', 'reg', wopt(2, 'regularizer')),
];
const ACTIVITY = f('activity_regularizer', 'activityRegularizer', 'reg', (l) => l.activityRegularizer);
const CONS = [
  c('kernel_constraint', 'kernelConstraint', 'con', wopt(0, 'constraint')),
  c('recurrent_constraint', 'recurrentConstraint', 'con', wopt(1, 'constraint')),
  c('bias_constraint', 'biasConstraint', 'con', wopt(2, 'constraint')),
];
const DROPOUTS = [c('dropout', 'dropout', 'raw', (x) => x.dropout), c('recurrent_dropout', 'recurrentDropout', 'raw', (x) => x.recurrentDropout)];
const SEED = c('seed', 'seed', 'opt', (x) => x.config.seed);
const RESET_AFTER = c('reset_after', 'resetAfter', 'raw', (x) => x.resetAfter);

/** The RNN base's options (Keras writes them first). */
const RNN_FIELDS: FieldSpec[] = [
  f('return_sequences', 'returnSequences'), f('return_state', 'returnState'), f('go_backwards', 'goBackwards'), f('stateful', 'stateful'),
];
/**
 * Keys of the RNN base: unroll (the same math unrolled; ditto always loops), zero_output_for_mask false (masked steps
 * repeat the previous output; Bidirectional sets it and reads it itself).
 */
const RNN_FIXED = { unroll: false, zero_output_for_mask: false };
/** Keras 2's and the cells' keys that change nothing: unroll (any), implementation 1 or 2 (the same math), time_major false. */
const RNN_HARMLESS: Record<string, (v: unknown) => boolean> = {
  unroll: (v) => typeof v === 'boolean',
  implementation: (v) => v === 1 || v === 2,
  time_major: (v) => v === false,
};
const CELL_HARMLESS: Record<string, (v: unknown) => boolean> = { implementation: (v) => v === 1 || v === 2 };

/** A recurrent layer's or cell's fields (the layer adds activity_regularizer and the RNN base). */
function cellFields(extra: FieldSpec[], layer: boolean): FieldSpec[] {
  return [ACT, ...extra.filter((x) => x === REC_ACT), USE_BIAS, ...INITS, ...extra.filter((x) => x === FORGET), ...REGS, ...(layer ? [ACTIVITY] : []), ...CONS, ...DROPOUTS, ...extra.filter((x) => x === RESET_AFTER), SEED];
}

const layerSpec = (className: string, cls: LayerSpec['cls'], extra: FieldSpec[]): LayerSpec => ({
  className, cls, args: [UNITS], fields: [...RNN_FIELDS, ...cellFields(extra, true)], fixed: RNN_FIXED, harmless: RNN_HARMLESS,
});
const cellSpec = (className: string, cls: LayerSpec['cls'], extra: FieldSpec[]): LayerSpec => ({
  className, cls, args: [UNITS], fields: cellFields(extra, false), harmless: CELL_HARMLESS,
});

/** The nested layer translators (installed by layer-registry.ts). */
function nested(): Required<typeof NESTED_LAYERS> {
  if (!NESTED_LAYERS.toConfig || !NESTED_LAYERS.fromConfig) throw new Error('Keras config: internal error: nested layer translation not installed (import src/nn/saving/layer-registry.ts)');
  return NESTED_LAYERS as Required<typeof NESTED_LAYERS>;
}

/** Reads the nested layer under `key`, checking its class. */
function readNested<T>(r: ConfigReader, key: string, ctx: ReadContext, cls: abstract new (...a: any[]) => T, what: string, edit?: (cfg: Record<string, unknown>) => void): T {
  const o = r.take(key);
  if (!isObject(o) || !isObject(o.config)) throw configError(r.where, `expected ${key} to be a serialized layer. Received: ${JSON.stringify(o)?.slice(0, 80)}`, true);
  const copy = { ...o, config: { ...o.config } };
  edit?.(copy.config);
  const layer = nested().fromConfig(copy, ctx, `${r.where} > ${key}`);
  if (!(layer instanceof cls)) throw configError(r.where, `expected ${key} to be ${what}. Received: class '${o.class_name}'`);
  return layer;
}

/** The Keras object of a layer held by a wrapper, with its name relative to the wrapper (`bidi/forward_lstm` -> `forward_lstm`). */
function innerConfig(layer: Layer<any, any>, owner: Layer<any, any>, edit?: (cfg: Record<string, unknown>) => void): Record<string, unknown> {
  const o = nested().toConfig(layer);
  const prefix = `${owner.name}/`;
  if (layer.name.startsWith(prefix)) o.config.name = layer.name.slice(prefix.length);
  edit?.(o.config);
  return o as unknown as Record<string, unknown>;
}

/** `RNN(cell)`: the RNN base's keys and the serialized cell. */
const RNN_SPEC: LayerSpec = {
  className: 'RNN', cls: RNN, fields: [...RNN_FIELDS], fixed: RNN_FIXED, harmless: RNN_HARMLESS,
  toConfig: (l: RNN) => ({
    return_sequences: l.returnSequences, return_state: l.returnState, go_backwards: l.goBackwards, stateful: l.stateful, ...RNN_FIXED,
    cell: nested().toConfig(l.cell),
  }),
  fromConfig: (r, base, ctx) => {
    const opts: Record<string, unknown> = { ...base };
    for (const fs of RNN_FIELDS) if (r.has(fs.keras)) opts[fs.ts] = r.field(fs);
    if (Array.isArray(r.cfg.cell)) throw configError(r.where, 'unsupported RNN with a list of cells (Keras StackedRNNCells): ditto runs one cell');
    const cell = readNested(r, 'cell', ctx, RNNCell as unknown as abstract new () => RNNCell, 'a recurrent cell (SimpleRNNCell, LSTMCell, GRUCell)');
    return new RNN(cell, opts);
  },
};

/** Without the keys Bidirectional sets on its layers itself (name, go_backwards, zero_output_for_mask). */
function core(cfg: Record<string, unknown>): string {
  const { name: _n, go_backwards: _g, zero_output_for_mask: _z, ...rest } = cfg;
  return JSON.stringify(rest);
}

/**
 * Bidirectional: merge_mode, `layer` (the forward copy) and `backward_layer`. Keras forces zero_output_for_mask to
 * return_sequences on both layers, and so does ditto's reading (the key is read here, not by the layers). A backward
 * layer that is Keras's default copy (the forward config with go_backwards flipped, named `backward_<name>`) is made
 * by ditto's Bidirectional as its own default, so the weights keep ditto's names.
 */
const BIDIRECTIONAL_SPEC: LayerSpec = {
  className: 'Bidirectional', cls: Bidirectional, fields: [f('merge_mode', 'mergeMode')],
  toConfig: (l: Bidirectional) => {
    const zero = (cfg: Record<string, unknown>) => {
      if ('zero_output_for_mask' in cfg) cfg.zero_output_for_mask = l.forwardLayer.returnSequences;
    };
    return { merge_mode: l.mergeMode, layer: innerConfig(l.forwardLayer, l, zero), backward_layer: innerConfig(l.backwardLayer, l, zero) };
  },
  buildShape: (l: Bidirectional) => (l.built ? l.forwardLayer.buildShape : undefined),
  fromConfig: (r, base, ctx) => {
    const mode = r.has('merge_mode') ? r.take('merge_mode') : 'concat';
    const fwdRaw = r.cfg.layer;
    const backRaw = r.cfg.backward_layer;
    const unzero = (cfg: Record<string, unknown>) => {
      if ('zero_output_for_mask' in cfg && typeof cfg.zero_output_for_mask !== 'boolean') throw configError(r.where, 'expected zero_output_for_mask to be a boolean', true);
      delete cfg.zero_output_for_mask;
    };
    const layer = readNested(r, 'layer', ctx, RNN, 'a recurrent layer (SimpleRNN, LSTM, GRU, RNN)', (cfg) => {
      unzero(cfg);
      if (typeof cfg.name === 'string' && cfg.name.startsWith('forward_')) cfg.name = cfg.name.slice('forward_'.length);
    });
    const opts: Record<string, unknown> = { ...base, mergeMode: mode as BidirectionalMergeMode };
    if (backRaw !== undefined && backRaw !== null) {
      const fc = isObject(fwdRaw) && isObject(fwdRaw.config) ? fwdRaw.config : {};
      const bc = isObject(backRaw) && isObject(backRaw.config) ? backRaw.config : {};
      const isDefault = isObject(fwdRaw) && isObject(backRaw) && fwdRaw.class_name === backRaw.class_name && core(fc) === core(bc)
        && bc.go_backwards === !fc.go_backwards && bc.name === `backward_${layer.name}`;
      if (isDefault) r.take('backward_layer');
      else {
        opts.backwardLayer = readNested(r, 'backward_layer', ctx, RNN, 'a recurrent layer (SimpleRNN, LSTM, GRU, RNN)', (cfg) => {
          unzero(cfg);
          if (typeof base.name === 'string' && typeof cfg.name === 'string') cfg.name = `${base.name}/${cfg.name}`;
        });
      }
    } else r.take('backward_layer');
    return new Bidirectional(layer, opts);
  },
};

/** TimeDistributed: the wrapped `layer`. */
const TIME_DISTRIBUTED_SPEC: LayerSpec = {
  className: 'TimeDistributed', cls: TimeDistributed,
  toConfig: (l: TimeDistributed) => ({ layer: innerConfig(l.layer, l) }),
  fromConfig: (r, base, ctx) => new TimeDistributed(readNested(r, 'layer', ctx, Layer, 'a layer'), base),
};

/** The recurrent layers, cells and wrappers with their Keras 3 config translations. */
export const RNN_LAYER_SPECS: readonly LayerSpec[] = [
  layerSpec('SimpleRNN', SimpleRNN, []),
  layerSpec('LSTM', LSTM, [REC_ACT, FORGET]),
  layerSpec('GRU', GRU, [REC_ACT, RESET_AFTER]),
  cellSpec('SimpleRNNCell', SimpleRNNCell, []),
  cellSpec('LSTMCell', LSTMCell, [REC_ACT, FORGET]),
  cellSpec('GRUCell', GRUCell, [REC_ACT, RESET_AFTER]),
  RNN_SPEC,
  BIDIRECTIONAL_SPEC,
  TIME_DISTRIBUTED_SPEC,
];
