/**
 * The compiled configuration of a model (Keras `model.compile`): the optimizer, the loss, its
 * tracker and the metrics, whose functions and trackers are resolved from the first batch.
 * compileModel checks and resolves it; the other helpers are shared by fit and evaluate.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, checkOptions } from '../../core/internal.ts';
import { type Loss, getLoss } from '../losses.ts';
import { MeanMetric, type MetricFn, resolveMetric, METRIC_NAMES } from '../metrics.ts';
import { type Optimizer, getOptimizer } from '../optimizers/index.ts';
import { METRICS_NEEDING_ARGUMENTS, type MetricTracker, STATEFUL_METRICS, isMetric } from './metric-trackers.ts';
import type { CompileOptions } from './options.ts';

export interface CompiledMetric {
  id: string;
  fn?: MetricFn;
  /** The accumulator: a MeanMetric of `fn` (or of an output's loss), or a stateful metric (`stateful`). */
  tracker?: MetricTracker;
  /** Whether `tracker` is a stateful metric (a `dt.metrics.Metric`: 'auc', ... or an instance given to compile). */
  stateful?: boolean;
  /** The stateful metric's name in STATEFUL_METRICS, until compile makes its instance. */
  factory?: string;
  /** Whether compile made the tracker (then recompiling or disposing the model releases it; a user's instance stays theirs). */
  ownsTracker?: boolean;
  /** Models with several outputs: the index of the output it reads. */
  output?: number;
  /** Models with several outputs: the metric name as given ('accuracy'), which `id` prefixes with the output's name. */
  metric?: string;
  /** Whether it is an output's loss tracker (`<output>_loss`, the unweighted loss), updated with the loss. */
  isLoss?: boolean;
}

/** One output of a model with several outputs: its name, loss and loss weight. */
export interface CompiledOutput {
  name: string;
  loss: Loss;
  /** The weight of its loss in the total (Keras loss_weights); undefined: not multiplied. */
  weight?: number;
}

export interface Compiled {
  optimizer: Optimizer;
  /** Whether compile() created the optimizer from a name (then recompiling releases it). */
  ownsOptimizer?: boolean;
  /** The loss (of the first output, for a model with several outputs). */
  loss: Loss;
  lossTracker: MeanMetric;
  /** The metrics in compile order; for several outputs, the outputs' loss trackers first, then each output's metrics. */
  metrics: CompiledMetric[];
  /** Models with several outputs: one entry per output, in the model's output order. */
  outputs?: CompiledOutput[];
}

/** What compile needs of a model: its compiled state and, for several outputs, their names (in output order). */
export interface CompilableModel {
  compiled?: Compiled;
  readonly outputNames?: readonly string[];
}

/** "an array", "an object", ... for messages. */
function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v;
}

/** A per-output option (a list by position or an object by output name) as one value per output. */
function perOutput<T>(option: string, value: unknown, names: readonly string[], isLeaf: (v: unknown) => boolean, allowMissing = false): (T | undefined)[] {
  if (isLeaf(value)) return names.map(() => value as T);
  if (Array.isArray(value)) {
    if (value.length !== names.length) throw new ArgumentError(`compile: expected ${option} to have one entry per output (${names.length}: ${names.join(', ')}). Received: ${value.length} entries`);
    return [...value] as T[];
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    const unknown = keys.filter((k) => !names.includes(k));
    const missing = allowMissing ? [] : names.filter((n) => !keys.includes(n));
    if (unknown.length || missing.length) {
      throw new ArgumentError(`compile: expected ${option} keyed by the output names [${names.join(', ')}]. Received: keys [${keys.join(', ')}]${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`);
    }
    return names.map((n) => (value as Record<string, T | undefined>)[n]);
  }
  throw new ArgumentError(`compile: expected ${option} to be one value, a list by output or an object keyed by output name. Received: ${describe(value)}`);
}

/** A compiled metric from a name or an instance (`prefix`: the output's name and '_', several outputs). */
function compiledMetric(id: unknown, prefix = '', output?: number): CompiledMetric {
  const at = output === undefined ? {} : { output };
  if (isMetric(id)) return { id: prefix + id.name, tracker: id, stateful: true, ownsTracker: false, ...(prefix ? { metric: id.name } : {}), ...at };
  if (typeof id === 'string' && Object.hasOwn(STATEFUL_METRICS, id)) {
    // Keras: a name gives a new instance, logged under the name as given.
    return { id: prefix + id, factory: id, stateful: true, ownsTracker: true, ...(prefix ? { metric: id } : {}), ...at };
  }
  if (typeof id === 'string' && Object.hasOwn(METRICS_NEEDING_ARGUMENTS, id)) throw new ArgumentError(`compile: metric '${id}' cannot be made from its name: ${METRICS_NEEDING_ARGUMENTS[id]}`);
  if (typeof id !== 'string' || !METRIC_NAMES.includes(id)) {
    throw new ArgumentError(`compile: unknown metric '${String(id)}'. Expected a dt.metrics.Metric instance or one of: ${[...METRIC_NAMES, ...Object.keys(STATEFUL_METRICS)].join(', ')}`);
  }
  return { id: prefix + id, ...(prefix ? { metric: id } : {}), ...at };
}

/** Releases what a compiled configuration owns (its trackers; not the user's metric instances). */
export function releaseTrackers(c: Compiled): void {
  c.lossTracker.dispose();
  for (const m of c.metrics) if (m.ownsTracker !== false) m.tracker?.dispose();
}

export function compileModel(model: CompilableModel, o: CompileOptions): Compiled {
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new ArgumentError(`compile: expected an options object { optimizer, loss, metrics }. Received: ${o === null ? 'null' : Array.isArray(o) ? 'an array' : typeof o}`);
  const names = model.outputNames && model.outputNames.length > 1 ? model.outputNames : undefined;
  checkOptions('compile', o, ['optimizer', 'loss', 'metrics', ...(names ? ['lossWeights'] : [])], {
    ...(names ? {} : { lossWeights: 'lossWeights applies to models with several outputs; this model has one' }),
    weightedMetrics: 'sampleWeight and classWeight weigh the loss only (metrics are unweighted, as Keras\'s `metrics`)',
    runEagerly: 'ditto always runs eagerly',
    stepsPerExecution: 'ditto runs one step per call',
    jitCompile: 'ditto does not compile graphs',
  });
  if (!names && o.metrics !== undefined && !Array.isArray(o.metrics)) {
    throw new ArgumentError(`compile: expected metrics to be a list of metric names or dt.metrics.Metric instances, e.g. metrics: ['accuracy']. Received: metrics=${JSON.stringify(o.metrics) ?? typeof o.metrics}`);
  }
  if (o.optimizer === undefined) throw new ArgumentError("compile: expected an optimizer (e.g. 'adam'). Received: undefined");
  if (o.loss === undefined) throw new ArgumentError("compile: expected a loss (e.g. 'sparse_categorical_crossentropy'). Received: undefined");
  let metrics: CompiledMetric[];
  let outputs: CompiledOutput[] | undefined;
  let loss: Loss;
  if (!names) {
    if (Array.isArray(o.loss) || (o.loss !== null && typeof o.loss === 'object' && typeof (o.loss as Loss).call !== 'function')) {
      throw new ArgumentError(`compile: expected one loss for a model with one output. Received: ${describe(o.loss)} of losses`);
    }
    metrics = ((o.metrics ?? []) as unknown[]).map((id) => compiledMetric(id));
    loss = getLoss(o.loss as string | Loss);
  } else {
    const isLoss = (v: unknown): boolean => typeof v === 'string' || (v !== null && typeof v === 'object' && typeof (v as Loss).call === 'function');
    const losses = perOutput<string | Loss>('loss', o.loss, names, isLoss).map((l) => getLoss(l!));
    const weights = o.lossWeights === undefined ? names.map(() => undefined) : perOutput<number>('lossWeights', o.lossWeights, names, () => false);
    weights.forEach((w, i) => {
      if (w !== undefined && !(typeof w === 'number' && Number.isFinite(w))) throw new ArgumentError(`compile: expected lossWeights to be finite numbers. Received: ${JSON.stringify(w)} for output '${names[i]}'`);
    });
    // As Keras, an object of metrics may name only some outputs.
    const perMetrics = o.metrics === undefined ? names.map(() => []) : perOutput<string | readonly string[] | null>('metrics', o.metrics, names, () => false, true)
      .map((m) => (m === null || m === undefined ? [] : typeof m === 'string' || isMetric(m) ? [m] : [...(m as readonly unknown[])]));
    outputs = names.map((name, i) => ({ name, loss: losses[i], weight: weights[i] }));
    // Keras: each output's unweighted loss is tracked as <output>_loss, then each output's metrics as <output>_<metric>.
    metrics = [
      ...names.map((name, i): CompiledMetric => ({ id: `${name}_loss`, isLoss: true, output: i })),
      ...perMetrics.flatMap((ms, i) => ms.map((id): CompiledMetric => compiledMetric(id, `${names[i]}_`, i))),
    ];
    const ids = metrics.map((m) => m.id);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) throw new ArgumentError(`compile: expected each metric once per output. Received: '${twice}' twice`);
    loss = losses[0];
  }
  const instances = metrics.filter((m) => m.ownsTracker === false).map((m) => m.tracker);
  if (new Set(instances).size !== instances.length) throw new ArgumentError('compile: expected each metric instance once (it holds one state). Received: the same instance twice');
  const sameIds = metrics.map((m) => m.id).find((id, i, a) => a.indexOf(id) !== i);
  if (sameIds) {
    throw new ArgumentError(`compile: expected distinct metric names (the keys of the logs). Received: '${sameIds}' twice`);
  }
  // Resolve everything before releasing the previous configuration: a rejected compile() must
  // leave a compiled model usable (its trackers were disposed first before).
  const optimizer = getOptimizer(o.optimizer);
  const previous = model.compiled;
  if (previous) {
    releaseTrackers(previous);
    // An optimizer the model made from a name is the model's to release (its slots leaked before).
    if (previous.ownsOptimizer && previous.optimizer !== optimizer) previous.optimizer.dispose();
  }
  for (const m of metrics) {
    if (m.isLoss) m.tracker = new MeanMetric(m.id);
    if (m.factory) m.tracker = STATEFUL_METRICS[m.factory]();
  }
  // Keras's compile resets the metrics it is given.
  for (const m of metrics) if (m.ownsTracker === false) m.tracker!.reset();
  return { optimizer, ownsOptimizer: typeof o.optimizer === 'string', loss, lossTracker: new MeanMetric('loss'), metrics, ...(outputs ? { outputs } : {}) };
}

export function requireCompiled(model: { compiled?: Compiled }, fn: string): Compiled {
  if (!model.compiled) throw new ArgumentError(`${fn}: the model must be compiled first: call model.compile({ optimizer, loss, metrics })`);
  return model.compiled;
}

/** Resolves 'accuracy' etc. from the first batch's shapes and creates the trackers (one output). */
export function ensureMetrics(c: Compiled, y: Tensor, yPred: Tensor): void {
  for (const m of c.metrics) {
    if (m.fn || m.isLoss || m.stateful) continue;
    m.fn = resolveMetric(m.metric ?? m.id, y.shape, yPred.shape);
    m.tracker = new MeanMetric(m.id, m.fn);
  }
}

export function resetTrackers(c: Compiled): void {
  c.lossTracker.reset();
  for (const m of c.metrics) m.tracker?.reset();
}
