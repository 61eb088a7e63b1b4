/**
 * Optimizers and compile arguments in Keras 3's config format: an optimizer's `get_config` as
 * `{ module: 'keras.optimizers', class_name: 'Adam', config: { name, learning_rate, weight_decay,
 * clipnorm, ..., beta_1, beta_2, epsilon, amsgrad }, registered_name: null }` (learning-rate
 * schedules nested the same way), and the model's `compile_config` (optimizer, loss, metrics,
 * loss_weights, ...), as `.keras` files keep them in config.json; legacy `.h5` `training_config`
 * (`optimizer_config: { class_name, config }`) is read too. Every field is translated by name.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError } from '../../core/internal.ts';
import { getLoss } from '../losses.ts';
import type { ModelBase } from '../model-base.ts';
import {
  Adadelta, Adagrad, Adam, Adamax, AdamW, Ftrl, LearningRateSchedule, Lion, Nadam, Optimizer, RMSprop, SGD, schedules,
} from '../optimizers/index.ts';
import type { CompileOptions } from '../training/options.ts';
import { type KerasObject, configError, expectKerasObject, isObject } from './keras-objects.ts';

type Ctor = new (o: Record<string, unknown>) => Optimizer;

/** Per optimizer: Keras class name, ditto class, and its own fields (Keras key -> ditto option). */
const OPTIMIZERS: readonly { className: string; cls: Ctor; fields: Record<string, string> }[] = [
  { className: 'SGD', cls: SGD as unknown as Ctor, fields: { momentum: 'momentum', nesterov: 'nesterov' } },
  { className: 'RMSprop', cls: RMSprop as unknown as Ctor, fields: { rho: 'rho', momentum: 'momentum', epsilon: 'epsilon', centered: 'centered' } },
  { className: 'Adam', cls: Adam as unknown as Ctor, fields: { beta_1: 'beta1', beta_2: 'beta2', epsilon: 'epsilon', amsgrad: 'amsgrad' } },
  { className: 'AdamW', cls: AdamW as unknown as Ctor, fields: { beta_1: 'beta1', beta_2: 'beta2', epsilon: 'epsilon', amsgrad: 'amsgrad' } },
  { className: 'Adamax', cls: Adamax as unknown as Ctor, fields: { beta_1: 'beta1', beta_2: 'beta2', epsilon: 'epsilon' } },
  { className: 'Nadam', cls: Nadam as unknown as Ctor, fields: { beta_1: 'beta1', beta_2: 'beta2', epsilon: 'epsilon' } },
  { className: 'Adagrad', cls: Adagrad as unknown as Ctor, fields: { initial_accumulator_value: 'initialAccumulatorValue', epsilon: 'epsilon' } },
  { className: 'Adadelta', cls: Adadelta as unknown as Ctor, fields: { rho: 'rho', epsilon: 'epsilon' } },
  { className: 'Lion', cls: Lion as unknown as Ctor, fields: { beta_1: 'beta1', beta_2: 'beta2' } },
  {
    className: 'Ftrl', cls: Ftrl as unknown as Ctor, fields: {
      learning_rate_power: 'learningRatePower', initial_accumulator_value: 'initialAccumulatorValue', l1_regularization_strength: 'l1RegularizationStrength',
      l2_regularization_strength: 'l2RegularizationStrength', l2_shrinkage_regularization_strength: 'l2ShrinkageRegularizationStrength', beta: 'beta',
    },
  },
];

/** The base optimizer fields (Keras key -> ditto option), in Keras's get_config order. */
const BASE_FIELDS: Record<string, string> = {
  weight_decay: 'weightDecay', clipnorm: 'clipnorm', global_clipnorm: 'globalClipnorm', clipvalue: 'clipvalue', use_ema: 'useEma',
  ema_momentum: 'emaMomentum', ema_overwrite_frequency: 'emaOverwriteFrequency', gradient_accumulation_steps: 'gradientAccumulationSteps',
};

/** Fields Keras (3 or 2) writes that change nothing here when they have these values. */
const HARMLESS: Record<string, (v: unknown) => boolean> = {
  name: () => true, // a label (Keras 'adam'; ditto names slots by its own)
  loss_scale_factor: (v) => v === null || v === 1,
  jit_compile: () => true,
  is_legacy_optimizer: () => true,
  decay: (v) => v === 0 || v === null, // Keras 2's legacy time decay, off
};

/** Per schedule class: Keras key -> ditto option. */
const SCHEDULES: Record<string, Record<string, string>> = {
  ExponentialDecay: { initial_learning_rate: 'initialLearningRate', decay_steps: 'decaySteps', decay_rate: 'decayRate', staircase: 'staircase', name: 'name' },
  InverseTimeDecay: { initial_learning_rate: 'initialLearningRate', decay_steps: 'decaySteps', decay_rate: 'decayRate', staircase: 'staircase', name: 'name' },
  PiecewiseConstantDecay: { boundaries: 'boundaries', values: 'values', name: 'name' },
  PolynomialDecay: { initial_learning_rate: 'initialLearningRate', decay_steps: 'decaySteps', end_learning_rate: 'endLearningRate', power: 'power', cycle: 'cycle', name: 'name' },
  CosineDecay: { initial_learning_rate: 'initialLearningRate', decay_steps: 'decaySteps', alpha: 'alpha', name: 'name', warmup_target: 'warmupTarget', warmup_steps: 'warmupSteps' },
  CosineDecayRestarts: { initial_learning_rate: 'initialLearningRate', first_decay_steps: 'firstDecaySteps', t_mul: 'tMul', m_mul: 'mMul', alpha: 'alpha', name: 'name' },
};

/** A learning-rate schedule as Keras writes it (inside an optimizer's learning_rate). */
function scheduleToKeras(s: LearningRateSchedule): KerasObject {
  const c = s.getConfig() as Record<string, unknown>;
  const cls = String(c.className);
  const map = SCHEDULES[cls];
  if (!map) throw new ArgumentError(`optimizerToKerasConfig: schedule ${cls} has no Keras config translation`);
  const config = Object.fromEntries(Object.entries(map).map(([k, ts]) => [k, c[ts] ?? null]));
  return { module: 'keras.optimizers.schedules', class_name: cls, config, registered_name: null };
}

/** A learning-rate schedule from its Keras config. */
function scheduleFromKeras(v: unknown, where: string): LearningRateSchedule {
  const o = expectKerasObject(v, where);
  const map = SCHEDULES[o.class_name];
  const cls = (schedules as unknown as Record<string, new (o: Record<string, unknown>) => LearningRateSchedule>)[o.class_name];
  if (!map || typeof cls !== 'function') throw configError(where, `unsupported learning-rate schedule class '${o.class_name}'`);
  const opts: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o.config)) {
    if (!(k in map)) throw configError(where, `unsupported field ${k} of ${o.class_name}`);
    if (x !== null || k === 'warmup_target') opts[map[k]] = x;
  }
  try {
    return new cls(opts);
  } catch (e) {
    throw configError(where, `cannot build ${o.class_name}: ${(e as Error).message}`);
  }
}

/**
 * An optimizer's Keras 3 config (`keras.optimizers.serialize`): every base field written (null when off), then the
 * class's own, Keras's names. The name is Keras's lowercase class name ('adam').
 * @throws {@link ArgumentError} for an optimizer class without a translation, or a learning rate given as a function.
 */
export function optimizerToKerasConfig(opt: Optimizer): KerasObject {
  const entry = OPTIMIZERS.find((e) => opt.constructor === e.cls);
  if (!entry) throw new ArgumentError(`optimizerToKerasConfig: optimizer class ${opt.constructor.name} has no Keras config translation`);
  const c = opt.getConfig() as Record<string, unknown>;
  const lr = opt.learningRate;
  if (typeof lr === 'function') throw new ArgumentError('optimizerToKerasConfig: a learning rate given as a function cannot be written to a Keras config (use a schedule)');
  const config: Record<string, unknown> = {
    name: entry.className.toLowerCase(),
    learning_rate: lr instanceof LearningRateSchedule ? scheduleToKeras(lr) : Math.fround(lr as number),
  };
  for (const [k, ts] of Object.entries(BASE_FIELDS)) config[k] = c[ts] ?? (k === 'use_ema' ? false : k === 'ema_momentum' ? 0.99 : null);
  if (entry.className === 'AdamW' && config.weight_decay === null) config.weight_decay = 0.004;
  config.loss_scale_factor = null;
  for (const [k, ts] of Object.entries(entry.fields)) config[k] = c[ts] ?? (ts === 'amsgrad' ? false : (opt as unknown as Record<string, unknown>)[ts] ?? null);
  return { module: 'keras.optimizers', class_name: entry.className, config, registered_name: null };
}

/**
 * An optimizer from its Keras config: Keras 3's `{ module, class_name, config }`, Keras 2's `{ class_name, config }`,
 * or a name ('adam').
 * @throws {@link ArgumentError} naming the class or field ditto cannot honour.
 */
export function optimizerFromKerasConfig(v: unknown, where = 'compile_config.optimizer'): Optimizer {
  if (typeof v === 'string') {
    const e = OPTIMIZERS.find((x) => x.className.toLowerCase() === v.toLowerCase());
    if (!e) throw configError(where, `unsupported optimizer '${v}'`);
    return new e.cls({});
  }
  const o = expectKerasObject(v, where);
  const name = o.class_name.startsWith('Custom>') ? o.class_name.slice(7) : o.class_name;
  const entry = OPTIMIZERS.find((e) => e.className === name);
  if (!entry) throw configError(where, `unsupported optimizer class '${o.class_name}' (ditto has ${OPTIMIZERS.map((e) => e.className).join(', ')})`);
  const opts: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o.config)) {
    if (k === 'learning_rate' || k === 'lr') {
      opts.learningRate = isObject(x) ? scheduleFromKeras(x, `${where}.learning_rate`) : x;
    } else if (k in BASE_FIELDS || k in entry.fields) {
      if (x === null) continue;
      if (k === 'use_ema' && x === false) continue;
      if (k === 'weight_decay' && x === 0 && entry.className !== 'AdamW') continue;
      opts[(BASE_FIELDS[k] ?? entry.fields[k])] = x;
    } else if (!(HARMLESS[k]?.(x))) {
      throw configError(where, `unsupported field ${k}=${JSON.stringify(x)} of optimizer ${o.class_name}`);
    }
  }
  if (opts.emaMomentum !== undefined && !opts.useEma) delete opts.emaMomentum;
  try {
    return new entry.cls(opts);
  } catch (e) {
    throw configError(where, `cannot build ${o.class_name}: ${(e as Error).message}`);
  }
}

/** The losses and metrics as Keras names: ditto keeps what compile was given. */
function namesOnly(v: unknown, what: string): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => namesOnly(x, what));
  if (isObject(v) && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, namesOnly(x, what)]));
  throw new ArgumentError(`compileToKerasConfig: the ${what} is an object (${(v as object).constructor?.name}); only Keras names can be written to a compile_config`);
}

/**
 * A compiled model's Keras 3 `compile_config` (optimizer, loss, loss_weights, metrics, weighted_metrics, run_eagerly,
 * steps_per_execution, jit_compile), or null when the model is not compiled. Losses and metrics must have been given
 * by name.
 * @param compileOptions the options given to compile (default: those the model was last compiled with)
 * @throws {@link ArgumentError} for a loss or metric given as an object (ditto writes names only).
 */
export function compileToKerasConfig(model: ModelBase<any, any>, compileOptions: CompileOptions | undefined = model.compileArgs): Record<string, unknown> | null {
  const opt = model.compiled?.optimizer;
  if (!opt || !compileOptions) return null;
  return {
    optimizer: optimizerToKerasConfig(opt),
    loss: namesOnly(compileOptions.loss, 'loss'),
    loss_weights: compileOptions.lossWeights ? structuredClone(compileOptions.lossWeights) : null,
    metrics: namesOnly(compileOptions.metrics, 'metrics'),
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

/**
 * Arguments of Keras 3's loss and metric classes at their defaults, as Keras's `get_config` writes them for an
 * instance made with no arguments (`keras.losses.CategoricalCrossentropy()` writes `label_smoothing: 0.0, axis: -1`):
 * by class name, and for every class. Such an entry reads back as its name, which ditto resolves to the same defaults.
 */
const DEFAULT_ARGS: Record<string, Record<string, unknown>> = {
  '*': { from_logits: false, label_smoothing: 0, axis: -1, ignore_class: null },
  BinaryFocalCrossentropy: { apply_class_balancing: false, alpha: 0.25, gamma: 2 },
  Huber: { delta: 1 },
  SparseTopKCategoricalAccuracy: { k: 5, from_sorted_ids: false },
  TopKCategoricalAccuracy: { k: 5 },
  BinaryAccuracy: { threshold: 0.5 },
};

/** Whether argument `k` = `x` of Keras class `cls` changes nothing when the entry is read back as its name. */
function isDefaultArg(cls: string, k: string, x: unknown): boolean {
  if (k === 'reduction') return x === null || x === 'sum_over_batch_size' || x === 'auto'; // Keras 3's and Keras 2's defaults
  if (['name', 'dtype', 'fn'].includes(k) || x === null || x === false) return true;
  const own = DEFAULT_ARGS[cls];
  if (own && k in own) return own[k] === x;
  return k in DEFAULT_ARGS['*'] && DEFAULT_ARGS['*'][k] === x;
}

/**
 * A loss or metric entry of a compile_config as a name (Keras also writes serialized loss objects). A serialized
 * loss reads back as its class name when ditto knows the class (its `name`, e.g. Huber's 'huber_loss', need not be a
 * loss name); a metric as its name, the key of its logs.
 */
function lossName(v: unknown, where: string, kind: 'loss' | 'metric'): unknown {
  if (v === null || v === undefined || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x, i) => lossName(x, `${where}[${i}]`, kind));
  if (isObject(v) && typeof v.class_name === 'string') {
    const cls = v.class_name;
    const cfg = isObject(v.config) ? v.config : {};
    const rest = Object.keys(cfg).filter((k) => !isDefaultArg(cls, k, cfg[k]));
    if (rest.length) throw configError(where, `unsupported ${cls} arguments ${rest.join(', ')} (ditto restores losses and metrics by name)`);
    if (kind === 'loss' && knownLoss(cls)) return cls;
    // Keras 3 writes e.g. { class_name: 'SparseCategoricalCrossentropy', config: { name: 'sparse_categorical_crossentropy', ... } }
    return typeof cfg.name === 'string' ? cfg.name : cls.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  }
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lossName(x, `${where}.${k}`, kind)]));
  throw configError(where, `expected a loss or metric name. Received: ${JSON.stringify(v)}`, true);
}

/** Whether `dt.losses.get` resolves this name. */
function knownLoss(name: string): boolean {
  try {
    getLoss(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * The arguments of `model.compile` from a Keras 3 `compile_config` or a legacy `.h5` `training_config` (whose
 * optimizer is `optimizer_config`). Losses and metrics come back as Keras names; compile resolves them.
 * @throws {@link ArgumentError} for an optimizer, loss or option ditto cannot honour (run_eagerly, jit_compile and
 * steps_per_execution 1 change nothing and are accepted).
 */
export function compileFromKerasConfig(cc: unknown): CompileOptions {
  const where = 'compile_config';
  if (!isObject(cc)) throw configError(where, `expected an object. Received: ${JSON.stringify(cc)?.slice(0, 80)}`, true);
  const optimizer = optimizerFromKerasConfig(cc.optimizer ?? cc.optimizer_config, `${where}.optimizer`);
  for (const [k, v] of Object.entries(cc)) {
    if (['optimizer', 'optimizer_config', 'loss', 'metrics', 'loss_weights', 'run_eagerly', 'jit_compile'].includes(k)) continue;
    if (k === 'steps_per_execution' && (v === 1 || v === null)) continue;
    if ((k === 'weighted_metrics' || k === 'sample_weight_mode') && (v === null || (Array.isArray(v) && v.length === 0))) continue;
    throw configError(where, `unsupported compile field ${k}=${JSON.stringify(v)?.slice(0, 80)}`);
  }
  const out: Record<string, unknown> = { optimizer, loss: lossName(cc.loss, `${where}.loss`, 'loss') };
  if (cc.metrics !== null && cc.metrics !== undefined) {
    const metrics = lossName(cc.metrics, `${where}.metrics`, 'metric');
    // Keras 2 nests metrics per output ([['accuracy']] for one output): one output's list is the list.
    out.metrics = Array.isArray(metrics) && metrics.length === 1 && Array.isArray(metrics[0]) ? metrics[0] : metrics;
  }
  if (cc.loss_weights !== null && cc.loss_weights !== undefined) out.lossWeights = cc.loss_weights;
  return out as unknown as CompileOptions;
}
