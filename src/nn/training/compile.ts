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
import type { CompileOptions } from './options.ts';

export interface CompiledMetric {
  id: string;
  fn?: MetricFn;
  tracker?: MeanMetric;
}

export interface Compiled {
  optimizer: Optimizer;
  /** Whether compile() created the optimizer from a name (then recompiling releases it). */
  ownsOptimizer?: boolean;
  loss: Loss;
  lossTracker: MeanMetric;
  metrics: CompiledMetric[];
}

export function compileModel(model: { compiled?: Compiled }, o: CompileOptions): Compiled {
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new ArgumentError(`compile: expected an options object { optimizer, loss, metrics }. Received: ${o === null ? 'null' : Array.isArray(o) ? 'an array' : typeof o}`);
  checkOptions('compile', o, ['optimizer', 'loss', 'metrics'], {
    lossWeights: 'ditto models have one output',
    weightedMetrics: 'ditto has no sample weights',
    runEagerly: 'ditto always runs eagerly',
    stepsPerExecution: 'ditto runs one step per call',
    jitCompile: 'ditto does not compile graphs',
  });
  if (o.metrics !== undefined && !Array.isArray(o.metrics)) {
    throw new ArgumentError(`compile: expected metrics to be a list of metric names, e.g. metrics: ['accuracy']. Received: metrics=${JSON.stringify(o.metrics) ?? typeof o.metrics}`);
  }
  if (o.optimizer === undefined) throw new ArgumentError("compile: expected an optimizer (e.g. 'adam'). Received: undefined");
  if (o.loss === undefined) throw new ArgumentError("compile: expected a loss (e.g. 'sparse_categorical_crossentropy'). Received: undefined");
  const metrics = (o.metrics ?? []).map((id) => {
    if (!METRIC_NAMES.includes(id)) throw new ArgumentError(`compile: unknown metric '${id}'. Expected one of: ${METRIC_NAMES.join(', ')}`);
    return { id };
  });
  // Resolve everything before releasing the previous configuration: a rejected compile() must
  // leave a compiled model usable (its trackers were disposed first before).
  const optimizer = getOptimizer(o.optimizer);
  const loss = getLoss(o.loss);
  const previous = model.compiled;
  if (previous) {
    previous.lossTracker.dispose();
    for (const m of previous.metrics) m.tracker?.dispose();
    // An optimizer the model made from a name is the model's to release (its slots leaked before).
    if (previous.ownsOptimizer && previous.optimizer !== optimizer) previous.optimizer.dispose();
  }
  return { optimizer, ownsOptimizer: typeof o.optimizer === 'string', loss, lossTracker: new MeanMetric('loss'), metrics };
}

export function requireCompiled(model: { compiled?: Compiled }, fn: string): Compiled {
  if (!model.compiled) throw new ArgumentError(`${fn}: the model must be compiled first: call model.compile({ optimizer, loss, metrics })`);
  return model.compiled;
}

/** Resolves 'accuracy' etc. from the first batch's shapes and creates the trackers. */
export function ensureMetrics(c: Compiled, y: Tensor, yPred: Tensor): void {
  for (const m of c.metrics) {
    if (m.fn) continue;
    m.fn = resolveMetric(m.id, y.shape, yPred.shape);
    m.tracker = new MeanMetric(m.id, m.fn);
  }
}

export function resetTrackers(c: Compiled): void {
  c.lossTracker.reset();
  for (const m of c.metrics) m.tracker?.reset();
}
