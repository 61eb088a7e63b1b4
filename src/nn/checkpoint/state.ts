/**
 * The schema of a checkpoint's `state.json` (everything that is not a tensor) and its parser,
 * which checks the structure field by field so that a damaged file fails with a DataFormatError
 * naming the field, never with a TypeError half-way through a restore.
 * Part of src/nn: imports src/core only.
 */
import { DataFormatError, type RandomLayerState, type SeedGeneratorState } from '../../core/internal.ts';
import type { HistoryJSON } from '../history.ts';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION } from './layout.ts';
import { f64FromHex } from './number-bits.ts';

/**
 * A callback's entry: its class and, for stateful callbacks, its JSON state and array count.
 * @inline
 */
export interface CallbackEntry {
  /** The callback's class name. */
  class: string;
  /** Its JSON state and the number of its arrays, or null for a callback without state. */
  state: {
    /** The JSON part of the callback's state. */
    json: Record<string, unknown>;
    /** How many arrays it stored in the tensors file. */
    arrays: number;
  } | null;
}

/**
 * Everything a resumed fit needs besides tensors. Tensors live in `tensors.safetensors` as
 * `model/<weight>`, `optimizer/<slot>`, `metrics/<id>/total|count` and `callbacks/<i>/<k>`.
 */
export interface CheckpointState {
  /** Always 'ditto-checkpoint'. */
  format: typeof CHECKPOINT_FORMAT;
  /** The format version (1). */
  version: typeof CHECKPOINT_VERSION;
  /**
   * Where training continues: epoch `epoch` at batch `step` (step 0: the epoch has not begun; its
   * trackers are reset and onEpochBegin runs). globalStep counts this fit's optimizer steps.
   */
  position: {
    /** The epoch index (from 0). */
    epoch: number;
    /** Batches of that epoch already trained. */
    step: number;
    /** Optimizer steps of this fit so far. */
    globalStep: number;
  };
  /** The fit options that shape the run, checked on resume. */
  fit: {
    /** The epochs asked for. */
    epochs: number;
    /** Batches per epoch, or null when not yet known. */
    stepsPerEpoch: number | null;
    /** Whether validation data was given. */
    validation: boolean;
  };
  /** The training data's iterator position ({epoch, index} of the next batch) and shuffle seeds. */
  data: {
    /** The next batch: its epoch and index within the epoch. */
    position: {
      /** The epoch. */
      epoch: number;
      /** The batch index. */
      index: number;
    };
    /** The seeds of the pipeline's shuffles, checked on resume (null when the source has none). */
    shuffleSeeds: number[] | null;
  };
  /** Model input shape (to build an unbuilt model), weights in order, stopTraining. */
  model: {
    /** The model's input shape (batch dimension null). */
    inputShape: (number | null)[];
    /** Every weight's name, dtype and shape, in the model's order. */
    weights: {
      /** The weight's name, `<layer>/<weight>`. */
      name: string;
      /** Its dtype. */
      dtype: string;
      /** Its shape. */
      shape: number[];
    }[];
    /** The model's stopTraining flag. */
    stopTraining: boolean;
  };
  /** Optimizer hyperparameters, step counter and slot variable names (in slot order). */
  optimizer: {
    /** The optimizer's getConfig(), compared on resume. */
    config: Record<string, number | boolean | string>;
    /** Its step counter. */
    iterations: number;
    /** Its slot variables' names, in slot order. */
    slots: string[];
    /**
     * The learning rate set after construction (Optimizer.setLearningRate, e.g. by ReduceLROnPlateau) as a
     * float64 bit pattern (16 hex digits); absent when the constructor's learning rate is in force.
     */
    learningRate?: string;
  };
  /**
   * The compiled metrics: id and resolved function name (null before the first batch: no tracker
   * yet; 'loss' for an output's loss tracker of a model with several outputs, which always has
   * one). The loss tracker is always there (tensors `metrics/loss/*`).
   */
  metrics: {
    /** The metric's name as compiled, e.g. 'accuracy'. */
    id: string;
    /** The resolved function's name, or null before the first batch; 'metric:<class>' for a stateful metric. */
    fn: string | null;
    /** A stateful metric's variable shapes (its tensors are `metrics/<id>/<index>`); absent otherwise. */
    shapes?: number[][];
  }[];
  /** Each Dropout-style layer's SeedGenerator state, by layer name. */
  seedGenerators: Record<string, SeedGeneratorState>;
  /** The host random state (algorithm, Python-style MT19937, global SeedGenerator). */
  random: RandomLayerState;
  /** History so far (values restored from their float32 bits). */
  history: HistoryJSON;
  /** The user callbacks, in order. */
  callbacks: CallbackEntry[];
}

type Obj = Record<string, unknown>;

/** Field-path checker that throws DataFormatError("<fn>: <source>: <path>: expected ..."). */
class Checker {
  constructor(private readonly fn: string, private readonly source: string) {}

  fail(path: string, expected: string, got: unknown): never {
    let shown: string;
    try {
      shown = JSON.stringify(got);
    } catch {
      shown = String(got);
    }
    if (shown !== undefined && shown.length > 120) shown = shown.slice(0, 117) + '...';
    throw new DataFormatError(`${this.fn}: ${this.source}: ${path}: expected ${expected}. Received: ${shown}`);
  }

  obj(v: unknown, path: string): Obj {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(path, 'an object', v);
    return v as Obj;
  }

  arr(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) this.fail(path, 'an array', v);
    return v as unknown[];
  }

  int(v: unknown, path: string, min = 0): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) this.fail(path, `an integer >= ${min}`, v);
    return v as number;
  }

  str(v: unknown, path: string): string {
    if (typeof v !== 'string') this.fail(path, 'a string', v);
    return v as string;
  }

  bool(v: unknown, path: string): boolean {
    if (typeof v !== 'boolean') this.fail(path, 'a boolean', v);
    return v as boolean;
  }

  shape(v: unknown, path: string, allowNull = false): (number | null)[] {
    return this.arr(v, path).map((d, i) => (allowNull && d === null ? null : this.int(d, `${path}[${i}]`)));
  }
}

/**
 * Parses and structurally validates state.json text. Deeper checks (against the model, the
 * data and the callbacks of the resuming program) happen in restore.ts.
 */
export function parseCheckpointState(text: string, source: string): CheckpointState {
  const c = new Checker('readCheckpoint', source);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return c.fail('state.json', 'valid JSON', `invalid JSON (${(e as Error).message})`);
  }
  const s = c.obj(raw, 'state');
  if (s.format !== CHECKPOINT_FORMAT) c.fail('state.format', `'${CHECKPOINT_FORMAT}'`, s.format);
  if (s.version !== CHECKPOINT_VERSION) c.fail('state.version', `${CHECKPOINT_VERSION} (the version this engine reads)`, s.version);

  const pos = c.obj(s.position, 'state.position');
  c.int(pos.epoch, 'state.position.epoch');
  c.int(pos.step, 'state.position.step');
  c.int(pos.globalStep, 'state.position.globalStep');

  const fit = c.obj(s.fit, 'state.fit');
  c.int(fit.epochs, 'state.fit.epochs', 1);
  if (fit.stepsPerEpoch !== null) c.int(fit.stepsPerEpoch, 'state.fit.stepsPerEpoch', 1);
  c.bool(fit.validation, 'state.fit.validation');

  const data = c.obj(s.data, 'state.data');
  const dpos = c.obj(data.position, 'state.data.position');
  c.int(dpos.epoch, 'state.data.position.epoch');
  c.int(dpos.index, 'state.data.position.index');
  if (data.shuffleSeeds !== null) c.arr(data.shuffleSeeds, 'state.data.shuffleSeeds').forEach((v, i) => { if (!Number.isSafeInteger(v)) c.fail(`state.data.shuffleSeeds[${i}]`, 'a safe integer', v); });

  const model = c.obj(s.model, 'state.model');
  c.shape(model.inputShape, 'state.model.inputShape', true);
  c.arr(model.weights, 'state.model.weights').forEach((w, i) => {
    const o = c.obj(w, `state.model.weights[${i}]`);
    c.str(o.name, `state.model.weights[${i}].name`);
    c.str(o.dtype, `state.model.weights[${i}].dtype`);
    c.shape(o.shape, `state.model.weights[${i}].shape`);
  });
  c.bool(model.stopTraining, 'state.model.stopTraining');

  const opt = c.obj(s.optimizer, 'state.optimizer');
  const cfg = c.obj(opt.config, 'state.optimizer.config');
  for (const [k, v] of Object.entries(cfg)) if (!['number', 'boolean', 'string'].includes(typeof v)) c.fail(`state.optimizer.config.${k}`, 'a number, boolean or string', v);
  c.int(opt.iterations, 'state.optimizer.iterations');
  c.arr(opt.slots, 'state.optimizer.slots').forEach((v, i) => c.str(v, `state.optimizer.slots[${i}]`));
  if (opt.learningRate !== undefined) {
    const lr = typeof opt.learningRate === 'string' && /^[0-9a-f]{16}$/.test(opt.learningRate) ? f64FromHex(opt.learningRate, 'state.optimizer.learningRate') : NaN;
    if (!(lr >= 0) || !Number.isFinite(lr)) c.fail('state.optimizer.learningRate', 'a finite learning rate >= 0 as 16 hex digits', opt.learningRate);
  }

  c.arr(s.metrics, 'state.metrics').forEach((m, i) => {
    const o = c.obj(m, `state.metrics[${i}]`);
    c.str(o.id, `state.metrics[${i}].id`);
    if (o.fn !== null) c.str(o.fn, `state.metrics[${i}].fn`);
    if (o.shapes !== undefined) c.arr(o.shapes, `state.metrics[${i}].shapes`).forEach((sh, k) => c.shape(sh, `state.metrics[${i}].shapes[${k}]`));
  });

  for (const [k, v] of Object.entries(c.obj(s.seedGenerators, 'state.seedGenerators'))) {
    const g = c.obj(v, `state.seedGenerators.${k}`);
    c.arr(g.state, `state.seedGenerators.${k}.state`);
    c.str(g.dtype, `state.seedGenerators.${k}.dtype`);
  }

  const rnd = c.obj(s.random, 'state.random');
  c.str(rnd.algorithm, 'state.random.algorithm');
  const py = c.obj(rnd.python, 'state.random.python');
  c.arr(py.words, 'state.random.python.words');
  c.int(py.index, 'state.random.python.index');
  if (rnd.globalSeedGenerator !== null) c.obj(rnd.globalSeedGenerator, 'state.random.globalSeedGenerator');

  const h = c.obj(s.history, 'state.history');
  const epochs = c.arr(h.epoch, 'state.history.epoch');
  epochs.forEach((e, i) => c.int(e, `state.history.epoch[${i}]`));
  c.obj(h.params, 'state.history.params');
  c.obj(h.history, 'state.history.history');
  for (const [k, v] of Object.entries(c.obj(h.bits, 'state.history.bits'))) {
    const bits = c.arr(v, `state.history.bits.${k}`);
    // At most one per recorded epoch: validation logs (val_*) are recorded only in the epochs validationFreq validates.
    if (bits.length > epochs.length) c.fail(`state.history.bits.${k}`, `at most ${epochs.length} values (one per recorded epoch)`, `${bits.length} values`);
    bits.forEach((b, i) => { if (typeof b !== 'string' || !/^[0-9a-f]{8}$/.test(b)) c.fail(`state.history.bits.${k}[${i}]`, '8 hex digits', b); });
  }

  c.arr(s.callbacks, 'state.callbacks').forEach((e, i) => {
    const o = c.obj(e, `state.callbacks[${i}]`);
    c.str(o.class, `state.callbacks[${i}].class`);
    if (o.state !== null) {
      const st = c.obj(o.state, `state.callbacks[${i}].state`);
      c.obj(st.json, `state.callbacks[${i}].state.json`);
      c.int(st.arrays, `state.callbacks[${i}].state.arrays`);
    }
  });
  return s as unknown as CheckpointState;
}
